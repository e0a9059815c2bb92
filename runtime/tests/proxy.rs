//! `HTTP(S)_PROXY` never applies to a loopback gateway. In its own test
//! binary because it sets process-wide environment variables.

mod common;

use antom_runtime::Outcome;
use common::gateway::*;

#[tokio::test]
async fn a_loopback_gateway_is_never_reached_through_the_environment_proxy() {
    // A proxy that does not exist: a request sent through it would fail.
    for var in [
        "HTTP_PROXY",
        "http_proxy",
        "HTTPS_PROXY",
        "https_proxy",
        "ALL_PROXY",
    ] {
        std::env::set_var(var, "http://127.0.0.1:9");
    }
    for var in ["NO_PROXY", "no_proxy"] {
        std::env::remove_var(var);
    }
    let h = Harness::new(vec![Step::Signed(S)]).await;
    let resp = h
        .client(SANDBOX_ID, |b| b)
        .execute_raw(&PAY, BODY)
        .await
        .unwrap();
    assert!(matches!(resp.outcome, Outcome::Success(_)), "{resp:?}");
    assert_eq!(h.requests().await.len(), 1);
}
