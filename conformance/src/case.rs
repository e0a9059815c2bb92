//! What a case is, as data: its area, level and kind, the typed
//! expectation each kind carries, and the spec tables cases are derived
//! from.
//!
//! Each area's kind ([`SignatureKind`], [`RetryScenario`], [`StatusKind`],
//! [`NotificationKind`], [`PropertyCheck`]) is built and judged by that
//! area's module under [`area`](crate::area); the suite is assembled in
//! [`cases`](crate::cases).

use std::fmt;
use std::str::FromStr;

use antom_runtime::schema::Schemas;
use antom_runtime::{EndpointDef, SandboxRule};
use serde::Serialize;

use crate::expect::{Expected, ExpectedClass, RetryExpect};
use crate::gateway::{Reply, Step};
use crate::level::Level;
use crate::protocol::Capability;
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

/// What a case does, by the area that judges it.
#[derive(Debug, Clone)]
pub enum CaseKind {
    /// Request signing and response verification.
    Signature(SignatureKind),
    /// A scripted retry scenario.
    Retry(RetryScenario),
    /// Result-code and business-status mapping.
    Status(StatusKind),
    /// Notification verification and acknowledgement.
    Notification(NotificationKind),
    /// A property over generated inputs.
    Property(PropertyCheck),
}

impl CaseKind {
    /// The area whose module judges this kind.
    pub fn area(&self) -> Area {
        match self {
            CaseKind::Signature(_) => Area::Signature,
            CaseKind::Retry(_) => Area::Retry,
            CaseKind::Status(_) => Area::Status,
            CaseKind::Notification(_) => Area::Notification,
            CaseKind::Property(_) => Area::Property,
        }
    }
}

/// What a signature case does.
#[derive(Debug, Clone)]
pub enum SignatureKind {
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
    /// `call` against a gateway answering a crafted response (one attempt):
    /// outcome and action class must match.
    CallClass {
        /// The endpoint.
        endpoint: &'static EndpointDef,
        /// The response.
        reply: Reply,
        /// Expected classification.
        expect: ExpectedClass,
    },
}

/// A scripted retry scenario.
#[derive(Debug, Clone)]
pub struct RetryScenario {
    /// The endpoint.
    pub endpoint: &'static EndpointDef,
    /// Gateway script.
    pub script: Vec<Step>,
    /// Attempts allowed by the policy.
    pub max_attempts: u32,
    /// Timeout of one attempt, in milliseconds.
    pub attempt_timeout_ms: u64,
    /// What must happen.
    pub expect: RetryExpect,
}

/// What a status case does.
#[derive(Debug, Clone)]
pub enum StatusKind {
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
    Call {
        /// The endpoint.
        endpoint: &'static EndpointDef,
        /// The response.
        reply: Reply,
        /// Expected classification.
        expect: ExpectedClass,
    },
}

/// What a notification case does.
#[derive(Debug, Clone)]
pub enum NotificationKind {
    /// One notification delivery.
    Delivery {
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
}

/// A property over generated inputs.
#[derive(Debug, Clone)]
pub struct PropertyCheck {
    /// Which property.
    pub property: Property,
    /// Inputs to draw.
    pub cases: u32,
    /// The spec's endpoints (classify inputs).
    pub endpoints: &'static [&'static EndpointDef],
    /// The endpoint retry inputs call.
    pub retry_endpoint: &'static EndpointDef,
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
            CaseKind::Signature(kind) => match kind {
                SignatureKind::SignVector { .. } => vec![C::Sign],
                SignatureKind::SignedCall { .. } | SignatureKind::CallVerdict { .. } => {
                    vec![C::Call]
                }
                SignatureKind::VerifyResponse { .. } => vec![C::VerifyResponse],
                SignatureKind::CallClass { .. } => vec![C::Call, C::Classify],
            },
            CaseKind::Retry(_) => vec![C::Call, C::Retries],
            CaseKind::Status(StatusKind::Classify { .. }) => vec![C::Classify],
            CaseKind::Status(StatusKind::Call { .. }) => vec![C::Call, C::Classify],
            CaseKind::Notification(_) if webhook => vec![],
            CaseKind::Notification(_) => vec![C::VerifyNotification],
            CaseKind::Property(check) => match check.property {
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

    /// The endpoint the scenario cases use: `inquiryPayment` when the spec
    /// has it, else the first endpoint with an idempotency key, else the
    /// first.
    pub fn scenario_endpoint(&self) -> Option<&'static EndpointDef> {
        self.endpoint("inquiryPayment")
            .or_else(|| self.first_idempotent())
            .or_else(|| self.endpoints.first().copied())
    }

    /// The endpoint the retry cases call: `pay` when the spec has it, else
    /// the first endpoint with an idempotency key, else the first.
    pub fn idempotent_endpoint(&self) -> Option<&'static EndpointDef> {
        self.endpoint("pay")
            .or_else(|| self.first_idempotent())
            .or_else(|| self.endpoints.first().copied())
    }

    fn first_idempotent(&self) -> Option<&'static EndpointDef> {
        self.endpoints
            .iter()
            .copied()
            .find(|e| e.idempotency_key.is_some())
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
/// The request id of the single-reply call cases.
pub const VERDICT_REQUEST_ID: &str = "conformance-verdict";

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
