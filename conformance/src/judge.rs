//! Judging shared by the areas: a call against a scripted mock gateway, a
//! call answered by one reply, a retried call judged attempt by attempt, the
//! check of an outcome and action class, and the diagnosis of a request whose
//! signature does not verify.

use std::time::{Duration, Instant};

use antom_runtime::Action;

use crate::case::SANDBOX_CLIENT_ID;
use crate::crypto::{
    content_to_sign, decode_signature, gateway_signature_bytes, parse_signature_header,
    verify_header, TestKeys,
};
use crate::expect::{Expected, ExpectedClass, RetryExpect};
use crate::gateway::{Captured, MockGateway, Reply, Step};
use crate::protocol::{
    CallRequest, CallResponse, ImplError, Implementation, OutcomeKind, RetryHint,
};
use crate::timing::{
    ATTEMPT_TIMEOUT_MS, BACKOFF_MS, MAX_BACKOFF_MS, TOTAL_TIMEOUT_MS, TOTAL_TIMEOUT_SLACK_MS,
};
use crate::verdict::{Mismatch, Stage, Verdict};

/// The retry policy a call is asked to use: the suite's back-off and overall
/// bound, with `max_attempts` attempts of `attempt_timeout_ms` each.
pub(crate) fn retry_hint(max_attempts: u32, attempt_timeout_ms: u64) -> RetryHint {
    RetryHint {
        max_attempts,
        initial_backoff_ms: BACKOFF_MS,
        max_backoff_ms: MAX_BACKOFF_MS,
        attempt_timeout_ms,
        total_timeout_ms: TOTAL_TIMEOUT_MS,
    }
}

/// The verdict of an operation that did not produce a reply: a skip when
/// it is unsupported, a failure otherwise.
pub(crate) fn imp_err(e: ImplError) -> Verdict {
    match e {
        ImplError::Unsupported(reason) => Verdict::Skip { reason },
        ImplError::Failed(m) => Verdict::Fail(Mismatch::new(
            Stage::Implementation,
            "the operation runs",
            m,
        )),
    }
}

/// Returns a failing verdict (`$stage`, expected `$exp`, actual `$act`)
/// unless `$cond` holds.
macro_rules! check {
    ($cond:expr, $stage:expr, $exp:expr, $act:expr) => {
        if !$cond {
            return $crate::verdict::Verdict::Fail($crate::verdict::Mismatch::new(
                $stage, $exp, $act,
            ));
        }
    };
}
pub(crate) use check;

/// The reply of an operation, or (from the enclosing judge) the verdict of
/// its error (see [`imp_err`]).
macro_rules! op {
    ($fut:expr) => {
        match $fut.await {
            Ok(r) => r,
            Err(e) => return $crate::judge::imp_err(e),
        }
    };
}
pub(crate) use op;

/// Calls `endpoint` through `imp` against a mock gateway answering `script`:
/// the implementation's reply, the requests the gateway captured, and the
/// wall time of the call.
pub(crate) async fn call_against(
    imp: &dyn Implementation,
    keys: &TestKeys,
    script: Vec<Step>,
    endpoint: &antom_runtime::EndpointDef,
    client_id: &str,
    request: serde_json::Value,
    hint: RetryHint,
) -> Result<(Result<CallResponse, ImplError>, Vec<Captured>, Duration), Verdict> {
    let gw = MockGateway::start(keys.clone(), script)
        .await
        .map_err(|e| {
            Verdict::Fail(Mismatch::new(
                Stage::Implementation,
                "mock gateway starts",
                e.to_string(),
            ))
        })?;
    let (priv_b64, pub_b64) = key_strings(keys);
    let started = Instant::now();
    let res = imp
        .call(CallRequest {
            base_url: gw.base_url(),
            endpoint: endpoint.name.to_owned(),
            path: endpoint.path.to_owned(),
            client_id: client_id.to_owned(),
            request,
            merchant_private_key: priv_b64,
            antom_public_key: pub_b64,
            retry: hint,
        })
        .await;
    let elapsed = started.elapsed();
    Ok((res, gw.captured(), elapsed))
}

/// One sandbox call answered by one scripted reply, without retries.
pub(crate) async fn single_reply_call(
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

/// A call answered by `reply` (one attempt), judged on its outcome and
/// action class against `expect`.
pub(crate) async fn judge_call_class(
    imp: &dyn Implementation,
    keys: &TestKeys,
    endpoint: &antom_runtime::EndpointDef,
    reply: &Reply,
    expect: &ExpectedClass,
) -> Verdict {
    let r = match single_reply_call(imp, keys, endpoint, reply, "conformance-status").await {
        Ok(r) => r,
        Err(v) => return v,
    };
    // An implementation that does not report action classes from a call
    // (the field is optional) is judged on the outcome alone.
    let action = r
        .action
        .clone()
        .or_else(|| expect.actions.first().map(|a| a.as_str().to_owned()));
    match check_class(expect, &r.outcome, action.as_deref()) {
        Some(m) => Verdict::Fail(m),
        None => Verdict::Pass,
    }
}

/// One call under a retry policy against a scripted gateway.
pub(crate) struct RetryCall {
    /// The endpoint called.
    pub endpoint: &'static antom_runtime::EndpointDef,
    /// What the gateway answers, attempt by attempt (the last step repeats).
    pub script: Vec<Step>,
    /// Attempts the policy allows.
    pub max_attempts: u32,
    /// Timeout of one attempt, in milliseconds.
    pub attempt_timeout_ms: u64,
}

/// Runs `call` and judges it against `expect`: signatures, attempt count,
/// outcome, identical body and path on every attempt, a fresh signature per
/// attempt, back-off and the overall bound.
pub(crate) async fn judge_retry(
    imp: &dyn Implementation,
    keys: &TestKeys,
    call: RetryCall,
    expect: &RetryExpect,
    request_id: &str,
    classifies: bool,
) -> Verdict {
    let RetryCall {
        endpoint,
        script,
        max_attempts,
        attempt_timeout_ms,
    } = call;
    let request =
        serde_json::json!({ endpoint.idempotency_key.unwrap_or("requestId"): request_id });
    let (res, captured, elapsed) = match call_against(
        imp,
        keys,
        script,
        endpoint,
        SANDBOX_CLIENT_ID,
        request.clone(),
        retry_hint(max_attempts, attempt_timeout_ms),
    )
    .await
    {
        Ok(x) => x,
        Err(v) => return v,
    };
    let r = match res {
        Ok(r) => r,
        Err(e) => return imp_err(e),
    };
    for (i, c) in captured.iter().enumerate() {
        if c.signature_check.is_err() {
            let m = diagnose_signature(keys, c, &c.path, endpoint.path);
            return Verdict::Fail(Mismatch {
                actual: format!("attempt {}: {}", i + 1, m.actual),
                ..m
            });
        }
    }
    check!(
        captured.len() == expect.attempts,
        Stage::Attempts,
        format!("{} attempt(s)", expect.attempts),
        format!("{} attempt(s), outcome {}", captured.len(), r.outcome)
    );
    check!(
        Expected::from(expect.outcome).met_by(r.reported_outcome(), classifies),
        Stage::Outcome,
        expect.outcome.as_str(),
        format!("{} {}", r.outcome, r.detail.unwrap_or_default())
    );
    if let Some(first) = captured.first() {
        let sent: Option<serde_json::Value> = serde_json::from_slice(&first.body).ok();
        check!(
            sent.as_ref() == Some(&request),
            Stage::Body,
            request.to_string(),
            String::from_utf8_lossy(&first.body).to_string()
        );
        for (i, c) in captured.iter().enumerate().skip(1) {
            check!(
                c.body == first.body,
                Stage::Idempotency,
                format!(
                    "attempt {} repeats the body {:?}",
                    i + 1,
                    String::from_utf8_lossy(&first.body)
                ),
                String::from_utf8_lossy(&c.body).to_string()
            );
            check!(
                c.path == first.path,
                Stage::Idempotency,
                first.path.clone(),
                c.path.clone()
            );
            let (a, b) = (
                captured[i - 1].header("request-time"),
                c.header("request-time"),
            );
            check!(
                a != b,
                Stage::Signature,
                format!("attempt {} signed afresh (new Request-Time)", i + 1),
                format!("Request-Time {b:?} reused")
            );
            if let Some(gap) = expect.min_gap {
                let d = c.at.saturating_duration_since(captured[i - 1].at);
                check!(
                    d >= gap,
                    Stage::Backoff,
                    format!("≥ {} ms between attempts", gap.as_millis()),
                    format!("{} ms before attempt {}", d.as_millis(), i + 1)
                );
            }
        }
    }
    let bound = Duration::from_millis(TOTAL_TIMEOUT_MS + TOTAL_TIMEOUT_SLACK_MS);
    check!(
        elapsed <= bound,
        Stage::Backoff,
        format!("call bounded by {} ms", TOTAL_TIMEOUT_MS),
        format!("{} ms", elapsed.as_millis())
    );
    Verdict::Pass
}

fn key_strings(keys: &TestKeys) -> (String, String) {
    (keys.merchant_private_base64(), keys.antom_public_base64())
}

/// Whether `outcome` and `action` are the class `expect` names: a mismatch
/// at the outcome, else at the action, else none.
pub(crate) fn check_class(
    expect: &ExpectedClass,
    outcome: &str,
    action: Option<&str>,
) -> Option<Mismatch> {
    if outcome.parse::<OutcomeKind>().ok() != Some(expect.outcome) {
        return Some(Mismatch::new(
            Stage::Outcome,
            expect.to_string(),
            format!("outcome={outcome} action={}", action.unwrap_or("-")),
        ));
    }
    let ok = action
        .and_then(|a| a.parse::<Action>().ok())
        .is_some_and(|a| expect.actions.contains(&a));
    if !ok {
        return Some(Mismatch::new(
            Stage::Action,
            expect.to_string(),
            format!("outcome={outcome} action={}", action.unwrap_or("-")),
        ));
    }
    None
}

/// Explains why a captured request's signature failed: which part of the
/// content to sign differs, when an alternative content verifies.
pub(crate) fn diagnose_signature(
    keys: &TestKeys,
    cap: &Captured,
    sandbox_path: &str,
    prod_path: &str,
) -> Mismatch {
    let why = cap.signature_check.clone().err().unwrap_or_default();
    let sig = cap.header("signature").unwrap_or_default();
    let client = cap.header("client-id").unwrap_or_default();
    let time = cap.header("request-time").unwrap_or_default();
    let Ok(parsed) = parse_signature_header(sig) else {
        return Mismatch::new(
            Stage::Header,
            "Signature: algorithm=RSA256,keyVersion=1,signature=<percent-encoded base64>",
            format!("Signature: {sig:?}"),
        );
    };
    if decode_signature(&parsed.signature).is_err() {
        return Mismatch::new(
            Stage::Header,
            "a percent-encoded base64 signature value",
            parsed.signature,
        );
    }
    if let Err(e) = gateway_signature_bytes(sig) {
        return Mismatch::new(
            Stage::Header,
            "a Signature header as Antom's gateway reads it: algorithm=RSA256, a keyVersion, a percent-encoded base64 value",
            e.to_string(),
        );
    }
    let sent = String::from_utf8_lossy(&content_to_sign(
        &cap.method,
        &cap.path,
        client,
        time,
        &cap.body,
    ))
    .to_string();
    let mut alternatives: Vec<(String, Vec<u8>)> = Vec::new();
    for p in [sandbox_path, prod_path] {
        if p != cap.path {
            alternatives.push((
                format!("path {p} (sent to {})", cap.path),
                content_to_sign("POST", p, client, time, &cap.body),
            ));
        }
    }
    if let Ok(v) = serde_json::from_slice::<serde_json::Value>(&cap.body) {
        let compact = v.to_string();
        if compact.as_bytes() != cap.body.as_slice() {
            alternatives.push((
                "a re-serialised body, not the bytes sent".into(),
                content_to_sign("POST", &cap.path, client, time, compact.as_bytes()),
            ));
        }
    }
    for (what, content) in alternatives {
        if verify_header(&keys.merchant_public, &content, sig).is_ok() {
            return Mismatch::new(Stage::ContentToSign, sent, format!("signed over {what}"));
        }
    }
    Mismatch::new(
        Stage::Signature,
        format!("a valid signature over {sent:?}"),
        why,
    )
}
