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
