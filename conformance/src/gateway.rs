//! The mock Antom gateway: a small loopback HTTP/1.1 server serving a script
//! of responses, signing them with the Antom test key and verifying every
//! request it captures with the merchant public key.
//!
//! It is hand-rolled on tokio rather than built on a mocking library because
//! the retry cases need things such libraries cannot do: drop a connection
//! after reading a request, and hang past a client timeout.

use std::collections::{BTreeMap, HashMap};
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;

use crate::crypto::{
    content_to_sign, encode_signature, sign_base64, signature_header, verify_header, PrivateKey,
    TestKeys,
};

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
        Reply {
            status: 200,
            body: obj.to_string(),
            signing: Signing::Signed,
        }
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
}

/// The time a response of the mock gateway claims (ISO 8601, as Antom sends).
pub const RESPONSE_TIME: &str = "2026-01-01T08:00:00+08:00";

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
    headers.insert("client-id".to_owned(), client_id.to_owned());
    let mut body = reply.body.clone();
    let wrong_key = reply.signing == Signing::WrongKey;
    let key = if wrong_key {
        &keys.merchant_private
    } else {
        &keys.antom_private
    };
    let content = content_to_sign("POST", path, client_id, RESPONSE_TIME, body.as_bytes());
    let b64 = cached_sign(key, wrong_key, content);
    let value = match reply.signing {
        Signing::SignedLowerHex => signature_header(&encode_signature(&b64, true), false),
        Signing::SignedSpaced => signature_header(&encode_signature(&b64, false), true),
        Signing::SignedRawBase64 => signature_header(&b64, false),
        _ => signature_header(&encode_signature(&b64, false), false),
    };
    match reply.signing {
        Signing::Unsigned => {}
        Signing::SignatureOnly => {
            headers.insert("signature".into(), value);
        }
        Signing::TimeOnly => {
            headers.insert("response-time".into(), RESPONSE_TIME.into());
        }
        _ => {
            headers.insert("signature".into(), value);
            headers.insert("response-time".into(), RESPONSE_TIME.into());
        }
    }
    if reply.signing == Signing::TamperedBody {
        body = tamper(&body);
    }
    (headers, body)
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
    addr: SocketAddr,
    shared: Arc<Shared>,
    task: JoinHandle<()>,
}

impl Drop for MockGateway {
    fn drop(&mut self) {
        self.task.abort();
    }
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
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .map_err(GatewayError::Bind)?;
        let addr = listener.local_addr().map_err(GatewayError::Bind)?;
        let shared = Arc::new(Shared {
            script,
            next: AtomicUsize::new(0),
            captured: Mutex::new(Vec::new()),
            keys,
        });
        let s2 = shared.clone();
        let task = tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let s3 = s2.clone();
                tokio::spawn(async move {
                    let _ = serve(stream, s3).await;
                });
            }
        });
        Ok(MockGateway { addr, shared, task })
    }

    /// `http://127.0.0.1:<port>`.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
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

async fn serve(mut stream: TcpStream, shared: Arc<Shared>) -> std::io::Result<()> {
    let mut buf: Vec<u8> = Vec::new();
    loop {
        // Read the head.
        let head_end = loop {
            if let Some(p) = find(&buf, b"\r\n\r\n") {
                break p;
            }
            let mut chunk = [0u8; 4096];
            let n = stream.read(&mut chunk).await?;
            if n == 0 {
                return Ok(());
            }
            buf.extend_from_slice(&chunk[..n]);
        };
        let head = String::from_utf8_lossy(&buf[..head_end]).to_string();
        let mut lines = head.split("\r\n");
        let request_line = lines.next().unwrap_or_default();
        let mut parts = request_line.split(' ');
        let method = parts.next().unwrap_or_default().to_owned();
        let path = origin_form(parts.next().unwrap_or_default());
        let headers: Vec<(String, String)> = lines
            .filter_map(|l| l.split_once(':'))
            .map(|(k, v)| (k.trim().to_owned(), v.trim().to_owned()))
            .collect();
        let chunked = headers.iter().any(|(k, v)| {
            k.eq_ignore_ascii_case("transfer-encoding")
                && v.to_ascii_lowercase().contains("chunked")
        });
        buf.drain(..head_end + 4);
        let body = if chunked {
            match read_chunked(&mut stream, &mut buf).await? {
                Some(b) => b,
                None => return Ok(()),
            }
        } else {
            let len: usize = headers
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case("content-length"))
                .and_then(|(_, v)| v.parse().ok())
                .unwrap_or(0);
            if !fill(&mut stream, &mut buf, len).await? {
                return Ok(());
            }
            buf.drain(..len).collect()
        };

        let mut cap = Captured {
            method,
            path,
            headers,
            body,
            at: Instant::now(),
            signature_check: Ok(()),
        };
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
        let reply = match step {
            Step::Drop => return Ok(()),
            Step::Respond(r) => r,
            Step::Delay(d, r) => {
                tokio::time::sleep(d).await;
                r
            }
        };
        let keys = shared.keys.clone();
        let (status, (headers, body)) = (
            reply.status,
            tokio::task::spawn_blocking(move || build_reply(&keys, &path, &client_id, &reply))
                .await
                .map_err(std::io::Error::other)?,
        );
        let mut out = format!("HTTP/1.1 {} {}\r\n", status, reason(status));
        for (k, v) in &headers {
            out.push_str(&format!("{k}: {v}\r\n"));
        }
        out.push_str(&format!("content-length: {}\r\n\r\n", body.len()));
        let mut bytes = out.into_bytes();
        bytes.extend_from_slice(body.as_bytes());
        stream.write_all(&bytes).await?;
        stream.flush().await?;
    }
}

/// Reads until `buf` holds at least `len` bytes; `false` when the peer closed.
async fn fill(stream: &mut TcpStream, buf: &mut Vec<u8>, len: usize) -> std::io::Result<bool> {
    while buf.len() < len {
        let mut chunk = [0u8; 8192];
        let n = stream.read(&mut chunk).await?;
        if n == 0 {
            return Ok(false);
        }
        buf.extend_from_slice(&chunk[..n]);
    }
    Ok(true)
}

/// Decodes a `Transfer-Encoding: chunked` body from the front of `buf`
/// (trailers are skipped); `None` when the peer closed early.
async fn read_chunked(
    stream: &mut TcpStream,
    buf: &mut Vec<u8>,
) -> std::io::Result<Option<Vec<u8>>> {
    let bad = |m: &str| std::io::Error::new(std::io::ErrorKind::InvalidData, m.to_owned());
    let mut body = Vec::new();
    loop {
        let line_end = loop {
            if let Some(p) = find(buf, b"\r\n") {
                break p;
            }
            let have = buf.len();
            if !fill(stream, buf, have + 1).await? {
                return Ok(None);
            }
        };
        let line = String::from_utf8_lossy(&buf[..line_end]).to_string();
        let size_text = line.split(';').next().unwrap_or_default().trim();
        let size = usize::from_str_radix(size_text, 16).map_err(|_| bad("bad chunk size"))?;
        buf.drain(..line_end + 2);
        if size == 0 {
            // Trailer section: lines until an empty one.
            loop {
                let end = loop {
                    if let Some(p) = find(buf, b"\r\n") {
                        break p;
                    }
                    let have = buf.len();
                    if !fill(stream, buf, have + 1).await? {
                        return Ok(None);
                    }
                };
                buf.drain(..end + 2);
                if end == 0 {
                    return Ok(Some(body));
                }
            }
        }
        if !fill(stream, buf, size + 2).await? {
            return Ok(None);
        }
        body.extend(buf.drain(..size));
        buf.drain(..2);
    }
}

/// The path of a request target; absolute-form targets
/// (`http://host:port/path`, which some HTTP clients send) are reduced to
/// their path, as RFC 9112 requires servers to accept them.
fn origin_form(target: &str) -> String {
    match target.split_once("://") {
        Some((_, rest)) => match rest.find('/') {
            Some(i) => rest[i..].to_owned(),
            None => "/".to_owned(),
        },
        None => target.to_owned(),
    }
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        _ => "Status",
    }
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
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
    let content = content_to_sign(&cap.method, &cap.path, client_id, time, &cap.body);
    verify_header(&keys.merchant_public, &content, sig).map_err(|e| {
        format!(
            "{e} (content to sign: {:?})",
            String::from_utf8_lossy(&content)
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crypto::encode_signature;

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
        let content = content_to_sign(
            "POST",
            "/ams/sandbox/api/v1/payments/pay",
            "SANDBOX_X",
            RESPONSE_TIME,
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
