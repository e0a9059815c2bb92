//! A small YAML tree with positions, built from `saphyr-parser` events, for
//! the exclusions file.

use saphyr_parser::{Event, Parser, Span};

/// A node and where it starts (1-based line and column).
#[derive(Debug, Clone)]
pub struct Node {
    pub kind: Kind,
    pub line: usize,
    pub col: usize,
}

/// The shape of a node.
#[derive(Debug, Clone)]
pub enum Kind {
    /// A scalar's text (`plain` is false when quoted or a block scalar).
    Scalar {
        value: String,
        plain: bool,
    },
    Seq(Vec<Node>),
    /// Entries in source order.
    Map(Vec<(Node, Node)>),
}

impl Node {
    /// The scalar text, if this is a scalar.
    pub fn as_str(&self) -> Option<&str> {
        match &self.kind {
            Kind::Scalar { value, .. } => Some(value),
            _ => None,
        }
    }

    /// `line:col`.
    pub fn at(&self) -> String {
        format!("{}:{}", self.line, self.col)
    }

    /// What kind of node this is, for messages.
    pub fn describe(&self) -> &'static str {
        match &self.kind {
            Kind::Scalar { value, plain }
                if *plain && (value.is_empty() || value == "~" || value == "null") =>
            {
                "an empty value"
            }
            Kind::Scalar { .. } => "a string",
            Kind::Seq(_) => "a list",
            Kind::Map(_) => "a mapping",
        }
    }
}

/// Deepest nesting accepted (the exclusions file needs three levels).
const MAX_DEPTH: usize = 16;

enum Frame {
    Seq {
        line: usize,
        col: usize,
        items: Vec<Node>,
    },
    Map {
        line: usize,
        col: usize,
        entries: Vec<(Node, Node)>,
        key: Option<Node>,
    },
}

fn position(span: &Span) -> (usize, usize) {
    (span.start.line().max(1), span.start.col() + 1)
}

/// Parses one YAML document. An empty file is an empty mapping. Anchors and
/// aliases are refused (the file is a flat list); so are duplicate keys.
pub fn parse(src: &str) -> Result<Node, (usize, usize, String)> {
    let mut parser = Parser::new_from_str(src);
    let mut stack: Vec<Frame> = Vec::new();
    let mut root = None;
    while let Some(ev) = parser.next_event() {
        let (ev, span) = ev.map_err(|e| {
            let m = e.marker();
            (
                m.line().max(1),
                m.col() + 1,
                format!("YAML syntax error: {}", e.info()),
            )
        })?;
        let (line, col) = position(&span);
        let node = match ev {
            Event::StreamStart
            | Event::StreamEnd
            | Event::DocumentStart(_)
            | Event::DocumentEnd
            | Event::Nothing => continue,
            Event::Alias(_) => {
                return Err((line, col, "aliases (`*name`) are not supported here".into()))
            }
            Event::Scalar(value, style, anchor, _) => {
                if anchor != 0 {
                    return Err((line, col, "anchors (`&name`) are not supported here".into()));
                }
                Node {
                    kind: Kind::Scalar {
                        value: value.into_owned(),
                        plain: matches!(style, saphyr_parser::ScalarStyle::Plain),
                    },
                    line,
                    col,
                }
            }
            Event::SequenceStart(anchor, _) | Event::MappingStart(anchor, _) => {
                if anchor != 0 {
                    return Err((line, col, "anchors (`&name`) are not supported here".into()));
                }
                if stack.len() >= MAX_DEPTH {
                    return Err((line, col, format!("nesting deeper than {MAX_DEPTH} levels")));
                }
                stack.push(if matches!(ev, Event::SequenceStart(..)) {
                    Frame::Seq {
                        line,
                        col,
                        items: Vec::new(),
                    }
                } else {
                    Frame::Map {
                        line,
                        col,
                        entries: Vec::new(),
                        key: None,
                    }
                });
                continue;
            }
            Event::SequenceEnd | Event::MappingEnd => match stack.pop() {
                Some(Frame::Seq { line, col, items }) => Node {
                    kind: Kind::Seq(items),
                    line,
                    col,
                },
                Some(Frame::Map {
                    line,
                    col,
                    entries,
                    key: None,
                }) => Node {
                    kind: Kind::Map(entries),
                    line,
                    col,
                },
                Some(Frame::Map { key: Some(k), .. }) => {
                    return Err((k.line, k.col, "a key without a value".into()))
                }
                None => return Err((line, col, "YAML syntax error: unbalanced collection".into())),
            },
        };
        match stack.last_mut() {
            None => root = Some(node),
            Some(Frame::Seq { items, .. }) => items.push(node),
            Some(Frame::Map { entries, key, .. }) => match key.take() {
                None => *key = Some(node),
                Some(k) => {
                    if let Some((first, _)) = entries
                        .iter()
                        .find(|(e, _)| e.as_str().is_some() && e.as_str() == k.as_str())
                    {
                        return Err((
                            k.line,
                            k.col,
                            format!(
                                "duplicate key `{}` (first at {})",
                                k.as_str().unwrap_or_default(),
                                first.at()
                            ),
                        ));
                    }
                    entries.push((k, node));
                }
            },
        }
    }
    Ok(root.unwrap_or(Node {
        kind: Kind::Map(Vec::new()),
        line: 1,
        col: 1,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_and_shapes() {
        let n = parse("a:\n  - x\n  - 'y'\nb: {c: d}\n").unwrap();
        let Kind::Map(entries) = &n.kind else {
            panic!("not a map")
        };
        assert_eq!(entries.len(), 2);
        assert_eq!(entries[1].0.at(), "4:1");
        let Kind::Seq(items) = &entries[0].1.kind else {
            panic!("not a seq")
        };
        assert_eq!(items[1].as_str(), Some("y"));
        assert_eq!(items[1].at(), "3:5");
    }

    #[test]
    fn errors_have_positions() {
        let (line, _, msg) = parse("a: 1\na: 2\n").unwrap_err();
        assert_eq!(line, 2);
        assert!(msg.contains("duplicate key `a`"), "{msg}");
        let (line, _, msg) = parse("a: [1\nb: 2\n").unwrap_err();
        assert!(line >= 1 && msg.starts_with("YAML syntax error"), "{msg}");
        assert!(parse("a: &x 1\nb: *x\n").is_err());
    }
}
