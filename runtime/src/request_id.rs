//! Reading the request id (the endpoint's idempotency key) out of a body
//! without parsing the whole document into a tree.

use std::fmt;

use serde::de::{DeserializeSeed, IgnoredAny, MapAccess, Visitor};

/// The string value of the top-level field `key` in the JSON object `body`,
/// if present (numbers are returned as their JSON text; anything else, or a
/// body that is not a JSON object, gives `None`). A body that gives the key
/// twice with different values has no request id: see [`find_request_id`].
pub fn extract_request_id(body: &[u8], key: &str) -> Option<String> {
    find_request_id(body, key).ok().flatten()
}

/// A body that gives its idempotency key twice with different values: which
/// one the gateway deduplicates on depends on its JSON parser, so a retry
/// could be taken for a new request.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the body gives `{key}` twice with different values (`{first}`, then `{second}`); send one value")]
pub struct ConflictingRequestId {
    /// The idempotency key field.
    pub key: String,
    /// The first value.
    pub first: String,
    /// The first different value after it.
    pub second: String,
}

/// Like [`extract_request_id`], but a key given twice with different values
/// is an error instead of no id.
pub fn find_request_id(body: &[u8], key: &str) -> Result<Option<String>, ConflictingRequestId> {
    let mut de = serde_json::Deserializer::from_slice(body);
    match (FieldSeed { key }).deserialize(&mut de) {
        Ok(found) => found.finish(key),
        Err(_) => Ok(None),
    }
}

/// The values of the key seen so far.
#[derive(Default)]
struct Found {
    first: Option<Option<String>>,
    conflict: Option<String>,
}

impl Found {
    fn finish(self, key: &str) -> Result<Option<String>, ConflictingRequestId> {
        match (self.first, self.conflict) {
            (Some(first), Some(second)) => Err(ConflictingRequestId {
                key: key.to_owned(),
                first: first.unwrap_or_else(|| "null".to_owned()),
                second,
            }),
            (first, _) => Ok(first.flatten()),
        }
    }
}

struct FieldSeed<'k> {
    key: &'k str,
}

impl<'de> DeserializeSeed<'de> for FieldSeed<'_> {
    type Value = Found;
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for FieldSeed<'_> {
    type Value = Found;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut found = Found::default();
        while let Some(k) = map.next_key::<std::borrow::Cow<'de, str>>()? {
            if k == self.key && found.conflict.is_none() {
                let v: serde_json::Value = map.next_value()?;
                let value = match v {
                    serde_json::Value::String(s) => Some(s),
                    serde_json::Value::Number(n) => Some(n.to_string()),
                    _ => None,
                };
                match &found.first {
                    None => found.first = Some(value),
                    Some(first) if *first == value => {}
                    Some(_) => found.conflict = Some(value.unwrap_or_else(|| "null".to_owned())),
                }
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(found)
    }
}

#[cfg(test)]
mod tests {
    use super::extract_request_id;

    #[test]
    fn finds_top_level_string_field() {
        let body =
            br#"{"order":{"paymentRequestId":"nested"},"paymentRequestId":"pr-1","x":[1,2]}"#;
        assert_eq!(
            extract_request_id(body, "paymentRequestId").as_deref(),
            Some("pr-1")
        );
    }

    #[test]
    fn absent_or_not_an_object() {
        assert_eq!(
            extract_request_id(br#"{"a":"b"}"#, "paymentRequestId"),
            None
        );
        assert_eq!(extract_request_id(b"[1]", "a"), None);
        assert_eq!(extract_request_id(b"not json", "a"), None);
        assert_eq!(extract_request_id(br#"{"a":null}"#, "a"), None);
    }

    #[test]
    fn a_conflicting_duplicate_is_reported_and_an_equal_one_is_not() {
        use super::find_request_id;
        let err = find_request_id(br#"{"id":"a","x":1,"id":"b","id":"c"}"#, "id").unwrap_err();
        assert_eq!((err.first.as_str(), err.second.as_str()), ("a", "b"));
        assert!(err.to_string().contains("twice"), "{err}");
        assert_eq!(extract_request_id(br#"{"id":"a","id":"b"}"#, "id"), None);
        assert_eq!(
            find_request_id(br#"{"id":"a","id":"a"}"#, "id")
                .unwrap()
                .as_deref(),
            Some("a")
        );
    }

    #[test]
    fn escaped_values_are_unescaped() {
        assert_eq!(
            extract_request_id(br#"{"id":"a\"b\u00e9"}"#, "id").as_deref(),
            Some("a\"b\u{e9}")
        );
    }
}
