//! The conformance cases, as data.
//!
//! Signature cases come from the repository's signature vectors and a matrix
//! of response encodings; status cases are derived from the spec's endpoint
//! tables (every result code of every endpoint, plus unknown codes); retry
//! and notification cases are scripted scenarios.

use std::fmt;
use std::str::FromStr;
use std::time::Duration;

use antom_runtime::schema::Schemas;
use antom_runtime::{Action, BusinessOutcome, CodeInfo, EndpointDef, SandboxRule, SpecStatus};
use serde::Serialize;
use serde_json::json;

use crate::expect::{Expected, ExpectedClass, RetryExpect};
use crate::gateway::{Reply, Signing, Step};
use crate::level::Level;
use crate::protocol::Capability;
use crate::protocol::OutcomeKind;
use crate::request_rules::RequestRule;

/// The area a case belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Area {
    /// Request signing and response verification.
    Signature,
    /// Retries and idempotency.
    Retry,
    /// Result-code and business-status mapping.
    Status,
    /// Notification verification and acknowledgement.
    Notification,
    /// Generated inputs through the implementation, shrunk on failure.
    Property,
}

impl Area {
    /// Every area.
    pub const ALL: [Area; 5] = [
        Area::Signature,
        Area::Retry,
        Area::Status,
        Area::Notification,
        Area::Property,
    ];

    /// Lower-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Area::Signature => "signature",
            Area::Retry => "retry",
            Area::Status => "status",
            Area::Notification => "notification",
            Area::Property => "property",
        }
    }
}

impl fmt::Display for Area {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An area name that does not exist.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown area `{0}` (expected signature, retry, status, notification or property)")]
pub struct UnknownArea(pub String);

impl FromStr for Area {
    type Err = UnknownArea;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Area::ALL
            .into_iter()
            .find(|a| a.as_str() == s)
            .ok_or_else(|| UnknownArea(s.to_owned()))
    }
}

/// A property of the suite.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Property {
    /// `sign` over arbitrary paths, client ids, times and bodies (method POST)
    /// gives a signature that verifies over exactly that content.
    Sign,
    /// `verifyResponse` accepts a correctly signed response and rejects every
    /// single mutation of its body, path, client id, time or signature.
    VerifyResponse,
    /// The same for notifications: the valid delivery is acknowledged and
    /// processed, every mutated one is neither.
    VerifyNotification,
    /// `classify` maps any code, known or not, under every status to the
    /// outcome of its status.
    Classify,
    /// `call` under random answer sequences and attempt limits: attempts
    /// stop at the first final answer or the limit, identical bytes and
    /// request id on every attempt, the outcome of the last answer.
    Retry,
}

impl Property {
    /// Every property.
    pub const ALL: [Property; 5] = [
        Property::Sign,
        Property::VerifyResponse,
        Property::VerifyNotification,
        Property::Classify,
        Property::Retry,
    ];

    /// Case id suffix (`property.<name>`).
    pub fn as_str(self) -> &'static str {
        match self {
            Property::Sign => "sign",
            Property::VerifyResponse => "verify-response",
            Property::VerifyNotification => "verify-notification",
            Property::Classify => "classify",
            Property::Retry => "retry",
        }
    }

    /// Inputs drawn per run (a retry input costs a real call with back-off).
    pub fn default_cases(self) -> u32 {
        match self {
            Property::Retry => 12,
            Property::Classify => 128,
            _ => 48,
        }
    }
}

impl fmt::Display for Property {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Kinds of notification deliveries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Delivery {
    /// Correctly signed.
    Valid,
    /// Correctly signed, lower-case percent-encoding.
    ValidLowerHex,
    /// Correctly signed, header with spaces after commas.
    ValidSpaced,
    /// Correctly signed, non-ASCII body.
    ValidNonAscii,
    /// Body changed after signing.
    TamperedBody,
    /// Signed with a key that is not Antom's.
    WrongKey,
    /// No `signature` header.
    MissingSignature,
    /// No `request-time` header.
    MissingRequestTime,
    /// No `client-id` header.
    MissingClientId,
    /// Signed correctly for another merchant's client id.
    WrongClientId,
    /// Signed correctly, with a `request-time` years old: a captured delivery
    /// replayed after any deduplication window.
    Stale,
    /// Signed over the compact body, delivered pretty-printed.
    Reformatted,
}

/// What a case does.
#[derive(Debug, Clone)]
pub enum CaseKind {
    /// `sign` must reproduce a signature vector.
    SignVector {
        /// HTTP method.
        method: String,
        /// Path.
        path: String,
        /// Client id.
        client_id: String,
        /// Request time.
        time: String,
        /// Body.
        body: String,
        /// Expected standard-base64 signature.
        expected_b64: String,
    },
    /// `call` must send a correctly signed request with the right headers and path.
    SignedCall {
        /// The endpoint.
        endpoint: &'static EndpointDef,
        /// Client id to use.
        client_id: String,
        /// Request object.
        request: serde_json::Value,
        /// The path the request must go to (and be signed with).
        expected_path: String,
        /// The one header rule to judge; `None` judges the path, the
        /// signature over the exact bytes sent, the body and the outcome.
        rule: Option<&'static RequestRule>,
        /// The models the body sent is checked against.
        schemas: &'static Schemas,
    },
    /// `verifyResponse` on a crafted response.
    VerifyResponse {
        /// Path called.
        path: String,
        /// The response.
        reply: Reply,
        /// Whether it must be accepted.
        accept: bool,
    },
    /// `call` against a gateway that answers with a crafted response; the
    /// call must (not) succeed.
    CallVerdict {
        /// The endpoint.
        endpoint: &'static EndpointDef,
        /// The response.
        reply: Reply,
        /// The outcome required.
        outcome: Expected,
    },
    /// A scripted retry scenario.
    Retry {
        /// The endpoint.
        endpoint: &'static EndpointDef,
        /// Gateway script.
        script: Vec<Step>,
        /// Attempts allowed by the policy.
        max_attempts: u32,
        /// Timeout of one attempt, in milliseconds.
        attempt_timeout_ms: u64,
        /// What must happen.
        expect: RetryExpect,
    },
    /// `classify` a response body.
    Classify {
        /// The endpoint.
        endpoint: &'static EndpointDef,
        /// Response body.
        body: String,
        /// Expected classification.
        expect: ExpectedClass,
    },
    /// `call` against a gateway answering `reply` (one attempt): outcome and
    /// action must match.
    StatusCall {
        /// The endpoint.
        endpoint: &'static EndpointDef,
        /// The response.
        reply: Reply,
        /// Expected classification.
        expect: ExpectedClass,
    },
    /// One notification delivery.
    Notification {
        /// Kind of delivery.
        delivery: Delivery,
        /// Whether it must be acknowledged.
        ack: bool,
    },
    /// The same valid notification delivered `times` times.
    Redelivery {
        /// Number of deliveries (Antom's schedule has 8).
        times: usize,
    },
    /// A property over generated inputs.
    Property {
        /// Which property.
        property: Property,
        /// Inputs to draw.
        cases: u32,
        /// The spec's endpoints (classify inputs).
        endpoints: &'static [&'static EndpointDef],
        /// The endpoint retry inputs call.
        retry_endpoint: &'static EndpointDef,
    },
}

/// One conformance case.
#[derive(Debug, Clone)]
pub struct Case {
    /// Stable id, e.g. `signature.vector.V1-inquiryPayment-compact`.
    pub id: String,
    /// Area.
    pub area: Area,
    /// How binding the case's rule is.
    pub level: Level,
    /// One-line description.
    pub description: String,
    /// What to do.
    pub kind: CaseKind,
}

impl Case {
    /// What the implementation must offer for this case to judge it
    /// (notifications delivered to a `webhook` need nothing of it).
    pub fn needs(&self, webhook: bool) -> Vec<Capability> {
        use Capability as C;
        match &self.kind {
            CaseKind::SignVector { .. } => vec![C::Sign],
            CaseKind::SignedCall { .. } | CaseKind::CallVerdict { .. } => vec![C::Call],
            CaseKind::VerifyResponse { .. } => vec![C::VerifyResponse],
            CaseKind::Retry { .. } => vec![C::Call, C::Retries],
            CaseKind::Classify { .. } => vec![C::Classify],
            CaseKind::StatusCall { .. } => vec![C::Call, C::Classify],
            CaseKind::Notification { .. } | CaseKind::Redelivery { .. } if webhook => vec![],
            CaseKind::Notification { .. } | CaseKind::Redelivery { .. } => {
                vec![C::VerifyNotification]
            }
            CaseKind::Property { property, .. } => match property {
                Property::Sign => vec![C::Sign],
                Property::VerifyResponse => vec![C::VerifyResponse],
                Property::VerifyNotification => vec![C::VerifyNotification],
                Property::Classify => vec![C::Classify],
                Property::Retry => vec![C::Call, C::Retries],
            },
        }
    }
}

/// The spec tables the suite is derived from.
#[derive(Debug, Clone, Copy)]
pub struct SpecTables {
    /// Every endpoint (`antom::endpoints::ALL`).
    pub endpoints: &'static [&'static EndpointDef],
    /// The sandbox rule (`antom::SANDBOX_RULE`).
    pub sandbox: SandboxRule,
    /// Every model as data (`antom::schema::SCHEMAS`): the kit's requests
    /// are samples of them, and the bodies an implementation sends are
    /// checked against them.
    pub schemas: &'static Schemas,
}

impl SpecTables {
    /// The endpoint named `name`.
    pub fn endpoint(&self, name: &str) -> Option<&'static EndpointDef> {
        self.endpoints.iter().copied().find(|e| e.name == name)
    }
}

/// The spec tables of the generated crate.
pub fn spec_tables() -> SpecTables {
    SpecTables {
        endpoints: antom::endpoints::ALL,
        sandbox: antom::SANDBOX_RULE,
        schemas: &antom::schema::SCHEMAS,
    }
}

/// Production client id used by the suite.
pub const PROD_CLIENT_ID: &str = "5X00000000000000";
/// Sandbox client id used by the suite.
pub const SANDBOX_CLIENT_ID: &str = "SANDBOX_5X00000000000000";
/// Path notifications are delivered to in process.
pub const NOTIFY_PATH: &str = "/antom/notify";
/// Code that no spec knows.
pub const UNKNOWN_CODE: &str = "CONFORMANCE_UNLISTED_CODE";

/// A valid request of `endpoint` (the spec's sample of its request model),
/// its idempotency key tagged with the case, within the key's length limit.
fn sample_request(spec: &SpecTables, endpoint: &EndpointDef, tag: &str) -> serde_json::Value {
    let mut request = spec.schemas.sample(endpoint.request);
    if let Some(key) = endpoint.idempotency_key {
        let max = spec
            .schemas
            .model(endpoint.request)
            .and_then(|m| m.fields.iter().find(|f| f.name == key))
            .and_then(|f| f.max_length)
            .map_or(usize::MAX, |m| m as usize);
        let id: String = format!("conformance-{}-{tag}", endpoint.name)
            .chars()
            .take(max)
            .collect();
        request[key] = id.into();
    }
    request
}

fn result_body(status: &str, code: &str) -> String {
    Reply::result(status, code, json!({})).body
}

/// Every case of the suite.
pub fn all_cases(spec: &SpecTables) -> Vec<Case> {
    let mut cases = Vec::new();
    signature_cases(spec, &mut cases);
    retry_cases(spec, &mut cases);
    status_cases(spec, &mut cases);
    inquiry_extra_cases(spec, &mut cases);
    notification_cases(&mut cases);
    property_cases(spec, &mut cases);
    cases
}

fn property_cases(spec: &SpecTables, cases: &mut Vec<Case>) {
    let Some(retry_endpoint) = idempotent_endpoint(spec) else {
        return;
    };
    for property in Property::ALL {
        let level = match property {
            // Retrying is recommended; a changed id or body is still `must`.
            Property::Retry => Level::Should,
            _ => Level::Must,
        };
        let what = match property {
            Property::Sign => "sign (POST) over generated paths, client ids, times (epoch ms and ISO 8601) and bodies (empty, non-ASCII, pretty, large) verifies over exactly that content",
            Property::VerifyResponse => "verifyResponse accepts generated signed responses and rejects every single change to their body (a character, whitespace alone), path, client id, time or signature",
            Property::VerifyNotification => "generated signed notifications are acknowledged and processed, every single change to one makes it neither",
            Property::Classify => "classify maps generated codes, listed or not, under every status to the outcome of the status",
            Property::Retry => "call under generated answer sequences and attempt limits stops at the first final answer or the limit, with identical body and request id and a fresh signature per attempt, and the outcome of the last answer",
        };
        cases.push(Case {
            id: format!("property.{property}"),
            area: Area::Property,
            level,
            description: what.into(),
            kind: CaseKind::Property {
                property,
                cases: property.default_cases(),
                endpoints: spec.endpoints,
                retry_endpoint,
            },
        });
    }
}

/// The endpoint the scenario cases use: `inquiryPayment` when the spec has
/// it, else the first endpoint with an idempotency key, else the first.
fn scenario_endpoint(spec: &SpecTables) -> Option<&'static EndpointDef> {
    spec.endpoint("inquiryPayment")
        .or_else(|| {
            spec.endpoints
                .iter()
                .copied()
                .find(|e| e.idempotency_key.is_some())
        })
        .or_else(|| spec.endpoints.first().copied())
}

fn idempotent_endpoint(spec: &SpecTables) -> Option<&'static EndpointDef> {
    spec.endpoint("pay")
        .or_else(|| {
            spec.endpoints
                .iter()
                .copied()
                .find(|e| e.idempotency_key.is_some())
        })
        .or_else(|| spec.endpoints.first().copied())
}

/// The level of a signed call on `ep`'s sandbox path: `uncertain` where the
/// spec marks its sandbox rewrite uncertain (the official SDKs disagree).
fn sandbox_level(ep: &EndpointDef) -> Level {
    if ep.uncertain_keys.contains(&"sandboxRewrite") {
        Level::Uncertain
    } else {
        Level::Must
    }
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

fn signature_cases(spec: &SpecTables, cases: &mut Vec<Case>) {
    let vectors: serde_json::Value = serde_json::from_str(include_str!(
        "../../runtime/testdata/signature-vectors.json"
    ))
    .unwrap_or_default();
    for v in vectors["vectors"].as_array().into_iter().flatten() {
        let s = |k: &str| v[k].as_str().unwrap_or_default().to_owned();
        cases.push(Case {
            id: format!("signature.vector.{}", s("name")),
            area: Area::Signature,
            level: Level::Must,
            description: format!(
                "sign reproduces vector {} ({} {} at {})",
                s("name"),
                s("method"),
                s("path"),
                s("time")
            ),
            kind: CaseKind::SignVector {
                method: s("method"),
                path: s("path"),
                client_id: s("clientId"),
                time: s("time"),
                body: s("body"),
                expected_b64: s("signature_base64"),
            },
        });
    }

    for ep in spec.endpoints.iter().copied() {
        let path = spec.sandbox.path_for(ep, SANDBOX_CLIENT_ID);
        cases.push(Case {
            id: format!("signature.request.sandbox.{}", ep.name),
            area: Area::Signature,
            level: sandbox_level(ep),
            description: format!(
                "{} with a sandbox client id: headers, path {path} and signature over the exact bytes sent",
                ep.name
            ),
            kind: CaseKind::SignedCall {
                endpoint: ep,
                client_id: SANDBOX_CLIENT_ID.into(),
                request: sample_request(spec, ep, "sandbox"),
                expected_path: path,
                rule: None,
                schemas: spec.schemas,
            },
        });
    }
    if let Some(ep) = scenario_endpoint(spec) {
        cases.push(Case {
            id: "signature.request.production".into(),
            area: Area::Signature,
            level: Level::Must,
            description: format!(
                "{} with a production client id signs the production path",
                ep.name
            ),
            kind: CaseKind::SignedCall {
                endpoint: ep,
                client_id: PROD_CLIENT_ID.into(),
                request: sample_request(spec, ep, "production"),
                expected_path: ep.path.to_owned(),
                rule: None,
                schemas: spec.schemas,
            },
        });
        for rule in crate::request_rules::RULES {
            cases.push(Case {
                id: format!("signature.request.{}", rule.id),
                area: Area::Signature,
                level: rule.level,
                description: format!("{}: {}", ep.name, rule.rule),
                kind: CaseKind::SignedCall {
                    endpoint: ep,
                    client_id: SANDBOX_CLIENT_ID.into(),
                    request: sample_request(spec, ep, rule.id),
                    expected_path: spec.sandbox.path_for(ep, SANDBOX_CLIENT_ID),
                    rule: Some(rule),
                    schemas: spec.schemas,
                },
            });
        }
        let mut non_ascii = sample_request(spec, ep, "non-ascii");
        if let Some(o) = non_ascii.as_object_mut() {
            o.insert("orderDescription".into(), json!("测试订单 – café ✓"));
        }
        cases.push(Case {
            id: "signature.request.non-ascii-body".into(),
            area: Area::Signature,
            level: Level::Must,
            description: "a request body with non-ASCII text is signed over its UTF-8 bytes".into(),
            kind: CaseKind::SignedCall {
                endpoint: ep,
                client_id: SANDBOX_CLIENT_ID.into(),
                request: non_ascii,
                expected_path: spec.sandbox.path_for(ep, SANDBOX_CLIENT_ID),
                rule: None,
                schemas: spec.schemas,
            },
        });
    }

    // Response verification matrix.
    // The matrix's replies answer an inquiry (they carry `paymentStatus`).
    let path = spec
        .endpoint("inquiryPayment")
        .map_or("/ams/api/v1/payments/inquiryPayment", |e| e.path)
        .to_owned();
    let sandbox_path = spec.sandbox.rewrite(&path, SANDBOX_CLIENT_ID);
    let s_reply = Reply::result("S", "SUCCESS", json!({"paymentStatus": "SUCCESS"}));
    let f_reply = Reply::result("F", "PARAM_ILLEGAL", json!({}));
    let u_reply = Reply::result("U", "UNKNOWN_EXCEPTION", json!({}));
    let pretty = Reply::raw(
        200,
        "{\n    \"result\": {\n        \"resultCode\": \"SUCCESS\",\n        \"resultStatus\": \"S\",\n        \"resultMessage\": \"success\"\n    }\n}",
        Signing::Signed,
    );
    let non_ascii = Reply::result(
        "S",
        "SUCCESS",
        json!({"paymentResultMessage": "支付成功 – payé"}),
    );
    // A body whose signature contains `+` in raw base64 (so a decoder that
    // turns `+` into a space breaks); found deterministically.
    let raw_plus = raw_plus_reply();
    let matrix: Vec<(&str, &str, String, Reply, bool, Level)> = vec![
        (
            "signed-s",
            "a correctly signed S response is accepted",
            path.clone(),
            s_reply.clone(),
            true,
            Level::Must,
        ),
        (
            "signed-f",
            "a correctly signed F response is accepted",
            path.clone(),
            f_reply.clone(),
            true,
            Level::Must,
        ),
        (
            "lower-hex",
            "percent-encoding with lower-case hex (%2f) is accepted",
            path.clone(),
            s_reply.clone().signing(Signing::SignedLowerHex),
            true,
            Level::Must,
        ),
        (
            "spaced-header",
            "a Signature header with spaces after commas is accepted",
            path.clone(),
            s_reply.clone().signing(Signing::SignedSpaced),
            true,
            Level::Must,
        ),
        (
            "raw-base64",
            "a signature that is not percent-encoded (raw base64 with `+`) is accepted",
            path.clone(),
            raw_plus,
            true,
            Level::Should,
        ),
        (
            "pretty-body",
            "a pretty-printed body is verified over its exact bytes",
            path.clone(),
            pretty,
            true,
            Level::Must,
        ),
        (
            "non-ascii-body",
            "a non-ASCII body is verified over its UTF-8 bytes",
            path.clone(),
            non_ascii,
            true,
            Level::Must,
        ),
        (
            "sandbox-path",
            "a response on a sandbox path is verified with the sandbox path",
            sandbox_path,
            s_reply.clone(),
            true,
            Level::Must,
        ),
        (
            "unsigned-f",
            "an unsigned F response (gateway error) is accepted",
            path.clone(),
            f_reply.clone().signing(Signing::Unsigned),
            true,
            Level::Should,
        ),
        (
            "unsigned-u",
            "an unsigned U response (gateway error) is accepted",
            path.clone(),
            u_reply.clone().signing(Signing::Unsigned),
            true,
            Level::Should,
        ),
        (
            "empty-signature-u",
            "a U response whose signature= value and response-time are empty is unsigned, and accepted as a gateway error",
            path.clone(),
            u_reply.clone().signing(Signing::EmptySignature),
            true,
            Level::Should,
        ),
        (
            "empty-signature-s",
            "an S response whose signature= value and response-time are empty is unsigned, and rejected",
            path.clone(),
            s_reply.clone().signing(Signing::EmptySignature),
            false,
            Level::Should,
        ),
        (
            "unpadded-base64",
            "a signature whose base64 lost its `=` padding (not canonical) is rejected",
            path.clone(),
            s_reply.clone().signing(Signing::Unpadded),
            false,
            Level::Should,
        ),
        (
            "stray-character",
            "a signature with a stray character in its base64 (not canonical) is rejected",
            path.clone(),
            s_reply.clone().signing(Signing::StrayCharacter),
            false,
            Level::Should,
        ),
        (
            "parameter-name-case",
            "a Signature header whose parameter is spelled `Signature=` is rejected (names are exact)",
            path.clone(),
            s_reply.clone().signing(Signing::CapitalisedParameter),
            false,
            Level::Should,
        ),
        (
            "reformatted-body",
            "a response signed over its compact body but delivered pretty-printed (the same JSON, other bytes) is rejected",
            path.clone(),
            s_reply.clone().signing(Signing::Reformatted),
            false,
            Level::Must,
        ),
        (
            "keys-reordered",
            "a response signed over its body but delivered with its keys reordered (the same JSON, other bytes) is rejected",
            path.clone(),
            s_reply.clone().signing(Signing::KeysReordered),
            false,
            Level::Must,
        ),
        (
            "unsigned-s",
            "an unsigned S response is rejected",
            path.clone(),
            s_reply.clone().signing(Signing::Unsigned),
            false,
            Level::Should,
        ),
        (
            "tampered-s",
            "a signed S response whose body changed is rejected",
            path.clone(),
            s_reply.clone().signing(Signing::TamperedBody),
            false,
            Level::Must,
        ),
        (
            "tampered-f",
            "a signed response whose body changed is rejected even if F",
            path.clone(),
            Reply::result("F", "PARAM_ILLEGAL", json!({"paymentId": "2026010112345"}))
                .signing(Signing::TamperedBody),
            false,
            Level::Must,
        ),
        (
            "wrong-key",
            "a response signed with a key other than Antom's is rejected",
            path.clone(),
            s_reply.clone().signing(Signing::WrongKey),
            false,
            Level::Must,
        ),
        (
            "signature-only",
            "a response with a signature but no response-time is rejected",
            path.clone(),
            s_reply.clone().signing(Signing::SignatureOnly),
            false,
            Level::Must,
        ),
        (
            "time-only",
            "a response with a response-time but no signature is rejected",
            path.clone(),
            s_reply.clone().signing(Signing::TimeOnly),
            false,
            Level::Should,
        ),
    ];
    for (id, desc, path, reply, accept, level) in matrix {
        cases.push(Case {
            id: format!("signature.response.{id}"),
            area: Area::Signature,
            level,
            description: desc.into(),
            kind: CaseKind::VerifyResponse {
                path,
                reply,
                accept,
            },
        });
    }

    if let Some(ep) = scenario_endpoint(spec) {
        let s = Reply::result("S", "SUCCESS", json!({}));
        let calls: Vec<(&str, &str, Reply, Expected, Level)> = vec![
            (
                "call.unsigned-s",
                "a call answered by an unsigned S response does not succeed",
                s.clone().signing(Signing::Unsigned),
                Expected::NotSuccess,
                Level::Should,
            ),
            (
                "call.tampered-s",
                "a call answered by a tampered S response does not succeed",
                s.clone().signing(Signing::TamperedBody),
                Expected::NotSuccess,
                Level::Must,
            ),
            (
                "call.wrong-key",
                "a call answered by a wrongly signed S response does not succeed",
                s.clone().signing(Signing::WrongKey),
                Expected::NotSuccess,
                Level::Must,
            ),
            (
                "call.unsigned-f",
                "a call answered by an unsigned F response fails with its code",
                Reply::result("F", "ACCESS_DENIED", json!({})).signing(Signing::Unsigned),
                Expected::Failed,
                Level::Should,
            ),
        ];
        cases.extend(unsigned_failure_action_case(spec));
        let mut calls = calls;
        calls.extend(binding_calls(ep));
        for (id, desc, reply, outcome, level) in calls {
            cases.push(Case {
                id: format!("signature.{id}"),
                area: Area::Signature,
                level,
                description: desc.into(),
                kind: CaseKind::CallVerdict {
                    endpoint: ep,
                    reply,
                    outcome,
                },
            });
        }
    }
}

/// A call answered by an unsigned F whose code's spec action is
/// `newRequestId`: unauthenticated, so the caller must not be told to send a
/// new request id (it could charge twice); any other action is acceptable.
fn unsigned_failure_action_case(spec: &SpecTables) -> Option<Case> {
    let first_new_request_id = |ep: &'static EndpointDef| {
        ep.result_codes
            .iter()
            .find(|c| c.status == SpecStatus::F && c.action == Action::NewRequestId)
            .map(|c| (ep, c))
    };
    let (ep, info) = idempotent_endpoint(spec)
        .and_then(first_new_request_id)
        .or_else(|| {
            spec.endpoints
                .iter()
                .copied()
                .find_map(first_new_request_id)
        })?;
    Some(Case {
        id: format!("signature.call.unsigned-f-new-request-id.{}.{}", ep.name, info.code),
        area: Area::Signature,
        level: Level::Should,
        description: format!(
            "an unsigned F `{}` (spec action newRequestId) is unauthenticated: its action is not newRequestId",
            info.code
        ),
        kind: CaseKind::StatusCall {
            endpoint: ep,
            reply: Reply::result("F", info.code, json!({})).signing(Signing::Unsigned),
            expect: ExpectedClass::new(
                OutcomeKind::Failed,
                Action::ALL
                    .into_iter()
                    .filter(|a| !matches!(a, Action::NewRequestId | Action::None))
                    .collect(),
            ),
        },
    })
}

/// Calls answered by a genuine, correctly signed response that answers
/// another request: the implementation must bind a response to its request
/// (echoed request ids, client id, response-time), as no official SDK does
/// today. And the reverse: the answer that echoes this request's id succeeds.
fn binding_calls(ep: &EndpointDef) -> Vec<(&'static str, &'static str, Reply, Expected, Level)> {
    let mut calls = vec![
        (
            "call.stale-response-time",
            "a call answered by a genuine S signed years ago (a replayed capture) does not succeed",
            Reply::result("S", "SUCCESS", json!({})).at("2019-05-28T12:12:14+08:00"),
            Expected::NotSuccess,
            Level::Should,
        ),
        (
            "call.other-client-id",
            "a call answered by an S whose client-id header names another merchant does not succeed",
            Reply::result("S", "SUCCESS", json!({})).client_id_header("SANDBOX_5Y00000000000001"),
            Expected::NotSuccess,
            Level::Should,
        ),
    ];
    if let Some(field) = ep.echoes.first() {
        calls.push((
            "call.replayed-s",
            "a call answered by a genuine S for another request (another echoed request id) does not succeed",
            Reply::result("S", "SUCCESS", json!({ *field: "another-request" })),
            Expected::NotSuccess,
            Level::Should,
        ));
        calls.push((
            "call.echoed-s",
            "a call answered by an S that echoes the request's own id succeeds",
            Reply::result("S", "SUCCESS", json!({ *field: VERDICT_REQUEST_ID })),
            Expected::Success,
            Level::Must,
        ));
    }
    calls
}

/// The request id of the single-reply call cases.
pub const VERDICT_REQUEST_ID: &str = "conformance-verdict";

/// A signed S reply whose raw base64 signature contains `+`.
fn raw_plus_reply() -> Reply {
    let keys = crate::crypto::TestKeys::load().ok();
    // The claimed time is fixed here, so the reply served is the one chosen.
    let at = crate::gateway::response_time();
    for n in 0..64 {
        let reply = Reply::result(
            "S",
            "SUCCESS",
            json!({"paymentId": format!("20260101{n:04}")}),
        )
        .signing(Signing::SignedRawBase64)
        .at(at.clone());
        let Some(keys) = keys.as_ref() else {
            return reply;
        };
        // Signed exactly as the verify-response case serves it (its path and
        // client id), so the `+` is in the signature the verifier sees.
        let (headers, _) = crate::gateway::build_reply(
            keys,
            "/ams/api/v1/payments/inquiryPayment",
            SANDBOX_CLIENT_ID,
            &reply,
        );
        if headers.get("signature").is_some_and(|s| s.contains('+')) {
            return reply;
        }
    }
    Reply::result("S", "SUCCESS", json!({})).signing(Signing::SignedRawBase64)
}

fn retry_cases(spec: &SpecTables, cases: &mut Vec<Case>) {
    let Some(ep) = idempotent_endpoint(spec) else {
        return;
    };
    let s = || Step::Respond(Reply::result("S", "SUCCESS", json!({})));
    let u = || Step::Respond(Reply::result("U", "UNKNOWN_EXCEPTION", json!({})));
    let f_code = ep
        .result_codes
        .iter()
        .find(|c| c.status == SpecStatus::F)
        .map(|c| c.code)
        .unwrap_or("PARAM_ILLEGAL");
    let gap = Some(Duration::from_millis(crate::timing::BACKOFF_MS * 8 / 10));
    let long = crate::timing::ATTEMPT_TIMEOUT_MS;
    let short = crate::timing::SHORT_ATTEMPT_TIMEOUT_MS;
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
                    Duration::from_millis(crate::timing::SHORT_ATTEMPT_TIMEOUT_MS * 3),
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
    for (id, desc, script, max_attempts, attempt_timeout_ms, expect) in scenarios {
        cases.push(Case {
            id: format!("retry.{id}"),
            area: Area::Retry,
            level: Level::Should,
            description: format!("{} ({})", desc, ep.name),
            kind: CaseKind::Retry {
                endpoint: ep,
                script,
                max_attempts,
                attempt_timeout_ms,
                expect,
            },
        });
    }
}

fn status_cases(spec: &SpecTables, cases: &mut Vec<Case>) {
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
                kind: CaseKind::Classify {
                    endpoint: ep,
                    body: result_body(info.status.as_str(), info.code),
                    expect: ExpectedClass::of_code(info.status, info.action),
                },
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
                kind: CaseKind::Classify {
                    endpoint: ep,
                    body: result_body(status, UNKNOWN_CODE),
                    expect,
                },
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
                    kind: CaseKind::StatusCall {
                        endpoint: ep,
                        reply: Reply::result(status.as_str(), info.code, json!({})),
                        expect: ExpectedClass::of_code(info.status, info.action),
                    },
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
                kind: CaseKind::Classify {
                    endpoint: ep,
                    body,
                    expect: ExpectedClass::business(Some(outcome)),
                },
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
        kind: CaseKind::Classify {
            endpoint: ep,
            body,
            expect: ExpectedClass {
                transactions: vec![Success, Pending, Failed, Failed, Pending],
                ..ExpectedClass::business(Some(Success))
            },
        },
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
        kind: CaseKind::Classify {
            endpoint: ep,
            body,
            expect: ExpectedClass::business(None),
        },
    });
}

fn notification_cases(cases: &mut Vec<Case>) {
    let list: [(&str, &str, Delivery, bool, Level); 12] = [
        (
            "valid",
            "a valid notification is acknowledged with the exact acknowledgement body",
            Delivery::Valid,
            true,
            Level::Must,
        ),
        (
            "valid-lower-hex",
            "a valid notification with lower-case percent-encoding is acknowledged",
            Delivery::ValidLowerHex,
            true,
            Level::Must,
        ),
        (
            "valid-spaced-header",
            "a valid notification with spaces in the Signature header is acknowledged",
            Delivery::ValidSpaced,
            true,
            Level::Must,
        ),
        (
            "valid-non-ascii",
            "a valid notification with a non-ASCII body is acknowledged",
            Delivery::ValidNonAscii,
            true,
            Level::Must,
        ),
        (
            "tampered-body",
            "a notification whose body changed after signing is not acknowledged",
            Delivery::TamperedBody,
            false,
            Level::Must,
        ),
        (
            "wrong-key",
            "a notification signed with a key other than Antom's is not acknowledged",
            Delivery::WrongKey,
            false,
            Level::Must,
        ),
        (
            "missing-signature",
            "a notification without a signature header is not acknowledged",
            Delivery::MissingSignature,
            false,
            Level::Must,
        ),
        (
            "reformatted-body",
            "a notification signed over its compact body but delivered pretty-printed (the same JSON, other bytes) is not acknowledged",
            Delivery::Reformatted,
            false,
            Level::Must,
        ),
        (
            "stale",
            "a genuine notification signed years ago (replayed after any dedup window) is not acknowledged",
            Delivery::Stale,
            false,
            Level::Should,
        ),
        (
            "missing-request-time",
            "a notification without a request-time header is not acknowledged",
            Delivery::MissingRequestTime,
            false,
            Level::Must,
        ),
        (
            "missing-client-id",
            "a notification without a client-id header is not acknowledged",
            Delivery::MissingClientId,
            false,
            Level::Must,
        ),
        (
            "wrong-client-id",
            "a validly signed notification for another client id is not acknowledged",
            Delivery::WrongClientId,
            false,
            Level::Must,
        ),
    ];
    for (id, desc, delivery, ack, level) in list {
        cases.push(Case {
            id: format!("notification.{id}"),
            area: Area::Notification,
            level,
            description: desc.into(),
            kind: CaseKind::Notification { delivery, ack },
        });
    }
    cases.push(Case {
        id: "notification.redelivery".into(),
        area: Area::Notification,
        level: Level::Must,
        description: "the same notification delivered 8 times (Antom's schedule) is acknowledged each time and processed once".into(),
        kind: CaseKind::Redelivery { times: 8 },
    });
}

/// Matches `id` against a pattern with `*` (any run) and `?` (one character).
pub fn glob_match(pattern: &str, id: &str) -> bool {
    fn go(p: &[char], s: &[char]) -> bool {
        match (p.first(), s.first()) {
            (None, None) => true,
            (Some('*'), _) => go(&p[1..], s) || (!s.is_empty() && go(p, &s[1..])),
            (Some('?'), Some(_)) => go(&p[1..], &s[1..]),
            (Some(a), Some(b)) if a == b => go(&p[1..], &s[1..]),
            _ => false,
        }
    }
    let p: Vec<char> = pattern.chars().collect();
    let s: Vec<char> = id.chars().collect();
    go(&p, &s)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The raw-base64 case is only meaningful if the signature the verifier
    /// receives has a `+` (which a form decoder turns into a space).
    #[test]
    fn the_raw_base64_reply_as_served_has_a_plus() {
        let keys = crate::crypto::TestKeys::load().unwrap();
        let spec = spec_tables();
        let case = all_cases(&spec)
            .into_iter()
            .find(|c| c.id == "signature.response.raw-base64")
            .unwrap();
        let CaseKind::VerifyResponse { path, reply, .. } = &case.kind else {
            panic!("{case:?}")
        };
        let (headers, _) = crate::gateway::build_reply(&keys, path, SANDBOX_CLIENT_ID, reply);
        let signature = &headers["signature"];
        assert!(signature.contains('+'), "{signature}");
    }

    #[test]
    fn globs() {
        assert!(glob_match("retry.*", "retry.u-s"));
        assert!(glob_match("status.*.U.*", "status.pay.U.UNKNOWN_EXCEPTION"));
        assert!(!glob_match("retry.*", "status.retry"));
        assert!(glob_match("a?c", "abc"));
        assert!(!glob_match("a?c", "ac"));
    }

    #[test]
    fn area_parse() {
        assert_eq!("retry".parse::<Area>().unwrap(), Area::Retry);
        assert!("nope".parse::<Area>().is_err());
    }
}
