//! Result codes and SDK event codes: the catalogues, the status/action rule,
//! and the result-code lists of endpoints and notifications.

use std::collections::{BTreeSet, HashMap};

use super::merge::Merged;
use super::names::Case;
use super::report::{p, Report, Seg};
use crate::format::{self as f, CodeRef, Item};
use crate::ir;

/// The status↔action rule of FORMAT.md; `Err` holds the hint.
fn status_action(status: ir::SpecStatus, action: ir::Action) -> Result<(), String> {
    use ir::Action as A;
    use ir::SpecStatus as S;
    match (status, action) {
        (S::S, A::None) => Ok(()),
        (S::S, _) => Err("`S` (success) codes use action `none`".to_owned()),
        (S::U, a) if a.is_retryable() => Ok(()),
        (S::U, _) => Err(
            "`U` (unknown) codes use `retry`, `retryAfterBackoff` or `inquire`: the outcome is not known, so the caller must find it out"
                .to_owned(),
        ),
        (S::F, a) if a.is_retryable() => Err(
            "`F` (failed) codes must not use `retry`, `retryAfterBackoff` or `inquire`; use `newRequestId`, `fixRequest`, `userAction`, `contactSupport` or `none`"
                .to_owned(),
        ),
        (S::F, _) => Ok(()),
    }
}

pub(super) fn check_codes(m: &Merged<'_>, r: &mut Report<'_>) {
    for d in m.codes.iter() {
        let (fi, code) = (d.file, d.name);
        r.naming(
            fi,
            p!["resultCodes", code],
            true,
            "result code",
            code,
            Case::Screaming,
        );
        let Some(c) = d.item else { continue };
        if let Err(hint) = status_action(c.status, c.action) {
            r.err(
                fi,
                p!["resultCodes", code, "action"],
                format!(
                    "result code `{code}` has status `{}` but action `{}`",
                    c.status.as_str(),
                    c.action.as_str()
                ),
                hint,
            );
        }
        r.text(
            fi,
            p!["resultCodes", code, "message"],
            &format!("the message of result code `{code}`"),
            &c.message,
        );
        r.text(
            fi,
            p!["resultCodes", code, "suggestion"],
            &format!("the suggestion of result code `{code}`"),
            &c.suggestion,
        );
    }
}

/// `callback` is one non-empty name or a non-empty list of distinct ones.
fn check_callbacks(r: &mut Report<'_>, fi: usize, code: &str, cbs: &f::Callbacks) {
    let list = match cbs {
        f::Callbacks::One(c) => {
            r.non_empty(fi, p!["sdkEventCodes", code, "callback"], "callback", c);
            return;
        }
        f::Callbacks::Many(list) => list,
    };
    if list.is_empty() {
        r.err(
            fi,
            p!["sdkEventCodes", code, "callback"],
            format!("the callback list of SDK event code `{code}` is empty"),
            "name at least one callback, e.g. `callback: onEventCallback`",
        );
    }
    let mut seen = BTreeSet::new();
    for (i, c) in list.iter().enumerate() {
        r.non_empty(fi, p!["sdkEventCodes", code, "callback", i], "callback", c);
        if !c.trim().is_empty() && !seen.insert(c.as_str()) {
            r.err(
                fi,
                p!["sdkEventCodes", code, "callback", i],
                format!("callback `{c}` is listed twice"),
                "keep one entry",
            );
        }
    }
}

pub(super) fn check_sdk(m: &Merged<'_>, r: &mut Report<'_>) {
    for d in m.sdk.iter() {
        let (fi, code) = (d.file, d.name);
        if !code.starts_with("SDK_") {
            r.err_key(
                fi,
                p!["sdkEventCodes", code],
                format!("SDK event code `{code}` does not start with `SDK_`"),
                "SDK event codes are SCREAMING_SNAKE_CASE and start with `SDK_` (result codes go under `resultCodes`)",
            );
        } else {
            r.naming(
                fi,
                p!["sdkEventCodes", code],
                true,
                "SDK event code",
                code,
                Case::Screaming,
            );
        }
        let Some(c) = d.item else { continue };
        check_callbacks(r, fi, code, &c.callback);
        r.text(
            fi,
            p!["sdkEventCodes", code, "description"],
            &format!("the description of SDK event code `{code}`"),
            &c.description,
        );
        r.text(
            fi,
            p!["sdkEventCodes", code, "action"],
            &format!("the action of SDK event code `{code}`"),
            &c.action,
        );
        if let Some(dep) = &c.deprecated {
            if let Some(by) = &dep.replaced_by {
                if by == code {
                    r.err(
                        fi,
                        p!["sdkEventCodes", code, "deprecated", "replacedBy"],
                        format!("`{code}` is replaced by itself"),
                        "name the code that replaces it, or remove `replacedBy`",
                    );
                } else if !m.sdk.contains(by) {
                    let hint = match r.did_you_mean(by, m.sdk.map.keys().copied()) {
                        Some(s) => format!(
                            "did you mean `{s}`? `replacedBy` names an entry of `sdkEventCodes`"
                        ),
                        None => "`replacedBy` names an entry of `sdkEventCodes`".to_owned(),
                    };
                    r.err(
                        fi,
                        p!["sdkEventCodes", code, "deprecated", "replacedBy"],
                        format!("unknown SDK event code `{by}`"),
                        hint,
                    );
                }
            }
        }
    }
}

pub(super) fn check_code_list(
    m: &Merged<'_>,
    r: &mut Report<'_>,
    fi: usize,
    base: &[Seg<'_>],
    owner: &str,
    list: &[Item<CodeRef>],
) {
    let mut seen: HashMap<&str, usize> = HashMap::new();
    for (i, item) in list.iter().enumerate() {
        let Some(c) = item.ok() else { continue };
        let code = c.code();
        let mut path = base.to_vec();
        path.push(Seg::I(i));
        if let CodeRef::Detailed(_) = c {
            path.push(Seg::K("code"));
        }
        if let Some(first) = seen.get(code) {
            let mut fp = base.to_vec();
            fp.push(Seg::I(*first));
            let at = r.pos(fi, &fp, false);
            r.err(
                fi,
                &path,
                format!("result code `{code}` is listed twice for `{owner}`"),
                format!("it is already listed at line {}; keep one entry", at.line),
            );
            continue;
        }
        seen.insert(code, i);
        if !m.codes.contains(code) {
            let hint = match r.did_you_mean(code, m.codes.map.keys().copied()) {
                Some(s) => format!(
                    "did you mean `{s}`? every listed code must be in the `resultCodes` catalogue"
                ),
                None => "add the code to the `resultCodes` catalogue, or fix the name".to_owned(),
            };
            r.err(fi, &path, format!("unknown result code `{code}`"), hint);
            continue;
        }
        if let (CodeRef::Detailed(e), Some(entry)) = (c, m.codes.ok(code)) {
            if let Some(a) = e.action {
                let (st, act) = (entry.status, a);
                if let Err(hint) = status_action(st, act) {
                    let mut ap = base.to_vec();
                    ap.extend([Seg::I(i), Seg::K("action")]);
                    r.err(
                        fi,
                        &ap,
                        format!(
                            "`{code}` has status `{}` but `{owner}` overrides its action with `{}`",
                            st.as_str(),
                            act.as_str()
                        ),
                        hint,
                    );
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_action_rule() {
        use ir::SpecStatus as S;
        for a in ir::Action::ALL {
            assert_eq!(
                status_action(S::S, a).is_ok(),
                a == ir::Action::None,
                "S {a:?}"
            );
            assert_eq!(status_action(S::U, a).is_ok(), a.is_retryable(), "U {a:?}");
            assert_eq!(status_action(S::F, a).is_ok(), !a.is_retryable(), "F {a:?}");
        }
    }
}
