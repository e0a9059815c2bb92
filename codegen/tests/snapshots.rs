//! Snapshots of the engine's output (prettyplease-formatted) for one small
//! fixture spec per feature, under `tests/fixtures/<feature>/`.

use std::path::Path;

fn render(feature: &str) -> String {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(feature);
    let spec = antom_spec::load_dir(&dir).unwrap_or_else(|d| panic!("fixture {feature}:\n{d}"));
    let modules = antom_codegen::generate(&spec).unwrap_or_else(|e| panic!("{e}"));
    let mut out = String::new();
    for (path, text) in antom_codegen::render_files(&modules).unwrap() {
        out.push_str(&format!("// ===== {path} =====\n"));
        out.push_str(&text);
    }
    out
}

#[test]
fn enum_fixture() {
    insta::assert_snapshot!("enum", render("enum"));
}

#[test]
fn model_fixture() {
    insta::assert_snapshot!("model", render("model"));
}

#[test]
fn endpoint_with_idempotency_key() {
    insta::assert_snapshot!("endpoint", render("endpoint"));
}

#[test]
fn inquiry_with_business_status() {
    insta::assert_snapshot!("inquiry", render("inquiry"));
}

#[test]
fn notification_fixture() {
    insta::assert_snapshot!("notification", render("notification"));
}

#[test]
fn result_codes_with_deprecated_event_code() {
    insta::assert_snapshot!("result_codes", render("result_codes"));
}

#[test]
fn reference_markdown_of_endpoint_fixture() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/endpoint");
    let spec = antom_spec::load_dir(&dir).unwrap_or_else(|d| panic!("{d}"));
    insta::assert_snapshot!(
        "endpoint_reference",
        antom_codegen::reference_markdown(&spec)
    );
}
