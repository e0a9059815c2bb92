//! The typed outcome of one API call and what it leaves of the request id.

use crate::{Action, ApiResult, EndpointDef, SpecStatus};

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

impl<T, C> Failure<T, C> {
    /// The same failure with the parsed response mapped by `f`.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Failure<U, C> {
        Failure {
            code: self.code,
            result: self.result,
            action: self.action,
            request_id: self.request_id,
            response: self.response.map(f),
        }
    }
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
    /// The same outcome with the response mapped by `f` (e.g. to JSON).
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Outcome<U, C> {
        match self {
            Outcome::Success(t) => Outcome::Success(f(t)),
            Outcome::Failed(failure) => Outcome::Failed(failure.map(f)),
            Outcome::Unknown(u) => Outcome::Unknown(u),
        }
    }

    /// The same outcome with a failure's result code mapped by `f` (e.g. a
    /// typed code to its wire string).
    pub fn map_code<D>(self, f: impl FnOnce(C) -> D) -> Outcome<T, D> {
        match self {
            Outcome::Success(t) => Outcome::Success(t),
            Outcome::Failed(failure) => Outcome::Failed(Failure {
                code: f(failure.code),
                result: failure.result,
                action: failure.action,
                request_id: failure.request_id,
                response: failure.response,
            }),
            Outcome::Unknown(u) => Outcome::Unknown(u),
        }
    }

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
