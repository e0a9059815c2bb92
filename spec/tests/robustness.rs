//! No input makes the loader panic, and errors are positioned inside the input.

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

fn check(files: &[(String, String)]) {
    if let Err(d) = antom_spec::load_sources(files) {
        assert!(d.has_errors());
        let rendered = d.to_string();
        for diag in d.iter() {
            let (_, text) = files
                .iter()
                .find(|(p, _)| *p == diag.file)
                .expect("a diagnostic names one of the input files");
            assert!(diag.line >= 1 && diag.col >= 1);
            assert!(diag.hint.is_some(), "every diagnostic has a hint: {diag:?}");
            assert!(diag.line <= text.lines().count().max(1) + 1, "{diag:?}");
            assert!(rendered.contains(&diag.message));
        }
    }
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
