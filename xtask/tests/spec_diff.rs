//! `cargo xtask spec-diff`: every fixture pair under
//! `tests/fixtures/spec_diff/<case>/{old,new}` classified exactly, a spec
//! against itself, the spec's own git history against the working tree,
//! and the command's output, exit statuses and errors.

use std::path::{Path, PathBuf};
use std::process::Command;

use antom_spec::ir::Spec;
use xtask::spec_diff::{self, render, Bump, Report};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/spec_diff")
}

fn load(dir: &Path) -> Spec {
    antom_spec::load_dir(dir).unwrap_or_else(|d| panic!("{}: {d}", dir.display()))
}

fn report(case: &str) -> Report {
    let dir = fixtures().join(case);
    spec_diff::diff(&load(&dir.join("old")), &load(&dir.join("new")))
}

/// The report of fixture `case` as `class  summary` lines, and its bump.
fn lines(case: &str) -> (Vec<String>, Bump) {
    let report = report(case);
    let lines = report
        .changes
        .iter()
        .map(|c| format!("{}  {}", c.class, render::summary(&c.difference)))
        .collect();
    (lines, report.bump())
}

#[track_caller]
fn assert_case(case: &str, expected: &[&str], bump: Bump) {
    let (got, got_bump) = lines(case);
    assert_eq!(got, expected, "{case}: report lines");
    assert_eq!(got_bump, bump, "{case}: bump");
}

#[test]
fn a_removed_field() {
    assert_case(
        "field_removed",
        &[
            "wire-breaking  model CaptureRequest: field isLastCapture removed (was boolean, optional)",
            "api-breaking  field antom::models::CaptureRequest::is_last_capture removed",
        ],
        Bump::Major,
    );
}

#[test]
fn a_renamed_field() {
    assert_case(
        "field_renamed",
        &[
            "wire-breaking  model CaptureRequest: field paymentId renamed to originalPaymentId",
            "api-breaking  field antom::models::CaptureRequest::payment_id renamed to antom::models::CaptureRequest::original_payment_id",
        ],
        Bump::Major,
    );
}

#[test]
fn a_field_type_changed() {
    assert_case(
        "field_type_changed",
        &[
            "wire-breaking  model CaptureRequest: field isLastCapture: type boolean → string",
            "api-breaking  field antom::models::CaptureRequest::is_last_capture: Option<bool> → Option<String>",
        ],
        Bump::Major,
    );
}

#[test]
fn a_request_field_made_required() {
    assert_case(
        "required_added",
        &[
            "wire-breaking  model CaptureRequest: field isLastCapture: required false → true",
            "api-breaking  field antom::models::CaptureRequest::is_last_capture: Option<bool> → bool",
            "api-breaking  constructor antom::models::CaptureRequest::new: fn(capture_request_id: impl Into<String>, payment_id: impl Into<String>) -> Self → fn(capture_request_id: impl Into<String>, payment_id: impl Into<String>, is_last_capture: bool) -> Self",
        ],
        Bump::Major,
    );
}

#[test]
fn fields_that_swap_places_swap_constructor_arguments() {
    // The same types in another order: callers compile and pass each value
    // to the other field.
    assert_case(
        "fields_reordered",
        &[
            "api-breaking  constructor antom::models::CaptureRequest::new: fn(capture_request_id: impl Into<String>, payment_id: impl Into<String>) -> Self → fn(payment_id: impl Into<String>, capture_request_id: impl Into<String>) -> Self",
            "documentation  model CaptureRequest: order [captureRequestId, paymentId, isLastCapture] → [paymentId, captureRequestId, isLastCapture]",
        ],
        Bump::Major,
    );
}

#[test]
fn response_side_rules_are_the_mirror_of_request_side_ones() {
    // `Amount` only travels in a response: a field that may now be absent
    // breaks readers, a new required one does not (but is a new constructor
    // parameter); a request limit raised breaks nobody.
    assert_case(
        "response_side",
        &[
            "wire-breaking  model Amount: field currency: required true → false",
            "api-breaking  field antom::models::Amount::currency: String → Option<String>",
            "api-breaking  constructor antom::models::Amount::new: fn(currency: impl Into<String>, value: impl Into<String>) -> Self → fn(value: impl Into<String>, precision: i64) -> Self",
            "additive  model Amount: field precision added (integer, required)",
            "additive  model InquiryPaymentRequest: field paymentRequestId: maxLength 64 → 128",
            "additive  field antom::models::Amount::precision added: i64",
        ],
        Bump::Major,
    );
}

#[test]
fn an_enum_value_removed() {
    assert_case(
        "enum_value_removed",
        &[
            "wire-breaking  enum TransactionStatus: value PROCESSING removed",
            "api-breaking  variant antom::enums::TransactionStatus::Processing removed",
        ],
        Bump::Major,
    );
}

#[test]
fn an_endpoint_path_changed() {
    assert_case(
        "endpoint_path_changed",
        &["wire-breaking  endpoint capture: path /ams/api/v1/payments/capture → /ams/api/v2/payments/capture"],
        Bump::Major,
    );
}

#[test]
fn an_endpoint_removed() {
    assert_case(
        "endpoint_removed",
        &[
            "wire-breaking  endpoint inquiryPayment removed (was POST /ams/api/v1/payments/inquiryPayment)",
            "api-breaking  method antom::client::Payments::inquiry_payment removed",
            "api-breaking  const antom::endpoints::INQUIRY_PAYMENT removed",
            "api-breaking  impl ::antom_runtime::BusinessStatus for antom::models::InquiryPaymentResponse removed",
        ],
        Bump::Major,
    );
}

#[test]
fn an_idempotency_key_changed() {
    assert_case(
        "idempotency_key_changed",
        &["wire-breaking  endpoint capture: idempotencyKey captureRequestId → paymentId"],
        Bump::Major,
    );
}

#[test]
fn result_code_statuses_and_actions_changed() {
    // The endpoints' tables follow the catalogue: reported once, there.
    assert_case(
        "result_code_changed",
        &[
            "wire-breaking  result code CAPTURE_IN_PROCESS: action inquire → retry",
            "wire-breaking  result code UNKNOWN_EXCEPTION: status U → F",
            "wire-breaking  result code UNKNOWN_EXCEPTION: action retry → contactSupport",
        ],
        Bump::Major,
    );
}

#[test]
fn a_notification_narrowed_and_one_removed() {
    assert_case(
        "notification_changed",
        &[
            "wire-breaking  notification notifyPayment: notifyTypes [PAYMENT_RESULT, PAYMENT_PENDING] → [PAYMENT_RESULT]",
            "wire-breaking  notification notifyVaulting removed (was payload VaultingNotification, notifyTypes [])",
            "api-breaking  model VaultingNotification removed",
            "api-breaking  struct antom::models::VaultingNotification removed",
            "api-breaking  variant antom::notifications::Notification::NotifyVaulting removed",
            "api-breaking  variant antom::notifications::NotificationKind::NotifyVaulting removed",
            "api-breaking  re-export antom::notifications::VaultingNotification removed",
        ],
        Bump::Major,
    );
}

#[test]
fn the_sandbox_rule_and_the_acknowledgement_changed() {
    assert_case(
        "sandbox_acknowledgement",
        &[
            "wire-breaking  sandbox: sandboxPrefix /ams/sandbox/api → /ams/sbx/api",
            r#"wire-breaking  acknowledgement: body {"result":{"resultCode":"SUCCESS","resultStatus":"S","resultMessage":"success"}} → {"result":{"resultCode":"SUCCESS","resultStatus":"S","resultMessage":"ok"}}"#,
            "wire-breaking  acknowledgement: resendSchedule [0s, 2m, 10m] → [0s, 2m, 10m, 1h]",
        ],
        Bump::Major,
    );
}

#[test]
fn renames_and_moves_that_only_rust_sees() {
    // A model renamed with the same fields, an endpoint renamed with the same
    // path, an endpoint moved to another family: nothing changes on the wire.
    assert_case(
        "rust_renames",
        &[
            "api-breaking  endpoint capture: family payments → captures",
            "api-breaking  endpoint inquiryPayment renamed to inquirePayment",
            "api-breaking  model CaptureResponse renamed to CaptureResult",
            "api-breaking  struct antom::models::CaptureResponse renamed to antom::models::CaptureResult",
            "api-breaking  method antom::client::Payments::capture moved to antom::client::Captures::capture",
            "api-breaking  method antom::client::Payments::inquiry_payment renamed to antom::client::Payments::inquire_payment",
            "api-breaking  const antom::endpoints::INQUIRY_PAYMENT renamed to antom::endpoints::INQUIRE_PAYMENT",
            "additive  struct antom::client::Captures added",
            "additive  method antom::client::Client::captures added",
        ],
        Bump::Major,
    );
}

#[test]
fn additions_only() {
    // The items of a new type (its fields, its constructor) are not listed
    // on their own.
    assert_case(
        "additive",
        &[
            "additive  endpoint refund added (POST /ams/api/v1/payments/refund)",
            "additive  model CaptureRequest: field note added (string, optional, maxLength 256)",
            "additive  model RefundNotification added",
            "additive  model RefundRequest added",
            "additive  model RefundResponse added",
            "additive  enum TransactionStatus: value CANCELLED added",
            "additive  notification notifyRefund added (payload RefundNotification, notifyTypes [REFUND_RESULT])",
            "additive  result code REFUND_IN_PROCESS added (U, inquire)",
            "additive  struct antom::models::RefundNotification added",
            "additive  struct antom::models::RefundRequest added",
            "additive  struct antom::models::RefundResponse added",
            "additive  field antom::models::CaptureRequest::note added: Option<String>",
            "additive  variant antom::codes::ResultCode::RefundInProcess added",
            "additive  variant antom::enums::TransactionStatus::Cancelled added",
            "additive  variant antom::notifications::Notification::NotifyRefund added",
            "additive  variant antom::notifications::NotificationKind::NotifyRefund added",
            "additive  method antom::client::Payments::refund added",
            "additive  const antom::endpoints::REFUND added",
            "additive  re-export antom::notifications::RefundNotification added",
        ],
        Bump::Minor,
    );
}

#[test]
fn documentation_only() {
    assert_case(
        "documentation",
        &[
            "documentation  endpoint capture: doc changed",
            "documentation  endpoint capture: code CAPTURE_IN_PROCESS: note changed",
            "documentation  endpoint inquiryPayment: uncertain changed",
            "documentation  model CaptureRequest: doc changed",
            "documentation  model CaptureRequest: field isLastCapture: doc changed",
            "documentation  enum TransactionStatus: value PROCESSING: doc changed",
            "documentation  result code CAPTURE_IN_PROCESS: message changed",
        ],
        Bump::Patch,
    );
}

/// Every case directory, `broken` aside.
fn cases() -> Vec<String> {
    let mut out: Vec<String> = std::fs::read_dir(fixtures())
        .expect("the fixtures directory")
        .filter_map(|e| e.ok())
        .filter(|e| e.path().join("old").is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    out.sort();
    out
}

#[test]
fn every_fixture_case_has_a_test() {
    let source = include_str!("spec_diff.rs");
    for case in cases() {
        assert!(
            source.contains(&format!("\"{case}\",")),
            "fixture case {case} has no assert_case"
        );
    }
}

#[test]
fn a_spec_against_itself_has_no_differences() {
    let root = xtask::project_root();
    let spec = xtask::codegen::load_spec(&root).unwrap_or_else(|e| panic!("{e}"));
    assert!(spec_diff::diff(&spec, &spec).is_empty());
    for case in cases() {
        for side in ["old", "new"] {
            let spec = load(&fixtures().join(&case).join(side));
            let report = spec_diff::diff(&spec, &spec);
            assert!(report.is_empty(), "{case}/{side}: {report:?}");
        }
    }
}

#[test]
fn the_report_is_deterministic_and_sorted() {
    for case in cases() {
        let a = report(&case);
        let b = report(&case);
        assert_eq!(a, b, "{case}");
        let keys: Vec<_> = a
            .changes
            .iter()
            .map(|c| (c.class, c.difference.view(), c.difference.clone()))
            .collect();
        let mut sorted = keys.clone();
        sorted.sort();
        assert_eq!(keys, sorted, "{case}");
    }
}

/// `git args` in the workspace root: stdout, or why it cannot be had.
fn git(args: &[&str]) -> Result<String, String> {
    let out = Command::new("git")
        .args(args)
        .current_dir(xtask::project_root())
        .output()
        .map_err(|e| format!("git cannot run: {e}"))?;
    if out.status.success() {
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    } else {
        Err(String::from_utf8_lossy(&out.stderr).trim().to_owned())
    }
}

#[test]
fn the_spec_history_against_the_working_tree() {
    let revs = match git(&["log", "--format=%H", "--", "spec/antom"]) {
        Ok(out) => out.lines().map(str::to_owned).collect::<Vec<_>>(),
        Err(why) => {
            eprintln!("skipped: no git history of spec/antom ({why})");
            return;
        }
    };
    if revs.len() < 2 {
        let shallow = git(&["rev-parse", "--is-shallow-repository"]).unwrap_or_default();
        eprintln!(
            "skipped: {} commit(s) touch spec/antom{}; the test needs the history",
            revs.len(),
            if shallow.trim() == "true" {
                " in this shallow clone (fetch with --unshallow)"
            } else {
                ""
            }
        );
        return;
    }
    // At most six revisions, spread from the newest to the oldest.
    let step = revs.len().div_ceil(6).max(1);
    let mut picked: Vec<&String> = revs.iter().step_by(step).collect();
    if picked.last() != revs.last().as_ref() {
        picked.extend(revs.last());
    }
    let root = xtask::project_root();
    let new = load(&root.join("spec/antom"));
    let new_surface = spec_diff::surface::surface(&new);
    let mut changed = 0;
    for rev in picked {
        let arg = format!("{rev}:spec/antom");
        let old = spec_diff::input::load(&arg, &root)
            .unwrap_or_else(|e| panic!("{e}"))
            .spec;
        let report = spec_diff::diff(&old, &new);
        // Every difference of the IRs is reported, and nothing else.
        assert_eq!(report.is_empty(), old == new, "{arg}: {report:?}");
        let rust_view = report
            .changes
            .iter()
            .any(|c| c.difference.view() == spec_diff::change::View::Rust);
        assert_eq!(
            rust_view,
            spec_diff::surface::surface(&old) != new_surface,
            "{arg}"
        );
        let json: serde_json::Value =
            serde_json::from_str(&render::json(&report, &arg, "spec/antom", "0.1.0", &[]))
                .expect("the JSON parses");
        assert_eq!(
            json["changes"].as_array().map(Vec::len),
            Some(report.changes.len())
        );
        changed += usize::from(!report.is_empty());
    }
    assert!(
        changed > 0,
        "no revision of the history differs from the working tree"
    );
}

// ---- the command ----------------------------------------------------------

fn xtask(args: &[&str]) -> (Option<i32>, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(args)
        .current_dir(xtask::project_root())
        .output()
        .expect("the xtask binary runs");
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn case_args(case: &str) -> [String; 2] {
    let dir = format!("xtask/tests/fixtures/spec_diff/{case}");
    [format!("{dir}/old"), format!("{dir}/new")]
}

#[test]
fn breaking_changes_fail_the_command_unless_allowed() {
    let [old, new] = case_args("field_removed");
    let (code, out, _) = xtask(&["spec-diff", &old, &new]);
    assert_eq!(code, Some(2), "{out}");
    assert!(out.contains("wire-breaking (1):\n  wire-breaking  model CaptureRequest: field isLastCapture removed"), "{out}");
    assert!(
        out.contains("summary: 1 wire-breaking, 1 api-breaking, 0 additive, 0 documentation"),
        "{out}"
    );
    assert!(out.contains("implied bump: major"), "{out}");

    let (code, _, _) = xtask(&["spec-diff", &old, &new, "--allow-breaking"]);
    assert_eq!(code, Some(0));

    let [old, new] = case_args("additive");
    let (code, out, _) = xtask(&["spec-diff", &old, &new]);
    assert_eq!(code, Some(0), "{out}");
    assert!(out.contains("breaking: no"), "{out}");
}

#[test]
fn the_json_document_has_the_documented_fields() {
    let [old, new] = case_args("required_added");
    let (code, out, _) = xtask(&["spec-diff", &old, &new, "--json", "--allow-breaking"]);
    assert_eq!(code, Some(0));
    let doc: serde_json::Value = serde_json::from_str(&out).expect("JSON");
    let keys = |v: &serde_json::Value| -> Vec<String> {
        let mut k: Vec<String> = v.as_object().expect("an object").keys().cloned().collect();
        k.sort();
        k
    };
    assert_eq!(
        keys(&doc),
        [
            "breaking",
            "bump",
            "changes",
            "counts",
            "current_version",
            "format",
            "new",
            "next_version",
            "notes",
            "old"
        ]
    );
    assert_eq!(doc["format"], 1);
    assert_eq!(doc["breaking"], true);
    assert_eq!(doc["bump"], "major");
    assert_eq!(
        keys(&doc["counts"]),
        ["additive", "api-breaking", "documentation", "wire-breaking"]
    );
    assert_eq!(doc["counts"]["api-breaking"], 2);
    let first = &doc["changes"][0];
    assert_eq!(
        keys(first),
        ["aspect", "change", "class", "item", "kind", "member", "new", "old", "summary", "view"]
    );
    assert_eq!(first["class"], "wire-breaking");
    assert_eq!(first["view"], "spec");
    assert_eq!(first["kind"], "model");
    assert_eq!(first["item"], "CaptureRequest");
    assert_eq!(
        first["member"],
        serde_json::json!({"kind": "field", "name": "isLastCapture"})
    );
    assert_eq!(first["change"], "changed");
    assert_eq!(first["aspect"], "required");
    assert_eq!(first["old"], "false");
    assert_eq!(first["new"], "true");
    let rust = &doc["changes"][1];
    assert_eq!(rust["view"], "rust");
    assert_eq!(rust["kind"], "field");
    assert_eq!(
        rust["item"],
        "antom::models::CaptureRequest::is_last_capture"
    );
    assert_eq!(rust["aspect"], "signature");
}

#[test]
fn a_spec_that_does_not_load_prints_the_loaders_diagnostics() {
    let [old, _] = case_args("field_removed");
    let broken = "xtask/tests/fixtures/spec_diff/broken";
    let (code, out, err) = xtask(&["spec-diff", &old, broken]);
    assert_eq!(code, Some(1), "{out}");
    assert!(err.contains("the spec does not load"), "{err}");
    assert!(err.contains("unknown key `reqeust`"), "{err}");
    assert!(err.contains("did you mean `request`?"), "{err}");
    assert!(err.contains("broken/payments.yaml:"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
}

#[test]
fn missing_directories_and_unknown_revisions_are_errors() {
    let (code, _, err) = xtask(&["spec-diff", "no/such/dir", "spec/antom"]);
    assert_eq!(code, Some(1));
    assert!(err.contains("no/such/dir: no such directory"), "{err}");
    if git(&["rev-parse", "HEAD"]).is_err() {
        eprintln!("skipped the revision cases: not a git checkout");
        return;
    }
    let (code, _, err) = xtask(&["spec-diff", "no-such-rev:spec/antom", "spec/antom"]);
    assert_eq!(code, Some(1));
    assert!(
        err.contains("`no-such-rev` is not a revision of this repository"),
        "{err}"
    );
    let (code, _, err) = xtask(&["spec-diff", "HEAD:no/such/dir", "spec/antom"]);
    assert_eq!(code, Some(1));
    assert!(
        err.contains("`no/such/dir` is not a directory at revision `HEAD`"),
        "{err}"
    );
    assert!(!err.contains("panicked"), "{err}");
}

#[test]
fn a_revision_reads_like_its_directory() {
    if git(&["rev-parse", "HEAD"]).is_err() {
        eprintln!("skipped: not a git checkout");
        return;
    }
    let root = xtask::project_root();
    let at_head =
        spec_diff::input::load("HEAD:spec/antom", &root).unwrap_or_else(|e| panic!("{e}"));
    assert!(at_head.notes.is_empty(), "{:?}", at_head.notes);
    let clean = git(&["diff", "--quiet", "HEAD", "--", "spec/antom"]).is_ok();
    if clean {
        assert_eq!(at_head.spec, load(&root.join("spec/antom")));
    }
}
