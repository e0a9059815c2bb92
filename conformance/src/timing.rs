//! The timing the suite asks of implementations: back-off, attempt and call
//! bounds, shared by the cases that script scenarios and the runner that
//! judges them.

/// Back-off the suite asks implementations to use, in milliseconds.
pub const BACKOFF_MS: u64 = 25;
/// Attempt timeout the suite asks implementations to use, in milliseconds
/// (generous: cases run concurrently and RSA is slow in debug builds).
pub const ATTEMPT_TIMEOUT_MS: u64 = 5_000;
/// Attempt timeout of the timeout scenario, in milliseconds.
pub const SHORT_ATTEMPT_TIMEOUT_MS: u64 = 1_500;
/// Upper bound of one back-off, in milliseconds.
pub const MAX_BACKOFF_MS: u64 = 100;
/// Bound of a whole call including retries, in milliseconds.
pub const TOTAL_TIMEOUT_MS: u64 = 15_000;
