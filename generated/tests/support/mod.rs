//! Helpers of the round-trip tests.

use std::path::{Path, PathBuf};

use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;

fn examples_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/examples")
}

fn read(file: &str) -> Vec<u8> {
    let path = examples_dir().join(file);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Drops `null` object members recursively: an absent optional field and an
/// explicit `null` mean the same, and the generated models skip `None`.
pub fn strip_nulls(v: Value) -> Value {
    match v {
        Value::Object(map) => Value::Object(
            map.into_iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k, strip_nulls(v)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.into_iter().map(strip_nulls).collect()),
        other => other,
    }
}

/// Parses the example `file` into `T`, serializes it back and compares both
/// as JSON values (`null` members count as absent).
pub fn roundtrip<T: DeserializeOwned + Serialize>(file: &str) -> T {
    let bytes = read(file);
    let original: Value =
        serde_json::from_slice(&bytes).unwrap_or_else(|e| panic!("{file} is not JSON: {e}"));
    let parsed: T = serde_json::from_slice(&bytes).unwrap_or_else(|e| {
        panic!(
            "{file} does not parse into {}: {e}",
            std::any::type_name::<T>()
        )
    });
    let back = serde_json::to_value(&parsed).unwrap_or_else(|e| panic!("{file}: {e}"));
    assert_eq!(
        strip_nulls(back),
        strip_nulls(original),
        "{file}: the round trip changed the JSON"
    );
    parsed
}

/// [`roundtrip`] for a notification payload, plus the typed entry points:
/// `Notification::parse_as(kind)` must give `kind`, and `Notification::parse`
/// too when the body carries a `notifyType` the spec knows.
pub fn roundtrip_notification<T: DeserializeOwned + Serialize>(
    file: &str,
    kind: antom::notifications::NotificationKind,
) {
    roundtrip::<T>(file);
    let bytes = read(file);
    let parsed = antom::notifications::Notification::parse_as(kind, &bytes)
        .unwrap_or_else(|e| panic!("{file}: {e}"));
    assert_eq!(parsed.kind(), Some(kind), "{file}");
    assert!(parsed.result().is_some(), "{file}: no result");
    let value: Value = serde_json::from_slice(&bytes).unwrap();
    if let Some(t) = value.get("notifyType").and_then(Value::as_str) {
        if kind.notify_types().contains(&t) {
            let by_type = antom::notifications::Notification::parse(&bytes)
                .unwrap_or_else(|e| panic!("{file}: {e}"));
            assert_eq!(by_type.kind(), Some(kind), "{file}: notifyType {t}");
        }
    }
}

/// Fails when an example file is not covered by a generated test.
pub fn assert_all_covered(covered: &[&str]) {
    let mut missing = Vec::new();
    for entry in std::fs::read_dir(examples_dir()).expect("tests/examples exists") {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        if name.ends_with(".json") && !covered.contains(&name.as_str()) {
            missing.push(name);
        }
    }
    missing.sort();
    assert!(
        missing.is_empty(),
        "examples without a round-trip test: {missing:?}; run `cargo xtask gen`"
    );
}
