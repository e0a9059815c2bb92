//! Receive a notification: verify it on the raw parts of the HTTP request,
//! process it once however often Antom resends it, and acknowledge it.
//!
//! ```sh
//! cargo run -p antom-runtime --example notification
//! ```
//!
//! The notification is signed here with the repository's test key playing
//! Antom's, so the example runs offline; a web handler does the same with the
//! request it received (any framework: pass the method, path, headers and
//! body bytes).

use antom_runtime::notification::{
    acknowledgement, verify_notification, Deduplicator, InMemoryDeduplicator, NotificationOptions,
    RESEND_SCHEDULE,
};
use antom_runtime::signing::{self, SignInput};
use antom_runtime::{PrivateKey, PublicKey};

const CLIENT_ID: &str = "SANDBOX_5X00000000000000";
const PATH: &str = "/antom/notify";

fn key(name: &str) -> String {
    std::fs::read_to_string(format!(
        "{}/testdata/keys/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .expect("test key")
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    // What Antom sends.
    let body = br#"{"notifyType":"PAYMENT_RESULT","result":{"resultCode":"SUCCESS","resultStatus":"S","resultMessage":"success"},"paymentRequestId":"pay-0001","paymentId":"2024010119400000000","paymentAmount":{"currency":"USD","value":"1000"}}"#;
    let time = "2026-11-22T10:00:00+08:00";
    let antom_private = PrivateKey::from_pem_or_base64(&key("antom_private_pkcs8.pem"))?;
    let signature = signing::sign(
        &antom_private,
        1,
        &SignInput {
            method: "POST",
            path: PATH,
            client_id: CLIENT_ID,
            time,
            body,
        },
    )?;
    let headers = [
        ("client-id", CLIENT_ID.to_owned()),
        ("request-time", time.to_owned()),
        ("signature", signature),
    ];

    // What the merchant does, for each of up to 8 deliveries.
    let antom_public = PublicKey::from_pem_or_base64(&key("antom_public_spki.pem"))?;
    let options = NotificationOptions::default().expect_client_id(CLIENT_ID);
    let seen = InMemoryDeduplicator::default();
    for (delivery, delay) in RESEND_SCHEDULE.iter().enumerate() {
        let verified = verify_notification(
            &antom_public,
            "POST",
            PATH,
            headers.iter().map(|(k, v)| (*k, v.as_bytes())),
            body,
            &options,
        )?;
        if seen.claim(&verified.dedup_key()) {
            println!(
                "delivery {} (+{delay:?}): processing {} for {}",
                delivery + 1,
                verified.envelope.notify_type.as_deref().unwrap_or("?"),
                verified.dedup_key()
            );
        } else {
            println!("delivery {} (+{delay:?}): already processed", delivery + 1);
        }
        let (status, content_type, ack) = acknowledgement();
        if delivery == 0 {
            println!("  answer: HTTP {status}, {content_type}, {ack}");
        }
    }

    // A tampered body is refused: do not acknowledge it.
    let mut tampered = body.to_vec();
    tampered[body.len() - 5] = b'9';
    let err = verify_notification(
        &antom_public,
        "POST",
        PATH,
        headers.iter().map(|(k, v)| (*k, v.as_bytes())),
        &tampered,
        &options,
    )
    .unwrap_err();
    println!("tampered notification: {err}");
    Ok(())
}
