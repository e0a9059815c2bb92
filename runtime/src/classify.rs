//! Status mapping: what one attempt's result means.
//!
//! A pure function of what was observed (transport failure, timeout, HTTP
//! status, `result`) and the endpoint's result-code table from the spec. The
//! runtime holds no code lists of its own.
//!
//! | observed | classification |
//! |---|---|
//! | timeout, connection failure/drop, non-200 HTTP | `Unknown` (`Retry`): the call may or may not have happened |
//! | `S` | `Success` |
//! | `F`, code in the spec as `F` | `Failed` with the spec's action |
//! | `F`, code unknown | `Failed` with `ContactSupport` |
//! | `U`, code in the spec as `U` | `Unknown` with the spec's action |
//! | `U` with an unknown code, or an unknown status | `Unknown` with `Inquire` |
//!
//! A transport failure is never a `Failed`: a payment that timed out may have
//! gone through.

use crate::protocol::{
    Action, ApiResult, EndpointDef, ResultStatus, SpecStatus, Unknown, UnknownReason,
};

/// What one attempt produced.
#[derive(Debug, Clone, PartialEq)]
pub enum Observed {
    /// The attempt timed out.
    Timeout,
    /// Connecting failed or the connection dropped (detail for logs).
    Transport(String),
    /// A non-200 HTTP status.
    HttpStatus(u16),
    /// A 200 response with this `result`.
    Result(ApiResult),
}

/// The classification of one attempt.
#[derive(Debug, Clone, PartialEq)]
pub enum Classification {
    /// `S`.
    Success,
    /// `F`: never retried.
    Failed {
        /// The `result` object.
        result: ApiResult,
        /// What to do.
        action: Action,
    },
    /// Not known: retry with the same request id or inquire.
    Unknown(Unknown),
}

impl Classification {
    /// Whether sending the same request again is right (an `Unknown` whose
    /// action is `retry`, `retryAfterBackoff` or `inquire`).
    pub fn is_retryable(&self) -> bool {
        matches!(self, Classification::Unknown(u) if u.action.is_retryable())
    }

    /// The action class.
    pub fn action(&self) -> Action {
        match self {
            Classification::Success => Action::None,
            Classification::Failed { action, .. } => *action,
            Classification::Unknown(u) => u.action,
        }
    }
}

/// Maps an observation to a classification using `endpoint.result_codes`.
pub fn classify(endpoint: &EndpointDef, observed: Observed) -> Classification {
    match observed {
        Observed::Timeout => unknown(UnknownReason::Timeout, Action::Retry),
        Observed::Transport(detail) => unknown(UnknownReason::Transport(detail), Action::Retry),
        Observed::HttpStatus(code) => unknown(UnknownReason::HttpStatus(code), Action::Retry),
        Observed::Result(result) => {
            let info = endpoint.code_info(&result.result_code);
            match result.result_status {
                ResultStatus::S => Classification::Success,
                ResultStatus::F => {
                    let action = info
                        .filter(|i| i.status == SpecStatus::F)
                        .map(|i| i.action)
                        .unwrap_or(Action::ContactSupport);
                    Classification::Failed { result, action }
                }
                ResultStatus::U => {
                    let action = info
                        .filter(|i| i.status == SpecStatus::U)
                        .map(|i| i.action)
                        .unwrap_or(Action::Inquire);
                    unknown(UnknownReason::Status(result), action)
                }
                ResultStatus::Other(_) => unknown(UnknownReason::Status(result), Action::Inquire),
            }
        }
    }
}

fn unknown(reason: UnknownReason, action: Action) -> Classification {
    Classification::Unknown(Unknown { reason, action })
}
