//! The adapter protocol round trip with the reference adapter binary.

use std::sync::Arc;

use antom_conformance::adapter::{handle_line, AdapterProcess};
use antom_conformance::cases::{all_cases, glob_match};
use antom_conformance::protocol::{Capability, Implementation, SignRequest};
use antom_conformance::reference::{spec_tables, ReferenceImplementation};
use antom_conformance::runner::{run_suite, RunOptions, Status};

const ADAPTER: &str = env!("CARGO_BIN_EXE_antom-conformance-adapter");

#[tokio::test(flavor = "multi_thread")]
async fn reference_adapter_passes_a_cross_section_of_the_suite() {
    let patterns = [
        "signature.vector.*",
        "signature.response.*",
        "signature.request.production",
        "signature.call.*",
        "retry.u-s",
        "retry.f-no-retry",
        "status.inquiryPayment.*",
        "status.business.*",
        "notification.*",
    ];
    let cases: Vec<_> = all_cases(&spec_tables())
        .into_iter()
        .filter(|c| patterns.iter().any(|p| glob_match(p, &c.id)))
        .collect();
    assert!(cases.len() > 40);
    let adapter = AdapterProcess::spawn(ADAPTER).expect("adapter starts");
    let report = run_suite(Arc::new(adapter), cases, RunOptions::default()).await;
    let bad = report.not_passed();
    assert!(bad.is_empty(), "{bad:#?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_dead_adapter_fails_cases_instead_of_hanging() {
    let adapter = AdapterProcess::spawn("exit 0").expect("spawns");
    let cases: Vec<_> = all_cases(&spec_tables())
        .into_iter()
        .filter(|c| c.id == "signature.response.signed-s")
        .collect();
    let report = run_suite(Arc::new(adapter), cases, RunOptions::default()).await;
    assert_eq!(report.count(Status::Failed), 1);
}

#[tokio::test]
async fn protocol_errors_are_replies() {
    let imp = ReferenceImplementation::new();
    let r = handle_line(
        &imp,
        r#"{"v":3,"id":7,"op":"classify","endpoint":"pay","body":"{}"}"#,
    )
    .await;
    assert_eq!(r.id, 7);
    assert_eq!(r.error.as_ref().map(|e| e.kind.as_str()), Some("failed"));
    let r = handle_line(&imp, r#"{"v":1,"id":8,"op":"teleport"}"#).await;
    assert_eq!(
        r.error.as_ref().map(|e| e.kind.as_str()),
        Some("unsupported")
    );
    let r = handle_line(&imp, "not json").await;
    assert!(r.error.is_some());
    let r = handle_line(
        &imp,
        r#"{"v":1,"id":9,"op":"classify","endpoint":"inquiryPayment","body":"{\"result\":{\"resultCode\":\"SUCCESS\",\"resultStatus\":\"S\"},\"paymentStatus\":\"PROCESSING\"}"}"#,
    )
    .await;
    let result = r.result.expect("a result");
    assert_eq!(result["outcome"], "success");
    assert_eq!(result["action"], "none");
    assert_eq!(result["businessOutcome"], "pending");
}

#[tokio::test]
async fn hello_names_the_implementation_and_its_capabilities() {
    let imp = ReferenceImplementation::new();
    let r = handle_line(&imp, r#"{"v":2,"id":1,"op":"hello","versions":[1,2]}"#).await;
    assert_eq!(r.v, 2);
    let hello = r.result.expect("a result");
    assert_eq!(hello["implementation"], "antom + antom-runtime (Rust)");
    assert_eq!(
        hello["capabilities"].as_array().unwrap().len(),
        Capability::ALL.len()
    );
    // A version 1 request is still answered, in version 1.
    let r = handle_line(
        &imp,
        r#"{"v":1,"id":2,"op":"classify","endpoint":"pay","body":"{\"result\":{\"resultCode\":\"SUCCESS\",\"resultStatus\":\"S\"}}"}"#,
    )
    .await;
    assert_eq!(r.v, 1);
    assert!(r.result.is_some(), "{r:?}");
}

/// A version 1 adapter answers `hello` with an error: it is judged as
/// offering everything and spoken to in version 1 from then on.
#[tokio::test(flavor = "multi_thread")]
async fn a_version_1_adapter_is_still_accepted() {
    let script = r#"while IFS= read -r line; do
  id=$(printf '%s' "$line" | sed 's/.*"id":\([0-9]*\).*/\1/')
  case "$line" in
    *'"v":1'*) printf '{"v":1,"id":%s,"result":{"signature":"from-v1"}}\n' "$id" ;;
    *) printf '{"v":1,"id":%s,"error":{"kind":"failed","message":"unsupported protocol version"}}\n' "$id" ;;
  esac
done"#;
    let adapter = AdapterProcess::spawn(script).expect("spawns");
    let hello = adapter.hello().await.unwrap();
    assert!(Capability::ALL.iter().all(|c| hello.offers(*c)));
    let signed = adapter
        .sign(SignRequest {
            method: "POST".into(),
            path: "/p".into(),
            client_id: "c".into(),
            request_time: "1".into(),
            body: "{}".into(),
            merchant_private_key: "k".into(),
        })
        .await
        .unwrap();
    assert_eq!(signed.signature, "from-v1");
}
