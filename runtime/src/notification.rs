//! Notifications (webhooks): verification, acknowledgement, deduplication.
//!
//! Independent of any web framework: hand [`verify_notification`] the method,
//! the path that received the notification (no query string), the headers as
//! `(name, value)` pairs (names compared case-insensitively) and the raw body.
//!
//! ```
//! use antom_runtime::notification::{self, Deduplicator, NotificationOptions};
//! use antom_runtime::PublicKey;
//!
//! /// Returns (status, content type, body) to send back.
//! fn handle(
//!     antom_key: &PublicKey,
//!     dedup: &dyn Deduplicator,
//!     headers: &[(String, String)],
//!     body: &[u8],
//! ) -> (u16, &'static str, &'static str) {
//!     let verified = notification::verify_notification(
//!         antom_key,
//!         "POST",
//!         "/antom/notify",
//!         headers.iter().map(|(k, v)| (k.as_str(), v.as_str())),
//!         body,
//!         &NotificationOptions::default(),
//!     );
//!     match verified {
//!         Ok(n) => {
//!             let key = n.dedup_key();
//!             if dedup.claim(&key) {
//!                 // process n.envelope / n.parse::<YourType>() here;
//!                 // on failure: dedup.release(&key) and answer 500.
//!             }
//!             notification::acknowledgement()
//!         }
//!         // Not acknowledged: Antom resends. Log the error: repeated
//!         // failures mean a wrong key or path.
//!         Err(_) => (401, "text/plain", "invalid notification"),
//!     }
//! }
//! ```
//!
//! Antom resends a notification that was not acknowledged up to 8 times
//! within about 24 hours ([`RESEND_SCHEDULE`]), and may deliver the same
//! notification more than once even after an acknowledgement; process each
//! one once, keyed by [`VerifiedNotification::dedup_key`]. Sandbox does not
//! resend.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, SystemTime};

use antom_protocol::tables;
use serde::de::DeserializeOwned;
use serde::Deserialize;
use sha2::{Digest, Sha256};
use tokio::time::Instant;

use crate::protocol::ApiResult;
use crate::signing::{self, Backend, PublicKey, SignInput, VerifyError};

/// The exact body that acknowledges a notification (HTTP 200, unsigned),
/// from the spec's `acknowledgement` section.
pub use antom_protocol::tables::ACKNOWLEDGEMENT_BODY;

/// `Content-Type` of the acknowledgement.
pub const ACKNOWLEDGEMENT_CONTENT_TYPE: &str = "application/json; charset=UTF-8";

/// The resend schedule after a missing or wrong acknowledgement (the spec's
/// `acknowledgement.resendSchedule`): the delays of the deliveries after the
/// event, each relative to the previous delivery.
pub const RESEND_SCHEDULE: [Duration; tables::RESEND_SCHEDULE_SECS.len()] = {
    let secs = tables::RESEND_SCHEDULE_SECS;
    let mut out = [Duration::ZERO; tables::RESEND_SCHEDULE_SECS.len()];
    let mut i = 0;
    while i < secs.len() {
        out[i] = Duration::from_secs(secs[i]);
        i += 1;
    }
    out
};

/// The span from the first to the last delivery.
pub fn resend_window() -> Duration {
    RESEND_SCHEDULE.iter().sum()
}

/// `(HTTP status, Content-Type, body)` of the acknowledgement.
pub fn acknowledgement() -> (u16, &'static str, &'static str) {
    (
        tables::ACKNOWLEDGEMENT_HTTP_STATUS,
        ACKNOWLEDGEMENT_CONTENT_TYPE,
        ACKNOWLEDGEMENT_BODY,
    )
}

/// Why a notification was rejected. Reply with a non-200 status so that Antom
/// resends (and alert: repeated failures mean a key or path problem).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NotificationError {
    /// A required header is missing or empty.
    #[error("notification has no `{0}` header")]
    MissingHeader(&'static str),
    /// A header value is not valid UTF-8.
    #[error("notification header `{0}` is not valid UTF-8")]
    BadHeader(&'static str),
    /// The signature is malformed or does not match.
    #[error("notification signature invalid: {0}")]
    BadSignature(#[from] VerifyError),
    /// The `client-id` header differs from the expected client id.
    #[error("notification is for client id `{got}`, expected `{expected}`")]
    WrongClientId {
        /// The expected client id.
        expected: String,
        /// The client id in the notification.
        got: String,
    },
    /// The body is not a JSON object.
    #[error("notification body is not a JSON object: {0}")]
    NotJson(String),
    /// The body does not match the payload model of `kind`: a notification's
    /// spec name (`notifyPayment`), the envelope, or the Rust type asked for.
    #[error("notification body is not a valid {kind} payload: {message}")]
    Payload {
        /// What the body was parsed as.
        kind: &'static str,
        /// The serde error's message (names the field and its position).
        message: String,
    },
    /// The signed `request-time` is not a time, so the delivery's age cannot
    /// be judged.
    #[error("notification request-time: {0}; set `request_time_tolerance` to `None` to accept notifications of any age")]
    UnreadableRequestTime(crate::timestamp::TimestampError),
    /// The signed `request-time` lies outside the tolerance: an old delivery
    /// replayed (or a clock far off).
    #[error("notification request-time `{request_time}` is {}s away from now (tolerance {}s); refusing a stale or replayed delivery", .off_by.as_secs(), .tolerance.as_secs())]
    Stale {
        /// The `request-time` header.
        request_time: String,
        /// How far outside the tolerance it lies.
        off_by: Duration,
        /// The configured tolerance.
        tolerance: Duration,
    },
}

impl NotificationError {
    /// Whether the delivery failed on its body (not JSON, or not the shape of
    /// its payload) rather than on its authenticity (headers, signature,
    /// client id, age). A webhook answers the first "unprocessable" and the
    /// second "unauthorized"; either way it does not acknowledge, so Antom
    /// delivers again.
    pub fn is_body(&self) -> bool {
        matches!(
            self,
            NotificationError::NotJson(_) | NotificationError::Payload { .. }
        )
    }
}

/// Default tolerance between a notification's signed `request-time` and the
/// moment it is verified: 72 hours.
///
/// Antom's resends ([`RESEND_SCHEDULE`]) span about 24 hours after the first
/// delivery, and the sources do not say whether a resend carries a fresh
/// `request-time` or the first one, so the default admits every genuine
/// resend with a wide margin. Within the tolerance, redeliveries and replays
/// are caught by the [`Deduplicator`]: keep its TTL at least as long as the
/// tolerance, better twice it ([`InMemoryDeduplicator::DEFAULT_TTL`] is).
/// Beyond it, the time
/// check refuses them, so a delivery captured last week is never processed
/// again after its dedup entry expired.
pub const DEFAULT_NOTIFICATION_TOLERANCE: Duration = Duration::from_secs(72 * 3600);

/// Options for [`verify_notification`].
#[derive(Debug, Clone)]
pub struct NotificationOptions {
    /// When set, the `client-id` header must equal it.
    pub expected_client_id: Option<String>,
    /// Crypto backend.
    pub backend: Backend,
    /// How far the signed `request-time` may lie from now (default
    /// [`DEFAULT_NOTIFICATION_TOLERANCE`]); `None` accepts any age.
    pub request_time_tolerance: Option<Duration>,
}

impl Default for NotificationOptions {
    fn default() -> Self {
        NotificationOptions {
            expected_client_id: None,
            backend: Backend::default(),
            request_time_tolerance: Some(DEFAULT_NOTIFICATION_TOLERANCE),
        }
    }
}

impl NotificationOptions {
    /// Sets the request-time tolerance (`None`: any age).
    pub fn request_time_tolerance(mut self, tolerance: Option<Duration>) -> Self {
        self.request_time_tolerance = tolerance;
        self
    }

    /// Requires the given client id.
    pub fn expect_client_id(mut self, id: impl Into<String>) -> Self {
        self.expected_client_id = Some(id.into());
        self
    }
}

/// The fields every notification shares.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NotificationEnvelope {
    /// `PAYMENT_RESULT`, `CAPTURE_RESULT`, `REFUND_RESULT`, ... (absent in some
    /// notifications, e.g. vaulting).
    #[serde(default)]
    pub notify_type: Option<String>,
    /// The `result` object.
    #[serde(default)]
    pub result: Option<ApiResult>,
}

/// A notification whose signature verified.
#[derive(Debug, Clone, PartialEq)]
pub struct VerifiedNotification {
    /// `client-id` header.
    pub client_id: String,
    /// `request-time` header, as signed (ISO 8601 with an offset as Antom
    /// documents it; epoch milliseconds are read too).
    pub request_time: String,
    /// The common envelope.
    pub envelope: NotificationEnvelope,
    /// The whole body as JSON.
    pub json: serde_json::Value,
    /// The raw body bytes that were verified.
    pub raw_body: Vec<u8>,
}

/// Request-id fields that identify what a notification is about, in the order
/// they are looked up by [`VerifiedNotification::dedup_key`]: the spec's
/// `dedupKeys` of every notification, most specific first
/// (`antom_protocol::tables::NOTIFICATION_ID_FIELDS`).
pub const DEDUP_ID_FIELDS: &[&str] = tables::NOTIFICATION_ID_FIELDS;

impl VerifiedNotification {
    /// Parses the body into `T` (e.g. a generated notification type).
    pub fn parse<T: DeserializeOwned>(&self) -> Result<T, NotificationError> {
        serde_json::from_slice(&self.raw_body).map_err(|e| NotificationError::Payload {
            kind: std::any::type_name::<T>(),
            message: e.to_string(),
        })
    }

    /// The key under which redeliveries of this notification are the same:
    /// `<client-id>/<notifyType or disputeNotificationType or authorizationNotifyType>:<field>=<id>`
    /// with the first present field of [`DEDUP_ID_FIELDS`] (so `PAYMENT_PENDING`
    /// and `PAYMENT_RESULT` for one payment are distinct, and two merchant
    /// accounts sharing one store never collide); for a body without any of
    /// them, `<client-id>/sha256:<hex of the raw body>`.
    pub fn dedup_key(&self) -> String {
        let obj = self.json.as_object();
        let get = |k: &str| obj.and_then(|o| o.get(k)).and_then(|v| v.as_str());
        let kind = get("notifyType")
            .or_else(|| get("disputeNotificationType"))
            .or_else(|| get("authorizationNotifyType"))
            .unwrap_or("");
        for field in DEDUP_ID_FIELDS {
            if let Some(id) = get(field).filter(|s| !s.is_empty()) {
                return format!("{}/{kind}:{field}={id}", self.client_id);
            }
        }
        let digest = Sha256::digest(&self.raw_body);
        let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
        format!("{}/sha256:{hex}", self.client_id)
    }
}

/// [`verify_notification`] for a request in the `http` crate's types, which
/// axum, hyper, reqwest, lambda_http and (through their conversions) other
/// frameworks share: method, path and headers come from the request, the
/// body is its exact bytes.
pub fn verify_http_request<B: AsRef<[u8]>>(
    antom_public_key: &PublicKey,
    request: &http::Request<B>,
    options: &NotificationOptions,
) -> Result<VerifiedNotification, NotificationError> {
    verify_notification(
        antom_public_key,
        request.method().as_str(),
        // The signed URI is the path (and query, if any) as requested.
        request
            .uri()
            .path_and_query()
            .map_or(request.uri().path(), |p| p.as_str()),
        request
            .headers()
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_bytes())),
        request.body().as_ref(),
        options,
    )
}

/// Antom's acknowledgement as an `http::Response`: HTTP 200 with
/// [`ACKNOWLEDGEMENT_BODY`].
pub fn acknowledgement_response() -> http::Response<String> {
    let mut response = http::Response::new(ACKNOWLEDGEMENT_BODY.to_owned());
    response.headers_mut().insert(
        http::header::CONTENT_TYPE,
        http::HeaderValue::from_static("application/json; charset=UTF-8"),
    );
    response
}

/// Verifies a notification and parses its envelope.
///
/// Content checked: `<method> <path>\n<client-id>.<request-time>.<raw body>`
/// with the notification's own `client-id` and `request-time` headers.
pub fn verify_notification<I, K, V>(
    antom_public_key: &PublicKey,
    method: &str,
    path: &str,
    headers: I,
    body: &[u8],
    options: &NotificationOptions,
) -> Result<VerifiedNotification, NotificationError>
where
    I: IntoIterator<Item = (K, V)>,
    K: AsRef<str>,
    V: AsRef<[u8]>,
{
    let mut client_id = None;
    let mut request_time = None;
    let mut signature = None;
    for (k, v) in headers {
        let name = k.as_ref();
        let slot = if name.eq_ignore_ascii_case("client-id") {
            (&mut client_id, "client-id")
        } else if name.eq_ignore_ascii_case("request-time") {
            (&mut request_time, "request-time")
        } else if name.eq_ignore_ascii_case("signature") {
            (&mut signature, "signature")
        } else {
            continue;
        };
        let value = std::str::from_utf8(v.as_ref())
            .map_err(|_| NotificationError::BadHeader(slot.1))?
            .trim()
            .to_owned();
        if !value.is_empty() && slot.0.is_none() {
            *slot.0 = Some(value);
        }
    }
    let client_id = client_id.ok_or(NotificationError::MissingHeader("client-id"))?;
    let request_time = request_time.ok_or(NotificationError::MissingHeader("request-time"))?;
    let signature = signature.ok_or(NotificationError::MissingHeader("signature"))?;
    if let Some(expected) = &options.expected_client_id {
        if expected != &client_id {
            return Err(NotificationError::WrongClientId {
                expected: expected.clone(),
                got: client_id,
            });
        }
    }
    let input = SignInput {
        method,
        path,
        client_id: &client_id,
        time: &request_time,
        body,
    };
    signing::verify_with(options.backend, antom_public_key, &input, &signature)?;
    if let Some(tolerance) = options.request_time_tolerance {
        check_age(&request_time, tolerance, SystemTime::now())?;
    }
    parse_verified(client_id, request_time, body)
}

/// Refuses a signed `request-time` more than `tolerance` away from `now`.
fn check_age(
    request_time: &str,
    tolerance: Duration,
    now: SystemTime,
) -> Result<(), NotificationError> {
    use crate::timestamp::{check_fresh, NotFresh};
    check_fresh(request_time, now, now, tolerance).map_err(|e| match e {
        NotFresh::Unreadable(e) => NotificationError::UnreadableRequestTime(e),
        NotFresh::Outside { value, off_by } => NotificationError::Stale {
            request_time: value,
            off_by,
            tolerance,
        },
    })
}

fn parse_verified(
    client_id: String,
    request_time: String,
    body: &[u8],
) -> Result<VerifiedNotification, NotificationError> {
    let json: serde_json::Value =
        serde_json::from_slice(body).map_err(|e| NotificationError::NotJson(e.to_string()))?;
    if !json.is_object() {
        return Err(NotificationError::NotJson("not an object".into()));
    }
    let envelope: NotificationEnvelope =
        serde_json::from_value(json.clone()).map_err(|e| NotificationError::Payload {
            kind: "notification envelope",
            message: e.to_string(),
        })?;
    Ok(VerifiedNotification {
        client_id,
        request_time,
        envelope,
        json,
        raw_body: body.to_vec(),
    })
}

/// Remembers which notifications were processed, so that redeliveries are
/// acknowledged without being processed again.
///
/// Protocol: `claim(key)`; if it returns `true`, process, then acknowledge;
/// if processing fails, `release(key)` and reply non-200 so that Antom
/// resends. If it returns `false`, the notification is (being) processed:
/// acknowledge without processing.
///
/// Implement it over your database (a unique index on the key) for
/// multi-instance deployments; [`InMemoryDeduplicator`] serves one process.
pub trait Deduplicator: Send + Sync {
    /// Atomically claims `key`; `true` when no unexpired claim existed.
    fn claim(&self, key: &str) -> bool;
    /// Drops a claim after processing failed.
    fn release(&self, key: &str);
}

/// An in-process [`Deduplicator`] whose claims expire after a TTL (default
/// [`InMemoryDeduplicator::DEFAULT_TTL`], 6 days) and that holds at most
/// `capacity` claims (default [`InMemoryDeduplicator::DEFAULT_CAPACITY`]).
///
/// Claims are kept in expiry order, so expired ones are dropped from the
/// front as new keys are claimed: a claim costs O(1) amortised, whatever the
/// number of entries. When the deduplicator is full the oldest claim is
/// evicted (a redelivery of that notification would then be processed again,
/// never lost). Uses tokio's clock (pausable in tests). A TTL too large for
/// the clock (`Duration::MAX`) means "never expires".
#[derive(Debug)]
pub struct InMemoryDeduplicator {
    ttl: Duration,
    capacity: usize,
    state: Mutex<DedupState>,
}

#[derive(Debug, Default)]
struct DedupState {
    /// Key → expiry of its live claim.
    expiry: HashMap<String, Instant>,
    /// `(expiry, key)` in claim order, which is expiry order because the TTL
    /// is fixed. May hold stale rows for released or re-claimed keys; they
    /// are recognised by an expiry that no longer matches.
    order: std::collections::VecDeque<(Instant, String)>,
}

impl DedupState {
    /// Drops the front row, and its claim when the row is the claim's own.
    fn pop_front(&mut self) {
        if let Some((at, key)) = self.order.pop_front() {
            if self.expiry.get(&key) == Some(&at) {
                self.expiry.remove(&key);
            }
        }
    }
}

impl Default for InMemoryDeduplicator {
    fn default() -> Self {
        InMemoryDeduplicator::new(Self::DEFAULT_TTL)
    }
}

impl InMemoryDeduplicator {
    /// The default TTL: twice [`DEFAULT_NOTIFICATION_TOLERANCE`]. A delivery
    /// is accepted while its `request-time` is within the tolerance on
    /// either side of the clock, so two accepted deliveries of one
    /// notification lie at most twice the tolerance apart; the claim of the
    /// first outlives every acceptable replay.
    pub const DEFAULT_TTL: Duration =
        Duration::from_secs(2 * DEFAULT_NOTIFICATION_TOLERANCE.as_secs());

    /// The default capacity: 262,144 claims (a few tens of MiB).
    pub const DEFAULT_CAPACITY: usize = 1 << 18;

    /// A deduplicator with the given TTL and the default capacity.
    pub fn new(ttl: Duration) -> Self {
        InMemoryDeduplicator::with_capacity(ttl, Self::DEFAULT_CAPACITY)
    }

    /// A deduplicator with the given TTL holding at most `capacity` claims
    /// (at least one).
    pub fn with_capacity(ttl: Duration, capacity: usize) -> Self {
        InMemoryDeduplicator {
            ttl,
            capacity: capacity.max(1),
            state: Mutex::new(DedupState::default()),
        }
    }

    /// Number of unexpired claims.
    pub fn len(&self) -> usize {
        let now = Instant::now();
        self.lock().expiry.values().filter(|&&t| now < t).count()
    }

    /// Whether there are no unexpired claims.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, DedupState> {
        // A poisoned lock only means a panic elsewhere; the state is still valid.
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }
}

impl Deduplicator for InMemoryDeduplicator {
    fn claim(&self, key: &str) -> bool {
        let now = Instant::now();
        let mut state = self.lock();
        while state.order.front().is_some_and(|(at, _)| *at <= now) {
            state.pop_front();
        }
        if state.expiry.get(key).is_some_and(|&expiry| now < expiry) {
            return false;
        }
        while state.expiry.len() >= self.capacity || state.order.len() >= 2 * self.capacity {
            state.pop_front();
        }
        let expiry = crate::retry::saturating_deadline(now, self.ttl);
        state.expiry.insert(key.to_owned(), expiry);
        state.order.push_back((expiry, key.to_owned()));
        true
    }

    fn release(&self, key: &str) {
        self.lock().expiry.remove(key);
    }
}
