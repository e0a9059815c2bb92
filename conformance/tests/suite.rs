//! The default suite against the reference implementation, in process.

use std::sync::Arc;

use antom_conformance::cases::{all_cases, Area};
use antom_conformance::reference::{spec_tables, ReferenceImplementation};
use antom_conformance::runner::{run_suite, RunOptions};

#[tokio::test(flavor = "multi_thread")]
async fn default_suite_passes_against_the_reference() {
    let cases = all_cases(&spec_tables());
    let n = cases.len();
    let report = run_suite(
        Arc::new(ReferenceImplementation::new()),
        cases,
        RunOptions::default(),
    )
    .await;
    let failures = report.not_passed();
    assert!(failures.is_empty(), "failures: {failures:#?}");
    assert_eq!(report.results.len(), n);
    for area in Area::ALL {
        assert!(
            report.results.iter().any(|r| r.area == area),
            "no case in {area}"
        );
    }
    // The reference sends every signed call through the generated request
    // types (typed mode), and the report says so.
    let typed: Vec<bool> = report.results.iter().filter_map(|r| r.typed).collect();
    assert!(typed.len() > 20, "{} signed calls", typed.len());
    assert!(typed.iter().all(|t| *t));
    assert!(
        antom_conformance::report::summary(&report, "antom-conformance")
            .contains(&format!("typed: {0} of {0} signed calls", typed.len()))
    );
    assert!(report.success());
}

#[test]
fn status_cases_cover_every_code_of_every_endpoint() {
    let spec = spec_tables();
    let ids: std::collections::HashSet<String> =
        all_cases(&spec).into_iter().map(|c| c.id).collect();
    for ep in spec.endpoints {
        for info in ep.result_codes {
            let id = format!("status.{}.{}.{}", ep.name, info.status.as_str(), info.code);
            assert!(ids.contains(&id), "missing {id}");
        }
        for s in ["S", "F", "U"] {
            assert!(ids.contains(&format!("status.{}.{s}.unlisted-code", ep.name)));
        }
        assert!(ids.contains(&format!("signature.request.sandbox.{}", ep.name)));
    }
}

#[test]
fn case_ids_are_unique() {
    let cases = all_cases(&spec_tables());
    let mut ids: Vec<&str> = cases.iter().map(|c| c.id.as_str()).collect();
    ids.sort_unstable();
    let before = ids.len();
    ids.dedup();
    assert_eq!(before, ids.len());
}

#[test]
fn python_expected_failures_name_existing_cases() {
    let text = include_str!("../adapters/python/expected-failures.txt");
    let listed = antom_conformance::runner::parse_expected_failures(text);
    assert!(!listed.is_empty());
    let ids: std::collections::HashSet<String> = all_cases(&spec_tables())
        .into_iter()
        .map(|c| c.id)
        .collect();
    for id in &listed {
        assert!(
            ids.contains(id),
            "expected-failures.txt lists unknown case `{id}`"
        );
    }
}
