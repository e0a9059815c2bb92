//! Sign a request and check the signature, printing every stage — what to
//! compare with your own implementation when the gateway answers
//! `INVALID_SIGNATURE`.
//!
//! ```sh
//! cargo run -p antom-runtime --example sign_request
//! ```
//!
//! Uses the repository's published test key (never use it for real traffic).

use antom_runtime::signing::{self, SignInput};
use antom_runtime::{Backend, PrivateKey, DEFAULT_SANDBOX_RULE};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let key_text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/testdata/keys/merchant_private_pkcs8.b64"
    ))?;
    // Bare one-line base64, as the dashboard gives it; PEM works too.
    let key = PrivateKey::from_pem_or_base64(&key_text)?;
    println!("{key:?}"); // never shows key material

    let body = br#"{"paymentRequestId":"paymentRequestId01"}"#;
    // Sandbox client ids sign (and call) the sandbox path:
    // `/ams/sandbox/api/v1/payments/inquiryPayment`.
    let client_id = "SANDBOX_5X00000000000000";
    let path = DEFAULT_SANDBOX_RULE.rewrite("/ams/api/v1/payments/inquiryPayment", client_id);
    let input = SignInput {
        method: "POST",
        path: &path,
        client_id,
        time: "1685599933871",
        body,
    };
    let stages = signing::sign_explained(Backend::default(), &key, 1, &input)?;
    println!("content to sign:\n{}\n", stages.content_text());
    println!("base64:  {}", stages.base64);
    println!("encoded: {}", stages.encoded);
    println!("Signature: {}", stages.header);

    // The gateway checks it with the public key uploaded to the dashboard.
    signing::verify(key.public_key(), &input, &stages.header)?;
    println!("\nverifies with the matching public key");

    // One changed byte and it no longer does.
    let tampered = SignInput {
        time: "1685599933872",
        ..input
    };
    let err = signing::verify(key.public_key(), &tampered, &stages.header).unwrap_err();
    println!("with another Request-Time: {err}");
    Ok(())
}
