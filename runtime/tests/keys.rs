//! Key loading: accepted forms, typed errors, no key material in Debug.

mod common;

use antom_runtime::{KeyError, PrivateKey, PublicKey};
use base64::Engine as _;
use common::*;
use rsa::pkcs1::{EncodeRsaPrivateKey, EncodeRsaPublicKey};
use rsa::pkcs8::DecodePrivateKey;

fn b64(der: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(der)
}

fn pem(label: &str, der: &[u8]) -> String {
    let body = b64(der);
    let lines: Vec<&str> = body
        .as_bytes()
        .chunks(64)
        .map(|c| std::str::from_utf8(c).unwrap())
        .collect();
    format!(
        "-----BEGIN {label}-----\n{}\n-----END {label}-----\n",
        lines.join("\n")
    )
}

fn antom_rsa() -> rsa::RsaPrivateKey {
    rsa::RsaPrivateKey::from_pkcs8_pem(ANTOM_PRIVATE_PKCS8_PEM).unwrap()
}

#[test]
fn private_key_forms_all_load_to_the_same_key() {
    let reference = antom_private();
    let pkcs1_der = antom_rsa().to_pkcs1_der().unwrap();
    let pkcs8_pem_body: String = ANTOM_PRIVATE_PKCS8_PEM
        .lines()
        .filter(|l| !l.starts_with("-----"))
        .collect();
    let forms = [
        ANTOM_PRIVATE_PKCS8_PEM.to_owned(),
        ANTOM_PRIVATE_PKCS1_PEM.to_owned(),
        ANTOM_PRIVATE_PKCS1_PEM.replace('\n', "\r\n"),
        b64(pkcs1_der.as_bytes()),
        pkcs8_pem_body.clone(),
        // bare base64 with line breaks and spaces, as pasted from a terminal
        ANTOM_PRIVATE_PKCS8_PEM
            .lines()
            .filter(|l| !l.starts_with("-----"))
            .collect::<Vec<_>>()
            .join("\n  "),
        // PKCS#8 body under the PKCS#1 label (what the Python SDK builds)
        format!("-----BEGIN RSA PRIVATE KEY-----\n{pkcs8_pem_body}\n-----END RSA PRIVATE KEY-----"),
        // bare base64 without padding
        pkcs8_pem_body.trim_end_matches('=').to_owned(),
    ];
    for (i, text) in forms.iter().enumerate() {
        let k = PrivateKey::from_pem_or_base64(text).unwrap_or_else(|e| panic!("form {i}: {e}"));
        assert_eq!(k.public_key(), reference.public_key(), "form {i}");
        assert_eq!(k.bits(), 2048);
    }
    // the dashboard one-liner
    let m = merchant_private();
    assert_eq!(m.public_key(), &merchant_public());
}

#[test]
fn public_key_forms_all_load_to_the_same_key() {
    let reference = antom_public();
    let pkcs1 = rsa::RsaPublicKey::from(&antom_rsa())
        .to_pkcs1_der()
        .unwrap();
    let forms = [
        ANTOM_PUBLIC_PEM.to_owned(),
        reference.to_base64(),
        pem("RSA PUBLIC KEY", pkcs1.as_bytes()),
        b64(pkcs1.as_bytes()),
        format!("  {}\n", reference.to_base64()),
    ];
    for (i, text) in forms.iter().enumerate() {
        let k = PublicKey::from_pem_or_base64(text).unwrap_or_else(|e| panic!("form {i}: {e}"));
        assert_eq!(k, reference, "form {i}");
    }
    assert_eq!(
        PublicKey::from_der(reference.spki_der()).unwrap(),
        reference
    );
    assert_eq!(
        PublicKey::from_der(reference.pkcs1_der()).unwrap(),
        reference
    );
}

#[test]
fn public_key_given_as_private_key_says_so() {
    for text in [ANTOM_PUBLIC_PEM, MERCHANT_PUBLIC_B64] {
        let err = PrivateKey::from_pem_or_base64(text).unwrap_err();
        assert_eq!(err, KeyError::PublicGivenForPrivate);
        assert!(err
            .to_string()
            .contains("this looks like a public key; a private key was expected"));
    }
}

#[test]
fn private_key_given_as_public_key_says_so() {
    for text in [
        ANTOM_PRIVATE_PKCS8_PEM,
        ANTOM_PRIVATE_PKCS1_PEM,
        MERCHANT_PRIVATE_B64,
    ] {
        let err = PublicKey::from_pem_or_base64(text).unwrap_err();
        assert_eq!(err, KeyError::PrivateGivenForPublic, "{err}");
        assert!(err.to_string().contains("a public key was expected"));
    }
}

#[test]
fn garbage_gives_typed_errors() {
    assert!(matches!(
        PrivateKey::from_pem_or_base64("").unwrap_err(),
        KeyError::Empty { .. }
    ));
    assert!(matches!(
        PublicKey::from_pem_or_base64(" \n ").unwrap_err(),
        KeyError::Empty { .. }
    ));
    assert!(matches!(
        PrivateKey::from_pem_or_base64("not a key at all!").unwrap_err(),
        KeyError::NotBase64 { .. }
    ));
    assert!(matches!(
        PrivateKey::from_pem_or_base64("aGVsbG8gd29ybGQ=").unwrap_err(),
        KeyError::NotRsaKey { .. }
    ));
    assert!(matches!(
        PublicKey::from_pem_or_base64("aGVsbG8gd29ybGQ=").unwrap_err(),
        KeyError::NotRsaKey { .. }
    ));
    let truncated = &MERCHANT_PRIVATE_B64.trim()[..800];
    assert!(PrivateKey::from_pem_or_base64(truncated).is_err());
    let no_end = ANTOM_PRIVATE_PKCS8_PEM.replace("-----END PRIVATE KEY-----", "");
    assert!(matches!(
        PrivateKey::from_pem_or_base64(&no_end).unwrap_err(),
        KeyError::BadPem { .. }
    ));
    let enc = "-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----\n";
    assert_eq!(
        PrivateKey::from_pem_or_base64(enc).unwrap_err(),
        KeyError::Encrypted
    );
    let cert = "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n";
    assert!(matches!(
        PublicKey::from_pem_or_base64(cert).unwrap_err(),
        KeyError::Certificate { .. }
    ));
}

#[test]
fn keys_above_4096_bits_are_rejected_by_every_backend_when_loaded() {
    let private = include_str!("../testdata/keys/oversize_4608_private_pkcs8.pem");
    let public = include_str!("../testdata/keys/oversize_4608_public_spki.pem");
    let err = PrivateKey::from_pem_or_base64(private).unwrap_err();
    assert_eq!(
        err,
        KeyError::UnsupportedSize {
            expected: "private key",
            bits: 4608
        }
    );
    assert!(err.to_string().contains("2048 to 4096 bits"), "{err}");
    assert!(matches!(
        PublicKey::from_pem_or_base64(public).unwrap_err(),
        KeyError::UnsupportedSize { bits: 4608, .. }
    ));
}

#[test]
fn a_public_key_of_an_accepted_size_that_does_not_decode_is_malformed_not_mis_sized() {
    use rsa::pkcs1::der::{asn1::UintRef, Encode};
    use rsa::pkcs8::DecodePublicKey;
    use rsa::traits::PublicKeyParts;
    // A 2048-bit modulus with the invalid public exponent 1.
    let modulus = merchant_public_modulus();
    let bad = rsa::pkcs1::RsaPublicKey {
        modulus: UintRef::new(&modulus).unwrap(),
        public_exponent: UintRef::new(&[1]).unwrap(),
    }
    .to_der()
    .unwrap();
    let err = PublicKey::from_der(&bad).unwrap_err();
    assert!(matches!(err, KeyError::NotRsaKey { .. }), "{err}");

    fn merchant_public_modulus() -> Vec<u8> {
        let der = base64::engine::general_purpose::STANDARD
            .decode(MERCHANT_PUBLIC_B64.trim())
            .unwrap();
        let key = rsa::RsaPublicKey::from_public_key_der(&der).unwrap();
        key.n().to_bytes_be()
    }
}

#[test]
fn a_4096_bit_key_signs_and_verifies_on_every_backend() {
    let private = PrivateKey::from_pem_or_base64(include_str!(
        "../testdata/keys/merchant4096_private_pkcs8.pem"
    ))
    .unwrap();
    assert_eq!(private.bits(), 4096);
    let input = antom_runtime::signing::SignInput {
        method: "POST",
        path: "/ams/api/v1/payments/pay",
        client_id: "SANDBOX_5X00000000000000",
        time: "1700000000000",
        body: b"{}",
    };
    for backend in antom_runtime::Backend::all() {
        let header = antom_runtime::signing::sign_explained(*backend, &private, 1, &input)
            .unwrap()
            .header;
        antom_runtime::signing::verify_with(*backend, private.public_key(), &input, &header)
            .unwrap_or_else(|e| panic!("{}: {e}", backend.name()));
    }
}

#[test]
fn small_keys_are_rejected() {
    let mut rng = rand::thread_rng();
    let small = rsa::RsaPrivateKey::new(&mut rng, 1024).unwrap();
    let der = small.to_pkcs1_der().unwrap();
    let err = PrivateKey::from_der(der.as_bytes()).unwrap_err();
    assert_eq!(
        err,
        KeyError::UnsupportedSize {
            expected: "private key",
            bits: 1024
        }
    );
    let pub_der = rsa::RsaPublicKey::from(&small).to_pkcs1_der().unwrap();
    assert!(matches!(
        PublicKey::from_der(pub_der.as_bytes()).unwrap_err(),
        KeyError::UnsupportedSize { bits: 1024, .. }
    ));
}

#[test]
fn debug_and_errors_never_contain_key_material() {
    let key = merchant_private();
    let debug = format!("{key:?}");
    assert_eq!(debug, "PrivateKey { bits: 2048, .. }");
    let alt = format!("{key:#?}");
    assert!(!alt.contains("MII"), "{alt}");
    // nothing of the base64 text, nor of the modulus / private exponent
    let secret_chunk = &MERCHANT_PRIVATE_B64.trim()[100..140];
    assert!(!debug.contains(secret_chunk));
    // errors for a broken private key do not echo the input
    let broken = format!("{}!!", &MERCHANT_PRIVATE_B64.trim()[..200]);
    let msg = PrivateKey::from_pem_or_base64(&broken)
        .unwrap_err()
        .to_string();
    assert!(!msg.contains(&broken[..40]), "{msg}");
    // a client config's Debug shows the key only as its size
    let cfg = antom_runtime::ClientConfig::builder()
        .client_id("SANDBOX_1")
        .merchant_private_key(key)
        .antom_public_key(antom_public())
        .gateway_url("https://open-sea-global.alipay.com")
        .agent_token("secret-agent-token")
        .build()
        .unwrap();
    let d = format!("{cfg:?}");
    assert!(d.contains("PrivateKey { bits: 2048, .. }"), "{d}");
    assert!(!d.contains("secret-agent-token"), "{d}");
    assert!(!d.contains(secret_chunk));
}

#[test]
fn fingerprint_tells_keys_apart() {
    assert_ne!(
        antom_public().fingerprint(),
        merchant_public().fingerprint()
    );
    assert_eq!(antom_public().fingerprint().len(), 64);
    assert_eq!(
        antom_private().public_key().fingerprint(),
        antom_public().fingerprint()
    );
}

#[test]
fn keys_pasted_from_env_files_load() {
    let reference = antom_private();
    let escaped = ANTOM_PRIVATE_PKCS8_PEM.trim().replace('\n', "\\n");
    for text in [
        format!("\"{escaped}\""),
        escaped.clone(),
        format!("'{}'", ANTOM_PRIVATE_PKCS1_PEM.trim()),
        format!("\"{}\"", MERCHANT_PRIVATE_B64.trim()),
    ] {
        let k = PrivateKey::from_pem_or_base64(&text).unwrap_or_else(|e| panic!("{e}"));
        assert!(k.public_key() == reference.public_key() || k.public_key() == &merchant_public());
    }
    let public = format!("\"{}\"", ANTOM_PUBLIC_PEM.trim().replace('\n', "\\r\\n"));
    assert_eq!(
        PublicKey::from_pem_or_base64(&public).unwrap(),
        antom_public()
    );
}

/// Every 16-byte window of the key material (the base64 body, without
/// armour or line breaks).
fn key_windows(pem_text: &str) -> Vec<String> {
    let body: String = pem_text
        .lines()
        .filter(|l| !l.starts_with("-----"))
        .collect();
    body.as_bytes()
        .windows(16)
        .map(|w| String::from_utf8(w.to_vec()).unwrap())
        .collect()
}

fn assert_no_key_material(err: &KeyError, windows: &[String], input: &str) {
    for text in [err.to_string(), format!("{err:?}")] {
        if let Some(w) = windows.iter().find(|w| text.contains(w.as_str())) {
            panic!("key material `{w}` in error `{text}` for input {input:?}");
        }
    }
}

#[test]
fn a_broken_begin_line_does_not_echo_the_key() {
    let windows = key_windows(ANTOM_PRIVATE_PKCS8_PEM);
    for broken in [
        ANTOM_PRIVATE_PKCS8_PEM.replacen(
            "-----BEGIN PRIVATE KEY-----",
            "-----BEGIN PRIVATE KEY---",
            1,
        ),
        ANTOM_PRIVATE_PKCS8_PEM.replacen(
            "-----BEGIN PRIVATE KEY-----",
            "-----BEGIN PRIVATE KEY",
            1,
        ),
        ANTOM_PRIVATE_PKCS8_PEM.replacen("PRIVATE KEY-----\n", "PRIVATE KEY\n", 1),
        ANTOM_PRIVATE_PKCS8_PEM.replacen("-----END PRIVATE KEY-----", "-----END PRIVATE KEY", 1),
    ] {
        let err = PrivateKey::from_pem_or_base64(&broken).unwrap_err();
        assert!(matches!(err, KeyError::BadPem { .. }), "{err:?}");
        assert_no_key_material(&err, &windows, &broken);
    }
}

#[test]
fn an_encrypted_pkcs1_key_is_reported_as_encrypted() {
    let text = "-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00112233445566778899AABBCCDDEEFF\n\nMIIEowIBAAKCAQEA\n-----END RSA PRIVATE KEY-----\n";
    let err = PrivateKey::from_pem_or_base64(text).unwrap_err();
    assert_eq!(err, KeyError::Encrypted);
    assert!(err.to_string().contains("not supported, decrypt it first"));
}

mod mutated_keys {
    use super::*;
    use proptest::prelude::*;

    #[derive(Debug, Clone)]
    enum Mutation {
        Delete(usize, usize),
        Insert(usize, char),
        Replace(usize, char),
        Truncate(usize),
    }

    fn mutation() -> impl Strategy<Value = Mutation> {
        let ch = prop_oneof![
            Just('-'),
            Just('='),
            Just('\n'),
            Just(' '),
            Just(':'),
            Just('%'),
            any::<char>()
        ];
        prop_oneof![
            (any::<usize>(), 1usize..40).prop_map(|(i, n)| Mutation::Delete(i, n)),
            (any::<usize>(), ch.clone()).prop_map(|(i, c)| Mutation::Insert(i, c)),
            (any::<usize>(), ch).prop_map(|(i, c)| Mutation::Replace(i, c)),
            any::<usize>().prop_map(Mutation::Truncate),
        ]
    }

    fn apply(text: &str, muts: &[Mutation]) -> String {
        let mut chars: Vec<char> = text.chars().collect();
        for m in muts {
            let len = chars.len().max(1);
            match *m {
                Mutation::Delete(i, n) => {
                    let i = i % len;
                    let end = (i + n).min(chars.len());
                    chars.drain(i.min(chars.len())..end);
                }
                Mutation::Insert(i, c) => chars.insert(i % (chars.len() + 1), c),
                Mutation::Replace(i, c) => {
                    if !chars.is_empty() {
                        let i = i % chars.len();
                        chars[i] = c;
                    }
                }
                Mutation::Truncate(i) => chars.truncate(i % len),
            }
        }
        chars.into_iter().collect()
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        /// No error, whatever the mutation, contains 16 bytes of the key.
        #[test]
        fn errors_never_contain_key_material(
            muts in proptest::collection::vec(mutation(), 1..4),
            which in 0usize..3,
        ) {
            let source = [ANTOM_PRIVATE_PKCS8_PEM, ANTOM_PRIVATE_PKCS1_PEM, ANTOM_PUBLIC_PEM][which];
            let windows = key_windows(source);
            let mutated = apply(source, &muts);
            if let Err(e) = PrivateKey::from_pem_or_base64(&mutated) {
                assert_no_key_material(&e, &windows, &mutated);
            }
            if let Err(e) = PublicKey::from_pem_or_base64(&mutated) {
                assert_no_key_material(&e, &windows, &mutated);
            }
        }
    }
}
