//! The leniency rule: endpoint responses and notification payloads are read
//! leniently (every field except `result` optional, whatever the spec says),
//! because error responses usually carry only `result`.

use std::collections::BTreeSet;

use antom_spec::ir::Spec;

/// The lenient models of `spec`: every endpoint's response and every
/// notification's payload.
pub fn lenient_models(spec: &Spec) -> BTreeSet<String> {
    spec.endpoints
        .iter()
        .map(|e| e.response.clone())
        .chain(spec.notifications.iter().map(|n| n.payload.clone()))
        .collect()
}
