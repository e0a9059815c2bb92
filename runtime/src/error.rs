//! The runtime's error type.
//!
//! Transport failures (timeouts, connection errors, non-200 statuses) are not
//! errors: they become [`Outcome::Unknown`](crate::Outcome::Unknown) after
//! retries, because the call may have gone through.

use crate::client::Response;
use crate::signing::{CryptoError, KeyError};
use crate::verify::SecurityError;

/// Longest value received from outside (a header, an echoed id, a time)
/// that an error echoes, in characters.
pub(crate) const MAX_ECHO: usize = 64;

/// `value` cut to [`MAX_ECHO`] characters, for an error message.
pub(crate) fn shown(value: &str) -> String {
    value.chars().take(MAX_ECHO).collect()
}

/// Everything that stops a call (or a client) with certainty.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The client configuration is invalid.
    #[error("invalid client configuration: {0}")]
    Config(String),
    /// A key could not be loaded.
    #[error(transparent)]
    Key(#[from] KeyError),
    /// The HTTP client could not be built.
    #[error("cannot build the HTTP client: {0}")]
    HttpClient(String),
    /// Signing failed.
    #[error(transparent)]
    Signing(#[from] CryptoError),
    /// The response failed the verification policy (bad or missing signature).
    /// Never retried: a forged or tampered response must not be acted on.
    #[error("{endpoint}: attempt {attempt}: {source}")]
    Security {
        /// The endpoint name.
        endpoint: &'static str,
        /// The attempt (1-based) that got the response.
        attempt: u32,
        /// What was wrong.
        #[source]
        source: SecurityError,
    },
    /// The request breaks a constraint of the spec (e.g. a length limit);
    /// nothing was sent. The source is the generated crate's validation error
    /// (downcast it to read the violations).
    #[error("{endpoint}: invalid request: {source}")]
    InvalidRequest {
        /// The endpoint name.
        endpoint: &'static str,
        /// What is wrong.
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    /// The request could not be serialized.
    #[error("{endpoint}: cannot serialize the request: {source}")]
    Serialize {
        /// The endpoint name.
        endpoint: &'static str,
        /// The serde error.
        #[source]
        source: serde_json::Error,
    },
    /// A verified 200 response is not JSON or has no `result`.
    #[error("{endpoint}: invalid response: {reason}")]
    InvalidResponse {
        /// The endpoint name.
        endpoint: &'static str,
        /// What is wrong.
        reason: String,
    },
    /// The call **succeeded** (a verified `S`), but the body does not match
    /// the typed response. The success is not lost: `response` holds it as
    /// JSON, with the raw body, the attempts and the request id. Never pay
    /// again on this error; see [`Error::verified_success`].
    #[error("{endpoint}: the call succeeded (verified resultStatus S), but the response does not match the typed model: {source}; the verified success is in this error, do not send the request again")]
    UnparsedSuccess {
        /// The endpoint name.
        endpoint: &'static str,
        /// The verified success, untyped.
        response: Box<Response<serde_json::Value, String>>,
        /// Why the typed parse failed.
        #[source]
        source: serde_json::Error,
    },
}

impl Error {
    /// Whether this is a response-verification failure.
    pub fn is_security(&self) -> bool {
        matches!(self, Error::Security { .. })
    }

    /// The verified success carried by [`Error::UnparsedSuccess`]: the call
    /// went through even though its body did not match the typed model.
    pub fn verified_success(&self) -> Option<&Response<serde_json::Value, String>> {
        match self {
            Error::UnparsedSuccess { response, .. } => Some(response),
            _ => None,
        }
    }
}
