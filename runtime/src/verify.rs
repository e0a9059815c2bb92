//! Response verification with the hardened policy.
//!
//! Run on the raw body bytes before anything is parsed:
//!
//! | `signature` | `response-time` | rule |
//! |---|---|---|
//! | present | present | must verify, whatever the body says |
//! | absent | absent | accepted only when `result.resultStatus` is `F` or `U` (gateway error replies are unsigned) |
//! | one of them | | rejected |
//!
//! An unsigned `S` is rejected: accepting it would let anyone on the path
//! forge a success. Empty header values count as absent, and so does a
//! `signature` header whose `signature=` value is empty
//! (`algorithm=RSA256,keyVersion=1,signature=`): such a response is judged
//! by the unsigned rule, so an unsigned `U` stays an unknown to inquire.
//!
//! The verified content is `POST <called path>\n<client id>.<response-time>.<raw body>`,
//! with the path that was actually called (the sandbox path in sandbox) and
//! the **request's** client id. (The Java and PHP SDKs do the same; the Python
//! and Go SDKs use the response's `client-id` header instead. Both are the
//! same value for genuine responses.)

use serde::Deserialize;

use crate::protocol::{ApiResult, ResultStatus};
use crate::signing::{self, Backend, PublicKey, SignInput, VerifyError};

/// A response failed the verification policy. Never retried.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SecurityError {
    /// Signed, but the signature is malformed or does not match.
    #[error("response signature invalid: {0}")]
    BadSignature(#[from] VerifyError),
    /// `signature` present without `response-time`, or the reverse.
    #[error("response has a `{present}` header but no `{missing}` header; refusing a half-signed response")]
    HalfSigned {
        /// The header that is present.
        present: &'static str,
        /// The header that is missing.
        missing: &'static str,
    },
    /// Unsigned response whose `result.resultStatus` is `S` (or unknown).
    #[error(
        "unsigned response with resultStatus `{status}`; only F and U responses may be unsigned"
    )]
    UnsignedSuccess {
        /// The status the unsigned response claimed.
        status: String,
    },
    /// Unsigned response whose body has no readable `result.resultStatus`.
    #[error("unsigned response without a readable result.resultStatus; refusing it")]
    UnsignedWithoutResult,
}

/// How a response passed the policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verification {
    /// The signature verified.
    Signed,
    /// Unsigned, accepted because its status is `F` or `U`.
    UnsignedAccepted,
}

/// The signature-related headers of a response.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ResponseHeaders<'a> {
    /// `signature` header value.
    pub signature: Option<&'a str>,
    /// `response-time` header value.
    pub response_time: Option<&'a str>,
}

/// What was called: method, path and client id.
#[derive(Debug, Clone, Copy)]
pub struct CalledEndpoint<'a> {
    /// HTTP method (`POST`).
    pub method: &'a str,
    /// The path actually called (sandbox path in sandbox).
    pub path: &'a str,
    /// The client id the request was sent with.
    pub client_id: &'a str,
}

/// Reads `result` out of a JSON body, ignoring every other field.
/// `Err` when the body is not JSON or not an object; `Ok(None)` when it has
/// no (well-formed) `result`.
pub fn peek_result(body: &[u8]) -> Result<Option<ApiResult>, serde_json::Error> {
    #[derive(Deserialize)]
    struct Loose {
        result: Option<serde_json::Value>,
    }
    let loose: Loose = serde_json::from_slice(body)?;
    Ok(loose
        .result
        .and_then(|v| serde_json::from_value::<ApiResult>(v).ok()))
}

/// Applies the response verification policy to a raw response.
pub fn verify_response(
    backend: Backend,
    antom_public_key: &PublicKey,
    called: &CalledEndpoint<'_>,
    headers: ResponseHeaders<'_>,
    body: &[u8],
) -> Result<Verification, SecurityError> {
    fn non_empty(v: Option<&str>) -> Option<&str> {
        v.map(str::trim).filter(|s| !s.is_empty())
    }
    let signature =
        non_empty(headers.signature).filter(|h| !signing::SignatureHeader::has_empty_signature(h));
    match (signature, non_empty(headers.response_time)) {
        (Some(sig), Some(time)) => {
            let input = SignInput {
                method: called.method,
                path: called.path,
                client_id: called.client_id,
                time,
                body,
            };
            signing::verify_with(backend, antom_public_key, &input, sig)?;
            Ok(Verification::Signed)
        }
        (Some(_), None) => Err(SecurityError::HalfSigned {
            present: "signature",
            missing: "response-time",
        }),
        (None, Some(_)) => Err(SecurityError::HalfSigned {
            present: "response-time",
            missing: "signature",
        }),
        (None, None) => match peek_result(body) {
            Ok(Some(r)) => match r.result_status {
                ResultStatus::F | ResultStatus::U => Ok(Verification::UnsignedAccepted),
                other => Err(SecurityError::UnsignedSuccess {
                    status: other.as_str().chars().take(16).collect(),
                }),
            },
            _ => Err(SecurityError::UnsignedWithoutResult),
        },
    }
}
