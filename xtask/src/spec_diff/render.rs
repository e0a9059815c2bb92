//! Rendering a [`Report`]: one line per change, the text report grouped by
//! class, and the JSON document.

use std::fmt::Write as _;

use serde::Serialize;

use super::change::{
    Aspect, Bump, Change, ChangeKind, Class, Difference, Kind, Member, Report, View,
};

/// The version of the JSON document's shape; it changes only when a field
/// is renamed or removed or its meaning changes.
pub const JSON_FORMAT: u32 = 1;

/// The one-line description of a difference, naming the item
/// (`model CaptureRequest: field captureAmount removed`).
pub fn summary(d: &Difference) -> String {
    match d.view() {
        View::Spec => spec_summary(d),
        View::Rust => rust_summary(d),
    }
}

fn show_values(d: &Difference) -> bool {
    let text = d.aspect.is_some_and(Aspect::is_text)
        || (d.kind == Kind::SdkEventCode && d.aspect == Some(Aspect::Action));
    !text
}

fn spec_summary(d: &Difference) -> String {
    let singleton = matches!(
        d.kind,
        Kind::Sandbox | Kind::Idempotency | Kind::Acknowledgement
    );
    let mut out = if singleton {
        d.kind.label().to_owned()
    } else if d.change == ChangeKind::Renamed && d.member.is_none() {
        format!("{} {}", d.kind.label(), d.old.as_deref().unwrap_or(&d.item))
    } else {
        format!("{} {}", d.kind.label(), d.item)
    };
    if let Some(Member { kind, name }) = &d.member {
        let name = match d.change {
            ChangeKind::Renamed => d.old.as_deref().unwrap_or(name),
            _ => name,
        };
        let _ = write!(out, ": {} {name}", kind.as_str());
    }
    let (old, new) = (d.old.as_deref(), d.new.as_deref());
    match d.change {
        ChangeKind::Added => {
            out.push_str(" added");
            if let Some(n) = new {
                let _ = write!(out, " ({n})");
            }
        }
        ChangeKind::Removed => {
            out.push_str(" removed");
            if let Some(o) = old {
                let _ = write!(out, " (was {o})");
            }
        }
        ChangeKind::Renamed => {
            let _ = write!(out, " renamed to {}", new.unwrap_or(&d.item));
        }
        ChangeKind::Changed => {
            let aspect = d.aspect.map_or("value", Aspect::as_str);
            if show_values(d) {
                let _ = write!(
                    out,
                    ": {aspect} {} → {}",
                    old.unwrap_or("none"),
                    new.unwrap_or("none")
                );
            } else {
                let _ = write!(out, ": {aspect} changed");
            }
        }
    }
    out
}

fn rust_summary(d: &Difference) -> String {
    let label = d.kind.label();
    match d.change {
        ChangeKind::Added => match d.new.as_deref() {
            Some(sig) if d.kind == Kind::Field => format!("{label} {} added: {sig}", d.item),
            _ => format!("{label} {} added", d.item),
        },
        ChangeKind::Removed => format!("{label} {} removed", d.item),
        ChangeKind::Renamed => {
            let old = d.old.as_deref().unwrap_or_default();
            let new = d.new.as_deref().unwrap_or(&d.item);
            let last = |p: &str| p.rsplit("::").next().map(str::to_owned);
            let verb = if last(old) == last(new) {
                "moved"
            } else {
                "renamed"
            };
            format!("{label} {old} {verb} to {new}")
        }
        ChangeKind::Changed => format!(
            "{label} {}: {} → {}",
            d.item,
            d.old.as_deref().unwrap_or_default(),
            d.new.as_deref().unwrap_or_default()
        ),
    }
}

/// What a bump means for a version, for the summary line.
fn bump_line(bump: Bump, current: &str) -> String {
    match (bump, bump.next_version(current)) {
        (Bump::None, _) => format!("implied bump: none (stays {current})"),
        (Bump::Major, Some(next)) if current.starts_with("0.") => format!(
            "implied bump: major → {next} (from {current}: below 1.0 a breaking change bumps the minor version)"
        ),
        (Bump::Minor, Some(next)) if current.starts_with("0.") => format!(
            "implied bump: minor → {next} (from {current}: below 1.0 an addition bumps the patch version)"
        ),
        (b, Some(next)) => format!("implied bump: {} → {next} (from {current})", b.as_str()),
        (b, None) => format!("implied bump: {}", b.as_str()),
    }
}

/// The counts line: `3 wire-breaking, 0 api-breaking, ...`.
fn counts(report: &Report) -> String {
    Class::ALL
        .iter()
        .map(|c| format!("{} {c}", report.count(*c)))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The human report: a heading, the changes grouped by class (one line
/// each), and the summary with the implied bump of `current_version`.
pub fn text(report: &Report, old: &str, new: &str, current_version: &str) -> String {
    let mut out = format!("spec-diff {old} → {new}\n");
    if report.is_empty() {
        out.push_str("\nno differences\n");
    }
    for class in Class::ALL {
        let changes: Vec<&Change> = report.of_class(class).collect();
        if changes.is_empty() {
            continue;
        }
        let _ = writeln!(out, "\n{class} ({}):", changes.len());
        for c in changes {
            let _ = writeln!(out, "  {:<14} {}", class.as_str(), summary(&c.difference));
        }
    }
    let _ = writeln!(out, "\nsummary: {}", counts(report));
    let _ = writeln!(out, "{}", bump_line(report.bump(), current_version));
    if report.is_breaking() {
        out.push_str("breaking: yes (pass --allow-breaking to accept)\n");
    } else {
        out.push_str("breaking: no\n");
    }
    out
}

/// The JSON document (see the README for its fields).
#[derive(Debug, Serialize)]
pub struct Json<'a> {
    /// [`JSON_FORMAT`].
    pub format: u32,
    /// The OLD argument.
    pub old: &'a str,
    /// The NEW argument.
    pub new: &'a str,
    /// Whether any change is breaking.
    pub breaking: bool,
    /// The implied bump: `none`, `patch`, `minor` or `major`.
    pub bump: Bump,
    /// The generated crate's version the bump applies to.
    pub current_version: &'a str,
    /// The version after the bump (`null` when the current one is not
    /// `MAJOR.MINOR.PATCH`).
    pub next_version: Option<String>,
    /// How many changes each class has (every class present).
    pub counts: Counts,
    /// How OLD or NEW were read in today's spec format (usually empty).
    pub notes: &'a [String],
    /// The changes, sorted like the text report.
    pub changes: Vec<JsonChange<'a>>,
}

/// Changes per class.
#[derive(Debug, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct Counts {
    /// Wire-breaking changes.
    pub wire_breaking: usize,
    /// API-breaking changes.
    pub api_breaking: usize,
    /// Additive changes.
    pub additive: usize,
    /// Documentation changes.
    pub documentation: usize,
}

/// One change in the JSON document.
#[derive(Debug, Serialize)]
pub struct JsonChange<'a> {
    /// `wire-breaking`, `api-breaking`, `additive` or `documentation`.
    pub class: Class,
    /// `spec` (named by spec names) or `rust` (named by Rust paths).
    pub view: View,
    /// The kind of item (`model`, `endpoint`, ..., `field`, `method`, ...).
    pub kind: Kind,
    /// The item's spec name or Rust path.
    pub item: &'a str,
    /// The part of the item, if not the whole item.
    pub member: Option<&'a Member>,
    /// `added`, `removed`, `renamed` or `changed`.
    pub change: ChangeKind,
    /// The property that changed (`changed` only).
    pub aspect: Option<Aspect>,
    /// The old value or name.
    pub old: Option<&'a str>,
    /// The new value or name.
    pub new: Option<&'a str>,
    /// The report line.
    pub summary: String,
}

/// The JSON document of `report`, pretty-printed, ending with a newline.
pub fn json(
    report: &Report,
    old: &str,
    new: &str,
    current_version: &str,
    notes: &[String],
) -> String {
    let bump = report.bump();
    let doc = Json {
        format: JSON_FORMAT,
        old,
        new,
        breaking: report.is_breaking(),
        bump,
        current_version,
        next_version: bump.next_version(current_version),
        counts: Counts {
            wire_breaking: report.count(Class::WireBreaking),
            api_breaking: report.count(Class::ApiBreaking),
            additive: report.count(Class::Additive),
            documentation: report.count(Class::Documentation),
        },
        notes,
        changes: report
            .changes
            .iter()
            .map(|c| {
                let d = &c.difference;
                JsonChange {
                    class: c.class,
                    view: d.view(),
                    kind: d.kind,
                    item: &d.item,
                    member: d.member.as_ref(),
                    change: d.change,
                    aspect: d.aspect,
                    old: d.old.as_deref(),
                    new: d.new.as_deref(),
                    summary: summary(d),
                }
            })
            .collect(),
    };
    let mut out = serde_json::to_string_pretty(&doc)
        .expect("the document has only strings, numbers and booleans");
    out.push('\n');
    out
}
