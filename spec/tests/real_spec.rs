//! The real spec under `spec/antom` loads without errors.

#[test]
fn real_spec_loads() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/antom");
    match antom_spec::load_dir(dir) {
        Ok(spec) => {
            println!(
                "{} endpoints, {} models, {} enums, {} notifications, {} result codes, {} SDK codes, {} regions",
                spec.endpoints.len(),
                spec.models.len(),
                spec.enums.len(),
                spec.notifications.len(),
                spec.result_codes.len(),
                spec.sdk_event_codes.len(),
                spec.regions.len()
            );
            assert!(!spec.endpoints.is_empty(), "the spec has no endpoints");
            assert!(
                !spec.result_codes.is_empty(),
                "the spec has no result codes"
            );
            for e in &spec.endpoints {
                // every listed code resolves against the catalogue
                for c in spec.codes_of(e) {
                    assert!(
                        spec.result_code(&c.code).is_some(),
                        "{}: {}",
                        e.name,
                        c.code
                    );
                }
                assert!(spec.model(&e.request).is_some());
                assert!(spec.model(&e.response).is_some());
            }
        }
        Err(d) => panic!("spec/antom has {} error(s):\n{d}", d.error_count()),
    }
}

/// The idempotency rule of Antom's documentation: a request id that has a
/// final answer (S or F) is spent, on every endpoint with a key and on no
/// other.
#[test]
fn request_ids_are_spent_by_final_answers() {
    use antom_spec::ir::SpecStatus;
    let spec = antom_spec::load_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/antom")).unwrap();
    let rule = spec
        .idempotency
        .as_ref()
        .expect("the spec states the idempotency rule");
    assert_eq!(rule.final_statuses, [SpecStatus::S, SpecStatus::F]);
    for e in &spec.endpoints {
        let expected: &[SpecStatus] = match e.idempotency_key {
            Some(_) => &[SpecStatus::S, SpecStatus::F],
            None => &[],
        };
        assert_eq!(spec.spent_on(e), expected, "{}", e.name);
    }
    let pay = spec.endpoints.iter().find(|e| e.name == "pay").unwrap();
    assert_eq!(pay.idempotency_key.as_deref(), Some("paymentRequestId"));
}
