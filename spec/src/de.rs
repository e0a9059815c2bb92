//! A serde `Deserializer` over the spanned YAML tree that keeps going after
//! errors.
//!
//! Errors carry the position of the innermost node they concern. They travel
//! up to the nearest recovery boundary (an [`Item`](crate::format::Item)),
//! where they are reported to the [`Ctx`]. The boundary then offers the item
//! again without the key whose value failed, until the item deserializes or
//! nothing is left to drop; so every bad key of every item is reported, and
//! the siblings of a broken item are still checked. Unknown keys of a struct
//! are all reported up front (with the key's own position) and then skipped.

use std::cell::{Cell, RefCell};
use std::collections::HashSet;
use std::fmt;

use serde::de::{self, DeserializeSeed, IntoDeserializer, MapAccess, SeqAccess, Visitor};
use serde::Deserializer;

use crate::diag::did_you_mean;
use crate::format::ITEM_MARKER;
use crate::yaml::{Kind, Node, Pos};

/// A problem found while deserializing, before file and source line are known.
#[derive(Debug, Clone)]
pub(crate) struct RawDiag {
    pub pos: Pos,
    pub message: String,
    pub hint: Option<String>,
}

/// Collects the problems of one file.
#[derive(Default)]
pub(crate) struct Ctx {
    pub diags: RefCell<Vec<RawDiag>>,
    /// Position and message of every diagnostic in `diags`.
    seen: RefCell<HashSet<(Pos, String)>>,
}

impl Ctx {
    fn report(&self, e: Error) {
        let d = match e {
            Error::Reported => return,
            Error::Msg { msg, hint, pos } => RawDiag {
                pos: pos.unwrap_or_default(),
                message: msg,
                hint,
            },
            Error::Missing { field, pos } => RawDiag {
                pos: pos.unwrap_or_default(),
                message: format!("missing required key `{field}`"),
                hint: Some(format!("add `{field}: ...` to this mapping")),
            },
        };
        // A retried item reports its unknown keys again: keep one.
        if self.seen.borrow_mut().insert((d.pos, d.message.clone())) {
            self.diags.borrow_mut().push(d);
        }
    }
}

/// Deserialization error.
#[derive(Debug)]
pub(crate) enum Error {
    /// Already reported to the context.
    Reported,
    /// A problem, positioned by the innermost node that knows its position.
    Msg {
        msg: String,
        hint: Option<String>,
        pos: Option<Pos>,
    },
    /// A required struct field is absent.
    Missing {
        field: &'static str,
        pos: Option<Pos>,
    },
}

impl Error {
    fn at(self, p: Pos) -> Error {
        match self {
            Error::Msg {
                msg,
                hint,
                pos: None,
            } => Error::Msg {
                msg,
                hint,
                pos: Some(p),
            },
            Error::Missing { field, pos: None } => Error::Missing {
                field,
                pos: Some(p),
            },
            other => other,
        }
    }

    fn msg(msg: String, hint: Option<String>) -> Error {
        Error::Msg {
            msg,
            hint,
            pos: None,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Reported => f.write_str("error already reported"),
            Error::Msg { msg, .. } => f.write_str(msg),
            Error::Missing { field, .. } => write!(f, "missing required key `{field}`"),
        }
    }
}

impl std::error::Error for Error {}

/// serde's `Unexpected`, in the words of YAML.
fn unexpected(u: &de::Unexpected<'_>) -> String {
    match u {
        de::Unexpected::Unit => "null (an empty value)".to_owned(),
        de::Unexpected::Seq => "a list".to_owned(),
        de::Unexpected::Map => "a mapping".to_owned(),
        other => other.to_string(),
    }
}

fn list(items: &[&str]) -> String {
    crate::diag::name_list(items.iter().copied(), items.len())
}

pub(crate) fn unknown_key_hint(key: &str, allowed: &[&str]) -> String {
    if key.contains(char::is_whitespace) {
        return format!(
            "allowed keys: {}; inside `{{...}}` a comma ends the value: quote values that contain commas",
            list(allowed)
        );
    }
    match did_you_mean(key, allowed.iter().copied()) {
        Some(m) => format!("did you mean `{m}`? allowed keys: {}", list(allowed)),
        None => format!("allowed keys: {}", list(allowed)),
    }
}

impl de::Error for Error {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        Error::msg(
            msg.to_string(),
            Some("see spec/FORMAT.md for the shape of this section".to_owned()),
        )
    }

    fn invalid_type(unexp: de::Unexpected<'_>, exp: &dyn de::Expected) -> Self {
        let exp = exp.to_string();
        let hint = if exp.starts_with("a result code") {
            "write a code (`- SUCCESS`) or a mapping (`- {code: SUCCESS, action: inquire, note: ...}`)"
                .to_owned()
        } else {
            format!("expected {exp}")
        };
        Error::msg(
            format!("expected {exp}, found {}", unexpected(&unexp)),
            Some(hint),
        )
    }

    fn invalid_value(unexp: de::Unexpected<'_>, exp: &dyn de::Expected) -> Self {
        let exp = match exp.to_string().as_str() {
            "u8" => "a whole number from 0 to 255".to_owned(),
            "u16" => "a whole number from 0 to 65535".to_owned(),
            "u32" => "a whole number from 0 to 4294967295".to_owned(),
            "u64" => "a non-negative whole number".to_owned(),
            other => other.to_owned(),
        };
        Error::msg(
            format!("invalid value: {}", unexpected(&unexp)),
            Some(format!("expected {exp}")),
        )
    }

    fn unknown_variant(variant: &str, expected: &'static [&'static str]) -> Self {
        let hint = match did_you_mean(variant, expected.iter().copied()) {
            Some(m) => format!("did you mean `{m}`? expected one of {}", list(expected)),
            None => format!("expected one of {}", list(expected)),
        };
        Error::msg(format!("unknown value `{variant}`"), Some(hint))
    }

    fn unknown_field(field: &str, expected: &'static [&'static str]) -> Self {
        Error::msg(
            format!("unknown key `{field}`"),
            Some(unknown_key_hint(field, expected)),
        )
    }

    fn missing_field(field: &'static str) -> Self {
        Error::Missing { field, pos: None }
    }
}

/// `SdkEventCode` → `sdk event code`.
fn friendly(name: &str) -> String {
    let mut out = String::new();
    for (i, c) in name.chars().enumerate() {
        if c.is_ascii_uppercase() {
            if i > 0 {
                out.push(' ');
            }
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// The deserializer of one node.
#[derive(Clone, Copy)]
pub(crate) struct De<'a> {
    pub node: &'a Node,
    pub ctx: &'a Ctx,
    /// The mapping key this node is the value of (for messages and positions).
    key: Option<&'a Node>,
    /// Keys of this struct to skip (their values failed in an earlier attempt).
    exclude: &'a [String],
    /// Where this struct records the key whose value failed.
    tracker: Option<&'a Cell<Option<String>>>,
}

impl<'a> De<'a> {
    /// A deserializer for a root node.
    pub fn new(node: &'a Node, ctx: &'a Ctx) -> Self {
        De {
            node,
            ctx,
            key: None,
            exclude: &[],
            tracker: None,
        }
    }

    fn child(node: &'a Node, ctx: &'a Ctx, key: Option<&'a Node>) -> Self {
        De {
            node,
            ctx,
            key,
            exclude: &[],
            tracker: None,
        }
    }

    fn finish<T>(self, r: Result<T, Error>) -> Result<T, Error> {
        r.map_err(|e| e.at(self.node.pos))
    }

    fn type_err(&self, expected: &str) -> Error {
        let found = self.node.describe();
        let msg = match self.key.and_then(Node::as_str) {
            Some(k) => format!("`{k}` expects {expected}, found {found}"),
            None => format!("expected {expected}, found {found}"),
        };
        Error::msg(msg, Some(type_hint(expected, self.node)))
    }

    fn scalar(&self) -> Option<(&'a str, bool)> {
        match &self.node.kind {
            Kind::Scalar { value, plain } => Some((value.as_str(), *plain)),
            _ => None,
        }
    }

    fn seq_access(&self) -> Option<SeqAcc<'a>> {
        match &self.node.kind {
            Kind::Seq(items) => Some(SeqAcc {
                iter: items.iter(),
                ctx: self.ctx,
            }),
            _ => None,
        }
    }

    fn map_access(
        &self,
        entries: Vec<&'a (Node, Node)>,
        tracker: Option<&'a Cell<Option<String>>>,
    ) -> MapAcc<'a> {
        MapAcc {
            iter: entries.into_iter(),
            value: None,
            ctx: self.ctx,
            tracker,
        }
    }
}

fn type_hint(expected: &str, node: &Node) -> String {
    if expected.starts_with("a list") {
        "write a list: `[a, b]`, or one `- item` per line below the key".to_owned()
    } else if expected.starts_with("a mapping") {
        "write `key: value` entries indented below the key (not a list or a single value)"
            .to_owned()
    } else if expected == "a string" && node.is_null() {
        "give a value after the colon".to_owned()
    } else if expected == "a string" {
        "write a single value; quote it if it contains `: `, ` #`, `[` or `{`".to_owned()
    } else if expected == "an integer" {
        "write a whole number without quotes".to_owned()
    } else if expected.starts_with("a boolean") {
        "write `true` or `false` without quotes".to_owned()
    } else {
        format!("expected {expected}")
    }
}

macro_rules! ints {
    ($($m:ident),*) => {$(
        fn $m<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Error> {
            self.int_any(v)
        }
    )*};
}

impl<'a> De<'a> {
    fn int_any<'de, V: Visitor<'de>>(self, v: V) -> Result<V::Value, Error> {
        let r = match self.scalar() {
            Some((s, true)) if !self.node.is_null() => {
                if let Ok(n) = s.parse::<u64>() {
                    v.visit_u64(n)
                } else if let Ok(n) = s.parse::<i64>() {
                    v.visit_i64(n)
                } else {
                    Err(self.type_err("an integer"))
                }
            }
            _ => Err(self.type_err("an integer")),
        };
        let r = r.map_err(|e| match (e, self.key.and_then(Node::as_str)) {
            (
                Error::Msg {
                    msg,
                    hint,
                    pos: None,
                },
                Some(k),
            ) if msg.starts_with("invalid value") => Error::Msg {
                msg: format!("{msg} for `{k}`"),
                hint,
                pos: None,
            },
            (e, _) => e,
        });
        self.finish(r)
    }
}

impl<'de, 'a> Deserializer<'de> for De<'a> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Error> {
        let r = match &self.node.kind {
            Kind::Scalar { value, plain } => {
                if self.node.is_null() {
                    v.visit_unit()
                } else if *plain && value == "true" {
                    v.visit_bool(true)
                } else if *plain && value == "false" {
                    v.visit_bool(false)
                } else if let (true, Ok(n)) = (*plain, value.parse::<u64>()) {
                    v.visit_u64(n)
                } else if let (true, Ok(n)) = (*plain, value.parse::<i64>()) {
                    v.visit_i64(n)
                } else {
                    v.visit_str(value)
                }
            }
            Kind::Seq(items) => v.visit_seq(SeqAcc {
                iter: items.iter(),
                ctx: self.ctx,
            }),
            Kind::Map(map) => v.visit_map(self.map_access(map.entries().iter().collect(), None)),
        };
        self.finish(r)
    }

    fn deserialize_bool<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Error> {
        let r = match self.scalar() {
            Some(("true", true)) => v.visit_bool(true),
            Some(("false", true)) => v.visit_bool(false),
            _ => Err(self.type_err("a boolean (`true` or `false`)")),
        };
        self.finish(r)
    }

    ints!(
        deserialize_i8,
        deserialize_i16,
        deserialize_i32,
        deserialize_i64,
        deserialize_i128,
        deserialize_u8,
        deserialize_u16,
        deserialize_u32,
        deserialize_u64,
        deserialize_u128
    );

    fn deserialize_f32<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Error> {
        self.deserialize_f64(v)
    }

    fn deserialize_f64<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Error> {
        let r = match self.scalar() {
            Some((s, true)) if !self.node.is_null() => match s.parse::<f64>() {
                Ok(n) => v.visit_f64(n),
                Err(_) => Err(self.type_err("a number")),
            },
            _ => Err(self.type_err("a number")),
        };
        self.finish(r)
    }

    fn deserialize_char<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Error> {
        self.deserialize_str(v)
    }

    fn deserialize_str<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Error> {
        let r = match self.scalar() {
            Some((s, _)) if !self.node.is_null() => v.visit_str(s),
            _ => Err(self.type_err("a string")),
        };
        self.finish(r)
    }

    fn deserialize_string<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Error> {
        self.deserialize_str(v)
    }

    fn deserialize_bytes<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Error> {
        self.deserialize_str(v)
    }

    fn deserialize_byte_buf<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Error> {
        self.deserialize_str(v)
    }

    fn deserialize_option<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Error> {
        let r = if self.node.is_null() {
            v.visit_none()
        } else {
            v.visit_some(self)
        };
        self.finish(r)
    }

    fn deserialize_unit<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Error> {
        let r = if self.node.is_null() {
            v.visit_unit()
        } else {
            Err(self.type_err("an empty value"))
        };
        self.finish(r)
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        v: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_unit(v)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        v: V,
    ) -> Result<V::Value, Error> {
        let r = if name == ITEM_MARKER {
            v.visit_seq(Retry {
                de: self,
                excluded: Vec::new(),
                done: false,
            })
        } else {
            v.visit_newtype_struct(self)
        };
        self.finish(r)
    }

    fn deserialize_seq<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Error> {
        let r = match self.seq_access() {
            Some(acc) => v.visit_seq(acc),
            None => Err(self.type_err("a list")),
        };
        self.finish(r)
    }

    fn deserialize_tuple<V: Visitor<'de>>(self, _len: usize, v: V) -> Result<V::Value, Error> {
        self.deserialize_seq(v)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _len: usize,
        v: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_seq(v)
    }

    fn deserialize_map<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Error> {
        let r = match &self.node.kind {
            Kind::Map(map) => v.visit_map(self.map_access(map.entries().iter().collect(), None)),
            _ => Err(self.type_err("a mapping")),
        };
        self.finish(r)
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        fields: &'static [&'static str],
        v: V,
    ) -> Result<V::Value, Error> {
        let what = match self.key.and_then(Node::as_str) {
            Some(k) => format!("{} `{k}`", friendly(name)),
            None => friendly(name),
        };
        let r = match &self.node.kind {
            Kind::Map(map) => {
                let mut known = Vec::with_capacity(map.entries().len());
                let mut unknown = Vec::new();
                for entry in map.entries() {
                    let key = &entry.0;
                    match key.as_str() {
                        Some(k) if fields.contains(&k) => {
                            if !self.exclude.iter().any(|x| x == k) {
                                known.push(entry);
                            }
                        }
                        Some(k) => {
                            unknown.push((k, key.pos));
                            self.ctx.report(Error::Msg {
                                msg: format!("unknown key `{k}` in {what}"),
                                hint: Some(unknown_key_hint(k, fields)),
                                pos: Some(key.pos),
                            });
                        }
                        None => self.ctx.report(Error::Msg {
                            msg: format!("a key must be a plain string, found {}", key.describe()),
                            hint: Some(format!("allowed keys: {}", list(fields))),
                            pos: Some(key.pos),
                        }),
                    }
                }
                match v.visit_map(self.map_access(known, self.tracker)) {
                    // Its value failed and was reported; the item is not usable.
                    Err(Error::Missing { field, .. })
                        if self.exclude.iter().any(|x| x == field) =>
                    {
                        Err(Error::Reported)
                    }
                    Err(Error::Missing { field, .. }) => {
                        let typo = did_you_mean(field, unknown.iter().map(|(k, _)| *k))
                            .and_then(|k| unknown.iter().find(|(u, _)| *u == k));
                        let hint = match typo {
                            Some((k, p)) => format!(
                                "add `{field}: ...` to this mapping (is `{k}` at line {} a misspelling?)",
                                p.line
                            ),
                            None => format!("add `{field}: ...` to this mapping"),
                        };
                        Err(Error::Msg {
                            msg: format!("missing required key `{field}` in {what}"),
                            hint: Some(hint),
                            pos: Some(self.key.map_or(self.node.pos, |k| k.pos)),
                        })
                    }
                    other => other,
                }
            }
            _ => Err(self.type_err(&format!("a mapping ({})", friendly(name)))),
        };
        self.finish(r)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        variants: &'static [&'static str],
        v: V,
    ) -> Result<V::Value, Error> {
        let r =
            match self.scalar() {
                Some((s, _)) if !self.node.is_null() => v
                    .visit_enum(s.into_deserializer())
                    .map_err(|e| match (e, self.key.and_then(Node::as_str)) {
                        (
                            Error::Msg {
                                msg,
                                hint,
                                pos: None,
                            },
                            Some(k),
                        ) => Error::Msg {
                            msg: format!("{msg} for `{k}`"),
                            hint,
                            pos: None,
                        },
                        (e, _) => e,
                    }),
                _ => Err(self.type_err(&format!("one of {}", list(variants)))),
            };
        self.finish(r)
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Error> {
        self.deserialize_str(v)
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Error> {
        v.visit_unit()
    }
}

struct SeqAcc<'a> {
    iter: std::slice::Iter<'a, Node>,
    ctx: &'a Ctx,
}

impl<'de, 'a> SeqAccess<'de> for SeqAcc<'a> {
    type Error = Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Error> {
        match self.iter.next() {
            None => Ok(None),
            Some(node) => seed.deserialize(De::child(node, self.ctx, None)).map(Some),
        }
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.iter.len())
    }
}

struct MapAcc<'a> {
    iter: std::vec::IntoIter<&'a (Node, Node)>,
    /// The current entry.
    value: Option<&'a (Node, Node)>,
    ctx: &'a Ctx,
    /// Records the key whose value failed (the struct directly under a recovery boundary).
    tracker: Option<&'a Cell<Option<String>>>,
}

impl<'de, 'a> MapAccess<'de> for MapAcc<'a> {
    type Error = Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Error> {
        match self.iter.next() {
            None => Ok(None),
            Some(entry) => {
                self.value = Some(entry);
                seed.deserialize(De::child(&entry.0, self.ctx, None))
                    .map(Some)
            }
        }
    }

    fn next_value_seed<S: DeserializeSeed<'de>>(&mut self, seed: S) -> Result<S::Value, Error> {
        match self.value.take() {
            Some((k, v)) => {
                let r = seed.deserialize(De::child(v, self.ctx, Some(k)));
                if let (Err(_), Some(t), Some(name)) = (&r, self.tracker, k.as_str()) {
                    t.set(Some(name.to_owned()));
                }
                r
            }
            None => Err(Error::msg(
                "a key without a value".to_owned(),
                Some("give the key a value".to_owned()),
            )),
        }
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.iter.len())
    }
}

/// The recovery boundary: offers its node as a sequence of attempts. Each
/// failed attempt is reported; the next attempt skips the key whose value
/// failed. Ends (the item is bad) when an attempt fails without such a key.
struct Retry<'a> {
    de: De<'a>,
    excluded: Vec<String>,
    done: bool,
}

impl<'de> SeqAccess<'de> for Retry<'_> {
    type Error = Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Error> {
        if self.done {
            return Ok(None);
        }
        let tracker = Cell::new(None);
        let de = De {
            exclude: &self.excluded,
            tracker: Some(&tracker),
            ..self.de
        };
        match seed.deserialize(de) {
            Ok(v) => {
                self.done = true;
                Ok(Some(v))
            }
            Err(e) => {
                self.de.ctx.report(e.at(self.de.node.pos));
                match tracker.take() {
                    Some(k) if !self.excluded.contains(&k) => self.excluded.push(k),
                    _ => self.done = true,
                }
                Err(Error::Reported)
            }
        }
    }
}
