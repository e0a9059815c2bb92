//! The client's tracing output: one span per attempt, no secrets.
//!
//! Alone in its own test binary (its own process) on purpose: tracing caches
//! each callsite's interest process-wide, so a test that installs a scoped
//! subscriber while other tests emit the same callsites concurrently can miss
//! spans. Here nothing else runs.

mod common;

use common::gateway::*;
use common::MERCHANT_PRIVATE_B64;

#[tokio::test]
async fn one_span_per_attempt_and_no_secrets_in_traces() {
    let cap = capture::Capture::default();
    let _guard = tracing::subscriber::set_default(cap.clone());
    let h = Harness::new(vec![Step::Status(500), Step::Signed(U), Step::Signed(S)]).await;
    h.client(SANDBOX_ID, |b| b.agent_token("AGENT-SECRET-TOKEN"))
        .execute_raw(&PAY, BODY)
        .await
        .unwrap();
    let lines = cap.lines.lock().unwrap().clone();
    let spans: Vec<&String> = lines
        .iter()
        .filter(|l| l.starts_with("span antom_attempt"))
        .collect();
    assert_eq!(spans.len(), 3, "{lines:#?}");
    for (i, s) in spans.iter().enumerate() {
        assert!(s.contains("endpoint=\"pay\""), "{s}");
        assert!(s.contains(&format!("attempt={}", i + 1)), "{s}");
        assert!(s.contains("request_id=\"REQ-42\""), "{s}");
    }
    let all = lines.join("\n");
    let key_fragment = &MERCHANT_PRIVATE_B64.trim()[64..96];
    assert!(!all.contains(key_fragment));
    assert!(!all.contains("AGENT-SECRET-TOKEN"));
    assert!(!all.contains("signature="), "signatures are not logged");
}
