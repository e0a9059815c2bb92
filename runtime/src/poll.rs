//! Polling an inquiry until the business status is final.
//!
//! ```no_run
//! # use antom_runtime::{poll_until_final, PollConfig, Client, EndpointDef, Response, Error, BusinessStatus, BusinessOutcome};
//! # #[derive(serde::Deserialize)] struct Inquiry;
//! # impl BusinessStatus for Inquiry { fn business_outcome(&self) -> Option<BusinessOutcome> { None } }
//! # async fn demo(client: &Client, ep: &EndpointDef) -> Result<(), Error> {
//! let body = serde_json::json!({ "paymentRequestId": "pay-1" });
//! let polled = poll_until_final(&PollConfig::default(), || {
//!     client.execute::<_, Inquiry, String>(ep, &body)
//! })
//! .await?;
//! println!("stopped: {:?} after {} inquiries", polled.stop, polled.polls);
//! # Ok(()) }
//! ```

use std::future::Future;
use std::time::Duration;

use tokio::time::Instant;

use crate::client::Response;
use crate::error::Error;
use crate::protocol::{BusinessOutcome, BusinessStatus, Outcome};

/// How often and how long to poll.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PollConfig {
    /// Pause between the end of one inquiry and the start of the next
    /// (default 2 s, as Antom recommends).
    pub interval: Duration,
    /// Overall time budget from the first inquiry (default 5 min). No
    /// inquiry starts after it.
    pub deadline: Duration,
}

impl Default for PollConfig {
    fn default() -> Self {
        PollConfig {
            interval: Duration::from_secs(2),
            deadline: Duration::from_secs(300),
        }
    }
}

/// Why polling stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PollStop {
    /// The business status is final (`Success` or `Failed`).
    Final(BusinessOutcome),
    /// The inquiry call itself failed (`resultStatus` `F`, e.g. the order does
    /// not exist); polling again would not change it.
    InquiryFailed,
    /// The deadline passed while the status was still pending or unknown.
    Deadline,
}

/// The result of [`poll_until_final`].
#[derive(Debug, Clone)]
pub struct Polled<T, C = String> {
    /// The last inquiry's response.
    pub last: Response<T, C>,
    /// Why polling stopped.
    pub stop: PollStop,
    /// Inquiries made.
    pub polls: u32,
}

/// Calls `inquire` until the response's [`BusinessStatus`] is final, the
/// inquiry fails, or `config.deadline` passes; sleeps `config.interval`
/// between calls. Unknown outcomes (`U`, timeouts, ...) and pending or
/// unrecognised business statuses keep polling. Errors (security, invalid
/// responses) end polling at once.
pub async fn poll_until_final<T, C, F, Fut>(
    config: &PollConfig,
    mut inquire: F,
) -> Result<Polled<T, C>, Error>
where
    T: BusinessStatus,
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<Response<T, C>, Error>>,
{
    let started = Instant::now();
    let deadline = crate::retry::saturating_deadline(started, config.deadline);
    let mut polls = 0u32;
    loop {
        let response = inquire().await?;
        polls += 1;
        let stop = match &response.outcome {
            Outcome::Success(body) => match body.business_outcome() {
                Some(o @ (BusinessOutcome::Success | BusinessOutcome::Failed)) => {
                    Some(PollStop::Final(o))
                }
                Some(BusinessOutcome::Pending) | None => None,
            },
            Outcome::Failed(_) => Some(PollStop::InquiryFailed),
            Outcome::Unknown(_) => None,
        };
        if let Some(stop) = stop {
            return Ok(Polled {
                last: response,
                stop,
                polls,
            });
        }
        if crate::retry::saturating_deadline(Instant::now(), config.interval) >= deadline {
            return Ok(Polled {
                last: response,
                stop: PollStop::Deadline,
                polls,
            });
        }
        tracing::debug!(polls, "business status not final; polling again");
        tokio::time::sleep(config.interval).await;
    }
}
