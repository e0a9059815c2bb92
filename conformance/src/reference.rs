//! The reference implementation: the generated client `antom` over the
//! runtime `antom-runtime`.

use std::time::Duration;

use antom_runtime::classify::{classify, Classification, Observed};
use antom_runtime::notification::{
    verify_notification, Deduplicator, InMemoryDeduplicator, NotificationOptions,
    ACKNOWLEDGEMENT_BODY,
};
use antom_runtime::signing::{self, SignInput};
use antom_runtime::verify::{self, CalledEndpoint, ResponseHeaders};
use antom_runtime::{
    Backend, BusinessOutcome, BusinessStatus, ClientConfig, EndpointDef, Error, Outcome,
    PrivateKey, PublicKey, RetryPolicy, UnknownReason,
};

pub use crate::case::spec_tables;
use crate::protocol::{
    BoxFuture, CallRequest, CallResponse, Capability, ClassifyRequest, ClassifyResponse, Hello,
    ImplError, Implementation, RetryHint, SignRequest, SignResponse, VerifyNotificationRequest,
    VerifyNotificationResponse, VerifyResponseRequest, VerifyResponseResponse,
};

/// The reference implementation (stateless except for notification
/// deduplication).
#[derive(Debug, Default)]
pub struct ReferenceImplementation {
    dedup: InMemoryDeduplicator,
}

impl ReferenceImplementation {
    /// A fresh instance.
    pub fn new() -> Self {
        Self::default()
    }
}

fn endpoint(name: &str) -> Result<&'static EndpointDef, ImplError> {
    antom::endpoints::by_name(name)
        .ok_or_else(|| ImplError::Failed(format!("the spec has no endpoint `{name}`")))
}

fn failed(e: impl std::fmt::Display) -> ImplError {
    ImplError::Failed(e.to_string())
}

/// The runtime retry policy for a hint of the runner.
pub fn retry_policy(hint: &RetryHint) -> RetryPolicy {
    let base = Duration::from_millis(hint.initial_backoff_ms);
    RetryPolicy {
        max_attempts: hint.max_attempts.max(1),
        base_delay: base,
        max_delay: Duration::from_millis(hint.max_backoff_ms.max(hint.initial_backoff_ms)),
        min_delay: base,
        rate_limit_min_delay: base,
        deadline: Some(Duration::from_millis(hint.total_timeout_ms)),
    }
}

fn business(outcome: Option<BusinessOutcome>) -> Option<String> {
    outcome.map(|b| b.as_str().to_owned())
}

fn transaction_outcomes(endpoint: &str, body: &str) -> Vec<String> {
    if endpoint != "inquiryPayment" {
        return Vec::new();
    }
    serde_json::from_str::<antom::models::InquiryPaymentResponse>(body)
        .ok()
        .and_then(|r| r.transactions)
        .unwrap_or_default()
        .iter()
        .map(|t| business(t.transaction_status.outcome()).unwrap_or_else(|| "unknown".to_owned()))
        .collect()
}

fn business_outcome(endpoint: &str, body: &str) -> Option<String> {
    match endpoint {
        "inquiryPayment" => serde_json::from_str::<antom::models::InquiryPaymentResponse>(body)
            .ok()
            .and_then(|r| business(r.business_outcome())),
        "inquiryRefund" => serde_json::from_str::<antom::models::InquiryRefundResponse>(body)
            .ok()
            .and_then(|r| business(r.business_outcome())),
        _ => None,
    }
}

async fn call(req: CallRequest) -> Result<CallResponse, ImplError> {
    let ep = endpoint(&req.endpoint)?;
    let config = ClientConfig::builder()
        .client_id(req.client_id.clone())
        .merchant_private_key(
            PrivateKey::from_pem_or_base64(&req.merchant_private_key).map_err(failed)?,
        )
        .antom_public_key(PublicKey::from_pem_or_base64(&req.antom_public_key).map_err(failed)?)
        .gateway_url(req.base_url.clone())
        .attempt_timeout(Duration::from_millis(req.retry.attempt_timeout_ms.max(1)))
        .connect_timeout(Duration::from_millis(req.retry.attempt_timeout_ms.max(1)))
        .retry_policy(retry_policy(&req.retry))
        .build()
        .map_err(failed)?;
    let client = antom::Client::new(config).map_err(failed)?;
    // Typed mode: the request goes through the endpoint's own request model
    // and path; a request that does not fit the model (or breaks its length
    // limits) is sent as given instead, and the reply says which.
    let (result, typed) = match client.call_json(ep, req.request.clone()).await {
        Err(Error::InvalidRequest { .. }) => {
            let body = serde_json::to_vec(&req.request).map_err(failed)?;
            (client.runtime().execute_raw(ep, body).await, false)
        }
        other => (other.map(|r| r.map_code(|c| c.as_str().to_owned())), true),
    };
    match result {
        Ok(resp) => {
            let (code, detail) = match &resp.outcome {
                Outcome::Success(v) => (
                    v.pointer("/result/resultCode")
                        .and_then(|c| c.as_str())
                        .map(str::to_owned),
                    None,
                ),
                Outcome::Failed(f) => (Some(f.result.result_code.clone()), None),
                Outcome::Unknown(u) => match &u.reason {
                    UnknownReason::Status(r) => (Some(r.result_code.clone()), None),
                    other => (None, Some(format!("{other:?}"))),
                },
            };
            Ok(CallResponse {
                outcome: resp.outcome.kind().to_owned(),
                result_code: code,
                action: Some(resp.outcome.action().as_str().to_owned()),
                detail,
                typed,
            })
        }
        Err(e @ (Error::Security { .. } | Error::InvalidResponse { .. })) => Ok(CallResponse {
            outcome: "rejected".into(),
            result_code: None,
            action: None,
            detail: Some(e.to_string()),
            typed,
        }),
        Err(e) => Err(failed(e)),
    }
}

impl Implementation for ReferenceImplementation {
    fn name(&self) -> String {
        "reference (antom + antom-runtime)".into()
    }

    fn hello(&self) -> BoxFuture<'_, Result<Hello, ImplError>> {
        Box::pin(async {
            Ok(Hello {
                implementation: "antom + antom-runtime (Rust)".into(),
                version: Some(env!("CARGO_PKG_VERSION").into()),
                capabilities: Capability::ALL.to_vec(),
            })
        })
    }

    fn sign(&self, req: SignRequest) -> BoxFuture<'_, Result<SignResponse, ImplError>> {
        Box::pin(async move {
            let key = PrivateKey::from_pem_or_base64(&req.merchant_private_key).map_err(failed)?;
            let input = SignInput {
                method: &req.method,
                path: &req.path,
                client_id: &req.client_id,
                time: &req.request_time,
                body: req.body.as_bytes(),
            };
            let signature =
                signing::sign(&key, signing::DEFAULT_KEY_VERSION, &input).map_err(failed)?;
            Ok(SignResponse { signature })
        })
    }

    fn call(&self, req: CallRequest) -> BoxFuture<'_, Result<CallResponse, ImplError>> {
        Box::pin(call(req))
    }

    fn verify_response(
        &self,
        req: VerifyResponseRequest,
    ) -> BoxFuture<'_, Result<VerifyResponseResponse, ImplError>> {
        Box::pin(async move {
            let key = PublicKey::from_pem_or_base64(&req.antom_public_key).map_err(failed)?;
            let header = |name: &str| {
                req.headers
                    .iter()
                    .find(|(k, _)| k.eq_ignore_ascii_case(name))
                    .map(|(_, v)| v.as_str())
            };
            let verdict = verify::verify_response(
                Backend::default(),
                &key,
                &CalledEndpoint {
                    method: "POST",
                    path: &req.path,
                    client_id: &req.client_id,
                },
                ResponseHeaders {
                    signature: header("signature"),
                    response_time: header("response-time"),
                },
                req.body.as_bytes(),
            );
            Ok(match verdict {
                Ok(_) => VerifyResponseResponse {
                    accepted: true,
                    reason: None,
                },
                Err(e) => VerifyResponseResponse {
                    accepted: false,
                    reason: Some(e.to_string()),
                },
            })
        })
    }

    fn verify_notification(
        &self,
        req: VerifyNotificationRequest,
    ) -> BoxFuture<'_, Result<VerifyNotificationResponse, ImplError>> {
        Box::pin(async move {
            let key = PublicKey::from_pem_or_base64(&req.antom_public_key).map_err(failed)?;
            let options = NotificationOptions::default().expect_client_id(req.client_id.clone());
            match verify_notification(
                &key,
                "POST",
                &req.path,
                req.headers.iter(),
                req.body.as_bytes(),
                &options,
            ) {
                Ok(n) => {
                    let processed = self
                        .dedup
                        .claim(&format!("{}|{}", req.scope, n.dedup_key()));
                    Ok(VerifyNotificationResponse {
                        status: 200,
                        body: ACKNOWLEDGEMENT_BODY.to_owned(),
                        processed,
                    })
                }
                Err(e) => Ok(VerifyNotificationResponse {
                    status: 401,
                    body: serde_json::json!({"result": {
                        "resultCode": "INVALID_SIGNATURE",
                        "resultStatus": "F",
                        "resultMessage": e.to_string(),
                    }})
                    .to_string(),
                    processed: false,
                }),
            }
        })
    }

    fn classify(&self, req: ClassifyRequest) -> BoxFuture<'_, Result<ClassifyResponse, ImplError>> {
        Box::pin(async move {
            let ep = endpoint(&req.endpoint)?;
            let result = verify::peek_result(req.body.as_bytes())
                .map_err(failed)?
                .ok_or_else(|| ImplError::Failed("the body has no result object".into()))?;
            let c = classify(ep, Observed::Result(result));
            let outcome = match &c {
                Classification::Success => "success",
                Classification::Failed { .. } => "failed",
                Classification::Unknown(_) => "unknown",
            };
            let success = matches!(c, Classification::Success);
            let business_outcome = success
                .then(|| business_outcome(&req.endpoint, &req.body))
                .flatten();
            let transaction_outcomes = if success {
                transaction_outcomes(&req.endpoint, &req.body)
            } else {
                Vec::new()
            };
            Ok(ClassifyResponse {
                outcome: outcome.into(),
                action: c.action().as_str().into(),
                business_outcome,
                transaction_outcomes,
            })
        })
    }
}
