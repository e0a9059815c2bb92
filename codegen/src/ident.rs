//! Identifier handling: spec names to Rust identifiers.
//!
//! Every conversion is total for valid spec names and reports names that
//! cannot become a Rust identifier instead of panicking. Keywords become raw
//! identifiers (`r#type`) where Rust allows it and get a `_` suffix where it
//! does not (`self`, `Self`, `super`, `crate`).

use heck::{ToShoutySnakeCase, ToSnakeCase, ToUpperCamelCase};
use proc_macro2::{Ident, Span};

use crate::Error;

/// Strict and reserved keywords of Rust 2021 (plus `gen`, reserved in 2024).
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate",
    "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl",
    "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref",
    "return", "self", "Self", "static", "struct", "super", "trait", "true", "try", "type",
    "typeof", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Keywords that cannot be raw identifiers.
const NOT_RAW: &[&str] = &["self", "Self", "super", "crate", "_"];

/// Whether `s` is a Rust keyword.
pub fn is_keyword(s: &str) -> bool {
    KEYWORDS.contains(&s)
}

fn is_ident_shaped(s: &str) -> bool {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) if c == '_' || c.is_ascii_alphabetic() => {}
        _ => return false,
    }
    chars.all(|c| c == '_' || c.is_ascii_alphanumeric())
}

/// Turns an already converted name into an identifier, escaping keywords.
fn make(name: &str, what: &'static str, source: &str) -> Result<Ident, Error> {
    let mut name = name.to_owned();
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert(0, if what == "variant" { 'V' } else { '_' });
    }
    if !is_ident_shaped(&name) {
        return Err(Error::InvalidName {
            what,
            name: source.to_owned(),
        });
    }
    if NOT_RAW.contains(&name.as_str()) {
        name.push('_');
        return Ok(Ident::new(&name, Span::call_site()));
    }
    if is_keyword(&name) {
        return Ok(Ident::new_raw(&name, Span::call_site()));
    }
    Ok(Ident::new(&name, Span::call_site()))
}

/// Keeps only ASCII alphanumerics and separators, so `3DS-result` and
/// `1.0.2` convert to identifier material.
fn sanitize(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect()
}

/// A type name (model or enum): kept as written when it is already
/// UpperCamelCase, converted otherwise.
pub fn type_ident(name: &str) -> Result<Ident, Error> {
    let converted = if is_ident_shaped(name) && name.starts_with(|c: char| c.is_ascii_uppercase()) {
        name.to_owned()
    } else {
        sanitize(name).to_upper_camel_case()
    };
    make(&converted, "type", name)
}

/// A struct field or method name from a lowerCamelCase wire name.
pub fn snake_ident(name: &str) -> Result<Ident, Error> {
    make(&sanitize(name).to_snake_case(), "field", name)
}

/// The snake_case spelling of `name` (no keyword escaping).
pub fn snake(name: &str) -> String {
    sanitize(name).to_snake_case()
}

/// An enum variant from a wire value (`CASHIER_PAYMENT` → `CashierPayment`,
/// `PaymentCode` → `PaymentCode`, `1.0.2` → `V1_0_2`).
pub fn variant_ident(value: &str) -> Result<Ident, Error> {
    make(&variant_name(value), "variant", value)
}

/// The UpperCamelCase spelling used for a variant.
pub fn variant_name(value: &str) -> String {
    let s = sanitize(value);
    if s.chars().any(|c| c.is_ascii_digit()) && s.contains('_') && s.starts_with(char::is_numeric) {
        // Version-like values keep their separators: `1.0.2` → `V1_0_2`.
        return format!("V{s}");
    }
    s.to_upper_camel_case()
}

/// A SCREAMING_SNAKE_CASE constant (`inquiryPayment` → `INQUIRY_PAYMENT`).
pub fn const_ident(name: &str) -> Result<Ident, Error> {
    make(&sanitize(name).to_shouty_snake_case(), "constant", name)
}

/// An UpperCamelCase name for a non-type item (`payments` → `Payments`).
pub fn camel_ident(name: &str) -> Result<Ident, Error> {
    make(&sanitize(name).to_upper_camel_case(), "type", name)
}

/// Reports every pair of distinct spec names that map to the same Rust
/// name, in input order.
pub fn check_collisions<'a>(
    context: &str,
    pairs: impl IntoIterator<Item = (&'a str, String)>,
) -> Vec<Error> {
    let mut seen: Vec<(&str, String)> = Vec::new();
    let mut errors = Vec::new();
    for (source, rust) in pairs {
        if let Some((first, _)) = seen.iter().find(|(_, r)| *r == rust) {
            errors.push(Error::Collision {
                context: context.to_owned(),
                first: (*first).to_owned(),
                second: source.to_owned(),
                rust: rust.clone(),
            });
        } else {
            seen.push((source, rust));
        }
    }
    errors
}

/// The std, `serde` and `serde_json` names the generated models write
/// without a path (`String`, `Option<Amount>`, `Map<String, Value>`,
/// `impl Serialize`); a spec model or enum that took one would shadow it.
pub const RESERVED_TYPE_NAMES: &[&str] = &[
    "Box",
    "Deserialize",
    "Deserializer",
    "Err",
    "Into",
    "Map",
    "MapAccess",
    "None",
    "Ok",
    "Option",
    "Result",
    "Serialize",
    "SerializeMap",
    "Serializer",
    "Some",
    "String",
    "Value",
    "Vec",
];

/// Reports every spec name whose Rust name is one of
/// [`RESERVED_TYPE_NAMES`].
pub fn check_reserved<'a>(
    what: &'static str,
    names: impl IntoIterator<Item = (&'a str, String)>,
) -> Vec<Error> {
    names
        .into_iter()
        .filter(|(_, rust)| RESERVED_TYPE_NAMES.contains(&rust.as_str()))
        .map(|(name, rust)| Error::Reserved {
            what,
            name: name.to_owned(),
            rust,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keywords_become_raw_or_suffixed() {
        assert_eq!(snake_ident("type").unwrap().to_string(), "r#type");
        assert_eq!(snake_ident("self").unwrap().to_string(), "self_");
        assert_eq!(type_ident("Self").unwrap().to_string(), "Self_");
        assert_eq!(snake_ident("async").unwrap().to_string(), "r#async");
    }

    #[test]
    fn case_conversions() {
        assert_eq!(
            snake_ident("paymentRequestId").unwrap().to_string(),
            "payment_request_id"
        );
        assert_eq!(
            variant_ident("CASHIER_PAYMENT").unwrap().to_string(),
            "CashierPayment"
        );
        assert_eq!(
            variant_ident("PaymentCode").unwrap().to_string(),
            "PaymentCode"
        );
        assert_eq!(variant_ident("1.0.2").unwrap().to_string(), "V1_0_2");
        assert_eq!(variant_ident("2D").unwrap().to_string(), "V2d");
        assert_eq!(
            const_ident("inquiryPayment").unwrap().to_string(),
            "INQUIRY_PAYMENT"
        );
        assert_eq!(type_ident("Amount").unwrap().to_string(), "Amount");
        assert_eq!(type_ident("threeDs").unwrap().to_string(), "ThreeDs");
    }

    #[test]
    fn names_without_identifier_material_are_errors() {
        assert!(matches!(
            variant_ident("-"),
            Err(Error::InvalidName {
                what: "variant",
                ..
            })
        ));
        assert!(snake_ident("").is_err());
    }

    #[test]
    fn collisions_are_all_reported() {
        let errors = check_collisions(
            "enum X",
            [
                ("A_B", "AB".to_owned()),
                ("AB", "AB".to_owned()),
                ("C", "C".to_owned()),
                ("a_b", "AB".to_owned()),
            ],
        );
        assert_eq!(errors.len(), 2);
        assert!(errors[0].to_string().contains("`A_B` and `AB`"));
    }
}
