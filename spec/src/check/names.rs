//! Naming rules: the case each kind of name is written in, the spelling to
//! suggest, and the report of a name that breaks its rule.

use super::report::{Report, Seg};

pub(super) fn is_upper_camel(s: &str) -> bool {
    let mut cs = s.chars();
    matches!(cs.next(), Some(c) if c.is_ascii_uppercase()) && cs.all(|c| c.is_ascii_alphanumeric())
}

fn is_lower_camel(s: &str) -> bool {
    let mut cs = s.chars();
    matches!(cs.next(), Some(c) if c.is_ascii_lowercase()) && cs.all(|c| c.is_ascii_alphanumeric())
}

fn is_screaming(s: &str) -> bool {
    let mut cs = s.chars();
    matches!(cs.next(), Some(c) if c.is_ascii_uppercase())
        && cs.all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
        && !s.ends_with('_')
        && !s.contains("__")
}

fn to_upper_camel(s: &str) -> String {
    let mut out = String::new();
    let mut up = true;
    for c in s.chars() {
        if !c.is_ascii_alphanumeric() {
            up = true;
        } else if up {
            out.push(c.to_ascii_uppercase());
            up = false;
        } else {
            out.push(c);
        }
    }
    out
}

fn to_lower_camel(s: &str) -> String {
    let u = to_upper_camel(s);
    let mut cs = u.chars();
    match cs.next() {
        Some(c) => c.to_ascii_lowercase().to_string() + cs.as_str(),
        None => String::new(),
    }
}

fn to_screaming(s: &str) -> String {
    let mut out = String::new();
    let mut prev_lower = false;
    for c in s.chars() {
        if c.is_ascii_alphanumeric() {
            if c.is_ascii_uppercase() && prev_lower {
                out.push('_');
            }
            out.push(c.to_ascii_uppercase());
            prev_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
        } else {
            if !out.ends_with('_') && !out.is_empty() {
                out.push('_');
            }
            prev_lower = false;
        }
    }
    out.trim_end_matches('_').to_owned()
}

#[derive(Clone, Copy)]
pub(super) enum Case {
    Upper,
    Lower,
    Screaming,
}

impl Case {
    fn ok(self, s: &str) -> bool {
        match self {
            Case::Upper => is_upper_camel(s),
            Case::Lower => is_lower_camel(s),
            Case::Screaming => is_screaming(s),
        }
    }

    fn name(self) -> &'static str {
        match self {
            Case::Upper => "UpperCamelCase",
            Case::Lower => "lowerCamelCase",
            Case::Screaming => "SCREAMING_SNAKE_CASE",
        }
    }

    fn suggest(self, s: &str) -> String {
        match self {
            Case::Upper => to_upper_camel(s),
            Case::Lower => to_lower_camel(s),
            Case::Screaming => to_screaming(s),
        }
    }
}

impl Report<'_> {
    pub(super) fn naming(
        &mut self,
        file: usize,
        path: &[Seg<'_>],
        key: bool,
        what: &str,
        name: &str,
        case: Case,
    ) {
        if case.ok(name) {
            return;
        }
        let suggestion = case.suggest(name);
        let hint = if !suggestion.is_empty() && case.ok(&suggestion) {
            format!(
                "{what} names are {} (ASCII letters and digits{}); e.g. `{suggestion}`",
                case.name(),
                if matches!(case, Case::Screaming) {
                    ", `_`"
                } else {
                    ""
                }
            )
        } else {
            format!("{what} names are {}", case.name())
        };
        let msg = format!("{what} name `{name}` is not {}", case.name());
        if key {
            self.err_key(file, path, msg, hint);
        } else {
            self.err(file, path, msg, hint);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn naming() {
        assert!(
            is_upper_camel("PayRequest")
                && !is_upper_camel("payRequest")
                && !is_upper_camel("Pay_Request")
        );
        assert!(
            is_lower_camel("is3DSAuthentication") && !is_lower_camel("Pay") && !is_lower_camel("")
        );
        assert!(is_screaming("PARAM_ILLEGAL") && is_screaming("SDK_3DS_ERROR"));
        for bad in ["PARAM__ILLEGAL", "PARAM_", "_PARAM", "Param", "1ABC", ""] {
            assert!(!is_screaming(bad), "{bad}");
        }
        assert_eq!(to_screaming("launchFailed"), "LAUNCH_FAILED");
        assert_eq!(to_screaming("SDK_launchFailed"), "SDK_LAUNCH_FAILED");
        assert_eq!(to_lower_camel("payment_request_id"), "paymentRequestId");
        assert_eq!(to_upper_camel("card_brand"), "CardBrand");
    }
}
