//! `result.resultStatus` on the wire and in the spec, and the `result`
//! envelope every response and notification carries.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::UnknownVariant;

/// `result.resultStatus`: `S` success, `F` failure, `U` unknown.
///
/// Forward compatible: any other wire value is kept in [`ResultStatus::Other`]
/// (and treated like `U` by the status mapping).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum ResultStatus {
    /// The call succeeded.
    S,
    /// The call failed; look at the result code.
    F,
    /// Unknown / in progress: retry with the same request id or inquire.
    U,
    /// A value this version does not know, kept verbatim.
    Other(UnknownVariant),
}

impl ResultStatus {
    /// The wire value.
    pub fn as_str(&self) -> &str {
        match self {
            ResultStatus::S => "S",
            ResultStatus::F => "F",
            ResultStatus::U => "U",
            ResultStatus::Other(s) => s.as_str(),
        }
    }

    /// Strict parse: only `S`, `F` and `U`.
    pub fn try_parse(s: &str) -> Result<Self, UnknownValue> {
        match s {
            "S" => Ok(ResultStatus::S),
            "F" => Ok(ResultStatus::F),
            "U" => Ok(ResultStatus::U),
            other => Err(UnknownValue {
                type_name: "ResultStatus",
                value: other.to_owned(),
            }),
        }
    }
}

impl From<&str> for ResultStatus {
    fn from(s: &str) -> Self {
        ResultStatus::try_parse(s)
            .unwrap_or_else(|_| ResultStatus::Other(crate::__private::unknown_variant(s)))
    }
}

impl FromStr for ResultStatus {
    type Err = std::convert::Infallible;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(ResultStatus::from(s))
    }
}

impl fmt::Display for ResultStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for ResultStatus {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for ResultStatus {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        Ok(ResultStatus::from(s.as_ref()))
    }
}

/// A wire value that a strict parse rejected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown {type_name} value `{value}`")]
pub struct UnknownValue {
    /// The enum that rejected the value.
    pub type_name: &'static str,
    /// The rejected wire value.
    pub value: String,
}

/// The `result` object every Antom response and notification carries.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ApiResult {
    /// e.g. `SUCCESS`, `PAYMENT_IN_PROCESS`.
    pub result_code: String,
    /// `S`, `F` or `U`.
    pub result_status: ResultStatus,
    /// Human text; not stable, never match on it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub result_message: Option<String>,
}

/// A result status as the spec documents it: `S`, `F` or `U`, with no
/// forward-compatible variant (the wire type is [`ResultStatus`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub enum SpecStatus {
    /// Success.
    S,
    /// Failure.
    F,
    /// Unknown.
    U,
}

impl SpecStatus {
    /// The wire value.
    pub fn as_str(self) -> &'static str {
        match self {
            SpecStatus::S => "S",
            SpecStatus::F => "F",
            SpecStatus::U => "U",
        }
    }
}

impl From<SpecStatus> for ResultStatus {
    fn from(s: SpecStatus) -> Self {
        match s {
            SpecStatus::S => ResultStatus::S,
            SpecStatus::F => ResultStatus::F,
            SpecStatus::U => ResultStatus::U,
        }
    }
}
