//! The property area: generated inputs through the implementation, each
//! judged by the kit's reference and shrunk on failure. The area builds one
//! case per [`Property`]; drawing, running and shrinking the inputs is
//! [`properties`](crate::properties)' work.

use super::Context;
use crate::case::{Area, Case, CaseKind, Property, PropertyCheck, SpecTables};
use crate::level::Level;
use crate::verdict::Verdict;

/// The property area's cases: one per [`Property`], drawing its default
/// number of inputs.
pub fn cases(spec: &SpecTables) -> Vec<Case> {
    let Some(retry_endpoint) = spec.idempotent_endpoint() else {
        return Vec::new();
    };
    let mut cases = Vec::new();
    for property in Property::ALL {
        let level = match property {
            // Retrying is recommended; a changed id or body is still `must`.
            Property::Retry => Level::Should,
            _ => Level::Must,
        };
        let what = match property {
            Property::Sign => "sign (POST) over generated paths, client ids, times (epoch ms and ISO 8601) and bodies (empty, non-ASCII, pretty, large) verifies over exactly that content",
            Property::VerifyResponse => "verifyResponse accepts generated signed responses and rejects every single change to their body (a character, whitespace alone), path, client id, time or signature",
            Property::VerifyNotification => "generated signed notifications are acknowledged and processed, every single change to one makes it neither",
            Property::Classify => "classify maps generated codes, listed or not, under every status to the outcome of the status",
            Property::Retry => "call under generated answer sequences and attempt limits stops at the first final answer or the limit, with identical body and request id and a fresh signature per attempt, and the outcome of the last answer",
        };
        cases.push(Case {
            id: format!("property.{property}"),
            area: Area::Property,
            level,
            description: what.into(),
            kind: CaseKind::Property(PropertyCheck {
                property,
                cases: property.default_cases(),
                endpoints: spec.endpoints,
                retry_endpoint,
            }),
        });
    }
    cases
}

/// Judges a property case: draws its inputs, runs them, shrinks a failure.
pub async fn judge(check: &PropertyCheck, cx: &Context<'_>) -> Verdict {
    let properties = crate::properties::Context {
        imp: cx.imp,
        keys: cx.keys,
        endpoints: check.endpoints,
        retry_endpoint: check.retry_endpoint,
        cases: check.cases,
        seed: cx.seed,
        classifies: cx.classifies,
    };
    crate::properties::run(check.property, &properties).await
}
