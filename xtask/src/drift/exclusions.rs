//! `spec/drift/exclusions.yaml`: the differences the spec leaves out on
//! purpose, or has not covered yet, each with a reason.
//!
//! ```yaml
//! exclusions:
//!   - in: sdk                                  # the SDK has it, the spec does not (`spec`: the reverse)
//!     paths: [/ams/api/v1/billing/*]
//!     reason: "family not yet in the spec: billing"
//!   - in: sdk
//!     request: /ams/api/v1/payments/pay        # or `response:` (a path), `model:` (a model name)
//!     fields: [merchantAccountId]
//!     reason: "not yet covered: documented, missing from the spec"
//!   - in: sdk
//!     enum: CardBrand
//!     values: [MIR]
//!     reason: ...
//!   - in: sdk
//!     models: [Billing*]                       # or `enums:`
//!     reason: ...
//! ```
//!
//! Every pattern is a glob in which `*` matches any run of characters
//! (`/` included). A difference must match exactly one entry. A pattern
//! that matches no difference is **stale**, an error, so the file only
//! shrinks as the spec catches up.

use std::collections::BTreeSet;
use std::fmt;
use std::path::Path;

use super::audit::{Difference, Kind, Side};
use super::yaml::{self, Kind as Y, Node};
use super::Error;

/// A glob pattern and where it is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pattern {
    /// The pattern as written.
    pub text: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column.
    pub col: usize,
}

impl Pattern {
    /// Whether `s` matches (`*` matches any run of characters).
    pub fn matches(&self, s: &str) -> bool {
        glob(&self.text, s)
    }
}

/// `*` matches any run of characters; everything else matches itself.
pub fn glob(pattern: &str, s: &str) -> bool {
    let mut parts = pattern.split('*');
    let first = parts.next().unwrap_or_default();
    let Some(mut rest) = s.strip_prefix(first) else {
        return false;
    };
    let parts: Vec<&str> = parts.collect();
    let Some((last, middle)) = parts.split_last() else {
        return rest.is_empty();
    };
    for part in middle {
        match rest.find(part) {
            Some(at) => rest = &rest[at + part.len()..],
            None => return false,
        }
    }
    rest.len() >= last.len() && rest.ends_with(last)
}

/// What an entry excludes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Selector {
    /// Paths, models or enums by name.
    Items {
        /// [`Kind::Path`], [`Kind::Model`] or [`Kind::Enum`].
        kind: Kind,
        /// The names.
        patterns: Vec<Pattern>,
    },
    /// Fields of a path's request or response or of a model, or values of
    /// an enum.
    Members {
        /// [`Kind::RequestField`], [`Kind::ResponseField`],
        /// [`Kind::ModelField`] or [`Kind::EnumValue`].
        kind: Kind,
        /// The path, model or enum.
        owner: Pattern,
        /// The fields or values.
        patterns: Vec<Pattern>,
    },
}

/// One documented group of differences.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// Where the entry starts (1-based line).
    pub line: usize,
    /// Which side has what the other lacks.
    pub side: Side,
    /// Why.
    pub reason: String,
    /// What it excludes.
    pub selector: Selector,
}

impl Entry {
    /// The reason's category: the text before its first `:` (all of it
    /// when it has none).
    pub fn category(&self) -> &str {
        self.reason
            .split_once(':')
            .map_or(self.reason.as_str(), |(c, _)| c)
            .trim()
    }

    fn kind(&self) -> Kind {
        match &self.selector {
            Selector::Items { kind, .. } | Selector::Members { kind, .. } => *kind,
        }
    }

    fn patterns(&self) -> &[Pattern] {
        match &self.selector {
            Selector::Items { patterns, .. } | Selector::Members { patterns, .. } => patterns,
        }
    }

    /// The index in [`Entry::patterns`] of the pattern that matches `d`.
    fn matching(&self, d: &Difference) -> Option<usize> {
        if d.side != self.side || d.kind != self.kind() {
            return None;
        }
        if let Selector::Members { owner, .. } = &self.selector {
            if !owner.matches(&d.owner) {
                return None;
            }
        }
        self.patterns().iter().position(|p| p.matches(&d.item))
    }
}

/// The exclusions file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exclusions {
    /// The file, as named in messages.
    pub path: String,
    /// The entries in file order.
    pub entries: Vec<Entry>,
}

/// A pattern that matches no difference.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stale {
    /// The entry (an index into [`Exclusions::entries`]).
    pub entry: usize,
    /// The pattern.
    pub pattern: Pattern,
    /// What the entry selects, in words.
    pub what: String,
}

/// A difference that two entries exclude.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Overlap {
    /// The difference (an index into the judged differences).
    pub difference: usize,
    /// The lines of the entries.
    pub lines: Vec<usize>,
}

/// The verdict on every difference.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Judgement {
    /// `(difference, entry)` for every excluded difference.
    pub excluded: Vec<(usize, usize)>,
    /// Differences no entry excludes.
    pub undocumented: Vec<usize>,
    /// Patterns that match nothing.
    pub stale: Vec<Stale>,
    /// Differences more than one entry excludes.
    pub overlaps: Vec<Overlap>,
}

impl Judgement {
    /// Whether nothing is undocumented, stale or excluded twice.
    pub fn clean(&self) -> bool {
        self.undocumented.is_empty() && self.stale.is_empty() && self.overlaps.is_empty()
    }
}

impl fmt::Display for Stale {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}: `{}` ({}) matches no difference: remove it",
            self.pattern.line, self.pattern.col, self.pattern.text, self.what
        )
    }
}

impl Exclusions {
    /// Reads and checks the exclusions at `path`; `display` names it in
    /// errors.
    pub fn load(path: &Path, display: &str) -> Result<Exclusions, Error> {
        let text = std::fs::read_to_string(path).map_err(|source| Error::Io {
            path: display.to_owned(),
            source,
        })?;
        Exclusions::parse(&text, display)
    }

    /// Parses exclusions from YAML text, reporting every problem at once.
    pub fn parse(text: &str, display: &str) -> Result<Exclusions, Error> {
        let fail = |problems: Vec<String>| Error::Exclusions {
            path: display.to_owned(),
            problems,
        };
        let root = yaml::parse(text).map_err(|(l, c, m)| fail(vec![format!("{l}:{c}: {m}")]))?;
        let mut problems = Vec::new();
        let mut entries = Vec::new();
        match &root.kind {
            Y::Map(top) => {
                for (k, v) in top {
                    match k.as_str() {
                        Some("exclusions") => match &v.kind {
                            Y::Seq(items) => {
                                for item in items {
                                    if let Some(e) = entry(item, &mut problems) {
                                        entries.push(e);
                                    }
                                }
                            }
                            _ => problems.push(format!(
                                "{}: `exclusions` must be a list, not {}",
                                v.at(),
                                v.describe()
                            )),
                        },
                        _ => problems.push(format!(
                            "{}: unknown key {:?}; the file has one key, `exclusions`",
                            k.at(),
                            k.as_str().unwrap_or_default()
                        )),
                    }
                }
            }
            _ => problems.push(format!(
                "{}: the file must be a mapping with the key `exclusions`, not {}",
                root.at(),
                root.describe()
            )),
        }
        if problems.is_empty() {
            Ok(Exclusions {
                path: display.to_owned(),
                entries,
            })
        } else {
            Err(fail(problems))
        }
    }

    /// Judges `differences`: which entry excludes each, which are
    /// undocumented, which patterns are stale, which differences two
    /// entries exclude.
    pub fn judge(&self, differences: &[Difference]) -> Judgement {
        let mut j = Judgement::default();
        let mut used: BTreeSet<(usize, usize)> = BTreeSet::new();
        for (di, d) in differences.iter().enumerate() {
            let hits: Vec<(usize, usize)> = self
                .entries
                .iter()
                .enumerate()
                .filter_map(|(ei, e)| e.matching(d).map(|pi| (ei, pi)))
                .collect();
            used.extend(hits.iter().copied());
            match hits.as_slice() {
                [] => j.undocumented.push(di),
                [(ei, _)] => j.excluded.push((di, *ei)),
                [(ei, _), ..] => {
                    j.excluded.push((di, *ei));
                    j.overlaps.push(Overlap {
                        difference: di,
                        lines: hits.iter().map(|(e, _)| self.entries[*e].line).collect(),
                    });
                }
            }
        }
        for (ei, e) in self.entries.iter().enumerate() {
            for (pi, p) in e.patterns().iter().enumerate() {
                if !used.contains(&(ei, pi)) {
                    j.stale.push(Stale {
                        entry: ei,
                        pattern: p.clone(),
                        what: describe(e),
                    });
                }
            }
        }
        j
    }
}

fn describe(e: &Entry) -> String {
    let side = e.side.as_str();
    match &e.selector {
        Selector::Items { kind, .. } => format!("in: {side}, {}s", kind.label()),
        Selector::Members { kind, owner, .. } => {
            format!("in: {side}, {}s of {}", kind.label(), owner.text)
        }
    }
}

/// The keys of an entry: `in`, `reason`, one selector.
const ITEM_KEYS: [(&str, Kind); 3] = [
    ("paths", Kind::Path),
    ("models", Kind::Model),
    ("enums", Kind::Enum),
];
const OWNER_KEYS: [(&str, Kind, &str); 4] = [
    ("request", Kind::RequestField, "fields"),
    ("response", Kind::ResponseField, "fields"),
    ("model", Kind::ModelField, "fields"),
    ("enum", Kind::EnumValue, "values"),
];

fn allowed_keys() -> String {
    let mut keys = vec!["in", "reason"];
    keys.extend(ITEM_KEYS.iter().map(|(k, _)| *k));
    keys.extend(OWNER_KEYS.iter().map(|(k, _, _)| *k));
    keys.extend(["fields", "values"]);
    keys.iter()
        .map(|k| format!("`{k}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn pattern(node: &Node, what: &str, problems: &mut Vec<String>) -> Option<Pattern> {
    match node.as_str() {
        Some(s) if !s.trim().is_empty() => Some(Pattern {
            text: s.to_owned(),
            line: node.line,
            col: node.col,
        }),
        _ => {
            problems.push(format!(
                "{}: {what} must be a non-empty string, not {}",
                node.at(),
                node.describe()
            ));
            None
        }
    }
}

/// A list of patterns (a single string counts as a list of one).
fn patterns(node: &Node, key: &str, problems: &mut Vec<String>) -> Vec<Pattern> {
    let items: Vec<&Node> = match &node.kind {
        Y::Seq(items) => items.iter().collect(),
        Y::Scalar { .. } => vec![node],
        Y::Map(_) => {
            problems.push(format!(
                "{}: `{key}` must be a list of names, not a mapping",
                node.at()
            ));
            return Vec::new();
        }
    };
    if items.is_empty() {
        problems.push(format!("{}: `{key}` is empty", node.at()));
    }
    let mut out: Vec<Pattern> = Vec::new();
    for item in items {
        if let Some(p) = pattern(item, &format!("an entry of `{key}`"), problems) {
            if let Some(first) = out.iter().find(|q| q.text == p.text) {
                problems.push(format!(
                    "{}:{}: `{}` is listed twice in `{key}` (first at {}:{})",
                    p.line, p.col, p.text, first.line, first.col
                ));
            } else {
                out.push(p);
            }
        }
    }
    out
}

fn entry(node: &Node, problems: &mut Vec<String>) -> Option<Entry> {
    let Y::Map(map) = &node.kind else {
        problems.push(format!(
            "{}: an exclusion must be a mapping with `in`, `reason` and what it excludes, not {}",
            node.at(),
            node.describe()
        ));
        return None;
    };
    let before = problems.len();
    let get = |key: &str| {
        map.iter()
            .find(|(k, _)| k.as_str() == Some(key))
            .map(|(_, v)| v)
    };
    for (k, _) in map {
        let known = k.as_str().is_some_and(|k| {
            ["in", "reason", "fields", "values"].contains(&k)
                || ITEM_KEYS.iter().any(|(i, _)| *i == k)
                || OWNER_KEYS.iter().any(|(o, _, _)| *o == k)
        });
        if !known {
            problems.push(format!(
                "{}: unknown key {:?}; allowed keys: {}",
                k.at(),
                k.as_str().unwrap_or_default(),
                allowed_keys()
            ));
        }
    }
    let side = match get("in") {
        None => {
            problems.push(format!(
                "{}: missing `in` (`sdk`: the SDK has what the spec lacks; `spec`: the reverse)",
                node.at()
            ));
            None
        }
        Some(v) => match v.as_str() {
            Some("sdk") => Some(Side::Sdk),
            Some("spec") => Some(Side::Spec),
            _ => {
                problems.push(format!("{}: `in` must be `sdk` or `spec`", v.at()));
                None
            }
        },
    };
    let reason = match get("reason") {
        None => {
            problems.push(format!("{}: missing `reason`", node.at()));
            None
        }
        Some(v) => pattern(v, "`reason`", problems).map(|p| p.text.trim().to_owned()),
    };
    let mut selectors = Vec::new();
    for (key, kind) in ITEM_KEYS {
        if let Some(v) = get(key) {
            selectors.push((
                key,
                Selector::Items {
                    kind,
                    patterns: patterns(v, key, problems),
                },
            ));
        }
    }
    for (key, kind, list) in OWNER_KEYS {
        if let Some(v) = get(key) {
            let owner = pattern(v, &format!("`{key}`"), problems);
            let members = match get(list) {
                Some(l) => patterns(l, list, problems),
                None => {
                    problems.push(format!("{}: `{key}` needs `{list}`", v.at()));
                    Vec::new()
                }
            };
            if let Some(owner) = owner {
                selectors.push((
                    key,
                    Selector::Members {
                        kind,
                        owner,
                        patterns: members,
                    },
                ));
            }
        }
    }
    for list in ["fields", "values"] {
        if let Some(v) = get(list) {
            let owners: Vec<&str> = OWNER_KEYS
                .iter()
                .filter(|(_, _, l)| *l == list)
                .map(|(o, _, _)| *o)
                .collect();
            if !owners.iter().any(|o| get(o).is_some()) {
                problems.push(format!(
                    "{}: `{list}` belongs with {}",
                    v.at(),
                    owners
                        .iter()
                        .map(|o| format!("`{o}`"))
                        .collect::<Vec<_>>()
                        .join(" or ")
                ));
            }
        }
    }
    let selector = match selectors.len() {
        0 => {
            problems.push(format!(
                "{}: say what the entry excludes: one of `paths`, `models`, `enums`, `request`, `response`, `model`, `enum`",
                node.at()
            ));
            None
        }
        1 => selectors.pop().map(|(_, s)| s),
        _ => {
            problems.push(format!(
                "{}: one entry excludes one kind of thing, but this one has {}; split it",
                node.at(),
                selectors
                    .iter()
                    .map(|(k, _)| format!("`{k}`"))
                    .collect::<Vec<_>>()
                    .join(" and ")
            ));
            None
        }
    };
    if problems.len() > before {
        return None;
    }
    Some(Entry {
        line: node.line,
        side: side?,
        reason: reason?,
        selector: selector?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::drift::audit::{compare, tests as fixtures};

    #[test]
    fn globs() {
        assert!(glob(
            "/ams/api/v1/billing/*",
            "/ams/api/v1/billing/customer/create"
        ));
        assert!(!glob("/ams/api/v1/billing/*", "/ams/api/v1/billingx"));
        assert!(glob("*Request", "AlipayPayRequest"));
        assert!(glob("a*b*c", "axxbyyc"));
        assert!(!glob("a*b*c", "axxbyy"));
        assert!(glob("exact", "exact"));
        assert!(!glob("exact", "exactly"));
        assert!(!glob("ab*ba", "aba"));
    }

    fn judge(yaml: &str) -> (Vec<String>, Judgement) {
        let c = compare(&fixtures::spec(), &fixtures::inventory());
        let ex = Exclusions::parse(yaml, "exclusions.yaml").unwrap_or_else(|e| panic!("{e}"));
        let j = ex.judge(&c.differences);
        let undocumented = j
            .undocumented
            .iter()
            .map(|&i| c.differences[i].to_string())
            .collect();
        (undocumented, j)
    }

    /// The fixtures' six differences, each excluded.
    const ALL: &str = r#"
exclusions:
  - in: sdk
    paths: [/ams/api/v1/billing/*]
    reason: "family not yet in the spec: billing"
  - in: spec
    paths: [/ams/api/v1/payments/onlyInSpec]
    reason: "Java SDK only"
  - in: sdk
    request: /ams/api/v1/payments/capture
    fields: [isLastCapture]
    reason: "not yet covered"
  - in: sdk
    models: [Billing*]
    reason: "family not yet in the spec: billing"
  - in: sdk
    model: Result
    fields: [resultMessage]
    reason: "not yet covered"
  - in: spec
    enum: ResultStatus
    values: [U]
    reason: "the SDK has no U"
"#;

    #[test]
    fn excluded_differences_pass() {
        let (undocumented, j) = judge(ALL);
        assert!(undocumented.is_empty(), "{undocumented:?}");
        assert!(j.clean(), "{j:?}");
        assert_eq!(j.excluded.len(), 6);
    }

    #[test]
    fn an_undocumented_missing_field_fails() {
        let yaml = ALL.replace("fields: [isLastCapture]", "fields: [captureType]");
        let (undocumented, j) = judge(&yaml);
        assert_eq!(
            undocumented,
            ["only in the SDK:  request field `isLastCapture` of /ams/api/v1/payments/capture"]
        );
        assert!(!j.clean());
        // and the pattern that no longer matches is stale
        assert_eq!(j.stale.len(), 1);
        assert_eq!(j.stale[0].pattern.text, "captureType");
    }

    #[test]
    fn the_side_must_match() {
        let yaml = ALL.replace("  - in: spec\n    enum:", "  - in: sdk\n    enum:");
        let (undocumented, j) = judge(&yaml);
        assert_eq!(
            undocumented,
            ["only in the spec: enum value `U` of ResultStatus"]
        );
        assert_eq!(j.stale.len(), 1);
    }

    #[test]
    fn a_stale_exclusion_fails_with_its_position() {
        let yaml = format!(
            "{ALL}  - in: sdk\n    model: Amount\n    fields: [currency, gone]\n    reason: x\n"
        );
        let (undocumented, j) = judge(&yaml);
        assert!(undocumented.is_empty());
        let stale: Vec<String> = j.stale.iter().map(|s| s.to_string()).collect();
        assert_eq!(
            stale,
            [
                "26:14: `currency` (in: sdk, model fields of Amount) matches no difference: remove it",
                "26:24: `gone` (in: sdk, model fields of Amount) matches no difference: remove it"
            ]
        );
        assert!(!j.clean());
    }

    #[test]
    fn a_difference_excluded_twice_is_an_error() {
        let yaml = format!("{ALL}  - in: sdk\n    models: [BillingCustomer]\n    reason: x\n");
        let (_, j) = judge(&yaml);
        assert_eq!(j.overlaps.len(), 1);
        assert_eq!(j.overlaps[0].lines, [13, 24]);
        assert!(!j.clean());
    }

    #[test]
    fn malformed_files_report_every_problem_with_its_position() {
        let yaml = r#"
exclusions:
  - in: both
    paths: []
    reason: ""
  - in: sdk
    model: Amount
    reason: x
    wat: 1
  - in: sdk
    fields: [a]
    reason: x
  - in: sdk
    paths: [a, a]
    enums: [b]
    reason: x
  - just a string
"#;
        let e = Exclusions::parse(yaml, "spec/drift/exclusions.yaml").unwrap_err();
        let s = e.to_string();
        assert!(
            s.starts_with("spec/drift/exclusions.yaml has errors:"),
            "{s}"
        );
        for expected in [
            "3:9: `in` must be `sdk` or `spec`",
            "4:12: `paths` is empty",
            "5:13: `reason` must be a non-empty string",
            "7:12: `model` needs `fields`",
            "9:5: unknown key \"wat\"; allowed keys: `in`, `reason`, `paths`",
            "11:13: `fields` belongs with `request` or `response` or `model`",
            "14:16: `a` is listed twice in `paths` (first at 14:13)",
            "13:5: one entry excludes one kind of thing, but this one has `paths` and `enums`; split it",
            "17:5: an exclusion must be a mapping",
        ] {
            assert!(s.contains(expected), "missing {expected:?} in:\n{s}");
        }
        let e = Exclusions::parse("exclusions: [\n", "x.yaml").unwrap_err();
        assert!(e.to_string().contains("YAML syntax error"), "{e}");
        let e = Exclusions::parse("- a\n", "x.yaml").unwrap_err();
        assert!(e.to_string().contains("must be a mapping"), "{e}");
    }

    #[test]
    fn categories_are_the_text_before_the_colon() {
        let ex = Exclusions::parse(ALL, "x").unwrap();
        let cats: Vec<&str> = ex.entries.iter().map(Entry::category).collect();
        assert_eq!(
            cats,
            [
                "family not yet in the spec",
                "Java SDK only",
                "not yet covered",
                "family not yet in the spec",
                "not yet covered",
                "the SDK has no U"
            ]
        );
    }
}
