//! `allow_plain_http` warns for a host that is not loopback, and loopback
//! needs no warning. In its own test binary because it installs a tracing
//! subscriber (callsite interest is cached process-wide).

mod common;

use antom_runtime::ClientConfig;
use common::gateway::capture::Capture;
use common::{antom_public, merchant_private};

fn build(url: &str) {
    ClientConfig::builder()
        .client_id("SANDBOX_5X00000000000000")
        .merchant_private_key(merchant_private())
        .antom_public_key(antom_public())
        .gateway_url(url)
        .allow_plain_http(true)
        .build()
        .unwrap();
}

#[test]
fn plain_http_warns_only_for_hosts_that_are_not_loopback() {
    let cap = Capture::default();
    let _guard = tracing::subscriber::set_default(cap.clone());
    build("http://127.0.0.1:8080");
    build("http://localhost:8080");
    assert!(
        !cap.lines
            .lock()
            .unwrap()
            .iter()
            .any(|l| l.contains("unencrypted")),
        "{:#?}",
        cap.lines.lock().unwrap()
    );
    build("http://mock-gateway:8080");
    let lines = cap.lines.lock().unwrap().clone();
    let warning: Vec<&String> = lines.iter().filter(|l| l.contains("unencrypted")).collect();
    assert_eq!(warning.len(), 1, "{lines:#?}");
    assert!(warning[0].contains("mock-gateway"), "{lines:#?}");
}
