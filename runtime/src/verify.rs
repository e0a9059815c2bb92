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
//! A response that verifies is then bound to the request it answers by
//! [`check_binding`]: its `client-id`, the request identifiers the spec says
//! it echoes, and (when signed) its `response-time`.
//!
//! The verified content is `POST <called path>\n<client id>.<response-time>.<raw body>`,
//! with the path that was actually called (the sandbox path in sandbox) and
//! the **request's** client id. (The Java and PHP SDKs do the same; the Python
//! and Go SDKs use the response's `client-id` header instead. Both are the
//! same value for genuine responses.)

use std::time::{Duration, SystemTime};

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
    /// The response's `client-id` header names another merchant.
    #[error("response is for client id `{received}`, but the request was sent as `{sent}`; refusing a response to another merchant's request")]
    ClientIdMismatch {
        /// The client id the request was sent with.
        sent: String,
        /// The response's `client-id` header (cut to 64 characters).
        received: String,
    },
    /// A request identifier the response echoes differs from the one sent:
    /// the response answers another request (replayed, cached or misrouted).
    #[error("response echoes `{field}` = {received}, but the request sent {sent}; refusing a response to another request (replayed or misrouted)")]
    EchoMismatch {
        /// The echoed field (from the spec's `echoes`).
        field: &'static str,
        /// The value sent, as JSON.
        sent: String,
        /// The value echoed, as JSON (cut to 64 characters).
        received: String,
    },
    /// A signed response whose `response-time` is not a time.
    #[error("signed response-time: {0}; refusing a response whose age cannot be judged")]
    UnreadableResponseTime(#[from] crate::timestamp::TimestampError),
    /// A signed response whose `response-time` lies too far from the request.
    #[error("response-time `{response_time}` is {}s outside the request's window (tolerance {}s); refusing a stale or replayed response", .off_by.as_secs(), .tolerance.as_secs())]
    ResponseTimeSkew {
        /// The `response-time` header.
        response_time: String,
        /// How far outside the window it lies.
        off_by: std::time::Duration,
        /// The configured tolerance.
        tolerance: std::time::Duration,
    },
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

/// Default tolerance between a request and the `response-time` of its answer.
///
/// Generous, so a host clock that is a little off never loses a genuine
/// answer; tight enough that a response captured yesterday is refused.
pub const DEFAULT_RESPONSE_TIME_TOLERANCE: Duration = Duration::from_secs(5 * 60);

/// What ties a response to the request it answers.
#[derive(Debug, Clone)]
pub struct Binding<'a> {
    /// The client id the request was sent with.
    pub client_id: &'a str,
    /// The request's echoed identifiers, from [`echoed_values`].
    pub echoes: &'a [(&'static str, serde_json::Value)],
    /// When the request was signed (its `Request-Time`).
    pub sent_at: SystemTime,
    /// When the response was read.
    pub received_at: SystemTime,
    /// How far a signed `response-time` may lie outside
    /// `[sent_at, received_at]`; `None` skips the time check.
    pub response_time_tolerance: Option<Duration>,
}

/// The values of `fields` at the top level of a JSON request body (fields
/// that are absent or `null` are left out: nothing to compare).
pub fn echoed_values(
    request_body: &[u8],
    fields: &[&'static str],
) -> Vec<(&'static str, serde_json::Value)> {
    if fields.is_empty() {
        return Vec::new();
    }
    let Ok(serde_json::Value::Object(map)) = serde_json::from_slice(request_body) else {
        return Vec::new();
    };
    fields
        .iter()
        .filter_map(|f| match map.get(*f) {
            None | Some(serde_json::Value::Null) => None,
            Some(v) => Some((*f, v.clone())),
        })
        .collect()
}

/// Checks that a response that passed [`verify_response`] answers the
/// request described by `binding`:
///
/// - a `client-id` header, when present, equals the request's client id;
/// - every echoed identifier the response carries equals the one sent (an
///   identifier the response leaves out is not compared: gateway error
///   replies echo nothing);
/// - a signed response's `response-time` parses and lies within the
///   tolerance of the request.
///
/// Any mismatch is a [`SecurityError`], never a success.
pub fn check_binding(
    binding: &Binding<'_>,
    verification: Verification,
    headers: ResponseHeaders<'_>,
    response_client_id: Option<&str>,
    body: &[u8],
) -> Result<(), SecurityError> {
    if let Some(received) = response_client_id.map(str::trim).filter(|s| !s.is_empty()) {
        if received != binding.client_id {
            return Err(SecurityError::ClientIdMismatch {
                sent: binding.client_id.to_owned(),
                received: crate::error::shown(received),
            });
        }
    }
    if !binding.echoes.is_empty() {
        if let Ok(serde_json::Value::Object(map)) = serde_json::from_slice(body) {
            for (field, sent) in binding.echoes {
                match map.get(*field) {
                    None | Some(serde_json::Value::Null) => {}
                    Some(received) if received == sent => {}
                    Some(received) => {
                        return Err(SecurityError::EchoMismatch {
                            field,
                            sent: sent.to_string(),
                            received: crate::error::shown(&received.to_string()),
                        })
                    }
                }
            }
        }
    }
    if let (Verification::Signed, Some(tolerance)) = (verification, binding.response_time_tolerance)
    {
        use crate::timestamp::{check_fresh, NotFresh};
        let raw = headers.response_time.unwrap_or_default().trim();
        check_fresh(raw, binding.sent_at, binding.received_at, tolerance).map_err(|e| match e {
            NotFresh::Unreadable(e) => SecurityError::UnreadableResponseTime(e),
            NotFresh::Outside { value, off_by } => SecurityError::ResponseTimeSkew {
                response_time: value,
                off_by,
                tolerance,
            },
        })?;
    }
    Ok(())
}
