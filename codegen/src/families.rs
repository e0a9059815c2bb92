//! Which family module each model is generated in: the family of the
//! endpoints that reach it (through their request and response, field by
//! field), `notifications` for what only notification payloads reach, and
//! `common` for what several families share or nothing reaches.

use std::collections::{BTreeMap, BTreeSet};

use antom_spec::ir::Spec;

use crate::ctx::model_of;
use crate::Error;

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
        mark_reach(spec, models.clone(), family, &mut reached_by);
    }
    // What only unreached models reach is shared too: leaving it in one
    // family would break the unreached model when that family is off.
    let unreached: Vec<&str> = spec
        .models
        .iter()
        .map(|m| m.name.as_str())
        .filter(|n| !reached_by.contains_key(n))
        .collect();
    mark_reach(spec, unreached, COMMON, &mut reached_by);
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

/// Adds `family` to the families of every model reachable from `start`
/// (field by field, through arrays).
fn mark_reach<'s>(
    spec: &'s Spec,
    mut stack: Vec<&'s str>,
    family: &'s str,
    reached_by: &mut BTreeMap<&'s str, BTreeSet<&'s str>>,
) {
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

/// Whether `family` is one of the shared families (never behind a feature,
/// never left out by a selection).
pub fn is_shared(family: &str) -> bool {
    family == COMMON || family == NOTIFICATIONS
}

/// `spec` with only the endpoints of `selected` families and the models
/// they (or the shared families) need: what `antom_api!(…, families = […])`
/// generates.
pub fn select(spec: &Spec, selected: &[String]) -> Result<Spec, Error> {
    let known: BTreeSet<&str> = spec.endpoints.iter().map(|e| e.family.as_str()).collect();
    if let Some(unknown) = selected.iter().find(|f| !known.contains(f.as_str())) {
        return Err(Error::UnknownFamily {
            family: unknown.clone(),
            known: known.iter().map(|f| (*f).to_owned()).collect(),
        });
    }
    let families = model_families(spec);
    let keep = |family: &str| is_shared(family) || selected.iter().any(|s| s == family);
    let mut out = spec.clone();
    out.endpoints.retain(|e| keep(&e.family));
    out.models
        .retain(|m| families.get(&m.name).is_none_or(|f| keep(f)));
    Ok(out)
}

/// A family module's doc line.
pub fn family_doc(family: &str) -> String {
    match family {
        COMMON => "Models shared by several families.".to_owned(),
        NOTIFICATIONS => "Models of the notification payloads only.".to_owned(),
        f => format!("Models of the `{f}` endpoints only."),
    }
}
