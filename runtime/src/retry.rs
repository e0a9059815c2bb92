//! Retry policy: exponential backoff with full jitter.
//!
//! Only attempts classified `Unknown` with a retryable action (and transport
//! failures, which classify that way) are retried; `F` and security errors
//! never are. Every attempt sends the same body bytes (same request id),
//! re-signed with a fresh `Request-Time`.

use std::time::Duration;

use rand::Rng;

use crate::protocol::Action;

/// When and how often to retry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts in total, including the first (at least 1).
    pub max_attempts: u32,
    /// Backoff base: the cap for attempt `n` (1-based, after the first) is
    /// `base_delay * 2^(n-1)`, bounded by `max_delay`.
    pub base_delay: Duration,
    /// Upper bound of one backoff.
    pub max_delay: Duration,
    /// Lower bound of one backoff (never hammer the gateway back-to-back).
    pub min_delay: Duration,
    /// Lower bound of the backoff after a rate-limit answer (action
    /// `retryAfterBackoff`, e.g. `REQUEST_TRAFFIC_EXCEED_LIMIT`).
    pub rate_limit_min_delay: Duration,
    /// Overall time budget across all attempts and backoffs; no attempt starts
    /// after it and each attempt's timeout is cut to what remains.
    pub deadline: Option<Duration>,
}

impl Default for RetryPolicy {
    /// 3 attempts, 200 ms base, 5 s cap, 50 ms floor, 2 s after a rate limit,
    /// 60 s overall.
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 3,
            base_delay: Duration::from_millis(200),
            max_delay: Duration::from_secs(5),
            min_delay: Duration::from_millis(50),
            rate_limit_min_delay: Duration::from_secs(2),
            deadline: Some(Duration::from_secs(60)),
        }
    }
}

impl RetryPolicy {
    /// A single attempt, no retries.
    pub fn none() -> Self {
        RetryPolicy {
            max_attempts: 1,
            ..RetryPolicy::default()
        }
    }

    /// Sets `max_attempts` (at least 1).
    pub fn with_max_attempts(mut self, n: u32) -> Self {
        self.max_attempts = n.max(1);
        self
    }

    /// The backoff cap before attempt `next_attempt` (2 for the first retry).
    pub fn backoff_cap(&self, next_attempt: u32) -> Duration {
        let exp = next_attempt.saturating_sub(2).min(31);
        let cap = self.base_delay.saturating_mul(1u32 << exp);
        cap.min(self.max_delay)
    }

    /// The delay before attempt `next_attempt`, after an attempt whose action
    /// was `action`: uniform in `[0, cap]` (full jitter), then raised to
    /// `min_delay` (or `rate_limit_min_delay` for `retryAfterBackoff`).
    pub fn delay_before(&self, next_attempt: u32, action: Action, rng: &mut impl Rng) -> Duration {
        let cap = self.backoff_cap(next_attempt);
        let jittered = if cap.is_zero() {
            Duration::ZERO
        } else {
            Duration::from_nanos(rng.gen_range(0..=cap.as_nanos().min(u64::MAX as u128) as u64))
        };
        let floor = if action == Action::RetryAfterBackoff {
            self.rate_limit_min_delay.max(self.min_delay)
        } else {
            self.min_delay
        };
        jittered.max(floor)
    }
}

/// `now + d`, or a point about a century away when that is past what the
/// clock can represent (`Duration::MAX` means "no limit"), never a panic.
pub(crate) fn saturating_deadline(now: tokio::time::Instant, d: Duration) -> tokio::time::Instant {
    const FAR: Duration = Duration::from_secs(100 * 365 * 24 * 3600);
    now.checked_add(d.min(FAR))
        .or_else(|| now.checked_add(Duration::from_secs(365 * 24 * 3600)))
        .unwrap_or(now)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    #[test]
    fn caps_grow_exponentially_and_are_bounded() {
        let p = RetryPolicy {
            base_delay: Duration::from_millis(100),
            max_delay: Duration::from_millis(700),
            ..RetryPolicy::default()
        };
        assert_eq!(p.backoff_cap(2), Duration::from_millis(100));
        assert_eq!(p.backoff_cap(3), Duration::from_millis(200));
        assert_eq!(p.backoff_cap(4), Duration::from_millis(400));
        assert_eq!(p.backoff_cap(5), Duration::from_millis(700));
        assert_eq!(p.backoff_cap(60), Duration::from_millis(700));
    }

    #[test]
    fn delays_stay_within_floor_and_cap() {
        let p = RetryPolicy::default();
        let mut rng = rand::rngs::StdRng::seed_from_u64(7);
        let mut seen_distinct = std::collections::HashSet::new();
        for attempt in 2..8 {
            for _ in 0..200 {
                let d = p.delay_before(attempt, Action::Retry, &mut rng);
                assert!(d >= p.min_delay, "{d:?}");
                assert!(d <= p.backoff_cap(attempt).max(p.min_delay), "{d:?}");
                seen_distinct.insert(d);
            }
        }
        assert!(seen_distinct.len() > 100, "jitter must spread delays");
    }

    #[test]
    fn rate_limit_uses_the_longer_floor() {
        let p = RetryPolicy::default();
        let mut rng = rand::rngs::StdRng::seed_from_u64(1);
        for _ in 0..100 {
            let d = p.delay_before(2, Action::RetryAfterBackoff, &mut rng);
            assert!(d >= p.rate_limit_min_delay);
        }
    }

    #[test]
    fn at_least_one_attempt() {
        assert_eq!(RetryPolicy::default().with_max_attempts(0).max_attempts, 1);
    }
}
