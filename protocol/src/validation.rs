//! What a request breaks of the spec's length limits, found before it is sent.

use std::fmt;

/// A field value longer than the spec allows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    /// Path of the field from the request root, e.g. `order.orderDescription`
    /// or `order.goods[0].goodsName`.
    pub path: String,
    /// The spec's maximum length, in characters.
    pub max_length: u32,
    /// The value's length, in characters.
    pub actual_length: usize,
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "`{}` is {} characters long; the maximum is {}",
            self.path, self.actual_length, self.max_length
        )
    }
}

/// A request that breaks the spec's length limits; nothing was sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidationError {
    /// Every violation found, in field order.
    pub violations: Vec<Violation>,
}

// The violations only: `antom_runtime::Error::InvalidRequest` says "invalid
// request" and names the endpoint.
impl fmt::Display for ValidationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, v) in self.violations.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            fmt::Display::fmt(v, f)?;
        }
        Ok(())
    }
}

impl std::error::Error for ValidationError {}

/// A value with the spec's length limits: every generated model. The
/// client checks a request with [`validate`](Validate::validate) before it
/// sends it; call it yourself to check a value you build or receive.
///
/// ```
/// use antom_protocol::validation::{Validate, Violation};
///
/// struct Reference(String);
///
/// impl Validate for Reference {
///     fn validate_into(&self, prefix: &str, out: &mut Vec<Violation>) {
///         let actual_length = self.0.chars().count();
///         if actual_length > 4 {
///             let path = match prefix {
///                 "" => "reference".to_owned(),
///                 parent => format!("{parent}.reference"),
///             };
///             out.push(Violation { path, max_length: 4, actual_length });
///         }
///     }
/// }
///
/// let error = Reference("order-1".to_owned()).validate().unwrap_err();
/// assert_eq!(error.to_string(), "`reference` is 7 characters long; the maximum is 4");
/// ```
pub trait Validate {
    /// Appends the violations of this value to `out`, with paths below
    /// `prefix`, the value's own path (`""` for a request root). The
    /// default finds none: the models without limits anywhere below them
    /// keep it.
    fn validate_into(&self, prefix: &str, out: &mut Vec<Violation>) {
        let _ = (prefix, out);
    }

    /// Checks the spec's length limits (in characters) on this value and
    /// everything below it.
    fn validate(&self) -> Result<(), ValidationError> {
        let mut violations = Vec::new();
        self.validate_into("", &mut violations);
        if violations.is_empty() {
            Ok(())
        } else {
            Err(ValidationError { violations })
        }
    }
}
