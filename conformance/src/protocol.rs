//! The operations an implementation under test offers, as Rust types.
//!
//! The same types are the payloads of the out-of-process adapter protocol
//! (JSON, camelCase; see `PROTOCOL.md`), so an in-process [`Implementation`]
//! and an adapter speak exactly the same language.

use std::collections::BTreeMap;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::str::FromStr;

use antom_runtime::SpecStatus;
use serde::{Deserialize, Serialize};

/// Version of the adapter protocol the runner speaks.
pub const PROTOCOL_VERSION: u32 = 2;

/// Versions the runner accepts: version 1 adapters (no `hello`) are judged
/// as offering every operation.
pub const SUPPORTED_VERSIONS: [u32; 2] = [1, 2];

/// What an implementation can be judged on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Capability {
    /// `sign`: computes a Signature header.
    Sign,
    /// `verifyResponse`: accepts or rejects a gateway response.
    VerifyResponse,
    /// `verifyNotification`: verifies, acknowledges and deduplicates
    /// notifications.
    VerifyNotification,
    /// `call`: signs, sends and verifies a call to an endpoint.
    Call,
    /// Retries an unknown result with the same request (inside `call`).
    Retries,
    /// Maps results to outcomes and actions (`classify`, and the outcome of
    /// `call`).
    Classify,
}

impl Capability {
    /// Every capability.
    pub const ALL: [Capability; 6] = [
        Capability::Sign,
        Capability::VerifyResponse,
        Capability::VerifyNotification,
        Capability::Call,
        Capability::Retries,
        Capability::Classify,
    ];

    /// The camelCase name.
    pub fn as_str(self) -> &'static str {
        match self {
            Capability::Sign => "sign",
            Capability::VerifyResponse => "verifyResponse",
            Capability::VerifyNotification => "verifyNotification",
            Capability::Call => "call",
            Capability::Retries => "retries",
            Capability::Classify => "classify",
        }
    }
}

impl fmt::Display for Capability {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// `hello`: the runner's first request; the versions it speaks.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HelloRequest {
    /// Protocol versions the runner accepts.
    pub versions: Vec<u32>,
}

/// Reply to [`HelloRequest`]: who is under test and what it offers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Hello {
    /// The implementation really under test, e.g. `global-open-sdk-python`.
    pub implementation: String,
    /// Its version, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// What it implements; cases needing anything else are reported as not
    /// offered, never as failures or passes.
    pub capabilities: Vec<Capability>,
}

impl Hello {
    /// Offers everything (what a version 1 adapter is assumed to do).
    pub fn everything(implementation: impl Into<String>) -> Self {
        Hello {
            implementation: implementation.into(),
            version: None,
            capabilities: Capability::ALL.to_vec(),
        }
    }

    /// Whether `capability` is offered.
    pub fn offers(&self, capability: Capability) -> bool {
        self.capabilities.contains(&capability)
    }
}

/// A boxed, sendable future (keeps [`Implementation`] object safe).
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// `sign`: compute the `Signature` header for the given content.
#[derive(Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SignRequest {
    /// HTTP method (`POST`).
    pub method: String,
    /// The path to sign (already the sandbox path where applicable).
    pub path: String,
    /// `Client-Id`.
    pub client_id: String,
    /// `Request-Time` as sent.
    pub request_time: String,
    /// The exact body (UTF-8).
    pub body: String,
    /// Merchant private key, bare base64 PKCS#8 DER (a published test key).
    pub merchant_private_key: String,
}

impl fmt::Debug for SignRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SignRequest")
            .field("method", &self.method)
            .field("path", &self.path)
            .field("client_id", &self.client_id)
            .field("request_time", &self.request_time)
            .field("body", &self.body)
            .field("merchant_private_key", &"<redacted>")
            .finish()
    }
}

/// Reply to [`SignRequest`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SignResponse {
    /// The full `Signature` header value.
    pub signature: String,
}

/// Retry policy the runner asks the implementation to use for a `call`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RetryHint {
    /// Attempts including the first.
    pub max_attempts: u32,
    /// Back-off before the second attempt, in milliseconds.
    pub initial_backoff_ms: u64,
    /// Upper bound of one back-off, in milliseconds.
    pub max_backoff_ms: u64,
    /// Timeout of one attempt, in milliseconds.
    pub attempt_timeout_ms: u64,
    /// Bound of the whole call including retries, in milliseconds.
    pub total_timeout_ms: u64,
}

/// `call`: call one endpoint on the mock gateway.
#[derive(Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CallRequest {
    /// e.g. `http://127.0.0.1:40000` (no trailing slash).
    pub base_url: String,
    /// Spec name of the endpoint, e.g. `inquiryPayment`.
    pub endpoint: String,
    /// Production path of the endpoint (the implementation applies the
    /// sandbox rule itself).
    pub path: String,
    /// Client id to send.
    pub client_id: String,
    /// The request object to send.
    pub request: serde_json::Value,
    /// Merchant private key, bare base64 PKCS#8 DER.
    pub merchant_private_key: String,
    /// Antom public key, bare base64 SPKI DER.
    pub antom_public_key: String,
    /// Retry policy to use.
    pub retry: RetryHint,
}

impl fmt::Debug for CallRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CallRequest")
            .field("base_url", &self.base_url)
            .field("endpoint", &self.endpoint)
            .field("path", &self.path)
            .field("client_id", &self.client_id)
            .field("request", &self.request)
            .field("merchant_private_key", &"<redacted>")
            .field("antom_public_key", &self.antom_public_key)
            .field("retry", &self.retry)
            .finish()
    }
}

/// Reply to [`CallRequest`]: the classified outcome of the call.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CallResponse {
    /// `success`, `failed`, `unknown`, or `rejected` (the implementation
    /// refused the response, e.g. a bad signature). An implementation
    /// without the `classify` capability answers `accepted` for a response
    /// it verified and handed on unclassified.
    pub outcome: String,
    /// The result code, when there was one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub result_code: Option<String>,
    /// The action class (`none`, `retry`, `inquire`, ...), when classified.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub action: Option<String>,
    /// Free-form detail (error message).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// Whether the call went through the implementation's own request type
    /// for the endpoint (its path constant, its serialization) rather than
    /// the `path` and `request` as given. The body is then judged against
    /// the spec's request model and must carry the fields given, not be
    /// byte-for-byte the request given.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub typed: bool,
}

/// `verifyResponse`: decide whether a gateway response is acceptable.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct VerifyResponseRequest {
    /// The path that was called.
    pub path: String,
    /// The client id the request was sent with.
    pub client_id: String,
    /// Response headers (names lower-case).
    pub headers: BTreeMap<String, String>,
    /// HTTP status.
    pub status: u16,
    /// Raw response body.
    pub body: String,
    /// Antom public key, bare base64 SPKI DER.
    pub antom_public_key: String,
}

/// Reply to [`VerifyResponseRequest`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct VerifyResponseResponse {
    /// Whether the response is accepted.
    pub accepted: bool,
    /// Why not (free-form).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// `verifyNotification`: handle one notification delivery as a webhook would.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct VerifyNotificationRequest {
    /// The webhook path the notification was posted to.
    pub path: String,
    /// Request headers (names lower-case).
    pub headers: BTreeMap<String, String>,
    /// Raw notification body.
    pub body: String,
    /// The merchant's own client id (notifications for others are refused).
    pub client_id: String,
    /// Antom public key, bare base64 SPKI DER.
    pub antom_public_key: String,
    /// Deduplication scope: deliveries with the same scope share one
    /// "already processed" memory.
    pub scope: String,
}

/// Reply to [`VerifyNotificationRequest`]: the HTTP answer the webhook gives.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct VerifyNotificationResponse {
    /// HTTP status of the reply.
    pub status: u16,
    /// Body of the reply.
    pub body: String,
    /// Whether this delivery triggered business processing (false for
    /// duplicates and rejected deliveries).
    pub processed: bool,
}

/// `classify`: map a raw response of an endpoint to an outcome.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ClassifyRequest {
    /// Spec name of the endpoint.
    pub endpoint: String,
    /// The response body (already verified).
    pub body: String,
}

/// Reply to [`ClassifyRequest`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ClassifyResponse {
    /// `success`, `failed` or `unknown`.
    pub outcome: String,
    /// The action class.
    pub action: String,
    /// For inquiry responses: `success`, `failed` or `pending` from the
    /// business status field (`paymentStatus`, `refundStatus`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub business_outcome: Option<String>,
    /// For inquiries with `transactions[]`: the outcome of each entry's
    /// `transactionStatus` (`success`, `failed`, `pending`, or `unknown` for
    /// values the spec does not list), in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub transaction_outcomes: Vec<String>,
}

/// An operation that did not produce a reply.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ImplError {
    /// The implementation does not offer this operation (the case is skipped).
    #[error("operation not supported: {0}")]
    Unsupported(String),
    /// The implementation failed to run the operation.
    #[error("{0}")]
    Failed(String),
}

/// An implementation under test.
///
/// Implement it for a Rust client and hand it to the runner
/// (`runner::run_suite`). Every method gets everything it needs in its
/// request (keys, base URL, policy), so an implementation holds no
/// configuration of its own; only `verify_notification` keeps state (the set
/// of processed notifications per `scope`).
pub trait Implementation: Send + Sync {
    /// A short name for reports.
    fn name(&self) -> String;
    /// Who is under test and what it offers. The default offers every
    /// operation.
    fn hello(&self) -> BoxFuture<'_, Result<Hello, ImplError>> {
        let hello = Hello::everything(self.name());
        Box::pin(async move { Ok(hello) })
    }
    /// Compute a `Signature` header.
    fn sign(&self, req: SignRequest) -> BoxFuture<'_, Result<SignResponse, ImplError>>;
    /// Call an endpoint (signing, sending, verifying, retrying, classifying).
    fn call(&self, req: CallRequest) -> BoxFuture<'_, Result<CallResponse, ImplError>>;
    /// Accept or reject a gateway response.
    fn verify_response(
        &self,
        req: VerifyResponseRequest,
    ) -> BoxFuture<'_, Result<VerifyResponseResponse, ImplError>>;
    /// Handle a notification delivery.
    fn verify_notification(
        &self,
        req: VerifyNotificationRequest,
    ) -> BoxFuture<'_, Result<VerifyNotificationResponse, ImplError>>;
    /// Classify a response body.
    fn classify(&self, req: ClassifyRequest) -> BoxFuture<'_, Result<ClassifyResponse, ImplError>>;
}

/// One line the runner sends to an adapter.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "camelCase")]
pub enum AdapterOp {
    /// See [`HelloRequest`].
    Hello(HelloRequest),
    /// See [`SignRequest`].
    Sign(SignRequest),
    /// See [`CallRequest`].
    Call(CallRequest),
    /// See [`VerifyResponseRequest`].
    VerifyResponse(VerifyResponseRequest),
    /// See [`VerifyNotificationRequest`].
    VerifyNotification(VerifyNotificationRequest),
    /// See [`ClassifyRequest`].
    Classify(ClassifyRequest),
}

/// A request line: `{"v":1,"id":..,"op":..,...}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AdapterRequest {
    /// Protocol version.
    pub v: u32,
    /// Correlation id, echoed in the reply.
    pub id: u64,
    /// The operation and its fields.
    #[serde(flatten)]
    pub op: AdapterOp,
}

/// An error reply: `{"v":1,"id":..,"error":{"kind":"unsupported"|"failed","message":..}}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AdapterError {
    /// `unsupported` or `failed`.
    pub kind: String,
    /// Human text.
    #[serde(default)]
    pub message: String,
}

/// A reply line: `{"v":1,"id":..,"result":{..}}` or `{"v":1,"id":..,"error":{..}}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AdapterResponse {
    /// Protocol version.
    pub v: u32,
    /// The id of the request.
    pub id: u64,
    /// The op's reply object.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub result: Option<serde_json::Value>,
    /// Set instead of `result` when the op did not run.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<AdapterError>,
}

impl From<ImplError> for AdapterError {
    fn from(e: ImplError) -> Self {
        match e {
            ImplError::Unsupported(m) => AdapterError {
                kind: "unsupported".into(),
                message: m,
            },
            ImplError::Failed(m) => AdapterError {
                kind: "failed".into(),
                message: m,
            },
        }
    }
}

impl From<AdapterError> for ImplError {
    fn from(e: AdapterError) -> Self {
        if e.kind == "unsupported" {
            ImplError::Unsupported(e.message)
        } else {
            ImplError::Failed(e.message)
        }
    }
}

/// The outcome of a classified call or response, as the protocol spells it:
/// `success` (`S`), `failed` (`F`) or `unknown` (`U`, non-200, timeout,
/// transport error).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum OutcomeKind {
    /// `success`.
    Success,
    /// `failed`.
    Failed,
    /// `unknown`.
    Unknown,
}

impl OutcomeKind {
    /// Every outcome.
    pub const ALL: [OutcomeKind; 3] = [
        OutcomeKind::Success,
        OutcomeKind::Failed,
        OutcomeKind::Unknown,
    ];

    /// The wire spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            OutcomeKind::Success => "success",
            OutcomeKind::Failed => "failed",
            OutcomeKind::Unknown => "unknown",
        }
    }

    /// The outcome of a result with `status`.
    pub fn of_status(status: SpecStatus) -> Self {
        match status {
            SpecStatus::S => OutcomeKind::Success,
            SpecStatus::F => OutcomeKind::Failed,
            SpecStatus::U => OutcomeKind::Unknown,
        }
    }
}

impl fmt::Display for OutcomeKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A string that is not an outcome of the protocol.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown outcome `{0}` (expected success, failed or unknown)")]
pub struct UnknownOutcome(pub String);

impl FromStr for OutcomeKind {
    type Err = UnknownOutcome;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        OutcomeKind::ALL
            .into_iter()
            .find(|o| o.as_str() == s)
            .ok_or_else(|| UnknownOutcome(s.to_owned()))
    }
}

/// What an implementation reported as the `outcome` of a call, read from
/// its wire string (any string reads: the judging decides what it means).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportedOutcome {
    /// `success`, `failed` or `unknown`.
    Classified(OutcomeKind),
    /// `accepted`: verified and handed on unclassified (an implementation
    /// without the `classify` capability).
    Accepted,
    /// `rejected`, or any other string: not an outcome the call succeeded
    /// with.
    Other,
}

impl From<&str> for ReportedOutcome {
    fn from(wire: &str) -> Self {
        match wire.parse::<OutcomeKind>() {
            Ok(kind) => ReportedOutcome::Classified(kind),
            Err(_) if wire == "accepted" => ReportedOutcome::Accepted,
            Err(_) => ReportedOutcome::Other,
        }
    }
}

impl CallResponse {
    /// The reported `outcome`, read.
    pub fn reported_outcome(&self) -> ReportedOutcome {
        ReportedOutcome::from(self.outcome.as_str())
    }
}

/// The exact acknowledgement a webhook must send (key order irrelevant).
pub const ACK_BODY: &str = antom_runtime::notification::ACKNOWLEDGEMENT_BODY;

/// Whether `status`/`body` is the acknowledgement Antom expects.
pub fn is_acknowledgement(status: u16, body: &str) -> bool {
    if status != antom_runtime::protocol::tables::ACKNOWLEDGEMENT_HTTP_STATUS {
        return false;
    }
    let expected: serde_json::Value = serde_json::from_str(ACK_BODY).unwrap_or_default();
    serde_json::from_str::<serde_json::Value>(body)
        .map(|v| v == expected)
        .unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_round_trip_as_protocol_lines() {
        let line = r#"{"v":1,"id":3,"op":"classify","endpoint":"pay","body":"{}"}"#;
        let req: AdapterRequest = serde_json::from_str(line).unwrap();
        assert_eq!(req.id, 3);
        assert!(matches!(&req.op, AdapterOp::Classify(c) if c.endpoint == "pay"));
        let back: serde_json::Value = serde_json::to_value(&req).unwrap();
        assert_eq!(
            back,
            serde_json::from_str::<serde_json::Value>(line).unwrap()
        );
    }

    #[test]
    fn debug_never_shows_private_keys() {
        let req = SignRequest {
            method: "POST".into(),
            path: "/p".into(),
            client_id: "c".into(),
            request_time: "1".into(),
            body: "{}".into(),
            merchant_private_key: "MIIEsecretkeymaterial".into(),
        };
        let text = format!("{:?}", AdapterOp::Sign(req));
        assert!(!text.contains("secretkeymaterial"), "{text}");
        assert!(text.contains("<redacted>"));
    }

    #[test]
    fn acknowledgement_is_exact_modulo_key_order() {
        assert!(is_acknowledgement(200, ACK_BODY));
        assert!(is_acknowledgement(
            200,
            r#"{"result":{"resultStatus":"S","resultMessage":"success","resultCode":"SUCCESS"}}"#
        ));
        assert!(!is_acknowledgement(201, ACK_BODY));
        assert!(!is_acknowledgement(200, "OK"));
        assert!(!is_acknowledgement(
            200,
            r#"{"result":{"resultCode":"SUCCESS","resultStatus":"S"}}"#
        ));
    }
}
