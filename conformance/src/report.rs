//! Reports: the summary table, the JSON report and the JUnit XML report.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use crate::case::Area;
use crate::level::Level;
use crate::protocol::Capability;
use crate::runner::{CaseResult, RunReport, Status, Verdict};

/// Errors writing reports.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    /// Creating the directory or writing a file failed.
    #[error("cannot write {path}: {source}")]
    Io {
        /// The file or directory.
        path: PathBuf,
        /// The OS error.
        source: std::io::Error,
    },
    /// Serialising the JSON report failed.
    #[error("cannot encode the JSON report: {0}")]
    Json(#[from] serde_json::Error),
}

/// The command line that re-runs one case, e.g.
/// `cargo run -p antom-conformance -- --case 'retry.u-s'`.
pub fn reproduction(prefix: &str, id: &str) -> String {
    format!("{prefix} --case '{id}'")
}

/// The human summary: per-area counts, then one block per failure.
pub fn summary(report: &RunReport, repro_prefix: &str) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "Antom conformance: {}", report.implementation);
    let h = &report.hello;
    let _ = writeln!(
        out,
        "under test: {}{}",
        h.implementation,
        h.version
            .as_deref()
            .map(|v| format!(" {v}"))
            .unwrap_or_default()
    );
    if let Some(url) = &report.webhook {
        let _ = writeln!(out, "notifications: delivered to the webhook at {url}");
    }
    let matrix: Vec<String> = Capability::ALL
        .iter()
        .map(|c| format!("{c} {}", if h.offers(*c) { "yes" } else { "NO" }))
        .collect();
    let _ = writeln!(out, "capabilities: {}", matrix.join(", "));
    let judged = report
        .results
        .iter()
        .filter(|r| !matches!(r.status(), Status::Skipped | Status::NotOffered))
        .count();
    let total = report.results.len().max(1);
    let _ = writeln!(
        out,
        "judged: {judged} of {} cases ({}%) ran the implementation's own code; {} not offered, {} skipped\n",
        report.results.len(),
        judged * 100 / total,
        report.count(Status::NotOffered),
        report.count(Status::Skipped)
    );
    let calls: Vec<bool> = report.results.iter().filter_map(|r| r.typed).collect();
    if !calls.is_empty() {
        let typed = calls.iter().filter(|t| **t).count();
        let _ = writeln!(
            out,
            "typed: {typed} of {} signed calls went through the implementation's own request types (the rest were sent as given)\n",
            calls.len()
        );
    }
    let _ = writeln!(
        out,
        "{:<16} {:>7} {:>7} {:>9} {:>11} {:>8} {:>8}",
        "area", "passed", "failed", "expected", "unexp.pass", "skipped", "n/offer"
    );
    let of = |keep: &dyn Fn(&CaseResult) -> bool| -> Vec<Status> {
        report
            .results
            .iter()
            .filter(|r| keep(r))
            .map(|r| r.status())
            .collect()
    };
    let mut rows: Vec<(String, Vec<Status>)> = Area::ALL
        .iter()
        .map(|a| (a.to_string(), of(&|r| r.area == *a)))
        .collect();
    rows.push(("total".into(), of(&|_| true)));
    rows.push((String::new(), vec![]));
    for level in Level::ALL {
        rows.push((format!("level {level}"), of(&|r| r.level == level)));
    }
    for (name, statuses) in rows {
        if name.is_empty() {
            out.push('\n');
            continue;
        }
        let c = |s: Status| statuses.iter().filter(|x| **x == s).count();
        let _ = writeln!(
            out,
            "{:<16} {:>7} {:>7} {:>9} {:>11} {:>8} {:>8}",
            name,
            c(Status::Passed),
            c(Status::Failed),
            c(Status::ExpectedFailure),
            c(Status::UnexpectedPass),
            c(Status::Skipped),
            c(Status::NotOffered)
        );
    }
    let mut advisory = 0;
    for r in &report.results {
        match (r.status(), &r.verdict) {
            (Status::Failed, Verdict::Fail(m)) => {
                let mark = if r.fails_run(report.strict) {
                    "FAIL"
                } else {
                    advisory += 1;
                    match r.level {
                        Level::Uncertain => "UNCERTAIN",
                        _ => "WARN",
                    }
                };
                let _ = writeln!(
                    out,
                    "\n{mark} {} [{}, {}]: {}",
                    r.id, r.level, m.stage, r.description
                );
                let _ = writeln!(out, "  expected: {}", m.expected);
                let _ = writeln!(out, "  actual:   {}", m.actual);
                let _ = writeln!(out, "  reproduce: {}", reproduction(repro_prefix, &r.id));
            }
            (Status::UnexpectedPass, _) => {
                let _ = writeln!(
                    out,
                    "\nUNEXPECTED PASS {}: listed as an expected failure but passes; remove it from the list",
                    r.id
                );
            }
            _ => {}
        }
    }
    for id in &report.unmatched_expected_failures {
        let _ = writeln!(
            out,
            "\nnote: expected failure `{id}` matched no case that ran"
        );
    }
    let _ = writeln!(
        out,
        "\n{} in {} ms",
        if report.success() { "PASS" } else { "FAIL" },
        report.duration_ms
    );
    if advisory > 0 {
        let _ = writeln!(
            out,
            "{advisory} failure(s) at level should or uncertain reported above do not fail the run{}",
            if report.strict {
                ""
            } else {
                " (--strict fails on should)"
            }
        );
    }
    out
}

/// The time of each area of a [`run_by_area`](crate::runner::run_by_area).
pub fn timing_table(timings: &[crate::runner::AreaTiming]) -> String {
    let mut out = String::from("\ntime per area (areas one after another):\n");
    let _ = writeln!(
        out,
        "{:<16} {:>7} {:>9} {:>11}",
        "area", "cases", "ms", "ms/case"
    );
    for t in timings {
        let _ = writeln!(
            out,
            "{:<16} {:>7} {:>9} {:>11.2}",
            t.area.as_str(),
            t.cases,
            t.duration_ms,
            t.duration_ms as f64 / t.cases.max(1) as f64
        );
    }
    let total: u64 = timings.iter().map(|t| t.duration_ms).sum();
    let _ = writeln!(
        out,
        "{:<16} {:>7} {:>9}",
        "total",
        timings.iter().map(|t| t.cases).sum::<usize>(),
        total
    );
    out
}

fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c if (c as u32) < 0x20 && c != '\n' && c != '\t' && c != '\r' => {}
            c => out.push(c),
        }
    }
    out
}

/// The JUnit XML report (one test suite per area).
pub fn junit(report: &RunReport, repro_prefix: &str) -> String {
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let failures = report
        .results
        .iter()
        .filter(|r| r.fails_run(report.strict))
        .count();
    let _ = writeln!(
        out,
        "<testsuites name=\"antom-conformance\" tests=\"{}\" failures=\"{}\" time=\"{:.3}\">",
        report.results.len(),
        failures,
        report.duration_ms as f64 / 1000.0
    );
    for area in Area::ALL {
        let rs: Vec<_> = report.results.iter().filter(|r| r.area == area).collect();
        let f = rs.iter().filter(|r| r.fails_run(report.strict)).count();
        let s = rs.len() - f - rs.iter().filter(|r| r.status() == Status::Passed).count();
        let _ = writeln!(
            out,
            "  <testsuite name=\"{area}\" tests=\"{}\" failures=\"{f}\" skipped=\"{s}\">",
            rs.len()
        );
        for r in rs {
            let _ = write!(
                out,
                "    <testcase classname=\"antom-conformance.{area}\" name=\"{}\" time=\"{:.3}\"",
                xml_escape(&r.id),
                r.duration_ms as f64 / 1000.0
            );
            match (r.status(), &r.verdict) {
                (Status::Passed, _) => out.push_str("/>\n"),
                (Status::Failed, Verdict::Fail(m)) if !r.fails_run(report.strict) => {
                    let _ = writeln!(
                        out,
                        ">\n      <skipped message=\"{} failure, not fatal [{}]: {}\"/>\n    </testcase>",
                        r.level,
                        m.stage,
                        xml_escape(&m.actual)
                    );
                }
                (Status::Failed, Verdict::Fail(m)) => {
                    let _ = writeln!(
                        out,
                        ">\n      <failure message=\"{}\" type=\"{}\">expected: {}\nactual: {}\nreproduce: {}</failure>\n    </testcase>",
                        xml_escape(&r.description),
                        m.stage,
                        xml_escape(&m.expected),
                        xml_escape(&m.actual),
                        xml_escape(&reproduction(repro_prefix, &r.id))
                    );
                }
                (Status::UnexpectedPass, _) => {
                    let _ = writeln!(
                        out,
                        ">\n      <failure message=\"listed as an expected failure but passes\" type=\"unexpected-pass\"/>\n    </testcase>"
                    );
                }
                (Status::ExpectedFailure, Verdict::Fail(m)) => {
                    let _ = writeln!(
                        out,
                        ">\n      <skipped message=\"expected failure [{}]: {}\"/>\n    </testcase>",
                        m.stage,
                        xml_escape(&m.actual)
                    );
                }
                (_, Verdict::NotOffered { capability }) => {
                    let _ = writeln!(
                        out,
                        ">\n      <skipped message=\"not offered: the implementation has no {capability}\"/>\n    </testcase>"
                    );
                }
                (_, Verdict::Skip { reason }) => {
                    let _ = writeln!(
                        out,
                        ">\n      <skipped message=\"{}\"/>\n    </testcase>",
                        xml_escape(reason)
                    );
                }
                _ => out.push_str("/>\n"),
            }
        }
        out.push_str("  </testsuite>\n");
    }
    out.push_str("</testsuites>\n");
    out
}

/// The JSON report.
pub fn json(report: &RunReport, repro_prefix: &str) -> Result<String, ReportError> {
    let mut v = serde_json::to_value(report)?;
    if let Some(results) = v.get_mut("results").and_then(|r| r.as_array_mut()) {
        for (r, res) in results.iter_mut().zip(&report.results) {
            if let Some(o) = r.as_object_mut() {
                o.insert("status".into(), serde_json::to_value(res.status())?);
                if matches!(res.verdict, Verdict::Fail(_)) {
                    o.insert(
                        "reproduce".into(),
                        reproduction(repro_prefix, &res.id).into(),
                    );
                }
            }
        }
    }
    if let Some(o) = v.as_object_mut() {
        o.insert("success".into(), report.success().into());
        let mut levels = serde_json::Map::new();
        for level in Level::ALL {
            let of = |s: Status| {
                report
                    .results
                    .iter()
                    .filter(|r| r.level == level && r.status() == s)
                    .count()
            };
            levels.insert(
                level.to_string(),
                serde_json::json!({
                    "passed": of(Status::Passed),
                    "failed": of(Status::Failed),
                    "expectedFailure": of(Status::ExpectedFailure),
                    "unexpectedPass": of(Status::UnexpectedPass),
                    "skipped": of(Status::Skipped),
                    "notOffered": of(Status::NotOffered),
                    "fatal": level.is_fatal(report.strict),
                }),
            );
        }
        o.insert("levels".into(), levels.into());
    }
    Ok(serde_json::to_string_pretty(&v)?)
}

/// Writes `conformance.json` and `conformance.junit.xml` into `dir`.
pub fn write_reports(
    report: &RunReport,
    dir: &Path,
    repro_prefix: &str,
) -> Result<(PathBuf, PathBuf), ReportError> {
    std::fs::create_dir_all(dir).map_err(|source| ReportError::Io {
        path: dir.to_owned(),
        source,
    })?;
    let j = dir.join("conformance.json");
    let x = dir.join("conformance.junit.xml");
    std::fs::write(&j, json(report, repro_prefix)?).map_err(|source| ReportError::Io {
        path: j.clone(),
        source,
    })?;
    std::fs::write(&x, junit(report, repro_prefix)).map_err(|source| ReportError::Io {
        path: x.clone(),
        source,
    })?;
    Ok((j, x))
}
