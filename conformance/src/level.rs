//! Requirement levels: how much a failed case says about an implementation.
//!
//! Every case carries a [`Level`]. `must` rules come from Antom's
//! documentation or the wire protocol itself (a signature over other bytes
//! cannot verify); `should` rules are hardening the kit recommends (refusing
//! an unsigned `S`, retrying an unknown with the same request id, binding a
//! response to its request); `uncertain` rules rest on a spec entry that is
//! marked uncertain or on a point where the official SDKs disagree. A run
//! fails on `must` failures, on `should` failures too with `--strict`, and
//! never on `uncertain` ones, which are always reported.

use std::fmt;
use std::str::FromStr;

use serde::Serialize;

use crate::verdict::Stage;

/// How binding a case's rule is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// Required by Antom's documentation or the wire protocol.
    Must,
    /// Hardening the kit recommends.
    Should,
    /// Derived from a spec entry marked uncertain, or disputed among the
    /// official SDKs: reported, never failing a run.
    Uncertain,
}

impl Level {
    /// Every level, strongest first.
    pub const ALL: [Level; 3] = [Level::Must, Level::Should, Level::Uncertain];

    /// `must`, `should` or `uncertain`.
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Must => "must",
            Level::Should => "should",
            Level::Uncertain => "uncertain",
        }
    }

    /// Whether a failure at this level fails the run (`strict` also fails
    /// on `should`).
    pub fn is_fatal(self, strict: bool) -> bool {
        match self {
            Level::Must => true,
            Level::Should => strict,
            Level::Uncertain => false,
        }
    }

    /// The level of a failure of a case at `self` that went wrong at
    /// `stage`. A changed request id or body between attempts can charge a
    /// buyer twice, so it is a `must` failure in any certain case; an action
    /// class is the spec's advice on top of the outcome, so a wrong action is
    /// at most a `should` failure; so is a body that breaks the spec's request
    /// model, whose required flags and lengths partly come from the official
    /// SDKs' models rather than Antom's documentation. An uncertain case
    /// stays uncertain.
    pub fn of_failure(self, stage: Stage) -> Level {
        match (self, stage) {
            (Level::Uncertain, _) => Level::Uncertain,
            (_, Stage::Idempotency) => Level::Must,
            (Level::Must, Stage::Action | Stage::Schema) => Level::Should,
            (level, _) => level,
        }
    }
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A level name that does not exist.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown level `{0}` (expected must, should or uncertain)")]
pub struct UnknownLevel(pub String);

impl FromStr for Level {
    type Err = UnknownLevel;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Level::ALL
            .into_iter()
            .find(|l| l.as_str() == s)
            .ok_or_else(|| UnknownLevel(s.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_must_fails_a_run_unless_strict() {
        assert!(Level::Must.is_fatal(false));
        assert!(!Level::Should.is_fatal(false));
        assert!(Level::Should.is_fatal(true));
        assert!(!Level::Uncertain.is_fatal(true));
    }

    #[test]
    fn stages_adjust_the_level_of_certain_cases_only() {
        assert_eq!(Level::Should.of_failure(Stage::Idempotency), Level::Must);
        assert_eq!(Level::Must.of_failure(Stage::Action), Level::Should);
        assert_eq!(Level::Should.of_failure(Stage::Attempts), Level::Should);
        assert_eq!(
            Level::Uncertain.of_failure(Stage::Idempotency),
            Level::Uncertain
        );
        assert_eq!("should".parse::<Level>().unwrap(), Level::Should);
        assert!("may".parse::<Level>().is_err());
    }
}
