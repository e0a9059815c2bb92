//! What judging a case produces: the stage where an implementation differs
//! from what is expected, and the verdict.

use std::fmt;

use serde::Serialize;

use crate::protocol::Capability;

/// Where a failing case differs from what is expected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Stage {
    /// The bytes that were signed are not the bytes that were sent.
    ContentToSign,
    /// The signature itself is wrong.
    Signature,
    /// A header is missing or malformed.
    Header,
    /// The request went to the wrong path.
    Path,
    /// The body sent is not the request given.
    Body,
    /// The body sent breaks the spec's request model (required fields,
    /// types, lengths, enum values).
    Schema,
    /// A response or notification was accepted/rejected wrongly.
    Verdict,
    /// The outcome (`success`/`failed`/`unknown`) is wrong.
    Outcome,
    /// The action class is wrong.
    Action,
    /// The business outcome of an inquiry is wrong.
    Business,
    /// The number of attempts is wrong.
    Attempts,
    /// Retries changed the request id or body.
    Idempotency,
    /// Back-off or the overall time bound was not respected.
    Backoff,
    /// The notification reply is not the acknowledgement (or is when it must not be).
    Acknowledgement,
    /// A notification was processed more or less than once.
    Processing,
    /// The implementation failed to run the operation.
    Implementation,
}

impl Stage {
    /// Kebab-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Stage::ContentToSign => "content-to-sign",
            Stage::Signature => "signature",
            Stage::Header => "header",
            Stage::Path => "path",
            Stage::Body => "body",
            Stage::Schema => "schema",
            Stage::Verdict => "verdict",
            Stage::Outcome => "outcome",
            Stage::Action => "action",
            Stage::Business => "business",
            Stage::Attempts => "attempts",
            Stage::Idempotency => "idempotency",
            Stage::Backoff => "backoff",
            Stage::Acknowledgement => "acknowledgement",
            Stage::Processing => "processing",
            Stage::Implementation => "implementation",
        }
    }
}

impl fmt::Display for Stage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A failed check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Mismatch {
    /// Where it differs.
    pub stage: Stage,
    /// What was expected.
    pub expected: String,
    /// What happened.
    pub actual: String,
}

impl Mismatch {
    pub(crate) fn new(
        stage: Stage,
        expected: impl Into<String>,
        actual: impl Into<String>,
    ) -> Self {
        Mismatch {
            stage,
            expected: expected.into(),
            actual: actual.into(),
        }
    }
}

/// The raw verdict of one case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "verdict", rename_all = "lowercase")]
pub enum Verdict {
    /// All checks passed.
    Pass,
    /// A check failed.
    Fail(Mismatch),
    /// The implementation does not support the operation.
    Skip {
        /// Why.
        reason: String,
    },
    /// The implementation does not offer what the case judges (declared in
    /// its `hello`): the case never ran.
    NotOffered {
        /// The capability it lacks.
        capability: Capability,
    },
}
