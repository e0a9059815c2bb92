//! A lexical reading of Python source: logical lines of tokens, and the
//! classes and methods they form by indentation.
//!
//! This is not a Python parser. It knows exactly what the SDK's code needs:
//! strings (every prefix and quote form, so a `#` or a bracket inside one is
//! text), comments, bracket continuation (a call spread over several lines is
//! one logical line), backslash continuation, and indentation. Everything
//! else is a token, and the extractor matches token patterns.

/// One token of a logical line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Tok {
    /// A name (keywords included).
    Ident(String),
    /// A string literal's value; adjacent literals are concatenated, as in
    /// Python.
    Str(String),
    /// A number, as written.
    Num(String),
    /// An operator or delimiter (`==` and the augmented assignments are one
    /// token, so a lone `=` is always an assignment).
    Punct(String),
}

impl Tok {
    /// Whether this is the name `name`.
    pub fn is_ident(&self, name: &str) -> bool {
        matches!(self, Tok::Ident(s) if s == name)
    }

    /// Whether this is the delimiter or operator `p`.
    pub fn is_punct(&self, p: &str) -> bool {
        matches!(self, Tok::Punct(s) if s == p)
    }

    /// The name, if this is one.
    pub fn ident(&self) -> Option<&str> {
        match self {
            Tok::Ident(s) => Some(s),
            _ => None,
        }
    }

    /// The string value, if this is a string literal.
    pub fn str(&self) -> Option<&str> {
        match self {
            Tok::Str(s) => Some(s),
            _ => None,
        }
    }
}

/// A logical line: its indentation (in columns, a tab counting to the next
/// multiple of 8), its first physical line (1-based) and its tokens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    /// Indentation of the first physical line.
    pub indent: usize,
    /// 1-based number of the first physical line.
    pub number: usize,
    /// The tokens, comments removed.
    pub toks: Vec<Tok>,
}

impl Line {
    /// Whether the line starts with the names `words`, in order.
    pub fn starts_with_idents(&self, words: &[&str]) -> bool {
        words.len() <= self.toks.len() && words.iter().zip(&self.toks).all(|(w, t)| t.is_ident(w))
    }
}

/// Splits `src` into logical lines. Blank and comment-only lines are
/// dropped. The reading never fails: an unterminated string or bracket ends
/// at the end of the file.
pub fn logical_lines(src: &str) -> Vec<Line> {
    Lexer {
        chars: src.chars().collect(),
        pos: 0,
        line: 1,
    }
    .run()
}

struct Lexer {
    chars: Vec<char>,
    pos: usize,
    line: usize,
}

impl Lexer {
    fn peek(&self, ahead: usize) -> Option<char> {
        self.chars.get(self.pos + ahead).copied()
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.chars.get(self.pos).copied()?;
        self.pos += 1;
        if c == '\n' {
            self.line += 1;
        }
        Some(c)
    }

    fn run(mut self) -> Vec<Line> {
        let mut out = Vec::new();
        while self.pos < self.chars.len() {
            // Indentation of a new logical line.
            let mut indent = 0;
            while let Some(c) = self.peek(0) {
                match c {
                    ' ' => indent += 1,
                    '\t' => indent = (indent / 8 + 1) * 8,
                    '\x0c' => indent = 0,
                    _ => break,
                }
                self.bump();
            }
            let number = self.line;
            let toks = self.logical_line();
            if !toks.is_empty() {
                out.push(Line {
                    indent,
                    number,
                    toks,
                });
            }
        }
        out
    }

    /// The tokens up to the end of the logical line (the newline is consumed).
    fn logical_line(&mut self) -> Vec<Tok> {
        let mut toks: Vec<Tok> = Vec::new();
        let mut depth = 0usize;
        while let Some(c) = self.peek(0) {
            match c {
                '\n' => {
                    self.bump();
                    if depth == 0 {
                        break;
                    }
                }
                '\r' | ' ' | '\t' | '\x0c' => {
                    self.bump();
                }
                '#' => {
                    while self.peek(0).is_some_and(|c| c != '\n') {
                        self.bump();
                    }
                }
                '\\' if matches!(self.peek(1), Some('\n')) => {
                    self.bump();
                    self.bump();
                }
                '\\' if self.peek(1) == Some('\r') && self.peek(2) == Some('\n') => {
                    self.bump();
                    self.bump();
                    self.bump();
                }
                '"' | '\'' => {
                    let s = self.string(false);
                    push_str(&mut toks, s);
                }
                c if c.is_ascii_digit()
                    || (c == '.' && self.peek(1).is_some_and(|d| d.is_ascii_digit())) =>
                {
                    let mut n = String::new();
                    while let Some(d) = self.peek(0) {
                        if d.is_alphanumeric() || d == '.' || d == '_' {
                            n.push(d);
                            self.bump();
                        } else {
                            break;
                        }
                    }
                    toks.push(Tok::Num(n));
                }
                c if c == '_' || c.is_alphabetic() => {
                    let mut name = String::new();
                    while let Some(d) = self.peek(0) {
                        if d == '_' || d.is_alphanumeric() {
                            name.push(d);
                            self.bump();
                        } else {
                            break;
                        }
                    }
                    let is_prefix = name.len() <= 2
                        && name
                            .chars()
                            .all(|p| matches!(p.to_ascii_lowercase(), 'r' | 'b' | 'u' | 'f'));
                    if is_prefix && matches!(self.peek(0), Some('"' | '\'')) {
                        let raw = name.to_ascii_lowercase().contains('r');
                        let s = self.string(raw);
                        push_str(&mut toks, s);
                    } else {
                        toks.push(Tok::Ident(name));
                    }
                }
                _ => {
                    self.bump();
                    let two: String = [c, self.peek(0).unwrap_or(' ')].iter().collect();
                    const TWO: [&str; 14] = [
                        "==", "!=", "<=", ">=", "->", ":=", "+=", "-=", "*=", "/=", "%=", "**",
                        "//", "|=",
                    ];
                    if TWO.contains(&two.as_str()) {
                        self.bump();
                        toks.push(Tok::Punct(two));
                    } else {
                        match c {
                            '(' | '[' | '{' => depth += 1,
                            ')' | ']' | '}' => depth = depth.saturating_sub(1),
                            _ => {}
                        }
                        toks.push(Tok::Punct(c.to_string()));
                    }
                }
            }
        }
        toks
    }

    /// A string literal starting at the opening quote. Escapes are decoded
    /// for the common cases (`\\`, quotes, `\n`, `\t`); others are kept as
    /// written. A single-quoted string ends at an unescaped newline.
    fn string(&mut self, raw: bool) -> String {
        let quote = self.bump().unwrap_or('"');
        let triple = self.peek(0) == Some(quote) && self.peek(1) == Some(quote);
        if triple {
            self.bump();
            self.bump();
        } else if self.peek(0) == Some(quote) {
            self.bump();
            return String::new();
        }
        let mut s = String::new();
        while let Some(c) = self.peek(0) {
            if c == quote {
                if !triple {
                    self.bump();
                    return s;
                }
                if self.peek(1) == Some(quote) && self.peek(2) == Some(quote) {
                    self.bump();
                    self.bump();
                    self.bump();
                    return s;
                }
                s.push(c);
                self.bump();
            } else if c == '\\' {
                self.bump();
                let Some(e) = self.bump() else {
                    s.push('\\');
                    break;
                };
                if raw {
                    s.push('\\');
                    s.push(e);
                    continue;
                }
                match e {
                    'n' => s.push('\n'),
                    't' => s.push('\t'),
                    '\\' | '\'' | '"' => s.push(e),
                    '\n' => {}
                    other => {
                        s.push('\\');
                        s.push(other);
                    }
                }
            } else if c == '\n' && !triple {
                break;
            } else {
                s.push(c);
                self.bump();
            }
        }
        s
    }
}

fn push_str(toks: &mut Vec<Tok>, s: String) {
    if let Some(Tok::Str(prev)) = toks.last_mut() {
        prev.push_str(&s);
    } else {
        toks.push(Tok::Str(s));
    }
}

/// A block: a header line and the lines indented under it.
#[derive(Debug, Clone, Copy)]
pub struct Block<'a> {
    /// The `class` or `def` line.
    pub header: &'a Line,
    /// The lines of its body (every line indented deeper than the header,
    /// up to the first that is not).
    pub body: &'a [Line],
}

impl<'a> Block<'a> {
    /// The name after `class` or `def`.
    pub fn name(&self) -> &'a str {
        let toks = &self.header.toks;
        let at = toks
            .iter()
            .position(|t| t.is_ident("class") || t.is_ident("def"))
            .map_or(0, |i| i + 1);
        toks.get(at).and_then(Tok::ident).unwrap_or("")
    }

    /// The base classes of a `class` header, as dotted names (`Enum`,
    /// `enum.Enum`); arguments that are not names (`metaclass=...`) are left
    /// out.
    pub fn bases(&self) -> Vec<String> {
        let toks = &self.header.toks;
        let Some(open) = toks.iter().position(|t| t.is_punct("(")) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        let mut current = String::new();
        let mut plain = true;
        let mut depth = 0usize;
        for t in &toks[open + 1..] {
            match t {
                Tok::Punct(p) if p == "(" || p == "[" => {
                    depth += 1;
                    plain = false;
                }
                Tok::Punct(p) if (p == ")" || p == ",") && depth == 0 => {
                    if plain && !current.is_empty() {
                        out.push(std::mem::take(&mut current));
                    }
                    current.clear();
                    plain = true;
                    if p == ")" {
                        break;
                    }
                }
                Tok::Punct(p) if p == ")" || p == "]" => depth = depth.saturating_sub(1),
                Tok::Ident(s) => current.push_str(s),
                Tok::Punct(p) if p == "." => current.push('.'),
                _ => plain = false,
            }
        }
        out
    }

    /// The blocks opened directly in this body by a line starting with
    /// `keyword` (`def`, `class`), with `async def` counted as `def`.
    pub fn children(&self, keyword: &str) -> Vec<Block<'a>> {
        blocks(self.body, keyword)
    }

    /// The body's own lines: those at the body's indentation, outside any
    /// nested block.
    pub fn statements(&self) -> impl Iterator<Item = &'a Line> {
        let indent = self.body.first().map_or(0, |l| l.indent);
        self.body.iter().filter(move |l| l.indent == indent)
    }
}

/// The blocks in `lines` at the indentation of its first line that open with
/// `keyword`.
pub fn blocks<'a>(lines: &'a [Line], keyword: &str) -> Vec<Block<'a>> {
    let Some(indent) = lines.first().map(|l| l.indent) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let line = &lines[i];
        let opens = line.indent == indent
            && (line.starts_with_idents(&[keyword])
                || (keyword == "def" && line.starts_with_idents(&["async", "def"])));
        let end = lines[i + 1..]
            .iter()
            .position(|l| l.indent <= line.indent)
            .map_or(lines.len(), |p| i + 1 + p);
        if opens {
            out.push(Block {
                header: line,
                body: &lines[i + 1..end],
            });
            i = end;
        } else {
            i += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strs(line: &Line) -> Vec<&str> {
        line.toks.iter().filter_map(Tok::str).collect()
    }

    #[test]
    fn brackets_and_backslashes_join_physical_lines() {
        let src = "x = f(\n    \"a\",  # a comment (\n    'b'\n)\ny = 1 + \\\n  2\n";
        let lines = logical_lines(src);
        assert_eq!(lines.len(), 2);
        assert_eq!(strs(&lines[0]), ["a", "b"]);
        assert_eq!(lines[1].number, 5);
        assert_eq!(lines[1].toks.len(), 5);
    }

    #[test]
    fn strings_hide_comment_marks_brackets_and_quotes() {
        let src =
            "a = \"x # (y\"\nb = '''multi\nline \"\"\" ''' \nc = r'\\d' \"e\" 'f'\nd = 'it\\'s'\n";
        let lines = logical_lines(src);
        assert_eq!(lines.len(), 4);
        assert_eq!(strs(&lines[0]), ["x # (y"]);
        assert_eq!(strs(&lines[1]), ["multi\nline \"\"\" "]);
        assert_eq!(strs(&lines[2]), ["\\def"], "adjacent literals concatenate");
        assert_eq!(strs(&lines[3]), ["it's"]);
    }

    #[test]
    fn equality_is_not_an_assignment() {
        let lines = logical_lines("if a == 'x':\n    b['k'] = c\n");
        assert!(lines[0].toks.iter().any(|t| t.is_punct("==")));
        assert!(!lines[0].toks.iter().any(|t| t.is_punct("=")));
        assert!(lines[1].toks.iter().any(|t| t.is_punct("=")));
        assert_eq!(lines[1].indent, 4);
    }

    #[test]
    fn unterminated_input_ends_at_the_end_of_the_file() {
        let lines = logical_lines("x = (\"abc");
        assert_eq!(lines.len(), 1);
        assert_eq!(strs(&lines[0]), ["abc"]);
    }

    #[test]
    fn classes_methods_and_bases() {
        let src = "\
@unique
class A(enum.Enum, metaclass=M):
    X = \"1\"

    def f(
        self,
        y,
    ):
        return y

    async def g(self):
        pass
    Y = \"2\"
class B:
    pass
";
        let lines = logical_lines(src);
        let classes = blocks(&lines, "class");
        assert_eq!(classes.len(), 2);
        assert_eq!(classes[0].name(), "A");
        assert_eq!(classes[0].bases(), ["enum.Enum"]);
        assert!(classes[1].bases().is_empty());
        let defs = classes[0].children("def");
        assert_eq!(
            defs.iter().map(|d| d.name()).collect::<Vec<_>>(),
            ["f", "g"]
        );
        assert_eq!(defs[0].body.len(), 1);
        let own: Vec<_> = classes[0].statements().map(|l| l.number).collect();
        assert_eq!(own, [3, 5, 11, 13]);
    }
}
