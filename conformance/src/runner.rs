//! Runs cases against an [`Implementation`] and judges the results.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;
use std::time::Instant;

use serde::Serialize;
use tokio::sync::Semaphore;

use crate::cases::{Area, Case, CaseKind, Delivery, SANDBOX_CLIENT_ID};
use crate::crypto::{
    content_to_sign, decode_signature, encode_signature, parse_signature_header, sign_base64,
    signature_header, TestKeys,
};
use crate::expect::Expected;
use crate::gateway::{build_reply, Reply, Step};
use crate::judge::{
    call_against, check, check_class, diagnose_signature, imp_err, judge_retry, retry_hint,
    RetryCall,
};
use crate::level::Level;
use crate::protocol::{
    is_acknowledgement, CallResponse, Capability, ClassifyRequest, Hello, Implementation,
    OutcomeKind, SignRequest, VerifyNotificationRequest, VerifyNotificationResponse,
    VerifyResponseRequest,
};
use crate::request_rules::Sent;

pub use crate::cases::NOTIFY_PATH;
pub use crate::timing::*;
pub use crate::verdict::{Mismatch, Stage, Verdict};

/// The result of one case, after applying the expected-failures list.
#[derive(Debug, Clone, Serialize)]
pub struct CaseResult {
    /// Case id.
    pub id: String,
    /// Area.
    pub area: Area,
    /// The case's level; for a failure, the level of what failed (see
    /// [`Level::of_failure`]).
    pub level: Level,
    /// Description.
    pub description: String,
    /// Raw verdict.
    #[serde(flatten)]
    pub verdict: Verdict,
    /// Whether the case is on the expected-failures list.
    pub expected_failure: bool,
    /// For a signed call: whether the implementation sent the request
    /// through its own request type (typed mode) or as given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub typed: Option<bool>,
    /// Wall time.
    pub duration_ms: u64,
}

/// How a result counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    /// Passed and not listed.
    Passed,
    /// Failed and not listed: fails the run.
    Failed,
    /// Failed and listed.
    ExpectedFailure,
    /// Passed but listed: fails the run (the list only shrinks).
    UnexpectedPass,
    /// Not run by the implementation.
    Skipped,
    /// Not run: the implementation does not offer what it judges.
    NotOffered,
}

impl CaseResult {
    /// Whether this result fails a run (`strict` also fails on `should`).
    pub fn fails_run(&self, strict: bool) -> bool {
        match self.status() {
            Status::Failed => self.level.is_fatal(strict),
            Status::UnexpectedPass => true,
            _ => false,
        }
    }

    /// How this result counts.
    pub fn status(&self) -> Status {
        match (&self.verdict, self.expected_failure) {
            (Verdict::Pass, false) => Status::Passed,
            (Verdict::Pass, true) => Status::UnexpectedPass,
            (Verdict::Fail(_), false) => Status::Failed,
            (Verdict::Fail(_), true) => Status::ExpectedFailure,
            (Verdict::Skip { .. }, _) => Status::Skipped,
            (Verdict::NotOffered { .. }, _) => Status::NotOffered,
        }
    }
}

/// Where notification cases are delivered.
#[derive(Debug, Clone)]
pub enum NotificationTarget {
    /// Through [`Implementation::verify_notification`].
    Implementation,
    /// Posted over HTTP to a running webhook (loopback only).
    Webhook {
        /// `http://127.0.0.1:PORT/path`.
        url: String,
        /// The client id the webhook expects.
        client_id: String,
    },
}

/// Options of a run.
#[derive(Debug, Clone)]
pub struct RunOptions {
    /// How many cases run at once.
    pub concurrency: usize,
    /// Case ids that may fail.
    pub expected_failures: BTreeSet<String>,
    /// Where notification cases go.
    pub notifications: NotificationTarget,
    /// Print progress to stderr (every case on a terminal; otherwise the
    /// cases that did not pass and a count every 250 cases).
    pub progress: bool,
    /// Fail the run on `should` failures too (`must` failures always fail
    /// it; `uncertain` ones never do).
    pub strict: bool,
    /// Seed of the property area's generated inputs.
    pub seed: u64,
}

impl Default for RunOptions {
    fn default() -> Self {
        RunOptions {
            concurrency: 8,
            expected_failures: BTreeSet::new(),
            notifications: NotificationTarget::Implementation,
            progress: false,
            strict: false,
            seed: crate::properties::DEFAULT_SEED,
        }
    }
}

/// Parses an expected-failures file: one case id per line, `#` comments.
pub fn parse_expected_failures(text: &str) -> BTreeSet<String> {
    text.lines()
        .map(|l| l.split('#').next().unwrap_or_default().trim())
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect()
}

/// Everything a run produced.
#[derive(Debug, Clone, Serialize)]
pub struct RunReport {
    /// The implementation's name.
    pub implementation: String,
    /// What it said of itself: who is really under test, what it offers.
    pub hello: Hello,
    /// The webhook notification cases were delivered to, instead of the
    /// implementation.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub webhook: Option<String>,
    /// One result per case, in case order.
    pub results: Vec<CaseResult>,
    /// Listed ids that matched no case that ran (reported, not fatal).
    pub unmatched_expected_failures: Vec<String>,
    /// Wall time of the run.
    pub duration_ms: u64,
    /// Whether `should` failures fail the run.
    pub strict: bool,
}

impl RunReport {
    /// Number of results with `status`.
    pub fn count(&self, status: Status) -> usize {
        self.results.iter().filter(|r| r.status() == status).count()
    }

    /// `<id> <verdict>` of every result that did not pass (failed, expected
    /// to fail, unexpectedly passed or skipped), for test assertions.
    pub fn not_passed(&self) -> Vec<String> {
        self.results
            .iter()
            .filter(|r| r.status() != Status::Passed)
            .map(|r| format!("{} {:?}", r.id, r.verdict))
            .collect()
    }

    /// Whether the run passes: no failure at a fatal level (`must`, and
    /// `should` when strict) and no unexpected pass.
    pub fn success(&self) -> bool {
        !self.results.iter().any(|r| r.fails_run(self.strict))
    }
}

/// Runs `cases` against `imp`.
pub async fn run_suite(
    imp: Arc<dyn Implementation>,
    cases: Vec<Case>,
    options: RunOptions,
) -> RunReport {
    let started = Instant::now();
    let keys = match TestKeys::load() {
        Ok(k) => Arc::new(k),
        Err(e) => {
            let results = cases
                .into_iter()
                .map(|c| CaseResult {
                    id: c.id,
                    area: c.area,
                    level: Level::Must,
                    description: c.description,
                    verdict: Verdict::Fail(Mismatch::new(
                        Stage::Implementation,
                        "test keys load",
                        e.to_string(),
                    )),
                    expected_failure: false,
                    typed: None,
                    duration_ms: 0,
                })
                .collect();
            return RunReport {
                implementation: imp.name(),
                hello: Hello::everything(imp.name()),
                webhook: webhook_of(&options.notifications),
                results,
                unmatched_expected_failures: vec![],
                duration_ms: 0,
                strict: options.strict,
            };
        }
    };
    let hello = Arc::new(
        imp.hello()
            .await
            .unwrap_or_else(|_| Hello::everything(imp.name())),
    );
    let total = cases.len();
    let sem = Arc::new(Semaphore::new(options.concurrency.max(1)));
    let done = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let options = Arc::new(options);
    let mut handles = Vec::with_capacity(total);
    for case in cases {
        let imp = imp.clone();
        let keys = keys.clone();
        let sem = sem.clone();
        let done = done.clone();
        let options = options.clone();
        let hello = hello.clone();
        handles.push(tokio::spawn(async move {
            let _permit = sem.acquire_owned().await.ok();
            let t = Instant::now();
            let webhook = matches!(options.notifications, NotificationTarget::Webhook { .. });
            let missing = case.needs(webhook).into_iter().find(|c| !hello.offers(*c));
            let typed = std::sync::OnceLock::new();
            let verdict = match missing {
                Some(capability) => Verdict::NotOffered { capability },
                None => run_case(&*imp, &keys, &case, &options, &hello, &typed).await,
            };
            let n = done.fetch_add(1, std::sync::atomic::Ordering::SeqCst) + 1;
            // On a terminal every case scrolls by; in a CI log, only the
            // cases that did not pass and a count every 250 cases.
            let show = std::io::IsTerminal::is_terminal(&std::io::stderr())
                || !matches!(verdict, Verdict::Pass | Verdict::NotOffered { .. })
                || n % 250 == 0
                || n == total;
            if options.progress && show {
                let mark = match &verdict {
                    Verdict::Pass => "ok",
                    Verdict::Fail(_) => "FAIL",
                    Verdict::Skip { .. } => "skip",
                    Verdict::NotOffered { .. } => "n/o",
                };
                eprintln!("[{n:>4}/{total}] {mark:<4} {}", case.id);
            }
            CaseResult {
                expected_failure: options.expected_failures.contains(&case.id),
                level: match &verdict {
                    Verdict::Fail(m) => case.level.of_failure(m.stage),
                    _ => case.level,
                },
                id: case.id,
                area: case.area,
                description: case.description,
                verdict,
                typed: typed.get().copied(),
                duration_ms: t.elapsed().as_millis() as u64,
            }
        }));
    }
    let mut results = Vec::with_capacity(total);
    for h in handles {
        match h.await {
            Ok(r) => results.push(r),
            Err(e) => results.push(CaseResult {
                id: "<internal>".into(),
                area: Area::Signature,
                level: Level::Must,
                description: "a case task panicked".into(),
                verdict: Verdict::Fail(Mismatch::new(
                    Stage::Implementation,
                    "case runs",
                    e.to_string(),
                )),
                expected_failure: false,
                typed: None,
                duration_ms: 0,
            }),
        }
    }
    let ran: BTreeSet<&str> = results
        .iter()
        .filter(|r| r.status() != Status::NotOffered)
        .map(|r| r.id.as_str())
        .collect();
    let unmatched = options
        .expected_failures
        .iter()
        .filter(|id| !ran.contains(id.as_str()))
        .cloned()
        .collect();
    RunReport {
        implementation: imp.name(),
        hello: Arc::unwrap_or_clone(hello),
        webhook: webhook_of(&options.notifications),
        results,
        unmatched_expected_failures: unmatched,
        duration_ms: started.elapsed().as_millis() as u64,
        strict: options.strict,
    }
}

/// Wall time of one area in [`run_by_area`].
#[derive(Debug, Clone, Serialize)]
pub struct AreaTiming {
    /// The area.
    pub area: Area,
    /// Its cases.
    pub cases: usize,
    /// Wall time of the area's run, in milliseconds.
    pub duration_ms: u64,
}

/// Runs `cases` one area after another (each area's cases concurrently), so
/// that each area's wall time can be told: one report, and the time of each
/// area.
pub async fn run_by_area(
    imp: Arc<dyn Implementation>,
    cases: Vec<Case>,
    options: RunOptions,
) -> (RunReport, Vec<AreaTiming>) {
    let started = Instant::now();
    let mut timings = Vec::new();
    let mut merged: Option<RunReport> = None;
    for area in Area::ALL {
        let of_area: Vec<Case> = cases.iter().filter(|c| c.area == area).cloned().collect();
        if of_area.is_empty() {
            continue;
        }
        let n = of_area.len();
        let report = run_suite(imp.clone(), of_area, options.clone()).await;
        timings.push(AreaTiming {
            area,
            cases: n,
            duration_ms: report.duration_ms,
        });
        match &mut merged {
            None => merged = Some(report),
            Some(m) => m.results.extend(report.results),
        }
    }
    let mut report = merged.unwrap_or_else(|| RunReport {
        implementation: imp.name(),
        hello: Hello::everything(imp.name()),
        webhook: webhook_of(&options.notifications),
        results: vec![],
        unmatched_expected_failures: vec![],
        duration_ms: 0,
        strict: options.strict,
    });
    let ran: BTreeSet<&str> = report
        .results
        .iter()
        .filter(|r| r.status() != Status::NotOffered)
        .map(|r| r.id.as_str())
        .collect();
    report.unmatched_expected_failures = options
        .expected_failures
        .iter()
        .filter(|id| !ran.contains(id.as_str()))
        .cloned()
        .collect();
    report.duration_ms = started.elapsed().as_millis() as u64;
    (report, timings)
}

fn webhook_of(target: &NotificationTarget) -> Option<String> {
    match target {
        NotificationTarget::Implementation => None,
        NotificationTarget::Webhook { url, .. } => Some(url.clone()),
    }
}

macro_rules! op {
    ($fut:expr) => {
        match $fut.await {
            Ok(r) => r,
            Err(e) => return imp_err(e),
        }
    };
}

/// Whether `sent` carries every field of `given` with its value (objects
/// may have more fields; arrays match item by item).
fn carries(sent: &serde_json::Value, given: &serde_json::Value) -> bool {
    use serde_json::Value;
    match (sent, given) {
        (Value::Object(s), Value::Object(g)) => g
            .iter()
            .all(|(k, gv)| s.get(k).is_some_and(|sv| carries(sv, gv))),
        (Value::Array(s), Value::Array(g)) => {
            s.len() == g.len() && s.iter().zip(g).all(|(sv, gv)| carries(sv, gv))
        }
        (s, g) => s == g,
    }
}

/// One sandbox call answered by one scripted reply, without retries.
async fn single_reply_call(
    imp: &dyn Implementation,
    keys: &TestKeys,
    endpoint: &antom_runtime::EndpointDef,
    reply: &Reply,
    request_id: &str,
) -> Result<CallResponse, Verdict> {
    let (res, _, _) = call_against(
        imp,
        keys,
        vec![Step::Respond(reply.clone())],
        endpoint,
        SANDBOX_CLIENT_ID,
        verdict_request(endpoint, request_id),
        retry_hint(1, ATTEMPT_TIMEOUT_MS),
    )
    .await?;
    res.map_err(imp_err)
}

/// The request of a single-reply call: `requestId`, and `request_id` in
/// every field the endpoint's response echoes (so a reply can echo it, or
/// echo another request's id).
pub(crate) fn verdict_request(
    endpoint: &antom_runtime::EndpointDef,
    request_id: &str,
) -> serde_json::Value {
    let mut request = serde_json::json!({ "requestId": request_id });
    for field in endpoint.echoes {
        request[*field] = request_id.into();
    }
    request
}

/// Runs one case; a signed call records in `typed` whether the
/// implementation used its own request type.
pub async fn run_case(
    imp: &dyn Implementation,
    keys: &TestKeys,
    case: &Case,
    options: &RunOptions,
    hello: &Hello,
    typed_call: &std::sync::OnceLock<bool>,
) -> Verdict {
    let notifications = &options.notifications;
    match &case.kind {
        CaseKind::Property {
            property,
            cases,
            endpoints,
            retry_endpoint,
        } => {
            let cx = crate::properties::Context {
                imp,
                keys,
                endpoints,
                retry_endpoint,
                cases: *cases,
                seed: options.seed,
                classifies: hello.offers(Capability::Classify),
            };
            crate::properties::run(*property, &cx).await
        }
        CaseKind::SignVector {
            method,
            path,
            client_id,
            time,
            body,
            expected_b64,
        } => {
            let priv_b64 = keys.merchant_private_base64();
            let r = op!(imp.sign(SignRequest {
                method: method.clone(),
                path: path.clone(),
                client_id: client_id.clone(),
                request_time: time.clone(),
                body: body.clone(),
                merchant_private_key: priv_b64,
            }));
            let expected_header = signature_header(&encode_signature(expected_b64, false), false);
            let parsed = match parse_signature_header(&r.signature) {
                Ok(p) => p,
                Err(e) => {
                    return Verdict::Fail(Mismatch::new(
                        Stage::Header,
                        expected_header,
                        format!("{:?}: {e}", r.signature),
                    ))
                }
            };
            let raw = match decode_signature(&parsed.signature) {
                Ok(r) => r,
                Err(e) => {
                    return Verdict::Fail(Mismatch::new(
                        Stage::Header,
                        expected_header,
                        format!("{:?}: {e}", r.signature),
                    ))
                }
            };
            let expected_raw = decode_signature(expected_b64).unwrap_or_default();
            if raw != expected_raw {
                let content = content_to_sign(method, path, client_id, time, body.as_bytes());
                return Verdict::Fail(Mismatch::new(
                    Stage::Signature,
                    format!(
                        "{expected_header} (content to sign {:?})",
                        String::from_utf8_lossy(&content)
                    ),
                    r.signature,
                ));
            }
            check!(
                parsed.key_version.as_deref() == Some("1"),
                Stage::Header,
                "keyVersion=1",
                format!(
                    "keyVersion={}",
                    parsed.key_version.as_deref().unwrap_or("(absent)")
                )
            );
            Verdict::Pass
        }
        CaseKind::SignedCall {
            endpoint,
            client_id,
            request,
            expected_path,
            rule,
            schemas,
        } => {
            let script = vec![Step::Respond(Reply::result(
                "S",
                "SUCCESS",
                serde_json::json!({}),
            ))];
            let (res, captured, _) = match call_against(
                imp,
                keys,
                script,
                endpoint,
                client_id,
                request.clone(),
                retry_hint(1, ATTEMPT_TIMEOUT_MS),
            )
            .await
            {
                Ok(x) => x,
                Err(v) => return v,
            };
            let Some(cap) = captured.first() else {
                return match res {
                    Err(e) => imp_err(e),
                    Ok(r) => Verdict::Fail(Mismatch::new(
                        Stage::Attempts,
                        "one request",
                        format!("no request reached the gateway (outcome {})", r.outcome),
                    )),
                };
            };
            check!(
                captured.len() == 1,
                Stage::Attempts,
                "one request",
                format!("{} requests", captured.len())
            );
            if let Some(rule) = rule {
                return match (rule.check)(cap, Sent { client_id }) {
                    Ok(()) => Verdict::Pass,
                    Err(actual) => Verdict::Fail(Mismatch::new(
                        rule.stage,
                        format!("[{}] {}", rule.id, rule.rule),
                        actual,
                    )),
                };
            }
            check!(
                &cap.path == expected_path,
                Stage::Path,
                expected_path.clone(),
                cap.path.clone()
            );
            if cap.signature_check.is_err() {
                return Verdict::Fail(diagnose_signature(keys, cap, expected_path, endpoint.path));
            }
            let sent: Result<serde_json::Value, _> = serde_json::from_slice(&cap.body);
            if let Ok(sent) = &sent {
                let violations = schemas.validate(endpoint.request, sent);
                check!(
                    violations.is_empty(),
                    Stage::Schema,
                    format!(
                        "a body valid against the spec's {} (required fields, JSON types, lengths, enum values)",
                        endpoint.request
                    ),
                    violations
                        .iter()
                        .map(|v| v.to_string())
                        .collect::<Vec<_>>()
                        .join("; ")
                );
            }
            // Through its own request type an SDK writes its own body: it must
            // carry the fields given (and be valid, above), not be the very
            // same JSON.
            let typed = res.as_ref().is_ok_and(|r| r.typed);
            let _ = typed_call.set(typed);
            let body_ok = match &sent {
                Ok(sent) if typed => carries(sent, request),
                Ok(sent) => sent == request,
                Err(_) => false,
            };
            check!(
                body_ok,
                Stage::Body,
                if typed {
                    format!("a body carrying every field of {request}")
                } else {
                    request.to_string()
                },
                String::from_utf8_lossy(&cap.body).to_string()
            );
            let r = match res {
                Ok(r) => r,
                Err(e) => return imp_err(e),
            };
            check!(
                Expected::Success.met_by(r.reported_outcome(), hello.offers(Capability::Classify)),
                Stage::Outcome,
                "success (signed S response)",
                format!("{} {}", r.outcome, r.detail.unwrap_or_default())
            );
            Verdict::Pass
        }
        CaseKind::VerifyResponse {
            path,
            reply,
            accept,
        } => {
            let (headers, body) = build_reply(keys, path, SANDBOX_CLIENT_ID, reply);
            let pub_b64 = keys.antom_public_base64();
            let r = op!(imp.verify_response(VerifyResponseRequest {
                path: path.clone(),
                client_id: SANDBOX_CLIENT_ID.into(),
                headers,
                status: reply.status,
                body,
                antom_public_key: pub_b64,
            }));
            check!(
                r.accepted == *accept,
                Stage::Verdict,
                if *accept { "accepted" } else { "rejected" },
                format!(
                    "{} {}",
                    if r.accepted { "accepted" } else { "rejected" },
                    r.reason.unwrap_or_default()
                )
            );
            Verdict::Pass
        }
        CaseKind::CallVerdict {
            endpoint,
            reply,
            outcome,
        } => {
            let r = match single_reply_call(
                imp,
                keys,
                endpoint,
                reply,
                crate::cases::VERDICT_REQUEST_ID,
            )
            .await
            {
                Ok(r) => r,
                Err(v) => return v,
            };
            let classifies = hello.offers(Capability::Classify);
            let (stage, expected) = match outcome {
                Expected::NotSuccess => (
                    Stage::Verdict,
                    format!("not {} (response rejected)", OutcomeKind::Success),
                ),
                _ => (Stage::Outcome, outcome.to_string()),
            };
            check!(
                outcome.met_by(r.reported_outcome(), classifies),
                stage,
                expected,
                format!("{} {}", r.outcome, r.detail.unwrap_or_default())
            );
            Verdict::Pass
        }
        CaseKind::Retry {
            endpoint,
            script,
            max_attempts,
            attempt_timeout_ms,
            expect,
        } => {
            let request_id = format!("conformance-retry-{}", case.id);
            let call = RetryCall {
                endpoint,
                script: script.clone(),
                max_attempts: *max_attempts,
                attempt_timeout_ms: *attempt_timeout_ms,
            };
            judge_retry(
                imp,
                keys,
                call,
                expect,
                &request_id,
                hello.offers(Capability::Classify),
            )
            .await
        }
        CaseKind::Classify {
            endpoint,
            body,
            expect,
        } => {
            let r = op!(imp.classify(ClassifyRequest {
                endpoint: endpoint.name.to_owned(),
                body: body.clone()
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
        CaseKind::StatusCall {
            endpoint,
            reply,
            expect,
        } => {
            let r = match single_reply_call(imp, keys, endpoint, reply, "conformance-status").await
            {
                Ok(r) => r,
                Err(v) => return v,
            };
            // An implementation that does not report action classes from a
            // call (the field is optional) is judged on the outcome alone.
            let action = r
                .action
                .clone()
                .or_else(|| expect.actions.first().map(|a| a.as_str().to_owned()));
            if let Some(m) = check_class(expect, &r.outcome, action.as_deref()) {
                return Verdict::Fail(m);
            }
            Verdict::Pass
        }
        CaseKind::Notification { delivery, ack } => {
            let client_id = notification_client_id(notifications);
            let scope = format!("conformance-{}", case.id);
            let (path, headers, body) =
                notification(keys, notifications, *delivery, &client_id, &scope);
            let r = match deliver(
                imp,
                keys,
                notifications,
                &path,
                headers,
                body,
                &client_id,
                &scope,
            )
            .await
            {
                Ok(r) => r,
                Err(v) => return v,
            };
            let acked = is_acknowledgement(r.status, &r.body);
            check!(
                acked == *ack,
                Stage::Acknowledgement,
                if *ack {
                    format!("HTTP 200 {}", crate::protocol::ACK_BODY)
                } else {
                    "no acknowledgement".to_owned()
                },
                format!("HTTP {} {}", r.status, r.body)
            );
            if matches!(notifications, NotificationTarget::Implementation) {
                check!(
                    r.processed == *ack,
                    Stage::Processing,
                    if *ack { "processed" } else { "not processed" },
                    if r.processed {
                        "processed"
                    } else {
                        "not processed"
                    }
                );
            }
            Verdict::Pass
        }
        CaseKind::Redelivery { times } => {
            let client_id = notification_client_id(notifications);
            let scope = format!("conformance-{}", case.id);
            let (path, headers, body) =
                notification(keys, notifications, Delivery::Valid, &client_id, &scope);
            let mut processed = 0;
            for i in 0..*times {
                let r = match deliver(
                    imp,
                    keys,
                    notifications,
                    &path,
                    headers.clone(),
                    body.clone(),
                    &client_id,
                    &scope,
                )
                .await
                {
                    Ok(r) => r,
                    Err(v) => return v,
                };
                check!(
                    is_acknowledgement(r.status, &r.body),
                    Stage::Acknowledgement,
                    format!("delivery {} acknowledged", i + 1),
                    format!("HTTP {} {}", r.status, r.body)
                );
                processed += usize::from(r.processed);
            }
            if matches!(notifications, NotificationTarget::Implementation) {
                check!(
                    processed == 1,
                    Stage::Processing,
                    format!("processed once over {times} deliveries"),
                    format!("processed {processed} times")
                );
            }
            Verdict::Pass
        }
    }
}

fn notification_client_id(target: &NotificationTarget) -> String {
    match target {
        NotificationTarget::Implementation => SANDBOX_CLIENT_ID.to_owned(),
        NotificationTarget::Webhook { client_id, .. } => client_id.clone(),
    }
}

/// The `request-time` a notification built now claims: ISO 8601 as in
/// Antom's samples, so fresh for an implementation that checks the age of a
/// delivery.
pub fn notify_time() -> String {
    antom_runtime::timestamp::format_iso8601(std::time::SystemTime::now())
}

/// The `request-time` of [`Delivery::Stale`]: Antom's documented sample
/// time, years before any run.
pub const STALE_NOTIFY_TIME: &str = "2019-05-28T12:12:14+08:00";

/// Builds a notification delivery: path, headers, body.
pub fn notification(
    keys: &TestKeys,
    target: &NotificationTarget,
    delivery: Delivery,
    client_id: &str,
    scope: &str,
) -> (String, BTreeMap<String, String>, String) {
    let path = match target {
        NotificationTarget::Implementation => NOTIFY_PATH.to_owned(),
        NotificationTarget::Webhook { url, .. } => url_path(url),
    };
    let description = if delivery == Delivery::ValidNonAscii {
        "测试订单 – café"
    } else {
        "conformance order"
    };
    let body = serde_json::json!({
        "notifyType": "PAYMENT_RESULT",
        "result": {"resultCode": "SUCCESS", "resultStatus": "S", "resultMessage": "success."},
        "paymentRequestId": scope,
        "paymentId": format!("2026010100000{}", scope.len()),
        "paymentAmount": {"currency": "USD", "value": "1000"},
        "paymentCreateTime": "2026-01-01T08:00:00+08:00",
        "paymentTime": "2026-01-01T08:00:04+08:00",
        "orderDescription": description,
    })
    .to_string();
    let signer_client = if delivery == Delivery::WrongClientId {
        "SANDBOX_OTHER00000000000"
    } else {
        client_id
    };
    let key = if delivery == Delivery::WrongKey {
        &keys.merchant_private
    } else {
        &keys.antom_private
    };
    let fresh = notify_time();
    let time = if delivery == Delivery::Stale {
        STALE_NOTIFY_TIME
    } else {
        &fresh
    };
    let content = content_to_sign("POST", &path, signer_client, time, body.as_bytes());
    let b64 = sign_base64(key, &content).unwrap_or_default();
    let sig = match delivery {
        Delivery::ValidLowerHex => signature_header(&encode_signature(&b64, true), false),
        Delivery::ValidSpaced => signature_header(&encode_signature(&b64, false), true),
        _ => signature_header(&encode_signature(&b64, false), false),
    };
    let mut headers = BTreeMap::new();
    headers.insert("content-type".to_owned(), "application/json".to_owned());
    if delivery != Delivery::MissingClientId {
        headers.insert("client-id".to_owned(), signer_client.to_owned());
    }
    if delivery != Delivery::MissingRequestTime {
        headers.insert("request-time".to_owned(), time.to_owned());
    }
    if delivery != Delivery::MissingSignature {
        headers.insert("signature".to_owned(), sig);
    }
    let body = match delivery {
        Delivery::TamperedBody => body.replace("\"1000\"", "\"1001\""),
        Delivery::Reformatted => crate::gateway::reformatted(&body),
        _ => body,
    };
    (path, headers, body)
}

fn url_path(url: &str) -> String {
    let rest = url.split_once("://").map(|(_, r)| r).unwrap_or(url);
    match rest.find('/') {
        Some(i) => rest[i..].to_owned(),
        None => "/".to_owned(),
    }
}

#[allow(clippy::too_many_arguments)]
async fn deliver(
    imp: &dyn Implementation,
    keys: &TestKeys,
    target: &NotificationTarget,
    path: &str,
    headers: BTreeMap<String, String>,
    body: String,
    client_id: &str,
    scope: &str,
) -> Result<VerifyNotificationResponse, Verdict> {
    match target {
        NotificationTarget::Implementation => {
            let pub_b64 = keys.antom_public_base64();
            imp.verify_notification(VerifyNotificationRequest {
                path: path.to_owned(),
                headers,
                body,
                client_id: client_id.to_owned(),
                antom_public_key: pub_b64,
                scope: scope.to_owned(),
            })
            .await
            .map_err(imp_err)
        }
        NotificationTarget::Webhook { url, .. } => crate::webhook::post(url, &headers, &body)
            .await
            .map(|(status, body)| VerifyNotificationResponse {
                status,
                body,
                processed: false,
            })
            .map_err(|e| {
                Verdict::Fail(Mismatch::new(
                    Stage::Implementation,
                    "the webhook answers",
                    e.to_string(),
                ))
            }),
    }
}
