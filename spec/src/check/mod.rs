//! Merging the files of a spec, semantic validation and lowering to the IR.
//!
//! One job per submodule, each depending only on those listed before it:
//!
//! - `report`: the loaded sources and the diagnostics placed in them;
//! - `names`: the naming rules (UpperCamelCase, lowerCamelCase,
//!   SCREAMING_SNAKE_CASE) and their suggestions;
//! - `merge`: the items of all files in one namespace per kind, duplicates
//!   reported;
//! - `types`: parsing and resolving field types;
//! - `models`: models, enums and references to them;
//! - `codes`: result codes, SDK event codes and result-code lists;
//! - `endpoints`, `notifications`, `regions`: the checks of each section;
//! - `unused`: warnings for models and enums nothing refers to;
//! - `lower`: the validated spec turned into the IR.

mod codes;
mod endpoints;
mod lower;
mod merge;
mod models;
mod names;
mod notifications;
mod regions;
mod report;
mod types;
mod unused;

pub(crate) use report::{Report, Source};

use crate::diag::{Diagnostic, Severity};
use crate::ir;
use codes::{check_codes, check_sdk};
use endpoints::check_endpoints;
use merge::Merged;
use models::{check_enums, check_models};
use notifications::check_notifications;
use regions::{check_regions, check_sandbox_ack};
use unused::check_unused;

/// Validates the parsed files. Returns the IR when nothing is wrong so far.
pub(crate) fn check_and_lower(
    sources: &[Source<'_>],
    mut report: Report<'_>,
) -> (Option<ir::Spec>, Vec<Diagnostic>) {
    let merged = merge::merge(sources, &mut report);
    validate(&merged, &mut report);
    let errors = report.diags.iter().any(|d| d.severity == Severity::Error)
        || sources.iter().any(|s| s.file.is_none());
    if errors {
        return (None, report.diags);
    }
    (lower::lower(&merged), report.diags)
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
