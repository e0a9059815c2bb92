//! What a case expects, as types: the outcome a call must (not) have, the
//! class (outcome, action, business outcomes) a result must map to, and what
//! a retry scenario must produce.
//!
//! Expectations are derived from the spec's tables ([`ExpectedClass::of_code`])
//! and read in the protocol's vocabulary: [`OutcomeKind`], [`Action`],
//! [`BusinessOutcome`]. An implementation's answers stay wire strings until
//! they are judged here ([`ReportedOutcome`]).

use std::fmt;
use std::time::Duration;

use antom_runtime::{Action, BusinessOutcome, SpecStatus};

use crate::protocol::{OutcomeKind, ReportedOutcome};

/// The outcome a call must have.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Expected {
    /// `success`.
    Success,
    /// `failed`.
    Failed,
    /// `unknown`.
    Unknown,
    /// Anything but success (`!success`): the response must be rejected or
    /// not taken as a success.
    NotSuccess,
}

impl Expected {
    /// Whether an implementation's `outcome` meets this expectation. Without
    /// the `classify` capability an implementation says only `accepted`
    /// (verified, unclassified) where a classifying one says `success` or
    /// `failed`, and `accepted` never meets [`Expected::NotSuccess`].
    pub fn met_by(self, outcome: ReportedOutcome, classifies: bool) -> bool {
        let accepted = !classifies && outcome == ReportedOutcome::Accepted;
        match self {
            Expected::NotSuccess => !matches!(
                outcome,
                ReportedOutcome::Classified(OutcomeKind::Success) | ReportedOutcome::Accepted
            ),
            Expected::Success => outcome == OutcomeKind::Success.into() || accepted,
            Expected::Failed => outcome == OutcomeKind::Failed.into() || accepted,
            Expected::Unknown => outcome == OutcomeKind::Unknown.into(),
        }
    }
}

impl From<OutcomeKind> for Expected {
    fn from(kind: OutcomeKind) -> Self {
        match kind {
            OutcomeKind::Success => Expected::Success,
            OutcomeKind::Failed => Expected::Failed,
            OutcomeKind::Unknown => Expected::Unknown,
        }
    }
}

impl From<OutcomeKind> for ReportedOutcome {
    fn from(kind: OutcomeKind) -> Self {
        ReportedOutcome::Classified(kind)
    }
}

impl fmt::Display for Expected {
    /// `success`, `failed`, `unknown` or `!success`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Expected::Success => OutcomeKind::Success.fmt(f),
            Expected::Failed => OutcomeKind::Failed.fmt(f),
            Expected::Unknown => OutcomeKind::Unknown.fmt(f),
            Expected::NotSuccess => write!(f, "!{}", OutcomeKind::Success),
        }
    }
}

/// The classification a case expects.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExpectedClass {
    /// The outcome.
    pub outcome: OutcomeKind,
    /// Acceptable action classes.
    pub actions: Vec<Action>,
    /// Expected business outcome, if any.
    pub business: Option<BusinessOutcome>,
    /// Expected outcome of each `transactions[]` entry, in order.
    pub transactions: Vec<BusinessOutcome>,
}

impl ExpectedClass {
    /// A result with `outcome`, one of `actions`, and no business outcome.
    pub fn new(outcome: OutcomeKind, actions: Vec<Action>) -> Self {
        ExpectedClass {
            outcome,
            actions,
            business: None,
            transactions: vec![],
        }
    }

    /// The class of a code the spec lists with `status` and `action`: an S
    /// is a success with nothing to do; an F or a U has the code's action.
    pub fn of_code(status: SpecStatus, action: Action) -> Self {
        let action = match status {
            SpecStatus::S => Action::None,
            SpecStatus::F | SpecStatus::U => action,
        };
        ExpectedClass::new(OutcomeKind::of_status(status), vec![action])
    }

    /// The class of a code the spec does not list, under `status`: an S is a
    /// success, an F asks for support, and a U (or a status that is not
    /// one) is unknown with any retrying action.
    pub fn of_unlisted(status: Option<SpecStatus>) -> Self {
        match status {
            Some(SpecStatus::S) => ExpectedClass::of_code(SpecStatus::S, Action::None),
            Some(SpecStatus::F) => ExpectedClass::of_code(SpecStatus::F, Action::ContactSupport),
            Some(SpecStatus::U) | None => ExpectedClass::new(
                OutcomeKind::Unknown,
                vec![Action::Retry, Action::RetryAfterBackoff, Action::Inquire],
            ),
        }
    }

    /// A success (action `none`) whose business status means `business`.
    pub fn business(business: Option<BusinessOutcome>) -> Self {
        ExpectedClass {
            business,
            ..ExpectedClass::of_code(SpecStatus::S, Action::None)
        }
    }

    /// The expected business outcome as its wire string.
    pub fn business_str(&self) -> Option<&'static str> {
        self.business.map(BusinessOutcome::as_str)
    }

    /// The expected transaction outcomes as their wire strings.
    pub fn transaction_strs(&self) -> Vec<&'static str> {
        self.transactions.iter().map(|t| t.as_str()).collect()
    }
}

impl fmt::Display for ExpectedClass {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let actions: Vec<&str> = self.actions.iter().map(|a| a.as_str()).collect();
        write!(f, "outcome={} action={}", self.outcome, actions.join("|"))?;
        if let Some(b) = self.business {
            write!(f, " business={b}")?;
        }
        if !self.transactions.is_empty() {
            write!(f, " transactions={}", self.transaction_strs().join(","))?;
        }
        Ok(())
    }
}

/// What the retry scenario must produce.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryExpect {
    /// Exact number of requests the gateway must see.
    pub attempts: usize,
    /// Final outcome.
    pub outcome: OutcomeKind,
    /// Minimum gap between attempts (back-off), if checked.
    pub min_gap: Option<Duration>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn meets(expected: Expected, outcome: &str, classifies: bool) -> bool {
        expected.met_by(ReportedOutcome::from(outcome), classifies)
    }

    #[test]
    fn accepted_meets_success_and_failure_only_without_classify() {
        assert!(meets(Expected::Success, "success", true));
        assert!(meets(Expected::Success, "accepted", false));
        assert!(!meets(Expected::Success, "accepted", true));
        assert!(meets(Expected::Failed, "accepted", false));
        assert!(!meets(Expected::Unknown, "accepted", false));
        assert!(!meets(Expected::Success, "failed", false));
    }

    #[test]
    fn not_success_is_anything_but_success_or_accepted() {
        for outcome in ["failed", "unknown", "rejected", "nonsense"] {
            assert!(meets(Expected::NotSuccess, outcome, true), "{outcome}");
        }
        assert!(!meets(Expected::NotSuccess, "success", true));
        assert!(!meets(Expected::NotSuccess, "accepted", false));
    }

    #[test]
    fn renders_as_the_report_spells_it() {
        assert_eq!(Expected::NotSuccess.to_string(), "!success");
        assert_eq!(Expected::Failed.to_string(), "failed");
        let class = ExpectedClass {
            transactions: vec![BusinessOutcome::Success, BusinessOutcome::Pending],
            ..ExpectedClass::business(Some(BusinessOutcome::Success))
        };
        assert_eq!(
            class.to_string(),
            "outcome=success action=none business=success transactions=success,pending"
        );
    }
}
