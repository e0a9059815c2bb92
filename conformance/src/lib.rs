//! Conformance kit for Antom integrations.
//!
//! Place in the data path: spec → IR → codegen → generated → runtime →
//! **conformance**. The last step: it judges any implementation against the
//! spec's generated tables, with the runtime as its reference.
//!
//! The kit proves that an implementation (in any language) signs requests,
//! verifies responses and notifications, retries and maps result statuses the
//! way the Antom API requires. It runs a suite of [`cases`] against an
//! [`Implementation`](protocol::Implementation): in process (implement the
//! trait), out of process (an adapter speaking the JSON-lines protocol of
//! `PROTOCOL.md`, see [`adapter`]), and, for notifications, against a running
//! webhook ([`webhook`]).
//!
//! The modules depend on each other in one direction. At the bottom are the
//! vocabulary of the protocol ([`protocol`]), test keys and signatures
//! ([`crypto`]), the connection fault layer ([`fault`]), the scripted mock
//! gateway on wiremock behind it ([`gateway`]), what a judgement produces
//! ([`verdict`], [`level`]), the timing asked of implementations
//! ([`timing`]) and where notifications go ([`webhook`]). Over those, what
//! a case expects, typed ([`expect`]), and what a case is, as data
//! ([`case`], with the request rules of [`request_rules`]). Each area's
//! module under [`area`] builds that area's cases from the spec tables and
//! judges them, with judging shared by the areas and the property engine
//! ([`properties`]); [`cases`] concatenates the areas into the suite. The
//! [`runner`] schedules the cases and records the results, handing each to
//! its area's judge; [`report`] renders a run. The
//! [`reference`](mod@reference) implementation, the [`adapter`] protocol and
//! the [`wiremock`] and [`mock_gateway`] building blocks sit beside the
//! runner, on the same lower modules.
//!
//! ```no_run
//! # async fn demo() {
//! use std::sync::Arc;
//! use antom_conformance::{cases, reference::ReferenceImplementation, runner};
//! let cases = cases::all_cases(&antom_conformance::reference::spec_tables());
//! let report = runner::run_suite(Arc::new(ReferenceImplementation::new()), cases, Default::default()).await;
//! assert!(report.success());
//! # }
//! ```

#![warn(missing_docs)]

pub mod adapter;
pub mod area;
pub mod case;
pub mod cases;
pub mod crypto;
pub mod expect;
pub mod fault;
pub mod gateway;
mod judge;
pub mod level;
pub mod mock_gateway;
pub mod properties;
pub mod protocol;
pub mod reference;
pub mod report;
pub mod request_rules;
pub mod runner;
pub mod timing;
pub mod verdict;
pub mod webhook;
pub mod wiremock;
