//! The `antom-conformance` binary: filters, listing, reports, exit codes.

use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_antom-conformance");

fn tmp_dir(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "antom-conformance-cli-{}-{name}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn list_filters_by_area() {
    let out = Command::new(BIN)
        .args(["--list", "--area", "retry"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    let retry_cases = antom_conformance::cases::all_cases(&antom_conformance::case::spec_tables())
        .into_iter()
        .filter(|c| c.area == antom_conformance::case::Area::Retry)
        .count();
    assert!(retry_cases > 0);
    assert_eq!(text.lines().count(), retry_cases, "{text}");
    assert!(text.lines().all(|l| l.starts_with("retry.")));
}

#[test]
fn a_passing_run_writes_reports_and_exits_0() {
    let dir = tmp_dir("pass");
    let out = Command::new(BIN)
        .args(["--quiet", "--case", "signature.vector.*", "--report-dir"])
        .arg(&dir)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stdout}");
    assert!(stdout.contains("PASS"), "{stdout}");
    let junit = std::fs::read_to_string(dir.join("conformance.junit.xml")).unwrap();
    assert_eq!(junit.matches("<testcase ").count(), 6, "{junit}");
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("conformance.json")).unwrap())
            .unwrap();
    assert_eq!(json["success"], true);
    assert_eq!(json["results"].as_array().unwrap().len(), 6);
}

#[test]
fn a_listed_case_that_passes_fails_the_run() {
    let dir = tmp_dir("unexpected");
    let list = dir.join("expected-failures.txt");
    std::fs::write(
        &list,
        "# stale entry\nsignature.vector.V1-inquiryPayment-compact\n",
    )
    .unwrap();
    let out = Command::new(BIN)
        .args([
            "--quiet",
            "--case",
            "signature.vector.V1-*",
            "--expected-failures",
        ])
        .arg(&list)
        .arg("--report-dir")
        .arg(&dir)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("UNEXPECTED PASS signature.vector.V1-inquiryPayment-compact"),
        "{stdout}"
    );
}

#[test]
fn usage_errors_exit_2() {
    let out = Command::new(BIN)
        .args(["--webhook-url", "http://10.1.2.3:8080/notify"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("loopback"));
    let out = Command::new(BIN)
        .args(["--case", "no.such.case"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let out = Command::new(BIN)
        .args(["--area", "nonsense"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn timing_prints_the_time_of_each_area() {
    let dir = tmp_dir("timing");
    let out = Command::new(BIN)
        .args([
            "--quiet",
            "--timing",
            "--case",
            "signature.vector.*",
            "--case",
            "retry.u-s",
            "--report-dir",
        ])
        .arg(&dir)
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    let table = text
        .split("time per area")
        .nth(1)
        .unwrap_or_else(|| panic!("{text}"));
    let row = |area: &str| {
        table
            .lines()
            .any(|l| l.split_whitespace().next() == Some(area))
    };
    assert!(row("signature") && row("retry") && row("total"), "{text}");
    assert!(!row("status"), "areas without cases are not timed: {text}");
}
