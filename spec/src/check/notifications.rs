//! Notifications: names, payload models, dedup keys, notify types and result
//! codes.

use std::collections::BTreeSet;

use super::codes::check_code_list;
use super::merge::Merged;
use super::models::{check_result_field, field_hint, model_ref};
use super::names::Case;
use super::report::{p, Report, Seg};

pub(super) fn check_notifications(m: &Merged<'_>, r: &mut Report<'_>) {
    for d in m.notifications.iter() {
        let (fi, name) = (d.file, d.name);
        r.naming(
            fi,
            p!["notifications", name],
            true,
            "notification",
            name,
            Case::Lower,
        );
        let Some(n) = d.item else { continue };
        r.non_empty(
            fi,
            p!["notifications", name, "doc"],
            "notification doc",
            &n.doc,
        );
        let payload = model_ref(
            m,
            r,
            fi,
            p!["notifications", name, "payload"],
            &n.payload,
            "payload",
        );
        if let Some(pm) = payload {
            check_result_field(
                m,
                r,
                fi,
                p!["notifications", name, "payload"],
                &n.payload,
                "payload",
                false,
            );
            let mut seen = BTreeSet::new();
            for (i, key) in n.dedup_keys.iter().enumerate() {
                let at = p!["notifications", name, "dedupKeys", i];
                if !seen.insert(key.as_str()) {
                    r.err(
                        fi,
                        at,
                        format!("dedupKey `{key}` is listed twice"),
                        "list each field once",
                    );
                } else if m.field(&n.payload, key).is_none() {
                    let hint = field_hint(m, r, &n.payload, pm, key);
                    r.err(
                        fi,
                        at,
                        format!(
                            "dedupKey `{key}` is not a field of the payload model `{}`",
                            n.payload
                        ),
                        hint,
                    );
                }
            }
        }
        let mut seen = BTreeSet::new();
        for (i, t) in n.notify_types.iter().enumerate() {
            if !seen.insert(t.as_str()) {
                r.err(
                    fi,
                    p!["notifications", name, "notifyTypes", i],
                    format!("notifyType `{t}` is listed twice"),
                    "keep one entry",
                );
            }
        }
        check_code_list(
            m,
            r,
            fi,
            p!["notifications", name, "resultCodes"],
            name,
            &n.result_codes,
        );
    }
}
