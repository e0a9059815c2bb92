//! Which family module each model is generated in: the family of the
//! endpoints that reach it (through their request and response, field by
//! field), `notifications` for what only notification payloads reach, and
//! `common` for what several families share or nothing reaches.

use std::collections::{BTreeMap, BTreeSet};

use antom_spec::ir::Spec;

use crate::ctx::model_of;

/// The family of the models shared by several families (or by none).
pub const COMMON: &str = "common";
/// The family of the models only notification payloads reach.
pub const NOTIFICATIONS: &str = "notifications";

/// Model name → family module name, for every model of `spec`.
pub fn model_families(spec: &Spec) -> BTreeMap<String, String> {
    let mut roots: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for e in &spec.endpoints {
        roots
            .entry(e.family.as_str())
            .or_default()
            .extend([e.request.as_str(), e.response.as_str()]);
    }
    for n in &spec.notifications {
        roots
            .entry(NOTIFICATIONS)
            .or_default()
            .push(n.payload.as_str());
    }
    let mut reached_by: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for (family, models) in &roots {
        let mut stack = models.clone();
        let mut seen = BTreeSet::new();
        while let Some(name) = stack.pop() {
            if !seen.insert(name) {
                continue;
            }
            reached_by.entry(name).or_default().insert(family);
            if let Some(m) = spec.model(name) {
                stack.extend(m.fields.iter().filter_map(|f| model_of(&f.ty)));
            }
        }
    }
    spec.models
        .iter()
        .map(|m| {
            let family = match reached_by.get(m.name.as_str()) {
                Some(families) if families.len() == 1 => families.iter().next().copied(),
                _ => None,
            };
            (m.name.clone(), family.unwrap_or(COMMON).to_owned())
        })
        .collect()
}

/// A family module's doc line.
pub fn family_doc(family: &str) -> String {
    match family {
        COMMON => "Models shared by several families.".to_owned(),
        NOTIFICATIONS => "Models of the notification payloads only.".to_owned(),
        f => format!("Models of the `{f}` endpoints only."),
    }
}
