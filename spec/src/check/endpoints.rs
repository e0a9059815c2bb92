//! Endpoints: names, paths, request and response models, and the fields and
//! keys an endpoint names.

use std::collections::HashMap;

use super::codes::check_code_list;
use super::merge::Merged;
use super::models::{check_result_field, field_hint, model_ref};
use super::names::Case;
use super::report::{p, Report, Seg};
use super::types::quiet_type;
use crate::diag::name_list;
use crate::format::{self as f, Item};
use crate::ir;

fn path_problem(path: &str) -> Option<&'static str> {
    if !path.starts_with("/ams/") {
        Some("must start with `/ams/`")
    } else if path.chars().any(char::is_whitespace) {
        Some("must not contain whitespace")
    } else if path.contains("//") {
        Some("must not contain `//`")
    } else if path.contains('?') || path.contains('#') {
        Some("must not contain a query (`?`) or fragment (`#`)")
    } else if path.ends_with('/') {
        Some("must not end with `/`")
    } else {
        None
    }
}

/// The endpoint keys whose values `uncertainKeys` may name.
const UNCERTAIN_KEYS: &[&str] = &[
    "path",
    "request",
    "response",
    "idempotencyKey",
    "echoes",
    "sandboxRewrite",
    "businessStatus",
    "resultCodes",
];

/// Each entry of `uncertainKeys` is a fact-bearing endpoint key, listed once,
/// and explained by the endpoint's `uncertain` text.
fn check_uncertain_keys(r: &mut Report<'_>, fi: usize, name: &str, e: &f::Endpoint) {
    for (i, key) in e.uncertain_keys.iter().enumerate() {
        let path = p!["endpoints", name, "uncertainKeys", i];
        if !UNCERTAIN_KEYS.contains(&key.as_str()) {
            let hint = match r.did_you_mean(key, UNCERTAIN_KEYS.iter().copied()) {
                Some(s) => format!(
                    "did you mean `{s}`? the keys are {}",
                    name_list(UNCERTAIN_KEYS.iter().copied(), UNCERTAIN_KEYS.len())
                ),
                None => format!(
                    "the keys are {}",
                    name_list(UNCERTAIN_KEYS.iter().copied(), UNCERTAIN_KEYS.len())
                ),
            };
            r.err(
                fi,
                path,
                format!("`{key}` is not an endpoint key that can be uncertain"),
                hint,
            );
        } else if e.uncertain_keys[..i].contains(key) {
            r.err(
                fi,
                path,
                format!("`{key}` is listed twice in uncertainKeys"),
                "list each key once",
            );
        }
    }
    if !e.uncertain_keys.is_empty() && e.uncertain.as_deref().is_none_or(|u| u.trim().is_empty()) {
        r.err(
            fi,
            p!["endpoints", name, "uncertainKeys"],
            "uncertainKeys without an `uncertain` text".to_owned(),
            "say in `uncertain` what the sources leave open about these keys",
        );
    }
}

pub(super) fn check_endpoints(m: &Merged<'_>, r: &mut Report<'_>) {
    let mut paths: HashMap<&str, (&str, usize)> = HashMap::new();
    for d in m.endpoints.iter() {
        let (fi, name) = (d.file, d.name);
        r.naming(
            fi,
            p!["endpoints", name],
            true,
            "endpoint",
            name,
            Case::Lower,
        );
        let Some(e) = d.item else { continue };
        r.non_empty(fi, p!["endpoints", name, "doc"], "endpoint doc", &e.doc);
        if let Some(problem) = path_problem(&e.path) {
            r.err(
                fi,
                p!["endpoints", name, "path"],
                format!("malformed path `{}`: {problem}", e.path),
                "write the production path, e.g. `/ams/api/v1/payments/pay`",
            );
        } else if let Some((other, ofile)) = paths.get(e.path.as_str()) {
            let at = r.where_key(*ofile, p!["endpoints", *other]);
            r.err(
                fi,
                p!["endpoints", name, "path"],
                format!(
                    "endpoints `{other}` and `{name}` have the same path `{}`",
                    e.path
                ),
                format!("`{other}` is defined at {at}; each path belongs to one endpoint"),
            );
        } else {
            paths.insert(&e.path, (name, fi));
        }
        let req = model_ref(
            m,
            r,
            fi,
            p!["endpoints", name, "request"],
            &e.request,
            "request",
        );
        let resp = model_ref(
            m,
            r,
            fi,
            p!["endpoints", name, "response"],
            &e.response,
            "response",
        );
        if resp.is_some() {
            check_result_field(
                m,
                r,
                fi,
                p!["endpoints", name, "response"],
                &e.response,
                "response",
                true,
            );
        }
        if let (Some(key), Some(req)) = (&e.idempotency_key, req) {
            if m.field(&e.request, key).is_none() {
                let hint = field_hint(m, r, &e.request, req, key);
                r.err(
                    fi,
                    p!["endpoints", name, "idempotencyKey"],
                    format!(
                        "idempotencyKey `{key}` is not a field of the request model `{}`",
                        e.request
                    ),
                    hint,
                );
            }
        }
        check_uncertain_keys(r, fi, name, e);
        let mut seen_echoes = std::collections::HashSet::new();
        for (i, echo) in e.echoes.iter().enumerate() {
            if !seen_echoes.insert(echo.as_str()) {
                r.err(
                    fi,
                    p!["endpoints", name, "echoes", i],
                    format!("`{echo}` is listed twice in echoes"),
                    "list each echoed field once".to_owned(),
                );
                continue;
            }
            let sides = [
                (req, &e.request, "request"),
                (resp, &e.response, "response"),
            ];
            for (model, model_name, side) in sides {
                if let Some(model) = model.filter(|_| m.field(model_name, echo).is_none()) {
                    let hint = field_hint(m, r, model_name, model, echo);
                    r.err(
                        fi,
                        p!["endpoints", name, "echoes", i],
                        format!("echoed field `{echo}` is not a field of the {side} model `{model_name}`"),
                        hint,
                    );
                }
            }
        }
        if let (Some(bs), Some(resp)) = (&e.business_status, resp) {
            let path = p!["endpoints", name, "businessStatus"];
            match m.field(&e.response, bs) {
                None => {
                    let hint = field_hint(m, r, &e.response, resp, bs);
                    r.err(
                        fi,
                        path,
                        format!("businessStatus `{bs}` is not a field of the response model `{}`", e.response),
                        hint,
                    );
                }
                Some(fld) => match quiet_type(m, &fld.ty) {
                    Some(ir::Type::Enum(en)) => {
                        if let Some(en_def) = m.types_enums.ok(&en) {
                            let missing: Vec<&str> = en_def
                                .values
                                .iter()
                                .filter_map(Item::ok)
                                .filter(|v| v.outcome.is_none())
                                .map(|v| v.value.as_str())
                                .collect();
                            if !missing.is_empty() {
                                r.err(
                                    fi,
                                    path,
                                    format!(
                                        "businessStatus `{bs}` uses enum `{en}`, whose values {} have no outcome",
                                        name_list(missing.iter().copied(), missing.len())
                                    ),
                                    format!("give every value of `{en}` an `outcome: success | failed | pending`"),
                                );
                            }
                        }
                    }
                    Some(_) => r.err(
                        fi,
                        path,
                        format!("businessStatus `{bs}` has type `{}`, not an enum", fld.ty),
                        "businessStatus names a response field typed with an enum whose values have outcomes",
                    ),
                    None => {}
                },
            }
        }
        check_code_list(
            m,
            r,
            fi,
            p!["endpoints", name, "resultCodes"],
            name,
            &e.result_codes,
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths() {
        assert_eq!(path_problem("/ams/api/v1/payments/pay"), None);
        assert!(path_problem("/api/v1/pay").is_some());
        assert!(path_problem("/ams/api//pay").is_some());
        assert!(path_problem("/ams/api/pay?x").is_some());
        assert!(path_problem("/ams/api/pay/").is_some());
        assert!(path_problem("/ams/api/pa y").is_some());
        assert!(path_problem("/ams/").is_some());
    }
}
