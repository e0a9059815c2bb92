//! Staleness gate: the checked-in generated files must be exactly what
//! `cargo xtask gen` produces from the current spec.

#[test]
fn generated_files_are_fresh() {
    let root = xtask::project_root();
    if let Err(e) = xtask::codegen::run(&root, xtask::codegen::Mode::Check) {
        panic!("{e}");
    }
}

#[test]
fn generation_is_deterministic() {
    let root = xtask::project_root();
    let spec = xtask::codegen::load_spec(&root).unwrap_or_else(|e| panic!("{e}"));
    let a = xtask::codegen::generated_sources(&spec).unwrap();
    let b = xtask::codegen::generated_sources(&spec).unwrap();
    assert_eq!(a, b);
    for (path, contents) in &a {
        assert!(
            contents.starts_with(antom_codegen::GENERATED_PREAMBLE),
            "{path}"
        );
        assert!(
            !contents.contains(root.to_str().unwrap()),
            "{path} contains an absolute path"
        );
    }
}
