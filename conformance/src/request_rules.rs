//! The rules a request must obey to be accepted by Antom's gateway, one by
//! one, each with its level and a message that names it.
//!
//! A `signature.request.<rule>` case sends one call and judges one rule on
//! the request the gateway captured, so an SDK author reads which rule their
//! request breaks. The per-endpoint signed-call cases judge what varies per
//! endpoint (path, signature over the exact bytes, body).

use crate::crypto::{gateway_signature_bytes, GatewayHeaderError};
use crate::gateway::Captured;
use crate::level::Level;
use crate::verdict::Stage;

/// What a rule needs besides the captured request.
#[derive(Debug, Clone, Copy)]
pub struct Sent<'a> {
    /// The client id the implementation was given.
    pub client_id: &'a str,
}

/// One rule of Antom's request format.
#[derive(Debug)]
pub struct RequestRule {
    /// Case id suffix: the case is `signature.request.<id>`.
    pub id: &'static str,
    /// How binding it is.
    pub level: Level,
    /// Where a failure is reported.
    pub stage: Stage,
    /// The rule, as the message of a failure states it.
    pub rule: &'static str,
    /// `Err(what the request did)` when the request breaks the rule.
    pub check: fn(&Captured, Sent<'_>) -> Result<(), String>,
}

/// Every request rule, in the order a reader fixes them.
pub const RULES: &[RequestRule] = &[
    RequestRule {
        id: "method-post",
        level: Level::Must,
        stage: Stage::Header,
        rule: "every Antom API is called with POST",
        check: |cap, _| expect(cap.method == "POST", || cap.method.clone()),
    },
    RequestRule {
        id: "client-id-header",
        level: Level::Must,
        stage: Stage::Header,
        rule: "a Client-Id header carries the merchant's client id, the one signed",
        check: |cap, sent| match cap.header("client-id") {
            Some(v) if v == sent.client_id => Ok(()),
            Some(v) => Err(format!("Client-Id: {v}")),
            None => Err("no Client-Id header".into()),
        },
    },
    RequestRule {
        id: "request-time-header",
        level: Level::Must,
        stage: Stage::Header,
        rule: "a non-empty Request-Time header carries the time that was signed",
        check: |cap, _| match cap.header("request-time") {
            Some(v) if !v.trim().is_empty() => Ok(()),
            Some(_) => Err("an empty Request-Time header".into()),
            None => Err("no Request-Time header".into()),
        },
    },
    RequestRule {
        id: "request-time-epoch-ms",
        // The documentation specifies epoch milliseconds, but official SDKs
        // send ISO 8601 forms that the production gateway accepts.
        level: Level::Should,
        stage: Stage::Header,
        rule: "Request-Time is a timestamp in epoch milliseconds (e.g. 1685599933871), as the API documentation specifies",
        check: |cap, _| {
            let time = cap.header("request-time").unwrap_or_default();
            expect(
                time.len() == 13 && time.bytes().all(|b| b.is_ascii_digit()),
                || format!("Request-Time: {time}"),
            )
        },
    },
    RequestRule {
        id: "content-type-charset",
        level: Level::Must,
        stage: Stage::Header,
        rule: "Content-Type is application/json with charset=UTF-8 (required by the API documentation)",
        check: |cap, _| {
            let values = cap.headers_named("content-type");
            let ok = values.iter().any(|v| {
                let v = v.to_ascii_lowercase().replace(' ', "");
                v.starts_with("application/json;") && v.contains("charset=utf-8")
            });
            expect(ok, || match values.is_empty() {
                true => "no Content-Type header".into(),
                false => format!("Content-Type: {}", values.join(", ")),
            })
        },
    },
    RequestRule {
        id: "signature-algorithm",
        level: Level::Must,
        stage: Stage::Header,
        rule: "the Signature header names algorithm=RSA256 (`algorithm=RSA256,keyVersion=1,signature=...`)",
        check: |cap, _| {
            let header = cap.header("signature").unwrap_or_default();
            let algorithm = header
                .split(',')
                .find_map(|p| p.trim().strip_prefix("algorithm="));
            match algorithm {
                Some("RSA256") => Ok(()),
                Some(other) => Err(format!("algorithm={other}")),
                None if header.is_empty() => Err("no Signature header".into()),
                None => Err(format!("no algorithm= pair in `{}`", shown(header))),
            }
        },
    },
    RequestRule {
        id: "signature-key-version",
        level: Level::Must,
        stage: Stage::Header,
        rule: "the Signature header carries a keyVersion (`keyVersion=1` unless Antom assigned another)",
        check: |cap, _| match gateway_signature_bytes(cap.header("signature").unwrap_or_default()) {
            Err(GatewayHeaderError::NoKeyVersion) => Err("no keyVersion= pair".into()),
            Err(GatewayHeaderError::Format(e)) => Err(e.to_string()),
            _ => Ok(()),
        },
    },
    RequestRule {
        id: "signature-percent-encoded",
        level: Level::Must,
        stage: Stage::Signature,
        rule: "the signature= value is percent-encoded base64 (`+` as %2B, `/` as %2F, `=` as %3D, either hex case): Antom form-decodes it, so a raw `+` becomes a space and the request fails with INVALID_SIGNATURE",
        check: |cap, _| match gateway_signature_bytes(cap.header("signature").unwrap_or_default()) {
            Err(e @ GatewayHeaderError::NotFormEncoded { .. }) => Err(e.to_string()),
            _ => Ok(()),
        },
    },
];

/// The rule called `id`.
pub fn rule(id: &str) -> Option<&'static RequestRule> {
    RULES.iter().find(|r| r.id == id)
}

fn expect(ok: bool, actual: impl FnOnce() -> String) -> Result<(), String> {
    if ok {
        Ok(())
    } else {
        Err(actual())
    }
}

/// The start of a long header value.
fn shown(value: &str) -> String {
    match value.char_indices().nth(48) {
        Some((at, _)) => format!("{}...", &value[..at]),
        None => value.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn captured(headers: &[(&str, &str)]) -> Captured {
        Captured {
            method: "POST".into(),
            path: "/ams/api/v1/payments/pay".into(),
            headers: headers
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            body: b"{}".to_vec(),
            at: std::time::Instant::now(),
            signature_check: Ok(()),
        }
    }

    fn verdicts(headers: &[(&str, &str)]) -> Vec<(&'static str, bool)> {
        let cap = captured(headers);
        RULES
            .iter()
            .map(|r| (r.id, (r.check)(&cap, Sent { client_id: "C" }).is_ok()))
            .collect()
    }

    const GOOD_SIG: &str = "algorithm=RSA256,keyVersion=1,signature=AAAA";

    #[test]
    fn a_well_formed_request_obeys_every_rule() {
        let v = verdicts(&[
            ("Content-Type", "application/json; charset=UTF-8"),
            ("Client-Id", "C"),
            ("Request-Time", "1685599933871"),
            ("Signature", GOOD_SIG),
        ]);
        assert!(v.iter().all(|(_, ok)| *ok), "{v:?}");
    }

    #[test]
    fn each_defect_breaks_its_own_rule() {
        let broken = |headers: &[(&str, &str)]| -> Vec<&'static str> {
            verdicts(headers)
                .into_iter()
                .filter(|(_, ok)| !ok)
                .map(|(id, _)| id)
                .collect()
        };
        let base = [
            ("Content-Type", "application/json; charset=UTF-8"),
            ("Client-Id", "C"),
            ("Request-Time", "1685599933871"),
            ("Signature", GOOD_SIG),
        ];
        let with = |name: &str, value: &'static str| -> Vec<(&'static str, &'static str)> {
            base.iter()
                .map(|(k, v)| {
                    (
                        *k,
                        if k.eq_ignore_ascii_case(name) {
                            value
                        } else {
                            *v
                        },
                    )
                })
                .collect()
        };
        assert_eq!(
            broken(&with("Content-Type", "application/json")),
            ["content-type-charset"]
        );
        assert_eq!(broken(&with("Client-Id", "D")), ["client-id-header"]);
        assert_eq!(
            broken(&with("Request-Time", "2026-01-01T00:00:00+00:00")),
            ["request-time-epoch-ms"]
        );
        assert_eq!(
            broken(&with("Signature", "algorithm=RSA256,signature=AAAA")),
            ["signature-key-version"]
        );
        assert_eq!(
            broken(&with(
                "Signature",
                "algorithm=SHA256withRSA,keyVersion=1,signature=AAAA"
            )),
            ["signature-algorithm", "signature-key-version"],
            "the runtime's parser refuses other algorithms too"
        );
        assert_eq!(
            broken(&with(
                "Signature",
                "algorithm=RSA256,keyVersion=1,signature=AA+A"
            )),
            ["signature-percent-encoded"]
        );
    }
}
