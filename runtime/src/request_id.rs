//! Reading the request id (the endpoint's idempotency key) out of a body
//! without parsing the whole document into a tree.

use std::fmt;

use serde::de::{DeserializeSeed, IgnoredAny, MapAccess, Visitor};

/// The string value of the top-level field `key` in the JSON object `body`,
/// if present (numbers are returned as their JSON text; anything else, or a
/// body that is not a JSON object, gives `None`).
pub fn extract_request_id(body: &[u8], key: &str) -> Option<String> {
    let mut de = serde_json::Deserializer::from_slice(body);
    FieldSeed { key }.deserialize(&mut de).ok().flatten()
}

struct FieldSeed<'k> {
    key: &'k str,
}

impl<'de> DeserializeSeed<'de> for FieldSeed<'_> {
    type Value = Option<String>;
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for FieldSeed<'_> {
    type Value = Option<String>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut found = None;
        while let Some(k) = map.next_key::<std::borrow::Cow<'de, str>>()? {
            if found.is_none() && k == self.key {
                let v: serde_json::Value = map.next_value()?;
                found = match v {
                    serde_json::Value::String(s) => Some(s),
                    serde_json::Value::Number(n) => Some(n.to_string()),
                    _ => None,
                };
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
    fn escaped_values_are_unescaped() {
        assert_eq!(
            extract_request_id(br#"{"id":"a\"b\u00e9"}"#, "id").as_deref(),
            Some("a\"b\u{e9}")
        );
    }
}
