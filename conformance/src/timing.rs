//! The timing the suite asks of implementations and allows them: back-off,
//! attempt and call bounds, shared by the areas that script scenarios and
//! judge them.

use std::time::Duration;

/// Back-off the suite asks implementations to use, in milliseconds.
pub const BACKOFF_MS: u64 = 25;
/// Attempt timeout the suite asks implementations to use, in milliseconds
/// (generous: cases run concurrently and RSA is slow in debug builds).
pub const ATTEMPT_TIMEOUT_MS: u64 = 5_000;
/// Attempt timeout of the timeout scenario, in milliseconds.
pub const SHORT_ATTEMPT_TIMEOUT_MS: u64 = 1_500;
/// How long the timeout scenario's gateway holds its first answer, in
/// milliseconds: well past [`SHORT_ATTEMPT_TIMEOUT_MS`].
pub const TIMEOUT_SCENARIO_DELAY_MS: u64 = SHORT_ATTEMPT_TIMEOUT_MS * 3;
/// Upper bound of one back-off, in milliseconds.
pub const MAX_BACKOFF_MS: u64 = 100;
/// Bound of a whole call including retries, in milliseconds.
pub const TOTAL_TIMEOUT_MS: u64 = 15_000;
/// How far past [`TOTAL_TIMEOUT_MS`] a call may end before it counts as
/// unbounded, in milliseconds (scheduling noise, not a looser bound).
pub const TOTAL_TIMEOUT_SLACK_MS: u64 = 1_000;

/// The least gap between two attempts that counts as the asked back-off:
/// [`BACKOFF_MS`] less a fifth, for timers that fire a little early.
pub fn min_backoff_gap() -> Duration {
    Duration::from_millis(BACKOFF_MS * 8 / 10)
}
