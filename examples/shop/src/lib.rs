//! A card shop on Antom, end to end: the recipe of `docs/card-payments.md`
//! (card payments through Antom's web or mobile SDK, authorisation then
//! capture) as a small axum app.
//!
//! Place in the data path: an integrator's application on top of the
//! generated client (`antom`), its axum webhook and the notification store
//! (`antom-store`).
//!
//! The flow, and what the shop trusts at each step:
//!
//! 1. `POST /orders` creates an order and a payment session
//!    (`createPaymentSession`, product `CASHIER_PAYMENT`, with
//!    `paymentFactor.isAuthorization = true` and `captureMode = MANUAL`: the
//!    card is authorised, the money taken only on the shop's capture). The shop hands `paymentSessionData` to
//!    the buyer's SDK. The order's id is the `paymentRequestId`: one order,
//!    one payment, and a retried call cannot pay twice.
//! 2. The buyer pays in the SDK. The SDK's callback says nothing the shop
//!    may trust: the **signed `notifyPayment`** on the webhook (verified by
//!    [`antom::webhook::AntomNotification`]) or an **`inquiryPayment`** does.
//! 3. On an authorised payment the shop captures (`capture`, with a
//!    `captureRequestId` derived from the order, so a redelivered
//!    notification or a retried capture is the same capture). A capture in
//!    process is settled by `notifyCapture`.
//! 4. `GET /orders/{id}` inquires (`inquiryPayment`) while the order still
//!    awaits its payment: the fallback when a notification is late or lost.
//! 5. `POST /orders/{id}/refund` refunds a captured order (`refundRequestId`
//!    derived from the order).
//!
//! Each notification is handled exactly once, across restarts and replicas:
//! the webhook claims its dedup key in the [`NotificationStore`], acts, then
//! completes the claim; a delivery that fails releases it and is answered
//! "not acknowledged", so Antom delivers it again. Orders are kept in memory
//! here; a real shop keeps them in its database, next to the notification
//! store.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use antom::enums::TransactionStatus;
use antom::models::{
    Amount, CaptureRequest, CreatePaymentSessionRequest, InquiryPaymentRequest,
    Order as AntomOrder, PaymentFactor, RefundRequest,
};
use antom::notifications::Notification;
use antom::webhook::{Acknowledge, AntomNotification, Webhook};
use antom_runtime::{Outcome, ResultStatus};
use antom_store::{handle_once, NotificationStore};
use axum::extract::{FromRef, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};

/// How long one delivery may hold a notification's claim.
pub const NOTIFICATION_LEASE: Duration = Duration::from_secs(60);

/// Where an order stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum OrderStatus {
    /// The session is open; the buyer has not paid (or we have not heard).
    AwaitingPayment,
    /// The card is authorised; the capture is asked for or in process.
    Authorised,
    /// The money is taken.
    Captured,
    /// The payment failed or was closed.
    Failed,
    /// Refunded.
    Refunded,
}

/// An order of the shop.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Order {
    /// The shop's id, used as Antom's `paymentRequestId`.
    pub id: String,
    /// What the buyer pays.
    pub amount: Amount,
    /// Where it stands.
    pub status: OrderStatus,
    /// Antom's payment id, once known.
    pub payment_id: Option<String>,
}

/// What the capture request id of an order adds to the order's id.
const CAPTURE_SUFFIX: &str = "-capture";

impl Order {
    fn capture_request_id(&self) -> String {
        format!("{}{CAPTURE_SUFFIX}", self.id)
    }

    fn refund_request_id(&self) -> String {
        format!("{}-refund", self.id)
    }
}

/// What went wrong in a shop operation.
#[derive(Debug, thiserror::Error)]
pub enum ShopError {
    /// No such order.
    #[error("no order `{0}`")]
    NoOrder(String),
    /// The order is not in a state that allows it.
    #[error("order `{id}` is {status:?}: cannot {operation}")]
    WrongState {
        /// The order.
        id: String,
        /// Its state.
        status: OrderStatus,
        /// What was asked.
        operation: &'static str,
    },
    /// The call could not be made (signing, transport, a response that did
    /// not verify).
    #[error("Antom call failed: {0}")]
    Call(#[from] antom_runtime::Error),
    /// Antom refused.
    #[error("Antom refused {endpoint}: {code}")]
    Refused {
        /// The endpoint.
        endpoint: &'static str,
        /// Its result code.
        code: String,
    },
    /// The result is not known yet (to be retried with the same request id).
    #[error("{endpoint}: result unknown, retry later with the same request id")]
    Unknown {
        /// The endpoint.
        endpoint: &'static str,
    },
}

impl IntoResponse for ShopError {
    fn into_response(self) -> Response {
        let status = match &self {
            ShopError::NoOrder(_) => StatusCode::NOT_FOUND,
            ShopError::WrongState { .. } => StatusCode::CONFLICT,
            ShopError::Refused { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            ShopError::Call(_) | ShopError::Unknown { .. } => StatusCode::BAD_GATEWAY,
        };
        (status, self.to_string()).into_response()
    }
}

/// The shop: an Antom client, its orders and the notification store.
pub struct Shop<S> {
    client: antom::Client,
    store: S,
    orders: Mutex<HashMap<String, Order>>,
    notify_url: String,
    redirect_url: String,
}

impl<S: NotificationStore> Shop<S> {
    /// A shop calling Antom through `client`, remembering handled
    /// notifications in `store`, asking Antom to notify `notify_url` (the
    /// public URL of its `/antom/notify`) and sending the buyer back to
    /// `redirect_url`.
    pub fn new(client: antom::Client, store: S, notify_url: String, redirect_url: String) -> Self {
        Shop {
            client,
            store,
            orders: Mutex::new(HashMap::new()),
            notify_url,
            redirect_url,
        }
    }

    /// The order `id`, as it stands.
    pub fn order(&self, id: &str) -> Result<Order, ShopError> {
        self.with_order(id, |o| o.clone())
    }

    /// Moves order `id` from `from` to `to`, and only from there: answers
    /// arrive in any order (a capture's notification after its refund), and
    /// a late one must not move an order back.
    fn advance(&self, id: &str, from: OrderStatus, to: OrderStatus) -> Result<(), ShopError> {
        self.with_order(id, |o| {
            if o.status == from {
                o.status = to;
            }
        })
    }

    fn with_order<T>(&self, id: &str, f: impl FnOnce(&mut Order) -> T) -> Result<T, ShopError> {
        let mut orders = self.orders.lock().unwrap_or_else(|e| e.into_inner());
        orders
            .get_mut(id)
            .map(f)
            .ok_or_else(|| ShopError::NoOrder(id.to_owned()))
    }

    /// Creates order `id` and its payment session; returns the
    /// `paymentSessionData` for the buyer's SDK.
    pub async fn checkout(&self, id: &str, amount: Amount) -> Result<String, ShopError> {
        let mut request = CreatePaymentSessionRequest::new(
            antom::enums::ProductCodeType::CashierPayment,
            id,
            AntomOrder::new(id, "Order from the example shop", amount.clone()),
            amount.clone(),
            format!("{}?order={id}", self.redirect_url),
        );
        request.payment_notify_url = Some(self.notify_url.clone());
        let mut factor = PaymentFactor::new();
        factor.is_authorization = Some(true);
        // The shop captures itself, once the authorisation is notified.
        factor.capture_mode = Some("MANUAL".to_owned());
        request.payment_factor = Some(factor);
        {
            let mut orders = self.orders.lock().unwrap_or_else(|e| e.into_inner());
            orders.entry(id.to_owned()).or_insert_with(|| Order {
                id: id.to_owned(),
                amount,
                status: OrderStatus::AwaitingPayment,
                payment_id: None,
            });
        }
        let response = self
            .client
            .payments()
            .create_payment_session(&request)
            .await?;
        match response.outcome {
            Outcome::Success(session) => session.payment_session_data.ok_or(ShopError::Refused {
                endpoint: "createPaymentSession",
                code: "no paymentSessionData".to_owned(),
            }),
            Outcome::Failed(f) => Err(ShopError::Refused {
                endpoint: "createPaymentSession",
                code: f.code.to_string(),
            }),
            Outcome::Unknown(_) => Err(ShopError::Unknown {
                endpoint: "createPaymentSession",
            }),
        }
    }

    /// A verified notification, handled once: the caller acknowledges when
    /// this returns `Ok(true)`.
    pub async fn on_notification(
        &self,
        n: &AntomNotification,
    ) -> Result<bool, antom_store::StoreError> {
        let key = n.verified.dedup_key();
        let handled = handle_once(&self.store, &key, NOTIFICATION_LEASE, || {
            self.act_on(&n.notification)
        })
        .await?;
        Ok(handled.acknowledge())
    }

    async fn act_on(&self, notification: &Notification) -> Result<(), ShopError> {
        match notification {
            Notification::NotifyPayment(p) => {
                let Some(id) = p.payment_request_id.as_deref() else {
                    return Ok(());
                };
                // PAYMENT_PENDING (with S) says nothing final yet.
                if p.notify_type.as_deref() == Some("PAYMENT_PENDING") {
                    return Ok(());
                }
                self.payment_settled(id, &p.result.result_status, p.payment_id.clone())
                    .await
            }
            Notification::NotifyCapture(c) => {
                let Some(id) = c.payment_request_id.as_deref().or_else(|| {
                    c.capture_request_id
                        .as_deref()
                        .and_then(|r| r.strip_suffix(CAPTURE_SUFFIX))
                }) else {
                    return Ok(());
                };
                if c.result.result_status == ResultStatus::S {
                    self.advance(id, OrderStatus::Authorised, OrderStatus::Captured)?;
                }
                Ok(())
            }
            // Other kinds are not this shop's business: acknowledge them.
            _ => Ok(()),
        }
    }

    /// The payment of order `id` ended `status`: capture an authorisation,
    /// close a failure. Safe to run again (the capture request id is the
    /// order's).
    async fn payment_settled(
        &self,
        id: &str,
        status: &ResultStatus,
        payment_id: Option<String>,
    ) -> Result<(), ShopError> {
        let order = self.with_order(id, |o| {
            if o.payment_id.is_none() {
                o.payment_id = payment_id;
            }
            match status {
                ResultStatus::S if o.status == OrderStatus::AwaitingPayment => {
                    o.status = OrderStatus::Authorised
                }
                ResultStatus::F if o.status == OrderStatus::AwaitingPayment => {
                    o.status = OrderStatus::Failed
                }
                _ => {}
            }
            o.clone()
        })?;
        if order.status == OrderStatus::Authorised {
            self.capture(&order).await?;
        }
        Ok(())
    }

    async fn capture(&self, order: &Order) -> Result<(), ShopError> {
        let Some(payment_id) = order.payment_id.clone() else {
            return Err(ShopError::Unknown {
                endpoint: "capture",
            });
        };
        let request =
            CaptureRequest::new(order.capture_request_id(), payment_id, order.amount.clone());
        match self.client.payments().capture(&request).await?.outcome {
            // A capture in process is settled by notifyCapture.
            Outcome::Success(_) => {
                self.advance(&order.id, OrderStatus::Authorised, OrderStatus::Captured)?;
                Ok(())
            }
            Outcome::Failed(f) => Err(ShopError::Refused {
                endpoint: "capture",
                code: f.code.to_string(),
            }),
            Outcome::Unknown(_) => Ok(()),
        }
    }

    /// Order `id`, after asking Antom when it still awaits its payment (the
    /// fallback for a late or lost notifyPayment).
    pub async fn refresh(&self, id: &str) -> Result<Order, ShopError> {
        let order = self.order(id)?;
        if order.status != OrderStatus::AwaitingPayment {
            return Ok(order);
        }
        let mut request = InquiryPaymentRequest::new();
        request.payment_request_id = Some(id.to_owned());
        if let Outcome::Success(inquiry) = self
            .client
            .payments()
            .inquiry_payment(&request)
            .await?
            .outcome
        {
            let status = match inquiry.payment_status {
                Some(TransactionStatus::Success) => Some(ResultStatus::S),
                Some(TransactionStatus::Fail | TransactionStatus::Cancelled) => {
                    Some(ResultStatus::F)
                }
                _ => None,
            };
            if let Some(status) = status {
                self.payment_settled(id, &status, inquiry.payment_id.clone())
                    .await?;
            }
        }
        self.order(id)
    }

    /// Refunds captured order `id` in full.
    pub async fn refund(&self, id: &str) -> Result<Order, ShopError> {
        let order = self.order(id)?;
        let (OrderStatus::Captured, Some(payment_id)) = (order.status, order.payment_id.clone())
        else {
            return Err(ShopError::WrongState {
                id: id.to_owned(),
                status: order.status,
                operation: "refund",
            });
        };
        let request =
            RefundRequest::new(order.refund_request_id(), payment_id, order.amount.clone());
        match self.client.payments().refund(&request).await?.outcome {
            Outcome::Success(_) => {
                self.advance(id, OrderStatus::Captured, OrderStatus::Refunded)?;
                self.order(id)
            }
            Outcome::Failed(f) => Err(ShopError::Refused {
                endpoint: "refund",
                code: f.code.to_string(),
            }),
            Outcome::Unknown(_) => Err(ShopError::Unknown { endpoint: "refund" }),
        }
    }
}

/// The router's state: the shop and the webhook's verification.
pub struct AppState<S> {
    /// The shop.
    pub shop: Arc<Shop<S>>,
    /// Verifies notifications.
    pub webhook: Webhook,
}

impl<S> Clone for AppState<S> {
    fn clone(&self) -> Self {
        AppState {
            shop: self.shop.clone(),
            webhook: self.webhook.clone(),
        }
    }
}

impl<S> FromRef<AppState<S>> for Webhook {
    fn from_ref(state: &AppState<S>) -> Webhook {
        state.webhook.clone()
    }
}

/// `POST /orders` body.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NewOrder {
    /// The shop's order id.
    pub id: String,
    /// ISO 4217 currency.
    pub currency: String,
    /// Amount in the currency's smallest unit.
    pub value: String,
}

/// The shop's app: [`router`] over `shop`, its webhook verifying
/// notifications with `antom_public_key` and accepting only `client_id`'s.
pub fn app<S: NotificationStore + Send + Sync + 'static>(
    shop: Arc<Shop<S>>,
    antom_public_key: antom_runtime::PublicKey,
    client_id: &str,
) -> Router {
    let webhook = Webhook::new(
        antom_public_key,
        antom_runtime::notification::NotificationOptions::default().expect_client_id(client_id),
    );
    router(AppState { shop, webhook })
}

/// The shop's routes: `POST /orders`, `GET /orders/{id}`,
/// `POST /orders/{id}/refund`, and the webhook `POST /antom/notify`.
pub fn router<S: NotificationStore + Send + Sync + 'static>(state: AppState<S>) -> Router {
    Router::new()
        .route("/orders", post(checkout::<S>))
        .route("/orders/{id}", get(show::<S>))
        .route("/orders/{id}/refund", post(refund::<S>))
        .route("/antom/notify", post(notify::<S>))
        .with_state(state)
}

async fn checkout<S: NotificationStore>(
    State(state): State<AppState<S>>,
    Json(new): Json<NewOrder>,
) -> Result<Json<serde_json::Value>, ShopError> {
    let data = state
        .shop
        .checkout(&new.id, Amount::new(new.currency, new.value))
        .await?;
    Ok(Json(
        serde_json::json!({"orderId": new.id, "paymentSessionData": data}),
    ))
}

async fn show<S: NotificationStore>(
    State(state): State<AppState<S>>,
    Path(id): Path<String>,
) -> Result<Json<Order>, ShopError> {
    state.shop.refresh(&id).await.map(Json)
}

async fn refund<S: NotificationStore>(
    State(state): State<AppState<S>>,
    Path(id): Path<String>,
) -> Result<Json<Order>, ShopError> {
    state.shop.refund(&id).await.map(Json)
}

/// Acknowledges a verified notification once it is handled (now or
/// before); anything else is answered 503, so Antom delivers it again.
async fn notify<S: NotificationStore>(
    State(state): State<AppState<S>>,
    notification: AntomNotification,
) -> Response {
    match state.shop.on_notification(&notification).await {
        Ok(true) => Acknowledge.into_response(),
        Ok(false) => StatusCode::SERVICE_UNAVAILABLE.into_response(),
        Err(e) => (StatusCode::SERVICE_UNAVAILABLE, e.to_string()).into_response(),
    }
}
