//! `cargo xtask drift`: an offline audit of the spec against a pinned release
//! of Antom's official Python server SDK (`global-open-sdk-python`).
//!
//! One job per module:
//!
//! - [`python`]: a lexical reading of Python source (logical lines, tokens,
//!   classes and methods by indentation);
//! - [`extract`]: the SDK's sources → an [`inventory::Inventory`] (paths,
//!   JSON names of request, response and model fields, enum values);
//! - [`inventory`]: the inventory's data model and its canonical JSON file;
//! - [`refresh`]: `--refresh VERSION`: download the release from PyPI and
//!   write its inventory (the only step that uses the network);
//! - [`audit`]: the spec IR against an inventory → coverage and differences;
//! - [`exclusions`]: `spec/drift/exclusions.yaml`, the documented
//!   differences, and the judgement of every difference (excluded, or not;
//!   exclusions that match nothing are stale);
//! - [`report`]: the printed summary.
//!
//! [`run`] reads only checked-in files: the one inventory in
//! [`DRIFT_DIR`], the exclusions and `spec/antom`.

pub mod audit;
pub mod exclusions;
pub mod extract;
pub mod inventory;
pub mod python;
pub mod refresh;
pub mod report;
mod yaml;

use std::path::Path;

/// The directory of the inventory and the exclusions, relative to the
/// workspace root.
pub const DRIFT_DIR: &str = "spec/drift";
/// The exclusions file, relative to the workspace root.
pub const EXCLUSIONS_PATH: &str = "spec/drift/exclusions.yaml";
/// The SDK the audit compares with (its PyPI name).
pub const PACKAGE: &str = "global-open-sdk-python";

/// The inventory file of `version`, relative to the workspace root.
pub fn inventory_path(version: &str) -> String {
    format!("{DRIFT_DIR}/{PACKAGE}-{version}.json")
}

/// Why `cargo xtask drift` failed.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Reading or writing a file failed.
    #[error("{path}: {source}")]
    Io {
        /// The file or directory.
        path: String,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// The inventory is not valid JSON of the inventory's shape.
    #[error("{path}: not an SDK inventory: {source}")]
    InventoryJson {
        /// The inventory file.
        path: String,
        /// Where and why the JSON does not fit.
        #[source]
        source: serde_json::Error,
    },
    /// The inventory parses but is not canonical or not usable.
    #[error("{path}: the inventory is not canonical (regenerate it with `cargo xtask drift --refresh VERSION`):\n{}", bullets(.problems))]
    Inventory {
        /// The inventory file.
        path: String,
        /// Every problem found.
        problems: Vec<String>,
    },
    /// There is no inventory, or more than one, in [`DRIFT_DIR`].
    #[error("{dir}: {message}")]
    Pin {
        /// The directory searched.
        dir: String,
        /// What is wrong.
        message: String,
    },
    /// The exclusions file has errors (every one, each with `line:col`).
    #[error("{path} has errors:\n{}", bullets(.problems))]
    Exclusions {
        /// The exclusions file.
        path: String,
        /// Every problem, as `line:col: message`.
        problems: Vec<String>,
    },
    /// The spec does not load.
    #[error(transparent)]
    Spec(#[from] crate::codegen::Error),
    /// A command of the refresh failed.
    #[error("`{command}` failed ({status}){}", if .stderr.is_empty() { String::new() } else { format!(":\n{}", .stderr) })]
    Command {
        /// The command line.
        command: String,
        /// Its exit status, or why it did not start.
        status: String,
        /// The end of its standard error.
        stderr: String,
    },
    /// The downloaded package is not what the refresh expects.
    #[error("{file}: {message}")]
    Package {
        /// The downloaded file (or its directory).
        file: String,
        /// What is wrong.
        message: String,
    },
    /// The audit found undocumented differences or stale exclusions (the
    /// report, printed before, lists them).
    #[error("the spec drifted from {package} {version}: {undocumented} undocumented difference(s), {overlapping} excluded more than once, {stale} stale exclusion(s); document each difference once in {EXCLUSIONS_PATH} with a reason, and remove what no longer matches")]
    Drift {
        /// The SDK package.
        package: String,
        /// Its release.
        version: String,
        /// Differences no exclusion documents.
        undocumented: usize,
        /// Differences more than one exclusion documents.
        overlapping: usize,
        /// Exclusion patterns that match no difference.
        stale: usize,
    },
}

fn bullets(items: &[String]) -> String {
    items
        .iter()
        .map(|p| format!("  - {p}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The pinned inventory: the one `<PACKAGE>-<version>.json` in [`DRIFT_DIR`].
/// Returns its path relative to `root`.
pub fn pinned_inventory(root: &Path) -> Result<String, Error> {
    let dir = root.join(DRIFT_DIR);
    let found = inventory_files(&dir)?;
    match found.as_slice() {
        [one] => Ok(format!("{DRIFT_DIR}/{one}")),
        [] => Err(Error::Pin {
            dir: DRIFT_DIR.to_owned(),
            message: format!(
                "no `{PACKAGE}-<version>.json` inventory; create one with `cargo xtask drift --refresh <version>`"
            ),
        }),
        many => Err(Error::Pin {
            dir: DRIFT_DIR.to_owned(),
            message: format!(
                "several inventories ({}); keep the one of the pinned release",
                many.join(", ")
            ),
        }),
    }
}

/// The inventory files in `dir`, sorted.
fn inventory_files(dir: &Path) -> Result<Vec<String>, Error> {
    let io = |source| Error::Io {
        path: DRIFT_DIR.to_owned(),
        source,
    };
    let mut out = Vec::new();
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(out),
        Err(e) => return Err(io(e)),
    };
    for entry in entries {
        let name = entry
            .map_err(io)?
            .file_name()
            .to_string_lossy()
            .into_owned();
        if name.starts_with(&format!("{PACKAGE}-")) && name.ends_with(".json") {
            out.push(name);
        }
    }
    out.sort();
    Ok(out)
}

/// Options of a run.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Also list the excluded differences with their reasons.
    pub show_excluded: bool,
}

/// The audit of the checked-in files under `root`: the pinned inventory,
/// the exclusions and the spec. Offline.
pub fn audit_root(root: &Path) -> Result<report::Findings, Error> {
    let inventory_rel = pinned_inventory(root)?;
    let inventory = inventory::Inventory::load(&root.join(&inventory_rel), &inventory_rel)?;
    let exclusions = exclusions::Exclusions::load(&root.join(EXCLUSIONS_PATH), EXCLUSIONS_PATH)?;
    let spec = crate::codegen::load_spec(root)?;
    let comparison = audit::compare(&spec, &inventory);
    let judgement = exclusions.judge(&comparison.differences);
    Ok(report::Findings {
        inventory_path: inventory_rel,
        package: inventory.package.clone(),
        version: inventory.version.clone(),
        comparison,
        judgement,
        exclusions,
    })
}

/// `cargo xtask drift`: audits, prints the report to stdout, and fails when
/// a difference is undocumented or an exclusion stale.
pub fn run(root: &Path, options: &Options) -> Result<(), Error> {
    let outcome = audit_root(root)?;
    print!("{}", outcome.render(options.show_excluded));
    outcome.verdict()
}

/// `cargo xtask drift --refresh VERSION`: writes the inventory of `version`
/// (replacing the pinned one), then audits as [`run`].
pub fn refresh_and_run(root: &Path, version: &str, options: &Options) -> Result<(), Error> {
    let written = refresh::refresh(root, version)?;
    eprint!("{written}");
    run(root, options)
}
