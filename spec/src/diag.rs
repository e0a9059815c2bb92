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

/// Edit distance with adjacent transpositions (optimal string alignment),
/// ASCII case-insensitive, for "did you mean" hints. Three rows of
/// `b.len() + 1` cells, so memory is linear in the shorter input's partner.
pub(crate) fn distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().map(|c| c.to_ascii_lowercase()).collect();
    let b: Vec<char> = b.chars().map(|c| c.to_ascii_lowercase()).collect();
    let w = b.len() + 1;
    let mut before: Vec<usize> = vec![0; w];
    let mut prev: Vec<usize> = (0..w).collect();
    let mut cur: Vec<usize> = vec![0; w];
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
        std::mem::swap(&mut before, &mut prev);
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

/// The closest candidate to `word`, if it is close enough to be a likely typo.
/// Names longer than [`MAX_SUGGEST_LEN`] get no suggestion, and candidates
/// whose length alone rules them out are not compared.
pub(crate) fn did_you_mean<'a, I: IntoIterator<Item = &'a str>>(
    word: &str,
    candidates: I,
) -> Option<&'a str> {
    let len = word.chars().count();
    if len > MAX_SUGGEST_LEN {
        return None;
    }
    let limit = (len / 3).max(1);
    candidates
        .into_iter()
        .filter(|c| c.chars().count().abs_diff(len) <= limit)
        .map(|c| (distance(word, c), c))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
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
