//! No input makes the loader panic, and errors are positioned inside the input.

use std::collections::HashMap;

use proptest::prelude::*;

const VALID: &[(&str, &str)] = &[
    (
        "valid/gateway.yaml",
        include_str!("fixtures/valid/gateway.yaml"),
    ),
    (
        "valid/payments/pay.yaml",
        include_str!("fixtures/valid/payments/pay.yaml"),
    ),
    (
        "valid/payments/refund.yaml",
        include_str!("fixtures/valid/payments/refund.yaml"),
    ),
];

/// Loads `files` and checks that every diagnostic is positioned inside its
/// file, has a hint and is rendered (in order). Returns the diagnostics of a
/// failed load.
fn check(files: &[(String, String)]) -> Option<antom_spec::Diagnostics> {
    let d = antom_spec::load_sources(files).err()?;
    assert!(d.has_errors());
    let line_counts: HashMap<&str, usize> = files
        .iter()
        .map(|(p, t)| (p.as_str(), t.lines().count()))
        .collect();
    let rendered = d.to_string();
    let mut rest = rendered.as_str();
    for diag in d.iter() {
        let lines = *line_counts
            .get(diag.file.as_str())
            .expect("a diagnostic names one of the input files");
        assert!(diag.line >= 1 && diag.col >= 1);
        assert!(diag.hint.is_some(), "every diagnostic has a hint: {diag:?}");
        assert!(diag.line <= lines.max(1) + 1, "{diag:?}");
        let at = rest.find(&diag.message).expect("every message is rendered");
        rest = &rest[at + diag.message.len()..];
    }
    Some(d)
}

#[derive(Debug, Clone)]
enum Edit {
    DeleteChar(usize),
    DupChar(usize),
    ReplaceChar(usize, char),
    DeleteLine(usize),
    DupLine(usize),
    SwapLines(usize, usize),
}

fn edit() -> impl Strategy<Value = Edit> {
    let special = prop::sample::select(vec![
        ':', '-', ' ', '\t', '[', ']', '{', '}', '"', '\'', '#', '&', '*', '!', '|', '>', '\n',
        'x', '0', '%', '@', '`',
    ]);
    prop_oneof![
        any::<usize>().prop_map(Edit::DeleteChar),
        any::<usize>().prop_map(Edit::DupChar),
        (any::<usize>(), special).prop_map(|(i, c)| Edit::ReplaceChar(i, c)),
        any::<usize>().prop_map(Edit::DeleteLine),
        any::<usize>().prop_map(Edit::DupLine),
        (any::<usize>(), any::<usize>()).prop_map(|(a, b)| Edit::SwapLines(a, b)),
    ]
}

fn apply(text: &str, e: &Edit) -> String {
    let mut chars: Vec<char> = text.chars().collect();
    let mut lines: Vec<&str> = text.lines().collect();
    match *e {
        Edit::DeleteChar(i) if !chars.is_empty() => {
            chars.remove(i % chars.len());
        }
        Edit::DupChar(i) if !chars.is_empty() => {
            let i = i % chars.len();
            chars.insert(i, chars[i]);
        }
        Edit::ReplaceChar(i, c) if !chars.is_empty() => {
            let i = i % chars.len();
            chars[i] = c;
        }
        Edit::DeleteLine(i) if !lines.is_empty() => {
            lines.remove(i % lines.len());
            return lines.join("\n");
        }
        Edit::DupLine(i) if !lines.is_empty() => {
            let i = i % lines.len();
            lines.insert(i, lines[i]);
            return lines.join("\n");
        }
        Edit::SwapLines(a, b) if !lines.is_empty() => {
            let n = lines.len();
            lines.swap(a % n, b % n);
            return lines.join("\n");
        }
        _ => {}
    }
    chars.into_iter().collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn random_text_never_panics(text in "\\PC{0,200}", yamlish in "[-:{}\\[\\], \n\"'#&*!|>a-zA-Z0-9_]{0,200}") {
        check(&[("a.yaml".to_owned(), text), ("b.yaml".to_owned(), yamlish)]);
    }

    #[test]
    fn mutated_valid_spec_never_panics(which in 0..VALID.len(), edits in prop::collection::vec(edit(), 1..6)) {
        let mut files: Vec<(String, String)> =
            VALID.iter().map(|(p, t)| ((*p).to_owned(), (*t).to_owned())).collect();
        for e in &edits {
            files[which].1 = apply(&files[which].1, e);
        }
        check(&files);
    }
}

#[test]
fn hostile_inputs() {
    let cases = [
        "",
        "---\n---\n",
        "a: &x [*x]",
        "*unknown",
        "a: &a [1,2]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d]\nf: &f [*e,*e,*e,*e,*e,*e,*e,*e]\ng: &g [*f,*f,*f,*f,*f,*f,*f,*f]\nh: [*g,*g,*g,*g,*g,*g,*g,*g]\n",
        "? [a, b]\n: c\n",
        "models: {A: {doc: x, fields: [{name: a, type: \"array<array<array<\"}]}}",
        "models:\n  A:\n    doc: x\n    fields:\n      - {name: a, type: A}\n",
        "\u{feff}regions: {}",
        "[1, 2, 3]",
        "just a string",
        "endpoints: {a: {path: /ams/x, doc: d, request: X, response: X, resultCodes: [{code: [1]}, {}, 3, null]}}",
        "resultCodes: {X: {status: U, action: none, scope: api, message: {en: a, zh: b}, suggestion: {en: a, zh: b}}}",
        "acknowledgement: {httpStatus: 70000, body: '', doc: '', resendSchedule: [99999999999999999999h, 0]}",
        "models:\n  A:\n    doc: \"x\n",
        "a:\n\t- b",
    ];
    for c in cases {
        check(&[("x.yaml".to_owned(), c.to_owned())]);
    }
    // recursive models are fine
    let rec = "models:\n  Result:\n    doc: r\n    fields:\n      - {name: resultCode, type: string}\n  A:\n    doc: x\n    fields:\n      - {name: a, type: A}\n      - {name: b, type: \"array<A>\"}\n";
    let spec = antom_spec::load_sources(&[("x.yaml".to_owned(), rec.to_owned())]).unwrap();
    assert_eq!(spec.model("A").unwrap().fields.len(), 2);
}

/// Deep nesting is a positioned error, not a stack overflow (the tree is
/// never built deeper than the limit, so dropping it cannot overflow either).
#[test]
fn deep_nesting_is_a_positioned_error() {
    let depth = 131_072;
    for text in [
        format!("models:\n{}x", "- ".repeat(depth)),
        format!("models: {}{}", "[".repeat(depth), "]".repeat(depth)),
        format!("models: {}{}", "{a: ".repeat(depth), "}".repeat(depth)),
        format!("models:\n{}x", "- ".repeat(70)),
    ] {
        let files = vec![("deep.yaml".to_owned(), text)];
        let d = antom_spec::load_sources(&files).expect_err("too deep");
        let diag = d.iter().next().unwrap();
        assert!(
            diag.message.contains("nesting deeper than 64 levels")
                || diag.message.contains("recursion limit"),
            "{}",
            diag.message
        );
        assert_eq!(diag.file, "deep.yaml");
        assert!(diag.line >= 1 && diag.col > 1, "{diag:?}");
    }
}

/// A huge unknown name is reported without a quadratic "did you mean".
#[test]
fn a_huge_unknown_key_is_reported_without_a_suggestion() {
    let key = "k".repeat(25_000);
    let files = vec![(
        "huge.yaml".to_owned(),
        format!("family: payments\nendpoints:\n  pay:\n    ? {key}\n    : 1\n    request: {key}\n"),
    )];
    let d = antom_spec::load_sources(&files).expect_err("unknown key");
    assert!(
        d.iter().any(|diag| diag.message.contains("unknown key")),
        "{d}"
    );
}

/// How many keys the scale tests put in one mapping: far beyond any real
/// spec, so work that grows faster than the input shows up as a slow test.
const MANY: usize = 20_000;

fn load_one(name: &str, text: String) -> antom_spec::Diagnostics {
    check(&[(name.to_owned(), text)]).expect("the document has errors")
}

/// Every one of many unknown keys of an endpoint, and of a model, is reported
/// at its own key.
#[test]
fn many_unknown_keys_are_each_reported() {
    let mut text = String::from(
        "family: payments\nendpoints:\n  pay:\n    path: /ams/api/v1/payments/pay\n    doc: Pays.\n    request: Req\n    response: Req\n",
    );
    for i in 0..MANY {
        text.push_str(&format!("    key{i:05}: x\n"));
    }
    text.push_str("models:\n  Req:\n    doc: A request.\n    fields: []\n");
    for i in 0..MANY {
        text.push_str(&format!("    field{i:05}: x\n"));
    }
    let d = load_one("wide.yaml", text);
    let unknown: Vec<_> = d
        .iter()
        .filter(|x| x.message.starts_with("unknown key"))
        .collect();
    assert_eq!(unknown.len(), 2 * MANY, "{}", d.iter().next().unwrap());
    let first = unknown[0];
    assert_eq!(first.message, "unknown key `key00000` in endpoint `pay`");
    assert_eq!(
        (first.file.as_str(), first.line, first.col, first.len),
        ("wide.yaml", 8, 5, 8)
    );
    assert_eq!(first.source_line.as_deref(), Some("    key00000: x"));
    assert!(first
        .hint
        .as_deref()
        .unwrap()
        .starts_with("allowed keys: `path`"));
    let last = unknown[unknown.len() - 1];
    assert_eq!(
        last.message,
        format!("unknown key `field{:05}` in model `Req`", MANY - 1)
    );
    assert_eq!((last.line, last.col), (7 + MANY + 4 + MANY, 5));
    assert!(d
        .to_string()
        .contains(&format!("--> wide.yaml:{}:5", 7 + MANY)));
}

/// A mapping with many distinct keys is not a duplicate-key error, and
/// every entry is still checked and positioned.
#[test]
fn many_distinct_keys_are_each_checked() {
    let mut text = String::from("models:\n");
    for i in 0..MANY {
        text.push_str(&format!("  m{i:05}: {{doc: d, fields: []}}\n"));
    }
    let d = load_one("models.yaml", text);
    assert_eq!(d.len(), MANY, "{}", d.iter().next().unwrap());
    assert!(d
        .iter()
        .all(|x| x.message.ends_with("is not UpperCamelCase")));
    let first = d.iter().next().unwrap();
    assert_eq!(first.message, "model name `m00000` is not UpperCamelCase");
    assert_eq!((first.line, first.col), (2, 3));
    assert_eq!(
        first.hint.as_deref(),
        Some("model names are UpperCamelCase (ASCII letters and digits); e.g. `M00000`")
    );
    let last = d.iter().last().unwrap();
    assert_eq!((last.line, last.col), (MANY + 1, 3));
    assert_eq!(
        last.source_line.as_deref(),
        Some(&*format!("  m{:05}: {{doc: d, fields: []}}", MANY - 1))
    );
}

/// Every repeated key of a large mapping is reported, pointing back at the
/// first occurrence.
#[test]
fn many_duplicate_keys_are_each_reported() {
    let mut text = String::from("regions:\n");
    for _ in 0..2 {
        for i in 0..MANY {
            text.push_str(&format!("  R{i:05}: {i}\n"));
        }
    }
    let d = load_one("dup.yaml", text);
    assert_eq!(d.len(), MANY, "{}", d.iter().next().unwrap());
    let first = d.iter().next().unwrap();
    assert_eq!(first.message, "duplicate key `R00000` in this mapping");
    assert_eq!(
        (first.file.as_str(), first.line, first.col),
        ("dup.yaml", MANY + 2, 3)
    );
    assert_eq!(
        first.hint.as_deref(),
        Some("the key is first defined at line 2, column 3; names must be unique")
    );
    let last = d.iter().last().unwrap();
    assert_eq!(
        last.message,
        format!("duplicate key `R{:05}` in this mapping", MANY - 1)
    );
    assert_eq!((last.line, last.col), (2 * MANY + 1, 3));
    assert_eq!(
        last.hint.as_deref(),
        Some(&*format!(
            "the key is first defined at line {}, column 3; names must be unique",
            MANY + 1
        ))
    );
}

/// Many references to undefined types among many defined names are each
/// reported; "did you mean" searches the names without making the load
/// quadratic.
#[test]
fn many_unknown_type_references_are_each_reported() {
    let mut text = String::from("models:\n");
    for i in 0..MANY {
        text.push_str(&format!(
            "  M{i:05}: {{doc: d, fields: [{{name: a, type: X{i:05}}}]}}\n"
        ));
    }
    let d = load_one("types.yaml", text);
    assert_eq!(d.len(), MANY, "{}", d.iter().next().unwrap());
    assert!(d.iter().all(|x| x.message.starts_with("unknown type `X")));
    let first = d.iter().next().unwrap();
    assert_eq!(first.message, "unknown type `X00000`");
    assert_eq!(
        (first.file.as_str(), first.line, first.col),
        ("types.yaml", 2, 45)
    );
    assert_eq!(
        first.hint.as_deref(),
        Some("did you mean `M00000`? define `X00000` under `models:` or `enums:`, or fix the name")
    );
    let last = d.iter().last().unwrap();
    assert_eq!(last.message, format!("unknown type `X{:05}`", MANY - 1));
    assert_eq!((last.line, last.col), (MANY + 1, 45));
}

/// Many references to missing fields of a model with many fields each get a
/// hint of bounded length: the diagnostics grow with the number of errors,
/// not with errors × fields.
#[test]
fn hints_list_a_bounded_number_of_names() {
    const ENDPOINTS: usize = MANY / 4;
    let mut text = String::from("family: payments\nendpoints:\n");
    for i in 0..ENDPOINTS {
        text.push_str(&format!(
            "  e{i:05}: {{path: /ams/api/v1/e{i:05}, doc: d, request: Req, response: Resp, idempotencyKey: missingRequestId{i:05}}}\n"
        ));
    }
    text.push_str(
        "models:\n  Resp:\n    doc: r\n    fields:\n      - {name: result, type: Result}\n",
    );
    text.push_str(
        "  Result:\n    doc: r\n    fields:\n      - {name: resultStatus, type: string}\n",
    );
    text.push_str("  Req:\n    doc: A request.\n    fields:\n");
    for i in 0..MANY {
        text.push_str(&format!("      - {{name: f{i:05}, type: string}}\n"));
    }
    let d = load_one("wide.yaml", text);
    let missing: Vec<_> = d
        .iter()
        .filter(|x| x.message.contains("missingRequestId"))
        .collect();
    assert_eq!(missing.len(), ENDPOINTS, "{}", d.iter().next().unwrap());
    let hint = missing[0].hint.as_deref().unwrap();
    assert!(
        hint.starts_with("`Req` has the fields: `f00000`, `f00001`"),
        "{hint}"
    );
    assert!(
        hint.ends_with(&format!(" and {} more", MANY - 24)),
        "{hint}"
    );
    for x in &missing {
        assert!(x.hint.as_deref().unwrap().len() < 400, "{:?}", x.hint);
    }
}
