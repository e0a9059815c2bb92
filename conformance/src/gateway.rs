//! The mock Antom gateway: a loopback wiremock server serving a script of
//! responses, signing them with the Antom test key and verifying every request
//! it captures with the merchant public key.
//!
//! The retry cases need one thing wiremock cannot do, dropping the
//! connection after reading a request: the [`fault`](crate::fault) layer in
//! front of the server does it for the steps that ask.

use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

use ::wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

use crate::crypto::{
    content_to_sign, encode_signature, sign_base64, signature_header, PrivateKey, TestKeys,
};
use crate::fault::{ConnectionFault, FaultLayer};

/// How a scripted response is signed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Signing {
    /// Correctly signed with the Antom key.
    Signed,
    /// Signed, percent-encoded with lower-case hex (`%2f`).
    SignedLowerHex,
    /// Signed, header written with spaces after commas.
    SignedSpaced,
    /// Signed, signature value not percent-encoded (raw base64 with `+`, `/`, `=`).
    SignedRawBase64,
    /// No `signature` nor `response-time` header.
    Unsigned,
    /// Signed with the merchant key instead of Antom's.
    WrongKey,
    /// Signed, then one byte of the body changed.
    TamperedBody,
    /// Signature header present, `response-time` missing.
    SignatureOnly,
    /// `response-time` present, signature header missing.
    TimeOnly,
    /// `signature` header with an empty `signature=` value and an empty
    /// `response-time`: an unsigned response written by a gateway that always
    /// sends the headers.
    EmptySignature,
    /// Signed, the percent-encoded value without its `=` padding
    /// (non-canonical base64).
    Unpadded,
    /// Signed, with a stray `!` in the middle of the encoded value
    /// (non-canonical base64 that a lenient decoder skips).
    StrayCharacter,
    /// Signed, with the parameter spelled `Signature=` (parameter names are
    /// exact).
    CapitalisedParameter,
    /// Signed over the compact body, delivered pretty-printed: the same JSON,
    /// other bytes.
    Reformatted,
    /// Signed over the compact body, delivered with its top-level keys in
    /// reverse order: the same JSON, other bytes.
    KeysReordered,
}

/// One scripted reply.
#[derive(Debug, Clone, PartialEq)]
pub struct Reply {
    /// HTTP status.
    pub status: u16,
    /// Body bytes.
    pub body: String,
    /// Signing mode.
    pub signing: Signing,
    /// The `response-time` claimed (default: [`response_time`]).
    pub response_time: Option<String>,
    /// The `client-id` header (default: the request's client id; the
    /// signature always covers the request's).
    pub client_id_header: Option<String>,
}

impl Reply {
    /// A signed 200 reply with a `result` object (and `extra` fields merged in).
    pub fn result(status: &str, code: &str, extra: serde_json::Value) -> Reply {
        let mut obj = serde_json::json!({
            "result": {"resultCode": code, "resultStatus": status, "resultMessage": code.to_lowercase()}
        });
        if let (Some(target), serde_json::Value::Object(extra)) = (obj.as_object_mut(), extra) {
            for (k, v) in extra {
                target.insert(k, v);
            }
        }
        Reply::raw(200, obj.to_string(), Signing::Signed)
    }

    /// A reply with exactly this status, body and signing mode.
    pub fn raw(status: u16, body: impl Into<String>, signing: Signing) -> Reply {
        Reply {
            status,
            body: body.into(),
            signing,
            response_time: None,
            client_id_header: None,
        }
    }

    /// The same reply, claiming another `response-time` (signed as claimed).
    pub fn at(mut self, response_time: impl Into<String>) -> Reply {
        self.response_time = Some(response_time.into());
        self
    }

    /// The same reply with another `client-id` header.
    pub fn client_id_header(mut self, client_id: impl Into<String>) -> Reply {
        self.client_id_header = Some(client_id.into());
        self
    }

    /// The same reply with another signing mode.
    pub fn signing(mut self, signing: Signing) -> Reply {
        self.signing = signing;
        self
    }
}

/// One step of a gateway script.
#[derive(Debug, Clone, PartialEq)]
pub enum Step {
    /// Answer at once.
    Respond(Reply),
    /// Answer after a delay (longer than the client's timeout: a timeout).
    Delay(Duration, Reply),
    /// Read the request, then close the connection without answering.
    Drop,
    /// Send the reply's status, headers and half its body, then close the
    /// connection: an answer lost mid-way.
    Cut(Reply),
}

/// The time a reply sent now claims unless the reply names another: ISO
/// 8601 to the second, as Antom sends it. Taken per reply, so a client that
/// checks the age of a response accepts every reply however long a run takes.
pub fn response_time() -> String {
    antom_runtime::timestamp::format_iso8601(std::time::SystemTime::now())
}

/// Builds the headers and body of a reply to a request on `path` by
/// `client_id`.
pub fn build_reply(
    keys: &TestKeys,
    path: &str,
    client_id: &str,
    reply: &Reply,
) -> (BTreeMap<String, String>, String) {
    let mut headers = BTreeMap::new();
    headers.insert(
        "content-type".to_owned(),
        "application/json; charset=UTF-8".to_owned(),
    );
    headers.insert(
        "client-id".to_owned(),
        reply
            .client_id_header
            .as_deref()
            .unwrap_or(client_id)
            .to_owned(),
    );
    let now = response_time();
    let time = reply.response_time.as_deref().unwrap_or(&now);
    let mut body = reply.body.clone();
    let wrong_key = reply.signing == Signing::WrongKey;
    let key = if wrong_key {
        &keys.merchant_private
    } else {
        &keys.antom_private
    };
    let content = content_to_sign("POST", path, client_id, time, body.as_bytes());
    let b64 = cached_sign(key, wrong_key, content);
    let value = match reply.signing {
        Signing::SignedLowerHex => signature_header(&encode_signature(&b64, true), false),
        Signing::SignedSpaced => signature_header(&encode_signature(&b64, false), true),
        Signing::SignedRawBase64 => signature_header(&b64, false),
        Signing::EmptySignature => signature_header("", false),
        Signing::Unpadded => {
            signature_header(encode_signature(&b64, false).trim_end_matches("%3D"), false)
        }
        Signing::StrayCharacter => {
            signature_header(&with_stray_character(&encode_signature(&b64, false)), false)
        }
        Signing::CapitalisedParameter => signature_header(&encode_signature(&b64, false), false)
            .replace("signature=", "Signature="),
        _ => signature_header(&encode_signature(&b64, false), false),
    };
    match reply.signing {
        Signing::Unsigned => {}
        Signing::SignatureOnly => {
            headers.insert("signature".into(), value);
        }
        Signing::TimeOnly => {
            headers.insert("response-time".into(), time.into());
        }
        Signing::EmptySignature => {
            headers.insert("signature".into(), value);
            headers.insert("response-time".into(), String::new());
        }
        _ => {
            headers.insert("signature".into(), value);
            headers.insert("response-time".into(), time.into());
        }
    }
    match reply.signing {
        Signing::TamperedBody => body = tamper(&body),
        Signing::Reformatted => body = reformatted(&body),
        Signing::KeysReordered => body = keys_reordered(&body),
        _ => {}
    }
    (headers, body)
}

/// `body` pretty-printed (unchanged when it is not JSON).
pub fn reformatted(body: &str) -> String {
    serde_json::from_str::<serde_json::Value>(body)
        .ok()
        .and_then(|v| serde_json::to_string_pretty(&v).ok())
        .unwrap_or_else(|| body.to_owned())
}

/// `body` with its top-level keys in reverse order, compact (unchanged when
/// it is not a JSON object).
pub fn keys_reordered(body: &str) -> String {
    let Ok(serde_json::Value::Object(map)) = serde_json::from_str(body) else {
        return body.to_owned();
    };
    let fields: Vec<String> = map
        .iter()
        .rev()
        .map(|(k, v)| format!("{}:{v}", serde_json::Value::from(k.as_str())))
        .collect();
    format!("{{{}}}", fields.join(","))
}

/// `encoded` with a `!` inserted at the token boundary nearest its middle
/// (never inside a `%XX` escape).
fn with_stray_character(encoded: &str) -> String {
    let bytes = encoded.as_bytes();
    let mut boundaries = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        boundaries.push(i);
        i += if bytes[i] == b'%' { 3 } else { 1 };
    }
    let mid = encoded.len() / 2;
    let at = boundaries
        .into_iter()
        .min_by_key(|b| b.abs_diff(mid))
        .unwrap_or(0)
        .min(encoded.len());
    format!("{}!{}", &encoded[..at], &encoded[at..])
}

type SignCache = Mutex<HashMap<(bool, Vec<u8>), String>>;

/// Signs `content`, memoising: many cases sign identical replies, and RSA is
/// slow in debug builds. Signing with a valid in-memory key cannot fail; an
/// empty value (rejected by any verifier) is the safe fallback.
fn cached_sign(key: &PrivateKey, wrong_key: bool, content: Vec<u8>) -> String {
    static CACHE: OnceLock<SignCache> = OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    let k = (wrong_key, content);
    if let Some(v) = cache.lock().ok().and_then(|c| c.get(&k).cloned()) {
        return v;
    }
    let v = sign_base64(key, &k.1).unwrap_or_default();
    if let Ok(mut c) = cache.lock() {
        c.insert(k, v.clone());
    }
    v
}

/// Changes one character of a JSON body while keeping it valid JSON.
pub fn tamper(body: &str) -> String {
    if let Some(i) = body.find("\"S\"") {
        let mut s = body.to_owned();
        s.replace_range(i..i + 3, "\"F\"");
        return s;
    }
    if let Some(i) = body.rfind(|c: char| c.is_ascii_digit()) {
        let mut s = body.to_owned();
        let d = body.as_bytes()[i];
        let nd = if d == b'9' { '0' } else { (d + 1) as char };
        s.replace_range(i..i + 1, &nd.to_string());
        return s;
    }
    format!("{body} ")
}

/// A request the gateway received.
#[derive(Debug, Clone)]
pub struct Captured {
    /// HTTP method.
    pub method: String,
    /// Request target (path and query).
    pub path: String,
    /// Headers in arrival order (names as sent).
    pub headers: Vec<(String, String)>,
    /// Body bytes.
    pub body: Vec<u8>,
    /// When the request was complete.
    pub at: Instant,
    /// Result of verifying the request signature with the merchant key.
    pub signature_check: Result<(), String>,
}

impl Captured {
    /// A request wiremock received, as the kit's checks see it.
    pub fn from_wiremock(req: &Request) -> Captured {
        Captured {
            method: req.method.to_string(),
            path: match req.url.query() {
                Some(q) => format!("{}?{q}", req.url.path()),
                None => req.url.path().to_owned(),
            },
            headers: req
                .headers
                .iter()
                .map(|(k, v)| {
                    (
                        k.to_string(),
                        String::from_utf8_lossy(v.as_bytes()).into_owned(),
                    )
                })
                .collect(),
            body: req.body.clone(),
            at: Instant::now(),
            signature_check: Ok(()),
        }
    }

    /// The first header named `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// All headers named `name` (case-insensitive).
    pub fn headers_named(&self, name: &str) -> Vec<&str> {
        self.headers
            .iter()
            .filter(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
            .collect()
    }
}

struct Shared {
    script: Vec<Step>,
    next: AtomicUsize,
    captured: Mutex<Vec<Captured>>,
    keys: TestKeys,
}

/// A running mock gateway; stops when dropped.
pub struct MockGateway {
    /// In front of `server`: drops the connections the script asks to.
    layer: FaultLayer,
    /// Kept alive for the layer.
    _server: MockServer,
    shared: Arc<Shared>,
}

/// Errors of the mock gateway.
#[derive(Debug, thiserror::Error)]
pub enum GatewayError {
    /// Binding the loopback listener failed.
    #[error("cannot bind mock gateway on 127.0.0.1: {0}")]
    Bind(std::io::Error),
}

impl MockGateway {
    /// Starts a gateway on a free loopback port serving `script` (the last
    /// step repeats once the script is exhausted).
    pub async fn start(keys: TestKeys, script: Vec<Step>) -> Result<MockGateway, GatewayError> {
        let shared = Arc::new(Shared {
            script,
            next: AtomicUsize::new(0),
            captured: Mutex::new(Vec::new()),
            keys,
        });
        let listener = std::net::TcpListener::bind("127.0.0.1:0").map_err(GatewayError::Bind)?;
        let server = MockServer::builder().listener(listener).start().await;
        Mock::given(::wiremock::matchers::any())
            .respond_with(Script(shared.clone()))
            .mount(&server)
            .await;
        let layer = FaultLayer::start(&server, 0)
            .await
            .map_err(GatewayError::Bind)?;
        Ok(MockGateway {
            layer,
            _server: server,
            shared,
        })
    }

    /// `http://127.0.0.1:<port>`.
    pub fn base_url(&self) -> String {
        self.layer.uri()
    }

    /// The requests received so far.
    pub fn captured(&self) -> Vec<Captured> {
        self.shared
            .captured
            .lock()
            .map(|c| c.clone())
            .unwrap_or_default()
    }
}

/// Serves the script: records each request, then answers its step.
struct Script(Arc<Shared>);

impl Respond for Script {
    fn respond(&self, req: &Request) -> ResponseTemplate {
        let shared = &self.0;
        let mut cap = Captured::from_wiremock(req);
        cap.signature_check = check_request(&shared.keys, &cap);
        let client_id = cap.header("client-id").unwrap_or_default().to_owned();
        let path = cap.path.clone();
        if let Ok(mut c) = shared.captured.lock() {
            c.push(cap);
        }
        let i = shared.next.fetch_add(1, Ordering::SeqCst);
        let step = shared
            .script
            .get(i)
            .or_else(|| shared.script.last())
            .cloned()
            .unwrap_or(Step::Drop);
        let (reply, delay, fault) = match step {
            Step::Drop => {
                return crate::fault::mark(ResponseTemplate::new(500), ConnectionFault::Drop)
            }
            Step::Respond(r) => (r, Duration::ZERO, None),
            Step::Delay(d, r) => (r, d, None),
            Step::Cut(r) => (r, Duration::ZERO, Some(ConnectionFault::CutBody)),
        };
        let template = reply_template(&shared.keys, &path, &client_id, &reply).set_delay(delay);
        match fault {
            Some(fault) => crate::fault::mark(template, fault),
            None => template,
        }
    }
}

/// [`build_reply`] as a wiremock answer.
pub fn reply_template(
    keys: &TestKeys,
    path: &str,
    client_id: &str,
    reply: &Reply,
) -> ResponseTemplate {
    let (headers, body) = build_reply(keys, path, client_id, reply);
    let mut template = ResponseTemplate::new(reply.status);
    for (name, value) in &headers {
        template = template.insert_header(name.as_str(), value.as_str());
    }
    template.set_body_bytes(body.into_bytes())
}

/// Verifies a captured request's signature with the merchant public key.
pub fn check_request(keys: &TestKeys, cap: &Captured) -> Result<(), String> {
    let sig = cap
        .header("signature")
        .ok_or_else(|| "no Signature header".to_owned())?;
    let client_id = cap
        .header("client-id")
        .ok_or_else(|| "no Client-Id header".to_owned())?;
    let time = cap
        .header("request-time")
        .ok_or_else(|| "no Request-Time header".to_owned())?;
    let raw = crate::crypto::gateway_signature_bytes(sig).map_err(|e| e.to_string())?;
    let content = content_to_sign(&cap.method, &cap.path, client_id, time, &cap.body);
    crate::crypto::verify_bytes(&keys.merchant_public, &content, &raw).map_err(|e| {
        format!(
            "{e} (content to sign: {:?})",
            String::from_utf8_lossy(&content)
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crypto::{encode_signature, verify_header};
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    use tokio::net::TcpStream;

    async fn raw_exchange(base: &str, request: &[u8]) -> String {
        let addr = base.trim_start_matches("http://");
        let mut s = TcpStream::connect(addr).await.unwrap();
        s.write_all(request).await.unwrap();
        let mut out = Vec::new();
        let mut chunk = [0u8; 4096];
        loop {
            let n = s.read(&mut chunk).await.unwrap_or(0);
            if n == 0 {
                break;
            }
            out.extend_from_slice(&chunk[..n]);
            let text = String::from_utf8_lossy(&out);
            if let Some(p) = text.find("\r\n\r\n") {
                let len: usize = text[..p]
                    .lines()
                    .find_map(|l| l.strip_prefix("content-length: "))
                    .and_then(|v| v.parse().ok())
                    .unwrap_or(0);
                if out.len() >= p + 4 + len {
                    break;
                }
            }
        }
        String::from_utf8_lossy(&out).to_string()
    }

    fn signed_request(
        keys: &TestKeys,
        target: &str,
        path: &str,
        body: &str,
        chunked: bool,
    ) -> Vec<u8> {
        let content = content_to_sign("POST", path, "SANDBOX_X", "1700000000000", body.as_bytes());
        let sig = encode_signature(
            &sign_base64(&keys.merchant_private, &content).unwrap(),
            true,
        );
        let mut head = format!(
            "POST {target} HTTP/1.1\r\nhost: x\r\nclient-id: SANDBOX_X\r\nrequest-time: 1700000000000\r\nsignature: {}\r\n",
            signature_header(&sig, true)
        );
        if chunked {
            let (a, b) = body.split_at(body.len() / 2);
            head.push_str("transfer-encoding: chunked\r\n\r\n");
            head.push_str(&format!(
                "{:x}\r\n{a}\r\n{:x};ext=1\r\n{b}\r\n0\r\n\r\n",
                a.len(),
                b.len()
            ));
        } else {
            head.push_str(&format!("content-length: {}\r\n\r\n{body}", body.len()));
        }
        head.into_bytes()
    }

    #[tokio::test]
    async fn captures_verifies_and_answers_signed() {
        let keys = TestKeys::load().unwrap();
        let gw = MockGateway::start(
            keys.clone(),
            vec![Step::Respond(Reply::result(
                "S",
                "SUCCESS",
                serde_json::json!({}),
            ))],
        )
        .await
        .unwrap();
        let body = r#"{"paymentRequestId":"r-1","note":"é"}"#;
        // Absolute-form target, chunked body.
        let target = format!("{}/ams/sandbox/api/v1/payments/pay", gw.base_url());
        let reply = raw_exchange(
            &gw.base_url(),
            &signed_request(
                &keys,
                &target,
                "/ams/sandbox/api/v1/payments/pay",
                body,
                true,
            ),
        )
        .await;
        assert!(reply.starts_with("HTTP/1.1 200"), "{reply}");
        let caps = gw.captured();
        assert_eq!(caps.len(), 1);
        assert_eq!(caps[0].path, "/ams/sandbox/api/v1/payments/pay");
        assert_eq!(caps[0].body, body.as_bytes());
        assert_eq!(caps[0].signature_check, Ok(()));
        // The reply is signed with the Antom key over the called path.
        let (head, resp_body) = reply.split_once("\r\n\r\n").unwrap();
        let sig = head
            .lines()
            .find_map(|l| l.strip_prefix("signature: "))
            .unwrap();
        let time = head
            .lines()
            .find_map(|l| l.strip_prefix("response-time: "))
            .unwrap();
        let content = content_to_sign(
            "POST",
            "/ams/sandbox/api/v1/payments/pay",
            "SANDBOX_X",
            time,
            resp_body.as_bytes(),
        );
        verify_header(&keys.antom_public, &content, sig).unwrap();
    }

    #[tokio::test]
    async fn bad_signatures_are_recorded_and_scripts_advance() {
        let keys = TestKeys::load().unwrap();
        let gw = MockGateway::start(
            keys.clone(),
            vec![
                Step::Drop,
                Step::Respond(
                    Reply::result("F", "ACCESS_DENIED", serde_json::json!({}))
                        .signing(Signing::Unsigned),
                ),
            ],
        )
        .await
        .unwrap();
        let req = signed_request(&keys, "/a", "/b", "{}", false);
        let first = raw_exchange(&gw.base_url(), &req).await;
        assert!(first.is_empty(), "dropped connection answered: {first}");
        let second = raw_exchange(&gw.base_url(), &req).await;
        assert!(
            second.contains("ACCESS_DENIED") && !second.contains("signature:"),
            "{second}"
        );
        let caps = gw.captured();
        assert_eq!(caps.len(), 2);
        assert!(caps[0]
            .signature_check
            .as_ref()
            .unwrap_err()
            .contains("POST /a"));
    }

    #[test]
    fn tamper_keeps_json_valid_and_changes_it() {
        for body in [r#"{"result":{"resultStatus":"S"}}"#, r#"{"a":"12"}"#, "{}"] {
            let t = tamper(body);
            assert_ne!(t, body);
            assert!(serde_json::from_str::<serde_json::Value>(&t).is_ok(), "{t}");
        }
    }
}
