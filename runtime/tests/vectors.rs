//! The published signature vectors, through every compiled backend.

use antom_runtime::signing::{
    self, decode_signature_value, sign_explained, verify_explained, verify_value, Backend,
    SignInput,
};
use antom_runtime::{PrivateKey, PublicKey};
use serde_json::Value;
use sha2::{Digest, Sha256};

const VECTORS: &str = include_str!("../testdata/signature-vectors.json");

fn vectors() -> Value {
    serde_json::from_str(VECTORS).expect("vectors JSON")
}

fn s<'a>(v: &'a Value, k: &str) -> &'a str {
    v[k].as_str().unwrap_or_else(|| panic!("field {k}"))
}

fn keys(doc: &Value) -> (PrivateKey, PublicKey) {
    (
        PrivateKey::from_pem_or_base64(s(doc, "private_key_pkcs8_der_base64")).unwrap(),
        PublicKey::from_pem_or_base64(s(doc, "public_key_spki_der_base64")).unwrap(),
    )
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[test]
fn positive_vectors_sign_and_verify_on_every_backend() {
    let doc = vectors();
    let (private, public) = keys(&doc);
    let list = doc["vectors"].as_array().unwrap();
    assert_eq!(list.len(), 6);
    for backend in Backend::all() {
        for v in list {
            let name = s(v, "name");
            let input = SignInput {
                method: s(v, "method"),
                path: s(v, "path"),
                client_id: s(v, "clientId"),
                time: s(v, "time"),
                body: s(v, "body").as_bytes(),
            };
            let e = sign_explained(*backend, &private, 1, &input).unwrap();
            assert_eq!(
                hex(&Sha256::digest(&e.content)),
                s(v, "string_to_sign_sha256_hex"),
                "{name}: content"
            );
            assert_eq!(
                e.base64,
                s(v, "signature_base64"),
                "{name}/{backend:?}: base64"
            );
            assert_eq!(e.encoded, s(v, "signature_urlencoded"), "{name}: encoded");
            assert_eq!(e.header, s(v, "signature_header"), "{name}: header");
            assert_eq!(decode_signature_value(&e.encoded).unwrap(), e.signature);

            for header in [
                s(v, "signature_header").to_owned(),
                format!(
                    "algorithm=RSA256,keyVersion=1,signature={}",
                    s(v, "signature_urlencoded_lowerhex")
                ),
                format!(
                    "algorithm=RSA256, keyVersion=1, signature={}",
                    s(v, "signature_base64")
                ),
                format!(
                    " signature={} , keyVersion=1 ,algorithm=RSA256 ",
                    s(v, "signature_urlencoded")
                ),
            ] {
                let x = verify_explained(*backend, &public, &input, &header).unwrap();
                assert!(x.valid, "{name}/{backend:?}: {header}");
                assert_eq!(x.signature, e.signature);
            }
            for value in [
                s(v, "signature_urlencoded"),
                s(v, "signature_urlencoded_lowerhex"),
                s(v, "signature_base64"),
            ] {
                verify_value(*backend, &public, &input, value).unwrap();
            }
        }
    }
}

#[test]
fn negative_vectors_fail_on_every_backend() {
    let doc = vectors();
    let (_, public) = keys(&doc);
    let positives = doc["vectors"].as_array().unwrap();
    let list = doc["negative_vectors"].as_array().unwrap();
    assert_eq!(list.len(), 3);
    for backend in Backend::all() {
        for n in list {
            let base = positives
                .iter()
                .find(|v| v["name"] == n["based_on"])
                .expect("based_on");
            let pick = |k: &str| n[k].as_str().unwrap_or_else(|| s(base, k)).to_owned();
            let (path, time, body) = (pick("path"), pick("time"), pick("body"));
            let input = SignInput {
                method: s(base, "method"),
                path: &path,
                client_id: s(base, "clientId"),
                time: &time,
                body: body.as_bytes(),
            };
            let header = format!(
                "algorithm=RSA256,keyVersion=1,signature={}",
                s(n, "signature_urlencoded")
            );
            let x = verify_explained(*backend, &public, &input, &header).unwrap();
            assert!(!x.valid, "{} must not verify", s(n, "name"));
            let err = signing::verify_with(*backend, &public, &input, &header).unwrap_err();
            assert!(
                matches!(err, signing::VerifyError::Mismatch { .. }),
                "{err}"
            );
        }
    }
}

#[test]
fn vector_key_matches_the_repository_test_key() {
    let doc = vectors();
    let (private, public) = keys(&doc);
    assert_eq!(private.public_key(), &public);
    let file_key =
        PublicKey::from_pem_or_base64(include_str!("../testdata/keys/merchant_public_spki.b64"))
            .unwrap();
    assert_eq!(file_key, public);
}
