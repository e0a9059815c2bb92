//! The classification rules: how much each [`Difference`] matters.
//!
//! The spec view follows the rule `buf breaking` and `oasdiff` apply: what
//! the client sends (requests) breaks when it gets stricter, what it receives
//! (responses, notification payloads) breaks when it gets looser, and a
//! model on both sides breaks either way. On top of that:
//!
//! - removals are wire-breaking (a field, an enum value, an endpoint, a
//!   notification, a result code, a host), except of models and enums, whose
//!   names exist only in Rust (their uses are reported where they changed);
//! - what tells a client what to do is wire-breaking when it changes: a
//!   path, an idempotency key, a result code's status or action (catalogue or
//!   per endpoint), a business-status mapping, the dedup keys, the sandbox
//!   rule, the idempotency rule, the acknowledgement;
//! - enums are forward compatible (`Unknown`), so a new value is additive on
//!   either side;
//! - renames of models, enums, endpoints and notifications, and endpoint
//!   families, are API-breaking only (not on the wire);
//! - texts (docs, messages, suggestions, notes, sources, uncertainty) and the
//!   order of fields, values and unordered lists are documentation.
//!
//! In the Rust view every removal, rename or signature change is
//! API-breaking and every addition additive.

use super::change::{Aspect, ChangeKind, Class, Difference, Direction, Kind, MemberKind, View};

/// The class of `d`.
pub fn classify(d: &Difference) -> Class {
    match d.view() {
        View::Rust => match d.change {
            ChangeKind::Added => Class::Additive,
            ChangeKind::Removed | ChangeKind::Renamed | ChangeKind::Changed => Class::ApiBreaking,
        },
        View::Spec => spec(d),
    }
}

/// A constraint on what the client sends (`request`) breaks when it gets
/// stricter; on what it receives (`response`), when it gets looser.
fn constraint(d: &Difference, request: bool, response: bool) -> Class {
    let breaks = match d.direction.unwrap_or(Direction::Replaced) {
        Direction::Replaced => true,
        Direction::Stricter => request,
        Direction::Looser => response,
    };
    if breaks {
        Class::WireBreaking
    } else {
        Class::Additive
    }
}

fn spec(d: &Difference) -> Class {
    use Class::{Additive, ApiBreaking, Documentation, WireBreaking};
    let side = d.side.unwrap_or_default();
    let member = d.member.as_ref().map(|m| m.kind);
    match d.change {
        ChangeKind::Added => match (d.kind, member) {
            // A new required field of what the client sends: old requests
            // lack it.
            (Kind::Model, Some(MemberKind::Field)) => constraint(d, side.request, false),
            // From now on a key is spent after a final answer.
            (Kind::Idempotency, None) => WireBreaking,
            _ => Additive,
        },
        ChangeKind::Removed => match (d.kind, member) {
            (Kind::Model | Kind::Enum, None) => ApiBreaking,
            _ => WireBreaking,
        },
        ChangeKind::Renamed => match member {
            Some(_) => WireBreaking,
            None => ApiBreaking,
        },
        ChangeKind::Changed => match d.aspect.unwrap_or(Aspect::Signature) {
            Aspect::Doc
            | Aspect::Uncertain
            | Aspect::UncertainKeys
            | Aspect::Note
            | Aspect::Listed
            | Aspect::Message
            | Aspect::Suggestion
            | Aspect::Sources
            | Aspect::GroupNote
            | Aspect::Description
            | Aspect::Name
            | Aspect::Order
            | Aspect::Hosts
            // Only what `Debug` prints changes.
            | Aspect::Sensitive => Documentation,
            // An SDK event code's `action` is advice text.
            Aspect::Action if d.kind == Kind::SdkEventCode => Documentation,
            Aspect::Family => ApiBreaking,
            Aspect::Required | Aspect::MaxLength => constraint(d, side.request, side.response),
            // The client refuses a response whose echoed field differs: more
            // echoes, more responses refused.
            Aspect::Echoes => constraint(d, true, false),
            // Deliveries the client parses as this notification.
            Aspect::NotifyTypes => constraint(d, true, false),
            // Where a merchant must listen for the code.
            Aspect::Callbacks => constraint(d, false, true),
            // The region's default gateway host: both still serve.
            Aspect::DefaultHost => Additive,
            Aspect::UploadHost | Aspect::BusinessStatus => constraint(d, true, false),
            // New deprecation warnings, or fewer.
            Aspect::Deprecated => match d.direction {
                Some(Direction::Replaced) => Documentation,
                _ => Additive,
            },
            Aspect::Path
            | Aspect::Request
            | Aspect::Response
            | Aspect::IdempotencyKey
            | Aspect::SandboxRewrite
            | Aspect::Type
            | Aspect::Outcome
            | Aspect::Payload
            | Aspect::DedupKeys
            | Aspect::Status
            | Aspect::Action
            | Aspect::Scope
            | Aspect::PaymentResult
            | Aspect::Group
            | Aspect::ClientIdPrefix
            | Aspect::ProductionPrefix
            | Aspect::SandboxPrefix
            | Aspect::FinalStatuses
            | Aspect::HttpStatus
            | Aspect::Body
            | Aspect::ResendSchedule
            | Aspect::Signature => WireBreaking,
        },
    }
}
