//! Seed coverage: the spec in `spec/antom` covers every code that the Antom
//! documentation pages (seeds 000–004) and the API facts name, with the seeds'
//! own texts, and its result-code catalogue follows the status/action rules
//! of `spec/FORMAT.md`.
//!
//! The expected lists below were extracted from the seed pages by hand
//! (`grep -o 'SDK_[A-Z_]*'`, with seed 002's `SDK_PAYMENT_` + `PENDING` line
//! break and seed 004's escaped `SDK\_...` markdown taken into account) and
//! are deliberately written out, so that a code dropped from the YAML fails a
//! test instead of silently disappearing.
//!
//! Seeds: 000 client SDK reference for card payments (Chinese), 001 the same
//! in English, 002 client SDK reference for the cashier payment (Chinese),
//! 003 Web/WAP guide for card payments (Chinese), 004 Web/WAP guide for
//! payment methods (Chinese).

use std::path::Path;
use std::sync::OnceLock;

use antom_spec::ir::{Action, CodeScope, EventGroup, ResultCode, Spec, SpecStatus};

/// The real spec directory, loaded once for all tests.
fn spec() -> &'static Spec {
    static SPEC: OnceLock<Spec> = OnceLock::new();
    SPEC.get_or_init(|| {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/antom");
        match antom_spec::load_dir(Path::new(dir)) {
            Ok(spec) => spec,
            Err(diagnostics) => panic!("the spec in {dir} does not load:\n{diagnostics}"),
        }
    })
}

fn code(name: &str) -> &'static ResultCode {
    spec()
        .result_code(name)
        .unwrap_or_else(|| panic!("result code {name} is missing from the catalogue"))
}

/// Whether `s` contains at least one CJK ideograph (a Chinese text, not a copy
/// of the English one).
fn has_cjk(s: &str) -> bool {
    s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
}

// ---------------------------------------------------------------------------
// 1. SDK event codes
// ---------------------------------------------------------------------------

/// Every `SDK_*` code printed in the seed pages, with the seeds naming it.
const SEED_EVENT_CODES: &[(&str, &str)] = &[
    ("SDK_CALL_URL_ERROR", "001 002 003 004"),
    ("SDK_CALL_URL_SUCCESS", "001 002"),
    ("SDK_CREATECOMPONENT_ERROR", "000 001 002 003 004"),
    ("SDK_CREATEPAYMENT_PARAMETER_ERROR", "001 002 003 004"),
    ("SDK_DUPLICATE_SUBMISSION_BEHAVIOR", "001 002"),
    ("SDK_END_OF_LOADING", "001 002 003 004"),
    ("SDK_FORM_VERIFICATION_FAILED", "001 002 003"),
    ("SDK_INIT_PARAMETER_ERROR", "001 002 003 004"),
    ("SDK_INTERNAL_ERROR", "001 002 003 004"),
    ("SDK_PAYMENT_AUTHORIZATION_SUCCESSFUL", "000 001"),
    ("SDK_PAYMENT_CANCEL", "000 001 002 003 004"),
    ("SDK_PAYMENT_CHALLENGE", "001"),
    ("SDK_PAYMENT_ERROR", "000 001 002 003 004"),
    ("SDK_PAYMENT_FAIL", "000 001 002 003 004"),
    ("SDK_PAYMENT_PENDING", "002 (split across a line break)"),
    ("SDK_PAYMENT_PROCESSING", "000 001 002 003 004"),
    ("SDK_PAYMENT_SUCCESSFUL", "000 001 002 003 004"),
    ("SDK_START_OF_LOADING", "001 002 003 004"),
    ("SDK_SUBMIT_NETWORK_ERROR", "000 001"),
];

/// Callback codes known only from the npm package or other doc pages.
const NON_SEED_EVENT_CODES: &[(&str, EventGroup)] = &[
    ("SDK_LAUNCH_PAYMENT_APP_ERROR", EventGroup::Error),
    ("SDK_CREATE_COMPONENT_ERROR", EventGroup::Error),
    ("SDK_PAYMENT_RETRY", EventGroup::PaymentResult),
    ("SDK_PAYMENT_WARN", EventGroup::PaymentResult),
    ("SDK_PAYMENT_SHIPPINGCHANGE", EventGroup::ExpressCheckout),
    ("SDK_PAYMENT_APPROVE", EventGroup::ExpressCheckout),
    ("SDK_REDIRECT", EventGroup::Redirect),
];

/// npm constants that look like event codes but are not callback codes.
const NOT_EVENT_CODES: &[&str] = &[
    "SDK_TO_APP",
    "SDK_MOCK_SANDBOX",
    "SDK_STORAGE_ID",
    "SDK_BY_MECHANT",
    "SDK_COMPATIBILITY_ISSUES",
    "SDK_SUBMIT_ERROR",
    "SDK_INIT_TIMEOUT",
    "SDK_REQUEST_TIMEOUT",
];

#[test]
fn every_seed_event_code_is_in_the_spec() {
    let missing: Vec<String> = SEED_EVENT_CODES
        .iter()
        .filter(|(c, _)| spec().sdk_event_code(c).is_none())
        .map(|(c, seeds)| format!("{c} (seeds {seeds})"))
        .collect();
    assert!(missing.is_empty(), "event codes missing: {missing:?}");
}

#[test]
fn non_seed_event_codes_are_in_the_spec_with_their_group() {
    for (c, group) in NON_SEED_EVENT_CODES {
        let e = spec()
            .sdk_event_code(c)
            .unwrap_or_else(|| panic!("event code {c} is missing"));
        assert_eq!(e.group, *group, "{c}: group");
    }
}

#[test]
fn the_event_catalogue_is_exactly_the_known_codes() {
    let mut expected: Vec<&str> = SEED_EVENT_CODES
        .iter()
        .map(|(c, _)| *c)
        .chain(NON_SEED_EVENT_CODES.iter().map(|(c, _)| *c))
        .collect();
    expected.sort_unstable();
    let actual: Vec<&str> = spec()
        .sdk_event_codes
        .iter()
        .map(|e| e.code.as_str())
        .collect();
    assert_eq!(actual, expected);
    for c in NOT_EVENT_CODES {
        assert!(
            spec().sdk_event_code(c).is_none(),
            "{c} is an npm constant, not a callback code"
        );
    }
}

#[test]
fn seed_event_groups_follow_the_sdk_reference() {
    use EventGroup::*;
    let expected = [
        ("SDK_START_OF_LOADING", Status),
        ("SDK_END_OF_LOADING", Status),
        ("SDK_CALL_URL_SUCCESS", Status),
        ("SDK_DUPLICATE_SUBMISSION_BEHAVIOR", Status),
        ("SDK_FORM_VERIFICATION_FAILED", Status),
        ("SDK_PAYMENT_AUTHORIZATION_SUCCESSFUL", Status),
        ("SDK_PAYMENT_CHALLENGE", Status),
        ("SDK_INTERNAL_ERROR", Error),
        ("SDK_CREATEPAYMENT_PARAMETER_ERROR", Error),
        ("SDK_INIT_PARAMETER_ERROR", Error),
        ("SDK_CREATECOMPONENT_ERROR", Error),
        ("SDK_SUBMIT_NETWORK_ERROR", Error),
        ("SDK_PAYMENT_SUCCESSFUL", PaymentResult),
        ("SDK_PAYMENT_FAIL", PaymentResult),
        ("SDK_PAYMENT_PROCESSING", PaymentResult),
        ("SDK_PAYMENT_ERROR", PaymentResult),
        ("SDK_PAYMENT_PENDING", PaymentResult),
    ];
    for (c, group) in expected {
        let e = spec().sdk_event_code(c).expect(c);
        assert_eq!(e.group, group, "{c}: group");
    }
}

#[test]
fn disputed_event_groups_carry_a_group_note() {
    for c in [
        "SDK_CALL_URL_ERROR",
        "SDK_PAYMENT_CANCEL",
        "SDK_CREATEPAYMENT_PARAMETER_ERROR",
        "SDK_INIT_PARAMETER_ERROR",
        "SDK_PAYMENT_WARN",
    ] {
        let e = spec().sdk_event_code(c).expect(c);
        let note = e.group_note.as_deref().unwrap_or("");
        assert!(
            !note.trim().is_empty(),
            "{c}: the sources disagree on the group but there is no groupNote"
        );
    }
}

#[test]
fn sdk_call_url_error_is_deprecated_for_sdk_launch_payment_app_error() {
    let old = spec()
        .sdk_event_code("SDK_CALL_URL_ERROR")
        .expect("SDK_CALL_URL_ERROR");
    let dep = old
        .deprecated
        .as_ref()
        .expect("SDK_CALL_URL_ERROR is deprecated");
    assert_eq!(
        dep.replaced_by.as_deref(),
        Some("SDK_LAUNCH_PAYMENT_APP_ERROR")
    );
    assert!(!dep.note.trim().is_empty());
    let new = spec()
        .sdk_event_code("SDK_LAUNCH_PAYMENT_APP_ERROR")
        .expect("the replacement exists");
    assert!(
        new.deprecated.is_none(),
        "the replacement is not deprecated"
    );
    assert_eq!(
        new.group, old.group,
        "a code and its replacement are handled alike"
    );
    let deprecated: Vec<&str> = spec()
        .sdk_event_codes
        .iter()
        .filter(|e| e.deprecated.is_some())
        .map(|e| e.code.as_str())
        .collect();
    assert_eq!(deprecated, ["SDK_CALL_URL_ERROR"]);
}

/// The seeds return their error codes "through the onEventCallback or
/// onError method" depending on the SDK (seeds 001, 002, 003, 004); every
/// other code through onEventCallback.
#[test]
fn seed_error_codes_name_both_callbacks_and_the_rest_on_event_callback() {
    let either = [
        "SDK_INTERNAL_ERROR",
        "SDK_CREATEPAYMENT_PARAMETER_ERROR",
        "SDK_INIT_PARAMETER_ERROR",
        "SDK_CREATECOMPONENT_ERROR",
        // listed with the error codes by seeds 000 and 001
        "SDK_SUBMIT_NETWORK_ERROR",
        // listed with the error codes by seeds 003 and 004
        "SDK_CALL_URL_ERROR",
    ];
    for e in &spec().sdk_event_codes {
        let expected: &[&str] = if either.contains(&e.code.as_str()) {
            &["onEventCallback", "onError"]
        } else {
            &["onEventCallback"]
        };
        assert_eq!(e.callbacks, expected, "{}: callbacks", e.code);
    }
}

#[test]
fn every_event_code_has_bilingual_texts_and_sources() {
    for e in &spec().sdk_event_codes {
        for (what, t) in [("description", &e.description), ("action", &e.action)] {
            assert!(!t.en.trim().is_empty(), "{}: empty English {what}", e.code);
            assert!(
                has_cjk(&t.zh),
                "{}: the Chinese {what} is not Chinese: {:?}",
                e.code,
                t.zh
            );
        }
        assert!(!e.sources.is_empty(), "{}: no sources", e.code);
    }
}

// ---------------------------------------------------------------------------
// 2. Payment result codes of the seed tables
// ---------------------------------------------------------------------------

/// The payment-result table of the English SDK reference (seed 001; the
/// Chinese seeds 000 and 002 carry the same 27 rows): code, English
/// `paymentResultMessage`, English suggestion (`None` where the seed cuts the
/// suggestion off after "Contact technical support if:").
const SEED_PAYMENT_RESULTS: &[(&str, &str, Option<&str>)] = &[
    (
        "ACCESS_DENIED",
        "Access is denied.",
        Some("Insufficient permissions. Contact technical support for specific reasons."),
    ),
    (
        "CURRENCY_NOT_SUPPORT",
        "The currency is not supported.",
        Some("Currency is not supported. Contact technical support for specific reasons."),
    ),
    (
        "FRAUD_REJECT",
        "The transaction cannot be further processed because of risk control. If the user has already paid for the transaction, the transaction will be refunded.",
        None,
    ),
    (
        "INVALID_CARD",
        "The card is invalid. Maybe the credit card number cannot be identified, the card has no corresponding issuing bank, or the card number is in the wrong format.",
        Some("Invalid card. Suggest changing the card and trying again."),
    ),
    (
        "INVALID_EXPIRY_DATE_FORMAT",
        "The format of expiryYear or expiryMonth is wrong.",
        Some("The card's expiration date is incorrect. Suggest checking the format of filling in the card validity period."),
    ),
    (
        "ISSUER_REJECTS_TRANSACTION",
        "The issuing bank rejects the transaction.",
        Some("The issuing bank refused. Suggest changing the card and trying again or contacting the issuing bank."),
    ),
    (
        "INVALID_MERCHANT_STATUS",
        "The merchant status is abnormal because restrictions exist.",
        Some("Merchant status is abnormal. Contact technical support for specific reasons."),
    ),
    (
        "MERCHANT_KYB_NOT_QUALIFIED",
        "The payment failed because of the merchant's KYB status. The merchant is either not KYB compliant, or the KYB status is not qualified for this transaction.",
        Some("Contact technical support for specific reasons."),
    ),
    (
        "NO_PAY_OPTIONS",
        "The currency is not supported for the transaction.",
        Some("Currency is not supported. Check if the payment method supports the currency or if the payment method and currency are consistent with the contract. If there are any issues, contact technical support for specific reasons."),
    ),
    (
        "ORDER_IS_CLOSED",
        "The request you initiated has the same paymentRequestId as that of the existing transaction, which is closed.",
        Some("The order has been closed. Initiate a new request and retry."),
    ),
    (
        "PAYMENT_AMOUNT_EXCEED_LIMIT",
        "The payment amount is greater than the maximum amount allowed by the contract or payment method.",
        Some("Limit amount exceeded. Check whether the payment amount exceeds the limit or try again with a lower amount. Contact Antom technical support for specific payment limits."),
    ),
    (
        "PAYMENT_COUNT_EXCEED_LIMIT",
        "The maximum number of payments exceeds the limit that is specified by the payment method.",
        Some("Use limit exceeded. Contact Antom technical support for specific payment limits."),
    ),
    (
        "PAYMENT_NOT_QUALIFIED",
        "The merchant is not qualified to pay because the merchant is not registered, does not have a contract for Auto Debit payment, or is forbidden to make a payment.",
        Some("The merchant does not have permission. Contact technical support for specific reasons."),
    ),
    (
        "PROCESS_FAIL",
        "A general business failure occurred.",
        Some("Payment failed. This usually requires manual confirmation of the issue. We suggest that you contact Antom technical support to resolve the issue."),
    ),
    (
        "RISK_REJECT",
        "The transaction cannot be further processed because of risk control. If the user has already paid for the transaction, the transaction will be refunded.",
        Some("Risk control refused. If the buyer does not receive a refund within two weeks, contact Antom technical support."),
    ),
    (
        "SUSPECTED_CARD",
        "The card is suspected of fraud. For example, the card is stolen or restricted.",
        Some("Risk control refused. Suggest changing the card and trying again or contacting the issuing bank."),
    ),
    (
        "SUSPECTED_RISK",
        "The transaction cannot be further processed because of suspected security issues. You can retry the transaction after one working day. If the transaction is not secure and the user has already paid, the transaction will be refunded.",
        None,
    ),
    (
        "USER_AMOUNT_EXCEED_LIMIT",
        "The payment amount exceeds the user payment limit.",
        Some("The amount exceeds the limit. Reinitiate the payment with an amount less than or equal to the available balance in your account, or contact Antom technical support."),
    ),
    (
        "USER_BALANCE_NOT_ENOUGH",
        "The payment cannot be completed because the user balance in the corresponding payment method is not enough.",
        Some("Insufficient user balance. Recharge or choose another payment method."),
    ),
    (
        "USER_KYC_NOT_QUALIFIED",
        "The payment failed because of the user's KYC status. The user is either not KYC compliant, or the KYC status is not qualified for this transaction (for example, limitations on the payment amount or product information).",
        Some("The user completes KYC authentication first."),
    ),
    (
        "USER_PAYMENT_VERIFICATION_FAILED",
        "The user is restricted from payment on the payment method side.",
        Some("The user did not complete verification. Contact technical support for specific reasons."),
    ),
    (
        "USER_STATUS_ABNORMAL",
        "The user status is abnormal on the payment method side.",
        Some("The user status is abnormal. Contact technical support for specific reasons."),
    ),
    (
        "PAYMENT_IN_PROCESS",
        "The payment is being processed.",
        Some("Payment is being processed."),
    ),
    (
        "UNKNOWN_EXCEPTION",
        "An API call has failed, which is caused by unknown reasons.",
        Some("Unknown exception. Contact technical support for specific reasons."),
    ),
    (
        "CARD_NOT_SUPPORTED",
        "The card used for the transaction is not supported.",
        Some("The card is not supported. Change the card and try again."),
    ),
    (
        "INVALID_EXPIRATION_DATE",
        "The value of paymentMethod.paymentMethodMetaData.expiryYear or paymentMethod.paymentMethodMetaData.expiryDate is invalid.",
        Some("The validity period of the card is incorrect. Suggest checking if the validity period of the card is filled out correctly."),
    ),
    (
        "INVALID_CARD_NUMBER",
        "The number of the card used for the transaction is invalid.",
        Some("The card number is incorrect. Suggest changing the card and trying again. If there are still problems after trying again, contact technical support for the specific reason."),
    ),];

#[test]
fn every_seed_payment_result_code_is_a_payment_result_with_the_seed_message() {
    assert_eq!(SEED_PAYMENT_RESULTS.len(), 27);
    for (c, message, suggestion) in SEED_PAYMENT_RESULTS {
        let rc = code(c);
        assert!(
            rc.payment_result || rc.scope == CodeScope::Payment,
            "{c}: not marked as a payment result code"
        );
        assert_eq!(
            rc.message.en, *message,
            "{c}: English message differs from seed 001"
        );
        match suggestion {
            // A suggestion reworded on purpose (e.g. to agree with the
            // action class) keeps the seed's text, quoted in `uncertain`.
            Some(s) => assert!(
                rc.suggestion.en == *s
                    || rc.uncertain.as_deref().is_some_and(|u| u.contains(s)),
                "{c}: English suggestion differs from seed 001 and `uncertain` does not quote it: {:?}",
                rc.suggestion.en
            ),
            None => assert!(
                rc.uncertain.is_some(),
                "{c}: the seed's suggestion is cut off, so the entry must say it is uncertain"
            ),
        }
    }
}

#[test]
fn seed_payment_result_codes_are_failures_except_the_pending_ones() {
    for (c, _, _) in SEED_PAYMENT_RESULTS {
        let rc = code(c);
        let expected = match *c {
            "PAYMENT_IN_PROCESS" | "UNKNOWN_EXCEPTION" => SpecStatus::U,
            _ => SpecStatus::F,
        };
        assert_eq!(rc.status, expected, "{c}: status");
    }
}

#[test]
fn gateway_wide_payment_results_stay_gateway_scoped() {
    for c in [
        "ACCESS_DENIED",
        "PROCESS_FAIL",
        "RISK_REJECT",
        "UNKNOWN_EXCEPTION",
    ] {
        let rc = code(c);
        assert_eq!(rc.scope, CodeScope::Gateway, "{c}: scope");
        assert!(rc.payment_result, "{c}: paymentResult");
    }
}

#[test]
fn codes_with_unreadable_seed_rows_are_marked_uncertain() {
    // Seed 000 prints the INVALID_EXPIRY_DATE_FORMAT row without code and
    // Chinese message, and cuts off the FRAUD_REJECT / SUSPECTED_RISK
    // suggestions.
    for c in [
        "INVALID_EXPIRY_DATE_FORMAT",
        "FRAUD_REJECT",
        "SUSPECTED_RISK",
    ] {
        assert!(
            code(c).uncertain.is_some(),
            "{c}: should be marked uncertain"
        );
    }
}

// ---------------------------------------------------------------------------
// 3. The catalogue: completeness, status/action rules, texts
// ---------------------------------------------------------------------------

/// Gateway-level codes (facts §5.3): any API may return them.
const GATEWAY_CODES: &[&str] = &[
    "SUCCESS",
    "ACCESS_DENIED",
    "CLIENT_FORBIDDEN_ACCESS_API",
    "CLIENT_INVALID",
    "INVALID_API",
    "INVALID_CLIENT_STATUS",
    "INVALID_SIGNATURE",
    "KEY_NOT_FOUND",
    "MERCHANT_NOT_REGISTERED",
    "NO_INTERFACE_DEF",
    "PARAM_ILLEGAL",
    "PROCESS_FAIL",
    "REPEAT_REQ_INCONSISTENT",
    "RISK_REJECT",
    "SYSTEM_ERROR",
    "UNKNOWN_CLIENT",
    "REQUEST_TRAFFIC_EXCEED_LIMIT",
    "UNKNOWN_EXCEPTION",
    "MEDIA_TYPE_NOT_ACCEPTABLE",
    "METHOD_NOT_SUPPORTED",
];

/// Payment result codes beyond the seed tables (facts §5.4: pay table and
/// release notes).
const OTHER_PAYMENT_CODES: &[&str] = &["ORDER_IS_CANCELED", "DO_NOT_HONOR", "INVALID_AMOUNT"];

/// API-specific codes (facts §5.4 pay-only row and §5.5).
const API_CODES: &[&str] = &[
    "CANCEL_WINDOW_EXCEED",
    "ORDER_NOT_EXIST",
    "ORDER_STATUS_INVALID",
    "AUTH_CANCELLED",
    "AUTH_EXPIRED",
    "AUTH_NOT_FOUND",
    "CAPTURE_AMOUNT_EXCEED_AUTH_LIMIT",
    "CAPTURE_IN_PROCESS",
    "MULTI_CAPTURE_NOT_SUPPORTED",
    "INVALID_CONTRACT",
    "REFUND_AMOUNT_EXCEED",
    "REFUND_WINDOW_EXCEED",
    "REFUND_IN_PROCESS",
    "REFUND_NOT_EXIST",
    "PAYMENT_METHOD_NOT_SUPPORTED",
    "SETTLE_CONTRACT_NOT_MATCH",
    "INVALID_PAYMENT_METHOD_META_DATA",
    "INCORRECT_BLIKCODE",
    "USER_NOT_EXIST",
    "EXPIRED_CODE",
    "INVALID_PAYMENT_CODE",
    "VERIFY_TIMES_EXCEED_LIMIT",
    "INVALID_ACCESS_TOKEN",
    "OAUTH_FAILED",
    "AUTH_IN_PROCESS",
];

#[test]
fn every_code_of_the_facts_is_catalogued_with_its_scope() {
    for c in GATEWAY_CODES {
        assert_eq!(code(c).scope, CodeScope::Gateway, "{c}: scope");
    }
    for c in OTHER_PAYMENT_CODES {
        assert_eq!(code(c).scope, CodeScope::Payment, "{c}: scope");
    }
    for c in API_CODES {
        assert_eq!(code(c).scope, CodeScope::Api, "{c}: scope");
    }
    for (c, _, _) in SEED_PAYMENT_RESULTS {
        if !GATEWAY_CODES.contains(c) {
            assert_eq!(code(c).scope, CodeScope::Payment, "{c}: scope");
        }
    }
}

#[test]
fn status_and_action_agree() {
    for rc in &spec().result_codes {
        match rc.status {
            SpecStatus::S => assert_eq!(rc.action, Action::None, "{}: S code", rc.code),
            SpecStatus::U => assert!(
                rc.action.is_retryable(),
                "{}: a U code must be retryable, is {}",
                rc.code,
                rc.action.as_str()
            ),
            SpecStatus::F => assert!(
                !rc.action.is_retryable() && rc.action != Action::None,
                "{}: an F code must not be retried with the same request, is {}",
                rc.code,
                rc.action.as_str()
            ),
        }
    }
}

#[test]
fn only_success_succeeds() {
    let s: Vec<&str> = spec()
        .result_codes
        .iter()
        .filter(|c| c.status == SpecStatus::S)
        .map(|c| c.code.as_str())
        .collect();
    assert_eq!(s, ["SUCCESS"]);
}

#[test]
fn rate_limit_backs_off_and_unknown_exception_is_retried() {
    let limit = code("REQUEST_TRAFFIC_EXCEED_LIMIT");
    assert_eq!(limit.status, SpecStatus::U);
    assert_eq!(limit.action, Action::RetryAfterBackoff);

    let unknown = code("UNKNOWN_EXCEPTION");
    assert_eq!(unknown.status, SpecStatus::U);
    assert!(
        matches!(unknown.action, Action::Retry | Action::Inquire),
        "UNKNOWN_EXCEPTION: {}",
        unknown.action.as_str()
    );
}

#[test]
fn in_process_codes_inquire() {
    for c in [
        "PAYMENT_IN_PROCESS",
        "CAPTURE_IN_PROCESS",
        "REFUND_IN_PROCESS",
        "AUTH_IN_PROCESS",
    ] {
        let rc = code(c);
        assert_eq!(rc.status, SpecStatus::U, "{c}: status");
        assert_eq!(rc.action, Action::Inquire, "{c}: action");
    }
}

#[test]
fn request_errors_ask_for_a_fix_not_a_retry() {
    for c in [
        "INVALID_SIGNATURE",
        "PARAM_ILLEGAL",
        "KEY_NOT_FOUND",
        "REPEAT_REQ_INCONSISTENT",
    ] {
        assert_eq!(code(c).action, Action::FixRequest, "{c}: action");
    }
    for c in [
        "ORDER_IS_CLOSED",
        "ORDER_IS_CANCELED",
        "AUTH_EXPIRED",
        "AUTH_CANCELLED",
    ] {
        assert_eq!(code(c).action, Action::NewRequestId, "{c}: action");
    }
}

#[test]
fn codes_the_facts_call_uncertain_say_so() {
    for c in [
        "MEDIA_TYPE_NOT_ACCEPTABLE",
        "METHOD_NOT_SUPPORTED",
        "REFUND_IN_PROCESS",
        "REFUND_NOT_EXIST",
        "PAYMENT_METHOD_NOT_SUPPORTED",
    ] {
        let why = code(c).uncertain.as_deref().unwrap_or("");
        assert!(!why.trim().is_empty(), "{c}: should be marked uncertain");
    }
}

#[test]
fn every_result_code_has_bilingual_texts_and_sources() {
    for rc in &spec().result_codes {
        for (what, t) in [("message", &rc.message), ("suggestion", &rc.suggestion)] {
            assert!(!t.en.trim().is_empty(), "{}: empty English {what}", rc.code);
            assert!(!t.zh.trim().is_empty(), "{}: empty Chinese {what}", rc.code);
            assert!(
                has_cjk(&t.zh),
                "{}: the Chinese {what} is not Chinese: {:?}",
                rc.code,
                t.zh
            );
            assert_eq!(
                t.en.trim(),
                t.en,
                "{}: English {what} is not trimmed",
                rc.code
            );
            assert_eq!(
                t.zh.trim(),
                t.zh,
                "{}: Chinese {what} is not trimmed",
                rc.code
            );
        }
        assert!(!rc.sources.is_empty(), "{}: no sources", rc.code);
    }
}

// ---------------------------------------------------------------------------
// 4. The newcomer's capture question
// ---------------------------------------------------------------------------

#[test]
fn capture_in_process_is_retryable_and_auth_expired_is_not() {
    let spec = spec();
    let capture = spec
        .endpoint("capture")
        .expect("the capture endpoint exists");
    let codes = spec.codes_of(capture);
    let find = |c: &str| {
        codes
            .iter()
            .find(|e| e.code == c)
            .unwrap_or_else(|| panic!("capture cannot return {c}"))
    };

    let in_process = find("CAPTURE_IN_PROCESS");
    assert_eq!(in_process.status, SpecStatus::U);
    assert!(
        in_process.action.is_retryable(),
        "CAPTURE_IN_PROCESS must be retryable"
    );
    assert!(in_process.listed, "capture lists CAPTURE_IN_PROCESS itself");

    let expired = find("AUTH_EXPIRED");
    assert_eq!(expired.status, SpecStatus::F);
    assert!(
        !expired.action.is_retryable(),
        "AUTH_EXPIRED must not be retried"
    );

    // Gateway-wide codes apply to capture without being listed.
    for c in GATEWAY_CODES {
        find(c);
    }
    assert!(find("REQUEST_TRAFFIC_EXCEED_LIMIT").action.is_retryable());
}

// ---------------------------------------------------------------------------
// Regions and the sandbox rule
// ---------------------------------------------------------------------------

#[test]
fn regions_have_one_recommended_https_host() {
    let spec = spec();
    let ids: Vec<&str> = spec.regions.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(
        ids,
        ["ASIA", "EUROPE", "NORTH_AMERICA", "NORTH_AMERICA_US_ENTITY"]
    );
    let expected = [
        (
            "ASIA",
            "https://open-sea-global.alipay.com",
            Some("https://open-big-sea.alipay.com"),
        ),
        (
            "EUROPE",
            "https://open-de-global.alipay.com",
            Some("https://open-big-de-global.alipay.com"),
        ),
        (
            "NORTH_AMERICA",
            "https://open-na-global.alipay.com",
            Some("https://open-big-na.alipay.com"),
        ),
        (
            "NORTH_AMERICA_US_ENTITY",
            "https://open.antglobal-us.com",
            None,
        ),
    ];
    for (id, recommended, upload) in expected {
        let region = spec.regions.iter().find(|r| r.id == id).expect(id);
        let rec: Vec<&str> = region
            .hosts
            .iter()
            .filter(|h| h.recommended)
            .map(|h| h.url.as_str())
            .collect();
        assert_eq!(rec, [recommended], "{id}: recommended host");
        assert_eq!(region.upload_host.as_deref(), upload, "{id}: upload host");
        for h in &region.hosts {
            assert!(h.url.starts_with("https://"), "{id}: {}", h.url);
            assert!(!h.url.ends_with('/'), "{id}: {}", h.url);
            assert_ne!(
                h.url, "https://open-global.alipay.com",
                "the GAGW domain was removed"
            );
        }
    }
    let eu = spec
        .regions
        .iter()
        .find(|r| r.id == "EUROPE")
        .expect("EUROPE");
    assert!(eu
        .hosts
        .iter()
        .any(|h| h.url == "https://open-eu.alipay.com" && !h.recommended));
    assert!(eu.note.as_deref().unwrap_or("").contains("in-store"));
    assert!(
        spec.regions
            .iter()
            .filter_map(|r| r.note.as_deref())
            .any(|n| n.contains("open-global.alipay.com")),
        "a note records the removed GAGW domain"
    );
}

#[test]
fn sandbox_rule_rewrites_the_first_prefix_except_for_risk_apis() {
    let spec = spec();
    let sandbox = spec
        .sandbox
        .as_ref()
        .expect("the spec has a sandbox section");
    assert_eq!(sandbox.client_id_prefix, "SANDBOX_");
    assert_eq!(sandbox.production_prefix, "/ams/api");
    assert_eq!(sandbox.sandbox_prefix, "/ams/sandbox/api");
    assert!(sandbox.doc.contains("first occurrence"));
    for risk in [
        "decide",
        "reportRisk",
        "sendPaymentResult",
        "sendRefundResult",
    ] {
        assert!(sandbox.doc.contains(risk), "the sandbox doc names {risk}");
        if let Some(ep) = spec.endpoint(risk) {
            assert!(
                !ep.sandbox_rewrite,
                "{risk} must keep the production path in the sandbox"
            );
        }
    }
}
