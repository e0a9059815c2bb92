//! The generation context: the spec and the facts about it that every
//! module generator shares (computed once), and the check that the spec's
//! protocol types agree with the runtime's.

use std::collections::{BTreeMap, BTreeSet};

use antom_spec::ir::{Model, Spec, Type};
use proc_macro2::TokenStream;
use quote::quote;

use crate::{leniency, Error};

/// The spec model that maps to `::antom_runtime::ApiResult`.
pub const RESULT_MODEL: &str = "Result";

/// Facts about the spec computed once and shared by every module generator.
pub struct Ctx<'a> {
    pub spec: &'a Spec,
    /// The enum mapped to `::antom_runtime::ResultStatus` (the type of
    /// `Result.resultStatus`), if the spec has one.
    pub result_status_enum: Option<String>,
    /// Endpoint responses and notification payloads: every field except
    /// `result` is optional whatever the spec says.
    pub lenient_models: BTreeSet<String>,
    /// Models that have a length limit somewhere below them.
    pub validated_models: BTreeSet<String>,
    /// `(model, field)` pairs that need a `Box` to break a type cycle.
    pub boxed_fields: BTreeSet<(String, String)>,
    /// Whether each endpoint family's code sits behind a Cargo feature of
    /// the family's name ([`crate::Options::family_features`]).
    pub family_features: bool,
}

impl<'a> Ctx<'a> {
    /// Computes the shared facts; problems found go to `errors`.
    pub fn new(spec: &'a Spec, options: &crate::Options, errors: &mut Vec<Error>) -> Self {
        let result_status_enum = spec.model(RESULT_MODEL).and_then(|m| {
            m.field("resultStatus").and_then(|f| match &f.ty {
                Type::Enum(e) => Some(e.clone()),
                _ => None,
            })
        });
        let ctx = Ctx {
            spec,
            result_status_enum,
            lenient_models: leniency::lenient_models(spec),
            validated_models: validated_models(spec),
            boxed_fields: boxed_fields(spec),
            family_features: options.family_features,
        };
        ctx.check_protocol_types(errors);
        ctx
    }

    /// `#[cfg(feature = "<family>")]` for the code of an endpoint family when
    /// families are features; nothing for the shared families.
    pub fn family_cfg(&self, family: &str) -> TokenStream {
        if self.family_features && !crate::families::is_shared(family) {
            quote!(#[cfg(feature = #family)])
        } else {
            quote!()
        }
    }

    /// `#[cfg(feature = "<feature>")]` for an optional part of the generated
    /// crate (`call-json`) when it has features; nothing in a macro
    /// expansion, whose crate's features are the invoker's.
    pub fn feature_cfg(&self, feature: &str) -> TokenStream {
        if self.family_features {
            quote!(#[cfg(feature = #feature)])
        } else {
            quote!()
        }
    }

    /// Whether `model` is a lenient (response or notification payload) model
    /// (see [`leniency`]).
    pub fn is_lenient(&self, model: &Model) -> bool {
        self.lenient_models.contains(&model.name)
    }

    /// Whether the enum `name` is generated (runtime-owned ones are not).
    pub fn is_runtime_enum(&self, name: &str) -> bool {
        self.result_status_enum.as_deref() == Some(name)
    }

    /// Checks that the spec's `Result` model and its status enum agree with
    /// the runtime's `ApiResult` / `ResultStatus`.
    fn check_protocol_types(&self, errors: &mut Vec<Error>) {
        if let Some(m) = self.spec.model(RESULT_MODEL) {
            let expected: [(&str, bool); 3] = [
                ("resultCode", true),
                ("resultStatus", true),
                ("resultMessage", false),
            ];
            let names: Vec<&str> = m.fields.iter().map(|f| f.name.as_str()).collect();
            let expected_names: Vec<&str> = expected.iter().map(|(n, _)| *n).collect();
            let mut sorted = names.clone();
            sorted.sort_unstable();
            let mut sorted_expected = expected_names.clone();
            sorted_expected.sort_unstable();
            if sorted != sorted_expected {
                errors.push(Error::ProtocolMismatch {
                    item: format!("model {RESULT_MODEL}"),
                    runtime: "antom_runtime::ApiResult",
                    detail: format!(
                        "fields are [{}], the runtime has [{}]",
                        names.join(", "),
                        expected_names.join(", ")
                    ),
                });
            } else {
                for (name, required) in expected {
                    let f = m.field(name).expect("names checked above");
                    let type_ok = match name {
                        "resultStatus" => matches!(f.ty, Type::Enum(_) | Type::String),
                        _ => f.ty == Type::String,
                    };
                    if f.required != required || !type_ok {
                        errors.push(Error::ProtocolMismatch {
                            item: format!("model {RESULT_MODEL}"),
                            runtime: "antom_runtime::ApiResult",
                            detail: format!(
                                "field `{name}` must be {} and of type {}",
                                if required { "required" } else { "optional" },
                                if name == "resultStatus" {
                                    "an enum of S, F, U"
                                } else {
                                    "string"
                                }
                            ),
                        });
                    }
                }
            }
        }
        if let Some(name) = &self.result_status_enum {
            if let Some(e) = self.spec.enum_(name) {
                let values: Vec<&str> = e.values.iter().map(|v| v.value.as_str()).collect();
                let mut sorted = values.clone();
                sorted.sort_unstable();
                if sorted != ["F", "S", "U"] {
                    errors.push(Error::ProtocolMismatch {
                        item: format!("enum {name}"),
                        runtime: "antom_runtime::ResultStatus",
                        detail: format!(
                            "values are [{}], the runtime has [S, F, U]",
                            values.join(", ")
                        ),
                    });
                }
            }
        }
    }
}

/// Models that contain (directly or below) a field with a length limit.
fn validated_models(spec: &Spec) -> BTreeSet<String> {
    let mut out: BTreeSet<String> = spec
        .models
        .iter()
        // The runtime's `ApiResult` has no validation (it is never sent).
        .filter(|m| m.name != RESULT_MODEL && m.fields.iter().any(|f| f.max_length.is_some()))
        .map(|m| m.name.clone())
        .collect();
    loop {
        let before = out.len();
        for m in &spec.models {
            if out.contains(&m.name) {
                continue;
            }
            if m.fields
                .iter()
                .any(|f| model_of(&f.ty).is_some_and(|n| out.contains(n)))
            {
                out.insert(m.name.clone());
            }
        }
        if out.len() == before {
            return out;
        }
    }
}

/// The model a (possibly array) type refers to.
pub fn model_of(ty: &Type) -> Option<&str> {
    match ty {
        Type::Model(n) => Some(n),
        Type::Array(inner) => model_of(inner),
        _ => None,
    }
}

/// Direct (non-array) model fields that close a cycle need a `Box`.
fn boxed_fields(spec: &Spec) -> BTreeSet<(String, String)> {
    // Edges through non-array model fields only: a `Vec` already breaks the
    // infinite size.
    let edges: BTreeMap<&str, Vec<&str>> = spec
        .models
        .iter()
        .map(|m| {
            let targets = m
                .fields
                .iter()
                .filter_map(|f| match &f.ty {
                    Type::Model(n) => Some(n.as_str()),
                    _ => None,
                })
                .collect();
            (m.name.as_str(), targets)
        })
        .collect();
    let reaches = |from: &str, to: &str| -> bool {
        let mut stack = vec![from];
        let mut seen = BTreeSet::new();
        while let Some(n) = stack.pop() {
            if n == to {
                return true;
            }
            if seen.insert(n) {
                if let Some(next) = edges.get(n) {
                    stack.extend(next.iter().copied());
                }
            }
        }
        false
    };
    let mut out = BTreeSet::new();
    for m in &spec.models {
        for f in &m.fields {
            if let Type::Model(target) = &f.ty {
                if reaches(target, &m.name) {
                    out.insert((m.name.clone(), f.name.clone()));
                }
            }
        }
    }
    out
}
