//! The status area: what every result code of every endpoint, codes the
//! spec does not list, and every business status value map to (the
//! outcome, the action class, the business outcome), through `classify` and
//! through real calls.

use antom_runtime::{BusinessOutcome, CodeInfo, SpecStatus};
use serde_json::json;

use super::Context;
use crate::case::{Area, Case, CaseKind, SpecTables, StatusKind, UNKNOWN_CODE};
use crate::expect::ExpectedClass;
use crate::gateway::Reply;
use crate::judge::{check, check_class, judge_call_class, op};
use crate::level::Level;
use crate::protocol::ClassifyRequest;
use crate::verdict::{Stage, Verdict};

fn result_body(status: &str, code: &str) -> String {
    Reply::result(status, code, json!({})).body
}

/// The level of a case judging the spec's entry for a result code:
/// `uncertain` where the catalogue marks the code uncertain.
fn code_level(info: &CodeInfo) -> Level {
    if info.uncertain {
        Level::Uncertain
    } else {
        Level::Must
    }
}

/// The status area's cases, derived from the spec's endpoint tables: every
/// result code of every endpoint, codes the spec does not list, a real call
/// for the first F and U code of each endpoint, and every value of every
/// business status.
pub fn cases(spec: &SpecTables) -> Vec<Case> {
    let mut cases = Vec::new();
    code_cases(spec, &mut cases);
    inquiry_extra_cases(spec, &mut cases);
    cases
}

fn code_cases(spec: &SpecTables, cases: &mut Vec<Case>) {
    for ep in spec.endpoints.iter().copied() {
        for info in ep.result_codes {
            cases.push(Case {
                id: format!("status.{}.{}.{}", ep.name, info.status.as_str(), info.code),
                area: Area::Status,
                level: code_level(info),
                description: format!(
                    "{} {} ({}) maps to its spec outcome and action {}",
                    ep.name,
                    info.code,
                    info.status.as_str(),
                    info.action
                ),
                kind: CaseKind::Status(StatusKind::Classify {
                    endpoint: ep,
                    body: result_body(info.status.as_str(), info.code),
                    expect: ExpectedClass::of_code(info.status, info.action),
                }),
            });
        }
        for status in [SpecStatus::S, SpecStatus::F, SpecStatus::U] {
            let expect = ExpectedClass::of_unlisted(Some(status));
            let status = status.as_str();
            cases.push(Case {
                id: format!("status.{}.{status}.unlisted-code", ep.name),
                area: Area::Status,
                level: Level::Must,
                description: format!(
                    "{}: a result code the spec does not list, with status {status}, is tolerated",
                    ep.name
                ),
                kind: CaseKind::Status(StatusKind::Classify {
                    endpoint: ep,
                    body: result_body(status, UNKNOWN_CODE),
                    expect,
                }),
            });
        }
        // A sampled subset through real calls: the first F and U code of each endpoint.
        for status in [SpecStatus::F, SpecStatus::U] {
            if let Some(info) = ep.result_codes.iter().find(|c| c.status == status) {
                cases.push(Case {
                    id: format!("status.call.{}.{}", ep.name, info.code),
                    area: Area::Status,
                    level: code_level(info),
                    description: format!(
                        "a real call to {} answered {} ({}) gives the spec's outcome",
                        ep.name,
                        info.code,
                        status.as_str()
                    ),
                    kind: CaseKind::Status(StatusKind::Call {
                        endpoint: ep,
                        reply: Reply::result(status.as_str(), info.code, json!({})),
                        expect: ExpectedClass::of_code(info.status, info.action),
                    }),
                });
            }
        }
    }
    // Every inquiry whose spec names a business status field, with every
    // value of its enum.
    for ep in spec.endpoints {
        let Some(bs) = ep.business_status else {
            continue;
        };
        let (name, field) = (ep.name, bs.field);
        for &(value, outcome) in bs.values {
            let body = Reply::result("S", "SUCCESS", json!({ field: value })).body;
            cases.push(Case {
                id: format!("status.business.{name}.{field}.{value}"),
                area: Area::Status,
                level: Level::Must,
                description: format!("{name} with {field}={value} is a {outcome} business outcome"),
                kind: CaseKind::Status(StatusKind::Classify {
                    endpoint: ep,
                    body,
                    expect: ExpectedClass::business(Some(outcome)),
                }),
            });
        }
    }
}

fn transaction(kind: &str, status: &str, result: &str, n: u32) -> serde_json::Value {
    json!({
        "transactionResult": {"resultCode": if result == "S" { "SUCCESS" } else { "PROCESS_FAIL" }, "resultStatus": result, "resultMessage": "m"},
        "transactionId": format!("2026010100000{n}"),
        "transactionType": kind,
        "transactionStatus": status,
        "transactionAmount": {"currency": "USD", "value": "500"},
        "transactionRequestId": format!("conformance-transaction-{n}"),
    })
}

fn inquiry_extra_cases(spec: &SpecTables, cases: &mut Vec<Case>) {
    use BusinessOutcome::{Failed, Pending, Success};
    let Some(ep) = spec.endpoint("inquiryPayment") else {
        return;
    };
    let body = Reply::result(
        "S",
        "SUCCESS",
        json!({
            "paymentStatus": "SUCCESS",
            "transactions": [
                transaction("CAPTURE", "SUCCESS", "S", 1),
                transaction("REFUND", "PROCESSING", "U", 2),
                transaction("REFUND", "FAIL", "F", 3),
                transaction("CAPTURE", "CANCELLED", "F", 4),
                transaction("REFUND", "PENDING", "U", 5),
            ]
        }),
    )
    .body;
    cases.push(Case {
        id: "status.business.inquiryPayment.transactions".into(),
        area: Area::Status,
        level: Level::Must,
        description: "inquiryPayment transactions[]: each transactionStatus maps to its outcome"
            .into(),
        kind: CaseKind::Status(StatusKind::Classify {
            endpoint: ep,
            body,
            expect: ExpectedClass {
                transactions: vec![Success, Pending, Failed, Failed, Pending],
                ..ExpectedClass::business(Some(Success))
            },
        }),
    });
    let body = Reply::result(
        "S",
        "SUCCESS",
        json!({"paymentStatus": "CONFORMANCE_UNLISTED_STATUS"}),
    )
    .body;
    cases.push(Case {
        id: "status.business.inquiryPayment.paymentStatus.unlisted".into(),
        area: Area::Status,
        level: Level::Must,
        description: "inquiryPayment with a paymentStatus the spec does not list is tolerated and not taken as final".into(),
        kind: CaseKind::Status(StatusKind::Classify {
            endpoint: ep,
            body,
            expect: ExpectedClass::business(None),
        }),
    });
}

/// Judges a status case.
pub async fn judge(kind: &StatusKind, cx: &Context<'_>) -> Verdict {
    match kind {
        StatusKind::Classify {
            endpoint,
            body,
            expect,
        } => classify(cx, endpoint.name, body, expect).await,
        StatusKind::Call {
            endpoint,
            reply,
            expect,
        } => judge_call_class(cx.imp, cx.keys, endpoint, reply, expect).await,
    }
}

/// `classify` must map `body` to the class `expect` names.
async fn classify(cx: &Context<'_>, endpoint: &str, body: &str, expect: &ExpectedClass) -> Verdict {
    let imp = cx.imp;
    let r = op!(imp.classify(ClassifyRequest {
        endpoint: endpoint.to_owned(),
        body: body.to_owned()
    }));
    if let Some(m) = check_class(expect, &r.outcome, Some(&r.action)) {
        return Verdict::Fail(m);
    }
    check!(
        r.business_outcome.as_deref() == expect.business_str(),
        Stage::Business,
        format!("{:?}", expect.business_str()),
        format!("{:?}", r.business_outcome)
    );
    let got: Vec<&str> = r.transaction_outcomes.iter().map(String::as_str).collect();
    check!(
        got == expect.transaction_strs(),
        Stage::Business,
        format!("transactions {:?}", expect.transaction_strs()),
        format!("transactions {got:?}")
    );
    Verdict::Pass
}
