//! What a business status value (`paymentStatus`, `refundStatus`, ...)
//! means: the spec's `outcome` of each enum value.

use serde::Deserialize;

/// The meaning of a business status value (`paymentStatus`, `refundStatus`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub enum BusinessOutcome {
    /// Final success.
    Success,
    /// Final failure (includes cancelled).
    Failed,
    /// Not final yet: keep polling or wait for the notification.
    Pending,
}

impl BusinessOutcome {
    /// The spec spelling (`success`, `failed`, `pending`).
    pub fn as_str(self) -> &'static str {
        match self {
            BusinessOutcome::Success => "success",
            BusinessOutcome::Failed => "failed",
            BusinessOutcome::Pending => "pending",
        }
    }
}

impl std::fmt::Display for BusinessOutcome {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Implemented by generated inquiry responses whose spec names a business
/// status field.
pub trait BusinessStatus {
    /// The outcome of the business status, `None` when absent or unknown.
    fn business_outcome(&self) -> Option<BusinessOutcome>;
}
