//! Deliberately broken implementations are caught, at the right stage, and
//! the expected-failures list behaves as documented.

use std::collections::BTreeSet;
use std::sync::Arc;
use std::time::Duration;

use antom_conformance::cases::{all_cases, glob_match, Case};
use antom_conformance::crypto::{
    content_to_sign, encode_signature, sign_base64, signature_header, PrivateKey,
};
use antom_conformance::protocol::*;
use antom_conformance::reference::{spec_tables, ReferenceImplementation};
use antom_conformance::runner::{
    parse_expected_failures, run_suite, RunOptions, RunReport, Stage, Status, Verdict,
};

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Bug {
    /// Signs the production path while calling the sandbox path.
    SignsProductionPathInSandbox,
    /// Classifies U as a failure.
    TreatsUAsFailure,
    /// Accepts unsigned responses whatever their status.
    AcceptsUnsignedS,
    /// Rewrites every sandbox path, the risk endpoints' too (as the Python,
    /// Go, PHP and .NET SDKs do).
    RewritesEveryPath,
    /// Signs the body with surrounding whitespace trimmed.
    SignsTrimmedBody,
    /// Not a bug: an SDK without retries or status mapping that says so in
    /// its `hello`, and answers `accepted` for a verified response.
    DeclaresNoRetriesOrClassify,
    /// Never retries.
    NoRetries,
    /// Sends the request again whatever the answer, final ones included,
    /// until the attempt limit.
    RetriesFinalAnswers,
    /// Processes every notification delivery.
    NoDeduplication,
    /// Acknowledges every notification.
    AcknowledgesEverything,
    /// Reads the signature header leniently, as a forgiving base64 decoder
    /// would: parameter names in any case, characters outside the base64
    /// alphabet dropped, missing padding restored.
    LenientSignatureHeader,
    /// Verifies the body re-serialised (compact, as its JSON library writes
    /// it) instead of the bytes received.
    NormalisesBodyBeforeVerifying,
    /// Sends its request signature as raw base64, not percent-encoded.
    RawBase64Signature,
    /// Not a bug: percent-encodes with lower-case hex.
    LowerHexSignature,
    /// Not a bug: writes spaces after the Signature header's commas.
    SpacedSignatureHeader,
    /// Verifies response signatures like the official SDKs, but never binds a
    /// response to its request (echoed ids, client id, response-time).
    NoResponseBinding,
    /// Signs correctly, but gets one header wrong.
    Header(HeaderDefect),
    /// Signs and sends the body in the given form.
    Body(BodyForm),
}

/// A hand-written client that signs correctly and verifies answers like the
/// official SDKs.
const VERIFYING: Naive = Naive {
    sign_production_path: false,
    rewrite_every_path: false,
    verify: true,
    encoding: Encoding::Upper,
    header: HeaderDefect::None,
    body: BodyForm::Compact,
};

struct Broken {
    bug: Bug,
    inner: ReferenceImplementation,
}

/// How a hand-written client writes its signature value.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
enum Encoding {
    #[default]
    /// Percent-encoded, upper-case hex (`%2B`).
    Upper,
    /// Percent-encoded, lower-case hex (`%2b`), as the .NET SDK does.
    Lower,
    /// Percent-encoded, with spaces after the header's commas.
    Spaced,
    /// Raw base64, not percent-encoded.
    Raw,
}

/// One defect in the headers a hand-written client sends.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
enum HeaderDefect {
    #[default]
    None,
    /// `Content-Type: application/json`, without the charset.
    NoCharset,
    /// `Signature: algorithm=RSA256,signature=...`, without a keyVersion.
    NoKeyVersion,
    /// `algorithm=SHA256withRSA` (the JCA name) instead of `RSA256`.
    OtherAlgorithm,
    /// No `Client-Id` header (the client id is still signed).
    NoClientId,
    /// `Request-Time` as ISO 8601 seconds, as the Python SDK sends it.
    IsoTime,
    /// No `Request-Time` header (the time is still signed).
    NoRequestTime,
}

/// The body bytes a hand-written client signs and sends.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
enum BodyForm {
    /// Compact JSON, signed and sent.
    #[default]
    Compact,
    /// Pretty-printed JSON, signed and sent as is: correct.
    Pretty,
    /// Signed compact, then re-serialised pretty-printed before sending.
    ChangedAfterSigning,
    /// Amounts' values as JSON numbers (`"value": 100`), signed as sent.
    AmountsAsNumbers,
    /// Through the SDK's own request type: the fields given plus a default
    /// the type always writes, announced as typed. Not a bug.
    TypedWithDefaults,
    /// The same, but without announcing it: the body is not the request
    /// given.
    UntypedWithDefaults,
    /// Through the SDK's own request type, which drops a field given.
    TypedDroppingField,
}

/// `value` with every amount's `value` turned into a JSON number.
fn amounts_as_numbers(value: &serde_json::Value) -> serde_json::Value {
    match value {
        serde_json::Value::Object(o) => {
            let is_amount = o.contains_key("currency");
            serde_json::Value::Object(
                o.iter()
                    .map(|(k, v)| {
                        let v = match (is_amount && k == "value", v.as_str()) {
                            (true, Some(n)) => n.parse::<u64>().map_or(v.clone(), Into::into),
                            _ => amounts_as_numbers(v),
                        };
                        (k.clone(), v)
                    })
                    .collect(),
            )
        }
        serde_json::Value::Array(a) => a.iter().map(amounts_as_numbers).collect(),
        other => other.clone(),
    }
}

/// How a hand-written client behaves.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
struct Naive {
    /// The classic sandbox mistake: it calls the sandbox path but signs the
    /// production one.
    sign_production_path: bool,
    /// Rewrites every path of a sandbox client id, the risk endpoints' too.
    rewrite_every_path: bool,
    /// Verifies the answer's signature exactly as the official SDKs do (and
    /// nothing more).
    verify: bool,
    /// How it writes the signature value.
    encoding: Encoding,
    /// What it gets wrong in its headers.
    header: HeaderDefect,
    /// The bytes it signs and sends.
    body: BodyForm,
}

/// A hand-written client behaving as `how` says.
async fn naive_call(req: CallRequest, how: Naive) -> Result<CallResponse, ImplError> {
    let Naive {
        sign_production_path,
        rewrite_every_path,
        verify,
        encoding,
        header,
        body: form,
    } = how;
    let ep = antom::endpoints::by_name(&req.endpoint)
        .ok_or_else(|| ImplError::Failed("no endpoint".into()))?;
    let sent_path = if rewrite_every_path && req.client_id.starts_with("SANDBOX_") {
        ep.path.replacen("/ams/api", "/ams/sandbox/api", 1)
    } else {
        antom::SANDBOX_RULE.path_for(ep, &req.client_id)
    };
    let signed_path = if sign_production_path {
        ep.path
    } else {
        &sent_path
    };
    let pretty = serde_json::to_string_pretty(&req.request).unwrap_or_default();
    let (body, sent_body) = match form {
        BodyForm::Compact => (req.request.to_string(), req.request.to_string()),
        BodyForm::Pretty => (pretty.clone(), pretty),
        BodyForm::ChangedAfterSigning => (req.request.to_string(), pretty),
        BodyForm::AmountsAsNumbers => {
            let body = amounts_as_numbers(&req.request).to_string();
            (body.clone(), body)
        }
        BodyForm::TypedWithDefaults | BodyForm::UntypedWithDefaults => {
            let mut v = req.request.clone();
            v["sdkDefault"] = "always-written".into();
            (v.to_string(), v.to_string())
        }
        BodyForm::TypedDroppingField => {
            let mut v = req.request.clone();
            if let Some(o) = v.as_object_mut() {
                let first = o.keys().next().cloned();
                if let Some(k) = first {
                    o.remove(&k);
                }
            }
            (v.to_string(), v.to_string())
        }
    };
    let typed = matches!(
        form,
        BodyForm::TypedWithDefaults | BodyForm::TypedDroppingField
    );
    let key = PrivateKey::from_pem_or_base64(&req.merchant_private_key)
        .map_err(|e| ImplError::Failed(e.to_string()))?;
    let now = std::time::SystemTime::now();
    // A raw signature without any `+` (under 1% of them) would survive
    // form-decoding; step the time until the signature has one, so the
    // defect shows on every run.
    let (time, sig) = (0..200u64)
        .map(|ms| {
            let at = now + Duration::from_millis(ms);
            let time = match header {
                HeaderDefect::IsoTime => antom_runtime::timestamp::format_iso8601(at),
                _ => antom_runtime::timestamp::epoch_millis(at),
            };
            let content =
                content_to_sign("POST", signed_path, &req.client_id, &time, body.as_bytes());
            (time, sign_base64(&key, &content))
        })
        .find(|(_, sig)| encoding != Encoding::Raw || sig.as_ref().is_ok_and(|s| s.contains('+')))
        .ok_or_else(|| ImplError::Failed("no signature with a `+`".into()))?;
    let sig = sig.map_err(|e| ImplError::Failed(e.to_string()))?;
    let time = time.as_str();
    let mut signature = match encoding {
        Encoding::Upper => signature_header(&encode_signature(&sig, false), false),
        Encoding::Lower => signature_header(&encode_signature(&sig, true), false),
        Encoding::Spaced => signature_header(&encode_signature(&sig, false), true),
        Encoding::Raw => signature_header(&sig, false),
    };
    match header {
        HeaderDefect::NoKeyVersion => signature = signature.replacen("keyVersion=1,", "", 1),
        HeaderDefect::OtherAlgorithm => {
            signature = signature.replacen("algorithm=RSA256", "algorithm=SHA256withRSA", 1)
        }
        _ => {}
    }
    let content_type = match header {
        HeaderDefect::NoCharset => "application/json",
        _ => "application/json; charset=UTF-8",
    };
    let mut http = reqwest::Client::new()
        .post(format!("{}{}", req.base_url, sent_path))
        .header("Content-Type", content_type)
        .header("Signature", signature);
    if header != HeaderDefect::NoClientId {
        http = http.header("Client-Id", &req.client_id);
    }
    if header != HeaderDefect::NoRequestTime {
        http = http.header("Request-Time", time);
    }
    // A connection that fails or closes leaves the result unknown.
    let lost = |e: reqwest::Error| CallResponse {
        outcome: "unknown".into(),
        result_code: None,
        action: None,
        detail: Some(e.to_string()),
        typed,
    };
    let resp = match http.body(sent_body).send().await {
        Ok(resp) => resp,
        Err(e) => return Ok(lost(e)),
    };
    let header = |name: &str| {
        resp.headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    let (signature, response_time) = (header("signature"), header("response-time"));
    let text = match resp.text().await {
        Ok(text) => text,
        Err(e) => return Ok(lost(e)),
    };
    if verify {
        let antom_key = antom_runtime::PublicKey::from_pem_or_base64(&req.antom_public_key)
            .map_err(|e| ImplError::Failed(e.to_string()))?;
        let verdict = antom_runtime::verify::verify_response(
            antom_runtime::Backend::default(),
            &antom_key,
            &antom_runtime::verify::CalledEndpoint {
                method: "POST",
                path: &sent_path,
                client_id: &req.client_id,
            },
            antom_runtime::verify::ResponseHeaders {
                signature: signature.as_deref(),
                response_time: response_time.as_deref(),
            },
            text.as_bytes(),
        );
        if let Err(e) = verdict {
            return Ok(CallResponse {
                outcome: "rejected".into(),
                result_code: None,
                action: None,
                detail: Some(e.to_string()),
                typed,
            });
        }
    }
    let v: serde_json::Value = serde_json::from_str(&text).unwrap_or_default();
    let outcome = match v.pointer("/result/resultStatus").and_then(|s| s.as_str()) {
        Some("S") => "success",
        Some("F") => "failed",
        _ => "unknown",
    };
    Ok(CallResponse {
        outcome: outcome.into(),
        result_code: None,
        action: None,
        detail: None,
        typed,
    })
}

impl Implementation for Broken {
    fn name(&self) -> String {
        format!("broken ({:?})", self.bug)
    }
    fn hello(&self) -> BoxFuture<'_, Result<Hello, ImplError>> {
        let mut hello = Hello::everything(self.name());
        if self.bug == Bug::DeclaresNoRetriesOrClassify {
            hello
                .capabilities
                .retain(|c| !matches!(c, Capability::Retries | Capability::Classify));
        }
        Box::pin(async move { Ok(hello) })
    }
    fn sign(&self, mut req: SignRequest) -> BoxFuture<'_, Result<SignResponse, ImplError>> {
        if self.bug == Bug::SignsTrimmedBody {
            req.body = req.body.trim().to_owned();
        }
        self.inner.sign(req)
    }
    fn call(&self, mut req: CallRequest) -> BoxFuture<'_, Result<CallResponse, ImplError>> {
        match self.bug {
            Bug::SignsProductionPathInSandbox => Box::pin(naive_call(
                req,
                Naive {
                    sign_production_path: true,
                    ..Naive::default()
                },
            )),
            Bug::RewritesEveryPath => Box::pin(naive_call(
                req,
                Naive {
                    rewrite_every_path: true,
                    verify: true,
                    ..Naive::default()
                },
            )),
            Bug::NoResponseBinding => Box::pin(naive_call(req, VERIFYING)),
            Bug::RawBase64Signature => Box::pin(naive_call(
                req,
                Naive {
                    encoding: Encoding::Raw,
                    ..VERIFYING
                },
            )),
            Bug::LowerHexSignature => Box::pin(naive_call(
                req,
                Naive {
                    encoding: Encoding::Lower,
                    ..VERIFYING
                },
            )),
            Bug::SpacedSignatureHeader => Box::pin(naive_call(
                req,
                Naive {
                    encoding: Encoding::Spaced,
                    ..VERIFYING
                },
            )),
            Bug::Header(header) => Box::pin(naive_call(
                req,
                Naive {
                    header,
                    ..VERIFYING
                },
            )),
            Bug::Body(body) => Box::pin(naive_call(req, Naive { body, ..VERIFYING })),
            Bug::NoRetries => {
                req.retry.max_attempts = 1;
                self.inner.call(req)
            }
            Bug::DeclaresNoRetriesOrClassify => Box::pin(async move {
                req.retry.max_attempts = 1;
                let mut r = self.inner.call(req).await?;
                if matches!(r.outcome.as_str(), "success" | "failed") {
                    r.outcome = "accepted".into();
                    r.action = None;
                }
                Ok(r)
            }),
            Bug::RetriesFinalAnswers => Box::pin(async move {
                let mut last = naive_call(req.clone(), VERIFYING).await?;
                for _ in 1..req.retry.max_attempts {
                    last = naive_call(req.clone(), VERIFYING).await?;
                }
                Ok(last)
            }),
            _ => self.inner.call(req),
        }
    }
    fn verify_response(
        &self,
        req: VerifyResponseRequest,
    ) -> BoxFuture<'_, Result<VerifyResponseResponse, ImplError>> {
        let mut req = req;
        if self.bug == Bug::LenientSignatureHeader {
            if let Some(h) = req.headers.get_mut("signature") {
                *h = lenient_signature_header(h);
            }
        }
        if self.bug == Bug::NormalisesBodyBeforeVerifying {
            req.body = normalised(&req.body);
        }
        if self.bug == Bug::AcceptsUnsignedS && !req.headers.contains_key("signature") {
            return Box::pin(async {
                Ok(VerifyResponseResponse {
                    accepted: true,
                    reason: None,
                })
            });
        }
        self.inner.verify_response(req)
    }
    fn verify_notification(
        &self,
        req: VerifyNotificationRequest,
    ) -> BoxFuture<'_, Result<VerifyNotificationResponse, ImplError>> {
        let bug = self.bug;
        let mut req = req;
        if bug == Bug::NormalisesBodyBeforeVerifying {
            req.body = normalised(&req.body);
        }
        let fut = self.inner.verify_notification(req);
        Box::pin(async move {
            let mut r = fut.await?;
            match bug {
                Bug::NoDeduplication if r.status == 200 => r.processed = true,
                Bug::AcknowledgesEverything => {
                    r.status = 200;
                    r.body = ACK_BODY.into();
                    r.processed = true;
                }
                _ => {}
            }
            Ok(r)
        })
    }
    fn classify(&self, req: ClassifyRequest) -> BoxFuture<'_, Result<ClassifyResponse, ImplError>> {
        let bug = self.bug;
        let fut = self.inner.classify(req);
        Box::pin(async move {
            let mut r = fut.await?;
            if bug == Bug::TreatsUAsFailure && r.outcome == "unknown" {
                r.outcome = "failed".into();
                r.action = "contactSupport".into();
            }
            Ok(r)
        })
    }
}

/// The body as a verifier that parses before verifying sees it.
fn normalised(body: &str) -> String {
    serde_json::from_str::<serde_json::Value>(body)
        .map(|v| v.to_string())
        .unwrap_or_else(|_| body.to_owned())
}

/// Rewrites a `Signature` header the way a forgiving parser reads it, into
/// the canonical form a strict verifier accepts.
fn lenient_signature_header(header: &str) -> String {
    let Some(at) = header.to_ascii_lowercase().find("signature=") else {
        return header.to_owned();
    };
    let value = &header[at + "signature=".len()..];
    let mut decoded = String::new();
    let mut rest = value;
    while let Some(c) = rest.chars().next() {
        let hex = rest.get(1..3).and_then(|h| u8::from_str_radix(h, 16).ok());
        match (c, hex) {
            ('%', Some(byte)) => {
                decoded.push(char::from(byte));
                rest = &rest[3..];
            }
            _ => {
                decoded.push(c);
                rest = &rest[c.len_utf8()..];
            }
        }
    }
    let mut b64: String = decoded
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '/'))
        .collect();
    while b64.len() % 4 != 0 {
        b64.push('=');
    }
    signature_header(&encode_signature(&b64, false), false)
}

fn select(pattern: &str) -> Vec<Case> {
    all_cases(&spec_tables())
        .into_iter()
        .filter(|c| glob_match(pattern, &c.id))
        .collect()
}

async fn run(bug: Bug, pattern: &str, expected: BTreeSet<String>) -> RunReport {
    run_with(
        bug,
        pattern,
        RunOptions {
            expected_failures: expected,
            ..RunOptions::default()
        },
    )
    .await
}

async fn run_with(bug: Bug, pattern: &str, options: RunOptions) -> RunReport {
    let cases = select(pattern);
    assert!(!cases.is_empty(), "no case matches {pattern}");
    run_suite(
        Arc::new(Broken {
            bug,
            inner: ReferenceImplementation::new(),
        }),
        cases,
        options,
    )
    .await
}

fn stage_of(report: &RunReport, id: &str) -> Option<Stage> {
    report
        .results
        .iter()
        .find(|r| r.id == id)
        .and_then(|r| match &r.verdict {
            Verdict::Fail(m) => Some(m.stage),
            _ => None,
        })
}

#[tokio::test(flavor = "multi_thread")]
async fn production_path_signed_in_sandbox_is_a_content_to_sign_failure() {
    let report = run(
        Bug::SignsProductionPathInSandbox,
        "signature.request.sandbox.inquiryPayment",
        BTreeSet::new(),
    )
    .await;
    assert!(!report.success());
    assert_eq!(
        stage_of(&report, "signature.request.sandbox.inquiryPayment"),
        Some(Stage::ContentToSign)
    );
    let Verdict::Fail(m) = &report.results[0].verdict else {
        panic!("expected a failure")
    };
    assert!(
        m.actual.contains("/ams/api/v1/payments/inquiryPayment"),
        "{m:?}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_client_that_does_not_bind_responses_is_caught() {
    let report = run(Bug::NoResponseBinding, "signature.call.*", BTreeSet::new()).await;
    for id in [
        "signature.call.replayed-s",
        "signature.call.stale-response-time",
        "signature.call.other-client-id",
    ] {
        assert_eq!(stage_of(&report, id), Some(Stage::Verdict), "{id}");
    }
    // What it does verify still passes, and so does the genuine echoed answer.
    for id in [
        "signature.call.echoed-s",
        "signature.call.tampered-s",
        "signature.call.unsigned-s",
        "signature.call.wrong-key",
    ] {
        assert_eq!(stage_of(&report, id), None, "{id}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_lenient_signature_header_parser_is_caught() {
    let report = run(
        Bug::LenientSignatureHeader,
        "signature.response.*",
        BTreeSet::new(),
    )
    .await;
    for id in [
        "signature.response.unpadded-base64",
        "signature.response.stray-character",
        "signature.response.parameter-name-case",
    ] {
        assert_eq!(stage_of(&report, id), Some(Stage::Verdict), "{id}");
    }
    for id in [
        "signature.response.signed-s",
        "signature.response.lower-hex",
        "signature.response.spaced-header",
        "signature.response.tampered-s",
    ] {
        assert_eq!(stage_of(&report, id), None, "{id}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_raw_base64_request_signature_is_refused_as_antom_refuses_it() {
    let report = run(
        Bug::RawBase64Signature,
        "signature.request.sandbox.inquiryPayment",
        BTreeSet::new(),
    )
    .await;
    let id = "signature.request.sandbox.inquiryPayment";
    assert_eq!(stage_of(&report, id), Some(Stage::Header));
    let Verdict::Fail(m) = &report.results[0].verdict else {
        panic!("expected a failure")
    };
    assert!(m.actual.contains("form-decoded"), "{m:?}");
    assert!(m.actual.contains("INVALID_SIGNATURE"), "{m:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn lower_case_hex_and_spaced_headers_are_accepted() {
    for bug in [Bug::LowerHexSignature, Bug::SpacedSignatureHeader] {
        let report = run(bug, "signature.request.sandbox.*", BTreeSet::new()).await;
        let bad = report.not_passed();
        assert!(bad.is_empty(), "{bug:?}: {bad:#?}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_verifier_that_normalises_the_body_is_caught() {
    let report = run(
        Bug::NormalisesBodyBeforeVerifying,
        "signature.response.*",
        BTreeSet::new(),
    )
    .await;
    for id in [
        "signature.response.reformatted-body",
        "signature.response.keys-reordered",
    ] {
        assert_eq!(stage_of(&report, id), Some(Stage::Verdict), "{id}");
    }
    assert_eq!(stage_of(&report, "signature.response.signed-s"), None);
    let report = run(
        Bug::NormalisesBodyBeforeVerifying,
        "notification.reformatted-body",
        BTreeSet::new(),
    )
    .await;
    assert!(!report.success());
}

#[tokio::test(flavor = "multi_thread")]
async fn u_treated_as_failure_is_an_outcome_failure() {
    let report = run(
        Bug::TreatsUAsFailure,
        "status.inquiryPayment.*",
        BTreeSet::new(),
    )
    .await;
    assert!(!report.success());
    let u_cases: Vec<_> = report
        .results
        .iter()
        .filter(|r| r.id.contains(".U."))
        .collect();
    assert!(!u_cases.is_empty());
    for r in u_cases {
        assert_eq!(stage_of(&report, &r.id), Some(Stage::Outcome), "{}", r.id);
    }
    // S and F codes still pass.
    assert!(report
        .results
        .iter()
        .filter(|r| r.id.contains(".F."))
        .all(|r| r.status() == Status::Passed));
}

#[tokio::test(flavor = "multi_thread")]
async fn accepting_unsigned_s_is_a_verdict_failure() {
    let report = run(
        Bug::AcceptsUnsignedS,
        "signature.response.*",
        BTreeSet::new(),
    )
    .await;
    assert_eq!(
        stage_of(&report, "signature.response.unsigned-s"),
        Some(Stage::Verdict)
    );
    assert_eq!(
        stage_of(&report, "signature.response.time-only"),
        Some(Stage::Verdict)
    );
    assert_eq!(stage_of(&report, "signature.response.signed-s"), None);
}

#[tokio::test(flavor = "multi_thread")]
async fn missing_retries_are_an_attempts_failure() {
    let report = run(Bug::NoRetries, "retry.*", BTreeSet::new()).await;
    assert_eq!(stage_of(&report, "retry.u-s"), Some(Stage::Attempts));
    assert_eq!(stage_of(&report, "retry.timeout-s"), Some(Stage::Attempts));
    assert_eq!(stage_of(&report, "retry.f-no-retry"), None);
}

#[tokio::test(flavor = "multi_thread")]
async fn sending_a_spent_request_id_again_is_an_attempts_failure() {
    let report = run(Bug::RetriesFinalAnswers, "retry.*", BTreeSet::new()).await;
    for id in ["retry.f-no-retry", "retry.s-no-retry"] {
        assert_eq!(stage_of(&report, id), Some(Stage::Attempts), "{id}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn notification_bugs_are_caught() {
    let report = run(Bug::NoDeduplication, "notification.*", BTreeSet::new()).await;
    assert_eq!(
        stage_of(&report, "notification.redelivery"),
        Some(Stage::Processing)
    );
    assert_eq!(stage_of(&report, "notification.valid"), None);
    let report = run(
        Bug::AcknowledgesEverything,
        "notification.*",
        BTreeSet::new(),
    )
    .await;
    for id in [
        "notification.tampered-body",
        "notification.wrong-key",
        "notification.missing-signature",
        "notification.wrong-client-id",
    ] {
        assert_eq!(stage_of(&report, id), Some(Stage::Acknowledgement), "{id}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn expected_failures_semantics() {
    // A listed failing case is an expected failure: the run passes.
    let listed = parse_expected_failures("# known bug\nsignature.response.unsigned-s  # accepts unsigned S\n\nsignature.response.time-only\n");
    assert_eq!(listed.len(), 2);
    let report = run(Bug::AcceptsUnsignedS, "signature.response.*", listed).await;
    assert_eq!(report.count(Status::ExpectedFailure), 2);
    assert_eq!(report.count(Status::Failed), 0);
    assert!(report.success());

    // A listed case that passes fails the run (the list only shrinks).
    let listed: BTreeSet<String> = [
        "signature.response.unsigned-s".to_owned(),
        "signature.response.signed-s".to_owned(),
    ]
    .into();
    let report = run(Bug::AcceptsUnsignedS, "signature.response.*", listed).await;
    assert_eq!(report.count(Status::UnexpectedPass), 1);
    assert!(!report.success());
    let summary = antom_conformance::report::summary(&report, "cargo run -p antom-conformance --");
    assert!(
        summary.contains("UNEXPECTED PASS signature.response.signed-s"),
        "{summary}"
    );

    // An unlisted `should` failure is reported but does not fail the run...
    let report = run(
        Bug::AcceptsUnsignedS,
        "signature.response.*",
        BTreeSet::new(),
    )
    .await;
    assert!(report.success(), "{:?}", report.not_passed());
    let summary = antom_conformance::report::summary(&report, "cargo run -p antom-conformance --");
    assert!(
        summary.contains("WARN signature.response.unsigned-s [should, verdict]"),
        "{summary}"
    );
    assert!(summary.contains("(--strict fails on should)"), "{summary}");
    let junit = antom_conformance::report::junit(&report, "x");
    assert!(!junit.contains("<failure"), "{junit}");
    assert!(junit.contains("should failure, not fatal"), "{junit}");

    // ... unless the run is strict: then it fails, with a reproduction line.
    let report = run_with(
        Bug::AcceptsUnsignedS,
        "signature.response.*",
        RunOptions {
            strict: true,
            ..RunOptions::default()
        },
    )
    .await;
    assert!(!report.success());
    let summary = antom_conformance::report::summary(&report, "cargo run -p antom-conformance --");
    assert!(
        summary.contains(
            "reproduce: cargo run -p antom-conformance -- --case 'signature.response.unsigned-s'"
        ),
        "{summary}"
    );
    assert!(
        summary.contains("FAIL signature.response.unsigned-s [should, verdict]"),
        "{summary}"
    );
    let junit = antom_conformance::report::junit(&report, "x");
    assert!(junit.contains("<failure"), "{junit}");
    let json: serde_json::Value =
        serde_json::from_str(&antom_conformance::report::json(&report, "x").unwrap()).unwrap();
    assert_eq!(json["success"], false);
    assert_eq!(json["levels"]["should"]["failed"], 2);
    assert_eq!(json["levels"]["should"]["fatal"], true);

    // A `must` failure fails the run without --strict.
    let report = run(
        Bug::NormalisesBodyBeforeVerifying,
        "signature.response.*",
        BTreeSet::new(),
    )
    .await;
    assert!(!report.success());
    let summary = antom_conformance::report::summary(&report, "cargo run -p antom-conformance --");
    assert!(
        summary.contains("FAIL signature.response.reformatted-body [must, verdict]"),
        "{summary}"
    );
}

/// An implementation that disagrees with the spec only where the spec marks
/// the rule uncertain (here: the risk endpoints' sandbox path, which the
/// official SDKs dispute) is reported, never failed, even when strict.
#[tokio::test(flavor = "multi_thread")]
async fn uncertain_rules_never_fail_a_run() {
    let report = run_with(
        Bug::RewritesEveryPath,
        "signature.request.sandbox.*",
        RunOptions {
            strict: true,
            ..RunOptions::default()
        },
    )
    .await;
    let failed: Vec<_> = report
        .results
        .iter()
        .filter(|r| r.status() == Status::Failed)
        .collect();
    assert_eq!(failed.len(), 4, "{:?}", report.not_passed());
    for r in &failed {
        assert!(r.id.starts_with("signature.request.sandbox."), "{}", r.id);
        assert_eq!(
            r.level,
            antom_conformance::level::Level::Uncertain,
            "{}",
            r.id
        );
        assert_eq!(stage_of(&report, &r.id), Some(Stage::Path), "{}", r.id);
    }
    assert!(report.success());
    let summary = antom_conformance::report::summary(&report, "x");
    assert!(
        summary.contains("UNCERTAIN signature.request.sandbox.decide"),
        "{summary}"
    );
}

/// Each header defect is caught by the case of its own rule, at the rule's
/// level and stage, with a message naming the rule.
#[tokio::test(flavor = "multi_thread")]
async fn each_request_rule_catches_its_defect() {
    use antom_conformance::level::Level;
    let table = [
        (
            HeaderDefect::NoCharset,
            "content-type-charset",
            Level::Must,
            Stage::Header,
        ),
        (
            HeaderDefect::NoKeyVersion,
            "signature-key-version",
            Level::Must,
            Stage::Header,
        ),
        (
            HeaderDefect::OtherAlgorithm,
            "signature-algorithm",
            Level::Must,
            Stage::Header,
        ),
        (
            HeaderDefect::NoClientId,
            "client-id-header",
            Level::Must,
            Stage::Header,
        ),
        (
            HeaderDefect::IsoTime,
            "request-time-epoch-ms",
            Level::Should,
            Stage::Header,
        ),
    ];
    for (defect, rule, level, stage) in table {
        let report = run(Bug::Header(defect), "signature.request.*", BTreeSet::new()).await;
        let id = format!("signature.request.{rule}");
        let r = report.results.iter().find(|r| r.id == id).unwrap();
        assert_eq!(stage_of(&report, &id), Some(stage), "{defect:?}");
        assert_eq!(r.level, level, "{defect:?}");
        match &r.verdict {
            Verdict::Fail(m) => assert!(m.expected.starts_with(&format!("[{rule}]")), "{m:?}"),
            other => panic!("{other:?}"),
        }
        assert_eq!(report.success(), level == Level::Should, "{defect:?}");
        // The other rules hold.
        for other in antom_conformance::request_rules::RULES {
            if other.id != rule
                && !(defect == HeaderDefect::OtherAlgorithm && other.id == "signature-key-version")
            {
                let id = format!("signature.request.{}", other.id);
                assert_eq!(stage_of(&report, &id), None, "{defect:?} {id}");
            }
        }
    }
    // A raw base64 signature breaks the percent-encoding rule.
    let report = run(
        Bug::RawBase64Signature,
        "signature.request.*",
        BTreeSet::new(),
    )
    .await;
    assert_eq!(
        stage_of(&report, "signature.request.signature-percent-encoded"),
        Some(Stage::Signature)
    );
    // A body re-serialised after signing is caught by every signed call, at
    // the signature, and with the rule's level.
    let report = run(
        Bug::Body(BodyForm::ChangedAfterSigning),
        "signature.request.*",
        BTreeSet::new(),
    )
    .await;
    assert!(!report.success());
    let r = report
        .results
        .iter()
        .find(|r| r.id == "signature.request.sandbox.pay")
        .unwrap();
    assert_eq!(r.level, Level::Must);
    assert!(
        matches!(
            stage_of(&report, &r.id),
            Some(Stage::Signature | Stage::ContentToSign)
        ),
        "{:?}",
        r.verdict
    );
    // A correct client writing lower-case hex, spaced headers or a
    // pretty-printed body signed as sent breaks none.
    for bug in [
        Bug::LowerHexSignature,
        Bug::SpacedSignatureHeader,
        Bug::Body(BodyForm::Pretty),
    ] {
        let report = run(bug, "signature.request.*", BTreeSet::new()).await;
        assert!(
            report.not_passed().is_empty(),
            "{bug:?}: {:?}",
            report.not_passed()
        );
    }
}

fn property_failure(report: &RunReport, property: &str) -> (Stage, String) {
    let id = format!("property.{property}");
    let r = report.results.iter().find(|r| r.id == id).unwrap();
    match &r.verdict {
        Verdict::Fail(m) => (m.stage, m.actual.clone()),
        other => panic!("{id}: {other:?}"),
    }
}

/// Each property catches a broken implementation through the operations it
/// offers, and shrinks the failing input to a minimal one.
#[tokio::test(flavor = "multi_thread")]
async fn properties_catch_broken_implementations_and_shrink() {
    // The signer trims the body: the minimal failing body is whitespace
    // around at most an empty object, the other fields at their simplest.
    let report = run(Bug::SignsTrimmedBody, "property.sign", BTreeSet::new()).await;
    let (stage, actual) = property_failure(&report, "sign");
    assert_eq!(stage, Stage::ContentToSign, "{actual}");
    let body = actual
        .split("body: \"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap_or_else(|| panic!("{actual}"));
    let decoded: String = serde_json::from_str(&format!("\"{body}\"")).unwrap();
    assert_ne!(decoded, decoded.trim(), "{actual}");
    assert!(decoded.trim().chars().count() <= 2, "{actual}");
    assert!(actual.contains("time: \"1500000000000\""), "{actual}");
    assert!(actual.contains("method: \"POST\""), "{actual}");
    assert!(actual.contains("seed"), "{actual}");

    // A verifier that normalises the JSON before verifying refuses a pretty
    // body signed as sent (or accepts a whitespace-only change).
    let report = run(
        Bug::NormalisesBodyBeforeVerifying,
        "property.verify-*",
        BTreeSet::new(),
    )
    .await;
    for property in ["verify-response", "verify-notification"] {
        let (_, actual) = property_failure(&report, property);
        assert!(
            actual.contains("pretty: true, mutation: None") || actual.contains("Whitespace("),
            "{property}: {actual}"
        );
    }

    let report = run(Bug::TreatsUAsFailure, "property.classify", BTreeSet::new()).await;
    let (stage, actual) = property_failure(&report, "classify");
    assert_eq!(stage, Stage::Outcome, "{actual}");
    assert!(actual.contains("status: \"U\""), "{actual}");

    for bug in [Bug::NoRetries, Bug::RetriesFinalAnswers] {
        let report = run(bug, "property.retry", BTreeSet::new()).await;
        let (stage, actual) = property_failure(&report, "retry");
        assert_eq!(stage, Stage::Attempts, "{bug:?}: {actual}");
    }

    // The reference passes every property.
    let report = run_suite(
        Arc::new(ReferenceImplementation::new()),
        select("property.*"),
        RunOptions::default(),
    )
    .await;
    assert_eq!(report.results.len(), 5);
    assert!(report.not_passed().is_empty(), "{:?}", report.not_passed());
}

/// What an implementation does not offer is reported as not offered: never
/// a failure, never a pass, and the summary says how much was judged.
#[tokio::test(flavor = "multi_thread")]
async fn missing_capabilities_are_reported_not_judged() {
    let cases: Vec<Case> = all_cases(&spec_tables())
        .into_iter()
        .filter(|c| {
            [
                "retry.*",
                "status.call.*",
                "status.inquiryPayment.*",
                "signature.call.*",
                "signature.request.sandbox.pay",
                "property.*",
            ]
            .iter()
            .any(|p| glob_match(p, &c.id))
        })
        .collect();
    let report = run_suite(
        Arc::new(Broken {
            bug: Bug::DeclaresNoRetriesOrClassify,
            inner: ReferenceImplementation::new(),
        }),
        cases,
        RunOptions::default(),
    )
    .await;
    for r in &report.results {
        let offered = !(r.id.starts_with("retry.")
            || r.id.starts_with("status.")
            || r.id.starts_with("signature.call.unsigned-f-new-request-id")
            || r.id == "property.retry"
            || r.id == "property.classify");
        let expected = if offered {
            Status::Passed
        } else {
            Status::NotOffered
        };
        assert_eq!(r.status(), expected, "{} {:?}", r.id, r.verdict);
    }
    assert!(report.success());
    let summary = antom_conformance::report::summary(&report, "x");
    assert!(summary.contains("retries NO, classify NO"), "{summary}");
    assert!(
        summary.contains("ran the implementation's own code"),
        "{summary}"
    );
}

/// A body that breaks the spec's request model (an amount as a number) is
/// caught at the schema stage, with the JSON path of the field, as a
/// `should` failure (the model's flags partly come from SDK models).
#[tokio::test(flavor = "multi_thread")]
async fn a_body_that_breaks_the_request_model_is_caught_with_its_path() {
    let report = run(
        Bug::Body(BodyForm::AmountsAsNumbers),
        "signature.request.sandbox.pay",
        BTreeSet::new(),
    )
    .await;
    let r = &report.results[0];
    match &r.verdict {
        Verdict::Fail(m) => {
            assert_eq!(m.stage, Stage::Schema, "{m:?}");
            assert!(
                m.actual.contains("`paymentAmount.value` must be a string"),
                "{m:?}"
            );
            assert!(m.expected.contains("PayRequest"), "{m:?}");
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(r.level, antom_conformance::level::Level::Should);
}

/// An SDK that writes its own request type (extra defaults) is judged on
/// the fields given when it says so; unannounced, or dropping a field, it
/// fails at the body.
#[tokio::test(flavor = "multi_thread")]
async fn typed_requests_are_judged_on_the_fields_given() {
    let case = "signature.request.sandbox.capture";
    let report = run(
        Bug::Body(BodyForm::TypedWithDefaults),
        case,
        BTreeSet::new(),
    )
    .await;
    assert!(report.not_passed().is_empty(), "{:?}", report.not_passed());
    let report = run(
        Bug::Body(BodyForm::UntypedWithDefaults),
        case,
        BTreeSet::new(),
    )
    .await;
    assert_eq!(stage_of(&report, case), Some(Stage::Body));
    // A dropped field breaks the model (a required field) or the fields given.
    let report = run(
        Bug::Body(BodyForm::TypedDroppingField),
        case,
        BTreeSet::new(),
    )
    .await;
    assert!(
        matches!(stage_of(&report, case), Some(Stage::Schema | Stage::Body)),
        "{:?}",
        report.not_passed()
    );
}
