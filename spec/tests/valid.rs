//! A valid multi-file spec lowers to the documented IR.

use antom_spec::ir::{self, Action, BusinessOutcome, CodeScope, EventGroup, SpecStatus, Type};

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/valid");

fn spec() -> ir::Spec {
    match antom_spec::load_dir(DIR) {
        Ok(s) => s,
        Err(d) => panic!("valid fixture failed:\n{d}"),
    }
}

fn names<T>(items: &[T], f: impl Fn(&T) -> &str) -> Vec<&str> {
    items.iter().map(f).collect()
}

#[test]
fn collections_are_sorted() {
    let s = spec();
    assert_eq!(names(&s.regions, |r| &r.id), ["ASIA", "NORTH_AMERICA"]);
    assert_eq!(names(&s.enums, |e| &e.name), ["TransactionStatus"]);
    assert_eq!(
        names(&s.models, |m| &m.name),
        [
            "Amount",
            "Goods",
            "InquiryPaymentRequest",
            "InquiryPaymentResponse",
            "PayRequest",
            "PayResponse",
            "PaymentNotification",
            "Result"
        ]
    );
    assert_eq!(
        names(&s.endpoints, |e| &e.name),
        ["inquiryPayment", "pay", "refund"]
    );
    assert!(s.endpoints.iter().all(|e| e.family == "payments"));
    assert_eq!(
        names(&s.result_codes, |c| &c.code),
        [
            "ORDER_NOT_EXIST",
            "PAYMENT_IN_PROCESS",
            "SUCCESS",
            "UNKNOWN_EXCEPTION"
        ]
    );
    assert_eq!(
        names(&s.sdk_event_codes, |c| &c.code),
        ["SDK_CALL_URL_ERROR", "SDK_LAUNCH_PAYMENT_APP_ERROR"]
    );
}

#[test]
fn fields_keep_declaration_order_and_resolve_types() {
    let s = spec();
    let req = s.model("PayRequest").unwrap();
    assert_eq!(
        names(&req.fields, |f| &f.name),
        ["paymentRequestId", "paymentAmount", "goods", "extra"]
    );
    let id = req.field("paymentRequestId").unwrap();
    assert_eq!(id.ty, Type::String);
    assert!(id.required);
    assert_eq!(id.max_length, Some(64));
    assert_eq!(
        req.field("paymentAmount").unwrap().ty,
        Type::Model("Amount".into())
    );
    assert_eq!(
        req.field("goods").unwrap().ty,
        Type::Array(Box::new(Type::Model("Goods".into())))
    );
    assert_eq!(req.field("extra").unwrap().ty, Type::Json);
    assert!(!req.field("extra").unwrap().required);
    let goods = s.model("Goods").unwrap();
    assert_eq!(goods.field("quantity").unwrap().ty, Type::Integer);
    assert_eq!(goods.field("price").unwrap().ty, Type::Number);
    let resp = s.model("InquiryPaymentResponse").unwrap();
    assert_eq!(
        resp.field("paymentStatus").unwrap().ty,
        Type::Enum("TransactionStatus".into())
    );
    assert_eq!(
        resp.field("tags").unwrap().ty,
        Type::Array(Box::new(Type::Array(Box::new(Type::String))))
    );
    let amount = s.model("Amount").unwrap();
    assert_eq!(amount.field("currency").unwrap().doc, "ISO 4217.");
    assert_eq!(amount.field("value").unwrap().doc, "");
}

#[test]
fn enums_keep_order_and_outcomes() {
    let s = spec();
    let e = s.enum_("TransactionStatus").unwrap();
    let v: Vec<(&str, Option<BusinessOutcome>)> = e
        .values
        .iter()
        .map(|v| (v.value.as_str(), v.outcome))
        .collect();
    assert_eq!(
        v,
        [
            ("SUCCESS", Some(BusinessOutcome::Success)),
            ("FAIL", Some(BusinessOutcome::Failed)),
            ("PROCESSING", Some(BusinessOutcome::Pending))
        ]
    );
}

#[test]
fn endpoints_resolve() {
    let s = spec();
    let pay = s.endpoint("pay").unwrap();
    assert_eq!(pay.path, "/ams/api/v1/payments/pay");
    assert_eq!(pay.request, "PayRequest");
    assert_eq!(pay.response, "PayResponse");
    assert_eq!(pay.idempotency_key.as_deref(), Some("paymentRequestId"));
    assert!(pay.sandbox_rewrite, "sandboxRewrite defaults to true");
    assert_eq!(pay.business_status, None);
    assert!(!s.endpoint("refund").unwrap().sandbox_rewrite);
    let inquiry = s.endpoint("inquiryPayment").unwrap();
    assert_eq!(
        inquiry.business_status,
        Some(ir::BusinessStatusField {
            field: "paymentStatus".into(),
            enum_name: "TransactionStatus".into()
        })
    );
}

#[test]
fn codes_of_merges_listed_and_gateway_codes() {
    let s = spec();
    let pay = s.endpoint("pay").unwrap();
    // listed codes are sorted, with notes
    assert_eq!(
        names(&pay.result_codes, |c| &c.code),
        ["PAYMENT_IN_PROCESS", "SUCCESS"]
    );
    let all = s.codes_of(pay);
    let got: Vec<(&str, SpecStatus, Action, bool)> = all
        .iter()
        .map(|c| (c.code.as_str(), c.status, c.action, c.listed))
        .collect();
    assert_eq!(
        got,
        [
            ("PAYMENT_IN_PROCESS", SpecStatus::U, Action::Inquire, true),
            ("SUCCESS", SpecStatus::S, Action::None, true),
            ("UNKNOWN_EXCEPTION", SpecStatus::U, Action::Retry, false),
        ]
    );
    assert_eq!(all[0].note.as_deref(), Some("Wait for notifyPayment."));

    // a per-endpoint action override replaces the catalogue's action
    let inquiry = s.endpoint("inquiryPayment").unwrap();
    let c = &inquiry.result_codes[0];
    assert_eq!(
        (c.code.as_str(), c.status, c.action),
        ("ORDER_NOT_EXIST", SpecStatus::F, Action::NewRequestId)
    );
    assert_eq!(
        s.result_code("ORDER_NOT_EXIST").unwrap().action,
        Action::FixRequest
    );

    // an endpoint without codes still gets the gateway codes
    let refund = s.endpoint("refund").unwrap();
    assert_eq!(
        names(&s.codes_of(refund), |c| &c.code),
        ["SUCCESS", "UNKNOWN_EXCEPTION"]
    );
}

#[test]
fn catalogue_entries() {
    let s = spec();
    let c = s.result_code("ORDER_NOT_EXIST").unwrap();
    assert_eq!(c.scope, CodeScope::Api);
    assert!(c.payment_result);
    assert_eq!(c.message.zh, "订单不存在。");
    assert_eq!(c.uncertain.as_deref(), Some("Some docs say newRequestId."));
    let u = s.result_code("UNKNOWN_EXCEPTION").unwrap();
    assert_eq!(
        u.message.en,
        "An API call failed, which is caused by unknown reasons."
    );
    assert!(!u.payment_result);
    assert_eq!(
        names(&s.gateway_codes().cloned().collect::<Vec<_>>(), |c| &c.code),
        ["SUCCESS", "UNKNOWN_EXCEPTION"]
    );
    let sdk = s.sdk_event_code("SDK_CALL_URL_ERROR").unwrap();
    assert_eq!(sdk.group, EventGroup::Status);
    assert_eq!(sdk.callbacks, ["onEventCallback"]);
    assert_eq!(
        s.sdk_event_code("SDK_LAUNCH_PAYMENT_APP_ERROR")
            .unwrap()
            .callbacks,
        ["onEventCallback", "onError"]
    );
    assert_eq!(
        sdk.deprecated.as_ref().unwrap().replaced_by.as_deref(),
        Some("SDK_LAUNCH_PAYMENT_APP_ERROR")
    );
    assert_eq!(sdk.sources, ["seed 001"]);
}

#[test]
fn notifications_regions_sandbox_ack() {
    let s = spec();
    let n = &s.notifications[0];
    assert_eq!(n.name, "notifyPayment");
    assert_eq!(n.payload, "PaymentNotification");
    assert_eq!(n.notify_types, ["PAYMENT_RESULT", "PAYMENT_PENDING"]);
    assert_eq!(n.dedup_keys, ["paymentId"]);
    assert_eq!(
        names(&n.result_codes, |c| &c.code),
        ["ORDER_NOT_EXIST", "SUCCESS"]
    );

    let na = &s.regions[1];
    assert_eq!(na.hosts.len(), 2);
    assert!(na.hosts[0].recommended && !na.hosts[1].recommended);
    assert_eq!(
        na.upload_host.as_deref(),
        Some("https://open-big-na.alipay.com")
    );

    let sb = s.sandbox.as_ref().unwrap();
    assert_eq!(
        (sb.production_prefix.as_str(), sb.sandbox_prefix.as_str()),
        ("/ams/api", "/ams/sandbox/api")
    );

    let ack = s.acknowledgement.as_ref().unwrap();
    assert_eq!(ack.http_status, 200);
    assert_eq!(ack.resend_schedule_secs, [0, 120, 600, 3600]);
    assert!(ack.body.starts_with(r#"{"result":"#));
}

#[test]
fn load_sources_matches_load_dir_whatever_the_order() {
    let mut files = Vec::new();
    for rel in ["payments/refund.yaml", "gateway.yaml", "payments/pay.yaml"] {
        let text = std::fs::read_to_string(format!("{DIR}/{rel}")).unwrap();
        files.push((format!("valid/{rel}"), text));
    }
    let from_mem = antom_spec::load_sources(&files).unwrap();
    assert_eq!(from_mem, spec());
    files.reverse();
    assert_eq!(antom_spec::load_sources(&files).unwrap(), from_mem);
}

#[test]
fn valid_spec_has_no_diagnostics() {
    let c = antom_spec::check_dir(DIR);
    assert!(c.spec.is_some());
    assert!(c.diagnostics.is_empty(), "{}", c.diagnostics);
}

#[test]
fn empty_sources_give_an_empty_spec() {
    let s = antom_spec::load_sources(&[]).unwrap();
    assert!(s.models.is_empty() && s.endpoints.is_empty() && s.sandbox.is_none());
    let s = antom_spec::load_sources(&[("a.yaml".into(), "# just a comment\n".into())]).unwrap();
    assert!(s.result_codes.is_empty());
}

#[test]
fn unused_models_are_warnings_not_errors() {
    let src = "models:\n  Lonely:\n    doc: nobody refers to me\n    fields:\n      - {name: a, type: Mode}\nenums:\n  Mode:\n    doc: used by Lonely\n    values:\n      - value: A\n";
    let c = antom_spec::check_sources(&[("x.yaml".to_owned(), src.to_owned())]);
    let spec = c.spec.expect("warnings do not block the IR");
    assert_eq!(spec.models.len(), 1);
    let d: Vec<_> = c.diagnostics.iter().collect();
    assert_eq!(d.len(), 1, "{}", c.diagnostics);
    assert_eq!(d[0].severity, antom_spec::Severity::Warning);
    assert_eq!(
        d[0].message,
        "model `Lonely` is not used by any endpoint, notification or model"
    );
    assert_eq!((d[0].line, d[0].col), (2, 3));
    // load_sources ignores warnings
    assert!(antom_spec::load_sources(&[("x.yaml".to_owned(), src.to_owned())]).is_ok());
}

#[test]
fn load_dir_reads_nested_yaml_and_warns_about_yml() {
    let dir = std::env::temp_dir().join(format!("antom-spec-dir-{}", std::process::id()));
    let nested = dir.join("spec").join("nested");
    std::fs::create_dir_all(&nested).unwrap();
    let region = "regions:\n  ASIA:\n    name: Asia\n    hosts:\n      - url: https://open-sea-global.alipay.com\n";
    std::fs::write(nested.join("regions.yaml"), region).unwrap();
    std::fs::write(dir.join("spec").join("old.yml"), "regions: {}\n").unwrap();
    std::fs::write(dir.join("spec").join("notes.txt"), "not yaml").unwrap();
    let c = antom_spec::check_dir(dir.join("spec"));
    std::fs::remove_dir_all(&dir).unwrap();
    assert_eq!(c.spec.expect("loads").regions[0].id, "ASIA");
    let d: Vec<_> = c.diagnostics.iter().collect();
    assert_eq!(d.len(), 1, "{}", c.diagnostics);
    assert_eq!(d[0].severity, antom_spec::Severity::Warning);
    assert_eq!(d[0].file, "spec/old.yml");
}
