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
pub struct Lenient<T>(Option<T>);

impl<'de, T: Scalar> Deserialize<'de> for Lenient<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        scalar(d).map(Lenient)
    }
}

/// A required scalar field, native or a string; `null` is an error.
pub struct Strict<T>(T);

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
    /// The wire names of the model's fields; [`next_field`] answers with
    /// an index into this list.
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

/// Reads the value of a known key into its slot; a key seen twice is an error.
pub fn next<'de, A: MapAccess<'de>, T: Deserialize<'de>>(
    map: &mut A,
    slot: &mut Option<T>,
    name: &'static str,
) -> Result<(), A::Error> {
    if slot.is_some() {
        return Err(de::Error::duplicate_field(name));
    }
    *slot = Some(map.next_value()?);
    Ok(())
}

/// The index in `fields` of the next known key of `map`, whose value the
/// caller reads next; the entries of unknown keys before it go into
/// `extra`. `None` at the end of the object.
///
/// The generated readers dispatch on the index, so that a model's reader
/// holds one arm per field and no string comparisons.
pub fn next_field<'de, A: MapAccess<'de>>(
    map: &mut A,
    fields: &[&str],
    extra: &mut Map<String, Value>,
) -> Result<Option<usize>, A::Error> {
    while let Some(key) = map.next_key::<String>()? {
        if let Some(index) = fields.iter().position(|f| *f == key) {
            return Ok(Some(index));
        }
        let value = map.next_value()?;
        extra.insert(key, value);
    }
    Ok(None)
}

/// The value of a required key, or `missing field` naming it.
pub fn req<E: de::Error, T>(slot: Option<T>, name: &'static str) -> Result<T, E> {
    match slot {
        Some(v) => Ok(v),
        None => Err(E::missing_field(name)),
    }
}

/// The value of a required scalar key, or `missing field` naming it.
pub fn req_scalar<E: de::Error, T>(slot: Option<Strict<T>>, name: &'static str) -> Result<T, E> {
    req(slot, name).map(|v| v.0)
}

/// The value of an optional key (`null` and absent are both `None`).
pub fn opt<T>(slot: Option<Option<T>>) -> Option<T> {
    slot.flatten()
}

/// The value of an optional scalar key.
pub fn opt_scalar<T>(slot: Option<Lenient<T>>) -> Option<T> {
    slot.and_then(|v| v.0)
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

/// The unknown variant's value for `value`, which the caller's strict parse
/// has just rejected.
pub fn unknown_variant(value: &str) -> UnknownVariant {
    UnknownVariant::new(value.to_owned())
}
