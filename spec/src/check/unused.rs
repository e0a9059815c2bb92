//! Dead entries: warnings for models and enums that nothing refers to.

use std::collections::BTreeSet;

use super::merge::Merged;
use super::report::{p, Report, Seg};
use super::types::{parse_type, RawType};
use crate::diag::Severity;
use crate::format::Item;

/// Warns about models and enums nothing refers to (dead spec entries).
pub(super) fn check_unused(m: &Merged<'_>, r: &mut Report<'_>) {
    fn named<'a>(t: &RawType<'a>) -> Option<&'a str> {
        match t {
            RawType::Prim(_) => None,
            RawType::Named(n) => Some(n),
            RawType::Array(i) => named(i),
        }
    }
    let mut used: BTreeSet<&str> = BTreeSet::new();
    for d in m.endpoints.iter() {
        if let Some(e) = d.item {
            used.insert(&e.request);
            used.insert(&e.response);
        }
    }
    for d in m.notifications.iter() {
        if let Some(n) = d.item {
            used.insert(&n.payload);
        }
    }
    for d in m.types_models.iter() {
        for fld in d
            .item
            .iter()
            .flat_map(|x| x.fields.iter())
            .filter_map(Item::ok)
        {
            if let Some(n) = parse_type(&fld.ty).ok().as_ref().and_then(named) {
                if n != d.name {
                    used.insert(n);
                }
            }
        }
    }
    let unused = m
        .types_models
        .iter()
        .map(|d| (d.file, "models", d.name, "model"))
        .chain(
            m.types_enums
                .iter()
                .map(|d| (d.file, "enums", d.name, "enum")),
        )
        .filter(|(_, _, name, _)| !used.contains(name));
    let unused: Vec<_> = unused.collect();
    for (fi, section, name, what) in unused {
        let pos = r.pos(fi, p![section, name], true);
        r.at_pos(
            Severity::Warning,
            fi,
            pos,
            format!("{what} `{name}` is not used by any endpoint, notification or model"),
            Some(
                "remove it, or refer to it from a field, an endpoint or a notification".to_owned(),
            ),
        );
    }
}
