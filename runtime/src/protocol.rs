//! Protocol-level types shared by the generated code, the client and the
//! conformance kit: the `result` envelope, result statuses, action classes,
//! endpoint descriptors and the typed outcome of a call.
//!
//! The generated crate fills [`EndpointDef`] and [`CodeInfo`] tables from the
//! spec; everything the runtime decides about a response is driven by those
//! tables, not by hand-written lists.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// `result.resultStatus`: `S` success, `F` failure, `U` unknown.
///
/// Forward compatible: any other wire value is kept in [`ResultStatus::Other`]
/// (and treated like `U` by the status mapping).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum ResultStatus {
    /// The call succeeded.
    S,
    /// The call failed; look at the result code.
    F,
    /// Unknown / in progress: retry with the same request id or inquire.
    U,
    /// A value this version does not know, kept verbatim.
    Other(String),
}

impl ResultStatus {
    /// The wire value.
    pub fn as_str(&self) -> &str {
        match self {
            ResultStatus::S => "S",
            ResultStatus::F => "F",
            ResultStatus::U => "U",
            ResultStatus::Other(s) => s,
        }
    }

    /// Strict parse: only `S`, `F` and `U`.
    pub fn try_parse(s: &str) -> Result<Self, UnknownValue> {
        match s {
            "S" => Ok(ResultStatus::S),
            "F" => Ok(ResultStatus::F),
            "U" => Ok(ResultStatus::U),
            other => Err(UnknownValue {
                type_name: "ResultStatus",
                value: other.to_owned(),
            }),
        }
    }
}

impl From<&str> for ResultStatus {
    fn from(s: &str) -> Self {
        ResultStatus::try_parse(s).unwrap_or_else(|_| ResultStatus::Other(s.to_owned()))
    }
}

impl FromStr for ResultStatus {
    type Err = std::convert::Infallible;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(ResultStatus::from(s))
    }
}

impl fmt::Display for ResultStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for ResultStatus {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for ResultStatus {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        Ok(ResultStatus::from(s.as_ref()))
    }
}

/// A wire value that a strict parse rejected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown {type_name} value `{value}`")]
pub struct UnknownValue {
    /// The enum that rejected the value.
    pub type_name: &'static str,
    /// The rejected wire value.
    pub value: String,
}

/// The `result` object every Antom response and notification carries.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ApiResult {
    /// e.g. `SUCCESS`, `PAYMENT_IN_PROCESS`.
    pub result_code: String,
    /// `S`, `F` or `U`.
    pub result_status: ResultStatus,
    /// Human text; not stable, never match on it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub result_message: Option<String>,
}

/// What a caller should do about a result (the spec's action classes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Action {
    /// Nothing to do.
    None,
    /// Retry with the same request id and identical body.
    Retry,
    /// Retry with the same request id after backing off (rate limit).
    RetryAfterBackoff,
    /// Pending: wait for the notification or inquire (retrying is safe).
    Inquire,
    /// The request id is spent: start again with a new one.
    NewRequestId,
    /// The request is wrong: fix it before sending again.
    FixRequest,
    /// The buyer must act.
    UserAction,
    /// Contact Antom support; do not retry.
    ContactSupport,
}

impl Action {
    /// Every action class.
    pub const ALL: [Action; 8] = [
        Action::None,
        Action::Retry,
        Action::RetryAfterBackoff,
        Action::Inquire,
        Action::NewRequestId,
        Action::FixRequest,
        Action::UserAction,
        Action::ContactSupport,
    ];

    /// The spec spelling (`retryAfterBackoff`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            Action::None => "none",
            Action::Retry => "retry",
            Action::RetryAfterBackoff => "retryAfterBackoff",
            Action::Inquire => "inquire",
            Action::NewRequestId => "newRequestId",
            Action::FixRequest => "fixRequest",
            Action::UserAction => "userAction",
            Action::ContactSupport => "contactSupport",
        }
    }

    /// Whether sending the same request again (same request id) is right.
    pub fn is_retryable(self) -> bool {
        matches!(
            self,
            Action::Retry | Action::RetryAfterBackoff | Action::Inquire
        )
    }
}

impl fmt::Display for Action {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Action {
    type Err = UnknownValue;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Action::ALL
            .into_iter()
            .find(|a| a.as_str() == s)
            .ok_or_else(|| UnknownValue {
                type_name: "Action",
                value: s.to_owned(),
            })
    }
}

/// The spec's knowledge of one result code, as one endpoint returns it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CodeInfo {
    /// The result code.
    pub code: &'static str,
    /// The status the spec documents for it (`S`, `F` or `U`).
    pub status: SpecStatus,
    /// What to do about it.
    pub action: Action,
    /// Whether the spec marks the code `uncertain` (its status or action is
    /// inferred, not documented).
    pub uncertain: bool,
}

/// A result status as the spec documents it (no forward-compatible variant).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SpecStatus {
    /// Success.
    S,
    /// Failure.
    F,
    /// Unknown.
    U,
}

impl SpecStatus {
    /// The wire value.
    pub fn as_str(self) -> &'static str {
        match self {
            SpecStatus::S => "S",
            SpecStatus::F => "F",
            SpecStatus::U => "U",
        }
    }
}

impl From<SpecStatus> for ResultStatus {
    fn from(s: SpecStatus) -> Self {
        match s {
            SpecStatus::S => ResultStatus::S,
            SpecStatus::F => ResultStatus::F,
            SpecStatus::U => ResultStatus::U,
        }
    }
}

/// Everything the runtime needs to know about one endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EndpointDef {
    /// Spec name, e.g. `inquiryPayment`.
    pub name: &'static str,
    /// Family, e.g. `payments`.
    pub family: &'static str,
    /// Production path, e.g. `/ams/api/v1/payments/inquiryPayment`.
    pub path: &'static str,
    /// The request model's name (a model of the generated `SCHEMAS`).
    pub request: &'static str,
    /// The response model's name.
    pub response: &'static str,
    /// Whether a sandbox client id rewrites the path.
    pub sandbox_rewrite: bool,
    /// Wire name of the request's idempotency key field, if any.
    pub idempotency_key: Option<&'static str>,
    /// Request fields the response echoes (the spec's `echoes`): when both
    /// carry one, the values must be equal, which binds a response to the
    /// request it answers.
    pub echoes: &'static [&'static str],
    /// The statuses after which the idempotency key is spent (the spec's
    /// `idempotency.finalStatuses`; empty without an idempotency key):
    /// sending the key again returns the same answer, so a new attempt needs
    /// a new key.
    pub spent_on: &'static [SpecStatus],
    /// The endpoint keys whose values the spec marks uncertain
    /// (`uncertainKeys`, e.g. `sandboxRewrite`).
    pub uncertain_keys: &'static [&'static str],
    /// Every result code the endpoint can return (its own and the gateway's),
    /// sorted by code.
    pub result_codes: &'static [CodeInfo],
}

impl EndpointDef {
    /// The spec's entry for `code` on this endpoint.
    pub fn code_info(&self, code: &str) -> Option<&'static CodeInfo> {
        self.result_codes
            .binary_search_by(|c| c.code.cmp(code))
            .ok()
            .map(|i| &self.result_codes[i])
    }
}

/// The sandbox path rule (from the spec's `sandbox` section).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SandboxRule {
    /// Client ids starting with this are sandbox client ids (`SANDBOX_`).
    pub client_id_prefix: &'static str,
    /// Production path prefix (`/ams/api`).
    pub production_prefix: &'static str,
    /// Sandbox path prefix (`/ams/sandbox/api`).
    pub sandbox_prefix: &'static str,
}

impl SandboxRule {
    /// The endpoint among `endpoints` served at `path`: its production path,
    /// or that path rewritten to the sandbox prefix (whatever its client id).
    pub fn endpoint_at(
        &self,
        endpoints: &[&'static EndpointDef],
        path: &str,
    ) -> Option<&'static EndpointDef> {
        endpoints.iter().copied().find(|e| {
            e.path == path
                || e.path
                    .replacen(self.production_prefix, self.sandbox_prefix, 1)
                    == path
        })
    }

    /// The path to call (and sign) for `endpoint` with `client_id`: the first
    /// occurrence of the production prefix is replaced for sandbox client ids,
    /// unless the endpoint opts out.
    pub fn path_for(&self, endpoint: &EndpointDef, client_id: &str) -> String {
        if endpoint.sandbox_rewrite && client_id.starts_with(self.client_id_prefix) {
            endpoint
                .path
                .replacen(self.production_prefix, self.sandbox_prefix, 1)
        } else {
            endpoint.path.to_owned()
        }
    }
}

/// The meaning of a business status value (`paymentStatus`, `refundStatus`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BusinessOutcome {
    /// Final success.
    Success,
    /// Final failure (includes cancelled).
    Failed,
    /// Not final yet: keep polling or wait for the notification.
    Pending,
}

/// Implemented by generated inquiry responses whose spec names a business
/// status field.
pub trait BusinessStatus {
    /// The outcome of the business status, `None` when absent or unknown.
    fn business_outcome(&self) -> Option<BusinessOutcome>;
}

/// The typed outcome of one API call (after retries).
///
/// `C` is the result-code type: the generated crate uses its `ResultCode`
/// enum; the default `String` keeps the raw code.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome<T, C = String> {
    /// `resultStatus` `S`: the parsed response.
    Success(T),
    /// `resultStatus` `F`: failed with a code; never retried.
    Failed(Failure<T, C>),
    /// Unknown: `U`, a transport error, a non-200 status or a timeout that
    /// survived the retry policy. Never a failure: retry with the same request
    /// id or inquire.
    Unknown(Unknown),
}

/// A failed call.
#[derive(Debug, Clone, PartialEq)]
pub struct Failure<T, C = String> {
    /// The typed result code.
    pub code: C,
    /// The raw `result` object.
    pub result: ApiResult,
    /// What to do about it (from the spec; `contactSupport` for codes the
    /// spec does not know).
    pub action: Action,
    /// What the failure leaves of the request id (the endpoint's idempotency
    /// key): spent, only claimed spent by an unsigned answer, or no key.
    pub request_id: RequestIdState,
    /// The whole response, when it parsed.
    pub response: Option<T>,
}

/// What a failed call leaves of its request id, from the spec's idempotency
/// rule (`idempotency.finalStatuses`) and the response's signature.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RequestIdState {
    /// A signed final answer: the id is spent. Sending it again returns this
    /// same answer; a new attempt needs a new request id.
    Spent,
    /// The answer would spend the id, but it is unsigned and may not be
    /// Antom's: inquire before treating the id as spent, and do not start
    /// again with a new id while the original request may still succeed.
    Unconfirmed,
    /// The spec does not make this status final for the key: the same id may
    /// be sent again.
    Reusable,
    /// The endpoint has no idempotency key.
    NoKey,
}

impl RequestIdState {
    /// The state an answer with `status` leaves on `endpoint`; `signed` says
    /// whether the answer's signature was verified.
    pub fn after(endpoint: &EndpointDef, status: SpecStatus, signed: bool) -> Self {
        if endpoint.idempotency_key.is_none() {
            RequestIdState::NoKey
        } else if !endpoint.spent_on.contains(&status) {
            RequestIdState::Reusable
        } else if signed {
            RequestIdState::Spent
        } else {
            RequestIdState::Unconfirmed
        }
    }

    /// `"spent"`, `"unconfirmed"`, `"reusable"` or `"noKey"`.
    pub fn as_str(self) -> &'static str {
        match self {
            RequestIdState::Spent => "spent",
            RequestIdState::Unconfirmed => "unconfirmed",
            RequestIdState::Reusable => "reusable",
            RequestIdState::NoKey => "noKey",
        }
    }
}

/// A call whose result is not known.
#[derive(Debug, Clone, PartialEq)]
pub struct Unknown {
    /// Why the result is unknown.
    pub reason: UnknownReason,
    /// What to do (`retry`, `retryAfterBackoff` or `inquire`).
    pub action: Action,
}

/// Why a call's result is unknown.
#[derive(Debug, Clone, PartialEq)]
pub enum UnknownReason {
    /// The gateway answered `resultStatus` `U` (or an unknown status).
    Status(ApiResult),
    /// The gateway answered with a non-200 HTTP status.
    HttpStatus(u16),
    /// The request timed out.
    Timeout,
    /// The connection failed or dropped.
    Transport(String),
}

impl<T, C> Outcome<T, C> {
    /// `"success"`, `"failed"` or `"unknown"`.
    pub fn kind(&self) -> &'static str {
        match self {
            Outcome::Success(_) => "success",
            Outcome::Failed(_) => "failed",
            Outcome::Unknown(_) => "unknown",
        }
    }

    /// The action class of this outcome.
    pub fn action(&self) -> Action {
        match self {
            Outcome::Success(_) => Action::None,
            Outcome::Failed(f) => f.action,
            Outcome::Unknown(u) => u.action,
        }
    }
}
