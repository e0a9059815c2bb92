//! Behaviour of the generated API: enums, codes, models, endpoints,
//! notifications, regions.

use antom::enums::TransactionStatus;
use antom::models::{
    Amount, CaptureRequest, CreatePaymentSessionRequest, InquiryPaymentResponse, Order,
};
use antom::{ResultCode, SdkEventCode, Validate};
use antom_runtime::{Action, BusinessOutcome, BusinessStatus, SpecStatus};

#[test]
fn enum_unknown_value_round_trips_and_strict_parse_rejects_it() {
    let v: TransactionStatus = serde_json::from_str(r#""SUCCESS""#).unwrap();
    assert_eq!(v, TransactionStatus::Success);
    let unknown: TransactionStatus = serde_json::from_str(r#""PARTIALLY_DONE""#).unwrap();
    assert!(matches!(&unknown, TransactionStatus::Unknown(v) if v.as_str() == "PARTIALLY_DONE"));
    assert_eq!(unknown, TransactionStatus::from("PARTIALLY_DONE"));
    // A known value never becomes an unknown one, however it is parsed.
    assert_eq!(
        TransactionStatus::from("SUCCESS"),
        TransactionStatus::Success
    );
    assert!(ResultCode::from("SUCCESS").is_known());
    assert_eq!(
        serde_json::to_string(&unknown).unwrap(),
        r#""PARTIALLY_DONE""#
    );
    assert!(!unknown.is_known());
    let err = TransactionStatus::try_parse("PARTIALLY_DONE").unwrap_err();
    assert_eq!(err.type_name, "TransactionStatus");
    assert_eq!(err.value, "PARTIALLY_DONE");
    assert_eq!(
        TransactionStatus::try_parse("FAIL"),
        Ok(TransactionStatus::Fail)
    );
}

#[test]
fn enum_display_from_str_and_serde_agree_for_every_known_value() {
    for v in TransactionStatus::KNOWN {
        let wire = v.to_string();
        assert_eq!(wire, v.as_str());
        assert_eq!(wire.parse::<TransactionStatus>().unwrap(), *v);
        assert_eq!(
            serde_json::to_value(v).unwrap(),
            serde_json::Value::String(wire.clone())
        );
        assert_eq!(TransactionStatus::from(wire.as_str()), *v);
    }
    for c in ResultCode::KNOWN {
        assert_eq!(ResultCode::try_parse(c.as_str()).as_ref(), Ok(c));
        assert!(c.status().is_some() && c.action().is_some() && c.message_en().is_some());
    }
}

#[test]
fn business_status_outcomes_come_from_the_spec() {
    assert_eq!(
        TransactionStatus::Success.outcome(),
        Some(BusinessOutcome::Success)
    );
    assert_eq!(
        TransactionStatus::Fail.outcome(),
        Some(BusinessOutcome::Failed)
    );
    assert_eq!(
        TransactionStatus::Processing.outcome(),
        Some(BusinessOutcome::Pending)
    );
    assert_eq!(TransactionStatus::from("X").outcome(), None);
    let body =
        r#"{"result":{"resultCode":"SUCCESS","resultStatus":"S"},"paymentStatus":"PROCESSING"}"#;
    let resp: InquiryPaymentResponse = serde_json::from_str(body).unwrap();
    assert_eq!(resp.business_outcome(), Some(BusinessOutcome::Pending));
    let error_body = r#"{"result":{"resultCode":"UNKNOWN_EXCEPTION","resultStatus":"U"}}"#;
    let resp: InquiryPaymentResponse = serde_json::from_str(error_body).unwrap();
    assert_eq!(resp.business_outcome(), None);
}

#[test]
fn result_code_metadata() {
    let c = ResultCode::from("UNKNOWN_EXCEPTION");
    assert_eq!(c, ResultCode::UnknownException);
    assert_eq!(c.status(), Some(SpecStatus::U));
    assert_eq!(c.action(), Some(Action::Retry));
    assert!(c.is_retryable());
    assert_eq!(c.scope(), Some("gateway"));

    let sig = ResultCode::InvalidSignature;
    assert_eq!(sig.status(), Some(SpecStatus::F));
    assert_eq!(sig.action(), Some(Action::FixRequest));
    assert!(!sig.is_retryable());
    assert!(sig.message_en().is_some() && sig.message_zh().is_some());

    assert_eq!(
        ResultCode::RequestTrafficExceedLimit.action(),
        Some(Action::RetryAfterBackoff)
    );
    assert_eq!(ResultCode::PaymentInProcess.action(), Some(Action::Inquire));

    let new = ResultCode::from("A_CODE_FROM_THE_FUTURE");
    assert_eq!(new.as_str(), "A_CODE_FROM_THE_FUTURE");
    assert_eq!(
        (new.status(), new.action(), new.scope()),
        (None, None, None)
    );
    assert!(!new.is_retryable());
    assert_eq!(new.message_en(), None);
    assert!(ResultCode::try_parse("A_CODE_FROM_THE_FUTURE").is_err());
}

#[test]
#[allow(deprecated)]
fn deprecated_sdk_event_code_names_its_replacement() {
    let old = SdkEventCode::SdkCallUrlError;
    assert!(old.is_deprecated());
    assert_eq!(
        old.replaced_by(),
        Some(SdkEventCode::SdkLaunchPaymentAppError)
    );
    assert_eq!(old.callback(), Some("onEventCallback or onError"));
    assert_eq!(old.callbacks(), ["onEventCallback", "onError"]);
    assert_eq!(
        SdkEventCode::SdkPaymentSuccessful.callbacks(),
        ["onEventCallback"]
    );
    assert!(SdkEventCode::from("SDK_FROM_THE_FUTURE")
        .callbacks()
        .is_empty());
    assert!(!SdkEventCode::SdkLaunchPaymentAppError.is_deprecated());
    let parsed: SdkEventCode = serde_json::from_str(r#""SDK_CALL_URL_ERROR""#).unwrap();
    assert_eq!(parsed, old);
    assert_eq!(
        SdkEventCode::SdkPaymentSuccessful.group(),
        Some("paymentResult")
    );
}

#[test]
fn request_constructor_sets_required_fields_and_serializes_wire_names() {
    let req = CaptureRequest {
        is_last_capture: Some(true),
        ..CaptureRequest::new("capture-1", "payment-1", Amount::new("USD", "100"))
    };
    let json = serde_json::to_value(&req).unwrap();
    assert_eq!(json["captureRequestId"], "capture-1");
    assert_eq!(json["paymentId"], "payment-1");
    assert_eq!(
        json["captureAmount"],
        serde_json::json!({"currency": "USD", "value": "100"})
    );
    assert_eq!(json["isLastCapture"], true);
    assert!(
        json.get("transit").is_none(),
        "unset optional fields are not sent"
    );
    assert!(req.validate().is_ok());
}

#[test]
fn validation_names_the_field_path_and_counts_characters() {
    // 256 CJK characters are 768 bytes but within orderDescription's 256-character limit.
    let order = Order::new("order-1", "测".repeat(256), Amount::new("CNY", "100"));
    let ok = CreatePaymentSessionRequest::new(
        antom::enums::ProductCodeType::CashierPayment,
        "request-1",
        order,
        Amount::new("CNY", "100"),
        "https://example.com/result",
    );
    assert_eq!(ok.validate(), Ok(()));

    let mut bad = ok.clone();
    bad.order.order_description = "x".repeat(257);
    bad.payment_request_id = "r".repeat(65);
    let err = bad.validate().unwrap_err();
    let paths: Vec<&str> = err.violations.iter().map(|v| v.path.as_str()).collect();
    assert_eq!(paths, ["paymentRequestId", "order.orderDescription"]);
    assert_eq!(err.violations[1].max_length, 256);
    assert_eq!(err.violations[1].actual_length, 257);
    assert!(err
        .to_string()
        .contains("`order.orderDescription` is 257 characters long; the maximum is 256"));
}

#[test]
fn unknown_fields_are_kept_and_serialized_back() {
    let body = r#"{"currency":"USD","value":"100","newField":{"a":1}}"#;
    let amount: Amount = serde_json::from_str(body).unwrap();
    assert_eq!(amount.extra["newField"], serde_json::json!({"a": 1}));
    let back: serde_json::Value = serde_json::to_value(&amount).unwrap();
    assert_eq!(
        back,
        serde_json::from_str::<serde_json::Value>(body).unwrap()
    );
}

#[test]
fn endpoints_table() {
    let ep = antom::endpoints::by_name("inquiryPayment").unwrap();
    assert_eq!(*ep, antom::endpoints::INQUIRY_PAYMENT);
    assert_eq!(ep.path, "/ams/api/v1/payments/inquiryPayment");
    assert_eq!(
        antom::endpoints::CAPTURE.idempotency_key,
        Some("captureRequestId")
    );
    assert!(antom::endpoints::by_name("noSuchApi").is_none());
    // Sorted by (family, name), unique names.
    let keys: Vec<(&str, &str)> = antom::endpoints::ALL
        .iter()
        .map(|e| (e.family, e.name))
        .collect();
    let mut sorted = keys.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(keys, sorted);
    for ep in antom::endpoints::ALL {
        // Result codes are sorted (EndpointDef::code_info binary-searches)
        // and include the gateway-wide codes.
        assert!(
            ep.result_codes.windows(2).all(|w| w[0].code < w[1].code),
            "{}",
            ep.name
        );
        assert!(ep.code_info("UNKNOWN_EXCEPTION").is_some(), "{}", ep.name);
        assert!(ep.path.starts_with("/ams/"), "{}", ep.name);
    }
    let risk: Vec<&str> = antom::endpoints::ALL
        .iter()
        .filter(|e| e.family == "risk")
        .map(|e| e.name)
        .collect();
    assert!(!risk.is_empty());
    for name in risk {
        assert!(
            !antom::endpoints::by_name(name).unwrap().sandbox_rewrite,
            "{name}"
        );
    }
}

#[test]
fn regions_and_sandbox_rule() {
    assert_eq!(
        antom::Region::NorthAmerica.host(),
        "https://open-na-global.alipay.com"
    );
    assert!(antom::Region::NorthAmerica
        .hosts()
        .contains(&"https://open-na.alipay.com"));
    assert_eq!(antom::Region::from_id("ASIA"), Some(antom::Region::Asia));
    assert_eq!(antom::SANDBOX_RULE.client_id_prefix, "SANDBOX_");
    let path = antom::SANDBOX_RULE.path_for(
        &antom::endpoints::INQUIRY_PAYMENT,
        "SANDBOX_5X00000000000000",
    );
    assert_eq!(path, "/ams/sandbox/api/v1/payments/inquiryPayment");
    assert_eq!(antom::SANDBOX_RULE, antom_runtime::DEFAULT_SANDBOX_RULE);
}

#[test]
fn notifications_parse_by_notify_type() {
    use antom::notifications::{Notification, NotificationKind};
    let body = br#"{"notifyType":"CAPTURE_RESULT","captureRequestId":"c-1","paymentId":"p-1","captureId":"x","result":{"resultCode":"SUCCESS","resultStatus":"S","resultMessage":"success."}}"#;
    let n = Notification::parse(body).unwrap();
    assert_eq!(n.kind(), Some(NotificationKind::NotifyCapture));
    assert_eq!(n.result().unwrap().result_code, "SUCCESS");
    assert_eq!(n.dedup_value(), Some("c-1"));

    // The most specific key present identifies a delivery: an updateAmount
    // result by its own request id, a payment by its request id, then its id.
    assert_eq!(
        NotificationKind::NotifyPayment.dedup_keys(),
        ["updateRequestId", "paymentRequestId", "paymentId"]
    );
    // `UPDATE_AMOUNT_RESULT` is not one of notifyPayment's notifyTypes, so
    // it is parsed by kind.
    let update = Notification::parse_as(
        NotificationKind::NotifyPayment,
        br#"{"notifyType":"UPDATE_AMOUNT_RESULT","updateRequestId":"u-2","paymentRequestId":"order-1","paymentId":"p-1","result":{"resultCode":"SUCCESS","resultStatus":"S"}}"#,
    )
    .unwrap();
    assert_eq!(update.dedup_value(), Some("u-2"));
    let pending = Notification::parse(
        br#"{"notifyType":"PAYMENT_PENDING","paymentId":"p-1","result":{"resultCode":"SUCCESS","resultStatus":"S"}}"#,
    )
    .unwrap();
    assert_eq!(pending.dedup_value(), Some("p-1"));

    let unknown = Notification::parse(
        br#"{"notifyType":"SOMETHING_NEW","result":{"resultCode":"SUCCESS","resultStatus":"S"}}"#,
    )
    .unwrap();
    assert!(matches!(unknown, Notification::Unknown(_)));
    assert!(unknown.kind().is_none());

    assert!(matches!(
        Notification::parse(b"[1,2]"),
        Err(antom::notifications::NotificationError::NotJson(_))
    ));
    assert!(Notification::parse(b"not json").is_err());
    assert_eq!(antom::notifications::ACKNOWLEDGEMENT_HTTP_STATUS, 200);
    let ack: serde_json::Value =
        serde_json::from_str(antom::notifications::ACKNOWLEDGEMENT_BODY).unwrap();
    assert_eq!(ack["result"]["resultStatus"], "S");
    // The runtime's notification helpers carry the spec's values.
    assert_eq!(
        antom::notifications::ACKNOWLEDGEMENT_BODY,
        antom_runtime::notification::ACKNOWLEDGEMENT_BODY
    );
    let runtime_schedule: Vec<u64> = antom_runtime::notification::RESEND_SCHEDULE
        .iter()
        .map(|d| d.as_secs())
        .collect();
    assert_eq!(
        antom::notifications::RESEND_SCHEDULE_SECS,
        &runtime_schedule[..]
    );
}

#[test]
fn booleans_and_numbers_are_also_accepted_as_strings() {
    let native: CaptureRequest = serde_json::from_str(
        r#"{"captureRequestId":"c","paymentId":"p","captureAmount":{"currency":"USD","value":"1"},"isLastCapture":true}"#,
    )
    .unwrap();
    let string: CaptureRequest = serde_json::from_str(
        r#"{"captureRequestId":"c","paymentId":"p","captureAmount":{"currency":"USD","value":"1"},"isLastCapture":"true"}"#,
    )
    .unwrap();
    assert_eq!(
        serde_json::to_value(&native).unwrap(),
        serde_json::to_value(&string).unwrap()
    );
    assert_eq!(string.is_last_capture, Some(true));
    // Serialized in the native form.
    assert_eq!(
        serde_json::to_value(&string).unwrap()["isLastCapture"],
        true
    );
    let err = serde_json::from_str::<CaptureRequest>(
        r#"{"captureRequestId":"c","paymentId":"p","captureAmount":{"currency":"USD","value":"1"},"isLastCapture":"yes"}"#,
    )
    .unwrap_err();
    assert!(err.to_string().contains("expected a boolean"), "{err}");
}

#[test]
fn model_parse_errors_name_the_wire_field() {
    use antom::models::Amount;

    let missing = serde_json::from_str::<Amount>(r#"{"currency":"USD"}"#).unwrap_err();
    assert!(
        missing.to_string().contains("missing field `value`"),
        "{missing}"
    );

    let duplicate = serde_json::from_str::<Amount>(r#"{"currency":"USD","value":"1","value":"2"}"#)
        .unwrap_err();
    assert!(
        duplicate.to_string().contains("duplicate field `value`"),
        "{duplicate}"
    );

    // An optional key is a duplicate even when its first value was null,
    // and a scalar's too: the second value must not silently win.
    for body in [
        r#"{"paymentId":null,"paymentId":"p2"}"#,
        r#"{"paymentId":"p1","paymentId":"p2"}"#,
    ] {
        let err = serde_json::from_str::<antom::models::InquiryPaymentRequest>(body).unwrap_err();
        assert!(
            err.to_string().contains("duplicate field `paymentId`"),
            "{body}: {err}"
        );
    }
    let err = serde_json::from_str::<CaptureRequest>(
        r#"{"captureRequestId":"c","paymentId":"p","captureAmount":{"currency":"USD","value":"1"},"isLastCapture":null,"isLastCapture":true}"#,
    )
    .unwrap_err();
    assert!(
        err.to_string().contains("duplicate field `isLastCapture`"),
        "{err}"
    );

    // The first bad value ends the read: its error is the one reported.
    let err = serde_json::from_str::<Amount>(r#"{"currency":1,"value":2}"#).unwrap_err();
    assert!(err.to_string().contains("line 1 column 13"), "{err}");

    let not_object = serde_json::from_str::<Amount>(r#"["USD","1"]"#).unwrap_err();
    assert!(not_object.to_string().contains("Amount"), "{not_object}");

    let wrong_type = serde_json::from_str::<Amount>(r#"{"currency":7,"value":"1"}"#).unwrap_err();
    assert!(wrong_type.is_data(), "{wrong_type}");
}

#[test]
fn null_optional_fields_read_as_absent_and_are_not_written_back() {
    let r: antom::models::InquiryPaymentResponse = serde_json::from_str(
        r#"{"result":{"resultCode":"SUCCESS","resultStatus":"S"},"transactions":null,"paymentId":null}"#,
    )
    .unwrap();
    assert!(r.transactions.is_none());
    assert_eq!(r.payment_id, None);
    assert_eq!(
        serde_json::to_value(&r).unwrap(),
        serde_json::json!({"result":{"resultCode":"SUCCESS","resultStatus":"S"}})
    );
}

#[test]
fn pay_response_reads_the_app_link_as_antom_spells_it() {
    // `applinkUrl`, lower-case l: Antom's guide to the payment continuation
    // URLs and the official SDKs spell it so.
    let response: antom::models::PayResponse = serde_json::from_str(
        r#"{"result":{"resultCode":"PAYMENT_IN_PROCESS","resultStatus":"U"},"normalUrl":"https://n.example","applinkUrl":"https://a.example","schemeUrl":"wallet://pay"}"#,
    )
    .unwrap();
    assert_eq!(response.applink_url.as_deref(), Some("https://a.example"));
    assert!(response.extra.is_empty(), "{:?}", response.extra);
}

#[test]
fn debug_never_prints_cardholder_data() {
    let card = antom::models::CardPaymentMethodDetail {
        card_no: Some("4111111111111111".to_owned()),
        cvv: Some("737".to_owned()),
        expiry_year: Some("29".to_owned()),
        brand: Some(antom::enums::CardBrand::from("VISA")),
        ..Default::default()
    };
    let printed = format!("{card:?}");
    for secret in ["4111111111111111", "737", "\"29\""] {
        assert!(!printed.contains(secret), "{secret} in {printed}");
    }
    assert!(printed.contains("card_no: Some(<redacted>)"), "{printed}");
    assert!(printed.contains("expiry_month: None"), "{printed}");
    assert!(printed.contains("Visa"), "other fields print: {printed}");
    // Inside another model too, and the value itself is untouched.
    let detail = antom::models::PaymentMethodDetail {
        card: Some(card.clone()),
        ..Default::default()
    };
    assert!(!format!("{detail:?}").contains("4111111111111111"));
    assert_eq!(
        serde_json::to_value(&card).unwrap()["cardNo"],
        "4111111111111111"
    );
}
