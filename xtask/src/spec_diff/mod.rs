//! `cargo xtask spec-diff OLD NEW`: what a spec update breaks.
//!
//! [`diff`] compares two loaded specs, a pure function: it finds renames
//! ([`renames`]), lists every difference of the IRs by spec name
//! ([`ir_diff`], the spec view) and of the public API the generator makes of
//! them by Rust path ([`surface`], the Rust view), and classifies each one
//! ([`classify`]) as wire-breaking, API-breaking, additive or documentation.
//! [`run`] reads OLD and NEW (directories or `REV:path`, see [`input`]) and
//! renders the [`Report`] ([`render`]) as text or JSON.

use std::path::Path;

pub mod change;
pub mod classify;
pub mod input;
pub mod ir_diff;
pub mod renames;
pub mod render;
pub mod surface;

use antom_spec::ir::Spec;

pub use change::{Bump, Change, Class, Difference, Report};

/// Why `cargo xtask spec-diff` could not compare.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The argument is neither a directory nor `REV:path`.
    #[error("{input}: no such directory (and not a `REV:path` git revision)")]
    NotFound {
        /// The argument.
        input: String,
    },
    /// The spec has errors.
    #[error("{input}: the spec does not load:\n{diagnostics}")]
    Load {
        /// The argument.
        input: String,
        /// The loader's rendered diagnostics.
        diagnostics: String,
    },
    /// The revision is not one of the repository's.
    #[error("{input}: `{rev}` is not a revision of this repository{}", if .message.is_empty() { String::new() } else { format!(" ({})", .message) })]
    UnknownRev {
        /// The argument.
        input: String,
        /// The revision.
        rev: String,
        /// What git said.
        message: String,
    },
    /// The revision has no such directory.
    #[error("{input}: `{path}` is not a directory at revision `{rev}` (the path is relative to the repository's root)")]
    NotInRev {
        /// The argument.
        input: String,
        /// The revision.
        rev: String,
        /// The path.
        path: String,
    },
    /// `git` could not be run.
    #[error("cannot run `git {args}`: {source}")]
    Git {
        /// The arguments.
        args: String,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// `git` failed unexpectedly.
    #[error("`git {args}` failed: {message}")]
    GitFailed {
        /// The arguments.
        args: String,
        /// What git said.
        message: String,
    },
}

/// Every classified change from `old` to `new`, sorted.
pub fn diff(old: &Spec, new: &Spec) -> Report {
    let renames = renames::detect(old, new);
    let mut differences = ir_diff::differences(old, new, &renames);
    differences.extend(surface::differences(
        &surface::surface(old),
        &surface::surface(new),
        &renames,
    ));
    Report::new(
        differences
            .into_iter()
            .map(|difference| Change {
                class: classify::classify(&difference),
                difference,
            })
            .collect(),
    )
}

/// How to render the report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// The human report.
    Text,
    /// The JSON document.
    Json,
}

/// The result of a run: the rendered report, whether it has breaking
/// changes, and notes on how the specs were read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    /// The report as text or JSON.
    pub output: String,
    /// Whether a change is wire-breaking or API-breaking.
    pub breaking: bool,
    /// How OLD or NEW were read in today's format (see [`input`]); the JSON
    /// document carries them too.
    pub notes: Vec<String>,
}

/// The version of the generated crate `antom`, which shares the workspace's
/// version with this crate.
pub const CRATE_VERSION: &str = env!("CARGO_PKG_VERSION");

/// Loads `old` and `new` (directories relative to `cwd`, or `REV:path` of
/// the repository `cwd` is in) and renders what changed.
pub fn run(old: &str, new: &str, format: Format, cwd: &Path) -> Result<Rendered, Error> {
    let old_spec = input::load(old, cwd)?;
    let new_spec = input::load(new, cwd)?;
    let report = diff(&old_spec.spec, &new_spec.spec);
    let mut notes = old_spec.notes;
    notes.extend(new_spec.notes);
    let output = match format {
        Format::Text => render::text(&report, old, new, CRATE_VERSION),
        Format::Json => render::json(&report, old, new, CRATE_VERSION, &notes),
    };
    Ok(Rendered {
        output,
        breaking: report.is_breaking(),
        notes,
    })
}
