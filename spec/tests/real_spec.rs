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
