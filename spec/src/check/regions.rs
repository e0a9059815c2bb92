//! Regions and the spec-wide settings: gateway hosts, sandbox prefixes, the
//! notification acknowledgement and idempotency.

use super::merge::Merged;
use super::names::Case;
use super::report::{p, Report, Seg};
use crate::format as f;

pub(super) fn parse_duration(s: &str) -> Option<u64> {
    let (num, mul) = match s.chars().last()? {
        's' => (&s[..s.len() - 1], 1),
        'm' => (&s[..s.len() - 1], 60),
        'h' => (&s[..s.len() - 1], 3600),
        _ => return None,
    };
    if num.is_empty() || !num.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    num.parse::<u64>().ok()?.checked_mul(mul)
}

fn url_problem(url: &str) -> Option<&'static str> {
    let rest = url.strip_prefix("https://")?;
    if rest.is_empty() {
        Some("has no host")
    } else if rest.contains('/') || rest.contains('?') {
        Some("must be a bare origin (no path, query or trailing `/`)")
    } else if url.chars().any(char::is_whitespace) {
        Some("must not contain whitespace")
    } else {
        None
    }
}

pub(super) fn check_regions(m: &Merged<'_>, r: &mut Report<'_>) {
    for d in m.regions.iter() {
        let (fi, id) = (d.file, d.name);
        r.naming(fi, p!["regions", id], true, "region", id, Case::Screaming);
        let Some(region) = d.item else { continue };
        r.non_empty(fi, p!["regions", id, "name"], "region name", &region.name);
        if region.hosts.is_empty() {
            r.err(
                fi,
                p!["regions", id, "hosts"],
                format!("region `{id}` has no hosts"),
                "list at least one `- url: https://...`",
            );
        }
        for (i, h) in region.hosts.iter().enumerate() {
            let Some(h) = h.ok() else { continue };
            if let Some(problem) = url_problem(&h.url).or_else(|| {
                (!h.url.starts_with("https://")).then_some("must start with `https://`")
            }) {
                r.err(
                    fi,
                    p!["regions", id, "hosts", i, "url"],
                    format!("host URL `{}` {problem}", h.url),
                    "write the gateway origin, e.g. `https://open-na-global.alipay.com`",
                );
            }
        }
        if let Some(u) = &region.upload_host {
            if let Some(problem) = url_problem(u)
                .or_else(|| (!u.starts_with("https://")).then_some("must start with `https://`"))
            {
                r.err(
                    fi,
                    p!["regions", id, "uploadHost"],
                    format!("upload host URL `{u}` {problem}"),
                    "write the upload origin, e.g. `https://open-big-na.alipay.com`",
                );
            }
        }
    }
}

pub(super) fn check_sandbox_ack(m: &Merged<'_>, r: &mut Report<'_>) {
    if let Some((fi, s)) = m.sandbox.item {
        r.non_empty(
            fi,
            p!["sandbox", "clientIdPrefix"],
            "sandbox.clientIdPrefix",
            &s.client_id_prefix,
        );
        for (key, v) in [
            ("productionPrefix", &s.production_prefix),
            ("sandboxPrefix", &s.sandbox_prefix),
        ] {
            if !v.starts_with('/') || v.ends_with('/') || v.chars().any(char::is_whitespace) {
                r.err(
                    fi,
                    p!["sandbox", key],
                    format!("sandbox.{key} `{v}` is not a path prefix"),
                    "a prefix starts with `/` and has no trailing `/` or whitespace, e.g. `/ams/api`",
                );
            }
        }
    }
    if let Some((fi, a)) = m.ack.item {
        if !(100..=599).contains(&a.http_status) {
            r.err(
                fi,
                p!["acknowledgement", "httpStatus"],
                format!("httpStatus {} is not an HTTP status", a.http_status),
                "use a status between 100 and 599 (Antom expects 200)",
            );
        }
        if let Err(e) = serde_json::from_str::<serde_json::Value>(&a.body) {
            r.err(
                fi,
                p!["acknowledgement", "body"],
                format!("acknowledgement body is not valid JSON: {e}"),
                "quote the body with single quotes in YAML so the JSON double quotes survive",
            );
        }
        if a.resend_schedule.is_empty() {
            r.err(
                fi,
                p!["acknowledgement", "resendSchedule"],
                "resendSchedule is empty".to_owned(),
                "list the delays between deliveries, e.g. `[0s, 2m, 10m]`",
            );
        }
        for (i, d) in a.resend_schedule.iter().enumerate() {
            if parse_duration(d).is_none() {
                r.err(
                    fi,
                    p!["acknowledgement", "resendSchedule", i],
                    format!("`{d}` is not a duration"),
                    "write `<n>s`, `<n>m` or `<n>h` (e.g. `2m`)",
                );
            }
        }
    }
    if let Some((fi, i)) = m.idempotency.item {
        r.non_empty(fi, p!["idempotency", "doc"], "idempotency doc", &i.doc);
        if i.final_statuses.is_empty() {
            r.err(
                fi,
                p!["idempotency", "finalStatuses"],
                "finalStatuses is empty".to_owned(),
                "list the statuses after which a key is spent, e.g. `[S, F]`",
            );
        }
        for (n, status) in i.final_statuses.iter().enumerate() {
            let path = p!["idempotency", "finalStatuses", n];
            if *status == f::Status::U {
                r.err(
                    fi,
                    path,
                    "`U` is not a final status".to_owned(),
                    "an unknown result leaves the key usable (retry with it): list only `S` and `F`",
                );
            } else if i.final_statuses[..n].contains(status) {
                r.err(
                    fi,
                    path,
                    format!("`{}` is listed twice", status.as_str()),
                    "list each final status once",
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!(parse_duration("0s"), Some(0));
        assert_eq!(parse_duration("2m"), Some(120));
        assert_eq!(parse_duration("15h"), Some(54_000));
        for bad in [
            "",
            "s",
            "2",
            "2min",
            "-1s",
            "1.5h",
            " 2m",
            "2 m",
            "99999999999999999999h",
        ] {
            assert_eq!(parse_duration(bad), None, "{bad:?}");
        }
    }
}
