//! wiremock building blocks that speak Antom: a responder that signs its
//! replies like Antom's gateway (every signing mode the kit knows) and
//! answers `INVALID_SIGNATURE` to a request whose signature does not verify,
//! a matcher that verifies a request's signature, and helpers to mount a
//! reply on a spec endpoint's path (sandbox rule applied).
//!
//! They share the kit's reply signing ([`build_reply`](crate::gateway::build_reply)) and request check
//! ([`check_request`]) with its own mock gateway, so a test double and the
//! conformance suite judge and sign exactly alike.
//!
//! ```no_run
//! # async fn demo() {
//! use antom_conformance::gateway::Reply;
//! use antom_conformance::wiremock::{mount, AntomResponder};
//! use serde_json::json;
//!
//! let server = wiremock::MockServer::start().await;
//! // U first, then S: the client under test must retry with the same request.
//! let responder = AntomResponder::sequence(vec![
//!     Reply::result("U", "UNKNOWN_EXCEPTION", json!({})),
//!     Reply::result("S", "SUCCESS", json!({"paymentId": "2026010100001"})),
//! ]);
//! mount(&server, "capture", "SANDBOX_5X00000000000000", responder).await.unwrap();
//! // Point the client under test at `server.uri()` with the merchant test key
//! // (`TestKeys::merchant_private_base64`) and Antom's test public key.
//! # }
//! ```

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use ::wiremock::{Match, Mock, MockServer, Request, Respond, ResponseTemplate};

use crate::crypto::TestKeys;
use crate::gateway::{check_request, reply_template, Captured, Reply, Signing};

/// The client id a reply is signed for when the request names none.
const FALLBACK_CLIENT_ID: &str = crate::case::SANDBOX_CLIENT_ID;

/// The embedded test keys: compile-time constants that the kit's tests load
/// on every run, so loading them cannot fail at run time.
fn embedded_keys() -> TestKeys {
    TestKeys::load().expect("the embedded test keys are valid")
}

/// Why a request's signature was refused, one entry per refused request.
#[derive(Debug, Clone, Default)]
pub struct Refusals(Arc<Mutex<Vec<String>>>);

impl Refusals {
    /// The reasons recorded so far.
    pub fn reasons(&self) -> Vec<String> {
        self.0.lock().map(|r| r.clone()).unwrap_or_default()
    }

    fn record(&self, reason: String) {
        if let Ok(mut r) = self.0.lock() {
            r.push(reason);
        }
    }
}

/// Answers like Antom's gateway: verifies the request's signature with the
/// merchant test key exactly as Antom reads it (an unsigned `F
/// INVALID_SIGNATURE` naming the reason when it fails), then serves its
/// replies in order (the last one repeats), each signed with the Antom test
/// key over the request's path and client id, as its [`Signing`] mode says.
pub struct AntomResponder {
    replies: Vec<Reply>,
    next: AtomicUsize,
    keys: TestKeys,
    verify: bool,
    refusals: Refusals,
}

impl AntomResponder {
    /// Always `reply`.
    pub fn new(reply: Reply) -> Self {
        AntomResponder::sequence(vec![reply])
    }

    /// `replies` in order, the last one repeating (an empty list answers
    /// `SUCCESS`).
    pub fn sequence(replies: Vec<Reply>) -> Self {
        let replies = if replies.is_empty() {
            vec![Reply::result("S", "SUCCESS", serde_json::json!({}))]
        } else {
            replies
        };
        AntomResponder {
            replies,
            next: AtomicUsize::new(0),
            keys: embedded_keys(),
            verify: true,
            refusals: Refusals::default(),
        }
    }

    /// Serve the replies whatever the request's signature.
    pub fn without_verification(mut self) -> Self {
        self.verify = false;
        self
    }

    /// The reasons of the requests refused so far (shared: keep a clone
    /// before mounting the responder).
    pub fn refusals(&self) -> Refusals {
        self.refusals.clone()
    }
}

impl Respond for AntomResponder {
    fn respond(&self, req: &Request) -> ResponseTemplate {
        let cap = Captured::from_wiremock(req);
        if self.verify {
            if let Err(reason) = check_request(&self.keys, &cap) {
                self.refusals.record(reason.clone());
                let refused = Reply::result("F", "INVALID_SIGNATURE", serde_json::json!({}));
                let mut body: serde_json::Value =
                    serde_json::from_str(&refused.body).unwrap_or_default();
                body["result"]["resultMessage"] = reason.into();
                return template(
                    &self.keys,
                    &cap,
                    &Reply::raw(200, body.to_string(), Signing::Unsigned),
                );
            }
        }
        let i = self.next.fetch_add(1, Ordering::SeqCst);
        let reply = &self.replies[i.min(self.replies.len() - 1)];
        template(&self.keys, &cap, reply)
    }
}

/// The response of `reply` to the request `cap`, signed over its path and
/// client id as [`build_reply`](crate::gateway::build_reply) does.
pub(crate) fn template(keys: &TestKeys, cap: &Captured, reply: &Reply) -> ResponseTemplate {
    let client_id = cap.header("client-id").unwrap_or(FALLBACK_CLIENT_ID);
    let path = cap.path.split('?').next().unwrap_or_default();
    reply_template(keys, path, client_id, reply)
}

/// Matches a request whose Antom signature verifies with the merchant test
/// key, read exactly as Antom's gateway reads it; records why the others do
/// not.
#[derive(Debug, Clone)]
pub struct SignedByMerchant {
    keys: TestKeys,
    refusals: Refusals,
}

impl SignedByMerchant {
    /// A matcher with the embedded merchant test key.
    pub fn test_key() -> Self {
        SignedByMerchant {
            keys: embedded_keys(),
            refusals: Refusals::default(),
        }
    }

    /// The reasons of the requests it refused (shared with its clones).
    pub fn refusals(&self) -> Refusals {
        self.refusals.clone()
    }
}

impl Match for SignedByMerchant {
    fn matches(&self, req: &Request) -> bool {
        match check_request(&self.keys, &Captured::from_wiremock(req)) {
            Ok(()) => true,
            Err(reason) => {
                self.refusals.record(reason);
                false
            }
        }
    }
}

/// No endpoint of the spec has this name.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the spec has no endpoint `{0}`")]
pub struct UnknownEndpoint(pub String);

/// The path a client with `client_id` calls for the spec endpoint
/// `endpoint` (the sandbox rule applied).
pub fn endpoint_path(endpoint: &str, client_id: &str) -> Result<String, UnknownEndpoint> {
    let ep =
        antom::endpoints::by_name(endpoint).ok_or_else(|| UnknownEndpoint(endpoint.to_owned()))?;
    Ok(antom::SANDBOX_RULE.path_for(ep, client_id))
}

/// Mounts `responder` on `POST` of the spec endpoint's path for
/// `client_id`.
pub async fn mount(
    server: &MockServer,
    endpoint: &str,
    client_id: &str,
    responder: AntomResponder,
) -> Result<(), UnknownEndpoint> {
    let path = endpoint_path(endpoint, client_id)?;
    Mock::given(::wiremock::matchers::method("POST"))
        .and(::wiremock::matchers::path(path))
        .respond_with(responder)
        .mount(server)
        .await;
    Ok(())
}
