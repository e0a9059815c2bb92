//! The conformance suite: every area's cases, in order.
//!
//! Signature cases come from the repository's signature vectors and a matrix
//! of response encodings; status cases are derived from the spec's endpoint
//! tables (every result code of every endpoint, plus unknown codes); retry
//! and notification cases are scripted scenarios; property cases draw
//! generated inputs. Each area's module under [`area`] builds
//! its own; the data they are made of is [`case`](crate::case)'s, re-exported
//! here.

pub use crate::case::*;

use crate::area;

/// Every case of the suite, area after area.
pub fn all_cases(spec: &SpecTables) -> Vec<Case> {
    let mut cases = area::signature::cases(spec);
    cases.extend(area::retry::cases(spec));
    cases.extend(area::status::cases(spec));
    cases.extend(area::notification::cases());
    cases.extend(area::property::cases(spec));
    cases
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A case is judged by the module of the area it is reported in.
    #[test]
    fn every_case_is_judged_by_its_own_area() {
        for case in all_cases(&spec_tables()) {
            assert_eq!(case.kind.area(), case.area, "{}", case.id);
        }
    }

    #[test]
    fn case_ids_are_unique() {
        let cases = all_cases(&spec_tables());
        let ids: std::collections::BTreeSet<&str> = cases.iter().map(|c| c.id.as_str()).collect();
        assert_eq!(ids.len(), cases.len());
    }
}
