//! Models and enums: their definitions, and the references endpoints and
//! notifications make to models and their fields.

use std::collections::HashMap;

use super::merge::Merged;
use super::names::Case;
use super::report::{p, Report, Seg};
use super::types::{quiet_type, resolve_type};
use crate::diag::name_list;
use crate::format::{self as f, Item};
use crate::ir;

pub(super) fn check_enums(m: &Merged<'_>, r: &mut Report<'_>) {
    for d in m.types_enums.iter() {
        let (fi, name) = (d.file, d.name);
        r.naming(fi, p!["enums", name], true, "enum", name, Case::Upper);
        let Some(e) = d.item else { continue };
        r.non_empty(fi, p!["enums", name, "doc"], "enum doc", &e.doc);
        if e.values.is_empty() {
            r.err(
                fi,
                p!["enums", name, "values"],
                format!("enum `{name}` has no values"),
                "list at least one `- value: ...`",
            );
        }
        let mut seen: HashMap<&str, usize> = HashMap::new();
        for (i, v) in e.values.iter().enumerate() {
            let Some(v) = v.ok() else { continue };
            if v.value.is_empty() {
                r.err(
                    fi,
                    p!["enums", name, "values", i, "value"],
                    "empty enum value".to_owned(),
                    "write the wire value exactly as Antom sends it",
                );
            }
            if let Some(&first) = seen.get(v.value.as_str()) {
                let at = r.pos(fi, p!["enums", name, "values", first, "value"], false);
                r.err(
                    fi,
                    p!["enums", name, "values", i, "value"],
                    format!("duplicate value `{}` in enum `{name}`", v.value),
                    format!("the value is already listed at line {}", at.line),
                );
            } else {
                seen.insert(&v.value, i);
            }
        }
    }
}

pub(super) fn check_models(m: &Merged<'_>, r: &mut Report<'_>) {
    for d in m.types_models.iter() {
        let (fi, name) = (d.file, d.name);
        r.naming(fi, p!["models", name], true, "model", name, Case::Upper);
        let Some(model) = d.item else { continue };
        r.non_empty(fi, p!["models", name, "doc"], "model doc", &model.doc);
        let mut seen: HashMap<&str, usize> = HashMap::new();
        for (i, fld) in model.fields.iter().enumerate() {
            let Some(fld) = fld.ok() else { continue };
            r.naming(
                fi,
                p!["models", name, "fields", i, "name"],
                false,
                "field",
                &fld.name,
                Case::Lower,
            );
            if let Some(first) = seen.get(fld.name.as_str()) {
                let at = r.pos(fi, p!["models", name, "fields", *first, "name"], false);
                r.err(
                    fi,
                    p!["models", name, "fields", i, "name"],
                    format!("duplicate field `{}` in model `{name}`", fld.name),
                    format!("the field is already defined at line {}", at.line),
                );
            } else {
                seen.insert(&fld.name, i);
            }
            resolve_type(m, r, fi, p!["models", name, "fields", i, "type"], &fld.ty);
            if let Some(max) = fld.max_length {
                if max == 0 || max > u64::from(u32::MAX) {
                    r.err(
                        fi,
                        p!["models", name, "fields", i, "maxLength"],
                        format!("maxLength {max} is out of range"),
                        "maxLength is a positive number of characters",
                    );
                }
            }
        }
    }
}

/// Checks a model reference; returns the model when it exists and is intact.
pub(super) fn model_ref<'s>(
    m: &Merged<'s>,
    r: &mut Report<'_>,
    fi: usize,
    path: &[Seg<'_>],
    name: &str,
    role: &str,
) -> Option<&'s f::Model> {
    if m.types_models.contains(name) {
        let model = m.types_models.ok(name)?;
        m.fields.get(name)?.intact.then_some(model)
    } else if m.types_enums.contains(name) {
        r.err(
            fi,
            path,
            format!("{role} `{name}` is an enum, not a model"),
            format!("a {role} is a model (an object) defined under `models:`"),
        );
        None
    } else {
        let hint = match r.did_you_mean(name, m.types_models.map.keys().copied()) {
            Some(s) => {
                format!("did you mean `{s}`? define the model under `models:` or fix the name")
            }
            None => {
                format!("define `{name}` under `models:` in any file of the spec, or fix the name")
            }
        };
        r.err(fi, path, format!("unknown {role} model `{name}`"), hint);
        None
    }
}

/// The hint for a reference to `name`, which is not a field of `model_name`:
/// a suggestion, or the model's first fields.
pub(super) fn field_hint(
    m: &Merged<'_>,
    r: &mut Report<'_>,
    model_name: &str,
    model: &f::Model,
    name: &str,
) -> String {
    let names = || {
        model
            .fields
            .iter()
            .filter_map(Item::ok)
            .map(|x| x.name.as_str())
    };
    match r.did_you_mean(name, names()) {
        Some(s) => format!("did you mean `{s}`? `{model_name}` has no field `{name}`"),
        None => {
            let total = m.fields.get(model_name).map_or(0, |f| f.by_name.len());
            format!(
                "`{model_name}` has the fields: {}",
                name_list(names(), total)
            )
        }
    }
}

/// A model must have a `result` field of type `Result` (`required` for responses).
pub(super) fn check_result_field(
    m: &Merged<'_>,
    r: &mut Report<'_>,
    fi: usize,
    path: &[Seg<'_>],
    model_name: &str,
    role: &str,
    mandatory: bool,
) {
    match m.field(model_name, "result") {
        None if mandatory => r.err(
            fi,
            path,
            format!("{role} model `{model_name}` has no `result` field"),
            format!("add `- {{name: result, type: Result, required: true}}` to the fields of `{model_name}`"),
        ),
        None => {}
        Some(fld) if quiet_type(m, &fld.ty) != Some(ir::Type::Model("Result".to_owned())) => r.err(
            fi,
            path,
            format!("the `result` field of {role} model `{model_name}` has type `{}`, not `Result`", fld.ty),
            "the `result` field carries resultCode/resultStatus/resultMessage: type it `Result`",
        ),
        Some(_) => {}
    }
}
