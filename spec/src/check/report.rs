//! The diagnostic context: the loaded sources, paths into their YAML trees, and
//! diagnostics placed at the positions those paths resolve to.

use crate::diag::{Diagnostic, Severity, SuggestBudget};
use crate::format as f;
use crate::yaml::{Kind, Node, Pos};

/// One step of a path into a file's YAML tree.
#[derive(Debug, Clone, Copy)]
pub(super) enum Seg<'a> {
    /// A mapping key.
    K(&'a str),
    /// A list index.
    I(usize),
}

impl<'a> From<&'a str> for Seg<'a> {
    fn from(s: &'a str) -> Self {
        Seg::K(s)
    }
}

impl<'a> From<&'a String> for Seg<'a> {
    fn from(s: &'a String) -> Self {
        Seg::K(s)
    }
}

impl From<usize> for Seg<'_> {
    fn from(i: usize) -> Self {
        Seg::I(i)
    }
}

macro_rules! p {
    ($($s:expr),* $(,)?) => { &[$(Seg::from($s)),*][..] };
}
pub(super) use p;

/// One loaded file.
pub(crate) struct Source<'a> {
    pub path: &'a str,
    pub text: &'a str,
    pub root: Option<Node>,
    pub file: Option<f::SpecFile>,
}

/// Finds the node at `path` (or its deepest existing ancestor). With `key`,
/// the position of the last mapping key instead of its value.
fn locate(root: &Node, path: &[Seg<'_>], key: bool) -> Pos {
    let mut node = root;
    for (i, seg) in path.iter().enumerate() {
        let last = i + 1 == path.len();
        match (&node.kind, seg) {
            (Kind::Map(map), Seg::K(k)) => match map.get(k) {
                Some((kn, vn)) => {
                    if last && key {
                        return kn.pos;
                    }
                    node = vn;
                }
                None => return node.pos,
            },
            (Kind::Seq(items), Seg::I(i)) => match items.get(*i) {
                Some(n) => node = n,
                None => return node.pos,
            },
            _ => return node.pos,
        }
    }
    node.pos
}

/// Collects diagnostics, resolving positions through the sources' trees.
pub(crate) struct Report<'s> {
    sources: &'s [Source<'s>],
    /// The lines of each source (as `str::lines` splits them), split once so
    /// that quoting a diagnostic's line costs nothing.
    lines: Vec<Vec<&'s str>>,
    /// Bounds the "did you mean" searches among the spec's own names.
    suggest: SuggestBudget,
    pub diags: Vec<Diagnostic>,
}

impl<'s> Report<'s> {
    pub fn new(sources: &'s [Source<'s>]) -> Self {
        Report {
            sources,
            lines: sources.iter().map(|s| s.text.lines().collect()).collect(),
            suggest: SuggestBudget::new(sources.iter().map(|s| s.text.len()).sum()),
            diags: Vec::new(),
        }
    }

    /// Adds a diagnostic at an explicit position.
    pub fn at_pos(
        &mut self,
        severity: Severity,
        file: usize,
        pos: Pos,
        message: String,
        hint: Option<String>,
    ) {
        let src = &self.sources[file];
        let line = pos.line.max(1);
        let source_line = self.lines[file].get(line - 1).map(|l| (*l).to_owned());
        self.diags.push(Diagnostic {
            severity,
            message,
            file: src.path.to_owned(),
            line,
            col: pos.col.max(1),
            hint,
            source_line,
            len: pos.len.max(1),
        });
    }

    pub(super) fn pos(&self, file: usize, path: &[Seg<'_>], key: bool) -> Pos {
        match &self.sources[file].root {
            Some(root) => locate(root, path, key),
            None => Pos {
                line: 1,
                col: 1,
                len: 1,
            },
        }
    }

    /// An error at the value at `path`.
    pub(super) fn err(
        &mut self,
        file: usize,
        path: &[Seg<'_>],
        message: String,
        hint: impl Into<String>,
    ) {
        let pos = self.pos(file, path, false);
        self.at_pos(Severity::Error, file, pos, message, Some(hint.into()));
    }

    /// An error at the key of the entry at `path`.
    pub(super) fn err_key(
        &mut self,
        file: usize,
        path: &[Seg<'_>],
        message: String,
        hint: impl Into<String>,
    ) {
        let pos = self.pos(file, path, true);
        self.at_pos(Severity::Error, file, pos, message, Some(hint.into()));
    }

    /// The closest of the spec's `names` to `word`, for "did you mean" hints.
    pub(super) fn did_you_mean<'a>(
        &mut self,
        word: &str,
        names: impl IntoIterator<Item = &'a str>,
    ) -> Option<&'a str> {
        self.suggest.did_you_mean(word, names)
    }

    /// `file:line:col` of the key at `path`, for "first defined at" hints.
    pub(super) fn where_key(&self, file: usize, path: &[Seg<'_>]) -> String {
        let pos = self.pos(file, path, true);
        format!("{}:{}:{}", self.sources[file].path, pos.line, pos.col)
    }

    pub(super) fn non_empty(&mut self, file: usize, path: &[Seg<'_>], what: &str, value: &str) {
        if value.trim().is_empty() {
            self.err(
                file,
                path,
                format!("{what} is empty"),
                "write a non-empty text",
            );
        }
    }

    pub(super) fn text(&mut self, file: usize, path: &[Seg<'_>], what: &str, t: &f::Text) {
        for (lang, v) in [("en", &t.en), ("zh", &t.zh)] {
            if v.trim().is_empty() {
                let mut pp = path.to_vec();
                pp.push(Seg::K(lang));
                self.err(
                    file,
                    &pp,
                    format!("{what} has an empty `{lang}` text"),
                    "both the English and the Chinese text are required",
                );
            }
        }
    }
}
