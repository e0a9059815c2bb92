//! The retry area: scripted gateway answers (U, HTTP 500, timeouts,
//! dropped connections, answers cut mid-body, rate limits, final answers) and what a call under
//! the suite's retry policy must make of them: the attempts, the outcome,
//! identical requests, fresh signatures, back-off.

use std::time::Duration;

use antom_runtime::SpecStatus;
use serde_json::json;

use super::Context;
use crate::case::{Area, Case, CaseKind, RetryScenario, SpecTables};
use crate::expect::RetryExpect;
use crate::gateway::{Reply, Signing, Step};
use crate::judge::{judge_retry, RetryCall};
use crate::level::Level;
use crate::protocol::OutcomeKind;
use crate::timing::{
    min_backoff_gap, ATTEMPT_TIMEOUT_MS, SHORT_ATTEMPT_TIMEOUT_MS, TIMEOUT_SCENARIO_DELAY_MS,
};
use crate::verdict::Verdict;

/// The retry area's cases: scripted scenarios on the spec's idempotent
/// endpoint, and its idempotency rule (a final answer spends the request id).
pub fn cases(spec: &SpecTables) -> Vec<Case> {
    let Some(ep) = spec.idempotent_endpoint() else {
        return Vec::new();
    };
    let s = || Step::Respond(Reply::result("S", "SUCCESS", json!({})));
    let u = || Step::Respond(Reply::result("U", "UNKNOWN_EXCEPTION", json!({})));
    let f_code = ep
        .result_codes
        .iter()
        .find(|c| c.status == SpecStatus::F)
        .map(|c| c.code)
        .unwrap_or("PARAM_ILLEGAL");
    let gap = Some(min_backoff_gap());
    let long = ATTEMPT_TIMEOUT_MS;
    let short = SHORT_ATTEMPT_TIMEOUT_MS;
    // (id, description, gateway script, max attempts, attempt timeout, expectation)
    type Scenario<'a> = (&'a str, &'a str, Vec<Step>, u32, u64, RetryExpect);
    let mut scenarios: Vec<Scenario> = vec![
        (
            "u-s",
            "U then S: one retry, same request id and body, fresh signature",
            vec![u(), s()],
            4,
            long,
            RetryExpect {
                attempts: 2,
                outcome: OutcomeKind::Success,
                min_gap: gap,
            },
        ),
        (
            "u-u-s",
            "U, U, then S: two retries",
            vec![u(), u(), s()],
            4,
            long,
            RetryExpect {
                attempts: 3,
                outcome: OutcomeKind::Success,
                min_gap: gap,
            },
        ),
        (
            "http500-s",
            "HTTP 500 then S: retried",
            vec![
                Step::Respond(Reply::raw(500, "internal error", Signing::Unsigned)),
                s(),
            ],
            4,
            long,
            RetryExpect {
                attempts: 2,
                outcome: OutcomeKind::Success,
                min_gap: gap,
            },
        ),
        (
            "timeout-s",
            "a timeout then S: retried after the attempt timeout",
            vec![
                Step::Delay(
                    Duration::from_millis(TIMEOUT_SCENARIO_DELAY_MS),
                    Reply::result("S", "SUCCESS", json!({})),
                ),
                s(),
            ],
            4,
            short,
            RetryExpect {
                attempts: 2,
                outcome: OutcomeKind::Success,
                min_gap: None,
            },
        ),
        (
            "drop-s",
            "a dropped connection then S: retried",
            vec![Step::Drop, s()],
            4,
            long,
            RetryExpect {
                attempts: 2,
                outcome: OutcomeKind::Success,
                min_gap: None,
            },
        ),
        (
            "cut-body-s",
            "an S answer cut mid-body, then S: the cut answer is unknown and the request is retried",
            vec![Step::Cut(Reply::result("S", "SUCCESS", json!({}))), s()],
            4,
            long,
            RetryExpect {
                attempts: 2,
                outcome: OutcomeKind::Success,
                min_gap: None,
            },
        ),
        (
            "rate-limit-s",
            "REQUEST_TRAFFIC_EXCEED_LIMIT then S: retried after back-off",
            vec![
                Step::Respond(Reply::result(
                    "U",
                    "REQUEST_TRAFFIC_EXCEED_LIMIT",
                    json!({}),
                )),
                s(),
            ],
            4,
            long,
            RetryExpect {
                attempts: 2,
                outcome: OutcomeKind::Success,
                min_gap: gap,
            },
        ),
        (
            "u-exhausted",
            "U on every attempt: stops at the policy's attempt limit with an unknown outcome",
            vec![u()],
            3,
            long,
            RetryExpect {
                attempts: 3,
                outcome: OutcomeKind::Unknown,
                min_gap: gap,
            },
        ),
    ];
    // The spec's idempotency rule: after a final answer the request id is
    // spent, so sending the same request again can only repeat that answer.
    for status in ep.spent_on {
        let (id, desc, first, outcome) = match status {
            SpecStatus::S => (
                "s-no-retry",
                "an S answer is final: the request is not sent again",
                Reply::result("S", "SUCCESS", json!({})),
                OutcomeKind::Success,
            ),
            SpecStatus::F => (
                "f-no-retry",
                "an F answer is final: the request is not sent again",
                Reply::result("F", f_code, json!({})),
                OutcomeKind::Failed,
            ),
            SpecStatus::U => continue,
        };
        scenarios.push((
            id,
            desc,
            vec![Step::Respond(first), u()],
            4,
            long,
            RetryExpect {
                attempts: 1,
                outcome,
                min_gap: None,
            },
        ));
    }
    scenarios
        .into_iter()
        .map(
            |(id, desc, script, max_attempts, attempt_timeout_ms, expect)| Case {
                id: format!("retry.{id}"),
                area: Area::Retry,
                level: Level::Should,
                description: format!("{} ({})", desc, ep.name),
                kind: CaseKind::Retry(RetryScenario {
                    endpoint: ep,
                    script,
                    max_attempts,
                    attempt_timeout_ms,
                    expect,
                }),
            },
        )
        .collect()
}

/// Judges a retry scenario.
pub async fn judge(scenario: &RetryScenario, cx: &Context<'_>) -> Verdict {
    let RetryScenario {
        endpoint,
        script,
        max_attempts,
        attempt_timeout_ms,
        expect,
    } = scenario;
    let (imp, keys) = (cx.imp, cx.keys);
    let request_id = format!("conformance-retry-{}", cx.case_id);
    let call = RetryCall {
        endpoint,
        script: script.clone(),
        max_attempts: *max_attempts,
        attempt_timeout_ms: *attempt_timeout_ms,
    };
    judge_retry(imp, keys, call, expect, &request_id, cx.classifies).await
}
