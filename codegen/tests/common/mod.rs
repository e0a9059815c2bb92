//! A small spec built by hand (IR values), covering every feature of the
//! generator, for tests that must not depend on the YAML loader.

#![allow(dead_code)]

use antom_spec::ir::*;

fn text(en: &str, zh: &str) -> Text {
    Text {
        en: en.into(),
        zh: zh.into(),
    }
}

fn field(name: &str, ty: Type, required: bool, max: Option<u32>, doc: &str) -> Field {
    Field {
        name: name.into(),
        ty,
        required,
        max_length: max,
        sensitive: false,
        doc: doc.into(),
    }
}

fn model(name: &str, doc: &str, fields: Vec<Field>) -> Model {
    Model {
        name: name.into(),
        doc: doc.into(),
        fields,
    }
}

fn code(code: &str, status: SpecStatus, action: Action, scope: CodeScope, en: &str) -> ResultCode {
    ResultCode {
        code: code.into(),
        status,
        action,
        scope,
        payment_result: false,
        message: text(en, "中文"),
        suggestion: text("Suggestion.", "建议。"),
        sources: vec!["test".into()],
        uncertain: None,
    }
}

fn listed(code: &str, status: SpecStatus, action: Action) -> EndpointCode {
    EndpointCode {
        code: code.into(),
        status,
        action,
        note: None,
        listed: true,
    }
}

fn value(v: &str, outcome: Option<BusinessOutcome>) -> EnumValue {
    EnumValue {
        value: v.into(),
        doc: format!("The {v} value."),
        outcome,
    }
}

/// The sample spec.
pub fn sample_spec() -> Spec {
    let s = || Type::String;
    Spec {
        regions: vec![Region {
            id: "NORTH_AMERICA".into(),
            name: "North America".into(),
            hosts: vec![
                Host { url: "https://open-na.alipay.com".into(), recommended: false },
                Host { url: "https://open-na-global.alipay.com".into(), recommended: true },
            ],
            upload_host: Some("https://open-big-na.alipay.com".into()),
            note: None,
        }],
        sandbox: Some(Sandbox {
            client_id_prefix: "SANDBOX_".into(),
            production_prefix: "/ams/api".into(),
            sandbox_prefix: "/ams/sandbox/api".into(),
            doc: "Same host, different path.".into(),
        }),
        idempotency: Some(Idempotency {
            final_statuses: vec![SpecStatus::S, SpecStatus::F],
            doc: "A key is spent once its call has a final answer.".into(),
            sources: vec![],
        }),
        enums: vec![
            Enum {
                name: "ResultStatus".into(),
                doc: "Result status.".into(),
                values: vec![value("S", None), value("F", None), value("U", None)],
            },
            Enum {
                name: "TransactionStatus".into(),
                doc: "Status of a payment.".into(),
                values: vec![
                    value("SUCCESS", Some(BusinessOutcome::Success)),
                    value("FAIL", Some(BusinessOutcome::Failed)),
                    value("PROCESSING", Some(BusinessOutcome::Pending)),
                ],
            },
            Enum {
                name: "InStorePaymentScenario".into(),
                doc: "Exact-case values.".into(),
                values: vec![value("PaymentCode", None), value("OrderCode", None), value("1.0.2", None)],
            },
        ],
        models: vec![
            model("Amount", "An amount.", vec![
                field("currency", s(), true, Some(3), "ISO 4217 code."),
                field("value", s(), true, None, "Minor units."),
            ]),
            model("CaptureRequest", "Capture request.", vec![
                field("captureRequestId", s(), true, Some(64), "Idempotency key."),
                field("paymentId", s(), true, Some(64), "Payment."),
                field("captureAmount", Type::Model("Amount".into()), true, None, "Amount."),
                field("isLastCapture", Type::Boolean, false, None, "Last capture."),
                field("order", Type::Model("Order".into()), false, None, "Order."),
            ]),
            model("CaptureResponse", "Capture response.", vec![
                field("result", Type::Model("Result".into()), true, None, "Result."),
                field("captureId", s(), true, Some(64), "Capture id."),
                field("captureAmount", Type::Model("Amount".into()), false, None, "Amount."),
            ]),
            model("Goods", "A good.", vec![
                field("goodsName", s(), true, Some(8), "Name."),
                field("crossSell", Type::Model("Goods".into()), false, None, "Recursive."),
                field("tags", Type::Array(Box::new(s())), false, Some(4), "Tags."),
                field("type", s(), false, None, "A keyword field."),
                field("quotePrice", Type::Number, false, None, "A number."),
                field("count", Type::Integer, false, None, "An integer."),
                field("meta", Type::Json, false, None, "Free JSON."),
            ]),
            model("InquiryPaymentRequest", "Inquiry.", vec![
                field("paymentRequestId", s(), false, Some(64), "Request id."),
            ]),
            model("InquiryPaymentResponse", "Inquiry response.", vec![
                field("result", Type::Model("Result".into()), true, None, "Result."),
                field("paymentStatus", Type::Enum("TransactionStatus".into()), true, None, "Status."),
                field("scenario", Type::Enum("InStorePaymentScenario".into()), false, None, "Scenario."),
            ]),
            model("Order", "An order.", vec![
                field("orderDescription", s(), true, Some(10), "Description."),
                field("goods", Type::Array(Box::new(Type::Model("Goods".into()))), false, None, "Goods."),
            ]),
            model("PaymentNotification", "Payment notification.", vec![
                field("notifyType", s(), true, None, "Type."),
                field("result", Type::Model("Result".into()), true, None, "Result."),
                field("paymentRequestId", s(), true, Some(64), "Request id."),
            ]),
            model("Result", "The result.", vec![
                field("resultCode", s(), true, None, "Code."),
                field("resultStatus", Type::Enum("ResultStatus".into()), true, None, "Status."),
                field("resultMessage", s(), false, None, "Message."),
            ]),
            model("VaultingNotification", "Vaulting notification.", vec![
                field("result", Type::Model("Result".into()), true, None, "Result."),
                field("vaultingRequestId", s(), true, None, "Request id."),
            ]),
        ],
        endpoints: vec![
            Endpoint {
                name: "capture".into(),
                family: "payments".into(),
                path: "/ams/api/v1/payments/capture".into(),
                doc: "Captures.".into(),
                request: "CaptureRequest".into(),
                response: "CaptureResponse".into(),
                idempotency_key: Some("captureRequestId".into()),
                echoes: vec!["captureRequestId".into()],
                sandbox_rewrite: true,
                business_status: None,
                result_codes: vec![listed("CAPTURE_IN_PROCESS", SpecStatus::U, Action::Inquire)],
                uncertain: None,
                uncertain_keys: vec![],
            },
            Endpoint {
                name: "inquiryPayment".into(),
                family: "payments".into(),
                path: "/ams/api/v1/payments/inquiryPayment".into(),
                doc: "Inquires.".into(),
                request: "InquiryPaymentRequest".into(),
                response: "InquiryPaymentResponse".into(),
                idempotency_key: None,
                echoes: vec![],
                sandbox_rewrite: true,
                business_status: Some(BusinessStatusField {
                    field: "paymentStatus".into(),
                    enum_name: "TransactionStatus".into(),
                }),
                result_codes: vec![],
                uncertain: None,
                uncertain_keys: vec![],
            },
            Endpoint {
                name: "decide".into(),
                family: "risk".into(),
                path: "/ams/api/v1/risk/payments/decide".into(),
                doc: "Risk decision.".into(),
                request: "InquiryPaymentRequest".into(),
                response: "CaptureResponse".into(),
                idempotency_key: None,
                echoes: vec![],
                sandbox_rewrite: false,
                business_status: None,
                result_codes: vec![],
                uncertain: Some("Not sure.".into()),
                uncertain_keys: vec!["sandboxRewrite".into()],
            },
        ],
        notifications: vec![
            Notification {
                name: "notifyPayment".into(),
                doc: "Payment result.".into(),
                payload: "PaymentNotification".into(),
                notify_types: vec!["PAYMENT_RESULT".into(), "PAYMENT_PENDING".into()],
                dedup_keys: vec!["paymentRequestId".into()],
                result_codes: vec![listed("SUCCESS", SpecStatus::S, Action::None)],
            },
            Notification {
                name: "notifyVaulting".into(),
                doc: "Vaulting result.".into(),
                payload: "VaultingNotification".into(),
                notify_types: vec![],
                dedup_keys: vec!["vaultingRequestId".into()],
                result_codes: vec![],
            },
        ],
        acknowledgement: Some(Acknowledgement {
            http_status: 200,
            body: r#"{"result":{"resultCode":"SUCCESS","resultStatus":"S","resultMessage":"success"}}"#.into(),
            doc: "Reply like this.".into(),
            resend_schedule_secs: vec![0, 120, 600],
        }),
        result_codes: vec![
            code("CAPTURE_IN_PROCESS", SpecStatus::U, Action::Inquire, CodeScope::Api, "Capture in process."),
            code("SUCCESS", SpecStatus::S, Action::None, CodeScope::Gateway, "Success."),
            code("UNKNOWN_EXCEPTION", SpecStatus::U, Action::Retry, CodeScope::Gateway, "Unknown | exception."),
        ],
        sdk_event_codes: vec![
            SdkEventCode {
                code: "SDK_CALL_URL_ERROR".into(),
                group: EventGroup::Status,
                callbacks: vec!["onEventCallback".into()],
                description: text("Redirect failed.", "跳转失败。"),
                action: text("Contact support.", "联系支持。"),
                deprecated: Some(Deprecation {
                    replaced_by: Some("SDK_LAUNCH_PAYMENT_APP_ERROR".into()),
                    note: "Deprecated in 1.47.2.".into(),
                }),
                group_note: None,
                sources: vec![],
            },
            SdkEventCode {
                code: "SDK_LAUNCH_PAYMENT_APP_ERROR".into(),
                group: EventGroup::Error,
                callbacks: vec!["onEventCallback".into(), "onError".into()],
                description: text("Launch failed.", "启动失败。"),
                action: text("Retry.", "重试。"),
                deprecated: None,
                group_note: None,
                sources: vec![],
            },
        ],
    }
}
