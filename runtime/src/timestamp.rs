//! Antom's timestamps: the `Request-Time` a merchant sends (epoch
//! milliseconds), the `response-time` Antom answers with and the
//! `request-time` of a notification (ISO 8601 with an offset, e.g.
//! `2019-05-28T12:12:14+08:00`).
//!
//! The verifier reads both forms, because the value is only a signed string
//! to the signature but a point in time to the freshness checks
//! ([`crate::verify::check_binding`], notification tolerance).
//!
//! ```
//! use std::time::{Duration, UNIX_EPOCH};
//! use antom_runtime::timestamp;
//! let t = timestamp::parse("2019-05-28T12:12:14+08:00").unwrap();
//! assert_eq!(t, UNIX_EPOCH + Duration::from_secs(1_559_016_734));
//! assert_eq!(timestamp::parse("1559016734000").unwrap(), t);
//! assert_eq!(timestamp::format_iso8601(t), "2019-05-28T04:12:14Z");
//! ```

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use time::format_description::well_known::{Iso8601, Rfc3339};
use time::OffsetDateTime;

use crate::error::{shown, MAX_ECHO};

/// A timestamp that is neither epoch milliseconds nor ISO 8601 with an offset.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{value}` is neither epoch milliseconds nor an ISO 8601 time with an offset")]
pub struct TimestampError {
    /// The value, cut to 64 characters.
    pub value: String,
}

/// Why a signed time failed [`check_fresh`].
#[derive(Debug)]
pub(crate) enum NotFresh {
    /// The value is not a time.
    Unreadable(TimestampError),
    /// The time lies outside the window.
    Outside {
        /// The value, cut as errors echo it.
        value: String,
        /// How far outside the window it lies.
        off_by: Duration,
    },
}

/// Checks that the signed time `value` lies within `tolerance` of
/// `[earliest, latest]`.
pub(crate) fn check_fresh(
    value: &str,
    earliest: SystemTime,
    latest: SystemTime,
    tolerance: Duration,
) -> Result<(), NotFresh> {
    let at = parse(value).map_err(NotFresh::Unreadable)?;
    match outside_window(at, earliest, latest, tolerance) {
        None => Ok(()),
        Some(off_by) => Err(NotFresh::Outside {
            value: shown(value),
            off_by,
        }),
    }
}

/// Parses epoch milliseconds (`1559016734000`, at most 15 digits) or an ISO
/// 8601 date-time with an offset (`2019-05-28T12:12:14+08:00`,
/// `2019-05-28T04:12:14.250Z`). A time without an offset is refused: it names
/// no instant.
pub fn parse(value: &str) -> Result<SystemTime, TimestampError> {
    let v = value.trim();
    let err = || TimestampError {
        value: shown(value),
    };
    if !v.is_empty() && v.len() <= 15 && v.bytes().all(|b| b.is_ascii_digit()) {
        let ms: u64 = v.parse().map_err(|_| err())?;
        return Ok(UNIX_EPOCH + Duration::from_millis(ms));
    }
    if v.len() > MAX_ECHO {
        return Err(err());
    }
    let parsed = OffsetDateTime::parse(v, &Rfc3339)
        .or_else(|_| OffsetDateTime::parse(v, &Iso8601::DEFAULT))
        .map_err(|_| err())?;
    let secs = parsed.unix_timestamp();
    let since_epoch = Duration::new(secs.unsigned_abs(), 0);
    let at = if secs < 0 {
        UNIX_EPOCH.checked_sub(since_epoch)
    } else {
        UNIX_EPOCH.checked_add(since_epoch)
    };
    at.and_then(|t| t.checked_add(Duration::from_nanos(u64::from(parsed.nanosecond()))))
        .ok_or_else(err)
}

/// `t` as ISO 8601 in UTC with second precision, e.g. `2019-05-28T04:12:14Z`
/// (the form a test gateway puts in `response-time`).
pub fn format_iso8601(t: SystemTime) -> String {
    let secs = match t.duration_since(UNIX_EPOCH) {
        Ok(d) => d.as_secs() as i64,
        Err(e) => -(e.duration().as_secs_f64().ceil() as i64),
    };
    OffsetDateTime::from_unix_timestamp(secs)
        .ok()
        .and_then(|dt| dt.format(&Rfc3339).ok())
        .unwrap_or_else(|| "1970-01-01T00:00:00Z".to_owned())
}

/// `t` as epoch milliseconds, the documented form of a request's
/// `Request-Time`.
pub fn epoch_millis(t: SystemTime) -> String {
    t.duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis())
        .unwrap_or(0)
        .to_string()
}

/// How far `t` lies outside `[earliest - tolerance, latest + tolerance]`, or
/// `None` when it lies inside.
fn outside_window(
    t: SystemTime,
    earliest: SystemTime,
    latest: SystemTime,
    tolerance: Duration,
) -> Option<Duration> {
    if let Ok(early) = earliest.duration_since(t) {
        return (early > tolerance).then_some(early);
    }
    if let Ok(late) = t.duration_since(latest) {
        return (late > tolerance).then_some(late);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_forms_and_offsets() {
        let t = UNIX_EPOCH + Duration::from_secs(1_559_016_734);
        for v in [
            "2019-05-28T12:12:14+08:00",
            "2019-05-28T04:12:14Z",
            "2019-05-28T04:12:14.000Z",
            "2019-05-27T23:12:14-05:00",
            " 1559016734000 ",
        ] {
            assert_eq!(parse(v), Ok(t), "{v}");
        }
        assert_eq!(
            parse("2019-05-28T04:12:14.250Z"),
            Ok(t + Duration::from_millis(250))
        );
        assert!(parse("2999-01-01T00:00:00Z").is_ok());
        assert!(parse("1969-12-31T23:59:59Z").is_ok());
    }

    #[test]
    fn refusals_name_the_value_and_are_bounded() {
        for v in [
            "",
            "yesterday",
            "2019-05-28T12:12:14",
            "2019-02-30T00:00:00Z",
            "-1",
        ] {
            let e = parse(v).unwrap_err();
            assert!(e.to_string().contains(&format!("`{v}`")), "{e}");
        }
        let long = "9".repeat(10_000);
        assert_eq!(
            parse(&long).unwrap_err().value.len(),
            crate::error::MAX_ECHO
        );
    }

    #[test]
    fn format_round_trips() {
        let t = UNIX_EPOCH + Duration::from_secs(1_559_016_734);
        assert_eq!(parse(&format_iso8601(t)), Ok(t));
        assert_eq!(epoch_millis(t), "1559016734000");
    }

    #[test]
    fn window() {
        let a = UNIX_EPOCH + Duration::from_secs(1000);
        let b = a + Duration::from_secs(10);
        let tol = Duration::from_secs(5);
        assert_eq!(outside_window(a + Duration::from_secs(3), a, b, tol), None);
        assert_eq!(outside_window(a - Duration::from_secs(5), a, b, tol), None);
        assert_eq!(
            outside_window(a - Duration::from_secs(6), a, b, tol),
            Some(Duration::from_secs(6))
        );
        assert_eq!(
            outside_window(b + Duration::from_secs(9), a, b, tol),
            Some(Duration::from_secs(9))
        );
    }
}
