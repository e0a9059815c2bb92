//! An axum webhook for Antom's notifications (feature `axum`).
//!
//! [`AntomNotification`] is an extractor: it reads the exact body, verifies
//! the notification (signature, client id, time tolerance) with the
//! [`Webhook`] in the router's state, and parses it into the typed
//! [`Notification`]. A delivery it refuses is answered with a status other
//! than 200, so Antom delivers it again; [`Acknowledge`] writes Antom's exact
//! acknowledgement. Without axum, use
//! [`antom_runtime::notification::verify_http_request`] on an
//! `http::Request` and [`Notification::parse`].
//!
//! ```no_run
//! use antom::webhook::{Acknowledge, AntomNotification, Webhook};
//! use antom_runtime::notification::NotificationOptions;
//! use axum::{routing::post, Router};
//!
//! async fn notify(n: AntomNotification) -> Acknowledge {
//!     // Deduplicate on n.verified.dedup_key(), act once, then acknowledge.
//!     println!("{:?}", n.notification.kind());
//!     Acknowledge
//! }
//!
//! # fn demo(antom_public_key: antom_runtime::PublicKey) {
//! let webhook = Webhook::new(antom_public_key, NotificationOptions::default());
//! let app: Router = Router::new().route("/antom/notify", post(notify)).with_state(webhook);
//! # }
//! ```

use antom_runtime::notification::{
    verify_http_request, NotificationError, NotificationOptions, VerifiedNotification,
};
use antom_runtime::PublicKey;
use axum::body::Body;
use axum::extract::{FromRef, FromRequest, Request};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};

use crate::notifications::{Notification, ACKNOWLEDGEMENT_BODY, ACKNOWLEDGEMENT_HTTP_STATUS};

/// The largest notification body read (Antom's are a few kilobytes).
pub const MAX_NOTIFICATION_BYTES: usize = 1 << 20;

/// What a webhook needs: Antom's public key and the verification options
/// (expected client id, time tolerance). Put it in the router's state (or
/// make it `FromRef` of your state).
#[derive(Debug, Clone)]
pub struct Webhook {
    key: PublicKey,
    options: NotificationOptions,
}

impl Webhook {
    /// A webhook verifying with `antom_public_key`.
    pub fn new(antom_public_key: PublicKey, options: NotificationOptions) -> Self {
        Webhook {
            key: antom_public_key,
            options,
        }
    }
}

/// A verified, typed notification.
#[derive(Debug)]
pub struct AntomNotification {
    /// The typed payload.
    pub notification: Notification,
    /// What was verified (client id, request time, raw body, dedup key).
    pub verified: VerifiedNotification,
}

/// Why a delivery was refused: answered with a non-200 status (so Antom
/// delivers it again) and logged.
#[derive(Debug, thiserror::Error)]
pub enum WebhookRejection {
    /// The body could not be read (or is larger than
    /// [`MAX_NOTIFICATION_BYTES`]).
    #[error("cannot read the notification body: {0}")]
    Body(String),
    /// The notification does not verify.
    #[error(transparent)]
    Verify(NotificationError),
    /// Verified, but not a notification the spec knows the shape of.
    #[error(transparent)]
    Parse(NotificationError),
}

impl From<NotificationError> for WebhookRejection {
    fn from(e: NotificationError) -> Self {
        if e.is_body() {
            WebhookRejection::Parse(e)
        } else {
            WebhookRejection::Verify(e)
        }
    }
}

impl IntoResponse for WebhookRejection {
    fn into_response(self) -> Response {
        let status = match &self {
            WebhookRejection::Body(_) => StatusCode::BAD_REQUEST,
            WebhookRejection::Verify(_) => StatusCode::UNAUTHORIZED,
            WebhookRejection::Parse(_) => StatusCode::UNPROCESSABLE_ENTITY,
        };
        tracing::warn!(error = %self, "Antom notification refused; Antom will deliver it again");
        (status, self.to_string()).into_response()
    }
}

impl<S> FromRequest<S> for AntomNotification
where
    Webhook: FromRef<S>,
    S: Send + Sync,
{
    type Rejection = WebhookRejection;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let webhook = Webhook::from_ref(state);
        let (parts, body) = req.into_parts();
        let bytes = axum::body::to_bytes(body, MAX_NOTIFICATION_BYTES)
            .await
            .map_err(|e| WebhookRejection::Body(e.to_string()))?;
        let request = Request::from_parts(parts, bytes);
        let verified = verify_http_request(&webhook.key, &request, &webhook.options)?;
        let notification = Notification::parse(&verified.raw_body)?;
        Ok(AntomNotification {
            notification,
            verified,
        })
    }
}

/// Antom's exact acknowledgement (HTTP 200, the `SUCCESS` result body).
#[derive(Debug, Clone, Copy)]
pub struct Acknowledge;

impl IntoResponse for Acknowledge {
    fn into_response(self) -> Response {
        Response::builder()
            .status(ACKNOWLEDGEMENT_HTTP_STATUS)
            .header(header::CONTENT_TYPE, "application/json; charset=UTF-8")
            .body(Body::from(ACKNOWLEDGEMENT_BODY))
            .unwrap_or_else(|_| StatusCode::OK.into_response())
    }
}
