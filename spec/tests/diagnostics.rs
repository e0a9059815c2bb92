//! Each fixture under `tests/fixtures/<case>/` has one or more mistakes; the
//! rendered diagnostics are snapshotted.

use antom_spec::{Diagnostics, Severity};

fn load_err(case: &str) -> Diagnostics {
    let dir = format!("{}/tests/fixtures/{case}", env!("CARGO_MANIFEST_DIR"));
    match antom_spec::load_dir(&dir) {
        Ok(_) => panic!("fixture `{case}` unexpectedly loaded"),
        Err(d) => {
            assert!(d.has_errors(), "an Err must hold at least one error");
            d
        }
    }
}

fn messages(d: &Diagnostics) -> Vec<String> {
    d.iter().map(|x| x.message.clone()).collect()
}

macro_rules! case {
    ($name:ident) => {
        #[test]
        fn $name() {
            let d = load_err(stringify!($name));
            insta::assert_snapshot!(d.to_string());
        }
    };
}

case!(unknown_key);
case!(dangling_model_ref);
case!(dangling_code_ref);
case!(duplicate_names);
case!(malformed_path);
case!(bad_status);
case!(u_code_action);
case!(bad_naming);
case!(yaml_syntax);
case!(wrong_type);
case!(bad_echoes);
case!(bad_callbacks);
case!(bad_idempotency);
case!(bad_uncertain_keys);

#[test]
fn many_errors() {
    let d = load_err("many_errors");
    insta::assert_snapshot!(d.to_string());
    assert_eq!(d.len(), 27);
    assert_eq!(d.error_count(), 27);
    // errors from all three files, none hidden by another
    for file in [
        "many_errors/a.yaml",
        "many_errors/b.yaml",
        "many_errors/c.yaml",
    ] {
        assert!(d.iter().any(|x| x.file == file), "no diagnostic for {file}");
    }
    assert!(d
        .iter()
        .all(|x| x.severity == Severity::Error && x.hint.is_some()));
}

#[test]
fn every_bad_key_of_one_item_is_reported() {
    // three broken values and an unknown key in the same result code
    let src = "resultCodes:\n  X_Y:\n    status: Q\n    action: nope\n    scope: [api]\n    colour: red\n    message: {en: a, zh: b}\n    suggestion: {en: a, zh: b}\n";
    let d = antom_spec::load_sources(&[("x.yaml".to_owned(), src.to_owned())]).unwrap_err();
    let m = messages(&d);
    assert_eq!(m.len(), 4, "{d}");
    assert!(m.iter().any(|x| x == "unknown value `Q` for `status`"));
    assert!(m.iter().any(|x| x == "unknown value `nope` for `action`"));
    assert!(m.iter().any(|x| x.starts_with("`scope` expects one of")));
    assert!(m
        .iter()
        .any(|x| x == "unknown key `colour` in result code `X_Y`"));
}

#[test]
fn positions_are_one_based_line_and_column() {
    let src = "models:\n  A:\n    doc: x\n    fields:\n      - {name: a, type: Nope}\n";
    let d = antom_spec::load_sources(&[("dir/x.yaml".to_owned(), src.to_owned())]).unwrap_err();
    let x = d.iter().next().unwrap();
    assert_eq!((x.file.as_str(), x.line, x.col), ("dir/x.yaml", 5, 25));
    assert_eq!(
        x.source_line.as_deref(),
        Some("      - {name: a, type: Nope}")
    );
    assert!(d.to_string().contains(" --> dir/x.yaml:5:25\n"));
}

#[test]
fn io_problems_are_diagnostics() {
    let d = antom_spec::load_dir(format!(
        "{}/tests/fixtures/does-not-exist",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap_err();
    assert_eq!(d.len(), 1);
    assert!(d.to_string().contains("cannot read the spec directory"));
    assert!(
        !d.to_string().contains(env!("CARGO_MANIFEST_DIR")),
        "no absolute paths: {d}"
    );
}
