//! The action classes: what a caller should do about a result.

use std::fmt;
use std::str::FromStr;

use serde::Deserialize;

use crate::UnknownValue;

/// What a caller should do about a result code: the spec's action classes
/// (see `spec/FORMAT.md`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub enum Action {
    /// Nothing to do (success).
    None,
    /// Retry with the same request id and identical body.
    Retry,
    /// Retry with the same request id after backing off (rate limit).
    RetryAfterBackoff,
    /// Pending: wait for the notification or inquire; may retry with the same request id.
    Inquire,
    /// The request id is spent: start again with a new one.
    NewRequestId,
    /// The request is wrong (parameters, keys, signature): fix it first.
    FixRequest,
    /// The buyer must act (other card, top up, complete KYC).
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
