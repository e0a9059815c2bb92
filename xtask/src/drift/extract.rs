//! The SDK's Python sources → an [`Inventory`], without running them.
//!
//! What the sources of `global-open-sdk-python` turned out to be (1.7.1):
//!
//! - One class per file under `com/alipay/ams/api`: `request/**` (request
//!   classes, and the notification classes under `request/notify`),
//!   `response/**`, `model/**` (models and enums).
//! - A **request** class derives, directly or through another request class,
//!   from `AlipayRequest` (or `AlipayFileRequest` for uploads). Its API path
//!   is the first argument of the `super(...).__init__(...)` call in its
//!   `__init__`: a string literal (`"/ams/api/v1/payments/capture"`) or a
//!   member of the path-constant enum (`AntomPathConstants.PAYMENT_PATH`). A
//!   few classes pass nothing (the caller sets `path`); an upload request's
//!   path and response class are in a module-level operation table
//!   (`{"path": "...", "response_type": Cls}`, keyed by the request class).
//! - **JSON names** are string keys, never derived from Python names:
//!   serialisation (`to_ams_dict`, or the private `__to_ams_dict`) writes
//!   `params["captureRequestId"] = self.capture_request_id`; parsing
//!   (`parse_rsp_body`, `__parse_rsp_body`, other `*parse*` methods) reads
//!   `response_body["captureRequestId"]` or `body.get("captureRequestId")`.
//!   The `"x" in body` / `has_key("x")` guards are not counted: the SDK has
//!   guards whose key differs from the one it reads (`"supportBanks "`).
//!   A request's fields are what it writes, a response's what it reads, a
//!   model's both; base classes within the SDK add theirs (a response's
//!   `result` comes from `AlipayResponse`).
//! - A **response** class derives from `AlipayResponse` and is found by
//!   name: `XRequest` → `XResponse` (the OpenAPI-generated
//!   `...PostRequest` → `...Post200Response`), in the matching `response/`
//!   directory when several files define it, else the base request's.
//! - An **enum** derives from `Enum`; its members are `NAME = "value"`. The
//!   wire value is what `to_ams_dict` returns: the member's entry in its
//!   `{"NAME": "wire", ...}[self.name]` table (which differs from the
//!   member's value for `DisputeEvidenceType` and `InStorePaymentScenario`),
//!   the member's name for `return self.name`, else the value. An enum used
//!   for request paths is a path table, not a wire enum.
//! - Several files define a class of the same name (hand-written and
//!   generated copies). Requests keep every definition (the audit unions
//!   them per path). For models and enums one is kept: the file named after
//!   the class in snake_case, else the file named like the class, else the
//!   first by path; the others are listed as `duplicates`. A base class is
//!   the one the file imports.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use super::inventory::{EnumClass, Inventory, Model, Request, Response, FORMAT};
use super::python::{blocks, logical_lines, Block, Line, Tok};
use super::Error;

/// The SDK's sources inside its package.
pub const SOURCE_ROOT: &str = "com/alipay/ams/api";
/// The Python package of [`SOURCE_ROOT`], as imports spell it.
const IMPORT_ROOT: &str = "com.alipay.ams.api";
/// The base classes of every request class.
pub const REQUEST_BASES: [&str; 2] = ["AlipayRequest", "AlipayFileRequest"];
/// The base class of every response class.
pub const RESPONSE_BASES: [&str; 1] = ["AlipayResponse"];

/// The release an inventory describes (the inventory's header).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Release {
    /// The package name on PyPI.
    pub package: String,
    /// The release.
    pub version: String,
    /// The file name of the downloaded wheel or sdist.
    pub file: String,
    /// Its lower-case hex SHA-256.
    pub sha256: String,
}

/// Every `.py` file below `api_root` (the [`SOURCE_ROOT`] directory), as
/// `(path relative to api_root with '/' separators, text)` sorted by path.
pub fn read_tree(api_root: &Path) -> Result<Vec<(String, String)>, Error> {
    fn walk(dir: &Path, rel: &str, out: &mut Vec<(String, String)>) -> Result<(), Error> {
        let io = |source| Error::Io {
            path: dir.display().to_string(),
            source,
        };
        let mut entries: Vec<_> = std::fs::read_dir(dir)
            .map_err(io)?
            .collect::<Result<_, _>>()
            .map_err(io)?;
        entries.sort_by_key(|e| e.file_name());
        for entry in entries {
            let name = entry.file_name().to_string_lossy().into_owned();
            let path = entry.path();
            let child = if rel.is_empty() {
                name.clone()
            } else {
                format!("{rel}/{name}")
            };
            if path.is_dir() {
                walk(&path, &child, out)?;
            } else if name.ends_with(".py") {
                let bytes = std::fs::read(&path).map_err(|source| Error::Io {
                    path: path.display().to_string(),
                    source,
                })?;
                out.push((child, String::from_utf8_lossy(&bytes).replace("\r\n", "\n")));
            }
        }
        Ok(())
    }
    let mut out = Vec::new();
    walk(api_root, "", &mut out)?;
    out.sort();
    Ok(out)
}

/// The inventory of the sources `files` (as from [`read_tree`]).
pub fn extract(release: &Release, files: &[(String, String)]) -> Inventory {
    let sdk = Sdk::read(files);
    sdk.inventory(release)
}

/// The first argument of a request's `super().__init__(...)`.
#[derive(Debug, Clone, PartialEq, Eq)]
enum PathArg {
    Literal(String),
    Member { table: String, member: String },
}

/// What one class's source says.
#[derive(Debug, Default)]
struct Class {
    name: String,
    file: String,
    bases: Vec<String>,
    is_enum: bool,
    path_arg: Option<PathArg>,
    written: BTreeSet<String>,
    read: BTreeSet<String>,
    attributes: BTreeSet<String>,
    members: Vec<(String, String)>,
    wire_table: BTreeMap<String, String>,
    wire_is_name: bool,
}

/// What an import binds a local name to: a class of a module, or a module.
#[derive(Debug, Clone)]
enum Import {
    Class { file: String, class: String },
    Module { file: String },
}

/// An upload operation: a request class and its path and response class.
#[derive(Debug, Clone)]
struct Operation {
    file: String,
    request: String,
    path: Option<String>,
    response: Option<String>,
}

struct Sdk {
    classes: Vec<Class>,
    by_name: BTreeMap<String, Vec<usize>>,
    imports: BTreeMap<String, BTreeMap<String, Import>>,
    operations: Vec<Operation>,
}

impl Sdk {
    fn read(files: &[(String, String)]) -> Sdk {
        let known: BTreeSet<&str> = files.iter().map(|(f, _)| f.as_str()).collect();
        let mut sdk = Sdk {
            classes: Vec::new(),
            by_name: BTreeMap::new(),
            imports: BTreeMap::new(),
            operations: Vec::new(),
        };
        for (file, text) in files {
            let lines = logical_lines(text);
            sdk.imports.insert(file.clone(), imports(&lines, &known));
            sdk.operations.extend(operations(file, &lines));
            for block in blocks(&lines, "class") {
                if block.header.indent != 0 {
                    continue;
                }
                let class = read_class(file, &block);
                sdk.by_name
                    .entry(class.name.clone())
                    .or_default()
                    .push(sdk.classes.len());
                sdk.classes.push(class);
            }
        }
        sdk
    }

    /// The class `name` as seen from `file`: the one it imports, the one it
    /// defines, else the canonical definition.
    fn resolve(&self, name: &str, file: &str) -> Option<usize> {
        let defined_in = |f: &str, n: &str| {
            self.by_name
                .get(n)?
                .iter()
                .copied()
                .find(|&i| self.classes[i].file == f)
        };
        match self.imports.get(file).and_then(|m| m.get(name)) {
            Some(Import::Class { file: f, class }) => {
                if let Some(i) = defined_in(f, class) {
                    return Some(i);
                }
            }
            Some(Import::Module { .. }) => return None,
            None => {}
        }
        defined_in(file, name).or_else(|| self.canonical(self.by_name.get(name)?))
    }

    /// Of several definitions of one name, the one the module name points to.
    fn canonical(&self, candidates: &[usize]) -> Option<usize> {
        let stem = |i: usize| {
            let f = &self.classes[i].file;
            let base = f.rsplit('/').next().unwrap_or(f);
            base.trim_end_matches(".py").to_owned()
        };
        let snake = |i: usize| snake_case(&self.classes[i].name);
        candidates
            .iter()
            .copied()
            .find(|&i| stem(i) == snake(i))
            .or_else(|| {
                candidates
                    .iter()
                    .copied()
                    .find(|&i| stem(i) == self.classes[i].name)
            })
            .or_else(|| {
                candidates
                    .iter()
                    .copied()
                    .min_by(|&a, &b| self.classes[a].file.cmp(&self.classes[b].file))
            })
    }

    /// The SDK base classes of class `i`, resolved from its file.
    fn bases(&self, i: usize) -> Vec<usize> {
        let c = &self.classes[i];
        c.bases
            .iter()
            .filter_map(|b| self.resolve(last_segment(b), &c.file))
            .filter(|&b| b != i)
            .collect()
    }

    /// Class `i` and every SDK class it derives from, nearest first.
    fn lineage(&self, i: usize) -> Vec<usize> {
        let mut out = vec![i];
        let mut next = 0;
        while next < out.len() {
            for b in self.bases(out[next]) {
                if !out.contains(&b) {
                    out.push(b);
                }
            }
            next += 1;
        }
        out
    }

    /// Whether class `i` derives (at any depth) from a class named in `roots`.
    fn derives_from(&self, i: usize, roots: &[&str]) -> bool {
        self.lineage(i).iter().any(|&a| {
            self.classes[a]
                .bases
                .iter()
                .any(|b| roots.contains(&last_segment(b)))
        })
    }

    fn is_request(&self, i: usize) -> bool {
        !REQUEST_BASES.contains(&self.classes[i].name.as_str())
            && self.derives_from(i, &REQUEST_BASES)
    }

    fn is_response(&self, i: usize) -> bool {
        !RESPONSE_BASES.contains(&self.classes[i].name.as_str())
            && self.derives_from(i, &RESPONSE_BASES)
    }

    fn union(&self, i: usize, pick: impl Fn(&Class) -> &BTreeSet<String>) -> Vec<String> {
        let mut out = BTreeSet::new();
        for a in self.lineage(i) {
            out.extend(pick(&self.classes[a]).iter().cloned());
        }
        out.into_iter().collect()
    }

    /// The model and enum classes the file of class `i` imports.
    fn refs(&self, i: usize, path_tables: &BTreeSet<usize>) -> Vec<String> {
        let file = &self.classes[i].file;
        let mut out = BTreeSet::new();
        for import in self.imports.get(file).into_iter().flat_map(|m| m.values()) {
            let (f, only) = match import {
                Import::Class { file, class } => (file, Some(class)),
                Import::Module { file } => (file, None),
            };
            if !f.starts_with("model/") {
                continue;
            }
            for (j, c) in self.classes.iter().enumerate() {
                if &c.file == f
                    && only.is_none_or(|n| *n == c.name)
                    && j != i
                    && !path_tables.contains(&j)
                {
                    out.insert(c.name.clone());
                }
            }
        }
        out.into_iter().collect()
    }

    fn operation(&self, request: usize) -> Option<&Operation> {
        self.operations
            .iter()
            .find(|o| self.resolve(&o.request, &o.file) == Some(request))
    }

    /// The path of request class `i`, from its `__init__` or its base's, or
    /// from an operation table.
    fn path(&self, i: usize) -> Option<String> {
        for a in self.lineage(i) {
            let c = &self.classes[a];
            match &c.path_arg {
                Some(PathArg::Literal(p)) => return Some(p.clone()),
                Some(PathArg::Member { table, member }) => {
                    let t = self.resolve(table, &c.file)?;
                    return self.classes[t]
                        .members
                        .iter()
                        .find(|(n, _)| n == member)
                        .map(|(_, v)| v.clone());
                }
                None => {}
            }
        }
        self.operation(i).and_then(|o| o.path.clone())
    }

    /// The enums that requests use as path tables.
    fn path_tables(&self) -> BTreeSet<usize> {
        self.classes
            .iter()
            .filter_map(|c| match &c.path_arg {
                Some(PathArg::Member { table, .. }) => self.resolve(table, &c.file),
                _ => None,
            })
            .collect()
    }

    /// The response class of request class `i`.
    fn response_of(&self, i: usize) -> Option<usize> {
        if let Some(o) = self.operation(i) {
            if let Some(r) = o.response.as_deref().and_then(|r| self.resolve(r, &o.file)) {
                return Some(r);
            }
        }
        for a in self.lineage(i) {
            let c = &self.classes[a];
            let Some(stem) = c.name.strip_suffix("Request") else {
                continue;
            };
            let mut names = vec![format!("{stem}Response")];
            if stem.ends_with("Post") {
                names.push(format!("{stem}200Response"));
            }
            let dir = response_dir(&c.file);
            for name in &names {
                let candidates: Vec<usize> = self
                    .by_name
                    .get(name)
                    .into_iter()
                    .flatten()
                    .copied()
                    .filter(|&r| self.is_response(r))
                    .collect();
                let same_dir = candidates
                    .iter()
                    .copied()
                    .find(|&r| dir.as_deref() == Some(parent(&self.classes[r].file)));
                if let Some(r) = same_dir.or_else(|| self.canonical(&candidates)) {
                    return Some(r);
                }
            }
        }
        None
    }

    fn inventory(&self, release: &Release) -> Inventory {
        let tables = self.path_tables();
        let attributes = |i: usize, fields: &[String]| -> Vec<String> {
            if fields.is_empty() {
                self.classes[i].attributes.iter().cloned().collect()
            } else {
                Vec::new()
            }
        };
        let mut requests = Vec::new();
        let mut bound = BTreeSet::new();
        for (i, c) in self.classes.iter().enumerate() {
            if !self.is_request(i) {
                continue;
            }
            let fields = self.union(i, |c| &c.written);
            let path = self.path(i);
            if let Some(p) = &path {
                bound.insert(super::inventory::normalize_path(p));
            }
            let response = self.response_of(i).map(|r| {
                let fields = self.union(r, |c| &c.read);
                Response {
                    class: self.classes[r].name.clone(),
                    file: self.classes[r].file.clone(),
                    refs: self.refs(r, &tables),
                    attributes: attributes(r, &fields),
                    fields,
                }
            });
            requests.push(Request {
                class: c.name.clone(),
                file: c.file.clone(),
                path,
                refs: self.refs(i, &tables),
                attributes: attributes(i, &fields),
                fields,
                response,
            });
        }
        requests.sort_by(|a, b| (&a.class, &a.file).cmp(&(&b.class, &b.file)));

        let mut unbound: BTreeSet<String> = BTreeSet::new();
        for &t in &tables {
            for (_, value) in &self.classes[t].members {
                if value.starts_with('/')
                    && !bound.contains(&super::inventory::normalize_path(value))
                {
                    unbound.insert(value.clone());
                }
            }
        }

        let mut models = Vec::new();
        let mut enums = Vec::new();
        for (name, defs) in &self.by_name {
            let enum_defs: Vec<usize> = defs
                .iter()
                .copied()
                .filter(|&i| self.classes[i].is_enum && !tables.contains(&i))
                .collect();
            let model_defs: Vec<usize> = defs
                .iter()
                .copied()
                .filter(|&i| {
                    let c = &self.classes[i];
                    c.file.starts_with("model/")
                        && !c.is_enum
                        && !self.is_request(i)
                        && !self.is_response(i)
                })
                .collect();
            let duplicates = |defs: &[usize], kept: usize| -> Vec<String> {
                let mut d: Vec<String> = defs
                    .iter()
                    .filter(|&&i| i != kept)
                    .map(|&i| self.classes[i].file.clone())
                    .collect();
                d.sort();
                d
            };
            if let Some(k) = self.canonical(&enum_defs) {
                let c = &self.classes[k];
                let mut values: Vec<String> = c
                    .members
                    .iter()
                    .map(|(n, v)| {
                        if let Some(w) = c.wire_table.get(n) {
                            w.clone()
                        } else if c.wire_is_name {
                            n.clone()
                        } else {
                            v.clone()
                        }
                    })
                    .collect();
                values.sort();
                values.dedup();
                enums.push(EnumClass {
                    class: name.clone(),
                    file: c.file.clone(),
                    values,
                    duplicates: duplicates(&enum_defs, k),
                });
            } else if let Some(k) = self.canonical(&model_defs) {
                let mut fields = self.union(k, |c| &c.written);
                fields.extend(self.union(k, |c| &c.read));
                fields.sort();
                fields.dedup();
                models.push(Model {
                    class: name.clone(),
                    file: self.classes[k].file.clone(),
                    refs: self.refs(k, &tables),
                    attributes: attributes(k, &fields),
                    fields,
                    duplicates: duplicates(&model_defs, k),
                });
            }
        }
        Inventory {
            format: FORMAT,
            package: release.package.clone(),
            version: release.version.clone(),
            file: release.file.clone(),
            sha256: release.sha256.clone(),
            source_root: SOURCE_ROOT.to_owned(),
            requests,
            unbound_paths: unbound.into_iter().collect(),
            models,
            enums,
        }
    }
}

fn last_segment(dotted: &str) -> &str {
    dotted.rsplit('.').next().unwrap_or(dotted)
}

fn parent(file: &str) -> &str {
    file.rsplit_once('/').map_or("", |(d, _)| d)
}

/// `request/pay/x.py` → `response/pay`.
fn response_dir(request_file: &str) -> Option<String> {
    let dir = parent(request_file);
    dir.strip_prefix("request")
        .map(|rest| format!("response{rest}"))
}

/// `DisputeJudgedResult` → `dispute_judged_result`, `ThreeDSResult` →
/// `three_ds_result`.
pub fn snake_case(name: &str) -> String {
    let chars: Vec<char> = name.chars().collect();
    let mut out = String::new();
    for (i, &c) in chars.iter().enumerate() {
        if c.is_uppercase() && i > 0 {
            let prev = chars[i - 1];
            let next_lower = chars.get(i + 1).is_some_and(|n| n.is_lowercase());
            if prev.is_lowercase() || prev.is_ascii_digit() || (prev.is_uppercase() && next_lower) {
                out.push('_');
            }
        }
        out.extend(c.to_lowercase());
    }
    out
}

/// The names a file's `from com.alipay.ams.api.X import A, B as C` lines
/// bind, resolved to files of `known`.
fn imports(lines: &[Line], known: &BTreeSet<&str>) -> BTreeMap<String, Import> {
    let mut out = BTreeMap::new();
    for line in lines {
        let toks = &line.toks;
        if !toks.first().is_some_and(|t| t.is_ident("from")) {
            continue;
        }
        let Some(at) = toks.iter().position(|t| t.is_ident("import")) else {
            continue;
        };
        let module: String = toks[1..at]
            .iter()
            .map(|t| match t {
                Tok::Ident(s) => s.as_str(),
                Tok::Punct(p) if p == "." => ".",
                _ => "?",
            })
            .collect();
        let Some(rest) = module
            .strip_prefix(IMPORT_ROOT)
            .map(|r| r.trim_start_matches('.'))
        else {
            continue;
        };
        let dir = rest.replace('.', "/");
        let names: Vec<&Tok> = toks[at + 1..]
            .iter()
            .filter(|t| !t.is_punct("(") && !t.is_punct(")"))
            .collect();
        for item in names.split(|t| t.is_punct(",")) {
            let (name, local) = match item {
                [Tok::Ident(n)] => (n, n),
                [Tok::Ident(n), a, Tok::Ident(l)] if a.is_ident("as") => (n, l),
                _ => continue,
            };
            let as_module = if dir.is_empty() {
                format!("{name}.py")
            } else {
                format!("{dir}/{name}.py")
            };
            let import = if known.contains(as_module.as_str()) {
                Import::Module { file: as_module }
            } else {
                Import::Class {
                    file: format!("{dir}.py"),
                    class: name.clone(),
                }
            };
            out.insert(local.clone(), import);
        }
    }
    out
}

/// The entries `(key tokens, value tokens)` of a `{...}` literal that makes
/// up `toks` exactly.
fn dict_entries(toks: &[Tok]) -> Option<Vec<(&[Tok], &[Tok])>> {
    if !(toks.first()?.is_punct("{") && toks.last()?.is_punct("}")) {
        return None;
    }
    let inner = &toks[1..toks.len() - 1];
    let mut out = Vec::new();
    let mut depth = 0usize;
    let mut start = 0;
    let mut colon = None;
    for (i, t) in inner.iter().enumerate() {
        match t {
            Tok::Punct(p) if matches!(p.as_str(), "(" | "[" | "{") => depth += 1,
            Tok::Punct(p) if matches!(p.as_str(), ")" | "]" | "}") => {
                depth = depth.saturating_sub(1)
            }
            Tok::Punct(p) if p == ":" && depth == 0 && colon.is_none() => colon = Some(i),
            Tok::Punct(p) if p == "," && depth == 0 => {
                if let Some(c) = colon.take() {
                    out.push((&inner[start..c], &inner[c + 1..i]));
                }
                start = i + 1;
            }
            _ => {}
        }
    }
    if let Some(c) = colon {
        out.push((&inner[start..c], &inner[c + 1..]));
    }
    Some(out)
}

/// Module-level operation tables: `OP = {"path": "...", "response_type":
/// Cls, ...}` and `OPERATIONS = {RequestCls: OP}`.
fn operations(file: &str, lines: &[Line]) -> Vec<Operation> {
    let mut tables: BTreeMap<&str, (Option<String>, Option<String>)> = BTreeMap::new();
    let mut links: Vec<(&str, &str)> = Vec::new();
    for line in lines.iter().filter(|l| l.indent == 0) {
        let [Tok::Ident(name), eq, value @ ..] = line.toks.as_slice() else {
            continue;
        };
        if !eq.is_punct("=") {
            continue;
        }
        let Some(entries) = dict_entries(value) else {
            continue;
        };
        let mut path = None;
        let mut response = None;
        for (k, v) in &entries {
            match (k, v) {
                ([Tok::Str(k)], [Tok::Str(v)]) if k == "path" => path = Some(v.clone()),
                ([Tok::Str(k)], [Tok::Ident(v)]) if k == "response_type" => {
                    response = Some(v.clone())
                }
                ([Tok::Ident(req)], [Tok::Ident(op)]) => links.push((req, op)),
                _ => {}
            }
        }
        if path.is_some() {
            tables.insert(name, (path, response));
        }
    }
    links
        .into_iter()
        .filter_map(|(request, op)| {
            let (path, response) = tables.get(op)?.clone();
            Some(Operation {
                file: file.to_owned(),
                request: request.to_owned(),
                path,
                response,
            })
        })
        .collect()
}

fn read_class(file: &str, block: &Block<'_>) -> Class {
    let bases = block.bases();
    let mut class = Class {
        name: block.name().to_owned(),
        file: file.to_owned(),
        is_enum: bases.iter().any(|b| last_segment(b) == "Enum"),
        bases,
        ..Class::default()
    };
    for line in block.statements() {
        if let Some(member) = enum_member(&line.toks) {
            class.members.push(member);
        }
    }
    for def in block.children("def") {
        let name = def.name();
        let plain = name.trim_start_matches('_');
        for line in def.body {
            let toks = &line.toks;
            if name == "__init__" {
                if class.path_arg.is_none() {
                    class.path_arg = super_init_arg(toks);
                }
                if let [s, dot, Tok::Ident(attr), eq, ..] = toks.as_slice() {
                    if s.is_ident("self") && dot.is_punct(".") && eq.is_punct("=") {
                        if let Some(a) = attr.strip_prefix("__") {
                            class.attributes.insert(a.to_owned());
                        }
                    }
                }
            }
            if plain == "to_ams_dict" {
                for (key, assigned) in subscript_keys(toks) {
                    if assigned {
                        class.written.insert(key);
                    }
                }
                if let Some(entries) = toks.iter().position(|t| t.is_punct("{")).and_then(|open| {
                    let close = toks.iter().rposition(|t| t.is_punct("}"))?;
                    dict_entries(&toks[open..=close])
                }) {
                    for (k, v) in entries {
                        if let ([Tok::Str(k)], [Tok::Str(v)]) = (k, v) {
                            class.wire_table.insert(k.clone(), v.clone());
                        }
                    }
                }
                if let [r, s, dot, n] = toks.as_slice() {
                    if r.is_ident("return") && s.is_ident("self") && dot.is_punct(".") {
                        class.wire_is_name = n.is_ident("name");
                    }
                }
            }
            if name.contains("parse") {
                for (key, assigned) in subscript_keys(toks) {
                    if !assigned {
                        class.read.insert(key);
                    }
                }
                for w in toks.windows(4) {
                    if let [dot, get, open, Tok::Str(key)] = w {
                        if dot.is_punct(".") && get.is_ident("get") && open.is_punct("(") {
                            class.read.insert(key.clone());
                        }
                    }
                }
            }
        }
    }
    class
}

/// `NAME = "value"` (or `NAME = ("value")`) at class level.
fn enum_member(toks: &[Tok]) -> Option<(String, String)> {
    match toks {
        [Tok::Ident(n), eq, Tok::Str(v)] if eq.is_punct("=") => Some((n.clone(), v.clone())),
        [Tok::Ident(n), eq, open, Tok::Str(v), close]
            if eq.is_punct("=") && open.is_punct("(") && close.is_punct(")") =>
        {
            Some((n.clone(), v.clone()))
        }
        _ => None,
    }
}

/// The first argument of `super(...).__init__(ARG ...)`: a string literal
/// or `Table.MEMBER`.
fn super_init_arg(toks: &[Tok]) -> Option<PathArg> {
    let at = toks.iter().position(|t| t.is_ident("super"))?;
    let init = toks[at..].iter().position(|t| t.is_ident("__init__"))? + at;
    if !toks.get(init + 1)?.is_punct("(") {
        return None;
    }
    let args = &toks[init + 2..];
    let ends = |t: Option<&Tok>| t.is_some_and(|t| t.is_punct(")") || t.is_punct(","));
    match args {
        [Tok::Str(s), ..] if ends(args.get(1)) => Some(PathArg::Literal(s.clone())),
        [Tok::Ident(table), dot, Tok::Ident(member), ..]
            if dot.is_punct(".") && ends(args.get(3)) =>
        {
            Some(PathArg::Member {
                table: table.clone(),
                member: member.clone(),
            })
        }
        _ => None,
    }
}

/// Every `x["key"]` in `toks` (after a name or a closing bracket), and
/// whether it is assigned (`x["key"] = ...`).
fn subscript_keys(toks: &[Tok]) -> Vec<(String, bool)> {
    let mut out = Vec::new();
    for i in 1..toks.len().saturating_sub(2) {
        let owner = &toks[i - 1];
        let subscriptable = matches!(owner, Tok::Ident(n) if n != "self")
            || owner.is_punct(")")
            || owner.is_punct("]");
        if subscriptable && toks[i].is_punct("[") && toks[i + 2].is_punct("]") {
            if let Tok::Str(key) = &toks[i + 1] {
                let assigned = toks.get(i + 3).is_some_and(|t| t.is_punct("="));
                out.push((key.clone(), assigned));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snake_case_follows_the_sdk_module_names() {
        assert_eq!(snake_case("DisputeJudgedResult"), "dispute_judged_result");
        assert_eq!(snake_case("ThreeDSResult"), "three_ds_result");
        assert_eq!(snake_case("Amount"), "amount");
        assert_eq!(snake_case("Customer2088Id"), "customer2088_id");
    }

    #[test]
    fn subscripts_tell_writes_from_reads() {
        let lines = logical_lines(
            "params['a'] = self.a\nx = body[\"b\"]\nif y == d['c']:\n  pass\nself['no'] = 1\n",
        );
        let keys: Vec<_> = lines.iter().flat_map(|l| subscript_keys(&l.toks)).collect();
        assert_eq!(
            keys,
            [
                ("a".to_owned(), true),
                ("b".to_owned(), false),
                ("c".to_owned(), false)
            ]
        );
    }

    #[test]
    fn super_init_arguments() {
        let arg = |s: &str| super_init_arg(&logical_lines(s)[0].toks);
        assert_eq!(
            arg("super(X, self).__init__(\"/ams/api/v1/a\")"),
            Some(PathArg::Literal("/ams/api/v1/a".into()))
        );
        assert_eq!(
            arg("super(AlipayRequest, self).__init__(\n    AntomPathConstants.RISK_PATH\n)"),
            Some(PathArg::Member {
                table: "AntomPathConstants".into(),
                member: "RISK_PATH".into()
            })
        );
        assert_eq!(arg("super(X, self).__init__()"), None);
        assert_eq!(arg("super(X, self).__init__(notify_body)"), None);
    }
}
