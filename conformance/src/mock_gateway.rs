//! A stateful local Antom an integrator points their client at: it checks
//! every request as Antom's gateway would (method, path and the sandbox
//! rule, signature, body against the spec's request model), keeps the state
//! of payments (createPaymentSession opens one that the simulated buyer
//! completes, fails or abandons through [`CONTROL_PREFIX`]; pay settles at
//! once, or as a magic amount says; inquiryPayment reads it; capture, refund,
//! inquiryRefund and cancel act on it), honours idempotency keys (the same
//! request again gets the same final answer, other fields under the same key
//! `REPEAT_REQ_INCONSISTENT`), and delivers signed notifyPayment and
//! notifyCapture to the request's `paymentNotifyUrl` or the configured URL,
//! again on Antom's resend schedule (scalable) until acknowledged.
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
use crate::fault::{ConnectionFault, FaultLayer};
use crate::gateway::{check_request, Reply, Signing};

/// How to run a [`MockAntom`].
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Loopback port to listen on (0: any free port).
    pub port: u16,
    /// Where `notifyPayment` goes when a payment succeeds.
    pub notify_url: Option<String>,
    /// Log each request's verdict and each notification delivery to stderr.
    pub log: bool,
    /// Multiplies Antom's resend schedule (0 s, 2 min, 10 min, ... 15 h):
    /// `0.001` delivers all 8 attempts within a minute of scaled time, `0.0`
    /// at once. Default 1.0.
    pub time_scale: Option<f64>,
    /// Scripted faults, served before the endpoint's real answers.
    pub faults: Vec<Fault>,
}

/// A scripted fault: the next `times` calls of `endpoint` (a spec endpoint
/// name, or `*` for every one) get `answer` instead of the real answer, as
/// a gateway in trouble would. Read from JSON with `--faults FILE`:
/// `[{"endpoint": "capture", "answer": "unknown", "times": 2}]`.
#[derive(Debug, Clone, PartialEq, serde::Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Fault {
    /// The endpoint, or `*`.
    pub endpoint: String,
    /// What to answer.
    pub answer: FaultAnswer,
    /// How many calls it affects (default 1).
    #[serde(default = "one")]
    pub times: u32,
    /// Delay before the answer (with `answer: "delay"` the real answer
    /// follows it), in milliseconds.
    #[serde(default)]
    pub delay_ms: u64,
}

fn one() -> u32 {
    1
}

/// What a [`Fault`] answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum FaultAnswer {
    /// A signed `U UNKNOWN_EXCEPTION`.
    Unknown,
    /// HTTP 500 with an HTML body.
    ServerError,
    /// A signed `U REQUEST_TRAFFIC_EXCEED_LIMIT`.
    RateLimit,
    /// The real answer, after `delayMs`.
    Delay,
    /// The request is read and acted on (a payment made, a capture taken),
    /// then the connection closes without an answer: the client must retry
    /// with the same request id and gets the same answer.
    DropConnection,
    /// Acted on, then the answer is cut after half its body.
    CutBody,
    /// Acted on, then half the body is sent and the rest never comes (the
    /// connection closes after [`fault::STALL`](crate::fault::STALL)): the
    /// client's own timeout must end the attempt.
    StallBody,
}

impl FaultAnswer {
    /// The connection fault it asks of the fault layer, if any.
    fn connection(self) -> Option<ConnectionFault> {
        match self {
            FaultAnswer::DropConnection => Some(ConnectionFault::Drop),
            FaultAnswer::CutBody => Some(ConnectionFault::CutBody),
            FaultAnswer::StallBody => Some(ConnectionFault::StallBody),
            FaultAnswer::Unknown
            | FaultAnswer::ServerError
            | FaultAnswer::RateLimit
            | FaultAnswer::Delay => None,
        }
    }
}

/// What a scripted fault does to one call.
#[derive(Debug, Default)]
struct FaultPlan {
    /// The answer instead of the real one.
    reply: Option<Reply>,
    /// Wait before answering.
    delay: std::time::Duration,
    /// What happens to the connection after the real answer.
    connection: Option<ConnectionFault>,
}

impl Fault {
    /// Parses a faults file (a JSON array of faults).
    pub fn parse_file(text: &str) -> Result<Vec<Fault>, String> {
        let faults: Vec<Fault> = serde_json::from_str(text).map_err(|e| format!("faults: {e}"))?;
        for f in &faults {
            if f.endpoint != "*" && antom::endpoints::by_name(&f.endpoint).is_none() {
                return Err(format!("faults: no endpoint `{}` in the spec", f.endpoint));
            }
        }
        Ok(faults)
    }
}

/// `paymentAmount.value` that makes `pay` fail with `USER_BALANCE_NOT_ENOUGH`.
pub const MAGIC_BALANCE_NOT_ENOUGH: &str = "40100";
/// `paymentAmount.value` that makes `pay` fail with `RISK_REJECT`.
pub const MAGIC_RISK_REJECT: &str = "40300";
/// `paymentAmount.value` that makes `pay` answer `PAYMENT_IN_PROCESS` (U):
/// the first `inquiryPayment` still sees `PROCESSING`, then the payment
/// succeeds (and notifyPayment is sent).
pub const MAGIC_IN_PROCESS: &str = "20200";
/// The sandbox client id [`MockAntom::client_config`] uses (any client id
/// works; notifications carry the request's).
pub const CLIENT_ID: &str = crate::case::SANDBOX_CLIENT_ID;
/// Payments held at most; more are refused with `PROCESS_FAIL`.
pub const MAX_PAYMENTS: usize = 10_000;
/// The buyer's side: `POST {CONTROL_PREFIX}<paymentRequestId>/complete`
/// (`/fail`, `/abandon`) ends a payment session as the buyer would, unsigned.
pub const CONTROL_PREFIX: &str = "/mock/payments/";

/// A running mock Antom; it stops when dropped.
pub struct MockAntom {
    /// In front of `server`: enacts the connection faults.
    layer: FaultLayer,
    /// Kept alive for the layer; it listens on a private port.
    _server: MockServer,
    state: Arc<Shared>,
}

impl MockAntom {
    /// Starts it on loopback.
    pub async fn start(options: Options) -> std::io::Result<MockAntom> {
        // The fault layer takes the port asked for; wiremock a private one
        // behind it.
        let listener = TcpListener::bind(("127.0.0.1", 0))?;
        let server = MockServer::builder().listener(listener).start().await;
        let layer = FaultLayer::start(&server, options.port).await?;
        let state = Arc::new(Shared {
            keys: TestKeys::load().map_err(|e| std::io::Error::other(e.to_string()))?,
            schemas: &antom::schema::SCHEMAS,
            state: Mutex::new(State {
                faults: options
                    .faults
                    .iter()
                    .map(|f| (f.clone(), f.times))
                    .collect(),
                ..State::default()
            }),
            next_id: AtomicU64::new(1),
            options,
        });
        Mock::given(::wiremock::matchers::any())
            .respond_with(Handler(state.clone()))
            .mount(&server)
            .await;
        Ok(MockAntom {
            layer,
            _server: server,
            state,
        })
    }

    /// Its base URL, e.g. `http://127.0.0.1:40123`.
    pub fn url(&self) -> String {
        self.layer.uri()
    }

    /// A client configuration for this gateway: the sandbox client id
    /// [`CLIENT_ID`], the merchant test key, Antom's test public key and the
    /// gateway's URL. Add a retry policy or timeouts, then build.
    pub fn client_config(&self) -> antom_runtime::ClientConfigBuilder {
        antom::Client::config_builder()
            .client_id(CLIENT_ID)
            .merchant_private_key(self.state.keys.merchant_private.clone())
            .antom_public_key(self.state.keys.antom_public.clone())
            .gateway_url(self.url())
    }

    /// The public key that verifies this gateway's responses and
    /// notifications (configure it in the webhook).
    pub fn antom_public_key(&self) -> antom_runtime::PublicKey {
        self.state.keys.antom_public.clone()
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
    /// Refunds by refundRequestId: (refundId, paymentRequestId).
    refunds: HashMap<String, (String, String)>,
    /// Scripted faults with the calls they still affect.
    faults: Vec<(Fault, u32)>,
    refusals: Vec<String>,
}

#[derive(Debug, Clone)]
struct Payment {
    payment_id: String,
    amount: Value,
    /// `PROCESSING` until final (`SUCCESS`, `FAIL`, `CANCELLED`).
    status: &'static str,
    /// Where notifyPayment goes (the request's `paymentNotifyUrl`, else the
    /// gateway's `notify_url`).
    notify_url: Option<String>,
    client_id: String,
}

struct Handler(Arc<Shared>);

impl Respond for Handler {
    fn respond(&self, req: &Request) -> ResponseTemplate {
        let s = &self.0;
        let cap = crate::gateway::Captured::from_wiremock(req);
        let client_id = cap.header("client-id").unwrap_or_default().to_owned();
        let path = cap.path.split('?').next().unwrap_or_default().to_owned();
        let plan = s.fault_for(&path);
        let reply = match plan.reply {
            Some(reply) => reply,
            None => s.answer(req, &cap, &path, &client_id),
        };
        let template = crate::wiremock::template(&s.keys, &cap, &reply).set_delay(plan.delay);
        match plan.connection {
            Some(fault) => crate::fault::mark(template, fault),
            None => template,
        }
    }
}

/// An unsigned gateway refusal, as Antom answers before any business logic.
fn refusal(code: &str, message: &str) -> Reply {
    answer("F", code, message, json!({})).signing(Signing::Unsigned)
}

/// The spec endpoint served at `path`.
fn endpoint_at(path: &str) -> Option<&'static EndpointDef> {
    antom::SANDBOX_RULE.endpoint_at(antom::endpoints::ALL, path)
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
    /// What the scripted fault left for this call of `path` does to it.
    fn fault_for(&self, path: &str) -> FaultPlan {
        let name = endpoint_at(path).map(|e| e.name);
        let Ok(mut st) = self.state.lock() else {
            return FaultPlan::default();
        };
        let Some((fault, left)) = st.faults.iter_mut().find(|(f, left)| {
            *left > 0 && (f.endpoint == "*" || Some(f.endpoint.as_str()) == name)
        }) else {
            return FaultPlan::default();
        };
        *left -= 1;
        let delay = std::time::Duration::from_millis(fault.delay_ms);
        if self.options.log {
            eprintln!(
                "antom-mock-gateway: scripted fault {:?} on {path}",
                fault.answer
            );
        }
        let reply = match fault.answer {
            FaultAnswer::Unknown => Some(answer(
                "U",
                "UNKNOWN_EXCEPTION",
                "unknown exception",
                json!({}),
            )),
            FaultAnswer::RateLimit => Some(answer(
                "U",
                "REQUEST_TRAFFIC_EXCEED_LIMIT",
                "request traffic exceed limit",
                json!({}),
            )),
            FaultAnswer::ServerError => Some(Reply::raw(
                500,
                "<html>internal error</html>",
                Signing::Unsigned,
            )),
            FaultAnswer::Delay
            | FaultAnswer::DropConnection
            | FaultAnswer::CutBody
            | FaultAnswer::StallBody => None,
        };
        FaultPlan {
            reply,
            delay,
            connection: fault.answer.connection(),
        }
    }

    /// Logs and records a refusal.
    fn record(&self, code: &str, reason: &str) {
        if self.options.log {
            eprintln!("antom-mock-gateway: {code}: {reason}");
        }
        if let Ok(mut st) = self.state.lock() {
            st.refusals.push(format!("{code}: {reason}"));
        }
    }

    /// An unsigned gateway refusal (before any business logic), recorded.
    fn refuse(&self, code: &str, reason: String) -> Reply {
        self.record(code, &reason);
        refusal(code, &reason)
    }

    fn answer(
        &self,
        req: &Request,
        cap: &crate::gateway::Captured,
        path: &str,
        client_id: &str,
    ) -> Reply {
        if let Some(rest) = path.strip_prefix(CONTROL_PREFIX) {
            return self.control(rest);
        }
        let rule = antom::SANDBOX_RULE;
        let Some(ep) = endpoint_at(path) else {
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
                format!(
                    "client id `{client_id}` calls `{expected}` for {}, not `{path}` (the sandbox rule: {}* client ids use {}, production ones {})",
                    ep.name, rule.client_id_prefix, rule.sandbox_prefix, rule.production_prefix
                ),
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
            return self.refuse_signed(
                "PARAM_ILLEGAL",
                format!("{}: {}", ep.request, list.join("; ")),
            );
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
        // An unknown answer is not final: the same request again is judged
        // afresh, as Antom drives the first one to completion.
        if let (Some(k), false) = (key, reply.body.contains(r#""resultStatus":"U""#)) {
            st.answered.insert(k, (body, reply.clone()));
        }
        reply
    }

    /// A signed business refusal, recorded.
    fn refuse_signed(&self, code: &str, reason: String) -> Reply {
        self.record(code, &reason);
        answer("F", code, &reason, json!({}))
    }

    fn id(&self, prefix: &str) -> String {
        format!(
            "{prefix}{:012}",
            self.next_id.fetch_add(1, Ordering::SeqCst)
        )
    }

    /// The buyer's side of a payment session: `<paymentRequestId>/complete`
    /// (`fail`, `abandon`).
    fn control(&self, rest: &str) -> Reply {
        let (request_id, verb) = rest.rsplit_once('/').unwrap_or((rest, ""));
        let status = match verb {
            "complete" => "SUCCESS",
            "fail" => "FAIL",
            "abandon" => "CANCELLED",
            _ => {
                return Reply::raw(
                    404,
                    json!({"error": format!("use {CONTROL_PREFIX}<paymentRequestId>/complete, /fail or /abandon")}).to_string(),
                    Signing::Unsigned,
                )
            }
        };
        let Ok(mut st) = self.state.lock() else {
            return refusal("UNKNOWN_EXCEPTION", "state unavailable");
        };
        let Some(p) = st.payments.get_mut(request_id) else {
            return Reply::raw(
                404,
                json!({"error": format!("no payment `{request_id}`")}).to_string(),
                Signing::Unsigned,
            );
        };
        if p.status != "PROCESSING" {
            return Reply::raw(
                409,
                json!({"error": format!("payment `{request_id}` is already {}", p.status)})
                    .to_string(),
                Signing::Unsigned,
            );
        }
        p.status = status;
        let p = p.clone();
        drop(st);
        if status != "CANCELLED" {
            self.notify_payment(request_id, &p);
        }
        Reply::raw(
            200,
            json!({"paymentRequestId": request_id, "paymentStatus": status}).to_string(),
            Signing::Unsigned,
        )
    }

    /// The business answer of a valid request.
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
        let not_found = || answer("F", "ORDER_NOT_EXIST", "order does not exist", json!({}));
        match ep.name {
            "pay" | "createPaymentSession" => {
                let request_id = text("paymentRequestId");
                if let Some(p) = st.payments.get(&request_id) {
                    // A retry after an unknown answer: the payment as it is now.
                    return match p.status {
                        "SUCCESS" => answer(
                            "S",
                            "SUCCESS",
                            "success",
                            json!({"paymentRequestId": request_id, "paymentId": p.payment_id}),
                        ),
                        "PROCESSING" => answer(
                            "U",
                            "PAYMENT_IN_PROCESS",
                            "payment in process",
                            json!({"paymentRequestId": request_id, "paymentId": p.payment_id}),
                        ),
                        _ => answer(
                            "F",
                            "PROCESS_FAIL",
                            "the payment failed",
                            json!({"paymentRequestId": request_id}),
                        ),
                    };
                }
                if st.payments.len() >= MAX_PAYMENTS {
                    return answer(
                        "F",
                        "PROCESS_FAIL",
                        "the mock gateway holds its maximum of payments; restart it",
                        json!({}),
                    );
                }
                let amount = body.get("paymentAmount").cloned().unwrap_or(Value::Null);
                let value = amount
                    .get("value")
                    .and_then(Value::as_str)
                    .unwrap_or_default();
                let notify_url = body
                    .get("paymentNotifyUrl")
                    .and_then(Value::as_str)
                    .map(str::to_owned)
                    .or_else(|| self.options.notify_url.clone());
                let mut payment = Payment {
                    payment_id: self.id("2026"),
                    amount: amount.clone(),
                    status: "PROCESSING",
                    notify_url,
                    client_id: client_id.to_owned(),
                };
                let ids = json!({"paymentRequestId": request_id, "paymentId": payment.payment_id});
                let reply = if ep.name == "createPaymentSession" {
                    // The buyer completes the session in their SDK: see `control`.
                    answer(
                        "S",
                        "SUCCESS",
                        "success",
                        json!({
                            "paymentSessionData": format!("mock-session-{}", payment.payment_id),
                            "paymentSessionId": self.id("session-"),
                            "paymentSessionExpiryTime": "2099-01-01T00:00:00+08:00",
                        }),
                    )
                } else if value == MAGIC_BALANCE_NOT_ENOUGH {
                    payment.status = "FAIL";
                    answer(
                        "F",
                        "USER_BALANCE_NOT_ENOUGH",
                        "user balance not enough",
                        ids,
                    )
                } else if value == MAGIC_RISK_REJECT {
                    payment.status = "FAIL";
                    answer("F", "RISK_REJECT", "risk reject", ids)
                } else if value == MAGIC_IN_PROCESS {
                    answer("U", "PAYMENT_IN_PROCESS", "payment in process", ids)
                } else {
                    payment.status = "SUCCESS";
                    answer(
                        "S",
                        "SUCCESS",
                        "success",
                        json!({"paymentRequestId": request_id, "paymentId": payment.payment_id, "paymentAmount": amount}),
                    )
                };
                if matches!(payment.status, "SUCCESS" | "FAIL") {
                    self.notify_payment(&request_id, &payment);
                }
                st.payments.insert(request_id, payment);
                reply
            }
            "inquiryPayment" => {
                let Some(k) = find(st) else {
                    return not_found();
                };
                let Some(p) = st.payments.get_mut(&k) else {
                    return not_found();
                };
                // This inquiry sees the status as it was; a payment in process
                // succeeds once it has been inquired.
                let status = p.status;
                if status == "PROCESSING"
                    && p.amount.get("value").and_then(Value::as_str) == Some(MAGIC_IN_PROCESS)
                {
                    p.status = "SUCCESS";
                    self.notify_payment(&k, p);
                }
                answer(
                    "S",
                    "SUCCESS",
                    "success",
                    json!({
                        "paymentRequestId": k,
                        "paymentId": p.payment_id,
                        "paymentStatus": status,
                        "paymentAmount": p.amount,
                    }),
                )
            }
            "capture" | "refund" | "cancel" => {
                let Some(k) = find(st) else {
                    return not_found();
                };
                let Some(p) = st.payments.get_mut(&k) else {
                    return not_found();
                };
                if ep.name != "cancel" && p.status != "SUCCESS" {
                    return answer(
                        "F",
                        "ORDER_STATUS_INVALID",
                        &format!("the payment is {}", p.status),
                        json!({}),
                    );
                }
                let mut fields = json!({"paymentId": p.payment_id});
                match ep.name {
                    "capture" => {
                        let capture_id = self.id("capture-");
                        fields["captureRequestId"] = text("captureRequestId").into();
                        fields["captureId"] = capture_id.clone().into();
                        fields["captureAmount"] =
                            body.get("captureAmount").cloned().unwrap_or(Value::Null);
                        let p = p.clone();
                        self.notify_capture(
                            &k,
                            &p,
                            &text("captureRequestId"),
                            &capture_id,
                            fields["captureAmount"].clone(),
                        );
                    }
                    "refund" => {
                        let refund_id = self.id("refund-");
                        let refund_request_id = text("refundRequestId");
                        fields["refundRequestId"] = refund_request_id.clone().into();
                        fields["refundId"] = refund_id.clone().into();
                        fields["refundAmount"] =
                            body.get("refundAmount").cloned().unwrap_or(Value::Null);
                        st.refunds.insert(refund_request_id, (refund_id, k));
                    }
                    _ => {
                        p.status = "CANCELLED";
                        fields["cancelTime"] = "2026-01-01T08:00:00+08:00".into();
                    }
                }
                answer("S", "SUCCESS", "success", fields)
            }
            "inquiryRefund" => {
                let by_request = text("refundRequestId");
                let by_id = text("refundId");
                let found = st
                    .refunds
                    .iter()
                    .find(|(rq, (id, _))| **rq == by_request || *id == by_id)
                    .map(|(rq, (id, _))| (rq.clone(), id.clone()));
                match found {
                    Some((rq, id)) => answer(
                        "S",
                        "SUCCESS",
                        "success",
                        json!({"refundRequestId": rq, "refundId": id, "refundStatus": "SUCCESS"}),
                    ),
                    None => answer("S", "SUCCESS", "success", json!({})),
                }
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

    /// notifyPayment for a payment that reached a final status.
    fn notify_payment(&self, request_id: &str, p: &Payment) {
        let mut body = self.schemas.sample(
            antom::notifications::NotificationKind::by_name("notifyPayment")
                .map_or("", |k| k.payload_model()),
        );
        let (status, code) = match p.status {
            "SUCCESS" => ("S", "SUCCESS"),
            _ => ("F", "PROCESS_FAIL"),
        };
        body["notifyType"] = "PAYMENT_RESULT".into();
        body["result"] = json!({"resultCode": code, "resultStatus": status, "resultMessage": code.to_lowercase()});
        body["paymentRequestId"] = request_id.into();
        body["paymentId"] = p.payment_id.clone().into();
        body["paymentAmount"] = p.amount.clone();
        self.deliver("notifyPayment", p.notify_url.clone(), &p.client_id, body);
    }

    /// notifyCapture for a capture.
    fn notify_capture(
        &self,
        request_id: &str,
        p: &Payment,
        capture_request_id: &str,
        capture_id: &str,
        amount: Value,
    ) {
        let mut body = self.schemas.sample(
            antom::notifications::NotificationKind::by_name("notifyCapture")
                .map_or("", |k| k.payload_model()),
        );
        body["notifyType"] = "CAPTURE_RESULT".into();
        body["result"] =
            json!({"resultCode": "SUCCESS", "resultStatus": "S", "resultMessage": "success."});
        body["paymentRequestId"] = request_id.into();
        body["paymentId"] = p.payment_id.clone().into();
        body["captureRequestId"] = capture_request_id.into();
        body["captureId"] = capture_id.into();
        body["captureAmount"] = amount;
        self.deliver(
            "notifyCapture",
            self.options.notify_url.clone().or(p.notify_url.clone()),
            &p.client_id,
            body,
        );
    }

    /// Signs `body` like Antom and delivers it to `url` on Antom's resend
    /// schedule (scaled) until it is acknowledged, in the background.
    fn deliver(&self, what: &'static str, url: Option<String>, client_id: &str, body: Value) {
        let (Some(url), Ok(handle)) = (url, tokio::runtime::Handle::try_current()) else {
            return;
        };
        let Ok(parsed) = reqwest::Url::parse(&url) else {
            if self.options.log {
                eprintln!("antom-mock-gateway: {what} not delivered: `{url}` is not a URL");
            }
            return;
        };
        let body = body.to_string();
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
        let scale = self.options.time_scale.unwrap_or(1.0).max(0.0);
        handle.spawn(async move {
            let http = reqwest::Client::new();
            for (n, secs) in antom::notifications::RESEND_SCHEDULE_SECS
                .iter()
                .enumerate()
            {
                tokio::time::sleep(std::time::Duration::from_secs_f64(*secs as f64 * scale)).await;
                let sent = http
                    .post(parsed.clone())
                    .header("content-type", "application/json")
                    .header("client-id", &client_id)
                    .header("request-time", &time)
                    .header("signature", &signature)
                    .body(body.clone())
                    .send()
                    .await;
                let acknowledged = match sent {
                    Ok(r) => {
                        let status = r.status().as_u16();
                        let text = r.text().await.unwrap_or_default();
                        let ok = crate::protocol::is_acknowledgement(status, &text);
                        if log {
                            eprintln!(
                                "antom-mock-gateway: {what} delivery {}: HTTP {status}{}",
                                n + 1,
                                if ok {
                                    ", acknowledged"
                                } else {
                                    ", not acknowledged"
                                }
                            );
                        }
                        ok
                    }
                    Err(e) => {
                        if log {
                            eprintln!("antom-mock-gateway: {what} delivery {}: {e}", n + 1);
                        }
                        false
                    }
                };
                if acknowledged {
                    return;
                }
            }
        });
    }
}
