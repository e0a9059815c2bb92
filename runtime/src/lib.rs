//! The runtime of the generated Antom client: signing, verification,
//! transport, retries, status mapping, notifications.
//!
//! Place in the data path: spec → IR → codegen → generated → **runtime** →
//! conformance. The generated crate calls it with the spec's tables; the
//! conformance kit uses it as the reference implementation.
//!
//! - [`signing`]: the content to sign, RSA signing and verification with
//!   three backends (`ring`, the default; `rsa`, pure Rust, always built;
//!   `aws-lc`, feature `aws-lc`), the `Signature` header, key loading, every
//!   stage inspectable, and signature forensics.
//! - [`verify`]: the response verification policy and the binding of a
//!   response to its request; [`timestamp`]: Antom's time formats.
//! - [`notification`]: webhook verification, acknowledgement, deduplication.
//! - [`classify`]: status mapping from the spec's result-code tables.
//! - [`Client`]: transport with retries; [`poll`]: polling inquiries.
//! - [`protocol`]: the wire vocabulary (`antom-protocol`), re-exported so
//!   generated code needs this crate only.
#![warn(missing_docs)]

mod call;
pub mod classify;
mod client;
mod error;
pub mod notification;
pub mod poll;
pub mod request_id;
pub mod retry;
pub mod schema;
pub mod signing;
pub mod timestamp;
pub mod verify;

pub use antom_protocol as protocol;
#[doc(hidden)]
pub use antom_protocol::__private;
pub use antom_protocol::{
    Action, ApiResult, BusinessOutcome, BusinessStatus, BusinessStatusDef, CodeInfo, EndpointDef,
    Failure, Outcome, RequestIdState, ResultStatus, SandboxRule, SpecStatus, Unknown,
    UnknownReason, UnknownValue, UnknownVariant, Validate, ValidationError, Violation,
};
pub use call::Call;
pub use client::{
    Client, ClientConfig, ClientConfigBuilder, Response, CONTENT_TYPE_JSON, DEFAULT_SANDBOX_RULE,
    DEFAULT_USER_AGENT, INLINE_CRYPTO_MAX_BITS, MAX_CALL_RESPONSE_BYTES, MAX_RESPONSE_BYTES,
};
pub use error::Error;
pub use poll::{poll_until_final, PollConfig, PollStop, Polled};
pub use retry::RetryPolicy;
pub use signing::{Backend, KeyError, PrivateKey, PublicKey, SignatureHeader};
pub use verify::{SecurityError, Verification};
