//! The checked-in JSON Schema matches the loader's types.

#[test]
fn checked_in_schema_is_current() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/antom-spec.schema.json");
    let fresh = antom_spec::json_schema();
    if std::env::var_os("ANTOM_SPEC_WRITE_SCHEMA").is_some() {
        std::fs::write(path, &fresh).expect("write schema");
    }
    let on_disk = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        on_disk == fresh,
        "spec/antom-spec.schema.json is stale: run `cargo xtask gen` (or this test with ANTOM_SPEC_WRITE_SCHEMA=1)"
    );
}
