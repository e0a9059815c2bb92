//! The value of a forward-compatible enum's unknown variant.

use std::fmt;

/// A wire value the spec does not know, kept verbatim.
///
/// Only parsing makes one (`From<&str>`, `FromStr` or deserializing the enum
/// that holds it), and only from a value that is not known, so an unknown can
/// never stand beside, or shadow, the variant of a known value: `SUCCESS` is
/// always `ResultCode::Success`, never `ResultCode::Unknown(..)`.
///
/// ```compile_fail
/// // Not constructible outside parsing:
/// let shadow = antom_protocol::UnknownVariant("SUCCESS".to_owned());
/// ```
///
/// ```
/// use antom_protocol::ResultStatus;
/// let status = ResultStatus::from("X");
/// assert!(matches!(&status, ResultStatus::Other(v) if v.as_str() == "X"));
/// assert_eq!(ResultStatus::from("S"), ResultStatus::S);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct UnknownVariant(String);

impl UnknownVariant {
    /// The wire value.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The wire value, owned.
    pub fn into_string(self) -> String {
        self.0
    }

    /// Made by the parsers of the enums that hold one (through
    /// `__private::unknown_variant`), which have already found that `value`
    /// is not a known value.
    pub(crate) fn new(value: String) -> Self {
        UnknownVariant(value)
    }
}

impl fmt::Display for UnknownVariant {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl AsRef<str> for UnknownVariant {
    fn as_ref(&self) -> &str {
        &self.0
    }
}
