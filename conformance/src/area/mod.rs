//! The areas of the suite, one module each. An area's module builds its
//! cases from the spec tables (`cases`) and judges its kind of case against
//! the case's typed expectation (`judge`).
//!
//! - [`signature`]: signature vectors, signed calls, the response
//!   verification matrix, calls answered by unsigned, tampered or unbound
//!   responses;
//! - [`retry`]: scripted retry scenarios;
//! - [`status`]: every result code of every endpoint, unlisted codes,
//!   business statuses;
//! - [`notification`]: notification deliveries and redelivery;
//! - [`property`]: the properties over generated inputs (run by
//!   [`properties`](crate::properties)).
//!
//! The areas depend on the case data ([`case`](crate::case)) and the shared
//! judging, never on each other or on the runner, which schedules the cases
//! and hands each to its area's judge.

use std::sync::OnceLock;

use crate::crypto::TestKeys;
use crate::protocol::Implementation;
use crate::webhook::NotificationTarget;

pub mod notification;
pub mod property;
pub mod retry;
pub mod signature;
pub mod status;

/// The run as an area's judge sees it.
pub struct Context<'a> {
    /// The implementation under test.
    pub imp: &'a dyn Implementation,
    /// The test keys.
    pub keys: &'a TestKeys,
    /// The id of the case judged.
    pub case_id: &'a str,
    /// Whether the implementation classifies results (its `hello` offers
    /// `classify`).
    pub classifies: bool,
    /// Where notification cases are delivered.
    pub notifications: &'a NotificationTarget,
    /// The seed of the property area's generated inputs.
    pub seed: u64,
    /// Set by a signed call: whether the implementation sent the request
    /// through its own request type.
    pub typed: &'a OnceLock<bool>,
}
