//! Properties of the signature scheme, the enums and the models.
//!
//! Failures shrink to a minimal case that proptest prints.

use antom_conformance::crypto::{self as kit, TestKeys};
use antom_runtime::signing::{self, SignInput};
use proptest::prelude::*;

fn keys() -> &'static TestKeys {
    static KEYS: std::sync::OnceLock<TestKeys> = std::sync::OnceLock::new();
    KEYS.get_or_init(|| TestKeys::load().expect("test keys"))
}

#[derive(Debug, Clone)]
struct Input {
    method: String,
    path: String,
    client_id: String,
    time: String,
    body: String,
}

fn input() -> impl Strategy<Value = Input> {
    (
        prop_oneof![Just("POST".to_owned()), "[A-Z]{3,7}"],
        "(/[a-zA-Z0-9_.~-]{1,12}){1,5}",
        "(SANDBOX_)?[0-9A-Z]{4,20}",
        prop_oneof![
            "[0-9]{13}",
            "20[0-9]{2}-[01][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-5][0-9](Z|[+-][01][0-9]:00)"
        ],
        prop_oneof![
            "\\PC{0,80}",
            "\\{\"[a-zA-Z]{1,8}\": ?\"[^\"\\\\]{0,20}\"\\}",
            Just("{\n    \"a\": 1\n}".to_owned())
        ],
    )
        .prop_map(|(method, path, client_id, time, body)| Input {
            method,
            path,
            client_id,
            time,
            body,
        })
}

fn sign_input(i: &Input) -> SignInput<'_> {
    SignInput {
        method: &i.method,
        path: &i.path,
        client_id: &i.client_id,
        time: &i.time,
        body: i.body.as_bytes(),
    }
}

/// Which field to corrupt, and where.
#[derive(Debug, Clone, Copy)]
enum Field {
    Body,
    Path,
    ClientId,
    Time,
}

fn corrupt(s: &str, at: usize, with: u8) -> String {
    let mut bytes = s.as_bytes().to_vec();
    if bytes.is_empty() {
        bytes.push(with);
    } else {
        let i = at % bytes.len();
        bytes[i] = if bytes[i] == with {
            with.wrapping_add(1)
        } else {
            with
        };
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn signature_round_trips_in_every_encoding(i in input()) {
        let k = keys();
        let header = signing::sign(&k.merchant_private, 1, &sign_input(&i)).expect("signs");
        prop_assert!(signing::verify(&k.merchant_public, &sign_input(&i), &header).is_ok());
        // The encodings other SDKs and gateways produce verify as well.
        let parsed = signing::SignatureHeader::parse(&header).expect("parses");
        let b64 = signing::encode_base64(&parsed.signature_bytes().expect("decodes"));
        for variant in [
            kit::signature_header(&kit::encode_signature(&b64, true), false),
            kit::signature_header(&kit::encode_signature(&b64, false), true),
            kit::signature_header(&b64, false),
        ] {
            prop_assert!(
                signing::verify(&k.merchant_public, &sign_input(&i), &variant).is_ok(),
                "variant {} rejected", variant
            );
        }
        // Antom's key did not sign it.
        prop_assert!(signing::verify(&k.antom_public, &sign_input(&i), &header).is_err());
    }

    #[test]
    fn any_single_byte_change_is_rejected(
        i in input(),
        field in prop_oneof![Just(Field::Body), Just(Field::Path), Just(Field::ClientId), Just(Field::Time)],
        at in 0usize..256,
        with in 0x20u8..0x7f,
    ) {
        let k = keys();
        let header = signing::sign(&k.merchant_private, 1, &sign_input(&i)).expect("signs");
        let mut changed = i.clone();
        match field {
            Field::Body => changed.body = corrupt(&i.body, at, with),
            Field::Path => changed.path = corrupt(&i.path, at, with),
            Field::ClientId => changed.client_id = corrupt(&i.client_id, at, with),
            Field::Time => changed.time = corrupt(&i.time, at, with),
        }
        prop_assume!(kit::content_to_sign(&changed.method, &changed.path, &changed.client_id, &changed.time, changed.body.as_bytes())
            != kit::content_to_sign(&i.method, &i.path, &i.client_id, &i.time, i.body.as_bytes()));
        prop_assert!(signing::verify(&k.merchant_public, &sign_input(&changed), &header).is_err());
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn result_code_round_trips_including_unknown_values(s in "[A-Z_]{1,40}|\\PC{0,20}") {
        let code = antom::ResultCode::from(s.as_str());
        prop_assert_eq!(code.as_str(), s.as_str());
        prop_assert_eq!(code.to_string(), s.clone());
        let json = serde_json::to_string(&code).expect("serializes");
        prop_assert_eq!(&json, &serde_json::to_string(&s).expect("string"));
        let back: antom::ResultCode = serde_json::from_str(&json).expect("deserializes");
        prop_assert_eq!(&back, &code);
        let known = antom::ResultCode::KNOWN.iter().any(|k| k.as_str() == s);
        prop_assert_eq!(antom::ResultCode::try_parse(&s).is_ok(), known);
        prop_assert_eq!(matches!(code, antom::ResultCode::Unknown(_)), !known);
    }

    #[test]
    fn amount_json_round_trips_with_unknown_fields(
        currency in "[A-Z]{3}",
        value in "[0-9]{1,12}",
        extra in proptest::collection::btree_map("x[a-zA-Z]{0,8}", "\\PC{0,10}", 0..3),
    ) {
        let mut v = serde_json::json!({"currency": currency, "value": value});
        for (k, x) in &extra {
            v[k] = serde_json::Value::String(x.clone());
        }
        let amount: antom::models::Amount = serde_json::from_value(v.clone()).expect("parses");
        prop_assert_eq!(&amount.currency, &currency);
        prop_assert_eq!(amount.extra.len(), extra.len());
        prop_assert_eq!(serde_json::to_value(&amount).expect("serializes"), v);
    }
}

#[test]
fn every_known_result_code_round_trips() {
    for code in antom::ResultCode::KNOWN {
        assert_eq!(
            antom::ResultCode::try_parse(code.as_str()).as_ref(),
            Ok(code)
        );
        let json = serde_json::to_string(code).unwrap();
        assert_eq!(
            &serde_json::from_str::<antom::ResultCode>(&json).unwrap(),
            code
        );
        assert!(code.status().is_some(), "{code} has no status");
    }
}
