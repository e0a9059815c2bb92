//! Signature forensics: the variant of the content that was signed is named,
//! and a key that is not the signer's is told apart from a changed content.

mod common;

use antom_runtime::signing::forensics::{diagnose, recover_digest, Diagnosis, Difference};
use antom_runtime::signing::{self, SignInput};
use common::*;

const RULE: antom_runtime::SandboxRule = antom_runtime::DEFAULT_SANDBOX_RULE;
const SANDBOX_PATH: &str = "/ams/sandbox/api/v1/payments/pay";
const PROD_PATH: &str = "/ams/api/v1/payments/pay";
const CLIENT: &str = "SANDBOX_5X00000000000000";
const TIME: &str = "1685599933871";
const BODY: &str =
    r#"{"paymentRequestId":"pay-1","paymentAmount":{"currency":"USD","value":"100"}}"#;

fn input<'a>(path: &'a str, client_id: &'a str, time: &'a str, body: &'a [u8]) -> SignInput<'a> {
    SignInput {
        method: "POST",
        path,
        client_id,
        time,
        body,
    }
}

/// The Signature header of `signed`, made with the merchant key.
fn header(signed: &SignInput<'_>) -> String {
    signing::sign(&merchant_private(), 1, signed).unwrap()
}

fn differences(d: Diagnosis) -> Vec<Difference> {
    match d {
        Diagnosis::SignedOver { differences, .. } => differences,
        other => panic!("{other}"),
    }
}

#[test]
fn the_exact_content_is_valid() {
    let i = input(SANDBOX_PATH, CLIENT, TIME, BODY.as_bytes());
    assert_eq!(
        diagnose(&RULE, &merchant_public(), &[], &i, &header(&i), None),
        Diagnosis::Valid
    );
}

#[test]
fn each_classic_mistake_is_named() {
    let checked = input(SANDBOX_PATH, CLIENT, TIME, BODY.as_bytes());
    let key = merchant_public();
    // The production path signed for a sandbox call.
    let signed = header(&input(PROD_PATH, CLIENT, TIME, BODY.as_bytes()));
    assert_eq!(
        differences(diagnose(&RULE, &key, &[], &checked, &signed, None)),
        [Difference::Path(PROD_PATH.into())]
    );
    let d = diagnose(&RULE, &key, &[], &checked, &signed, None);
    assert!(
        d.to_string()
            .contains("the path `/ams/api/v1/payments/pay`"),
        "{d}"
    );

    // The body re-serialised pretty after signing the compact one.
    let pretty = "{\n  \"paymentRequestId\": \"pay-1\",\n  \"paymentAmount\": {\n    \"currency\": \"USD\",\n    \"value\": \"100\"\n  }\n}";
    let checked_pretty = input(SANDBOX_PATH, CLIENT, TIME, pretty.as_bytes());
    let signed = header(&checked);
    assert_eq!(
        differences(diagnose(&RULE, &key, &[], &checked_pretty, &signed, None)),
        [Difference::Body("compact JSON")]
    );

    // The client id of the header, not the one configured.
    let signed = header(&input(
        SANDBOX_PATH,
        "SANDBOX_5Y00000000000001",
        TIME,
        BODY.as_bytes(),
    ));
    assert_eq!(
        differences(diagnose(
            &RULE,
            &key,
            &[],
            &checked,
            &signed,
            Some("SANDBOX_5Y00000000000001")
        )),
        [Difference::ClientId("SANDBOX_5Y00000000000001".into())]
    );

    // The time signed in ISO 8601, the header sent in epoch milliseconds.
    let iso =
        antom_runtime::timestamp::format_iso8601(antom_runtime::timestamp::parse(TIME).unwrap());
    let signed = header(&input(SANDBOX_PATH, CLIENT, &iso, BODY.as_bytes()));
    assert_eq!(
        differences(diagnose(&RULE, &key, &[], &checked, &signed, None)),
        [Difference::Time(iso)]
    );

    // Two mistakes at once are both named.
    let signed = header(&input(PROD_PATH, CLIENT, TIME, pretty.as_bytes()));
    let d = differences(diagnose(&RULE, &key, &[], &checked, &signed, None));
    assert_eq!(d.len(), 2, "{d:?}");
}

#[test]
fn a_raw_base64_value_that_was_form_decoded_is_recognised() {
    let i = input(SANDBOX_PATH, CLIENT, TIME, BODY.as_bytes());
    // Find a time whose signature has a `+`, then send it raw and let a
    // form decoder turn the `+` into spaces.
    let (time, raw) = (0..200u64)
        .map(|n| {
            let t = (1_685_599_933_871u64 + n).to_string();
            let e = signing::sign_explained(
                antom_runtime::Backend::default(),
                &merchant_private(),
                1,
                &input(SANDBOX_PATH, CLIENT, &t, BODY.as_bytes()),
            )
            .unwrap();
            (t, e.base64)
        })
        .find(|(_, b64)| b64.contains('+'))
        .unwrap();
    let _ = i;
    let checked = input(SANDBOX_PATH, CLIENT, &time, BODY.as_bytes());
    let header = format!(
        "algorithm=RSA256,keyVersion=1,signature={}",
        raw.replace('+', " ")
    );
    assert_eq!(
        differences(diagnose(
            &RULE,
            &merchant_public(),
            &[],
            &checked,
            &header,
            None
        )),
        [Difference::SignatureEncoding]
    );
}

#[test]
fn a_key_that_is_not_the_signers_is_told_apart() {
    let i = input(SANDBOX_PATH, CLIENT, TIME, BODY.as_bytes());
    let signed = header(&i);
    // Checked with Antom's key: the merchant signed it.
    let merchant = merchant_public();
    let d = diagnose(
        &RULE,
        &antom_public(),
        &[("the merchant's public key", &merchant)],
        &i,
        &signed,
        None,
    );
    assert_eq!(
        d,
        Diagnosis::OtherKey {
            opens_with: Some("the merchant's public key".into())
        }
    );
    assert!(d.to_string().contains("not the signer's"), "{d}");
    assert_eq!(
        diagnose(&RULE, &antom_public(), &[], &i, &signed, None),
        Diagnosis::OtherKey { opens_with: None }
    );
}

#[test]
fn a_content_that_is_no_known_variant_is_reported_with_its_digest() {
    let signed = header(&input(
        SANDBOX_PATH,
        CLIENT,
        TIME,
        b"something else entirely",
    ));
    let checked = input(SANDBOX_PATH, CLIENT, TIME, BODY.as_bytes());
    match diagnose(&RULE, &merchant_public(), &[], &checked, &signed, None) {
        Diagnosis::UnknownContent { digest, tried } => {
            assert_eq!(digest.len(), 64);
            assert!(tried > 50, "{tried}");
        }
        other => panic!("{other}"),
    }
}

#[test]
fn the_recovered_digest_is_the_sha256_of_the_content() {
    use sha2::Digest;
    let i = input(SANDBOX_PATH, CLIENT, TIME, BODY.as_bytes());
    let e = signing::sign_explained(
        antom_runtime::Backend::default(),
        &merchant_private(),
        1,
        &i,
    )
    .unwrap();
    let digest = recover_digest(&merchant_public(), &e.signature).unwrap();
    assert_eq!(
        digest.as_slice(),
        sha2::Sha256::digest(&e.content).as_slice()
    );
    assert_eq!(recover_digest(&antom_public(), &e.signature), None);
}
