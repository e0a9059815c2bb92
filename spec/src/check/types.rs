//! Field types: parsing a type's text and resolving the names in it against
//! the spec's models and enums.

use super::merge::Merged;
use super::names::is_upper_camel;
use super::report::{Report, Seg};
use crate::ir;

/// A parsed field type, before resolution.
pub(super) enum RawType<'a> {
    Prim(ir::Type),
    Named(&'a str),
    Array(Box<RawType<'a>>),
}

const PRIMITIVES: [&str; 5] = ["string", "boolean", "integer", "number", "json"];

pub(super) fn parse_type(s: &str) -> Result<RawType<'_>, String> {
    match s {
        "string" => return Ok(RawType::Prim(ir::Type::String)),
        "boolean" => return Ok(RawType::Prim(ir::Type::Boolean)),
        "integer" => return Ok(RawType::Prim(ir::Type::Integer)),
        "number" => return Ok(RawType::Prim(ir::Type::Number)),
        "json" => return Ok(RawType::Prim(ir::Type::Json)),
        _ => {}
    }
    if let Some(inner) = s.strip_prefix("array<") {
        return match inner.strip_suffix('>') {
            Some(t) => Ok(RawType::Array(Box::new(parse_type(t)?))),
            None => Err(format!("`{s}` lacks the closing `>`")),
        };
    }
    if is_upper_camel(s) {
        Ok(RawType::Named(s))
    } else {
        Err(format!("`{s}` is not a type"))
    }
}

pub(super) fn resolve_type(
    m: &Merged<'_>,
    r: &mut Report<'_>,
    fi: usize,
    path: &[Seg<'_>],
    raw: &str,
) -> Option<ir::Type> {
    match parse_type(raw) {
        Err(problem) => {
            let names = PRIMITIVES
                .iter()
                .copied()
                .chain(m.types_models.map.keys().copied())
                .chain(m.types_enums.map.keys().copied());
            let hint = match r.did_you_mean(raw, names) {
                Some(s) => format!("did you mean `{s}`? a type is `string`, `boolean`, `integer`, `number`, `json`, a model or enum name, or `array<T>`"),
                None => "a type is `string`, `boolean`, `integer`, `number`, `json`, a model or enum name, or `array<T>`".to_owned(),
            };
            r.err(fi, path, format!("invalid type: {problem}"), hint);
            None
        }
        Ok(t) => resolve_raw(m, r, fi, path, t, raw),
    }
}

fn resolve_raw(
    m: &Merged<'_>,
    r: &mut Report<'_>,
    fi: usize,
    path: &[Seg<'_>],
    t: RawType<'_>,
    raw: &str,
) -> Option<ir::Type> {
    match t {
        RawType::Prim(t) => Some(t),
        RawType::Array(inner) => {
            resolve_raw(m, r, fi, path, *inner, raw).map(|t| ir::Type::Array(Box::new(t)))
        }
        RawType::Named(n) => {
            if m.types_models.contains(n) {
                Some(ir::Type::Model(n.to_owned()))
            } else if m.types_enums.contains(n) {
                Some(ir::Type::Enum(n.to_owned()))
            } else {
                let names = m
                    .types_models
                    .map
                    .keys()
                    .chain(m.types_enums.map.keys())
                    .copied();
                let hint = match r.did_you_mean(n, names) {
                    Some(s) => format!("did you mean `{s}`? define `{n}` under `models:` or `enums:`, or fix the name"),
                    None => format!("define `{n}` under `models:` or `enums:` in any file of the spec, or fix the name"),
                };
                r.err(
                    fi,
                    path,
                    format!(
                        "unknown type `{n}`{}",
                        if raw == n {
                            String::new()
                        } else {
                            format!(" in `{raw}`")
                        }
                    ),
                    hint,
                );
                None
            }
        }
    }
}

/// Resolves a type without reporting (for checks that run after `check_models`).
pub(super) fn quiet_type(m: &Merged<'_>, raw: &str) -> Option<ir::Type> {
    fn go(m: &Merged<'_>, t: RawType<'_>) -> Option<ir::Type> {
        match t {
            RawType::Prim(t) => Some(t),
            RawType::Array(i) => go(m, *i).map(|t| ir::Type::Array(Box::new(t))),
            RawType::Named(n) if m.types_models.contains(n) => Some(ir::Type::Model(n.to_owned())),
            RawType::Named(n) if m.types_enums.contains(n) => Some(ir::Type::Enum(n.to_owned())),
            RawType::Named(_) => None,
        }
    }
    go(m, parse_type(raw).ok()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types() {
        assert!(matches!(
            parse_type("string"),
            Ok(RawType::Prim(ir::Type::String))
        ));
        assert!(matches!(
            parse_type("array<array<Amount>>"),
            Ok(RawType::Array(_))
        ));
        for bad in [
            "array<string",
            "array<>",
            "Array<string>",
            "str ing",
            "amount",
            "",
        ] {
            assert!(parse_type(bad).is_err(), "{bad}");
        }
    }
}
