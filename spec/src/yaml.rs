//! A small spanned YAML tree built from `saphyr-parser` events.

use std::collections::HashMap;

use saphyr_parser::{Event, Parser, ScalarStyle, Span};

/// A position in a source file: 1-based line and column (in characters).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub(crate) struct Pos {
    pub line: usize,
    pub col: usize,
    /// Length of the marked token in characters when it fits on the line (at least 1).
    pub len: usize,
}

impl Pos {
    fn from_span(span: &Span) -> Pos {
        let start = span.start;
        let end = span.end;
        let len = if end.line() == start.line() && end.index() > start.index() {
            end.index() - start.index()
        } else {
            1
        };
        Pos {
            line: start.line().max(1),
            col: start.col() + 1,
            len,
        }
    }
}

/// A YAML node with its position.
#[derive(Debug, Clone)]
pub(crate) struct Node {
    pub kind: Kind,
    pub pos: Pos,
}

/// The shape of a node.
#[derive(Debug, Clone)]
pub(crate) enum Kind {
    /// A scalar; `plain` is false for quoted and block scalars.
    Scalar {
        value: String,
        plain: bool,
    },
    Seq(Vec<Node>),
    /// Entries in source order (keys are unique: duplicates are syntax errors).
    Map(Mapping),
}

/// The entries of a mapping in source order, indexed by key text so that
/// finding a key (for duplicates while parsing, for positions while
/// reporting) takes constant time whatever the size of the mapping.
#[derive(Debug, Clone, Default)]
pub(crate) struct Mapping {
    entries: Vec<(Node, Node)>,
    /// Position in `entries` of each scalar key, by its text. Keys that are
    /// lists or mappings are not indexed: they never equal another key.
    index: HashMap<String, usize>,
}

impl Mapping {
    /// The entries, in source order.
    pub fn entries(&self) -> &[(Node, Node)] {
        &self.entries
    }

    /// The entry whose key is the scalar `key` (quoted or not).
    pub fn get(&self, key: &str) -> Option<&(Node, Node)> {
        self.index.get(key).map(|&i| &self.entries[i])
    }

    /// Appends an entry; the caller has checked that its key is new.
    fn push(&mut self, key: Node, value: Node) {
        if let Some(k) = key.as_str() {
            self.index.insert(k.to_owned(), self.entries.len());
        }
        self.entries.push((key, value));
    }
}

impl Node {
    /// Whether this is a null scalar (`~`, `null`, empty).
    pub fn is_null(&self) -> bool {
        match &self.kind {
            Kind::Scalar { value, plain } => {
                *plain && matches!(value.as_str(), "" | "~" | "null" | "Null" | "NULL")
            }
            _ => false,
        }
    }

    /// The scalar text, if this is a scalar.
    pub fn as_str(&self) -> Option<&str> {
        match &self.kind {
            Kind::Scalar { value, .. } => Some(value),
            _ => None,
        }
    }

    /// A short description of the node's kind, for messages.
    pub fn describe(&self) -> String {
        match &self.kind {
            Kind::Scalar { value, plain } => {
                if self.is_null() {
                    "null (an empty value)".to_owned()
                } else if *plain && (value == "true" || value == "false") {
                    format!("boolean `{value}`")
                } else if *plain && value.parse::<f64>().is_ok() {
                    format!("number `{value}`")
                } else {
                    format!("string {:?}", truncate(value, 40))
                }
            }
            Kind::Seq(_) => "a list".to_owned(),
            Kind::Map(_) => "a mapping".to_owned(),
        }
    }
}

pub(crate) fn truncate(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_owned()
    } else {
        let mut out: String = s.chars().take(max).collect();
        out.push('…');
        out
    }
}

/// A YAML-level problem (syntax, duplicate key, ...).
#[derive(Debug)]
pub(crate) struct YamlError {
    pub pos: Pos,
    pub message: String,
    pub hint: String,
}

/// Upper bound on nodes per file (guards against alias expansion bombs).
/// Deepest nesting of sequences and mappings accepted. The spec's own
/// deepest structure is a handful of levels; the limit keeps the tree, and
/// everything that walks it recursively (drop, the deserializer), far from
/// the stack's end whatever a file holds.
pub(crate) const MAX_DEPTH: usize = 64;

const MAX_NODES: usize = 250_000;

/// Parses one YAML document into a [`Node`]. An empty file is an empty mapping.
///
/// Returns every duplicate-key error found, or the first syntax error (after
/// which the parser cannot go on).
pub(crate) fn parse(src: &str) -> Result<Node, Vec<YamlError>> {
    let mut parser = Parser::new_from_str(src);
    let mut stack: Vec<Frame> = Vec::new();
    let mut anchors: HashMap<usize, Node> = HashMap::new();
    let mut root: Option<Node> = None;
    let mut errors = Vec::new();
    let mut docs = 0usize;
    let mut nodes = 0usize;
    while let Some(ev) = parser.next_event() {
        let (ev, span) = match ev {
            Ok(x) => x,
            Err(e) => {
                let m = e.marker();
                let msg = e.info().to_owned();
                errors.push(YamlError {
                    pos: Pos {
                        line: m.line().max(1),
                        col: m.col() + 1,
                        len: 1,
                    },
                    message: format!("YAML syntax error: {msg}"),
                    hint: syntax_hint(&msg),
                });
                return Err(errors);
            }
        };
        let pos = Pos::from_span(&span);
        let done: Option<(Node, usize)> = match ev {
            Event::StreamStart | Event::StreamEnd | Event::DocumentEnd | Event::Nothing => None,
            Event::DocumentStart(_) => {
                docs += 1;
                if docs > 1 {
                    errors.push(YamlError {
                        pos,
                        message: "a spec file holds a single YAML document".to_owned(),
                        hint:
                            "remove the `---` separator or move the second document to its own file"
                                .to_owned(),
                    });
                    return Err(errors);
                }
                None
            }
            Event::Alias(id) => match anchors.get(&id) {
                Some(n) => {
                    nodes += count(n);
                    Some((n.clone(), 0))
                }
                None => {
                    errors.push(YamlError {
                        pos,
                        message: "alias to an unknown anchor".to_owned(),
                        hint: "define the anchor (`&name`) before using it (`*name`)".to_owned(),
                    });
                    return Err(errors);
                }
            },
            Event::Scalar(value, style, anchor, _tag) => Some((
                Node {
                    kind: Kind::Scalar {
                        value: value.into_owned(),
                        plain: matches!(style, ScalarStyle::Plain),
                    },
                    pos,
                },
                anchor,
            )),
            Event::SequenceStart(..) | Event::MappingStart(..) if stack.len() >= MAX_DEPTH => {
                errors.push(YamlError {
                    pos,
                    message: format!("nesting deeper than {MAX_DEPTH} levels"),
                    hint: "a spec never nests this deep: look for unbalanced `[` or `{`, or flatten the structure".to_owned(),
                });
                return Err(errors);
            }
            Event::SequenceStart(anchor, _) => {
                stack.push(Frame::Seq {
                    pos,
                    anchor,
                    items: Vec::new(),
                });
                None
            }
            Event::MappingStart(anchor, _) => {
                stack.push(Frame::Map {
                    pos,
                    anchor,
                    entries: Mapping::default(),
                    key: None,
                });
                None
            }
            Event::SequenceEnd => match stack.pop() {
                Some(Frame::Seq { pos, anchor, items }) => Some((
                    Node {
                        kind: Kind::Seq(items),
                        pos,
                    },
                    anchor,
                )),
                _ => return Err(internal(pos, errors)),
            },
            Event::MappingEnd => match stack.pop() {
                Some(Frame::Map {
                    pos,
                    anchor,
                    entries,
                    ..
                }) => Some((
                    Node {
                        kind: Kind::Map(entries),
                        pos,
                    },
                    anchor,
                )),
                _ => return Err(internal(pos, errors)),
            },
        };
        let Some((node, anchor)) = done else {
            continue;
        };
        nodes += 1;
        if nodes > MAX_NODES {
            errors.push(YamlError {
                pos,
                message: "the document is too large (too many nodes after alias expansion)"
                    .to_owned(),
                hint: "split the file, and do not nest aliases".to_owned(),
            });
            return Err(errors);
        }
        if anchor != 0 {
            anchors.insert(anchor, node.clone());
        }
        match stack.last_mut() {
            None => root = Some(node),
            Some(Frame::Seq { items, .. }) => items.push(node),
            Some(Frame::Map { entries, key, .. }) => match key.take() {
                None => *key = Some(node),
                Some(k) => match k.as_str().and_then(|s| Some((s, entries.get(s)?))) {
                    Some((s, (first, _))) => errors.push(YamlError {
                        pos: k.pos,
                        message: format!("duplicate key `{s}` in this mapping"),
                        hint: format!(
                            "the key is first defined at line {}, column {}; names must be unique",
                            first.pos.line, first.pos.col
                        ),
                    }),
                    None => entries.push(k, node),
                },
            },
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(root.unwrap_or(Node {
        kind: Kind::Map(Mapping::default()),
        pos: Pos {
            line: 1,
            col: 1,
            len: 1,
        },
    }))
}

fn count(n: &Node) -> usize {
    match &n.kind {
        Kind::Scalar { .. } => 1,
        Kind::Seq(items) => 1 + items.iter().map(count).sum::<usize>(),
        Kind::Map(map) => {
            1 + map
                .entries()
                .iter()
                .map(|(k, v)| count(k) + count(v))
                .sum::<usize>()
        }
    }
}

fn internal(pos: Pos, mut errors: Vec<YamlError>) -> Vec<YamlError> {
    errors.push(YamlError {
        pos,
        message: "YAML syntax error: unbalanced collection".to_owned(),
        hint: "check the indentation and the brackets around this position".to_owned(),
    });
    errors
}

fn syntax_hint(msg: &str) -> String {
    if msg.contains("tab") {
        "YAML indentation uses spaces, not tabs".to_owned()
    } else if msg.contains("mapping values are not allowed") {
        "quote values that contain `: ` (for example `doc: \"a: b\"`), or fix the indentation"
            .to_owned()
    } else {
        "check the indentation, quoting and brackets near this position".to_owned()
    }
}

enum Frame {
    Seq {
        pos: Pos,
        anchor: usize,
        items: Vec<Node>,
    },
    Map {
        pos: Pos,
        anchor: usize,
        entries: Mapping,
        key: Option<Node>,
    },
}
