//! The signature area: request signing (the signature vectors, a signed
//! call on every endpoint, the header rules), response verification (a
//! matrix of encodings, tampering and missing parts), and calls answered by
//! responses that are unsigned, tampered or answer another request.

use antom_runtime::schema::Schemas;
use antom_runtime::{Action, EndpointDef, SpecStatus};
use serde_json::json;

use super::Context;
use crate::case::{
    Area, Case, CaseKind, SignatureKind, SpecTables, PROD_CLIENT_ID, SANDBOX_CLIENT_ID,
    VERDICT_REQUEST_ID,
};
use crate::crypto::{
    content_to_sign, decode_signature, encode_signature, parse_signature_header, signature_header,
};
use crate::expect::{Expected, ExpectedClass};
use crate::gateway::{build_reply, Reply, Signing, Step};
use crate::judge::{
    call_against, check, diagnose_signature, imp_err, judge_call_class, op, retry_hint,
    single_reply_call,
};
use crate::level::Level;
use crate::protocol::{OutcomeKind, SignRequest, VerifyResponseRequest};
use crate::request_rules::{RequestRule, Sent};
use crate::timing::ATTEMPT_TIMEOUT_MS;
use crate::verdict::{Mismatch, Stage, Verdict};

/// A valid request of `endpoint` (the spec's sample of its request model),
/// its idempotency key tagged with the case, within the key's length limit.
/// Free text with characters outside ASCII (CJK, a dash, an accent, a symbol).
const NON_ASCII_TEXT: &str = "测试订单 – café ✓";

/// A valid request carrying [`NON_ASCII_TEXT`] in a free-text field of its
/// model (a `…Description` string, at any depth of the sample), so an
/// implementation with its own request types sends it too: the endpoint, the
/// field's dotted path and the request. The scenario endpoint is preferred.
fn non_ascii_request(
    spec: &SpecTables,
) -> Option<(&'static EndpointDef, String, serde_json::Value)> {
    let preferred = spec.scenario_endpoint();
    let endpoints = preferred.into_iter().chain(
        spec.endpoints
            .iter()
            .copied()
            .filter(move |e| Some(*e) != preferred),
    );
    for ep in endpoints {
        let mut request = sample_request(spec, ep, "non-ascii");
        if let Some(path) = free_text_in(spec, ep.request, &request, 0) {
            let max = path
                .last()
                .and_then(|(_, max)| *max)
                .map_or(usize::MAX, |m| m as usize);
            let names: Vec<&str> = path.iter().map(|(name, _)| *name).collect();
            let mut target = &mut request;
            for name in &names {
                target = &mut target[*name];
            }
            *target = NON_ASCII_TEXT.chars().take(max).collect::<String>().into();
            return Some((ep, names.join("."), request));
        }
    }
    None
}

/// The path (field names with the last one's length limit) to a free-text
/// string field of `model` present in `sample`.
fn free_text_in(
    spec: &SpecTables,
    model: &str,
    sample: &serde_json::Value,
    depth: usize,
) -> Option<Vec<(&'static str, Option<u32>)>> {
    use antom_runtime::schema::Shape;
    let model = spec.schemas.model(model)?;
    for field in &model.fields {
        let Some(value) = sample.get(&field.name) else {
            continue;
        };
        match &field.shape {
            Shape::String if field.name.ends_with("Description") && value.is_string() => {
                return Some(vec![(&field.name, field.max_length)]);
            }
            Shape::Model(inner) if depth < 3 => {
                if let Some(mut rest) = free_text_in(spec, inner, value, depth + 1) {
                    rest.insert(0, (&field.name, None));
                    return Some(rest);
                }
            }
            _ => {}
        }
    }
    None
}

fn sample_request(spec: &SpecTables, endpoint: &EndpointDef, tag: &str) -> serde_json::Value {
    let mut request = spec.schemas.sample(endpoint.request);
    if let Some(key) = endpoint.idempotency_key {
        let max = spec
            .schemas
            .model(endpoint.request)
            .and_then(|m| m.fields.iter().find(|f| f.name == key))
            .and_then(|f| f.max_length)
            .map_or(usize::MAX, |m| m as usize);
        let id: String = format!("conformance-{}-{tag}", endpoint.name)
            .chars()
            .take(max)
            .collect();
        request[key] = id.into();
    }
    request
}

/// The level of a signed call on `ep`'s sandbox path: `uncertain` where the
/// spec marks its sandbox rewrite uncertain (the official SDKs disagree).
fn sandbox_level(ep: &EndpointDef) -> Level {
    if ep.uncertain_keys.contains(&"sandboxRewrite") {
        Level::Uncertain
    } else {
        Level::Must
    }
}

/// The signature area's cases, derived from the signature vectors, the
/// spec's endpoints and its sandbox rule.
pub fn cases(spec: &SpecTables) -> Vec<Case> {
    let mut cases = Vec::new();
    let vectors: serde_json::Value = serde_json::from_str(include_str!(
        "../../../runtime/testdata/signature-vectors.json"
    ))
    .unwrap_or_default();
    for v in vectors["vectors"].as_array().into_iter().flatten() {
        let s = |k: &str| v[k].as_str().unwrap_or_default().to_owned();
        cases.push(Case {
            id: format!("signature.vector.{}", s("name")),
            area: Area::Signature,
            level: Level::Must,
            description: format!(
                "sign reproduces vector {} ({} {} at {})",
                s("name"),
                s("method"),
                s("path"),
                s("time")
            ),
            kind: CaseKind::Signature(SignatureKind::SignVector {
                method: s("method"),
                path: s("path"),
                client_id: s("clientId"),
                time: s("time"),
                body: s("body"),
                expected_b64: s("signature_base64"),
            }),
        });
    }

    for ep in spec.endpoints.iter().copied() {
        let path = spec.sandbox.path_for(ep, SANDBOX_CLIENT_ID);
        cases.push(Case {
            id: format!("signature.request.sandbox.{}", ep.name),
            area: Area::Signature,
            level: sandbox_level(ep),
            description: format!(
                "{} with a sandbox client id: headers, path {path} and signature over the exact bytes sent",
                ep.name
            ),
            kind: CaseKind::Signature(SignatureKind::SignedCall {
                endpoint: ep,
                client_id: SANDBOX_CLIENT_ID.into(),
                request: sample_request(spec, ep, "sandbox"),
                expected_path: path,
                rule: None,
                schemas: spec.schemas,
            }),
        });
    }
    if let Some(ep) = spec.scenario_endpoint() {
        cases.push(Case {
            id: "signature.request.production".into(),
            area: Area::Signature,
            level: Level::Must,
            description: format!(
                "{} with a production client id signs the production path",
                ep.name
            ),
            kind: CaseKind::Signature(SignatureKind::SignedCall {
                endpoint: ep,
                client_id: PROD_CLIENT_ID.into(),
                request: sample_request(spec, ep, "production"),
                expected_path: ep.path.to_owned(),
                rule: None,
                schemas: spec.schemas,
            }),
        });
        for rule in crate::request_rules::RULES {
            cases.push(Case {
                id: format!("signature.request.{}", rule.id),
                area: Area::Signature,
                level: rule.level,
                description: format!("{}: {}", ep.name, rule.rule),
                kind: CaseKind::Signature(SignatureKind::SignedCall {
                    endpoint: ep,
                    client_id: SANDBOX_CLIENT_ID.into(),
                    request: sample_request(spec, ep, rule.id),
                    expected_path: spec.sandbox.path_for(ep, SANDBOX_CLIENT_ID),
                    rule: Some(rule),
                    schemas: spec.schemas,
                }),
            });
        }
    }
    if let Some((ep, field, non_ascii)) = non_ascii_request(spec) {
        cases.push(Case {
            id: "signature.request.non-ascii-body".into(),
            area: Area::Signature,
            level: Level::Must,
            description: format!(
                "{}: a request body with non-ASCII text (in `{field}`) is signed over its UTF-8 bytes",
                ep.name
            ),
            kind: CaseKind::Signature(SignatureKind::SignedCall {
                endpoint: ep,
                client_id: SANDBOX_CLIENT_ID.into(),
                request: non_ascii,
                expected_path: spec.sandbox.path_for(ep, SANDBOX_CLIENT_ID),
                rule: None,
                schemas: spec.schemas,
            }),
        });
    }

    // Response verification matrix.
    // The matrix's replies answer an inquiry (they carry `paymentStatus`).
    let path = spec
        .endpoint("inquiryPayment")
        .map_or("/ams/api/v1/payments/inquiryPayment", |e| e.path)
        .to_owned();
    let sandbox_path = spec.sandbox.rewrite(&path, SANDBOX_CLIENT_ID);
    let s_reply = Reply::result("S", "SUCCESS", json!({"paymentStatus": "SUCCESS"}));
    let f_reply = Reply::result("F", "PARAM_ILLEGAL", json!({}));
    let u_reply = Reply::result("U", "UNKNOWN_EXCEPTION", json!({}));
    let pretty = Reply::raw(
        200,
        "{\n    \"result\": {\n        \"resultCode\": \"SUCCESS\",\n        \"resultStatus\": \"S\",\n        \"resultMessage\": \"success\"\n    }\n}",
        Signing::Signed,
    );
    let non_ascii = Reply::result(
        "S",
        "SUCCESS",
        json!({"paymentResultMessage": "支付成功 – payé"}),
    );
    // A body whose signature contains `+` in raw base64 (so a decoder that
    // turns `+` into a space breaks); found deterministically.
    let raw_plus = raw_plus_reply();
    let matrix: Vec<(&str, &str, String, Reply, bool, Level)> = vec![
        (
            "signed-s",
            "a correctly signed S response is accepted",
            path.clone(),
            s_reply.clone(),
            true,
            Level::Must,
        ),
        (
            "signed-f",
            "a correctly signed F response is accepted",
            path.clone(),
            f_reply.clone(),
            true,
            Level::Must,
        ),
        (
            "lower-hex",
            "percent-encoding with lower-case hex (%2f) is accepted",
            path.clone(),
            s_reply.clone().signing(Signing::SignedLowerHex),
            true,
            Level::Must,
        ),
        (
            "spaced-header",
            "a Signature header with spaces after commas is accepted",
            path.clone(),
            s_reply.clone().signing(Signing::SignedSpaced),
            true,
            Level::Must,
        ),
        (
            "raw-base64",
            "a signature that is not percent-encoded (raw base64 with `+`) is accepted",
            path.clone(),
            raw_plus,
            true,
            Level::Should,
        ),
        (
            "pretty-body",
            "a pretty-printed body is verified over its exact bytes",
            path.clone(),
            pretty,
            true,
            Level::Must,
        ),
        (
            "non-ascii-body",
            "a non-ASCII body is verified over its UTF-8 bytes",
            path.clone(),
            non_ascii,
            true,
            Level::Must,
        ),
        (
            "sandbox-path",
            "a response on a sandbox path is verified with the sandbox path",
            sandbox_path,
            s_reply.clone(),
            true,
            Level::Must,
        ),
        (
            "unsigned-f",
            "an unsigned F response (gateway error) is accepted",
            path.clone(),
            f_reply.clone().signing(Signing::Unsigned),
            true,
            Level::Should,
        ),
        (
            "unsigned-u",
            "an unsigned U response (gateway error) is accepted",
            path.clone(),
            u_reply.clone().signing(Signing::Unsigned),
            true,
            Level::Should,
        ),
        (
            "empty-signature-u",
            "a U response whose signature= value and response-time are empty is unsigned, and accepted as a gateway error",
            path.clone(),
            u_reply.clone().signing(Signing::EmptySignature),
            true,
            Level::Should,
        ),
        (
            "empty-signature-s",
            "an S response whose signature= value and response-time are empty is unsigned, and rejected",
            path.clone(),
            s_reply.clone().signing(Signing::EmptySignature),
            false,
            Level::Should,
        ),
        (
            "unpadded-base64",
            "a signature whose base64 lost its `=` padding (not canonical) is rejected",
            path.clone(),
            s_reply.clone().signing(Signing::Unpadded),
            false,
            Level::Should,
        ),
        (
            "stray-character",
            "a signature with a stray character in its base64 (not canonical) is rejected",
            path.clone(),
            s_reply.clone().signing(Signing::StrayCharacter),
            false,
            Level::Should,
        ),
        (
            "parameter-name-case",
            "a Signature header whose parameter is spelled `Signature=` is rejected (names are exact)",
            path.clone(),
            s_reply.clone().signing(Signing::CapitalisedParameter),
            false,
            Level::Should,
        ),
        (
            "reformatted-body",
            "a response signed over its compact body but delivered pretty-printed (the same JSON, other bytes) is rejected",
            path.clone(),
            s_reply.clone().signing(Signing::Reformatted),
            false,
            Level::Must,
        ),
        (
            "keys-reordered",
            "a response signed over its body but delivered with its keys reordered (the same JSON, other bytes) is rejected",
            path.clone(),
            s_reply.clone().signing(Signing::KeysReordered),
            false,
            Level::Must,
        ),
        (
            "unsigned-s",
            "an unsigned S response is rejected",
            path.clone(),
            s_reply.clone().signing(Signing::Unsigned),
            false,
            Level::Should,
        ),
        (
            "tampered-s",
            "a signed S response whose body changed is rejected",
            path.clone(),
            s_reply.clone().signing(Signing::TamperedBody),
            false,
            Level::Must,
        ),
        (
            "tampered-f",
            "a signed response whose body changed is rejected even if F",
            path.clone(),
            Reply::result("F", "PARAM_ILLEGAL", json!({"paymentId": "2026010112345"}))
                .signing(Signing::TamperedBody),
            false,
            Level::Must,
        ),
        (
            "wrong-key",
            "a response signed with a key other than Antom's is rejected",
            path.clone(),
            s_reply.clone().signing(Signing::WrongKey),
            false,
            Level::Must,
        ),
        (
            "signature-only",
            "a response with a signature but no response-time is rejected",
            path.clone(),
            s_reply.clone().signing(Signing::SignatureOnly),
            false,
            Level::Must,
        ),
        (
            "time-only",
            "a response with a response-time but no signature is rejected",
            path.clone(),
            s_reply.clone().signing(Signing::TimeOnly),
            false,
            Level::Should,
        ),
    ];
    for (id, desc, path, reply, accept, level) in matrix {
        cases.push(Case {
            id: format!("signature.response.{id}"),
            area: Area::Signature,
            level,
            description: desc.into(),
            kind: CaseKind::Signature(SignatureKind::VerifyResponse {
                path,
                reply,
                accept,
            }),
        });
    }

    if let Some(ep) = spec.scenario_endpoint() {
        let s = Reply::result("S", "SUCCESS", json!({}));
        let calls: Vec<(&str, &str, Reply, Expected, Level)> = vec![
            (
                "call.unsigned-s",
                "a call answered by an unsigned S response does not succeed",
                s.clone().signing(Signing::Unsigned),
                Expected::NotSuccess,
                Level::Should,
            ),
            (
                "call.tampered-s",
                "a call answered by a tampered S response does not succeed",
                s.clone().signing(Signing::TamperedBody),
                Expected::NotSuccess,
                Level::Must,
            ),
            (
                "call.wrong-key",
                "a call answered by a wrongly signed S response does not succeed",
                s.clone().signing(Signing::WrongKey),
                Expected::NotSuccess,
                Level::Must,
            ),
            (
                "call.unsigned-f",
                "a call answered by an unsigned F response fails with its code",
                Reply::result("F", "ACCESS_DENIED", json!({})).signing(Signing::Unsigned),
                Expected::Failed,
                Level::Should,
            ),
        ];
        cases.extend(unsigned_failure_action_case(spec));
        let mut calls = calls;
        calls.extend(binding_calls(ep));
        for (id, desc, reply, outcome, level) in calls {
            cases.push(Case {
                id: format!("signature.{id}"),
                area: Area::Signature,
                level,
                description: desc.into(),
                kind: CaseKind::Signature(SignatureKind::CallVerdict {
                    endpoint: ep,
                    reply,
                    outcome,
                }),
            });
        }
    }
    cases
}

/// A call answered by an unsigned F whose code's spec action is
/// `newRequestId`: unauthenticated, so the caller must not be told to send a
/// new request id (it could charge twice); any other action is acceptable.
fn unsigned_failure_action_case(spec: &SpecTables) -> Option<Case> {
    let first_new_request_id = |ep: &'static EndpointDef| {
        ep.result_codes
            .iter()
            .find(|c| c.status == SpecStatus::F && c.action == Action::NewRequestId)
            .map(|c| (ep, c))
    };
    let (ep, info) = spec
        .idempotent_endpoint()
        .and_then(first_new_request_id)
        .or_else(|| {
            spec.endpoints
                .iter()
                .copied()
                .find_map(first_new_request_id)
        })?;
    Some(Case {
        id: format!("signature.call.unsigned-f-new-request-id.{}.{}", ep.name, info.code),
        area: Area::Signature,
        level: Level::Should,
        description: format!(
            "an unsigned F `{}` (spec action newRequestId) is unauthenticated: its action is not newRequestId",
            info.code
        ),
        kind: CaseKind::Signature(SignatureKind::CallClass {
            endpoint: ep,
            reply: Reply::result("F", info.code, json!({})).signing(Signing::Unsigned),
            expect: ExpectedClass::new(
                OutcomeKind::Failed,
                Action::ALL
                    .into_iter()
                    .filter(|a| !matches!(a, Action::NewRequestId | Action::None))
                    .collect(),
            ),
        }),
    })
}

/// Calls answered by a genuine, correctly signed response that answers
/// another request: the implementation must bind a response to its request
/// (echoed request ids, client id, response-time), as no official SDK does
/// today. And the reverse: the answer that echoes this request's id succeeds.
fn binding_calls(ep: &EndpointDef) -> Vec<(&'static str, &'static str, Reply, Expected, Level)> {
    let mut calls = vec![
        (
            "call.stale-response-time",
            "a call answered by a genuine S signed years ago (a replayed capture) does not succeed",
            Reply::result("S", "SUCCESS", json!({})).at("2019-05-28T12:12:14+08:00"),
            Expected::NotSuccess,
            Level::Should,
        ),
        (
            "call.other-client-id",
            "a call answered by an S whose client-id header names another merchant does not succeed",
            Reply::result("S", "SUCCESS", json!({})).client_id_header("SANDBOX_5Y00000000000001"),
            Expected::NotSuccess,
            Level::Should,
        ),
    ];
    if let Some(field) = ep.echoes.first() {
        calls.push((
            "call.replayed-s",
            "a call answered by a genuine S for another request (another echoed request id) does not succeed",
            Reply::result("S", "SUCCESS", json!({ *field: "another-request" })),
            Expected::NotSuccess,
            Level::Should,
        ));
        calls.push((
            "call.echoed-s",
            "a call answered by an S that echoes the request's own id succeeds",
            Reply::result("S", "SUCCESS", json!({ *field: VERDICT_REQUEST_ID })),
            Expected::Success,
            Level::Must,
        ));
    }
    calls
}

/// A signed S reply whose raw base64 signature contains `+`.
fn raw_plus_reply() -> Reply {
    let keys = crate::crypto::TestKeys::load().ok();
    // The claimed time is fixed here, so the reply served is the one chosen.
    let at = crate::gateway::response_time();
    for n in 0..64 {
        let reply = Reply::result(
            "S",
            "SUCCESS",
            json!({"paymentId": format!("20260101{n:04}")}),
        )
        .signing(Signing::SignedRawBase64)
        .at(at.clone());
        let Some(keys) = keys.as_ref() else {
            return reply;
        };
        // Signed exactly as the verify-response case serves it (its path and
        // client id), so the `+` is in the signature the verifier sees.
        let (headers, _) = crate::gateway::build_reply(
            keys,
            "/ams/api/v1/payments/inquiryPayment",
            SANDBOX_CLIENT_ID,
            &reply,
        );
        if headers.get("signature").is_some_and(|s| s.contains('+')) {
            return reply;
        }
    }
    Reply::result("S", "SUCCESS", json!({})).signing(Signing::SignedRawBase64)
}

/// Judges a signature case.
pub async fn judge(kind: &SignatureKind, cx: &Context<'_>) -> Verdict {
    match kind {
        SignatureKind::SignVector {
            method,
            path,
            client_id,
            time,
            body,
            expected_b64,
        } => sign_vector(cx, method, path, client_id, time, body, expected_b64).await,
        SignatureKind::SignedCall {
            endpoint,
            client_id,
            request,
            expected_path,
            rule,
            schemas,
        } => {
            signed_call(
                cx,
                endpoint,
                client_id,
                request,
                expected_path,
                *rule,
                schemas,
            )
            .await
        }
        SignatureKind::VerifyResponse {
            path,
            reply,
            accept,
        } => verify_response(cx, path, reply, *accept).await,
        SignatureKind::CallVerdict {
            endpoint,
            reply,
            outcome,
        } => call_verdict(cx, endpoint, reply, *outcome).await,
        SignatureKind::CallClass {
            endpoint,
            reply,
            expect,
        } => judge_call_class(cx.imp, cx.keys, endpoint, reply, expect).await,
    }
}

/// `sign` must reproduce a signature vector.
async fn sign_vector(
    cx: &Context<'_>,
    method: &str,
    path: &str,
    client_id: &str,
    time: &str,
    body: &str,
    expected_b64: &str,
) -> Verdict {
    let (imp, keys) = (cx.imp, cx.keys);
    let priv_b64 = keys.merchant_private_base64();
    let r = op!(imp.sign(SignRequest {
        method: method.to_owned(),
        path: path.to_owned(),
        client_id: client_id.to_owned(),
        request_time: time.to_owned(),
        body: body.to_owned(),
        merchant_private_key: priv_b64,
    }));
    let expected_header = signature_header(&encode_signature(expected_b64, false), false);
    let parsed = match parse_signature_header(&r.signature) {
        Ok(p) => p,
        Err(e) => {
            return Verdict::Fail(Mismatch::new(
                Stage::Header,
                expected_header,
                format!("{:?}: {e}", r.signature),
            ))
        }
    };
    let raw = match decode_signature(&parsed.signature) {
        Ok(r) => r,
        Err(e) => {
            return Verdict::Fail(Mismatch::new(
                Stage::Header,
                expected_header,
                format!("{:?}: {e}", r.signature),
            ))
        }
    };
    let expected_raw = decode_signature(expected_b64).unwrap_or_default();
    if raw != expected_raw {
        let content = content_to_sign(method, path, client_id, time, body.as_bytes());
        return Verdict::Fail(Mismatch::new(
            Stage::Signature,
            format!(
                "{expected_header} (content to sign {:?})",
                String::from_utf8_lossy(&content)
            ),
            r.signature,
        ));
    }
    check!(
        parsed.key_version.as_deref() == Some("1"),
        Stage::Header,
        "keyVersion=1",
        format!(
            "keyVersion={}",
            parsed.key_version.as_deref().unwrap_or("(absent)")
        )
    );
    Verdict::Pass
}

/// `call` must send a correctly signed request with the right headers and
/// path, the body given (or, through the implementation's own request type,
/// a body carrying it), and take the signed S answer as a success.
async fn signed_call(
    cx: &Context<'_>,
    endpoint: &EndpointDef,
    client_id: &str,
    request: &serde_json::Value,
    expected_path: &str,
    rule: Option<&RequestRule>,
    schemas: &Schemas,
) -> Verdict {
    let (imp, keys) = (cx.imp, cx.keys);
    let script = vec![Step::Respond(Reply::result(
        "S",
        "SUCCESS",
        serde_json::json!({}),
    ))];
    let (res, captured, _) = match call_against(
        imp,
        keys,
        script,
        endpoint,
        client_id,
        request.clone(),
        retry_hint(1, ATTEMPT_TIMEOUT_MS),
    )
    .await
    {
        Ok(x) => x,
        Err(v) => return v,
    };
    let Some(cap) = captured.first() else {
        return match res {
            Err(e) => imp_err(e),
            Ok(r) => Verdict::Fail(Mismatch::new(
                Stage::Attempts,
                "one request",
                format!("no request reached the gateway (outcome {})", r.outcome),
            )),
        };
    };
    check!(
        captured.len() == 1,
        Stage::Attempts,
        "one request",
        format!("{} requests", captured.len())
    );
    if let Some(rule) = rule {
        return match (rule.check)(cap, Sent { client_id }) {
            Ok(()) => Verdict::Pass,
            Err(actual) => Verdict::Fail(Mismatch::new(
                rule.stage,
                format!("[{}] {}", rule.id, rule.rule),
                actual,
            )),
        };
    }
    check!(
        cap.path == expected_path,
        Stage::Path,
        expected_path.to_owned(),
        cap.path.to_owned()
    );
    if cap.signature_check.is_err() {
        return Verdict::Fail(diagnose_signature(keys, cap, expected_path, endpoint.path));
    }
    let sent: Result<serde_json::Value, _> = serde_json::from_slice(&cap.body);
    if let Ok(sent) = &sent {
        let violations = schemas.validate(endpoint.request, sent);
        check!(
            violations.is_empty(),
            Stage::Schema,
            format!(
                "a body valid against the spec's {} (required fields, JSON types, lengths, enum values)",
                endpoint.request
            ),
            violations
                .iter()
                .map(|v| v.to_string())
                .collect::<Vec<_>>()
                .join("; ")
        );
    }
    // Through its own request type an SDK writes its own body: it must
    // carry the fields given (and be valid, above), not be the very
    // same JSON.
    let typed = res.as_ref().is_ok_and(|r| r.typed);
    let _ = cx.typed.set(typed);
    let body_ok = match &sent {
        Ok(sent) if typed => carries(sent, request),
        Ok(sent) => sent == request,
        Err(_) => false,
    };
    check!(
        body_ok,
        Stage::Body,
        if typed {
            format!("a body carrying every field of {request}")
        } else {
            request.to_string()
        },
        String::from_utf8_lossy(&cap.body).to_string()
    );
    let r = match res {
        Ok(r) => r,
        Err(e) => return imp_err(e),
    };
    check!(
        Expected::Success.met_by(r.reported_outcome(), cx.classifies),
        Stage::Outcome,
        "success (signed S response)",
        format!("{} {}", r.outcome, r.detail.unwrap_or_default())
    );
    Verdict::Pass
}

/// `verifyResponse` must accept or reject a crafted response.
async fn verify_response(cx: &Context<'_>, path: &str, reply: &Reply, accept: bool) -> Verdict {
    let (imp, keys) = (cx.imp, cx.keys);
    let (headers, body) = build_reply(keys, path, SANDBOX_CLIENT_ID, reply);
    let pub_b64 = keys.antom_public_base64();
    let r = op!(imp.verify_response(VerifyResponseRequest {
        path: path.to_owned(),
        client_id: SANDBOX_CLIENT_ID.into(),
        headers,
        status: reply.status,
        body,
        antom_public_key: pub_b64,
    }));
    check!(
        r.accepted == accept,
        Stage::Verdict,
        if accept { "accepted" } else { "rejected" },
        format!(
            "{} {}",
            if r.accepted { "accepted" } else { "rejected" },
            r.reason.unwrap_or_default()
        )
    );
    Verdict::Pass
}

/// A call answered by a crafted response must (not) succeed.
async fn call_verdict(
    cx: &Context<'_>,
    endpoint: &EndpointDef,
    reply: &Reply,
    outcome: Expected,
) -> Verdict {
    let (imp, keys) = (cx.imp, cx.keys);
    let r = match single_reply_call(imp, keys, endpoint, reply, VERDICT_REQUEST_ID).await {
        Ok(r) => r,
        Err(v) => return v,
    };
    let classifies = cx.classifies;
    let (stage, expected) = match outcome {
        Expected::NotSuccess => (
            Stage::Verdict,
            format!("not {} (response rejected)", OutcomeKind::Success),
        ),
        _ => (Stage::Outcome, outcome.to_string()),
    };
    check!(
        outcome.met_by(r.reported_outcome(), classifies),
        stage,
        expected,
        format!("{} {}", r.outcome, r.detail.unwrap_or_default())
    );
    Verdict::Pass
}

/// Whether `sent` carries every field of `given` with its value (objects
/// may have more fields; arrays match item by item).
fn carries(sent: &serde_json::Value, given: &serde_json::Value) -> bool {
    use serde_json::Value;
    match (sent, given) {
        (Value::Object(s), Value::Object(g)) => g
            .iter()
            .all(|(k, gv)| s.get(k).is_some_and(|sv| carries(sv, gv))),
        (Value::Array(s), Value::Array(g)) => {
            s.len() == g.len() && s.iter().zip(g).all(|(sv, gv)| carries(sv, gv))
        }
        (s, g) => s == g,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The non-ASCII text goes into a field of the request model (an SDK's
    /// own request type would drop a field it does not have), and the
    /// request stays valid.
    #[test]
    fn the_non_ascii_request_carries_the_text_in_a_model_field() {
        let spec = crate::case::spec_tables();
        let (ep, field, request) = non_ascii_request(&spec).unwrap();
        let value = field.split('.').fold(&request, |v, name| &v[name]);
        assert!(value.as_str().is_some_and(|t| !t.is_ascii()), "{request}");
        assert_eq!(spec.schemas.validate(ep.request, &request), vec![]);
    }

    /// The raw-base64 case is only meaningful if the signature the verifier
    /// receives has a `+` (which a form decoder turns into a space).
    #[test]
    fn the_raw_base64_reply_as_served_has_a_plus() {
        let keys = crate::crypto::TestKeys::load().unwrap();
        let spec = crate::case::spec_tables();
        let case = cases(&spec)
            .into_iter()
            .find(|c| c.id == "signature.response.raw-base64")
            .unwrap();
        let CaseKind::Signature(SignatureKind::VerifyResponse { path, reply, .. }) = &case.kind
        else {
            panic!("{case:?}")
        };
        let (headers, _) = crate::gateway::build_reply(&keys, path, SANDBOX_CLIENT_ID, reply);
        let signature = &headers["signature"];
        assert!(signature.contains('+'), "{signature}");
    }
}
