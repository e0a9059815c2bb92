//! The Antom spec: YAML source of truth → validated IR.
//!
//! Place in the data path: **spec** → IR → codegen → generated → runtime →
//! conformance. The first step: it reads the YAML and hands the IR to
//! `antom-codegen`; its closed vocabularies come from `antom-protocol`.
//!
//! A spec is a directory of YAML files in the format of `spec/FORMAT.md`.
//! [`load_dir`] (or [`load_sources`] for in-memory files) parses every file,
//! reports **every** problem in one pass — syntax errors, unknown keys (with
//! "did you mean"), wrong types, dangling references, duplicates, naming and
//! status/action rules — each with `file:line:col` and a hint, and produces
//! the reference-resolved [`ir::Spec`] only when there is no error.
//!
//! ```
//! let files = vec![(
//!     "antom/regions.yaml".to_owned(),
//!     "regions:\n  NORTH_AMERICA:\n    name: North America\n    hosts:\n      - url: https://open-na-global.alipay.com\n        recommended: true\n".to_owned(),
//! )];
//! let spec = antom_spec::load_sources(&files).unwrap();
//! assert_eq!(spec.regions[0].id, "NORTH_AMERICA");
//!
//! let broken = vec![("a.yaml".to_owned(), "regions:\n  NORTH_AMERICA:\n    nmae: x\n".to_owned())];
//! let err = antom_spec::load_sources(&broken).unwrap_err();
//! assert!(err.to_string().contains("did you mean `name`?"));
//! ```

#![warn(missing_docs)]

mod check;
mod de;
mod diag;
pub mod format;
pub mod ir;
mod yaml;

use std::path::{Path, PathBuf};

use serde::Deserialize;

pub use diag::{Diagnostic, Diagnostics, Severity};

/// The result of checking a spec: the IR when there is no error, and every
/// diagnostic (errors and warnings).
#[derive(Debug, Clone)]
pub struct Checked {
    /// The IR, present exactly when `diagnostics` has no error.
    pub spec: Option<ir::Spec>,
    /// Every diagnostic, sorted by file and position.
    pub diagnostics: Diagnostics,
}

/// Loads the spec in `dir`: every `*.yaml` file below it (recursively, sorted
/// by path), merged and validated.
///
/// Diagnostics name files by a path relative to `dir`'s parent, with `/`
/// separators (e.g. `antom/payments.yaml` for `load_dir("spec/antom")`), so the
/// rendering is the same on every machine.
pub fn load_dir(dir: impl AsRef<Path>) -> Result<ir::Spec, Diagnostics> {
    into_result(check_dir(dir))
}

/// Loads a spec from in-memory files: `(display path, contents)` pairs. The
/// files are processed sorted by display path.
pub fn load_sources(files: &[(String, String)]) -> Result<ir::Spec, Diagnostics> {
    into_result(check_sources(files))
}

fn into_result(c: Checked) -> Result<ir::Spec, Diagnostics> {
    match c.spec {
        Some(spec) => Ok(spec),
        None => Err(c.diagnostics),
    }
}

/// Like [`load_dir`], but also returns the warnings of a valid spec.
pub fn check_dir(dir: impl AsRef<Path>) -> Checked {
    let dir = dir.as_ref();
    let base = dir
        .canonicalize()
        .ok()
        .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .or_else(|| dir.file_name().map(|n| n.to_string_lossy().into_owned()));
    let display = |rel: &Path| -> String {
        let rel = rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect::<Vec<_>>()
            .join("/");
        match &base {
            Some(b) => format!("{b}/{rel}"),
            None => rel,
        }
    };
    let dir_display = base.clone().unwrap_or_else(|| dir.display().to_string());
    let io_error = |file: String, message: String, hint: &str| Checked {
        spec: None,
        diagnostics: Diagnostics::new(vec![Diagnostic {
            severity: Severity::Error,
            message,
            file,
            line: 1,
            col: 1,
            hint: Some(hint.to_owned()),
            source_line: None,
            len: 1,
        }]),
    };
    let mut paths = Vec::new();
    let mut ignored = Vec::new();
    if let Err(e) = collect_yaml(dir, Path::new(""), 0, &mut paths, &mut ignored) {
        return io_error(
            dir_display,
            format!("cannot read the spec directory: {e}"),
            "pass the directory that holds the spec's `*.yaml` files",
        );
    }
    if paths.is_empty() {
        return io_error(
            dir_display,
            "the spec directory has no `*.yaml` files".to_owned(),
            "pass the directory that holds the spec's `*.yaml` files",
        );
    }
    let mut files = Vec::with_capacity(paths.len());
    for rel in paths {
        let shown = display(&rel);
        match std::fs::read(dir.join(&rel)) {
            Err(e) => {
                return io_error(
                    shown,
                    format!("cannot read the file: {e}"),
                    "check the file's permissions",
                )
            }
            Ok(bytes) => match String::from_utf8(bytes) {
                Ok(text) => files.push((shown, text)),
                Err(_) => {
                    return io_error(
                        shown,
                        "the file is not valid UTF-8".to_owned(),
                        "save the file as UTF-8",
                    )
                }
            },
        }
    }
    let mut checked = check_sources(&files);
    if !ignored.is_empty() {
        let mut diags: Vec<Diagnostic> = checked.diagnostics.into_iter().collect();
        diags.extend(ignored.iter().map(|rel| Diagnostic {
            severity: Severity::Warning,
            message: "this file is not part of the spec: spec files end in `.yaml`".to_owned(),
            file: display(rel),
            line: 1,
            col: 1,
            hint: Some("rename it to `.yaml`".to_owned()),
            source_line: None,
            len: 1,
        }));
        checked.diagnostics = Diagnostics::new(diags);
    }
    checked
}

/// Collects `*.yaml` paths below `dir` relative to it (and `*.yml` ones into
/// `ignored`).
fn collect_yaml(
    root: &Path,
    rel: &Path,
    depth: usize,
    out: &mut Vec<PathBuf>,
    ignored: &mut Vec<PathBuf>,
) -> std::io::Result<()> {
    if depth > 32 {
        return Ok(());
    }
    let mut entries: Vec<_> = std::fs::read_dir(root.join(rel))?.collect::<Result<_, _>>()?;
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let name = PathBuf::from(entry.file_name());
        let path = rel.join(&name);
        let meta = std::fs::metadata(root.join(&path))?;
        if meta.is_dir() {
            collect_yaml(root, &path, depth + 1, out, ignored)?;
        } else if name.extension().is_some_and(|e| e == "yaml") {
            out.push(path);
        } else if name.extension().is_some_and(|e| e == "yml") {
            ignored.push(path);
        }
    }
    out.sort();
    Ok(())
}

/// Like [`load_sources`], but also returns the warnings of a valid spec.
pub fn check_sources(files: &[(String, String)]) -> Checked {
    let mut order: Vec<&(String, String)> = files.iter().collect();
    order.sort_by(|a, b| a.0.cmp(&b.0));
    let mut raw: Vec<(usize, yaml::Pos, String, Option<String>)> = Vec::new();
    let mut sources = Vec::with_capacity(order.len());
    for (i, (path, text)) in order.iter().enumerate() {
        match yaml::parse(text) {
            Err(errors) => {
                for e in errors {
                    raw.push((i, e.pos, e.message, Some(e.hint)));
                }
                sources.push(check::Source {
                    path,
                    text,
                    root: None,
                    file: None,
                });
            }
            Ok(root) => {
                let ctx = de::Ctx::default();
                let file =
                    match format::Item::<format::SpecFile>::deserialize(de::De::new(&root, &ctx)) {
                        Ok(format::Item::Ok(file)) => Some(file),
                        Ok(format::Item::Bad) | Err(_) => None,
                    };
                for d in ctx.diags.into_inner() {
                    raw.push((i, d.pos, d.message, d.hint));
                }
                sources.push(check::Source {
                    path,
                    text,
                    root: Some(root),
                    file,
                });
            }
        }
    }
    let mut report = check::Report::new(&sources);
    for (file, pos, message, hint) in raw {
        report.at_pos(Severity::Error, file, pos, message, hint);
    }
    let (spec, mut diags) = check::check_and_lower(&sources, report);
    if spec.is_none() && !diags.iter().any(|d| d.severity == Severity::Error) {
        // Unreachable when the checks are complete; never return neither.
        diags.push(Diagnostic {
            severity: Severity::Error,
            message: "the spec could not be lowered to the IR".to_owned(),
            file: order.first().map(|f| f.0.clone()).unwrap_or_default(),
            line: 1,
            col: 1,
            hint: Some("this is a loader bug: please report it with the spec".to_owned()),
            source_line: None,
            len: 1,
        });
    }
    Checked {
        spec,
        diagnostics: Diagnostics::new(diags),
    }
}

/// The stable identifier (`$id`) of the spec format's JSON Schema: the same
/// for every copy of the schema, wherever it is stored.
pub const JSON_SCHEMA_ID: &str = "urn:antom-toolkit:antom-spec:schema:1";

/// The JSON Schema (draft 2020-12) of one spec file, pretty-printed, ending
/// with a newline, identified by [`JSON_SCHEMA_ID`]. `cargo xtask gen` writes
/// it to `spec/antom-spec.schema.json`; `antom spec schema` writes it anywhere
/// (next to spec files kept outside this repository, for editors).
pub fn json_schema() -> String {
    let mut schema = schemars::schema_for!(format::SpecFile);
    schema.insert("$id".to_owned(), JSON_SCHEMA_ID.into());
    let mut out =
        serde_json::to_string_pretty(&schema).expect("a JSON value always serializes to a string");
    out.push('\n');
    out
}
