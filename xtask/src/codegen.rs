//! `cargo xtask gen [--check]`: every spec-derived file of the repository.
//!
//! One driver ([`run`]) with a shared helper ([`write_or_check`]) and one
//! function per artefact: the generated crate's modules
//! ([`generated_sources`]), the protocol crate's constants
//! ([`protocol_tables`]), the spec's JSON Schema ([`schema`]) and the
//! reference documentation ([`reference_docs`]). Output is byte-identical on
//! every machine: the engine is deterministic, files are printed by
//! prettyplease, and nothing depends on paths, time or hash order.

use std::fmt;
use std::fs;
use std::path::{Path, PathBuf};

/// The command that regenerates the files, named in stale-file errors.
pub const COMMAND: &str = "cargo xtask gen";

/// Directory of the spec, relative to the workspace root.
pub const SPEC_DIR: &str = "spec/antom";
/// Directory of the generated modules, relative to the workspace root.
pub const GENERATED_DIR: &str = "generated/src";
/// The protocol crate's spec-wide constants.
pub const PROTOCOL_TABLES_PATH: &str = "protocol/src/tables.rs";
/// The JSON Schema of the spec format.
pub const SCHEMA_PATH: &str = "spec/antom-spec.schema.json";
/// The spec-derived reference documentation.
pub const DOCS_PATH: &str = "docs/reference.md";
/// JSON examples of spec models (one round-trip test each).
pub const EXAMPLES_DIR: &str = "generated/tests/examples";
/// The generated round-trip test over [`EXAMPLES_DIR`].
pub const ROUNDTRIP_TEST_PATH: &str = "generated/tests/roundtrip.rs";

/// Whether to write files or only compare them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Rewrite stale files (and delete orphaned generated files).
    Write,
    /// Write nothing; fail when a file is stale.
    Check,
}

/// Why `cargo xtask gen` failed.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The spec has errors (rendered diagnostics, each with `file:line:col`).
    #[error("the spec in {dir} has errors:\n{diagnostics}")]
    Spec {
        /// The spec directory.
        dir: String,
        /// The rendered diagnostics.
        diagnostics: String,
    },
    /// The generator rejected the spec.
    #[error(transparent)]
    Codegen(#[from] antom_codegen::Errors),
    /// A generated module did not parse (a generator bug).
    #[error(transparent)]
    Render(#[from] antom_codegen::Error),
    /// Reading or writing a file failed.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: String,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// The generated crate's manifest lacks a feature for a family of the
    /// spec (or `all-families` does not list it).
    #[error("{manifest} has no feature for the endpoint families {}: add `<family> = []` under [features] and the family to `all-families`", .families.join(", "))]
    FamilyFeatures {
        /// The manifest.
        manifest: String,
        /// The families without a feature.
        families: Vec<String>,
    },
    /// Check mode found stale files.
    #[error("generated files are stale:\n{}\nrun `{COMMAND}` and commit the result", .files.iter().map(|f| format!("  - {f}")).collect::<Vec<_>>().join("\n"))]
    Stale {
        /// The stale (or orphaned) files, relative to the workspace root.
        files: Vec<String>,
    },
}

/// What a run did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Report {
    /// Files that were already up to date.
    pub unchanged: Vec<String>,
    /// Files written (write mode) or found stale (check mode).
    pub changed: Vec<String>,
    /// Orphaned generated files deleted (write mode) or found (check mode).
    pub removed: Vec<String>,
    /// The mode of the run.
    pub check: bool,
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for c in &self.changed {
            writeln!(f, "{} {c}", if self.check { "stale:" } else { "updated:" })?;
        }
        for r in &self.removed {
            writeln!(
                f,
                "{} {r}",
                if self.check { "orphaned:" } else { "removed:" }
            )?;
        }
        writeln!(
            f,
            "{} file(s) up to date, {} {}",
            self.unchanged.len(),
            self.changed.len() + self.removed.len(),
            if self.check { "stale" } else { "changed" }
        )
    }
}

/// One output file: path relative to the workspace root, and contents.
pub type Artefact = (String, String);

/// Regenerates (or checks) every spec-derived file under `root`.
pub fn run(root: &Path, mode: Mode) -> Result<Report, Error> {
    let spec = load_spec(root)?;
    check_family_features(root, &spec)?;
    let mut files = generated_sources(&spec)?;
    files.push(protocol_tables(&spec)?);
    files.push(schema());
    files.push(reference_docs(&spec));
    files.push(roundtrip_tests(root, &spec)?);

    let mut report = Report {
        check: mode == Mode::Check,
        ..Report::default()
    };
    for (rel, contents) in &files {
        write_or_check(root, rel, contents, mode, &mut report)?;
    }
    remove_orphans(root, &files, mode, &mut report)?;
    if mode == Mode::Check && !(report.changed.is_empty() && report.removed.is_empty()) {
        let mut files = report.changed.clone();
        files.extend(
            report
                .removed
                .iter()
                .map(|r| format!("{r} (no longer generated)")),
        );
        return Err(Error::Stale { files });
    }
    Ok(report)
}

/// The generated crate's manifest.
pub const GENERATED_MANIFEST: &str = "generated/Cargo.toml";

/// Every endpoint family of the spec has a feature in the generated crate's
/// manifest, listed in `all-families` (the generated code puts each family
/// behind `#[cfg(feature = "<family>")]`).
pub fn check_family_features(root: &Path, spec: &antom_spec::ir::Spec) -> Result<(), Error> {
    let path = root.join(GENERATED_MANIFEST);
    let text = fs::read_to_string(&path).map_err(|e| io(&path, e))?;
    let features = text
        .split("\n[")
        .find(|section| section.starts_with("features]"))
        .unwrap_or_default();
    let all = features
        .split("all-families = [")
        .nth(1)
        .and_then(|rest| rest.split(']').next())
        .unwrap_or_default();
    let mut missing: Vec<String> = spec
        .endpoints
        .iter()
        .map(|e| e.family.clone())
        .filter(|f| {
            let declared = features
                .lines()
                .any(|l| l.trim_start().starts_with(&format!("{f} = ")));
            !declared || !all.contains(&format!("\"{f}\""))
        })
        .collect();
    missing.sort();
    missing.dedup();
    if missing.is_empty() {
        Ok(())
    } else {
        Err(Error::FamilyFeatures {
            manifest: GENERATED_MANIFEST.to_owned(),
            families: missing,
        })
    }
}

/// Loads `spec/antom`.
pub fn load_spec(root: &Path) -> Result<antom_spec::ir::Spec, Error> {
    antom_spec::load_dir(root.join(SPEC_DIR)).map_err(|d| Error::Spec {
        dir: SPEC_DIR.to_owned(),
        diagnostics: d.to_string(),
    })
}

/// `generated/src/<module>.rs` for every generated module (and
/// `generated/src/<module>/<submodule>.rs` for its submodules).
pub fn generated_sources(spec: &antom_spec::ir::Spec) -> Result<Vec<Artefact>, Error> {
    let options = antom_codegen::Options {
        family_features: true,
        families: None,
    };
    let modules = antom_codegen::generate_with(spec, &options)?;
    Ok(antom_codegen::render_files(&modules)?
        .into_iter()
        .map(|(rel, text)| (format!("{GENERATED_DIR}/{rel}"), text))
        .collect())
}

/// `antom_protocol::tables`: the constants the runtime and the kit read.
pub fn protocol_tables(spec: &antom_spec::ir::Spec) -> Result<Artefact, Error> {
    let tokens = antom_codegen::protocol_tables(spec)?;
    Ok((
        PROTOCOL_TABLES_PATH.to_owned(),
        antom_codegen::render_tokens("tables", tokens)?,
    ))
}

/// The JSON Schema of the spec format (for editors).
pub fn schema() -> Artefact {
    let mut s = antom_spec::json_schema();
    if !s.ends_with('\n') {
        s.push('\n');
    }
    (SCHEMA_PATH.to_owned(), s)
}

/// The reference documentation.
pub fn reference_docs(spec: &antom_spec::ir::Spec) -> Artefact {
    (
        DOCS_PATH.to_owned(),
        antom_codegen::reference_markdown(spec),
    )
}

/// One `#[test]` per JSON example in [`EXAMPLES_DIR`] (named
/// `<ModelName>.<source>-<n>.json`), plus the list of covered files so a new
/// example without a test fails `every_example_is_covered`.
pub fn roundtrip_tests(root: &Path, spec: &antom_spec::ir::Spec) -> Result<Artefact, Error> {
    let dir = root.join(EXAMPLES_DIR);
    let mut names = Vec::new();
    match fs::read_dir(&dir) {
        Ok(entries) => {
            for entry in entries {
                let entry = entry.map_err(|e| io(&dir, e))?;
                if let Some(name) = entry.file_name().to_str() {
                    if name.ends_with(".json") {
                        names.push(name.to_owned());
                    }
                }
            }
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(io(&dir, e)),
    }
    names.sort();
    let mut out = String::new();
    out.push_str(antom_codegen::GENERATED_PREAMBLE);
    out.push_str(&format!(
        "//! Round trip of every JSON example in `{EXAMPLES_DIR}`: parse into the\n\
         //! spec model named by the file, serialize back, compare as JSON values.\n\n\
         mod support;\n\n\
         #[rustfmt::skip]\n\
         mod cases {{\n\
         use super::support;\n"
    ));
    for name in &names {
        let model = name.split('.').next().unwrap_or_default();
        let rest: String = name[model.len()..]
            .trim_end_matches(".json")
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() {
                    c.to_ascii_lowercase()
                } else {
                    '_'
                }
            })
            .collect();
        let test_name = format!("{}{rest}", antom_codegen::ident::snake(model));
        let body = match spec.model(model) {
            Some(_) if model == "Result" => {
                format!("support::roundtrip::<antom::models::ApiResult>({name:?});")
            }
            Some(_) => {
                let payload_of = spec.notifications.iter().find(|n| n.payload == model);
                match payload_of {
                    Some(n) => format!(
                        "support::roundtrip_notification::<antom::models::{model}>({name:?}, antom::notifications::NotificationKind::{});",
                        antom_codegen::ident::variant_name(&n.name)
                    ),
                    None => format!("support::roundtrip::<antom::models::{model}>({name:?});"),
                }
            }
            None => format!(
                "panic!(\"{name}: `{model}` is not a model of the spec; rename the file to `<ModelName>.<source>-<n>.json`\");"
            ),
        };
        out.push_str(&format!("\n#[test]\nfn {test_name}() {{\n    {body}\n}}\n"));
    }
    out.push_str("\n/// Every example file covered above.\nconst COVERED: &[&str] = &[\n");
    for name in &names {
        out.push_str(&format!("    {name:?},\n"));
    }
    out.push_str("];\n\n#[test]\nfn every_example_is_covered() {\n    support::assert_all_covered(COVERED);\n}\n}\n");
    Ok((ROUNDTRIP_TEST_PATH.to_owned(), out))
}

fn io(path: &Path, source: std::io::Error) -> Error {
    Error::Io {
        path: path.display().to_string(),
        source,
    }
}

/// Writes `contents` to `root/rel` when it differs (write mode), or records
/// the file as stale (check mode). Line endings of the existing file are
/// normalised before comparing, so a CRLF checkout is not stale.
pub fn write_or_check(
    root: &Path,
    rel: &str,
    contents: &str,
    mode: Mode,
    report: &mut Report,
) -> Result<(), Error> {
    let path = root.join(rel);
    let current = match fs::read_to_string(&path) {
        Ok(s) => Some(s.replace("\r\n", "\n")),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(io(&path, e)),
    };
    if current.as_deref() == Some(contents) {
        report.unchanged.push(rel.to_owned());
        return Ok(());
    }
    report.changed.push(rel.to_owned());
    if mode == Mode::Write {
        if let Some(dir) = path.parent() {
            fs::create_dir_all(dir).map_err(|e| io(dir, e))?;
        }
        fs::write(&path, contents).map_err(|e| io(&path, e))?;
    }
    Ok(())
}

/// Generated files in `generated/src` (recognised by the preamble) that the
/// current spec no longer produces.
fn remove_orphans(
    root: &Path,
    files: &[Artefact],
    mode: Mode,
    report: &mut Report,
) -> Result<(), Error> {
    /// Every `.rs` file under `dir`.
    fn collect(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), Error> {
        let entries = match fs::read_dir(dir) {
            Ok(e) => e,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
            Err(e) => return Err(io(dir, e)),
        };
        for entry in entries {
            let path = entry.map_err(|e| io(dir, e))?.path();
            if path.is_dir() {
                collect(&path, out)?;
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
        Ok(())
    }
    let mut candidates = Vec::new();
    collect(&root.join(GENERATED_DIR), &mut candidates)?;
    let mut orphans: Vec<(String, PathBuf)> = Vec::new();
    for path in candidates {
        let rel = path
            .strip_prefix(root)
            .unwrap_or(&path)
            .to_string_lossy()
            .replace('\\', "/");
        if files.iter().any(|(f, _)| *f == rel) {
            continue;
        }
        let text = fs::read_to_string(&path).map_err(|e| io(&path, e))?;
        if text.starts_with(antom_codegen::GENERATED_PREAMBLE) {
            orphans.push((rel, path));
        }
    }
    orphans.sort();
    for (rel, path) in orphans {
        report.removed.push(rel);
        if mode == Mode::Write {
            fs::remove_file(&path).map_err(|e| io(&path, e))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp_dir(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("xtask-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn write_or_check_records_and_writes() {
        let dir = temp_dir("woc");
        let mut report = Report::default();
        write_or_check(&dir, "a/b.txt", "x\n", Mode::Check, &mut report).unwrap();
        assert_eq!(report.changed, ["a/b.txt"]);
        assert!(!dir.join("a/b.txt").exists(), "check mode must not write");

        let mut report = Report::default();
        write_or_check(&dir, "a/b.txt", "x\n", Mode::Write, &mut report).unwrap();
        assert_eq!(fs::read_to_string(dir.join("a/b.txt")).unwrap(), "x\n");

        // CRLF checkouts are not stale.
        fs::write(dir.join("a/b.txt"), "x\r\n").unwrap();
        let mut report = Report::default();
        write_or_check(&dir, "a/b.txt", "x\n", Mode::Check, &mut report).unwrap();
        assert_eq!(report.unchanged, ["a/b.txt"]);
        let _ = fs::remove_dir_all(&dir);
    }

    #[test]
    fn orphaned_generated_files_are_found_and_hand_written_ones_kept() {
        let dir = temp_dir("orphans");
        let gen = dir.join(GENERATED_DIR);
        fs::create_dir_all(&gen).unwrap();
        fs::write(
            gen.join("old.rs"),
            format!("{}fn x() {{}}\n", antom_codegen::GENERATED_PREAMBLE),
        )
        .unwrap();
        fs::write(gen.join("lib.rs"), "//! hand-written\n").unwrap();
        let files = vec![(format!("{GENERATED_DIR}/models.rs"), String::new())];

        let mut report = Report::default();
        remove_orphans(&dir, &files, Mode::Check, &mut report).unwrap();
        assert_eq!(report.removed, [format!("{GENERATED_DIR}/old.rs")]);
        assert!(gen.join("old.rs").exists());

        let mut report = Report::default();
        remove_orphans(&dir, &files, Mode::Write, &mut report).unwrap();
        assert!(!gen.join("old.rs").exists());
        assert!(gen.join("lib.rs").exists());
        let _ = fs::remove_dir_all(&dir);
    }

    #[test]
    fn stale_error_names_files_and_command() {
        let e = Error::Stale {
            files: vec!["generated/src/models.rs".into()],
        };
        let s = e.to_string();
        assert!(s.contains("generated/src/models.rs"));
        assert!(s.contains("cargo xtask gen"));
    }

    #[test]
    fn every_family_needs_a_feature_in_the_generated_manifest() {
        let spec = load_spec(&crate::project_root()).unwrap();
        let dir = temp_dir("features");
        fs::create_dir_all(dir.join("generated")).unwrap();
        let manifest = fs::read_to_string(crate::project_root().join(GENERATED_MANIFEST)).unwrap();
        fs::write(dir.join(GENERATED_MANIFEST), &manifest).unwrap();
        check_family_features(&dir, &spec).unwrap();

        let without = manifest
            .replace("\"vaults\",", "")
            .replace("\nvaults = []", "");
        fs::write(dir.join(GENERATED_MANIFEST), without).unwrap();
        match check_family_features(&dir, &spec) {
            Err(Error::FamilyFeatures { families, .. }) => assert_eq!(families, ["vaults"]),
            other => panic!("{other:?}"),
        }
    }
}
