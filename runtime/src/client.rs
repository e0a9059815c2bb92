//! The HTTP client: signing, sending, verifying, classifying, retrying.
//!
//! ```no_run
//! # async fn demo(ep: &antom_runtime::EndpointDef) -> Result<(), antom_runtime::Error> {
//! use antom_runtime::{Client, ClientConfig, PrivateKey, PublicKey, Outcome};
//! let config = ClientConfig::builder()
//!     .client_id("SANDBOX_5X00000000000000")
//!     .merchant_private_key(PrivateKey::from_pem_or_base64("MIIEvQ...")?)
//!     .antom_public_key(PublicKey::from_pem_or_base64("MIIBIj...")?)
//!     .gateway_url("https://open-sea-global.alipay.com")
//!     .build()?;
//! let client = Client::new(config)?;
//! let body = br#"{"paymentRequestId":"pay-1"}"#.to_vec();
//! let response = client.execute_raw(ep, body).await?;
//! match response.outcome {
//!     Outcome::Success(json) => println!("{json}"),
//!     Outcome::Failed(f) => println!("failed: {} ({})", f.result.result_code, f.action),
//!     Outcome::Unknown(u) => println!("unknown: {:?}; {}", u.reason, u.action),
//! }
//! # Ok(()) }
//! ```

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use reqwest::header::{HeaderMap, HeaderName, HeaderValue, CONTENT_TYPE, USER_AGENT};
use serde::de::DeserializeOwned;
use serde::Serialize;
use tokio::time::Instant;
use tracing::Instrument;

use crate::classify::{classify, Classification, Observed};
use crate::error::Error;
use crate::protocol::{
    Action, EndpointDef, Failure, Outcome, RequestIdState, SandboxRule, SpecStatus,
};
use crate::request_id::find_request_id;
use crate::retry::RetryPolicy;
use crate::signing::{self, Backend, PrivateKey, PublicKey, SignInput};
use crate::verify::{self, Binding, CalledEndpoint, ResponseHeaders, Verification};

/// `Content-Type` of every request.
pub const CONTENT_TYPE_JSON: &str = "application/json; charset=UTF-8";

/// The default `User-Agent`.
pub const DEFAULT_USER_AGENT: &str = concat!("antom-rust/", env!("CARGO_PKG_VERSION"));

/// The sandbox rule of the Antom spec (`antom_protocol::tables::SANDBOX_RULE`):
/// `SANDBOX_` client ids call `/ams/sandbox/api/...` instead of
/// `/ams/api/...`. The generated crate passes the rule from its spec; this is
/// the same rule for callers that build a client by hand.
pub const DEFAULT_SANDBOX_RULE: SandboxRule = antom_protocol::tables::SANDBOX_RULE;

/// Largest response body read in one attempt (larger bodies are a transport
/// failure, so the result is unknown).
pub const MAX_RESPONSE_BYTES: usize = 16 * 1024 * 1024;

/// Largest total of response bytes read over all attempts of one call. When
/// it is spent the call stops retrying and its result is unknown (send it
/// again later with the same request id, or inquire),
/// so a gateway or proxy answering every retry with a large body cannot
/// make one call hold more than this much.
pub const MAX_CALL_RESPONSE_BYTES: usize = 4 * MAX_RESPONSE_BYTES;

/// Largest key, in bits, whose signing and verification run inline on the
/// async executor; larger keys (up to [`MAX_KEY_BITS`](crate::signing::MAX_KEY_BITS))
/// run on tokio's blocking pool.
pub const INLINE_CRYPTO_MAX_BITS: usize = 2048;

/// Client configuration. Build it with [`ClientConfig::builder`].
#[derive(Clone)]
pub struct ClientConfig {
    client_id: String,
    private_key: PrivateKey,
    antom_public_key: PublicKey,
    gateway_url: String,
    key_version: u32,
    connect_timeout: Duration,
    attempt_timeout: Duration,
    retry: RetryPolicy,
    sandbox: SandboxRule,
    agent_token: Option<String>,
    backend: Backend,
    user_agent: String,
    response_time_tolerance: Option<Duration>,
}

impl fmt::Debug for ClientConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientConfig")
            .field("client_id", &self.client_id)
            .field("private_key", &self.private_key)
            .field("antom_public_key", &self.antom_public_key)
            .field("gateway_url", &self.gateway_url)
            .field("key_version", &self.key_version)
            .field("connect_timeout", &self.connect_timeout)
            .field("attempt_timeout", &self.attempt_timeout)
            .field("retry", &self.retry)
            .field("sandbox", &self.sandbox)
            .field("agent_token", &self.agent_token.as_ref().map(|_| "<set>"))
            .field("backend", &self.backend)
            .field("user_agent", &self.user_agent)
            .field("response_time_tolerance", &self.response_time_tolerance)
            .finish()
    }
}

impl ClientConfig {
    /// A builder with the defaults: key version 1, connect timeout 5 s,
    /// per-attempt timeout 15 s, [`RetryPolicy::default`],
    /// [`DEFAULT_SANDBOX_RULE`], the `rsa` backend.
    pub fn builder() -> ClientConfigBuilder {
        ClientConfigBuilder::default()
    }

    /// The same configuration with another sandbox path rule (the generated
    /// client installs the spec's rule this way).
    pub fn with_sandbox_rule(mut self, rule: SandboxRule) -> Self {
        self.sandbox = rule;
        self
    }

    /// The client id.
    pub fn client_id(&self) -> &str {
        &self.client_id
    }
    /// The gateway base URL (no trailing slash).
    pub fn gateway_url(&self) -> &str {
        &self.gateway_url
    }
    /// The key version sent in the `Signature` header.
    pub fn key_version(&self) -> u32 {
        self.key_version
    }
    /// The retry policy.
    pub fn retry_policy(&self) -> &RetryPolicy {
        &self.retry
    }
    /// The sandbox rule.
    pub fn sandbox_rule(&self) -> &SandboxRule {
        &self.sandbox
    }
    /// The crypto backend.
    pub fn backend(&self) -> Backend {
        self.backend
    }
    /// The merchant private key.
    pub fn merchant_private_key(&self) -> &PrivateKey {
        &self.private_key
    }
    /// The Antom public key.
    pub fn antom_public_key(&self) -> &PublicKey {
        &self.antom_public_key
    }
    /// How far a signed `response-time` may lie from the request (`None`:
    /// not checked).
    pub fn response_time_tolerance(&self) -> Option<Duration> {
        self.response_time_tolerance
    }
    /// Whether the client id is a sandbox client id.
    pub fn is_sandbox(&self) -> bool {
        self.client_id.starts_with(self.sandbox.client_id_prefix)
    }
    /// The path called (and signed) for `endpoint`.
    pub fn path_for(&self, endpoint: &EndpointDef) -> String {
        self.sandbox.path_for(endpoint, &self.client_id)
    }
}

/// Builder for [`ClientConfig`].
#[derive(Default)]
pub struct ClientConfigBuilder {
    client_id: Option<String>,
    private_key: Option<PrivateKey>,
    antom_public_key: Option<PublicKey>,
    gateway_url: Option<String>,
    key_version: Option<u32>,
    connect_timeout: Option<Duration>,
    attempt_timeout: Option<Duration>,
    retry: Option<RetryPolicy>,
    sandbox: Option<SandboxRule>,
    agent_token: Option<String>,
    backend: Option<Backend>,
    user_agent: Option<String>,
    allow_plain_http: bool,
    response_time_tolerance: Option<Option<Duration>>,
}

impl fmt::Debug for ClientConfigBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientConfigBuilder")
            .field("client_id", &self.client_id)
            .field("private_key", &self.private_key)
            .field("gateway_url", &self.gateway_url)
            .finish_non_exhaustive()
    }
}

impl ClientConfigBuilder {
    /// The `Client-Id` (required). `SANDBOX_...` ids use the sandbox paths.
    pub fn client_id(mut self, id: impl Into<String>) -> Self {
        self.client_id = Some(id.into());
        self
    }
    /// The merchant private key that signs requests (required).
    pub fn merchant_private_key(mut self, key: PrivateKey) -> Self {
        self.private_key = Some(key);
        self
    }
    /// Antom's public key that verifies responses (required; from the
    /// dashboard, not the merchant's own public key).
    pub fn antom_public_key(mut self, key: PublicKey) -> Self {
        self.antom_public_key = Some(key);
        self
    }
    /// Gateway base URL, e.g. `https://open-sea-global.alipay.com` (required).
    /// `https` only, except loopback hosts (`127.0.0.1`, `localhost`, `[::1]`)
    /// which may use `http` for test gateways.
    pub fn gateway_url(mut self, url: impl Into<String>) -> Self {
        self.gateway_url = Some(url.into());
        self
    }
    /// Allows `http://` to non-loopback hosts (test gateways in containers).
    /// Responses are still signature-checked, but the traffic is not
    /// encrypted: never use this against a real gateway. Building such a
    /// configuration logs a warning; loopback hosts need neither this nor a
    /// warning.
    pub fn allow_plain_http(mut self, allow: bool) -> Self {
        self.allow_plain_http = allow;
        self
    }
    /// `keyVersion` in the `Signature` header (default 1).
    pub fn key_version(mut self, v: u32) -> Self {
        self.key_version = Some(v);
        self
    }
    /// TCP/TLS connect timeout (default 5 s).
    pub fn connect_timeout(mut self, d: Duration) -> Self {
        self.connect_timeout = Some(d);
        self
    }
    /// Timeout of one attempt, from sending to the end of the body
    /// (default 15 s, as the official SDKs).
    pub fn attempt_timeout(mut self, d: Duration) -> Self {
        self.attempt_timeout = Some(d);
        self
    }
    /// Retry policy (default [`RetryPolicy::default`]).
    pub fn retry_policy(mut self, p: RetryPolicy) -> Self {
        self.retry = Some(p);
        self
    }
    /// Sandbox rule (default [`DEFAULT_SANDBOX_RULE`]).
    pub fn sandbox_rule(mut self, r: SandboxRule) -> Self {
        self.sandbox = Some(r);
        self
    }
    /// ISV `Agent-Token` header (sent only when set).
    pub fn agent_token(mut self, token: impl Into<String>) -> Self {
        self.agent_token = Some(token.into());
        self
    }
    /// Crypto backend (default [`Backend::default()`]: `ring`, or `rsa`
    /// without the `ring` feature).
    pub fn backend(mut self, b: Backend) -> Self {
        self.backend = Some(b);
        self
    }
    /// How far a signed response's `response-time` may lie outside the
    /// interval from signing the request to reading the answer (default
    /// [`verify::DEFAULT_RESPONSE_TIME_TOLERANCE`], 5 minutes). A response
    /// outside it is a [`SecurityError::ResponseTimeSkew`](crate::SecurityError):
    /// a stale or replayed answer. `None` turns the check off, for a host
    /// whose clock cannot be trusted; the echoed request ids and the client
    /// id are still compared.
    pub fn response_time_tolerance(mut self, tolerance: Option<Duration>) -> Self {
        self.response_time_tolerance = Some(tolerance);
        self
    }
    /// `User-Agent` (default [`DEFAULT_USER_AGENT`]).
    pub fn user_agent(mut self, ua: impl Into<String>) -> Self {
        self.user_agent = Some(ua.into());
        self
    }

    /// Validates and builds the configuration.
    pub fn build(self) -> Result<ClientConfig, Error> {
        let client_id = self
            .client_id
            .ok_or_else(|| Error::Config("client id is required".into()))?;
        if client_id.trim().is_empty() || client_id.trim() != client_id {
            return Err(Error::Config(
                "client id must be non-empty and have no surrounding whitespace".into(),
            ));
        }
        header_value("client id", &client_id)?;
        let private_key = self
            .private_key
            .ok_or_else(|| Error::Config("merchant private key is required".into()))?;
        let antom_public_key = self
            .antom_public_key
            .ok_or_else(|| Error::Config("Antom public key is required".into()))?;
        if &antom_public_key == private_key.public_key() {
            tracing::warn!(
                "the configured Antom public key is the merchant's own public key; \
                 responses will fail verification: configure the Antom public key from the dashboard"
            );
        }
        let raw_url = self
            .gateway_url
            .ok_or_else(|| Error::Config("gateway URL is required".into()))?;
        let shown = without_userinfo(&raw_url);
        let url = reqwest::Url::parse(raw_url.trim())
            .map_err(|e| Error::Config(format!("gateway URL `{shown}`: {e}")))?;
        let loopback = is_loopback(&url);
        match url.scheme() {
            "https" => {}
            "http" if loopback => {}
            "http" if self.allow_plain_http => tracing::warn!(
                host = url.host_str().unwrap_or(""),
                "plain http to a host that is not loopback: requests and responses travel unencrypted; never use this against a real gateway"
            ),
            other => {
                return Err(Error::Config(format!(
                    "gateway URL `{shown}`: scheme `{other}` not allowed; use https (http only for loopback test gateways)"
                )))
            }
        }
        if url.query().is_some()
            || url.fragment().is_some()
            || !url.username().is_empty()
            || url.password().is_some()
        {
            return Err(Error::Config(format!(
                "gateway URL `{shown}` must be a bare base URL (no query, fragment or credentials)"
            )));
        }
        let gateway_url = url.as_str().trim_end_matches('/').to_owned();
        if let Some(t) = &self.agent_token {
            header_value("agent token", t)?;
        }
        let user_agent = self.user_agent.unwrap_or_else(|| DEFAULT_USER_AGENT.into());
        header_value("user agent", &user_agent)?;
        let attempt_timeout = self.attempt_timeout.unwrap_or(Duration::from_secs(15));
        if attempt_timeout.is_zero() {
            return Err(Error::Config("attempt timeout must be positive".into()));
        }
        Ok(ClientConfig {
            client_id,
            private_key,
            antom_public_key,
            gateway_url,
            key_version: self.key_version.unwrap_or(signing::DEFAULT_KEY_VERSION),
            connect_timeout: self.connect_timeout.unwrap_or(Duration::from_secs(5)),
            attempt_timeout,
            retry: self.retry.unwrap_or_default(),
            sandbox: self.sandbox.unwrap_or(DEFAULT_SANDBOX_RULE),
            agent_token: self.agent_token,
            backend: self.backend.unwrap_or_default(),
            user_agent,
            response_time_tolerance: self
                .response_time_tolerance
                .unwrap_or(Some(verify::DEFAULT_RESPONSE_TIME_TOLERANCE)),
        })
    }
}

/// `url` with any `user:password@` removed, for error messages.
fn without_userinfo(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return match url.rfind('@') {
            Some(at) => format!("<credentials>@{}", &url[at + 1..]),
            None => url.to_owned(),
        };
    };
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    match rest[..authority_end].rfind('@') {
        Some(at) => format!("{scheme}://<credentials>@{}", &rest[at + 1..]),
        None => url.to_owned(),
    }
}

fn is_loopback(url: &reqwest::Url) -> bool {
    let Some(host) = url.host_str() else {
        return false;
    };
    if host.eq_ignore_ascii_case("localhost") {
        return true;
    }
    host.trim_start_matches('[')
        .trim_end_matches(']')
        .parse::<std::net::IpAddr>()
        .is_ok_and(|ip| ip.is_loopback())
}

fn header_value(what: &str, v: &str) -> Result<HeaderValue, Error> {
    HeaderValue::from_str(v).map_err(|_| {
        Error::Config(format!(
            "{what} contains characters not allowed in an HTTP header"
        ))
    })
}

/// The result of a call.
///
/// `Debug` shows the raw body as (lossy) text.
#[derive(Clone)]
pub struct Response<T, C = String> {
    /// The typed outcome (after retries).
    pub outcome: Outcome<T, C>,
    /// Attempts made (1 when not retried).
    pub attempts: u32,
    /// The request id (value of the endpoint's idempotency key in the body),
    /// identical for every attempt.
    pub request_id: Option<String>,
    /// The HTTP status of the last attempt (`None` when it got no response).
    pub http_status: Option<u16>,
    /// The raw body of the last attempt (`None` when it got no response).
    pub raw_body: Option<Vec<u8>>,
    /// How the last response passed verification (`None` when there was no
    /// 200 response).
    pub verification: Option<Verification>,
    /// The path that was called and signed.
    pub path: String,
}

impl<T: fmt::Debug, C: fmt::Debug> fmt::Debug for Response<T, C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Response")
            .field("outcome", &self.outcome)
            .field("attempts", &self.attempts)
            .field("request_id", &self.request_id)
            .field("http_status", &self.http_status)
            .field("raw_body", &self.raw_body_text())
            .field("verification", &self.verification)
            .field("path", &self.path)
            .finish()
    }
}

impl Response<(), ()> {
    /// The same call facts with the outcome filled in.
    fn with_outcome<T, C>(self, outcome: Outcome<T, C>) -> Response<T, C> {
        Response {
            outcome,
            attempts: self.attempts,
            request_id: self.request_id,
            http_status: self.http_status,
            raw_body: self.raw_body,
            verification: self.verification,
            path: self.path,
        }
    }
}

impl<T, C> Response<T, C> {
    /// The same response with its parsed body mapped by `f` (e.g. a typed
    /// response turned into JSON).
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Response<U, C> {
        Response {
            outcome: self.outcome.map(f),
            attempts: self.attempts,
            request_id: self.request_id,
            http_status: self.http_status,
            raw_body: self.raw_body,
            verification: self.verification,
            path: self.path,
        }
    }

    /// The same response with a failure's result code mapped by `f`.
    pub fn map_code<D>(self, f: impl FnOnce(C) -> D) -> Response<T, D> {
        Response {
            outcome: self.outcome.map_code(f),
            attempts: self.attempts,
            request_id: self.request_id,
            http_status: self.http_status,
            raw_body: self.raw_body,
            verification: self.verification,
            path: self.path,
        }
    }

    /// The success value, if the outcome is `Success`.
    pub fn success(&self) -> Option<&T> {
        match &self.outcome {
            Outcome::Success(t) => Some(t),
            _ => None,
        }
    }
    /// The raw body as text (lossy).
    pub fn raw_body_text(&self) -> Option<String> {
        self.raw_body
            .as_ref()
            .map(|b| String::from_utf8_lossy(b).into_owned())
    }
}

/// A verified success whose body does not match the typed response.
struct Unparsed {
    value: serde_json::Value,
    source: serde_json::Error,
}

/// What every attempt of one call sends, and what its answers must echo.
#[derive(Clone, Copy)]
struct CallTarget<'a> {
    endpoint: &'a EndpointDef,
    path: &'a str,
    url: &'a str,
    body: &'a [u8],
    echoes: &'a [(&'static str, serde_json::Value)],
}

/// What one attempt produced on the wire.
struct AttemptResult {
    observed: Observed,
    http_status: Option<u16>,
    body: Option<Vec<u8>>,
    verification: Option<Verification>,
    /// Response bytes read (counted against [`MAX_CALL_RESPONSE_BYTES`]).
    bytes_read: usize,
}

/// An Antom API client. Cheap to clone (shared connection pool).
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    config: ClientConfig,
    http: reqwest::Client,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("config", &self.inner.config)
            .finish_non_exhaustive()
    }
}

impl Client {
    /// Builds a client (rustls with the bundled Mozilla root certificates;
    /// certificate verification is always on; redirects are not followed).
    ///
    /// `HTTP(S)_PROXY` from the environment applies, except to a loopback
    /// gateway: a local test gateway is never reached through a proxy.
    pub fn new(config: ClientConfig) -> Result<Client, Error> {
        let mut builder = reqwest::Client::builder()
            .connect_timeout(config.connect_timeout)
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(config.user_agent.clone());
        if reqwest::Url::parse(&config.gateway_url).is_ok_and(|u| is_loopback(&u)) {
            builder = builder.no_proxy();
        }
        let http = builder
            .build()
            .map_err(|e| Error::HttpClient(error_chain(&e)))?;
        Ok(Client {
            inner: Arc::new(Inner { config, http }),
        })
    }

    /// The configuration.
    pub fn config(&self) -> &ClientConfig {
        &self.inner.config
    }

    /// Verifies a notification with the configured Antom public key and
    /// backend, requiring the configured client id and a `request-time`
    /// within [`DEFAULT_NOTIFICATION_TOLERANCE`](crate::notification::DEFAULT_NOTIFICATION_TOLERANCE) (see
    /// [`notification::verify_notification`](crate::notification::verify_notification)).
    pub fn verify_notification<I, K, V>(
        &self,
        method: &str,
        path: &str,
        headers: I,
        body: &[u8],
    ) -> Result<crate::notification::VerifiedNotification, crate::notification::NotificationError>
    where
        I: IntoIterator<Item = (K, V)>,
        K: AsRef<str>,
        V: AsRef<[u8]>,
    {
        let config = &self.inner.config;
        let options = crate::notification::NotificationOptions {
            expected_client_id: Some(config.client_id.clone()),
            backend: config.backend,
            ..Default::default()
        };
        crate::notification::verify_notification(
            &config.antom_public_key,
            method,
            path,
            headers,
            body,
            &options,
        )
    }

    /// Serializes `request` once and calls `endpoint` with it (see
    /// [`Client::execute_bytes`]).
    pub async fn execute<Req, Resp, C>(
        &self,
        endpoint: &EndpointDef,
        request: &Req,
    ) -> Result<Response<Resp, C>, Error>
    where
        Req: Serialize + ?Sized,
        Resp: DeserializeOwned,
        C: for<'a> From<&'a str>,
    {
        let body = serialize_request(endpoint, request)?;
        self.execute_bytes(endpoint, body).await
    }

    /// Calls `endpoint` with caller-provided body bytes and parses the
    /// success response as JSON.
    pub async fn execute_raw(
        &self,
        endpoint: &EndpointDef,
        body: impl Into<Vec<u8>>,
    ) -> Result<Response<serde_json::Value, String>, Error> {
        self.execute_bytes(endpoint, body.into()).await
    }

    /// Calls `endpoint` with exactly `body` (sent and signed byte for byte),
    /// retrying per the policy, and returns the typed outcome.
    ///
    /// Each attempt: fresh `Request-Time`, signature over the called path
    /// (sandbox path for sandbox client ids unless the endpoint opts out),
    /// response verification on the raw bytes, the binding of the response
    /// to this request (client id, echoed request ids, `response-time`; see
    /// [`verify::check_binding`]), classification with the endpoint's result
    /// codes. Retries only `Unknown` outcomes with a
    /// retryable action; `F` and security errors end the call at once.
    pub async fn execute_bytes<Resp, C>(
        &self,
        endpoint: &EndpointDef,
        body: Vec<u8>,
    ) -> Result<Response<Resp, C>, Error>
    where
        Resp: DeserializeOwned,
        C: for<'a> From<&'a str>,
    {
        let config = &self.inner.config;
        let policy = &config.retry;
        let path = config.path_for(endpoint);
        let url = format!("{}{}", config.gateway_url, path);
        let request_id = match endpoint.idempotency_key {
            Some(k) => find_request_id(&body, k).map_err(|e| Error::InvalidRequest {
                endpoint: endpoint.name,
                source: Box::new(e),
            })?,
            None => None,
        };
        let echoes = verify::echoed_values(&body, endpoint.echoes);
        let started = Instant::now();
        let deadline = policy
            .deadline
            .map(|d| crate::retry::saturating_deadline(started, d));
        let max_attempts = policy.max_attempts.max(1);
        let target = CallTarget {
            endpoint,
            path: &path,
            url: &url,
            body: &body,
            echoes: &echoes,
        };
        let mut attempt = 0u32;
        let mut budget = MAX_CALL_RESPONSE_BYTES;
        loop {
            attempt += 1;
            let timeout = match deadline {
                Some(d) => config
                    .attempt_timeout
                    .min(d.saturating_duration_since(Instant::now())),
                None => config.attempt_timeout,
            };
            let span = tracing::info_span!(
                "antom_attempt",
                endpoint = endpoint.name,
                attempt,
                request_id = request_id.as_deref().unwrap_or(""),
                path = %path,
            );
            let result = self
                .attempt(&target, timeout, attempt, budget)
                .instrument(span.clone())
                .await?;
            budget = budget.saturating_sub(result.bytes_read);
            let classification = unauthenticated_failure_is_inquired(
                classify(endpoint, result.observed.clone()),
                result.verification,
            );
            span.in_scope(|| {
                tracing::debug!(
                    http_status = result.http_status,
                    outcome = ?classification.action(),
                    "attempt classified"
                )
            });
            if classification.is_retryable() && attempt < max_attempts && budget > 0 {
                let delay = policy.delay_before(
                    attempt + 1,
                    classification.action(),
                    &mut rand::thread_rng(),
                );
                let in_time = deadline
                    .is_none_or(|d| crate::retry::saturating_deadline(Instant::now(), delay) < d);
                if in_time {
                    tracing::info!(
                        endpoint = endpoint.name,
                        attempt,
                        delay_ms = delay.as_millis() as u64,
                        "retrying with the same request id"
                    );
                    tokio::time::sleep(delay).await;
                    continue;
                }
            }
            let signed = result.verification == Some(Verification::Signed);
            let finished =
                self.finish::<Resp, C>(endpoint, classification, signed, result.body.as_deref());
            let response = Response {
                outcome: Outcome::Success(()),
                attempts: attempt,
                request_id,
                http_status: result.http_status,
                raw_body: result.body,
                verification: result.verification,
                path,
            };
            return match finished {
                Ok(outcome) => Ok(response.with_outcome(outcome)),
                Err(Unparsed { value, source }) => Err(Error::UnparsedSuccess {
                    endpoint: endpoint.name,
                    response: Box::new(response.with_outcome(Outcome::Success(value))),
                    source,
                }),
            };
        }
    }

    /// The typed outcome. A verified success whose body does not match
    /// `Resp` comes back as [`Unparsed`], holding the success as JSON.
    fn finish<Resp: DeserializeOwned, C: for<'a> From<&'a str>>(
        &self,
        endpoint: &EndpointDef,
        classification: Classification,
        signed: bool,
        body: Option<&[u8]>,
    ) -> Result<Outcome<Resp, C>, Unparsed> {
        Ok(match classification {
            Classification::Success => {
                let body = body.unwrap_or_default();
                match serde_json::from_slice(body) {
                    Ok(typed) => Outcome::Success(typed),
                    Err(source) => {
                        // `attempt` only classifies a response whose `result`
                        // was read out of a JSON object, so this parses.
                        let value = serde_json::from_slice(body).unwrap_or_default();
                        return Err(Unparsed { value, source });
                    }
                }
            }
            Classification::Failed { result, action } => Outcome::Failed(Failure {
                code: C::from(result.result_code.as_str()),
                response: body.and_then(|b| serde_json::from_slice(b).ok()),
                request_id: RequestIdState::after(endpoint, SpecStatus::F, signed),
                result,
                action,
            }),
            Classification::Unknown(u) => Outcome::Unknown(u),
        })
    }

    /// Sends one signed attempt and reads, verifies and peeks the response.
    async fn attempt(
        &self,
        call: &CallTarget<'_>,
        timeout: Duration,
        attempt: u32,
        budget: usize,
    ) -> Result<AttemptResult, Error> {
        let CallTarget {
            endpoint,
            path,
            url,
            body,
            echoes,
        } = *call;
        let config = &self.inner.config;
        let sent_at = SystemTime::now();
        let request_time = crate::timestamp::epoch_millis(sent_at);
        let signature = {
            let (path, time, body) = (path.to_owned(), request_time.clone(), body.to_vec());
            self.crypto(config.private_key.bits(), move |config| {
                signing::sign_explained(
                    config.backend,
                    &config.private_key,
                    config.key_version,
                    &SignInput {
                        method: "POST",
                        path: &path,
                        client_id: &config.client_id,
                        time: &time,
                        body: &body,
                    },
                )
            })
            .await??
            .header
        };
        let headers = self.request_headers(&request_time, &signature)?;
        let sent = self
            .inner
            .http
            .post(url)
            .headers(headers)
            .timeout(timeout)
            .body(body.to_vec())
            .send()
            .await;
        let response = match sent {
            Ok(r) => r,
            Err(e) => return Ok(transport_failure(&e)),
        };
        let status = response.status().as_u16();
        let header = |name: &str| {
            response
                .headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
        };
        let (sig, time, response_client_id) = (
            header("signature"),
            header("response-time"),
            header("client-id"),
        );
        let raw = match read_body(response, budget).await {
            Ok(b) => b,
            Err(failure) => return Ok(failure),
        };
        if status != 200 {
            tracing::warn!(http_status = status, "non-200 response; result unknown");
            return Ok(AttemptResult {
                observed: Observed::HttpStatus(status),
                http_status: Some(status),
                bytes_read: raw.len(),
                body: Some(raw),
                verification: None,
            });
        }
        let response_headers = ResponseHeaders {
            signature: sig.as_deref(),
            response_time: time.as_deref(),
        };
        let security = |source| Error::Security {
            endpoint: endpoint.name,
            attempt,
            source,
        };
        let (verdict, raw) = {
            let (path, sig, time) = (path.to_owned(), sig.clone(), time.clone());
            self.crypto(config.antom_public_key.bits(), move |config| {
                let verdict = verify::verify_response(
                    config.backend,
                    &config.antom_public_key,
                    &CalledEndpoint {
                        method: "POST",
                        path: &path,
                        client_id: &config.client_id,
                    },
                    ResponseHeaders {
                        signature: sig.as_deref(),
                        response_time: time.as_deref(),
                    },
                    &raw,
                );
                (verdict, raw)
            })
            .await?
        };
        let verification = match verdict {
            // An unsigned 200 that is not an Antom answer at all (a proxy's
            // or load balancer's page) claims nothing: the result is unknown,
            // exactly as for a non-200 status.
            Err(verify::SecurityError::UnsignedWithoutResult) => {
                tracing::warn!("unsigned 200 response without a result; result unknown");
                return Ok(AttemptResult {
                    observed: Observed::Transport(
                        "unsigned HTTP 200 response without a JSON `result` (not an Antom answer)"
                            .into(),
                    ),
                    http_status: Some(status),
                    bytes_read: raw.len(),
                    body: Some(raw),
                    verification: None,
                });
            }
            other => other.map_err(security)?,
        };
        verify::check_binding(
            &Binding {
                client_id: &config.client_id,
                echoes,
                sent_at,
                received_at: SystemTime::now(),
                response_time_tolerance: config.response_time_tolerance,
            },
            verification,
            response_headers,
            response_client_id.as_deref(),
            &raw,
        )
        .map_err(security)?;
        let result = match verify::peek_result(&raw) {
            Ok(Some(r)) => r,
            Ok(None) => {
                return Err(Error::InvalidResponse {
                    endpoint: endpoint.name,
                    reason: "the response has no well-formed `result` object".into(),
                })
            }
            Err(e) => {
                return Err(Error::InvalidResponse {
                    endpoint: endpoint.name,
                    reason: format!("the response is not a JSON object: {e}"),
                })
            }
        };
        Ok(AttemptResult {
            observed: Observed::Result(result),
            http_status: Some(status),
            bytes_read: raw.len(),
            body: Some(raw),
            verification: Some(verification),
        })
    }

    /// Runs RSA work for a key of `bits`: inline for keys up to
    /// [`INLINE_CRYPTO_MAX_BITS`] (about a millisecond), on tokio's blocking
    /// pool for larger ones, so a 4096-bit key never stalls the executor.
    async fn crypto<R: Send + 'static>(
        &self,
        bits: usize,
        work: impl FnOnce(&ClientConfig) -> R + Send + 'static,
    ) -> Result<R, Error> {
        if bits <= INLINE_CRYPTO_MAX_BITS {
            return Ok(work(&self.inner.config));
        }
        let inner = self.inner.clone();
        tokio::task::spawn_blocking(move || work(&inner.config))
            .await
            .map_err(|e| match e.try_into_panic() {
                Ok(panic) => std::panic::resume_unwind(panic),
                Err(_) => Error::HttpClient(
                    "the signing task was cancelled: the async runtime is shutting down".into(),
                ),
            })
    }

    fn request_headers(&self, request_time: &str, signature: &str) -> Result<HeaderMap, Error> {
        let config = &self.inner.config;
        let mut h = HeaderMap::with_capacity(6);
        h.insert(CONTENT_TYPE, HeaderValue::from_static(CONTENT_TYPE_JSON));
        h.insert(
            HeaderName::from_static("client-id"),
            header_value("client id", &config.client_id)?,
        );
        h.insert(
            HeaderName::from_static("request-time"),
            header_value("request time", request_time)?,
        );
        h.insert(
            HeaderName::from_static("signature"),
            header_value("signature", signature)?,
        );
        if let Some(token) = &config.agent_token {
            h.insert(
                HeaderName::from_static("agent-token"),
                header_value("agent token", token)?,
            );
        }
        h.insert(USER_AGENT, header_value("user agent", &config.user_agent)?);
        Ok(h)
    }
}

/// An unsigned `F` is unauthenticated: anyone on the path could have written
/// it. Its action is therefore never "send again with a new request id" (which
/// could charge twice if the original went through); it is `inquire`, so the
/// caller checks the real state first. A signed `F` keeps its spec action.
fn unauthenticated_failure_is_inquired(
    classification: Classification,
    verification: Option<Verification>,
) -> Classification {
    match classification {
        Classification::Failed {
            result,
            action: Action::NewRequestId,
        } if verification == Some(Verification::UnsignedAccepted) => {
            tracing::warn!(
                result_code = %result.result_code,
                "unsigned F response: acting on it as `inquire`, not `newRequestId`"
            );
            Classification::Failed {
                result,
                action: Action::Inquire,
            }
        }
        other => other,
    }
}

fn transport_failure(e: &reqwest::Error) -> AttemptResult {
    let observed = if e.is_timeout() {
        Observed::Timeout
    } else {
        Observed::Transport(error_chain(e))
    };
    tracing::warn!(error = %error_chain(e), "attempt got no response; result unknown");
    AttemptResult {
        observed,
        http_status: None,
        body: None,
        verification: None,
        bytes_read: 0,
    }
}

/// Reads the body, at most [`MAX_RESPONSE_BYTES`] and at most what is left of
/// the call's `budget` ([`MAX_CALL_RESPONSE_BYTES`]).
async fn read_body(
    mut response: reqwest::Response,
    budget: usize,
) -> Result<Vec<u8>, AttemptResult> {
    let status = response.status().as_u16();
    let limit = MAX_RESPONSE_BYTES.min(budget);
    let mut out = Vec::new();
    loop {
        match response.chunk().await {
            Ok(Some(chunk)) => {
                if out.len() + chunk.len() > limit {
                    let reason = if limit < MAX_RESPONSE_BYTES {
                        format!("the responses of this call exceed {MAX_CALL_RESPONSE_BYTES} bytes in total")
                    } else {
                        format!("response body larger than {MAX_RESPONSE_BYTES} bytes")
                    };
                    return Err(AttemptResult {
                        observed: Observed::Transport(reason),
                        http_status: Some(status),
                        body: None,
                        verification: None,
                        bytes_read: out.len() + chunk.len(),
                    });
                }
                out.extend_from_slice(&chunk);
            }
            Ok(None) => return Ok(out),
            Err(e) => {
                let mut r = transport_failure(&e);
                r.http_status = Some(status);
                r.bytes_read = out.len();
                return Err(r);
            }
        }
    }
}

/// The error and its sources, joined with `: ` (URL stripped).
fn error_chain(e: &(dyn std::error::Error + 'static)) -> String {
    let mut out = e.to_string();
    let mut cur = e.source();
    while let Some(s) = cur {
        let text = s.to_string();
        if !out.contains(&text) {
            out.push_str(": ");
            out.push_str(&text);
        }
        cur = s.source();
    }
    out
}

/// The JSON body of `request` for `endpoint`, or `Error::Serialize`.
pub(crate) fn serialize_request<Req: Serialize + ?Sized>(
    endpoint: &EndpointDef,
    request: &Req,
) -> Result<Vec<u8>, Error> {
    serde_json::to_vec(request).map_err(|source| Error::Serialize {
        endpoint: endpoint.name,
        source,
    })
}
