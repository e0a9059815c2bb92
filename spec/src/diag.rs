//! Diagnostics: every problem of a spec, with its position and a hint.

use std::fmt;

/// How bad a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// The spec is unusable; no IR is produced.
    Error,
    /// Suspicious but usable.
    Warning,
}

impl Severity {
    /// `error` or `warning`.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

/// One problem in a spec.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// What is wrong.
    pub message: String,
    /// Display path of the file (relative, `/`-separated).
    pub file: String,
    /// 1-based line of the offending node.
    pub line: usize,
    /// 1-based column (in characters) of the offending node.
    pub col: usize,
    /// How to fix it.
    pub hint: Option<String>,
    /// The source line at `line`, when known (for the rendered snippet).
    pub source_line: Option<String>,
    /// Length of the offending token on that line, in characters (at least 1).
    pub len: usize,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{}: {}", self.severity.as_str(), self.message)?;
        let gutter = self.line.to_string().len();
        let pad = " ".repeat(gutter);
        writeln!(f, "{pad}--> {}:{}:{}", self.file, self.line, self.col)?;
        if let Some(src) = &self.source_line {
            let src = src.replace('\t', " ");
            writeln!(f, "{pad} |")?;
            writeln!(f, "{} | {}", self.line, src.trim_end())?;
            let avail = src
                .chars()
                .count()
                .saturating_sub(self.col.saturating_sub(1));
            let len = self.len.clamp(1, avail.max(1));
            writeln!(
                f,
                "{pad} | {}{}",
                " ".repeat(self.col.saturating_sub(1)),
                "^".repeat(len)
            )?;
        }
        if let Some(hint) = &self.hint {
            writeln!(f, "{pad} = help: {hint}")?;
        }
        Ok(())
    }
}

/// Every diagnostic of a spec, sorted by file and position.
///
/// Returned as the error of [`crate::load_dir`] and [`crate::load_sources`];
/// `Display` renders them all, rustc-style, separated by blank lines.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    /// Builds a sorted collection.
    pub fn new(mut items: Vec<Diagnostic>) -> Diagnostics {
        items.sort_by(|a, b| {
            (&a.file, a.line, a.col, a.severity, &a.message)
                .cmp(&(&b.file, b.line, b.col, b.severity, &b.message))
        });
        items.dedup();
        Diagnostics { items }
    }

    /// Iterates over the diagnostics.
    pub fn iter(&self) -> std::slice::Iter<'_, Diagnostic> {
        self.items.iter()
    }

    /// Number of diagnostics.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Number of errors.
    pub fn error_count(&self) -> usize {
        self.items
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count()
    }

    /// Whether any diagnostic is an error.
    pub fn has_errors(&self) -> bool {
        self.error_count() > 0
    }

    /// The diagnostics as a slice.
    pub fn as_slice(&self) -> &[Diagnostic] {
        &self.items
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, d) in self.items.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{d}")?;
        }
        let errors = self.error_count();
        let warnings = self.items.len() - errors;
        if !self.items.is_empty() {
            writeln!(f)?;
            write!(
                f,
                "{} error{}, {} warning{}",
                errors,
                if errors == 1 { "" } else { "s" },
                warnings,
                if warnings == 1 { "" } else { "s" }
            )?;
        }
        Ok(())
    }
}

impl std::error::Error for Diagnostics {}

impl IntoIterator for Diagnostics {
    type Item = Diagnostic;
    type IntoIter = std::vec::IntoIter<Diagnostic>;
    fn into_iter(self) -> Self::IntoIter {
        self.items.into_iter()
    }
}

impl<'a> IntoIterator for &'a Diagnostics {
    type Item = &'a Diagnostic;
    type IntoIter = std::slice::Iter<'a, Diagnostic>;
    fn into_iter(self) -> Self::IntoIter {
        self.items.iter()
    }
}

/// Longest name (in characters) that "did you mean" compares: spec names are
/// short, and the bound keeps every comparison O(64 × 64) whatever a file
/// holds.
const MAX_SUGGEST_LEN: usize = 64;

/// [`osa`] of two strings, ASCII case-insensitive.
#[cfg(test)]
fn distance(a: &str, b: &str) -> usize {
    let (mut a_buf, mut b_buf) = (Vec::new(), Vec::new());
    osa(
        lower(a, &mut a_buf),
        lower(b, &mut b_buf),
        &mut Rows::default(),
    )
}

/// `s` in ASCII lowercase, one `char` per element, in `buf`.
fn lower<'b>(s: &str, buf: &'b mut Vec<char>) -> &'b [char] {
    buf.clear();
    buf.extend(s.chars().map(|c| c.to_ascii_lowercase()));
    buf
}

/// The three rows of [`osa`], kept from one comparison to the next so that a
/// search allocates once, not once per candidate.
#[derive(Default)]
struct Rows {
    before: Vec<usize>,
    prev: Vec<usize>,
    cur: Vec<usize>,
}

/// Edit distance with adjacent transpositions (optimal string alignment),
/// for "did you mean" hints; [`lower`] makes it case-insensitive. Three rows
/// of `b.len() + 1` cells, so memory is linear in the shorter input's partner.
fn osa(a: &[char], b: &[char], rows: &mut Rows) -> usize {
    let Rows { before, prev, cur } = rows;
    let w = b.len() + 1;
    before.clear();
    before.resize(w, 0);
    prev.clear();
    prev.extend(0..w);
    cur.clear();
    cur.resize(w, 0);
    for i in 1..=a.len() {
        cur[0] = i;
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(before[j - 2] + 1);
            }
            cur[j] = v;
        }
        std::mem::swap(before, prev);
        std::mem::swap(prev, cur);
    }
    prev[b.len()]
}

/// The closest candidate to `word`, if it is close enough to be a likely typo.
/// Names longer than [`MAX_SUGGEST_LEN`] get no suggestion, and candidates
/// whose length alone rules them out are not compared.
///
/// For a small fixed set of candidates (the keys of a struct, the variants of
/// an enum). Against the names of a spec, use [`SuggestBudget::did_you_mean`].
/// How many names a hint lists before it says how many more there are, so
/// that a hint stays short however large the spec (and the total size of the
/// diagnostics stays linear in the number of errors).
pub(crate) const LISTED_NAMES: usize = 24;

/// `` `a`, `b`, `c` `` for a hint: the first [`LISTED_NAMES`] of `names`,
/// then `and N more` when there are `total` in all. Only the listed names
/// are read, so the cost does not grow with `total`.
pub(crate) fn name_list<'a>(names: impl IntoIterator<Item = &'a str>, total: usize) -> String {
    let mut out = String::new();
    let mut listed = 0usize;
    for name in names.into_iter().take(LISTED_NAMES) {
        if listed > 0 {
            out.push_str(", ");
        }
        out.push('`');
        out.push_str(name);
        out.push('`');
        listed += 1;
    }
    if total > listed {
        out.push_str(&format!(" and {} more", total - listed));
    }
    out
}

pub(crate) fn did_you_mean<'a, I: IntoIterator<Item = &'a str>>(
    word: &str,
    candidates: I,
) -> Option<&'a str> {
    let mut unbounded = usize::MAX;
    closest(word, candidates, &mut unbounded)
}

/// [`did_you_mean`], spending at most `budget` units of work: one per
/// candidate plus one per edit-distance cell. `None` when the budget does not
/// cover the whole search (a partial search could miss the closest name).
fn closest<'a, I: IntoIterator<Item = &'a str>>(
    word: &str,
    candidates: I,
    budget: &mut usize,
) -> Option<&'a str> {
    let len = word.chars().count();
    if len > MAX_SUGGEST_LEN {
        return None;
    }
    let limit = (len / 3).max(1);
    let mut word_buf = Vec::with_capacity(len);
    let word = lower(word, &mut word_buf);
    let (mut cand_buf, mut rows) = (Vec::new(), Rows::default());
    let mut best: Option<(usize, &str)> = None;
    for c in candidates {
        // Counting stops past the longest length that can still match.
        let clen = c.chars().take(len + limit + 1).count();
        let fits = clen.abs_diff(len) <= limit;
        let cost = if fits { 1 + len * clen } else { 1 };
        let Some(left) = budget.checked_sub(cost) else {
            *budget = 0;
            return None;
        };
        *budget = left;
        if !fits {
            continue;
        }
        let d = osa(word, lower(c, &mut cand_buf), &mut rows);
        if d <= limit && best.is_none_or(|(b, _)| d < b) {
            best = Some((d, c));
        }
    }
    best.map(|(_, c)| c)
}

/// "Did you mean" work allowed per byte of input, on top of
/// [`SUGGEST_BUDGET_MIN`].
const SUGGEST_BUDGET_PER_BYTE: usize = 8;

/// "Did you mean" work allowed whatever the input's size.
const SUGGEST_BUDGET_MIN: usize = 1 << 22;

/// Bounds the total "did you mean" work of one load when the candidates are
/// the names a spec defines. One search costs time proportional to the
/// number of names, so a spec with as many misspelled references as names
/// would cost time quadratic in its size; with the budget, the total stays
/// linear in the input, and once it is spent, later searches suggest nothing.
/// A real spec spends a small fraction of it.
#[derive(Debug)]
pub(crate) struct SuggestBudget {
    left: usize,
}

impl SuggestBudget {
    /// A budget for an input of `input_len` bytes.
    pub fn new(input_len: usize) -> Self {
        SuggestBudget {
            left: input_len
                .saturating_mul(SUGGEST_BUDGET_PER_BYTE)
                .saturating_add(SUGGEST_BUDGET_MIN),
        }
    }

    /// [`did_you_mean`], paid from the budget.
    pub fn did_you_mean<'a, I: IntoIterator<Item = &'a str>>(
        &mut self,
        word: &str,
        candidates: I,
    ) -> Option<&'a str> {
        closest(word, candidates, &mut self.left)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edit_distance_counts_transpositions_once() {
        assert_eq!(distance("nmae", "name"), 1);
        assert_eq!(distance("reqeust", "request"), 1);
        assert_eq!(distance("resultcodes", "resultCodes"), 0);
        assert_eq!(distance("", "abc"), 3);
        assert_eq!(did_you_mean("valeus", ["doc", "values"]), Some("values"));
        assert_eq!(did_you_mean("colour", ["doc", "values"]), None);
        assert_eq!(distance("abcdef", "badcfe"), 3);
        assert_eq!(distance("kitten", "sitting"), 3);
    }

    #[test]
    fn huge_names_get_no_suggestion_and_cost_nothing() {
        let huge = "x".repeat(25_000);
        assert_eq!(did_you_mean(&huge, ["request", huge.as_str()]), None);
        assert_eq!(
            did_you_mean("request", [huge.as_str(), "reqeust"]),
            Some("reqeust")
        );
    }

    #[test]
    fn a_spent_budget_suggests_nothing() {
        let mut budget = SuggestBudget { left: 1 + 7 * 7 };
        assert_eq!(budget.did_you_mean("reqeust", ["request"]), Some("request"));
        assert_eq!(budget.left, 0);
        assert_eq!(budget.did_you_mean("reqeust", ["request"]), None);
        let mut budget = SuggestBudget {
            left: 1 + 7 * 8 + 1,
        };
        // The closest name is last: a search cut short suggests nothing.
        assert_eq!(
            budget.did_you_mean("reqeust", ["requests", "request"]),
            None
        );
        // Candidates ruled out by length cost one unit each, however long.
        let huge = "x".repeat(25_000);
        let mut budget = SuggestBudget { left: 3 };
        assert_eq!(budget.did_you_mean("reqeust", [huge.as_str(); 3]), None);
        assert_eq!(budget.left, 0);
    }

    #[test]
    fn the_closest_name_wins_and_ties_go_to_the_first() {
        assert_eq!(did_you_mean("cat", ["bat", "hat", "cat"]), Some("cat"));
        assert_eq!(did_you_mean("cat", ["bat", "hat"]), Some("bat"));
    }

    #[test]
    fn rendering_clamps_the_caret_to_the_line() {
        let d = Diagnostic {
            severity: Severity::Error,
            message: "m".into(),
            file: "f.yaml".into(),
            line: 12,
            col: 3,
            hint: Some("h".into()),
            source_line: Some("ab\tcd".into()),
            len: 99,
        };
        assert_eq!(
            d.to_string(),
            "error: m\n  --> f.yaml:12:3\n   |\n12 | ab cd\n   |   ^^^\n   = help: h\n"
        );
    }
}
