//! `--webhook-url`: notifications posted over HTTP to a running webhook.

use std::collections::BTreeMap;
use std::sync::Arc;

use antom_conformance::cases::{all_cases, Area, SANDBOX_CLIENT_ID};
use antom_conformance::protocol::{Implementation, VerifyNotificationRequest, ACK_BODY};
use antom_conformance::reference::{spec_tables, ReferenceImplementation};
use antom_conformance::runner::{
    run_suite, NotificationTarget, RunOptions, Stage, Status, Verdict,
};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// A minimal webhook: verifies with the reference implementation (or, when
/// `ack_all`, acknowledges everything).
async fn start_webhook(ack_all: bool) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let imp = Arc::new(ReferenceImplementation::new());
    let antom_public = antom_conformance::crypto::TestKeys::load()
        .unwrap()
        .antom_public_base64();
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            let imp = imp.clone();
            let antom_public = antom_public.clone();
            tokio::spawn(async move {
                let mut buf = Vec::new();
                let mut chunk = [0u8; 4096];
                let (head_end, len) = loop {
                    let n = stream.read(&mut chunk).await.unwrap_or(0);
                    if n == 0 {
                        return;
                    }
                    buf.extend_from_slice(&chunk[..n]);
                    if let Some(p) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                        let head = String::from_utf8_lossy(&buf[..p]).to_lowercase();
                        let len = head
                            .lines()
                            .find_map(|l| l.strip_prefix("content-length:"))
                            .and_then(|v| v.trim().parse::<usize>().ok())
                            .unwrap_or(0);
                        break (p, len);
                    }
                };
                while buf.len() < head_end + 4 + len {
                    let n = stream.read(&mut chunk).await.unwrap_or(0);
                    if n == 0 {
                        return;
                    }
                    buf.extend_from_slice(&chunk[..n]);
                }
                let head = String::from_utf8_lossy(&buf[..head_end]).to_string();
                let mut lines = head.split("\r\n");
                let path = lines
                    .next()
                    .unwrap_or_default()
                    .split(' ')
                    .nth(1)
                    .unwrap_or("/")
                    .to_owned();
                let headers: BTreeMap<String, String> = lines
                    .filter_map(|l| l.split_once(':'))
                    .map(|(k, v)| (k.trim().to_lowercase(), v.trim().to_owned()))
                    .collect();
                let body =
                    String::from_utf8_lossy(&buf[head_end + 4..head_end + 4 + len]).to_string();
                let (status, reply) = if ack_all {
                    (200, ACK_BODY.to_owned())
                } else {
                    let r = imp
                        .verify_notification(VerifyNotificationRequest {
                            path,
                            headers,
                            body,
                            client_id: SANDBOX_CLIENT_ID.into(),
                            antom_public_key: antom_public,
                            scope: "webhook".into(),
                        })
                        .await
                        .unwrap();
                    (r.status, r.body)
                };
                let out = format!(
                    "HTTP/1.1 {status} X\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{reply}",
                    reply.len()
                );
                let _ = stream.write_all(out.as_bytes()).await;
            });
        }
    });
    format!("http://{addr}/antom/webhook")
}

async fn run_against(url: String) -> antom_conformance::runner::RunReport {
    let cases: Vec<_> = all_cases(&spec_tables())
        .into_iter()
        .filter(|c| c.area == Area::Notification)
        .collect();
    run_suite(
        Arc::new(ReferenceImplementation::new()),
        cases,
        RunOptions {
            notifications: NotificationTarget::Webhook {
                url,
                client_id: SANDBOX_CLIENT_ID.into(),
            },
            ..RunOptions::default()
        },
    )
    .await
}

#[tokio::test(flavor = "multi_thread")]
async fn a_correct_webhook_passes() {
    let report = run_against(start_webhook(false).await).await;
    let bad = report.not_passed();
    assert!(bad.is_empty(), "{bad:#?}");
    let notification_cases = all_cases(&spec_tables())
        .into_iter()
        .filter(|c| c.area == Area::Notification)
        .count();
    assert!(notification_cases >= 12, "{notification_cases}");
    assert_eq!(report.results.len(), notification_cases);
    assert!(report.results.iter().any(|r| r.id == "notification.stale"));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_webhook_that_acknowledges_everything_is_caught() {
    let report = run_against(start_webhook(true).await).await;
    let failed: Vec<_> = report
        .results
        .iter()
        .filter_map(|r| match &r.verdict {
            Verdict::Fail(m) => Some((r.id.as_str(), m.stage)),
            _ => None,
        })
        .collect();
    assert!(
        failed.contains(&("notification.tampered-body", Stage::Acknowledgement)),
        "{failed:?}"
    );
    assert!(
        failed.contains(&("notification.wrong-key", Stage::Acknowledgement)),
        "{failed:?}"
    );
    assert!(failed
        .iter()
        .all(|(id, _)| !id.starts_with("notification.valid")));
}

#[tokio::test]
async fn non_loopback_webhooks_are_refused() {
    let cases: Vec<_> = all_cases(&spec_tables())
        .into_iter()
        .filter(|c| c.id == "notification.valid")
        .collect();
    let report = run_suite(
        Arc::new(ReferenceImplementation::new()),
        cases,
        RunOptions {
            notifications: NotificationTarget::Webhook {
                url: "http://192.0.2.1/notify".into(),
                client_id: SANDBOX_CLIENT_ID.into(),
            },
            ..RunOptions::default()
        },
    )
    .await;
    assert_eq!(report.count(Status::Failed), 1);
}
