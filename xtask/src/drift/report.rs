//! The printed result of an audit: coverage, then every undocumented
//! difference and stale exclusion.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use super::audit::{Comparison, Kind};
use super::exclusions::{Exclusions, Judgement};
use super::Error;

/// Everything an audit found.
#[derive(Debug, Clone)]
pub struct Findings {
    /// The inventory read, relative to the workspace root.
    pub inventory_path: String,
    /// The SDK package.
    pub package: String,
    /// Its release.
    pub version: String,
    /// The comparison.
    pub comparison: Comparison,
    /// The verdict on each difference.
    pub judgement: Judgement,
    /// The exclusions applied.
    pub exclusions: Exclusions,
}

impl Findings {
    /// `Ok` when every difference is documented once and no exclusion is
    /// stale.
    pub fn verdict(&self) -> Result<(), Error> {
        if self.judgement.clean() {
            Ok(())
        } else {
            Err(Error::Drift {
                package: self.package.clone(),
                version: self.version.clone(),
                undocumented: self.judgement.undocumented.len(),
                overlapping: self.judgement.overlaps.len(),
                stale: self.judgement.stale.len(),
            })
        }
    }

    /// The report: coverage per kind, the exclusions by reason, notes, and
    /// every problem; with `show_excluded`, every excluded difference too.
    pub fn render(&self, show_excluded: bool) -> String {
        let c = &self.comparison;
        let j = &self.judgement;
        let mut out = String::new();
        let _ = writeln!(
            out,
            "drift: spec/antom against {} {} ({})\n",
            self.package, self.version, self.inventory_path
        );
        let _ = writeln!(out, "{:17}{:<21}only in the spec", "", "in the spec / SDK");
        for kind in Kind::ALL {
            let t = c.tallies.get(&kind).copied().unwrap_or_default();
            let ratio = format!("{}/{} ({}%)", t.shared, t.sdk_total(), t.percent());
            let scope = match kind {
                Kind::RequestField => format!("on {} shared paths", c.compared_request_paths),
                Kind::ResponseField => format!("on {} shared paths", c.compared_response_paths),
                Kind::ModelField => "of the shared models".to_owned(),
                Kind::EnumValue => "of the shared enums".to_owned(),
                _ => String::new(),
            };
            let line = format!(
                "{:<17}{ratio:<21}{:<8}{scope}",
                format!("{}s", kind.label()),
                t.spec_only
            );
            let _ = writeln!(out, "{}", line.trim_end());
        }
        let total = c.differences.len();
        let _ = writeln!(
            out,
            "\ndifferences: {total} ({} excluded by {} entries of {}, {} undocumented); stale exclusions: {}",
            j.excluded.len(),
            self.exclusions.entries.len(),
            self.exclusions.path,
            j.undocumented.len(),
            j.stale.len()
        );
        let mut categories: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
        let mut per_entry = vec![0usize; self.exclusions.entries.len()];
        for &(_, e) in &j.excluded {
            per_entry[e] += 1;
        }
        for (e, entry) in self.exclusions.entries.iter().enumerate() {
            let slot = categories.entry(entry.category()).or_default();
            slot.0 += 1;
            slot.1 += per_entry[e];
        }
        if !categories.is_empty() {
            let mut by_size: Vec<(&str, (usize, usize))> = categories.into_iter().collect();
            by_size.sort_by(|a, b| b.1 .1.cmp(&a.1 .1).then(a.0.cmp(b.0)));
            let _ = writeln!(out, "exclusions by reason (entries, differences):");
            for (category, (entries, diffs)) in &by_size {
                let _ = writeln!(out, "  {entries:>3} {diffs:>5}  {category}");
            }
        }
        if !c.notes.is_empty() {
            let _ = writeln!(out, "notes:");
            for n in &c.notes {
                let _ = writeln!(out, "  {n}");
            }
        }
        if show_excluded && !j.excluded.is_empty() {
            let _ = writeln!(out, "excluded differences:");
            for &(d, e) in &j.excluded {
                let entry = &self.exclusions.entries[e];
                let _ = writeln!(
                    out,
                    "  {}\n      line {}: {}",
                    c.differences[d], entry.line, entry.reason
                );
            }
        }
        if !j.undocumented.is_empty() {
            let _ = writeln!(
                out,
                "undocumented differences (add each to {} with a reason, or fix the spec):",
                self.exclusions.path
            );
            for &d in &j.undocumented {
                let _ = writeln!(out, "  {}", c.differences[d]);
            }
        }
        if !j.overlaps.is_empty() {
            let _ = writeln!(
                out,
                "differences excluded by more than one entry (keep one):"
            );
            for o in &j.overlaps {
                let lines: Vec<String> = o.lines.iter().map(|l| format!("line {l}")).collect();
                let _ = writeln!(
                    out,
                    "  {} ({})",
                    c.differences[o.difference],
                    lines.join(", ")
                );
            }
        }
        if !j.stale.is_empty() {
            let _ = writeln!(out, "stale exclusions:");
            for s in &j.stale {
                let _ = writeln!(out, "  {}:{s}", self.exclusions.path);
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::drift::audit::{compare, tests as fixtures};

    fn outcome(yaml: &str) -> Findings {
        let comparison = compare(&fixtures::spec(), &fixtures::inventory());
        let exclusions = Exclusions::parse(yaml, "exclusions.yaml").unwrap();
        let judgement = exclusions.judge(&comparison.differences);
        Findings {
            inventory_path: "spec/drift/x.json".into(),
            package: "global-open-sdk-python".into(),
            version: "0.0.0".into(),
            comparison,
            judgement,
            exclusions,
        }
    }

    #[test]
    fn the_report_shows_coverage_and_every_problem() {
        let o = outcome(
            "exclusions:\n  - in: sdk\n    paths: ['/ams/api/v1/billing/*', /gone]\n    reason: 'family not yet in the spec: billing'\n",
        );
        let text = o.render(false);
        assert!(
            text.contains("\npaths            1/2 (50%)            1\n"),
            "{text}"
        );
        assert!(
            text.contains("\nrequest fields   2/3 (66%)            0       on 1 shared paths\n"),
            "{text}"
        );
        assert!(
            text.contains("  1     1  family not yet in the spec"),
            "{text}"
        );
        assert!(text.contains("undocumented differences"), "{text}");
        assert!(
            text.contains("  only in the SDK:  model `BillingCustomer`"),
            "{text}"
        );
        assert!(
            text.contains("stale exclusions:\n  exclusions.yaml:3:38: `/gone`"),
            "{text}"
        );
        let e = o.verdict().unwrap_err().to_string();
        assert!(
            e.contains(
                "5 undocumented difference(s), 0 excluded more than once, 1 stale exclusion(s)"
            ),
            "{e}"
        );
        assert!(o.render(true).contains(
            "excluded differences:\n  only in the SDK:  path `/ams/api/v1/billing/customer/create`"
        ));
    }
}
