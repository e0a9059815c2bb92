//! Signature header, encodings, and backend equivalence.

mod common;

use antom_runtime::signing::{
    content_to_sign, decode_signature_value, percent_encode, sign_explained, verify_with, Backend,
    CryptoBackend, SignInput, SignatureFormatError, SignatureHeader,
};
use common::*;
use proptest::prelude::*;

#[test]
fn content_layout_is_exact() {
    let c = content_to_sign(
        "POST",
        "/ams/api/v1/payments/pay",
        "CID",
        "123",
        b"{\"a\":1}",
    );
    assert_eq!(
        c,
        b"POST /ams/api/v1/payments/pay\nCID.123.{\"a\":1}".to_vec()
    );
}

#[test]
fn percent_encoding_matches_java_url_encoder_on_base64() {
    assert_eq!(percent_encode("ab+/cd=="), "ab%2B%2Fcd%3D%3D");
    assert_eq!(percent_encode("AZaz09-._~"), "AZaz09-._~");
    assert_eq!(percent_encode("a b"), "a%20b");
}

#[test]
fn decoding_is_case_insensitive_and_never_turns_plus_into_space() {
    let raw = decode_signature_value("ab+/cA==").unwrap();
    assert_eq!(decode_signature_value("ab%2B%2FcA%3D%3D").unwrap(), raw);
    assert_eq!(decode_signature_value("ab%2b%2fcA%3d%3d").unwrap(), raw);
    // non-canonical base64 is rejected, raw or percent-encoded: missing
    // padding, stray characters, non-zero trailing bits
    for bad in [
        "ab+/cA",
        "ab%2B%2FcA",
        "ab+/cA=",
        "ab+/cA===",
        "ab+/cB==",
        "ab+/cA==\u{0}",
        "ab+/c*A==",
        "ab-_cA==",
    ] {
        assert!(
            matches!(
                decode_signature_value(bad),
                Err(SignatureFormatError::BadBase64(_))
            ),
            "{bad}"
        );
    }
    assert!(matches!(
        decode_signature_value("ab cd"),
        Err(SignatureFormatError::BadBase64(_))
    ));
    assert_eq!(
        decode_signature_value("  "),
        Err(SignatureFormatError::EmptySignature)
    );
    assert!(decode_signature_value("%ZZ").is_err());
}

#[test]
fn header_parsing_is_lenient_but_strict_on_algorithm() {
    let h = SignatureHeader::parse("algorithm=RSA256,keyVersion=1,signature=abc%3D").unwrap();
    assert_eq!(h.key_version.as_deref(), Some("1"));
    assert_eq!(h.signature, "abc%3D");
    assert_eq!(
        h.to_string(),
        "algorithm=RSA256,keyVersion=1,signature=abc%3D"
    );

    let spaced =
        SignatureHeader::parse(" algorithm = RSA256 ,  keyVersion=2 , signature= abc== ").unwrap();
    assert_eq!(spaced.signature, "abc==");
    assert_eq!(spaced.key_version.as_deref(), Some("2"));

    let reordered =
        SignatureHeader::parse("signature=xyz,keyVersion=1,algorithm=RSA256,extra=1").unwrap();
    assert_eq!(reordered.signature, "xyz");

    // parameter names are exact: `Signature=` is not `signature=`
    assert_eq!(
        SignatureHeader::parse("algorithm=RSA256,keyVersion=1,Signature=xyz"),
        Err(SignatureFormatError::MissingSignature)
    );
    assert_eq!(
        SignatureHeader::parse("Algorithm=RSA512,signature=xyz")
            .unwrap()
            .algorithm,
        "RSA256",
        "an unknown `Algorithm` pair is ignored, not read as `algorithm`"
    );
    assert!(SignatureHeader::has_empty_signature(
        "algorithm=RSA256,keyVersion=1,signature="
    ));
    assert!(SignatureHeader::has_empty_signature(
        "algorithm=RSA256, keyVersion=1, signature= "
    ));
    assert!(!SignatureHeader::has_empty_signature(
        "algorithm=RSA256,keyVersion=1,signature=a"
    ));
    assert!(!SignatureHeader::has_empty_signature(
        "algorithm=RSA256,keyVersion=1"
    ));

    let no_alg = SignatureHeader::parse("signature=xyz").unwrap();
    assert_eq!(no_alg.algorithm, "RSA256");
    assert_eq!(no_alg.key_version, None);

    assert_eq!(
        SignatureHeader::parse("algorithm=RSA512,keyVersion=1,signature=xyz"),
        Err(SignatureFormatError::UnsupportedAlgorithm("RSA512".into()))
    );
    assert_eq!(
        SignatureHeader::parse("algorithm=RSA256,keyVersion=1"),
        Err(SignatureFormatError::MissingSignature)
    );
    assert_eq!(
        SignatureHeader::parse("algorithm=RSA256,signature="),
        Err(SignatureFormatError::EmptySignature)
    );
    assert_eq!(
        SignatureHeader::parse("signature=a,signature=b"),
        Err(SignatureFormatError::Duplicate("signature".into()))
    );
    assert!(matches!(
        SignatureHeader::parse("garbage"),
        Err(SignatureFormatError::BadPair(_))
    ));
    assert_eq!(
        SignatureHeader::parse(""),
        Err(SignatureFormatError::MissingSignature)
    );
}

#[test]
fn unsupported_algorithm_error_is_explicit() {
    let e = SignatureHeader::parse("algorithm=HMAC,signature=x").unwrap_err();
    assert!(
        e.to_string()
            .contains("unsupported signature algorithm `HMAC`"),
        "{e}"
    );
}

#[test]
fn wrong_key_gives_mismatch_with_hint() {
    let input = SignInput {
        method: "POST",
        path: "/p",
        client_id: "C",
        time: "1",
        body: b"{}",
    };
    let header = sign_explained(Backend::default(), &merchant_private(), 1, &input)
        .unwrap()
        .header;
    verify_with(Backend::default(), &merchant_public(), &input, &header).unwrap();
    let err = verify_with(Backend::default(), &antom_public(), &input, &header).unwrap_err();
    let msg = err.to_string();
    assert!(msg.contains("POST /p\\nC.1.{}"), "{msg}");
    assert!(msg.contains(&antom_public().fingerprint()[..16]), "{msg}");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    #[test]
    fn sign_then_verify_round_trips(
        path in "/[a-zA-Z0-9/]{0,40}",
        client in "[A-Z0-9_]{1,24}",
        time in "[0-9]{13}",
        body in proptest::collection::vec(any::<u8>(), 0..300),
    ) {
        let key = antom_private();
        let input = SignInput { method: "POST", path: &path, client_id: &client, time: &time, body: &body };
        let e = sign_explained(Backend::default(), &key, 7, &input).unwrap();
        prop_assert!(e.header.starts_with("algorithm=RSA256,keyVersion=7,signature="));
        prop_assert_eq!(decode_signature_value(&e.encoded).unwrap(), e.signature.clone());
        for b in Backend::all() {
            prop_assert!(verify_with(*b, &antom_public(), &input, &e.header).is_ok());
        }
        let mut tampered = body.clone();
        tampered.push(b' ');
        let t = SignInput { body: &tampered, ..input };
        prop_assert!(verify_with(Backend::default(), &antom_public(), &t, &e.header).is_err());
    }

    #[test]
    fn header_parse_never_panics(s in ".{0,200}") {
        let _ = SignatureHeader::parse(&s);
        let _ = decode_signature_value(&s);
    }
}

#[cfg(feature = "ring")]
proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// PKCS#1 v1.5 is deterministic: both backends give the same bytes.
    #[test]
    fn ring_and_rsa_backends_are_byte_identical(
        msg in proptest::collection::vec(any::<u8>(), 0..2048),
    ) {
        for key in [merchant_private(), antom_private()] {
            let a = Backend::Rsa.sign(&key, &msg).unwrap();
            let b = Backend::Ring.sign(&key, &msg).unwrap();
            prop_assert_eq!(&a, &b);
            prop_assert!(Backend::Ring.verify(key.public_key(), &msg, &a));
            prop_assert!(Backend::Rsa.verify(key.public_key(), &msg, &b));
        }
    }
}

#[test]
fn backend_names_round_trip() {
    for b in Backend::all() {
        assert_eq!(Backend::from_name(b.name()), Some(*b));
    }
    assert_eq!(Backend::from_name("nope"), None);
}

#[test]
fn verify_rejects_wrong_length_signature() {
    let input = SignInput {
        method: "POST",
        path: "/p",
        client_id: "C",
        time: "1",
        body: b"{}",
    };
    for b in Backend::all() {
        assert!(verify_with(*b, &antom_public(), &input, "signature=AAAA").is_err());
    }
}

#[cfg(feature = "aws-lc")]
proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// PKCS#1 v1.5 is deterministic: aws-lc gives the same bytes as the
    /// pure-Rust backend, and each verifies the other's signatures.
    #[test]
    fn aws_lc_and_rsa_backends_are_byte_identical(
        msg in proptest::collection::vec(any::<u8>(), 0..2048),
    ) {
        for key in [merchant_private(), antom_private()] {
            let a = Backend::Rsa.sign(&key, &msg).unwrap();
            let b = Backend::AwsLc.sign(&key, &msg).unwrap();
            prop_assert_eq!(&a, &b);
            prop_assert!(Backend::AwsLc.verify(key.public_key(), &msg, &a));
            prop_assert!(Backend::Rsa.verify(key.public_key(), &msg, &b));
        }
    }
}

#[cfg(feature = "aws-lc")]
#[test]
fn aws_lc_backend_is_compiled_in_and_named() {
    assert!(Backend::all().contains(&Backend::AwsLc));
    assert_eq!(Backend::from_name("aws-lc"), Some(Backend::AwsLc));
    assert_eq!(Backend::AwsLc.name(), "aws-lc");
}

#[cfg(not(feature = "aws-lc"))]
#[test]
fn aws_lc_backend_is_absent_without_its_feature() {
    assert_eq!(Backend::from_name("aws-lc"), None);
}

#[test]
fn every_backend_rejects_tampered_and_foreign_signatures() {
    let msg = b"POST /ams/api/v1/payments/pay\nC.1.{\"a\":1}";
    let key = merchant_private();
    for b in Backend::all() {
        let sig = b.sign(&key, msg).unwrap();
        assert_eq!(sig.len(), 256, "{b:?}");
        assert!(b.verify(key.public_key(), msg, &sig), "{b:?}");
        // another key's public key
        assert!(!b.verify(&antom_public(), msg, &sig), "{b:?}: wrong key");
        // one flipped bit in the signature, at the start and at the end
        for i in [0, sig.len() - 1] {
            let mut t = sig.clone();
            t[i] ^= 0x01;
            assert!(!b.verify(key.public_key(), msg, &t), "{b:?}: bit {i}");
        }
        // one changed byte in the message
        let mut m = msg.to_vec();
        m[5] ^= 0x20;
        assert!(!b.verify(key.public_key(), &m, &sig), "{b:?}: message");
        // signature value out of range (>= modulus)
        assert!(
            !b.verify(key.public_key(), msg, &[0xff; 256]),
            "{b:?}: >= n"
        );
        assert!(!b.verify(key.public_key(), msg, &[]), "{b:?}: empty");
    }
}

/// `ring` is the default backend; without the feature, the pure-Rust one.
#[test]
fn the_default_backend_is_ring_unless_the_feature_is_off() {
    #[cfg(feature = "ring")]
    assert_eq!(Backend::default(), Backend::Ring);
    #[cfg(not(feature = "ring"))]
    assert_eq!(Backend::default(), Backend::Rsa);
    assert!(
        Backend::all().contains(&Backend::Rsa),
        "rsa is always compiled"
    );
}
