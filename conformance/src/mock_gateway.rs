//! A stateful local Antom an integrator points their client at: it checks
//! every request as Antom's gateway would (method, path and the sandbox
//! rule, signature, body against the spec's request model), keeps the state
//! of payments (pay and createPaymentSession create one, inquiryPayment
//! reads it, capture, refund and cancel act on it), honours idempotency keys
//! (the same request again gets the same answer, other fields under the same
//! key `REPEAT_REQ_INCONSISTENT`), and delivers `notifyPayment` to a webhook.
//!
//! Built on the kit's wiremock pieces: the same reply signing and request
//! check as the conformance suite. Run it with the `antom-mock-gateway`
//! binary, or start it in a test with [`MockAntom::start`].

use std::collections::HashMap;
use std::net::TcpListener;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use ::wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};
use antom_runtime::schema::Schemas;
use antom_runtime::EndpointDef;
use serde_json::{json, Value};

use crate::crypto::TestKeys;
use crate::gateway::{build_reply, check_request, Reply, Signing};

/// How to run a [`MockAntom`].
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Loopback port to listen on (0: any free port).
    pub port: u16,
    /// Where `notifyPayment` goes when a payment succeeds.
    pub notify_url: Option<String>,
    /// Log each request's verdict to stderr.
    pub log: bool,
}

/// A running mock Antom; it stops when dropped.
pub struct MockAntom {
    server: MockServer,
    state: Arc<Shared>,
}

impl MockAntom {
    /// Starts it on loopback.
    pub async fn start(options: Options) -> std::io::Result<MockAntom> {
        let listener = TcpListener::bind(("127.0.0.1", options.port))?;
        let server = MockServer::builder().listener(listener).start().await;
        let state = Arc::new(Shared {
            keys: TestKeys::load().map_err(|e| std::io::Error::other(e.to_string()))?,
            schemas: &antom::schema::SCHEMAS,
            state: Mutex::new(State::default()),
            next_id: AtomicU64::new(1),
            options,
        });
        Mock::given(::wiremock::matchers::any())
            .respond_with(Handler(state.clone()))
            .mount(&server)
            .await;
        Ok(MockAntom { server, state })
    }

    /// Its base URL, e.g. `http://127.0.0.1:40123`.
    pub fn url(&self) -> String {
        self.server.uri()
    }

    /// The reasons of the requests refused so far, in order.
    pub fn refusals(&self) -> Vec<String> {
        self.state
            .state
            .lock()
            .map(|s| s.refusals.clone())
            .unwrap_or_default()
    }
}

struct Shared {
    keys: TestKeys,
    schemas: &'static Schemas,
    state: Mutex<State>,
    next_id: AtomicU64,
    options: Options,
}

#[derive(Default)]
struct State {
    /// Answers by (endpoint, idempotency key value): the body first sent
    /// and the reply given.
    answered: HashMap<(&'static str, String), (Value, Reply)>,
    /// Payments by paymentRequestId.
    payments: HashMap<String, Payment>,
    refusals: Vec<String>,
}

#[derive(Debug, Clone)]
struct Payment {
    payment_id: String,
    amount: Value,
    status: &'static str,
    captured: bool,
}

struct Handler(Arc<Shared>);

impl Respond for Handler {
    fn respond(&self, req: &Request) -> ResponseTemplate {
        let s = &self.0;
        let cap = crate::wiremock::captured(req);
        let client_id = cap.header("client-id").unwrap_or_default().to_owned();
        let path = cap.path.split('?').next().unwrap_or_default().to_owned();
        let reply = s.answer(req, &cap, &path, &client_id);
        let (headers, body) = build_reply(&s.keys, &path, &client_id, &reply);
        let mut t = ResponseTemplate::new(reply.status);
        for (k, v) in &headers {
            t = t.insert_header(k.as_str(), v.as_str());
        }
        t.set_body_bytes(body.into_bytes())
    }
}

/// An unsigned gateway refusal, as Antom answers before any business logic.
fn refusal(code: &str, message: &str) -> Reply {
    let body =
        json!({"result": {"resultCode": code, "resultStatus": "F", "resultMessage": message}});
    Reply::raw(200, body.to_string(), Signing::Unsigned)
}

/// A signed answer with `result` and `fields`.
fn answer(status: &str, code: &str, message: &str, fields: Value) -> Reply {
    let mut body =
        json!({"result": {"resultCode": code, "resultStatus": status, "resultMessage": message}});
    if let (Some(target), Value::Object(fields)) = (body.as_object_mut(), fields) {
        target.extend(fields);
    }
    Reply::raw(200, body.to_string(), Signing::Signed)
}

impl Shared {
    fn refuse(&self, code: &str, reason: String) -> Reply {
        if self.options.log {
            eprintln!("antom-mock-gateway: {code}: {reason}");
        }
        if let Ok(mut st) = self.state.lock() {
            st.refusals.push(format!("{code}: {reason}"));
        }
        refusal(code, &reason)
    }

    fn answer(
        &self,
        req: &Request,
        cap: &crate::gateway::Captured,
        path: &str,
        client_id: &str,
    ) -> Reply {
        let rule = antom::SANDBOX_RULE;
        let Some(ep) = antom::endpoints::ALL.iter().copied().find(|e| {
            e.path == path
                || e.path
                    .replacen(rule.production_prefix, rule.sandbox_prefix, 1)
                    == path
        }) else {
            return self.refuse("NO_INTERFACE_DEF", format!("no Antom API at `{path}`"));
        };
        if req.method.as_str() != "POST" {
            return self.refuse(
                "METHOD_NOT_SUPPORTED",
                format!("{} {path}: Antom's APIs take POST", req.method),
            );
        }
        let expected = rule.path_for(ep, client_id);
        if expected != path {
            return self.refuse(
                "CLIENT_INVALID",
                format!("client id `{client_id}` calls `{expected}` for {}, not `{path}` (the sandbox rule: SANDBOX_ client ids use /ams/sandbox/api, production ones /ams/api)", ep.name),
            );
        }
        if let Err(reason) = check_request(&self.keys, cap) {
            return self.refuse("INVALID_SIGNATURE", reason);
        }
        let body: Value = match serde_json::from_slice(&cap.body) {
            Ok(v) => v,
            Err(e) => return self.refuse("PARAM_ILLEGAL", format!("the body is not JSON: {e}")),
        };
        let violations = self.schemas.validate(ep.request, &body);
        if !violations.is_empty() {
            let list: Vec<String> = violations.iter().map(|v| v.to_string()).collect();
            let reason = format!("{}: {}", ep.request, list.join("; "));
            if self.options.log {
                eprintln!("antom-mock-gateway: PARAM_ILLEGAL: {reason}");
            }
            if let Ok(mut st) = self.state.lock() {
                st.refusals.push(format!("PARAM_ILLEGAL: {reason}"));
            }
            return answer("F", "PARAM_ILLEGAL", &reason, json!({}));
        }
        let key = ep
            .idempotency_key
            .and_then(|k| body.get(k))
            .and_then(Value::as_str)
            .map(|v| (ep.name, v.to_owned()));
        let Ok(mut st) = self.state.lock() else {
            return refusal("UNKNOWN_EXCEPTION", "state unavailable");
        };
        if let Some(k) = &key {
            if let Some((first, reply)) = st.answered.get(k) {
                return if *first == body {
                    reply.clone()
                } else {
                    drop(st);
                    self.refuse_signed(
                        "REPEAT_REQ_INCONSISTENT",
                        format!("{} `{}` was first sent with other fields; resend them identically, or use a new request id", ep.idempotency_key.unwrap_or_default(), k.1),
                    )
                };
            }
        }
        let reply = self.business(&mut st, ep, &body, client_id);
        if let Some(k) = key {
            st.answered.insert(k, (body, reply.clone()));
        }
        reply
    }

    fn refuse_signed(&self, code: &str, reason: String) -> Reply {
        if self.options.log {
            eprintln!("antom-mock-gateway: {code}: {reason}");
        }
        if let Ok(mut st) = self.state.lock() {
            st.refusals.push(format!("{code}: {reason}"));
        }
        answer("F", code, &reason, json!({}))
    }

    fn id(&self, prefix: &str) -> String {
        format!(
            "{prefix}{:012}",
            self.next_id.fetch_add(1, Ordering::SeqCst)
        )
    }

    /// The business answer of a valid, first request.
    fn business(&self, st: &mut State, ep: &EndpointDef, body: &Value, client_id: &str) -> Reply {
        let text = |k: &str| {
            body.get(k)
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned()
        };
        let find = |st: &State| -> Option<String> {
            let by_request = text("paymentRequestId");
            if st.payments.contains_key(&by_request) {
                return Some(by_request);
            }
            let by_id = text("paymentId");
            st.payments
                .iter()
                .find(|(_, p)| p.payment_id == by_id)
                .map(|(k, _)| k.clone())
        };
        match ep.name {
            "pay" | "createPaymentSession" => {
                let request_id = text("paymentRequestId");
                let payment = Payment {
                    payment_id: self.id("2026"),
                    amount: body.get("paymentAmount").cloned().unwrap_or(Value::Null),
                    status: "SUCCESS",
                    captured: false,
                };
                let fields = if ep.name == "pay" {
                    json!({"paymentRequestId": request_id, "paymentId": payment.payment_id, "paymentAmount": payment.amount})
                } else {
                    json!({"paymentSessionData": format!("mock-session-{}", payment.payment_id), "paymentSessionId": self.id("session-"), "paymentSessionExpiryTime": "2099-01-01T00:00:00+08:00"})
                };
                self.notify(&request_id, &payment, client_id);
                st.payments.insert(request_id, payment);
                answer("S", "SUCCESS", "success", fields)
            }
            "inquiryPayment" => {
                match find(st).and_then(|k| st.payments.get(&k).map(|p| (k, p.clone()))) {
                    Some((request_id, p)) => answer(
                        "S",
                        "SUCCESS",
                        "success",
                        json!({"paymentRequestId": request_id, "paymentId": p.payment_id, "paymentStatus": p.status, "paymentAmount": p.amount}),
                    ),
                    None => answer("F", "ORDER_NOT_EXIST", "order does not exist", json!({})),
                }
            }
            "capture" | "refund" | "cancel" => {
                let Some(k) = find(st) else {
                    return answer("F", "ORDER_NOT_EXIST", "order does not exist", json!({}));
                };
                let Some(p) = st.payments.get_mut(&k) else {
                    return answer("F", "ORDER_NOT_EXIST", "order does not exist", json!({}));
                };
                let mut fields = json!({"paymentId": p.payment_id});
                match ep.name {
                    "capture" => {
                        p.captured = true;
                        fields["captureRequestId"] = text("captureRequestId").into();
                        fields["captureId"] = self.id("capture-").into();
                        fields["captureAmount"] =
                            body.get("captureAmount").cloned().unwrap_or(Value::Null);
                    }
                    "refund" => {
                        fields["refundRequestId"] = text("refundRequestId").into();
                        fields["refundId"] = self.id("refund-").into();
                        fields["refundAmount"] =
                            body.get("refundAmount").cloned().unwrap_or(Value::Null);
                    }
                    _ => {
                        p.status = "CANCELLED";
                        fields["cancelTime"] = "2026-01-01T08:00:00+08:00".into();
                    }
                }
                answer("S", "SUCCESS", "success", fields)
            }
            _ => {
                // Any other API: a valid sample of its response, echoing the
                // request's identifiers.
                let mut fields = self.schemas.sample(ep.response);
                if let Value::Object(o) = &mut fields {
                    o.remove("result");
                }
                for field in ep.echoes {
                    if let Some(v) = body.get(*field) {
                        fields[*field] = v.clone();
                    }
                }
                answer("S", "SUCCESS", "success", fields)
            }
        }
    }

    /// Delivers `notifyPayment` for a successful payment to the webhook, in
    /// the background.
    fn notify(&self, request_id: &str, payment: &Payment, client_id: &str) {
        let (Some(url), Ok(handle)) = (
            self.options.notify_url.clone(),
            tokio::runtime::Handle::try_current(),
        ) else {
            return;
        };
        let body = json!({
            "notifyType": "PAYMENT_RESULT",
            "result": {"resultCode": "SUCCESS", "resultStatus": "S", "resultMessage": "success."},
            "paymentRequestId": request_id,
            "paymentId": payment.payment_id,
            "paymentAmount": payment.amount,
            "paymentCreateTime": "2026-01-01T08:00:00+08:00",
            "paymentTime": "2026-01-01T08:00:01+08:00",
        })
        .to_string();
        let Ok(parsed) = reqwest::Url::parse(&url) else {
            return;
        };
        let time = antom_runtime::timestamp::format_iso8601(std::time::SystemTime::now());
        let content = crate::crypto::content_to_sign(
            "POST",
            parsed.path(),
            client_id,
            &time,
            body.as_bytes(),
        );
        let Ok(b64) = crate::crypto::sign_base64(&self.keys.antom_private, &content) else {
            return;
        };
        let signature =
            crate::crypto::signature_header(&crate::crypto::encode_signature(&b64, false), false);
        let (client_id, log) = (client_id.to_owned(), self.options.log);
        handle.spawn(async move {
            let sent = reqwest::Client::new()
                .post(parsed)
                .header("content-type", "application/json")
                .header("client-id", client_id)
                .header("request-time", time)
                .header("signature", signature)
                .body(body)
                .send()
                .await;
            if log {
                match sent {
                    Ok(r) => eprintln!(
                        "antom-mock-gateway: notifyPayment delivered: HTTP {}",
                        r.status()
                    ),
                    Err(e) => eprintln!("antom-mock-gateway: notifyPayment not delivered: {e}"),
                }
            }
        });
    }
}
