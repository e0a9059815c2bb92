//! The wire vocabulary of Antom's API, declared once.
//!
//! Place in the data path: spec → IR → codegen → generated → runtime →
//! conformance. This leaf crate sits under all of them: the spec crate's IR
//! uses its closed vocabularies ([`Action`], [`SpecStatus`],
//! [`BusinessOutcome`]), the generated crate fills its descriptors
//! ([`EndpointDef`], [`CodeInfo`], [`SandboxRule`]) from the spec, the runtime
//! returns its [`Outcome`], and the conformance kit judges in its terms.
//!
//! - [`status`]: `result.resultStatus` on the wire ([`ResultStatus`]) and in
//!   the spec ([`SpecStatus`]), and the `result` envelope ([`ApiResult`]);
//! - [`action`]: what a caller should do about a result ([`Action`]);
//! - [`endpoint`]: the per-endpoint descriptors and the sandbox path rule;
//! - [`business`]: what a business status value means;
//! - [`outcome`]: the typed outcome of a call and what it leaves of the
//!   request id;
//! - [`unknown`]: the opaque value of an enum's unknown variant;
//! - [`validation`]: length-limit violations found before sending;
//! - [`tables`]: the spec-wide constants (acknowledgement, resend schedule,
//!   sandbox rule, notification identifiers), generated from `spec/antom` by
//!   `cargo xtask gen` and never written by hand.
#![warn(missing_docs)]

pub mod action;
pub mod business;
pub mod endpoint;
pub mod outcome;
pub mod status;
pub mod tables;
pub mod unknown;
pub mod validation;

#[doc(hidden)]
#[path = "private.rs"]
pub mod __private;

pub use action::Action;
pub use business::{BusinessOutcome, BusinessStatus};
pub use endpoint::{BusinessStatusDef, CodeInfo, EndpointDef, SandboxRule};
pub use outcome::{Failure, Outcome, RequestIdState, Unknown, UnknownReason};
pub use status::{ApiResult, ResultStatus, SpecStatus, UnknownValue};
pub use unknown::UnknownVariant;
pub use validation::{Validate, ValidationError, Violation};
