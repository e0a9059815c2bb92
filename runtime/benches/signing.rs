//! Sign and verify per backend; notification verify-and-parse vs bare verify.
//!
//! Run: `cargo bench -p antom-runtime --all-features --bench signing`
//! (method and figures in `BENCHMARKS.md`)

use std::hint::black_box;

use antom_runtime::notification::{verify_notification, NotificationOptions};
use antom_runtime::signing::{self, Backend, CryptoBackend, SignInput};
use antom_runtime::{PrivateKey, PublicKey};
use criterion::{criterion_group, criterion_main, Criterion};

const ANTOM_PRIVATE: &str = include_str!("../testdata/keys/antom_private_pkcs8.pem");
const ANTOM_PUBLIC: &str = include_str!("../testdata/keys/antom_public_spki.pem");
const NOTIFY_BODY: &str = r#"{"notifyType":"PAYMENT_RESULT","result":{"resultCode":"SUCCESS","resultStatus":"S","resultMessage":"success"},"paymentRequestId":"REQ-1","paymentId":"20240101123412340100001","paymentAmount":{"currency":"USD","value":"1000"},"paymentCreateTime":"2024-01-01T00:00:00+08:00","paymentTime":"2024-01-01T00:00:05+08:00"}"#;
const REQUEST_BODY: &str = r#"{"productCode":"CASHIER_PAYMENT","paymentRequestId":"REQ-1","order":{"referenceOrderId":"ORDER-1","orderDescription":"Test order","orderAmount":{"currency":"USD","value":"1000"}},"paymentAmount":{"currency":"USD","value":"1000"},"paymentMethod":{"paymentMethodType":"CARD"},"paymentRedirectUrl":"https://example.com/return","settlementStrategy":{"settlementCurrency":"USD"}}"#;

fn bench(c: &mut Criterion) {
    let private = PrivateKey::from_pem_or_base64(ANTOM_PRIVATE).unwrap();
    let public = PublicKey::from_pem_or_base64(ANTOM_PUBLIC).unwrap();
    let input = SignInput {
        method: "POST",
        path: "/ams/api/v1/payments/createPaymentSession",
        client_id: "SANDBOX_5X00000000000000",
        time: "1685599933871",
        body: REQUEST_BODY.as_bytes(),
    };
    let content = input.content();

    let mut group = c.benchmark_group("rsa2048");
    for backend in Backend::all() {
        let sig = backend.sign(&private, &content).unwrap();
        group.bench_function(format!("sign/{}", backend.name()), |b| {
            b.iter(|| backend.sign(&private, black_box(&content)).unwrap())
        });
        group.bench_function(format!("verify/{}", backend.name()), |b| {
            b.iter(|| assert!(backend.verify(&public, black_box(&content), black_box(&sig))))
        });
        group.bench_function(format!("sign_header/{}", backend.name()), |b| {
            b.iter(|| signing::sign_explained(*backend, &private, 1, black_box(&input)).unwrap())
        });
    }
    group.finish();

    let path = "/antom/notify";
    let notify_input = SignInput {
        method: "POST",
        path,
        client_id: "SANDBOX_5X00000000000000",
        time: "2024-01-01T00:00:05+08:00",
        body: NOTIFY_BODY.as_bytes(),
    };
    let header = signing::sign_explained(Backend::default(), &private, 1, &notify_input)
        .unwrap()
        .header;
    let headers = [
        ("content-type", "application/json"),
        ("client-id", notify_input.client_id),
        ("request-time", notify_input.time),
        ("signature", header.as_str()),
    ];
    let mut group = c.benchmark_group("notification");
    for backend in Backend::all() {
        // A fixed, old request-time: the bench measures verification, not age.
        let opts = NotificationOptions {
            backend: *backend,
            ..Default::default()
        }
        .request_time_tolerance(None);
        group.bench_function(format!("bare_verify/{}", backend.name()), |b| {
            b.iter(|| {
                signing::verify_with(*backend, &public, black_box(&notify_input), &header).unwrap()
            })
        });
        group.bench_function(format!("verify_and_parse/{}", backend.name()), |b| {
            b.iter(|| {
                let n = verify_notification(
                    &public,
                    "POST",
                    path,
                    headers,
                    black_box(NOTIFY_BODY.as_bytes()),
                    &opts,
                )
                .unwrap();
                black_box(n.dedup_key())
            })
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
