//! Merging the files of a spec, semantic validation and lowering to the IR.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use crate::diag::{name_list, Diagnostic, Severity, SuggestBudget};
use crate::format::{self as f, CodeRef, Item};
use crate::ir;
use crate::yaml::{Kind, Node, Pos};

/// One step of a path into a file's YAML tree.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Seg<'a> {
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

    fn pos(&self, file: usize, path: &[Seg<'_>], key: bool) -> Pos {
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
    fn err(&mut self, file: usize, path: &[Seg<'_>], message: String, hint: impl Into<String>) {
        let pos = self.pos(file, path, false);
        self.at_pos(Severity::Error, file, pos, message, Some(hint.into()));
    }

    /// An error at the key of the entry at `path`.
    fn err_key(&mut self, file: usize, path: &[Seg<'_>], message: String, hint: impl Into<String>) {
        let pos = self.pos(file, path, true);
        self.at_pos(Severity::Error, file, pos, message, Some(hint.into()));
    }

    /// The closest of the spec's `names` to `word`, for "did you mean" hints.
    fn did_you_mean<'a>(
        &mut self,
        word: &str,
        names: impl IntoIterator<Item = &'a str>,
    ) -> Option<&'a str> {
        self.suggest.did_you_mean(word, names)
    }

    /// `file:line:col` of the key at `path`, for "first defined at" hints.
    fn where_key(&self, file: usize, path: &[Seg<'_>]) -> String {
        let pos = self.pos(file, path, true);
        format!("{}:{}:{}", self.sources[file].path, pos.line, pos.col)
    }
}

// ---------------------------------------------------------------- naming

fn is_upper_camel(s: &str) -> bool {
    let mut cs = s.chars();
    matches!(cs.next(), Some(c) if c.is_ascii_uppercase()) && cs.all(|c| c.is_ascii_alphanumeric())
}

fn is_lower_camel(s: &str) -> bool {
    let mut cs = s.chars();
    matches!(cs.next(), Some(c) if c.is_ascii_lowercase()) && cs.all(|c| c.is_ascii_alphanumeric())
}

fn is_screaming(s: &str) -> bool {
    let mut cs = s.chars();
    matches!(cs.next(), Some(c) if c.is_ascii_uppercase())
        && cs.all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
        && !s.ends_with('_')
        && !s.contains("__")
}

fn to_upper_camel(s: &str) -> String {
    let mut out = String::new();
    let mut up = true;
    for c in s.chars() {
        if !c.is_ascii_alphanumeric() {
            up = true;
        } else if up {
            out.push(c.to_ascii_uppercase());
            up = false;
        } else {
            out.push(c);
        }
    }
    out
}

fn to_lower_camel(s: &str) -> String {
    let u = to_upper_camel(s);
    let mut cs = u.chars();
    match cs.next() {
        Some(c) => c.to_ascii_lowercase().to_string() + cs.as_str(),
        None => String::new(),
    }
}

fn to_screaming(s: &str) -> String {
    let mut out = String::new();
    let mut prev_lower = false;
    for c in s.chars() {
        if c.is_ascii_alphanumeric() {
            if c.is_ascii_uppercase() && prev_lower {
                out.push('_');
            }
            out.push(c.to_ascii_uppercase());
            prev_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
        } else {
            if !out.ends_with('_') && !out.is_empty() {
                out.push('_');
            }
            prev_lower = false;
        }
    }
    out.trim_end_matches('_').to_owned()
}

#[derive(Clone, Copy)]
enum Case {
    Upper,
    Lower,
    Screaming,
}

impl Case {
    fn ok(self, s: &str) -> bool {
        match self {
            Case::Upper => is_upper_camel(s),
            Case::Lower => is_lower_camel(s),
            Case::Screaming => is_screaming(s),
        }
    }

    fn name(self) -> &'static str {
        match self {
            Case::Upper => "UpperCamelCase",
            Case::Lower => "lowerCamelCase",
            Case::Screaming => "SCREAMING_SNAKE_CASE",
        }
    }

    fn suggest(self, s: &str) -> String {
        match self {
            Case::Upper => to_upper_camel(s),
            Case::Lower => to_lower_camel(s),
            Case::Screaming => to_screaming(s),
        }
    }
}

impl Report<'_> {
    fn naming(
        &mut self,
        file: usize,
        path: &[Seg<'_>],
        key: bool,
        what: &str,
        name: &str,
        case: Case,
    ) {
        if case.ok(name) {
            return;
        }
        let suggestion = case.suggest(name);
        let hint = if !suggestion.is_empty() && case.ok(&suggestion) {
            format!(
                "{what} names are {} (ASCII letters and digits{}); e.g. `{suggestion}`",
                case.name(),
                if matches!(case, Case::Screaming) {
                    ", `_`"
                } else {
                    ""
                }
            )
        } else {
            format!("{what} names are {}", case.name())
        };
        let msg = format!("{what} name `{name}` is not {}", case.name());
        if key {
            self.err_key(file, path, msg, hint);
        } else {
            self.err(file, path, msg, hint);
        }
    }

    fn non_empty(&mut self, file: usize, path: &[Seg<'_>], what: &str, value: &str) {
        if value.trim().is_empty() {
            self.err(
                file,
                path,
                format!("{what} is empty"),
                "write a non-empty text",
            );
        }
    }

    fn text(&mut self, file: usize, path: &[Seg<'_>], what: &str, t: &f::Text) {
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

// ---------------------------------------------------------------- merged view

/// Where an item was defined.
#[derive(Clone, Copy)]
struct Def<'s, T> {
    file: usize,
    /// Top-level section key.
    section: &'static str,
    name: &'s str,
    item: Option<&'s T>,
}

/// All items of one namespace, first definition wins.
struct Table<'s, T> {
    map: BTreeMap<&'s str, Def<'s, T>>,
}

impl<'s, T> Table<'s, T> {
    fn new() -> Self {
        Table {
            map: BTreeMap::new(),
        }
    }

    fn get(&self, name: &str) -> Option<&Def<'s, T>> {
        self.map.get(name)
    }

    fn contains(&self, name: &str) -> bool {
        self.map.contains_key(name)
    }

    fn ok(&self, name: &str) -> Option<&'s T> {
        self.map.get(name).and_then(|d| d.item)
    }

    fn iter(&self) -> impl Iterator<Item = &Def<'s, T>> {
        self.map.values()
    }
}

fn add<'s, T>(
    report: &mut Report<'_>,
    table: &mut Table<'s, T>,
    (what, section): (&str, &'static str),
    file: usize,
    name: &'s str,
    item: &'s Item<T>,
    other: Option<(&str, usize, &'static str)>,
) {
    let first = table
        .get(name)
        .map(|d| (d.file, d.section))
        .or(other.map(|(_, f, s)| (f, s)));
    if let Some((ffile, fsection)) = first {
        let at = report.where_key(ffile, p![fsection, name]);
        let kind = other
            .filter(|(_, f, s)| *f == ffile && *s == fsection)
            .map(|(k, _, _)| k)
            .unwrap_or(what);
        report.err_key(
            file,
            p![section, name],
            format!("duplicate {what} name `{name}`"),
            format!("{kind} `{name}` is already defined at {at}; names must be unique across the spec directory"),
        );
        return;
    }
    table.map.insert(
        name,
        Def {
            file,
            section,
            name,
            item: item.ok(),
        },
    );
}

// ---------------------------------------------------------------- types

/// A parsed field type, before resolution.
enum RawType<'a> {
    Prim(ir::Type),
    Named(&'a str),
    Array(Box<RawType<'a>>),
}

const PRIMITIVES: [&str; 5] = ["string", "boolean", "integer", "number", "json"];

fn parse_type(s: &str) -> Result<RawType<'_>, String> {
    match s {
        "string" => return Ok(RawType::Prim(ir::Type::String)),
        "boolean" => return Ok(RawType::Prim(ir::Type::Boolean)),
        "integer" => return Ok(RawType::Prim(ir::Type::Integer)),
        "number" => return Ok(RawType::Prim(ir::Type::Number)),
        "json" => return Ok(RawType::Prim(ir::Type::Json)),
        _ => {}
    }
    if let Some(inner) = s.strip_prefix("array<") {
        return match inner.strip_suffix('>') {
            Some(t) => Ok(RawType::Array(Box::new(parse_type(t)?))),
            None => Err(format!("`{s}` lacks the closing `>`")),
        };
    }
    if is_upper_camel(s) {
        Ok(RawType::Named(s))
    } else {
        Err(format!("`{s}` is not a type"))
    }
}

// ---------------------------------------------------------------- checks

/// The status↔action rule of FORMAT.md; `Err` holds the hint.
fn status_action(status: ir::ResultStatus, action: ir::Action) -> Result<(), String> {
    use ir::Action as A;
    use ir::ResultStatus as S;
    match (status, action) {
        (S::S, A::None) => Ok(()),
        (S::S, _) => Err("`S` (success) codes use action `none`".to_owned()),
        (S::U, a) if a.is_retryable() => Ok(()),
        (S::U, _) => Err(
            "`U` (unknown) codes use `retry`, `retryAfterBackoff` or `inquire`: the outcome is not known, so the caller must find it out"
                .to_owned(),
        ),
        (S::F, a) if a.is_retryable() => Err(
            "`F` (failed) codes must not use `retry`, `retryAfterBackoff` or `inquire`; use `newRequestId`, `fixRequest`, `userAction`, `contactSupport` or `none`"
                .to_owned(),
        ),
        (S::F, _) => Ok(()),
    }
}

fn parse_duration(s: &str) -> Option<u64> {
    let (num, mul) = match s.chars().last()? {
        's' => (&s[..s.len() - 1], 1),
        'm' => (&s[..s.len() - 1], 60),
        'h' => (&s[..s.len() - 1], 3600),
        _ => return None,
    };
    if num.is_empty() || !num.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    num.parse::<u64>().ok()?.checked_mul(mul)
}

fn path_problem(path: &str) -> Option<&'static str> {
    if !path.starts_with("/ams/") {
        Some("must start with `/ams/`")
    } else if path.chars().any(char::is_whitespace) {
        Some("must not contain whitespace")
    } else if path.contains("//") {
        Some("must not contain `//`")
    } else if path.contains('?') || path.contains('#') {
        Some("must not contain a query (`?`) or fragment (`#`)")
    } else if path.ends_with('/') {
        Some("must not end with `/`")
    } else {
        None
    }
}

fn url_problem(url: &str) -> Option<&'static str> {
    let rest = url.strip_prefix("https://")?;
    if rest.is_empty() {
        Some("has no host")
    } else if rest.contains('/') || rest.contains('?') {
        Some("must be a bare origin (no path, query or trailing `/`)")
    } else if url.chars().any(char::is_whitespace) {
        Some("must not contain whitespace")
    } else {
        None
    }
}

/// Everything the checks need, gathered from all files.
struct Merged<'s> {
    types_models: Table<'s, f::Model>,
    types_enums: Table<'s, f::Enum>,
    endpoints: Table<'s, f::Endpoint>,
    families: HashMap<&'s str, &'s str>,
    notifications: Table<'s, f::Notification>,
    codes: Table<'s, f::ResultCode>,
    sdk: Table<'s, f::SdkEventCode>,
    regions: Table<'s, f::Region>,
    sandbox: Once<'s, f::Sandbox>,
    ack: Once<'s, f::Acknowledgement>,
    idempotency: Once<'s, f::Idempotency>,
    /// The fields of every model that deserialized, by model name.
    fields: HashMap<&'s str, ModelFields<'s>>,
}

/// The fields of one model, by name, so that checking a reference to a field
/// does not scan the model.
struct ModelFields<'s> {
    /// Whether every field deserialized: a model with a broken field cannot
    /// be checked reliably.
    intact: bool,
    /// The first field of each name (later ones are reported as duplicates).
    by_name: HashMap<&'s str, &'s f::Field>,
}

impl<'s> ModelFields<'s> {
    fn new(model: &'s f::Model) -> Self {
        let mut by_name = HashMap::with_capacity(model.fields.len());
        for fld in model.fields.iter().filter_map(Item::ok) {
            by_name.entry(fld.name.as_str()).or_insert(fld);
        }
        ModelFields {
            intact: model.fields.iter().all(|x| x.ok().is_some()),
            by_name,
        }
    }
}

impl<'s> Merged<'s> {
    /// The field `name` of the model `model`, if both exist.
    fn field(&self, model: &str, name: &str) -> Option<&'s f::Field> {
        self.fields.get(model)?.by_name.get(name).copied()
    }
}

/// Validates the parsed files. Returns the IR when nothing is wrong so far.
pub(crate) fn check_and_lower(
    sources: &[Source<'_>],
    mut report: Report<'_>,
) -> (Option<ir::Spec>, Vec<Diagnostic>) {
    let merged = merge(sources, &mut report);
    validate(&merged, &mut report);
    let errors = report.diags.iter().any(|d| d.severity == Severity::Error)
        || sources.iter().any(|s| s.file.is_none());
    if errors {
        return (None, report.diags);
    }
    (lower(&merged), report.diags)
}

fn merge<'s>(sources: &'s [Source<'s>], report: &mut Report<'_>) -> Merged<'s> {
    let mut m = Merged {
        types_models: Table::new(),
        types_enums: Table::new(),
        endpoints: Table::new(),
        families: HashMap::new(),
        notifications: Table::new(),
        codes: Table::new(),
        sdk: Table::new(),
        regions: Table::new(),
        sandbox: Once::default(),
        ack: Once::default(),
        idempotency: Once::default(),
        fields: HashMap::new(),
    };
    for (fi, src) in sources.iter().enumerate() {
        let Some(file) = &src.file else { continue };
        if let Some(fam) = &file.family {
            report.naming(fi, p!["family"], false, "family", fam, Case::Lower);
        }
        if let Item::Ok(endpoints) = &file.endpoints {
            if !endpoints.is_empty() && file.family.is_none() {
                report.err_key(
                    fi,
                    p!["endpoints"],
                    "a file with `endpoints` needs a `family`".to_owned(),
                    "add `family: <name>` (e.g. `family: payments`) at the top level of this file",
                );
            }
            for (name, item) in endpoints {
                add(
                    report,
                    &mut m.endpoints,
                    ("endpoint", "endpoints"),
                    fi,
                    name,
                    item,
                    None,
                );
                if let Some(fam) = &file.family {
                    m.families.entry(name.as_str()).or_insert(fam.as_str());
                }
            }
        }
        if let Item::Ok(models) = &file.models {
            for (name, item) in models {
                let other = m.types_enums.get(name).map(|d| ("enum", d.file, d.section));
                add(
                    report,
                    &mut m.types_models,
                    ("model", "models"),
                    fi,
                    name,
                    item,
                    other,
                );
            }
        }
        if let Item::Ok(enums) = &file.enums {
            for (name, item) in enums {
                let other = m
                    .types_models
                    .get(name)
                    .map(|d| ("model", d.file, d.section));
                add(
                    report,
                    &mut m.types_enums,
                    ("enum", "enums"),
                    fi,
                    name,
                    item,
                    other,
                );
            }
        }
        if let Item::Ok(ns) = &file.notifications {
            for (name, item) in ns {
                add(
                    report,
                    &mut m.notifications,
                    ("notification", "notifications"),
                    fi,
                    name,
                    item,
                    None,
                );
            }
        }
        if let Item::Ok(codes) = &file.result_codes {
            for (name, item) in codes {
                add(
                    report,
                    &mut m.codes,
                    ("result code", "resultCodes"),
                    fi,
                    name,
                    item,
                    None,
                );
            }
        }
        if let Item::Ok(codes) = &file.sdk_event_codes {
            for (name, item) in codes {
                add(
                    report,
                    &mut m.sdk,
                    ("SDK event code", "sdkEventCodes"),
                    fi,
                    name,
                    item,
                    None,
                );
            }
        }
        if let Item::Ok(regions) = &file.regions {
            for (name, item) in regions {
                add(
                    report,
                    &mut m.regions,
                    ("region", "regions"),
                    fi,
                    name,
                    item,
                    None,
                );
            }
        }
        once(report, fi, "sandbox", file.sandbox.as_ref(), &mut m.sandbox);
        once(
            report,
            fi,
            "acknowledgement",
            file.acknowledgement.as_ref(),
            &mut m.ack,
        );
        once(
            report,
            fi,
            "idempotency",
            file.idempotency.as_ref(),
            &mut m.idempotency,
        );
    }
    m.fields = m
        .types_models
        .iter()
        .filter_map(|d| Some((d.name, ModelFields::new(d.item?))))
        .collect();
    m
}

/// A top-level item a spec holds at most once (`sandbox`, `acknowledgement`,
/// `idempotency`): the file of its first definition, and the item when it
/// deserialized.
struct Once<'s, T> {
    first: Option<usize>,
    item: Option<(usize, &'s T)>,
}

impl<T> Default for Once<'_, T> {
    fn default() -> Self {
        Once {
            first: None,
            item: None,
        }
    }
}

/// Records file `fi`'s `key` item, or reports it when an earlier file
/// already defined one.
fn once<'s, T>(
    report: &mut Report<'_>,
    fi: usize,
    key: &'static str,
    item: Option<&'s Item<T>>,
    slot: &mut Once<'s, T>,
) {
    let Some(item) = item else { return };
    match slot.first {
        Some(first) => {
            let at = report.where_key(first, p![key]);
            report.err_key(
                fi,
                p![key],
                format!("`{key}` is defined more than once"),
                format!("a spec has at most one `{key}`; the first is at {at}"),
            );
        }
        None => {
            slot.first = Some(fi);
            slot.item = item.ok().map(|x| (fi, x));
        }
    }
}

fn validate(m: &Merged<'_>, r: &mut Report<'_>) {
    check_regions(m, r);
    check_sandbox_ack(m, r);
    check_enums(m, r);
    check_models(m, r);
    check_codes(m, r);
    check_sdk(m, r);
    check_endpoints(m, r);
    check_notifications(m, r);
    // Only for an otherwise clean spec: with errors, "unused" is mostly noise.
    if !r.diags.iter().any(|d| d.severity == Severity::Error) {
        check_unused(m, r);
    }
}

/// Warns about models and enums nothing refers to (dead spec entries).
fn check_unused(m: &Merged<'_>, r: &mut Report<'_>) {
    fn named<'a>(t: &RawType<'a>) -> Option<&'a str> {
        match t {
            RawType::Prim(_) => None,
            RawType::Named(n) => Some(n),
            RawType::Array(i) => named(i),
        }
    }
    let mut used: BTreeSet<&str> = BTreeSet::new();
    for d in m.endpoints.iter() {
        if let Some(e) = d.item {
            used.insert(&e.request);
            used.insert(&e.response);
        }
    }
    for d in m.notifications.iter() {
        if let Some(n) = d.item {
            used.insert(&n.payload);
        }
    }
    for d in m.types_models.iter() {
        for fld in d
            .item
            .iter()
            .flat_map(|x| x.fields.iter())
            .filter_map(Item::ok)
        {
            if let Some(n) = parse_type(&fld.ty).ok().as_ref().and_then(named) {
                if n != d.name {
                    used.insert(n);
                }
            }
        }
    }
    let unused = m
        .types_models
        .iter()
        .map(|d| (d.file, "models", d.name, "model"))
        .chain(
            m.types_enums
                .iter()
                .map(|d| (d.file, "enums", d.name, "enum")),
        )
        .filter(|(_, _, name, _)| !used.contains(name));
    let unused: Vec<_> = unused.collect();
    for (fi, section, name, what) in unused {
        let pos = r.pos(fi, p![section, name], true);
        r.at_pos(
            Severity::Warning,
            fi,
            pos,
            format!("{what} `{name}` is not used by any endpoint, notification or model"),
            Some(
                "remove it, or refer to it from a field, an endpoint or a notification".to_owned(),
            ),
        );
    }
}

fn check_regions(m: &Merged<'_>, r: &mut Report<'_>) {
    for d in m.regions.iter() {
        let (fi, id) = (d.file, d.name);
        r.naming(fi, p!["regions", id], true, "region", id, Case::Screaming);
        let Some(region) = d.item else { continue };
        r.non_empty(fi, p!["regions", id, "name"], "region name", &region.name);
        if region.hosts.is_empty() {
            r.err(
                fi,
                p!["regions", id, "hosts"],
                format!("region `{id}` has no hosts"),
                "list at least one `- url: https://...`",
            );
        }
        for (i, h) in region.hosts.iter().enumerate() {
            let Some(h) = h.ok() else { continue };
            if let Some(problem) = url_problem(&h.url).or_else(|| {
                (!h.url.starts_with("https://")).then_some("must start with `https://`")
            }) {
                r.err(
                    fi,
                    p!["regions", id, "hosts", i, "url"],
                    format!("host URL `{}` {problem}", h.url),
                    "write the gateway origin, e.g. `https://open-na-global.alipay.com`",
                );
            }
        }
        if let Some(u) = &region.upload_host {
            if let Some(problem) = url_problem(u)
                .or_else(|| (!u.starts_with("https://")).then_some("must start with `https://`"))
            {
                r.err(
                    fi,
                    p!["regions", id, "uploadHost"],
                    format!("upload host URL `{u}` {problem}"),
                    "write the upload origin, e.g. `https://open-big-na.alipay.com`",
                );
            }
        }
    }
}

fn check_sandbox_ack(m: &Merged<'_>, r: &mut Report<'_>) {
    if let Some((fi, s)) = m.sandbox.item {
        r.non_empty(
            fi,
            p!["sandbox", "clientIdPrefix"],
            "sandbox.clientIdPrefix",
            &s.client_id_prefix,
        );
        for (key, v) in [
            ("productionPrefix", &s.production_prefix),
            ("sandboxPrefix", &s.sandbox_prefix),
        ] {
            if !v.starts_with('/') || v.ends_with('/') || v.chars().any(char::is_whitespace) {
                r.err(
                    fi,
                    p!["sandbox", key],
                    format!("sandbox.{key} `{v}` is not a path prefix"),
                    "a prefix starts with `/` and has no trailing `/` or whitespace, e.g. `/ams/api`",
                );
            }
        }
    }
    if let Some((fi, a)) = m.ack.item {
        if !(100..=599).contains(&a.http_status) {
            r.err(
                fi,
                p!["acknowledgement", "httpStatus"],
                format!("httpStatus {} is not an HTTP status", a.http_status),
                "use a status between 100 and 599 (Antom expects 200)",
            );
        }
        if let Err(e) = serde_json::from_str::<serde_json::Value>(&a.body) {
            r.err(
                fi,
                p!["acknowledgement", "body"],
                format!("acknowledgement body is not valid JSON: {e}"),
                "quote the body with single quotes in YAML so the JSON double quotes survive",
            );
        }
        if a.resend_schedule.is_empty() {
            r.err(
                fi,
                p!["acknowledgement", "resendSchedule"],
                "resendSchedule is empty".to_owned(),
                "list the delays between deliveries, e.g. `[0s, 2m, 10m]`",
            );
        }
        for (i, d) in a.resend_schedule.iter().enumerate() {
            if parse_duration(d).is_none() {
                r.err(
                    fi,
                    p!["acknowledgement", "resendSchedule", i],
                    format!("`{d}` is not a duration"),
                    "write `<n>s`, `<n>m` or `<n>h` (e.g. `2m`)",
                );
            }
        }
    }
    if let Some((fi, i)) = m.idempotency.item {
        r.non_empty(fi, p!["idempotency", "doc"], "idempotency doc", &i.doc);
        if i.final_statuses.is_empty() {
            r.err(
                fi,
                p!["idempotency", "finalStatuses"],
                "finalStatuses is empty".to_owned(),
                "list the statuses after which a key is spent, e.g. `[S, F]`",
            );
        }
        for (n, status) in i.final_statuses.iter().enumerate() {
            let path = p!["idempotency", "finalStatuses", n];
            if *status == f::Status::U {
                r.err(
                    fi,
                    path,
                    "`U` is not a final status".to_owned(),
                    "an unknown result leaves the key usable (retry with it): list only `S` and `F`",
                );
            } else if i.final_statuses[..n].contains(status) {
                r.err(
                    fi,
                    path,
                    format!("`{}` is listed twice", status.as_str()),
                    "list each final status once",
                );
            }
        }
    }
}

fn check_enums(m: &Merged<'_>, r: &mut Report<'_>) {
    for d in m.types_enums.iter() {
        let (fi, name) = (d.file, d.name);
        r.naming(fi, p!["enums", name], true, "enum", name, Case::Upper);
        let Some(e) = d.item else { continue };
        r.non_empty(fi, p!["enums", name, "doc"], "enum doc", &e.doc);
        if e.values.is_empty() {
            r.err(
                fi,
                p!["enums", name, "values"],
                format!("enum `{name}` has no values"),
                "list at least one `- value: ...`",
            );
        }
        let mut seen: HashMap<&str, usize> = HashMap::new();
        for (i, v) in e.values.iter().enumerate() {
            let Some(v) = v.ok() else { continue };
            if v.value.is_empty() {
                r.err(
                    fi,
                    p!["enums", name, "values", i, "value"],
                    "empty enum value".to_owned(),
                    "write the wire value exactly as Antom sends it",
                );
            }
            if let Some(&first) = seen.get(v.value.as_str()) {
                let at = r.pos(fi, p!["enums", name, "values", first, "value"], false);
                r.err(
                    fi,
                    p!["enums", name, "values", i, "value"],
                    format!("duplicate value `{}` in enum `{name}`", v.value),
                    format!("the value is already listed at line {}", at.line),
                );
            } else {
                seen.insert(&v.value, i);
            }
        }
    }
}

fn resolve_type(
    m: &Merged<'_>,
    r: &mut Report<'_>,
    fi: usize,
    path: &[Seg<'_>],
    raw: &str,
) -> Option<ir::Type> {
    match parse_type(raw) {
        Err(problem) => {
            let names = PRIMITIVES
                .iter()
                .copied()
                .chain(m.types_models.map.keys().copied())
                .chain(m.types_enums.map.keys().copied());
            let hint = match r.did_you_mean(raw, names) {
                Some(s) => format!("did you mean `{s}`? a type is `string`, `boolean`, `integer`, `number`, `json`, a model or enum name, or `array<T>`"),
                None => "a type is `string`, `boolean`, `integer`, `number`, `json`, a model or enum name, or `array<T>`".to_owned(),
            };
            r.err(fi, path, format!("invalid type: {problem}"), hint);
            None
        }
        Ok(t) => resolve_raw(m, r, fi, path, t, raw),
    }
}

fn resolve_raw(
    m: &Merged<'_>,
    r: &mut Report<'_>,
    fi: usize,
    path: &[Seg<'_>],
    t: RawType<'_>,
    raw: &str,
) -> Option<ir::Type> {
    match t {
        RawType::Prim(t) => Some(t),
        RawType::Array(inner) => {
            resolve_raw(m, r, fi, path, *inner, raw).map(|t| ir::Type::Array(Box::new(t)))
        }
        RawType::Named(n) => {
            if m.types_models.contains(n) {
                Some(ir::Type::Model(n.to_owned()))
            } else if m.types_enums.contains(n) {
                Some(ir::Type::Enum(n.to_owned()))
            } else {
                let names = m
                    .types_models
                    .map
                    .keys()
                    .chain(m.types_enums.map.keys())
                    .copied();
                let hint = match r.did_you_mean(n, names) {
                    Some(s) => format!("did you mean `{s}`? define `{n}` under `models:` or `enums:`, or fix the name"),
                    None => format!("define `{n}` under `models:` or `enums:` in any file of the spec, or fix the name"),
                };
                r.err(
                    fi,
                    path,
                    format!(
                        "unknown type `{n}`{}",
                        if raw == n {
                            String::new()
                        } else {
                            format!(" in `{raw}`")
                        }
                    ),
                    hint,
                );
                None
            }
        }
    }
}

/// Resolves a type without reporting (for checks that run after `check_models`).
fn quiet_type(m: &Merged<'_>, raw: &str) -> Option<ir::Type> {
    fn go(m: &Merged<'_>, t: RawType<'_>) -> Option<ir::Type> {
        match t {
            RawType::Prim(t) => Some(t),
            RawType::Array(i) => go(m, *i).map(|t| ir::Type::Array(Box::new(t))),
            RawType::Named(n) if m.types_models.contains(n) => Some(ir::Type::Model(n.to_owned())),
            RawType::Named(n) if m.types_enums.contains(n) => Some(ir::Type::Enum(n.to_owned())),
            RawType::Named(_) => None,
        }
    }
    go(m, parse_type(raw).ok()?)
}

fn check_models(m: &Merged<'_>, r: &mut Report<'_>) {
    for d in m.types_models.iter() {
        let (fi, name) = (d.file, d.name);
        r.naming(fi, p!["models", name], true, "model", name, Case::Upper);
        let Some(model) = d.item else { continue };
        r.non_empty(fi, p!["models", name, "doc"], "model doc", &model.doc);
        let mut seen: HashMap<&str, usize> = HashMap::new();
        for (i, fld) in model.fields.iter().enumerate() {
            let Some(fld) = fld.ok() else { continue };
            r.naming(
                fi,
                p!["models", name, "fields", i, "name"],
                false,
                "field",
                &fld.name,
                Case::Lower,
            );
            if let Some(first) = seen.get(fld.name.as_str()) {
                let at = r.pos(fi, p!["models", name, "fields", *first, "name"], false);
                r.err(
                    fi,
                    p!["models", name, "fields", i, "name"],
                    format!("duplicate field `{}` in model `{name}`", fld.name),
                    format!("the field is already defined at line {}", at.line),
                );
            } else {
                seen.insert(&fld.name, i);
            }
            resolve_type(m, r, fi, p!["models", name, "fields", i, "type"], &fld.ty);
            if let Some(max) = fld.max_length {
                if max == 0 || max > u64::from(u32::MAX) {
                    r.err(
                        fi,
                        p!["models", name, "fields", i, "maxLength"],
                        format!("maxLength {max} is out of range"),
                        "maxLength is a positive number of characters",
                    );
                }
            }
        }
    }
}

fn check_codes(m: &Merged<'_>, r: &mut Report<'_>) {
    for d in m.codes.iter() {
        let (fi, code) = (d.file, d.name);
        r.naming(
            fi,
            p!["resultCodes", code],
            true,
            "result code",
            code,
            Case::Screaming,
        );
        let Some(c) = d.item else { continue };
        if let Err(hint) = status_action(c.status, c.action) {
            r.err(
                fi,
                p!["resultCodes", code, "action"],
                format!(
                    "result code `{code}` has status `{}` but action `{}`",
                    c.status.as_str(),
                    c.action.as_str()
                ),
                hint,
            );
        }
        r.text(
            fi,
            p!["resultCodes", code, "message"],
            &format!("the message of result code `{code}`"),
            &c.message,
        );
        r.text(
            fi,
            p!["resultCodes", code, "suggestion"],
            &format!("the suggestion of result code `{code}`"),
            &c.suggestion,
        );
    }
}

/// `callback` is one non-empty name or a non-empty list of distinct ones.
fn check_callbacks(r: &mut Report<'_>, fi: usize, code: &str, cbs: &f::Callbacks) {
    let list = match cbs {
        f::Callbacks::One(c) => {
            r.non_empty(fi, p!["sdkEventCodes", code, "callback"], "callback", c);
            return;
        }
        f::Callbacks::Many(list) => list,
    };
    if list.is_empty() {
        r.err(
            fi,
            p!["sdkEventCodes", code, "callback"],
            format!("the callback list of SDK event code `{code}` is empty"),
            "name at least one callback, e.g. `callback: onEventCallback`",
        );
    }
    let mut seen = BTreeSet::new();
    for (i, c) in list.iter().enumerate() {
        r.non_empty(fi, p!["sdkEventCodes", code, "callback", i], "callback", c);
        if !c.trim().is_empty() && !seen.insert(c.as_str()) {
            r.err(
                fi,
                p!["sdkEventCodes", code, "callback", i],
                format!("callback `{c}` is listed twice"),
                "keep one entry",
            );
        }
    }
}

fn check_sdk(m: &Merged<'_>, r: &mut Report<'_>) {
    for d in m.sdk.iter() {
        let (fi, code) = (d.file, d.name);
        if !code.starts_with("SDK_") {
            r.err_key(
                fi,
                p!["sdkEventCodes", code],
                format!("SDK event code `{code}` does not start with `SDK_`"),
                "SDK event codes are SCREAMING_SNAKE_CASE and start with `SDK_` (result codes go under `resultCodes`)",
            );
        } else {
            r.naming(
                fi,
                p!["sdkEventCodes", code],
                true,
                "SDK event code",
                code,
                Case::Screaming,
            );
        }
        let Some(c) = d.item else { continue };
        check_callbacks(r, fi, code, &c.callback);
        r.text(
            fi,
            p!["sdkEventCodes", code, "description"],
            &format!("the description of SDK event code `{code}`"),
            &c.description,
        );
        r.text(
            fi,
            p!["sdkEventCodes", code, "action"],
            &format!("the action of SDK event code `{code}`"),
            &c.action,
        );
        if let Some(dep) = &c.deprecated {
            if let Some(by) = &dep.replaced_by {
                if by == code {
                    r.err(
                        fi,
                        p!["sdkEventCodes", code, "deprecated", "replacedBy"],
                        format!("`{code}` is replaced by itself"),
                        "name the code that replaces it, or remove `replacedBy`",
                    );
                } else if !m.sdk.contains(by) {
                    let hint = match r.did_you_mean(by, m.sdk.map.keys().copied()) {
                        Some(s) => format!(
                            "did you mean `{s}`? `replacedBy` names an entry of `sdkEventCodes`"
                        ),
                        None => "`replacedBy` names an entry of `sdkEventCodes`".to_owned(),
                    };
                    r.err(
                        fi,
                        p!["sdkEventCodes", code, "deprecated", "replacedBy"],
                        format!("unknown SDK event code `{by}`"),
                        hint,
                    );
                }
            }
        }
    }
}

/// Checks a model reference; returns the model when it exists and is intact.
fn model_ref<'s>(
    m: &Merged<'s>,
    r: &mut Report<'_>,
    fi: usize,
    path: &[Seg<'_>],
    name: &str,
    role: &str,
) -> Option<&'s f::Model> {
    if m.types_models.contains(name) {
        let model = m.types_models.ok(name)?;
        m.fields.get(name)?.intact.then_some(model)
    } else if m.types_enums.contains(name) {
        r.err(
            fi,
            path,
            format!("{role} `{name}` is an enum, not a model"),
            format!("a {role} is a model (an object) defined under `models:`"),
        );
        None
    } else {
        let hint = match r.did_you_mean(name, m.types_models.map.keys().copied()) {
            Some(s) => {
                format!("did you mean `{s}`? define the model under `models:` or fix the name")
            }
            None => {
                format!("define `{name}` under `models:` in any file of the spec, or fix the name")
            }
        };
        r.err(fi, path, format!("unknown {role} model `{name}`"), hint);
        None
    }
}

/// The endpoint keys whose values `uncertainKeys` may name.
const UNCERTAIN_KEYS: &[&str] = &[
    "path",
    "request",
    "response",
    "idempotencyKey",
    "echoes",
    "sandboxRewrite",
    "businessStatus",
    "resultCodes",
];

/// Each entry of `uncertainKeys` is a fact-bearing endpoint key, listed once,
/// and explained by the endpoint's `uncertain` text.
fn check_uncertain_keys(r: &mut Report<'_>, fi: usize, name: &str, e: &f::Endpoint) {
    for (i, key) in e.uncertain_keys.iter().enumerate() {
        let path = p!["endpoints", name, "uncertainKeys", i];
        if !UNCERTAIN_KEYS.contains(&key.as_str()) {
            let hint = match r.did_you_mean(key, UNCERTAIN_KEYS.iter().copied()) {
                Some(s) => format!(
                    "did you mean `{s}`? the keys are {}",
                    name_list(UNCERTAIN_KEYS.iter().copied(), UNCERTAIN_KEYS.len())
                ),
                None => format!(
                    "the keys are {}",
                    name_list(UNCERTAIN_KEYS.iter().copied(), UNCERTAIN_KEYS.len())
                ),
            };
            r.err(
                fi,
                path,
                format!("`{key}` is not an endpoint key that can be uncertain"),
                hint,
            );
        } else if e.uncertain_keys[..i].contains(key) {
            r.err(
                fi,
                path,
                format!("`{key}` is listed twice in uncertainKeys"),
                "list each key once",
            );
        }
    }
    if !e.uncertain_keys.is_empty() && e.uncertain.as_deref().is_none_or(|u| u.trim().is_empty()) {
        r.err(
            fi,
            p!["endpoints", name, "uncertainKeys"],
            "uncertainKeys without an `uncertain` text".to_owned(),
            "say in `uncertain` what the sources leave open about these keys",
        );
    }
}

/// The hint for a reference to `name`, which is not a field of `model_name`:
/// a suggestion, or the model's first fields.
fn field_hint(
    m: &Merged<'_>,
    r: &mut Report<'_>,
    model_name: &str,
    model: &f::Model,
    name: &str,
) -> String {
    let names = || {
        model
            .fields
            .iter()
            .filter_map(Item::ok)
            .map(|x| x.name.as_str())
    };
    match r.did_you_mean(name, names()) {
        Some(s) => format!("did you mean `{s}`? `{model_name}` has no field `{name}`"),
        None => {
            let total = m.fields.get(model_name).map_or(0, |f| f.by_name.len());
            format!(
                "`{model_name}` has the fields: {}",
                name_list(names(), total)
            )
        }
    }
}

/// A model must have a `result` field of type `Result` (`required` for responses).
fn check_result_field(
    m: &Merged<'_>,
    r: &mut Report<'_>,
    fi: usize,
    path: &[Seg<'_>],
    model_name: &str,
    role: &str,
    mandatory: bool,
) {
    match m.field(model_name, "result") {
        None if mandatory => r.err(
            fi,
            path,
            format!("{role} model `{model_name}` has no `result` field"),
            format!("add `- {{name: result, type: Result, required: true}}` to the fields of `{model_name}`"),
        ),
        None => {}
        Some(fld) if quiet_type(m, &fld.ty) != Some(ir::Type::Model("Result".to_owned())) => r.err(
            fi,
            path,
            format!("the `result` field of {role} model `{model_name}` has type `{}`, not `Result`", fld.ty),
            "the `result` field carries resultCode/resultStatus/resultMessage: type it `Result`",
        ),
        Some(_) => {}
    }
}

fn check_code_list(
    m: &Merged<'_>,
    r: &mut Report<'_>,
    fi: usize,
    base: &[Seg<'_>],
    owner: &str,
    list: &[Item<CodeRef>],
) {
    let mut seen: HashMap<&str, usize> = HashMap::new();
    for (i, item) in list.iter().enumerate() {
        let Some(c) = item.ok() else { continue };
        let code = c.code();
        let mut path = base.to_vec();
        path.push(Seg::I(i));
        if let CodeRef::Detailed(_) = c {
            path.push(Seg::K("code"));
        }
        if let Some(first) = seen.get(code) {
            let mut fp = base.to_vec();
            fp.push(Seg::I(*first));
            let at = r.pos(fi, &fp, false);
            r.err(
                fi,
                &path,
                format!("result code `{code}` is listed twice for `{owner}`"),
                format!("it is already listed at line {}; keep one entry", at.line),
            );
            continue;
        }
        seen.insert(code, i);
        if !m.codes.contains(code) {
            let hint = match r.did_you_mean(code, m.codes.map.keys().copied()) {
                Some(s) => format!(
                    "did you mean `{s}`? every listed code must be in the `resultCodes` catalogue"
                ),
                None => "add the code to the `resultCodes` catalogue, or fix the name".to_owned(),
            };
            r.err(fi, &path, format!("unknown result code `{code}`"), hint);
            continue;
        }
        if let (CodeRef::Detailed(e), Some(entry)) = (c, m.codes.ok(code)) {
            if let Some(a) = e.action {
                let (st, act) = (entry.status, a);
                if let Err(hint) = status_action(st, act) {
                    let mut ap = base.to_vec();
                    ap.extend([Seg::I(i), Seg::K("action")]);
                    r.err(
                        fi,
                        &ap,
                        format!(
                            "`{code}` has status `{}` but `{owner}` overrides its action with `{}`",
                            st.as_str(),
                            act.as_str()
                        ),
                        hint,
                    );
                }
            }
        }
    }
}

fn check_endpoints(m: &Merged<'_>, r: &mut Report<'_>) {
    let mut paths: HashMap<&str, (&str, usize)> = HashMap::new();
    for d in m.endpoints.iter() {
        let (fi, name) = (d.file, d.name);
        r.naming(
            fi,
            p!["endpoints", name],
            true,
            "endpoint",
            name,
            Case::Lower,
        );
        let Some(e) = d.item else { continue };
        r.non_empty(fi, p!["endpoints", name, "doc"], "endpoint doc", &e.doc);
        if let Some(problem) = path_problem(&e.path) {
            r.err(
                fi,
                p!["endpoints", name, "path"],
                format!("malformed path `{}`: {problem}", e.path),
                "write the production path, e.g. `/ams/api/v1/payments/pay`",
            );
        } else if let Some((other, ofile)) = paths.get(e.path.as_str()) {
            let at = r.where_key(*ofile, p!["endpoints", *other]);
            r.err(
                fi,
                p!["endpoints", name, "path"],
                format!(
                    "endpoints `{other}` and `{name}` have the same path `{}`",
                    e.path
                ),
                format!("`{other}` is defined at {at}; each path belongs to one endpoint"),
            );
        } else {
            paths.insert(&e.path, (name, fi));
        }
        let req = model_ref(
            m,
            r,
            fi,
            p!["endpoints", name, "request"],
            &e.request,
            "request",
        );
        let resp = model_ref(
            m,
            r,
            fi,
            p!["endpoints", name, "response"],
            &e.response,
            "response",
        );
        if resp.is_some() {
            check_result_field(
                m,
                r,
                fi,
                p!["endpoints", name, "response"],
                &e.response,
                "response",
                true,
            );
        }
        if let (Some(key), Some(req)) = (&e.idempotency_key, req) {
            if m.field(&e.request, key).is_none() {
                let hint = field_hint(m, r, &e.request, req, key);
                r.err(
                    fi,
                    p!["endpoints", name, "idempotencyKey"],
                    format!(
                        "idempotencyKey `{key}` is not a field of the request model `{}`",
                        e.request
                    ),
                    hint,
                );
            }
        }
        check_uncertain_keys(r, fi, name, e);
        let mut seen_echoes = std::collections::HashSet::new();
        for (i, echo) in e.echoes.iter().enumerate() {
            if !seen_echoes.insert(echo.as_str()) {
                r.err(
                    fi,
                    p!["endpoints", name, "echoes", i],
                    format!("`{echo}` is listed twice in echoes"),
                    "list each echoed field once".to_owned(),
                );
                continue;
            }
            let sides = [
                (req, &e.request, "request"),
                (resp, &e.response, "response"),
            ];
            for (model, model_name, side) in sides {
                if let Some(model) = model.filter(|_| m.field(model_name, echo).is_none()) {
                    let hint = field_hint(m, r, model_name, model, echo);
                    r.err(
                        fi,
                        p!["endpoints", name, "echoes", i],
                        format!("echoed field `{echo}` is not a field of the {side} model `{model_name}`"),
                        hint,
                    );
                }
            }
        }
        if let (Some(bs), Some(resp)) = (&e.business_status, resp) {
            let path = p!["endpoints", name, "businessStatus"];
            match m.field(&e.response, bs) {
                None => {
                    let hint = field_hint(m, r, &e.response, resp, bs);
                    r.err(
                        fi,
                        path,
                        format!("businessStatus `{bs}` is not a field of the response model `{}`", e.response),
                        hint,
                    );
                }
                Some(fld) => match quiet_type(m, &fld.ty) {
                    Some(ir::Type::Enum(en)) => {
                        if let Some(en_def) = m.types_enums.ok(&en) {
                            let missing: Vec<&str> = en_def
                                .values
                                .iter()
                                .filter_map(Item::ok)
                                .filter(|v| v.outcome.is_none())
                                .map(|v| v.value.as_str())
                                .collect();
                            if !missing.is_empty() {
                                r.err(
                                    fi,
                                    path,
                                    format!(
                                        "businessStatus `{bs}` uses enum `{en}`, whose values {} have no outcome",
                                        name_list(missing.iter().copied(), missing.len())
                                    ),
                                    format!("give every value of `{en}` an `outcome: success | failed | pending`"),
                                );
                            }
                        }
                    }
                    Some(_) => r.err(
                        fi,
                        path,
                        format!("businessStatus `{bs}` has type `{}`, not an enum", fld.ty),
                        "businessStatus names a response field typed with an enum whose values have outcomes",
                    ),
                    None => {}
                },
            }
        }
        check_code_list(
            m,
            r,
            fi,
            p!["endpoints", name, "resultCodes"],
            name,
            &e.result_codes,
        );
    }
}

fn check_notifications(m: &Merged<'_>, r: &mut Report<'_>) {
    for d in m.notifications.iter() {
        let (fi, name) = (d.file, d.name);
        r.naming(
            fi,
            p!["notifications", name],
            true,
            "notification",
            name,
            Case::Lower,
        );
        let Some(n) = d.item else { continue };
        r.non_empty(
            fi,
            p!["notifications", name, "doc"],
            "notification doc",
            &n.doc,
        );
        let payload = model_ref(
            m,
            r,
            fi,
            p!["notifications", name, "payload"],
            &n.payload,
            "payload",
        );
        if let Some(pm) = payload {
            check_result_field(
                m,
                r,
                fi,
                p!["notifications", name, "payload"],
                &n.payload,
                "payload",
                false,
            );
            if let Some(key) = &n.dedup_key {
                if m.field(&n.payload, key).is_none() {
                    let hint = field_hint(m, r, &n.payload, pm, key);
                    r.err(
                        fi,
                        p!["notifications", name, "dedupKey"],
                        format!(
                            "dedupKey `{key}` is not a field of the payload model `{}`",
                            n.payload
                        ),
                        hint,
                    );
                }
            }
        }
        let mut seen = BTreeSet::new();
        for (i, t) in n.notify_types.iter().enumerate() {
            if !seen.insert(t.as_str()) {
                r.err(
                    fi,
                    p!["notifications", name, "notifyTypes", i],
                    format!("notifyType `{t}` is listed twice"),
                    "keep one entry",
                );
            }
        }
        check_code_list(
            m,
            r,
            fi,
            p!["notifications", name, "resultCodes"],
            name,
            &n.result_codes,
        );
    }
}

// ---------------------------------------------------------------- lowering

fn text(t: &f::Text) -> ir::Text {
    ir::Text {
        en: t.en.clone(),
        zh: t.zh.clone(),
    }
}

fn lower_codes(m: &Merged<'_>, list: &[Item<CodeRef>]) -> Option<Vec<ir::EndpointCode>> {
    let mut out = Vec::new();
    for item in list {
        let c = item.ok()?;
        let entry = m.codes.ok(c.code())?;
        let (action, note) = match c {
            CodeRef::Code(_) => (entry.action, None),
            CodeRef::Detailed(e) => (e.action.unwrap_or(entry.action), e.note.clone()),
        };
        out.push(ir::EndpointCode {
            code: c.code().to_owned(),
            status: entry.status,
            action,
            note,
            listed: true,
        });
    }
    out.sort_by(|a, b| a.code.cmp(&b.code));
    Some(out)
}

fn lower(m: &Merged<'_>) -> Option<ir::Spec> {
    let mut regions = Vec::new();
    for d in m.regions.iter() {
        let r = d.item?;
        regions.push(ir::Region {
            id: d.name.to_owned(),
            name: r.name.clone(),
            hosts: r
                .hosts
                .iter()
                .map(|h| {
                    h.ok().map(|h| ir::Host {
                        url: h.url.clone(),
                        recommended: h.recommended.unwrap_or(false),
                    })
                })
                .collect::<Option<Vec<_>>>()?,
            upload_host: r.upload_host.clone(),
            note: r.note.clone(),
        });
    }
    let mut enums = Vec::new();
    for d in m.types_enums.iter() {
        let e = d.item?;
        enums.push(ir::Enum {
            name: d.name.to_owned(),
            doc: e.doc.clone(),
            values: e
                .values
                .iter()
                .map(|v| {
                    v.ok().map(|v| ir::EnumValue {
                        value: v.value.clone(),
                        doc: v.doc.clone().unwrap_or_default(),
                        outcome: v.outcome,
                    })
                })
                .collect::<Option<Vec<_>>>()?,
        });
    }
    let mut models = Vec::new();
    for d in m.types_models.iter() {
        let model = d.item?;
        let mut fields = Vec::new();
        for fld in &model.fields {
            let fld = fld.ok()?;
            fields.push(ir::Field {
                name: fld.name.clone(),
                ty: quiet_type(m, &fld.ty)?,
                required: fld.required.unwrap_or(false),
                max_length: fld.max_length.map(u32::try_from).transpose().ok()?,
                doc: fld.doc.clone().unwrap_or_default(),
            });
        }
        models.push(ir::Model {
            name: d.name.to_owned(),
            doc: model.doc.clone(),
            fields,
        });
    }
    let mut endpoints = Vec::new();
    for d in m.endpoints.iter() {
        let e = d.item?;
        let business_status = match &e.business_status {
            None => None,
            Some(bs) => {
                let fld = m.field(&e.response, bs)?;
                match quiet_type(m, &fld.ty)? {
                    ir::Type::Enum(en) => Some(ir::BusinessStatus {
                        field: bs.clone(),
                        enum_name: en,
                    }),
                    _ => return None,
                }
            }
        };
        endpoints.push(ir::Endpoint {
            name: d.name.to_owned(),
            family: m.families.get(d.name)?.to_string(),
            path: e.path.clone(),
            doc: e.doc.clone(),
            request: e.request.clone(),
            response: e.response.clone(),
            idempotency_key: e.idempotency_key.clone(),
            echoes: e.echoes.clone(),
            sandbox_rewrite: e.sandbox_rewrite.unwrap_or(true),
            business_status,
            result_codes: lower_codes(m, &e.result_codes)?,
            uncertain: e.uncertain.clone(),
            uncertain_keys: e.uncertain_keys.clone(),
        });
    }
    endpoints.sort_by(|a, b| (&a.family, &a.name).cmp(&(&b.family, &b.name)));
    let mut notifications = Vec::new();
    for d in m.notifications.iter() {
        let n = d.item?;
        notifications.push(ir::Notification {
            name: d.name.to_owned(),
            doc: n.doc.clone(),
            payload: n.payload.clone(),
            notify_types: n.notify_types.clone(),
            dedup_key: n.dedup_key.clone(),
            result_codes: lower_codes(m, &n.result_codes)?,
        });
    }
    let mut result_codes = Vec::new();
    for d in m.codes.iter() {
        let c = d.item?;
        result_codes.push(ir::ResultCode {
            code: d.name.to_owned(),
            status: c.status,
            action: c.action,
            scope: c.scope,
            payment_result: c.payment_result.unwrap_or(false),
            message: text(&c.message),
            suggestion: text(&c.suggestion),
            sources: c.sources.clone(),
            uncertain: c.uncertain.clone(),
        });
    }
    let mut sdk_event_codes = Vec::new();
    for d in m.sdk.iter() {
        let c = d.item?;
        sdk_event_codes.push(ir::SdkEventCode {
            code: d.name.to_owned(),
            group: c.group,
            callbacks: c.callback.names().to_vec(),
            description: text(&c.description),
            action: text(&c.action),
            deprecated: c.deprecated.as_ref().map(|d| ir::Deprecation {
                replaced_by: d.replaced_by.clone(),
                note: d.note.clone(),
            }),
            group_note: c.group_note.clone(),
            sources: c.sources.clone(),
        });
    }
    Some(ir::Spec {
        regions,
        idempotency: m.idempotency.item.map(|(_, i)| ir::Idempotency {
            final_statuses: i.final_statuses.clone(),
            doc: i.doc.clone(),
            sources: i.sources.clone(),
        }),
        sandbox: m.sandbox.item.map(|(_, s)| ir::Sandbox {
            client_id_prefix: s.client_id_prefix.clone(),
            production_prefix: s.production_prefix.clone(),
            sandbox_prefix: s.sandbox_prefix.clone(),
            doc: s.doc.clone(),
        }),
        enums,
        models,
        endpoints,
        notifications,
        acknowledgement: m.ack.item.map(|(_, a)| ir::Acknowledgement {
            http_status: a.http_status,
            body: a.body.clone(),
            doc: a.doc.clone(),
            resend_schedule_secs: a
                .resend_schedule
                .iter()
                .filter_map(|d| parse_duration(d))
                .collect(),
        }),
        result_codes,
        sdk_event_codes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!(parse_duration("0s"), Some(0));
        assert_eq!(parse_duration("2m"), Some(120));
        assert_eq!(parse_duration("15h"), Some(54_000));
        for bad in [
            "",
            "s",
            "2",
            "2min",
            "-1s",
            "1.5h",
            " 2m",
            "2 m",
            "99999999999999999999h",
        ] {
            assert_eq!(parse_duration(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn paths() {
        assert_eq!(path_problem("/ams/api/v1/payments/pay"), None);
        assert!(path_problem("/api/v1/pay").is_some());
        assert!(path_problem("/ams/api//pay").is_some());
        assert!(path_problem("/ams/api/pay?x").is_some());
        assert!(path_problem("/ams/api/pay/").is_some());
        assert!(path_problem("/ams/api/pa y").is_some());
        assert!(path_problem("/ams/").is_some());
    }

    #[test]
    fn naming() {
        assert!(
            is_upper_camel("PayRequest")
                && !is_upper_camel("payRequest")
                && !is_upper_camel("Pay_Request")
        );
        assert!(
            is_lower_camel("is3DSAuthentication") && !is_lower_camel("Pay") && !is_lower_camel("")
        );
        assert!(is_screaming("PARAM_ILLEGAL") && is_screaming("SDK_3DS_ERROR"));
        for bad in ["PARAM__ILLEGAL", "PARAM_", "_PARAM", "Param", "1ABC", ""] {
            assert!(!is_screaming(bad), "{bad}");
        }
        assert_eq!(to_screaming("launchFailed"), "LAUNCH_FAILED");
        assert_eq!(to_screaming("SDK_launchFailed"), "SDK_LAUNCH_FAILED");
        assert_eq!(to_lower_camel("payment_request_id"), "paymentRequestId");
        assert_eq!(to_upper_camel("card_brand"), "CardBrand");
    }

    #[test]
    fn status_action_rule() {
        use ir::ResultStatus as S;
        for a in ir::Action::ALL {
            assert_eq!(
                status_action(S::S, a).is_ok(),
                a == ir::Action::None,
                "S {a:?}"
            );
            assert_eq!(status_action(S::U, a).is_ok(), a.is_retryable(), "U {a:?}");
            assert_eq!(status_action(S::F, a).is_ok(), !a.is_retryable(), "F {a:?}");
        }
    }

    #[test]
    fn types() {
        assert!(matches!(
            parse_type("string"),
            Ok(RawType::Prim(ir::Type::String))
        ));
        assert!(matches!(
            parse_type("array<array<Amount>>"),
            Ok(RawType::Array(_))
        ));
        for bad in [
            "array<string",
            "array<>",
            "Array<string>",
            "str ing",
            "amount",
            "",
        ] {
            assert!(parse_type(bad).is_err(), "{bad}");
        }
    }
}
