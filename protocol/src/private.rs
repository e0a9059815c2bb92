//! The support code of the generated models: their `Serialize` and
//! `Deserialize` impls and their length checks call these, so that a
//! generated module holds the spec's types and nothing else. Not a public
//! API: reached through `antom_runtime::__private`, changed at will.

use std::marker::PhantomData;
use std::str::FromStr;

use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Serialize, Serializer};
use serde_json::{Map, Value};

use crate::{UnknownVariant, Violation};

/// A scalar as the gateway may send it: native JSON or a string.
fn scalar<'de, D: Deserializer<'de>, T: Scalar>(deserializer: D) -> Result<Option<T>, D::Error> {
    let value = Value::deserialize(deserializer)?;
    if value.is_null() {
        return Ok(None);
    }
    let parsed = match &value {
        Value::String(s) => s.trim().parse::<T>().ok(),
        other => T::native(other),
    };
    match parsed {
        Some(v) => Ok(Some(v)),
        None => Err(de::Error::custom(format!(
            "expected {} (or a string holding one), got {value}",
            T::EXPECTED
        ))),
    }
}

/// A scalar type the gateway may also send as a string.
pub trait Scalar: FromStr {
    /// What the value is, for error messages.
    const EXPECTED: &'static str;
    /// The value from its native JSON form.
    fn native(value: &Value) -> Option<Self>;
}

impl Scalar for bool {
    const EXPECTED: &'static str = "a boolean";
    fn native(value: &Value) -> Option<Self> {
        value.as_bool()
    }
}

impl Scalar for i64 {
    const EXPECTED: &'static str = "an integer";
    fn native(value: &Value) -> Option<Self> {
        value.as_i64()
    }
}

impl Scalar for f64 {
    const EXPECTED: &'static str = "a number";
    fn native(value: &Value) -> Option<Self> {
        value.as_f64()
    }
}

/// An optional scalar field, native or a string; `null` is `None`.
struct Lenient<T>(Option<T>);

impl<'de, T: Scalar> Deserialize<'de> for Lenient<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        scalar(d).map(Lenient)
    }
}

/// A required scalar field, native or a string; `null` is an error.
struct Strict<T>(T);

impl<'de, T: Scalar> Deserialize<'de> for Strict<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        match scalar(d)? {
            Some(v) => Ok(Strict(v)),
            None => Err(de::Error::custom(format!(
                "expected {}, got null",
                T::EXPECTED
            ))),
        }
    }
}

/// A model read from a JSON object, one key at a time.
pub trait Model: Sized {
    /// What the deserializer expected, for error messages.
    const EXPECTING: &'static str;
    /// The wire names of the model's fields; [`Reader::next_field`]
    /// answers with an index into this list.
    const FIELDS: &'static [&'static str];
    /// Reads every entry of `map`.
    fn from_map<'de, A: MapAccess<'de>>(map: A) -> Result<Self, A::Error>;
}

/// The one visitor of every model: objects only.
struct ModelVisitor<T>(PhantomData<T>);

impl<'de, T: Model> Visitor<'de> for ModelVisitor<T> {
    type Value = T;
    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(T::EXPECTING)
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
        T::from_map(map)
    }
}

/// A model from a JSON object.
pub fn deserialize<'de, D: Deserializer<'de>, T: Model>(d: D) -> Result<T, D::Error> {
    d.deserialize_map(ModelVisitor(PhantomData))
}

/// Reads a model's JSON object one key at a time, keeping the first error:
/// the generated `from_map` asks for the index of the next known key, reads
/// its value into the field's slot without a branch of its own, and gets the
/// error (a bad value, a key seen twice) from [`Reader::end`].
pub struct Reader<'de, A: MapAccess<'de>> {
    map: A,
    fields: &'static [&'static str],
    seen: Vec<bool>,
    error: Option<A::Error>,
    _de: PhantomData<&'de ()>,
}

impl<'de, A: MapAccess<'de>> Reader<'de, A> {
    /// A reader of `map` for a model whose wire names are `fields`.
    pub fn new(map: A, fields: &'static [&'static str]) -> Self {
        Reader {
            map,
            fields,
            seen: vec![false; fields.len()],
            error: None,
            _de: PhantomData,
        }
    }

    /// The index in `fields` of the next known key, whose value the caller
    /// reads next; the unknown keys before it go to `extra`. `None` at the
    /// end of the object or after an error.
    pub fn next_field(&mut self, extra: &mut Map<String, Value>) -> Option<usize> {
        match self.try_next_field(extra) {
            Ok(next) => next,
            Err(e) => {
                self.error = Some(e);
                None
            }
        }
    }

    fn try_next_field(
        &mut self,
        extra: &mut Map<String, Value>,
    ) -> Result<Option<usize>, A::Error> {
        if self.error.is_some() {
            return Ok(None);
        }
        while let Some(key) = self.map.next_key::<String>()? {
            if let Some(index) = self.fields.iter().position(|f| *f == key) {
                if std::mem::replace(&mut self.seen[index], true) {
                    return Err(de::Error::duplicate_field(self.fields[index]));
                }
                return Ok(Some(index));
            }
            let value = self.map.next_value()?;
            extra.insert(key, value);
        }
        Ok(None)
    }

    fn read<T: Deserialize<'de>>(&mut self) -> Option<T> {
        match self.map.next_value() {
            Ok(v) => Some(v),
            Err(e) => {
                self.error = Some(e);
                None
            }
        }
    }

    /// Reads the value of a required field (`null` is an error unless the
    /// type takes it).
    pub fn req<T: Deserialize<'de>>(&mut self, slot: &mut Option<T>) {
        *slot = self.read();
    }

    /// Reads the value of an optional field (`null` is `None`).
    pub fn opt<T: Deserialize<'de>>(&mut self, slot: &mut Option<T>) {
        *slot = self.read::<Option<T>>().flatten();
    }

    /// Reads a required scalar, native or a string.
    pub fn req_scalar<T: Scalar>(&mut self, slot: &mut Option<T>) {
        *slot = self.read::<Strict<T>>().map(|v| v.0);
    }

    /// Reads an optional scalar, native or a string; `null` is `None`.
    pub fn opt_scalar<T: Scalar>(&mut self, slot: &mut Option<T>) {
        *slot = self.read::<Lenient<T>>().and_then(|v| v.0);
    }

    /// The first error met, if any.
    pub fn end(self) -> Result<(), A::Error> {
        match self.error {
            Some(e) => Err(e),
            None => Ok(()),
        }
    }
}

/// The value of a required key, or `missing field` naming it.
pub fn req<E: de::Error, T>(slot: Option<T>, name: &'static str) -> Result<T, E> {
    match slot {
        Some(v) => Ok(v),
        None => Err(E::missing_field(name)),
    }
}

/// Writes a model as a JSON object, field by field, keeping the first
/// error: the generated writers call it once per field without a branch
/// of their own, and [`Writer::end`] reports the error.
pub struct Writer<M: SerializeMap> {
    map: M,
    error: Option<M::Error>,
}

impl<M: SerializeMap> Writer<M> {
    /// Starts the object.
    pub fn new<S: Serializer<SerializeMap = M, Error = M::Error>>(
        serializer: S,
    ) -> Result<Self, S::Error> {
        Ok(Writer {
            map: serializer.serialize_map(None)?,
            error: None,
        })
    }

    /// Writes a required field.
    pub fn req<T: Serialize + ?Sized>(&mut self, name: &'static str, value: &T) {
        if self.error.is_none() {
            if let Err(e) = self.map.serialize_entry(name, value) {
                self.error = Some(e);
            }
        }
    }

    /// Writes an optional field when it is set.
    pub fn opt<T: Serialize>(&mut self, name: &'static str, value: &Option<T>) {
        if let Some(v) = value {
            self.req(name, v);
        }
    }

    /// Writes the unknown fields and closes the object, or reports the
    /// first error.
    pub fn end(mut self, extra: &Map<String, Value>) -> Result<M::Ok, M::Error> {
        if let Some(e) = self.error {
            return Err(e);
        }
        for (k, v) in extra {
            self.map.serialize_entry(k, v)?;
        }
        self.map.end()
    }
}

/// The path of field `name` under `prefix` (`order.goods`).
pub fn path(prefix: &str, name: &str) -> String {
    if prefix.is_empty() {
        name.to_owned()
    } else {
        format!("{prefix}.{name}")
    }
}

/// The path of element `index` of the list at `path` (`order.goods[0]`).
pub fn index(path: &str, index: usize) -> String {
    format!("{path}[{index}]")
}

/// Records a violation when `value` is longer than `max_length` characters.
pub fn check_len(path: &str, value: &str, max_length: u32, out: &mut Vec<Violation>) {
    let actual_length = value.chars().count();
    if actual_length > max_length as usize {
        out.push(Violation {
            path: path.to_owned(),
            max_length,
            actual_length,
        });
    }
}

/// A sensitive value as `Debug` shows it: `<redacted>` (an optional field
/// maps its value into one, so that `None` still shows).
pub struct Redacted<T>(pub T);

impl<T> std::fmt::Debug for Redacted<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("<redacted>")
    }
}

/// The unknown variant's value for `value`, which the caller's strict parse
/// has just rejected.
pub fn unknown_variant(value: &str) -> UnknownVariant {
    UnknownVariant::new(value.to_owned())
}
