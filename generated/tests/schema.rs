//! The generated schema tables agree with the typed models: a sample of
//! every request model is valid, parses into its Rust type, and a body the
//! typed model would refuse is refused by the schema too.

use antom::schema::SCHEMAS;
use antom::Validate;

#[test]
fn every_endpoint_model_has_a_schema_and_a_valid_sample() {
    for ep in antom::endpoints::ALL {
        for model in [ep.request, ep.response] {
            assert!(SCHEMAS.model(model).is_some(), "{}: {model}", ep.name);
        }
        let sample = SCHEMAS.sample(ep.request);
        assert_eq!(SCHEMAS.validate(ep.request, &sample), vec![], "{}", ep.name);
    }
}

#[test]
fn the_schema_is_sorted_for_lookup() {
    assert!(SCHEMAS.models().windows(2).all(|w| w[0].name < w[1].name));
}

#[test]
fn a_sample_parses_into_the_typed_request() {
    let sample = SCHEMAS.sample("PayRequest");
    let typed: antom::models::PayRequest = serde_json::from_value(sample.clone()).unwrap();
    assert!(typed.validate().is_ok());
    // An amount sent as a number is refused by both.
    let mut wrong = sample;
    wrong["paymentAmount"]["value"] = serde_json::json!(100);
    assert!(serde_json::from_value::<antom::models::PayRequest>(wrong.clone()).is_err());
    let violations = SCHEMAS.validate("PayRequest", &wrong);
    assert_eq!(violations.len(), 1, "{violations:?}");
    assert_eq!(
        violations[0].to_string(),
        "`paymentAmount.value` must be a string"
    );
}
