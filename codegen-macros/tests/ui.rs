//! UI tests: every error message of the macro is pinned.

#[test]
fn ui() {
    // trybuild compiles the cases in a scratch project: point the macro at
    // this crate's directory so the spec paths resolve.
    std::env::set_var("ANTOM_CODEGEN_MANIFEST_DIR", env!("CARGO_MANIFEST_DIR"));
    let t = trybuild::TestCases::new();
    t.compile_fail("tests/ui/*.rs");
}
