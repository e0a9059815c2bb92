//! The notification area: deliveries a webhook must acknowledge (and
//! process once) and deliveries it must refuse, delivered through the
//! implementation's `verifyNotification` or posted to a running webhook.

use std::collections::BTreeMap;

use super::Context;
use crate::case::{
    Area, Case, CaseKind, Delivery, NotificationKind, NOTIFY_PATH, SANDBOX_CLIENT_ID,
};
use crate::crypto::{content_to_sign, encode_signature, sign_base64, signature_header, TestKeys};
use crate::judge::{check, imp_err};
use crate::level::Level;
use crate::protocol::{
    is_acknowledgement, Implementation, VerifyNotificationRequest, VerifyNotificationResponse,
};
use crate::verdict::{Mismatch, Stage, Verdict};
use crate::webhook::NotificationTarget;

/// The notification area's cases: deliveries valid in every accepted
/// encoding, deliveries tampered, forged, stale or incomplete, and Antom's
/// redelivery schedule.
pub fn cases() -> Vec<Case> {
    let mut cases = Vec::new();
    let list: [(&str, &str, Delivery, bool, Level); 12] = [
        (
            "valid",
            "a valid notification is acknowledged with the exact acknowledgement body",
            Delivery::Valid,
            true,
            Level::Must,
        ),
        (
            "valid-lower-hex",
            "a valid notification with lower-case percent-encoding is acknowledged",
            Delivery::ValidLowerHex,
            true,
            Level::Must,
        ),
        (
            "valid-spaced-header",
            "a valid notification with spaces in the Signature header is acknowledged",
            Delivery::ValidSpaced,
            true,
            Level::Must,
        ),
        (
            "valid-non-ascii",
            "a valid notification with a non-ASCII body is acknowledged",
            Delivery::ValidNonAscii,
            true,
            Level::Must,
        ),
        (
            "tampered-body",
            "a notification whose body changed after signing is not acknowledged",
            Delivery::TamperedBody,
            false,
            Level::Must,
        ),
        (
            "wrong-key",
            "a notification signed with a key other than Antom's is not acknowledged",
            Delivery::WrongKey,
            false,
            Level::Must,
        ),
        (
            "missing-signature",
            "a notification without a signature header is not acknowledged",
            Delivery::MissingSignature,
            false,
            Level::Must,
        ),
        (
            "reformatted-body",
            "a notification signed over its compact body but delivered pretty-printed (the same JSON, other bytes) is not acknowledged",
            Delivery::Reformatted,
            false,
            Level::Must,
        ),
        (
            "stale",
            "a genuine notification signed years ago (replayed after any dedup window) is not acknowledged",
            Delivery::Stale,
            false,
            Level::Should,
        ),
        (
            "missing-request-time",
            "a notification without a request-time header is not acknowledged",
            Delivery::MissingRequestTime,
            false,
            Level::Must,
        ),
        (
            "missing-client-id",
            "a notification without a client-id header is not acknowledged",
            Delivery::MissingClientId,
            false,
            Level::Must,
        ),
        (
            "wrong-client-id",
            "a validly signed notification for another client id is not acknowledged",
            Delivery::WrongClientId,
            false,
            Level::Must,
        ),
    ];
    for (id, desc, delivery, ack, level) in list {
        cases.push(Case {
            id: format!("notification.{id}"),
            area: Area::Notification,
            level,
            description: desc.into(),
            kind: CaseKind::Notification(NotificationKind::Delivery { delivery, ack }),
        });
    }
    cases.push(Case {
        id: "notification.redelivery".into(),
        area: Area::Notification,
        level: Level::Must,
        description: "the same notification delivered 8 times (Antom's schedule) is acknowledged each time and processed once".into(),
        kind: CaseKind::Notification(NotificationKind::Redelivery { times: 8 }),
    });
    cases
}

/// Judges a notification case.
pub async fn judge(kind: &NotificationKind, cx: &Context<'_>) -> Verdict {
    match kind {
        NotificationKind::Delivery { delivery, ack } => delivered(cx, *delivery, *ack).await,
        NotificationKind::Redelivery { times } => redelivered(cx, *times).await,
    }
}

/// One delivery must (not) be acknowledged and processed.
async fn delivered(cx: &Context<'_>, delivery: Delivery, ack: bool) -> Verdict {
    let (imp, keys) = (cx.imp, cx.keys);
    let client_id = notification_client_id(cx.notifications);
    let scope = format!("conformance-{}", cx.case_id);
    let (path, headers, body) = notification(keys, cx.notifications, delivery, &client_id, &scope);
    let r = match deliver(
        imp,
        keys,
        cx.notifications,
        &path,
        headers,
        body,
        &client_id,
        &scope,
    )
    .await
    {
        Ok(r) => r,
        Err(v) => return v,
    };
    let acked = is_acknowledgement(r.status, &r.body);
    check!(
        acked == ack,
        Stage::Acknowledgement,
        if ack {
            format!("HTTP 200 {}", crate::protocol::ACK_BODY)
        } else {
            "no acknowledgement".to_owned()
        },
        format!("HTTP {} {}", r.status, r.body)
    );
    if matches!(cx.notifications, NotificationTarget::Implementation) {
        check!(
            r.processed == ack,
            Stage::Processing,
            if ack { "processed" } else { "not processed" },
            if r.processed {
                "processed"
            } else {
                "not processed"
            }
        );
    }
    Verdict::Pass
}

/// The same valid delivery, `times` times, must be acknowledged each time
/// and processed once.
async fn redelivered(cx: &Context<'_>, times: usize) -> Verdict {
    let (imp, keys) = (cx.imp, cx.keys);
    let client_id = notification_client_id(cx.notifications);
    let scope = format!("conformance-{}", cx.case_id);
    let (path, headers, body) =
        notification(keys, cx.notifications, Delivery::Valid, &client_id, &scope);
    let mut processed = 0;
    for i in 0..times {
        let r = match deliver(
            imp,
            keys,
            cx.notifications,
            &path,
            headers.clone(),
            body.clone(),
            &client_id,
            &scope,
        )
        .await
        {
            Ok(r) => r,
            Err(v) => return v,
        };
        check!(
            is_acknowledgement(r.status, &r.body),
            Stage::Acknowledgement,
            format!("delivery {} acknowledged", i + 1),
            format!("HTTP {} {}", r.status, r.body)
        );
        processed += usize::from(r.processed);
    }
    if matches!(cx.notifications, NotificationTarget::Implementation) {
        check!(
            processed == 1,
            Stage::Processing,
            format!("processed once over {times} deliveries"),
            format!("processed {processed} times")
        );
    }
    Verdict::Pass
}

fn notification_client_id(target: &NotificationTarget) -> String {
    match target {
        NotificationTarget::Implementation => SANDBOX_CLIENT_ID.to_owned(),
        NotificationTarget::Webhook { client_id, .. } => client_id.clone(),
    }
}

/// The `request-time` a notification built now claims: ISO 8601 as in
/// Antom's samples, so fresh for an implementation that checks the age of a
/// delivery.
pub fn notify_time() -> String {
    antom_runtime::timestamp::format_iso8601(std::time::SystemTime::now())
}

/// The `request-time` of [`Delivery::Stale`]: Antom's documented sample
/// time, years before any run.
pub const STALE_NOTIFY_TIME: &str = "2019-05-28T12:12:14+08:00";

/// Builds a notification delivery: path, headers, body.
pub fn notification(
    keys: &TestKeys,
    target: &NotificationTarget,
    delivery: Delivery,
    client_id: &str,
    scope: &str,
) -> (String, BTreeMap<String, String>, String) {
    let path = match target {
        NotificationTarget::Implementation => NOTIFY_PATH.to_owned(),
        NotificationTarget::Webhook { url, .. } => url_path(url),
    };
    let description = if delivery == Delivery::ValidNonAscii {
        "测试订单 – café"
    } else {
        "conformance order"
    };
    let body = serde_json::json!({
        "notifyType": "PAYMENT_RESULT",
        "result": {"resultCode": "SUCCESS", "resultStatus": "S", "resultMessage": "success."},
        "paymentRequestId": scope,
        "paymentId": format!("2026010100000{}", scope.len()),
        "paymentAmount": {"currency": "USD", "value": "1000"},
        "paymentCreateTime": "2026-01-01T08:00:00+08:00",
        "paymentTime": "2026-01-01T08:00:04+08:00",
        "orderDescription": description,
    })
    .to_string();
    let signer_client = if delivery == Delivery::WrongClientId {
        "SANDBOX_OTHER00000000000"
    } else {
        client_id
    };
    let key = if delivery == Delivery::WrongKey {
        &keys.merchant_private
    } else {
        &keys.antom_private
    };
    let fresh = notify_time();
    let time = if delivery == Delivery::Stale {
        STALE_NOTIFY_TIME
    } else {
        &fresh
    };
    let content = content_to_sign("POST", &path, signer_client, time, body.as_bytes());
    let b64 = sign_base64(key, &content).unwrap_or_default();
    let sig = match delivery {
        Delivery::ValidLowerHex => signature_header(&encode_signature(&b64, true), false),
        Delivery::ValidSpaced => signature_header(&encode_signature(&b64, false), true),
        _ => signature_header(&encode_signature(&b64, false), false),
    };
    let mut headers = BTreeMap::new();
    headers.insert("content-type".to_owned(), "application/json".to_owned());
    if delivery != Delivery::MissingClientId {
        headers.insert("client-id".to_owned(), signer_client.to_owned());
    }
    if delivery != Delivery::MissingRequestTime {
        headers.insert("request-time".to_owned(), time.to_owned());
    }
    if delivery != Delivery::MissingSignature {
        headers.insert("signature".to_owned(), sig);
    }
    let body = match delivery {
        Delivery::TamperedBody => body.replace("\"1000\"", "\"1001\""),
        Delivery::Reformatted => crate::gateway::reformatted(&body),
        _ => body,
    };
    (path, headers, body)
}

fn url_path(url: &str) -> String {
    let rest = url.split_once("://").map(|(_, r)| r).unwrap_or(url);
    match rest.find('/') {
        Some(i) => rest[i..].to_owned(),
        None => "/".to_owned(),
    }
}

#[allow(clippy::too_many_arguments)]
async fn deliver(
    imp: &dyn Implementation,
    keys: &TestKeys,
    target: &NotificationTarget,
    path: &str,
    headers: BTreeMap<String, String>,
    body: String,
    client_id: &str,
    scope: &str,
) -> Result<VerifyNotificationResponse, Verdict> {
    match target {
        NotificationTarget::Implementation => {
            let pub_b64 = keys.antom_public_base64();
            imp.verify_notification(VerifyNotificationRequest {
                path: path.to_owned(),
                headers,
                body,
                client_id: client_id.to_owned(),
                antom_public_key: pub_b64,
                scope: scope.to_owned(),
            })
            .await
            .map_err(imp_err)
        }
        NotificationTarget::Webhook { url, .. } => crate::webhook::post(url, &headers, &body)
            .await
            .map(|(status, body)| VerifyNotificationResponse {
                status,
                body,
                processed: false,
            })
            .map_err(|e| {
                Verdict::Fail(Mismatch::new(
                    Stage::Implementation,
                    "the webhook answers",
                    e.to_string(),
                ))
            }),
    }
}
