//! Shared state and helpers of the generator.

use std::collections::{BTreeMap, BTreeSet};

use antom_spec::ir::{Model, Spec, Type};
use proc_macro2::{Ident, TokenStream};
use quote::quote;

use crate::{ident, Error};

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
}

impl<'a> Ctx<'a> {
    /// Computes the shared facts; problems found go to `errors`.
    pub fn new(spec: &'a Spec, errors: &mut Vec<Error>) -> Self {
        let result_status_enum = spec.model(RESULT_MODEL).and_then(|m| {
            m.field("resultStatus").and_then(|f| match &f.ty {
                Type::Enum(e) => Some(e.clone()),
                _ => None,
            })
        });
        let lenient_models = spec
            .endpoints
            .iter()
            .map(|e| e.response.clone())
            .chain(spec.notifications.iter().map(|n| n.payload.clone()))
            .collect();
        let ctx = Ctx {
            spec,
            result_status_enum,
            lenient_models,
            validated_models: validated_models(spec),
            boxed_fields: boxed_fields(spec),
        };
        ctx.check_protocol_types(errors);
        ctx
    }

    /// Whether the enum `name` is generated (runtime-owned ones are not).
    pub fn is_runtime_enum(&self, name: &str) -> bool {
        self.result_status_enum.as_deref() == Some(name)
    }

    /// The Rust type of a field type (without `Option`/`Box`).
    pub fn rust_type(&self, ty: &Type) -> TokenStream {
        match ty {
            Type::String => quote!(::std::string::String),
            Type::Boolean => quote!(bool),
            Type::Integer => quote!(i64),
            Type::Number => quote!(f64),
            Type::Json => quote!(::serde_json::Value),
            Type::Enum(name) if self.is_runtime_enum(name) => {
                quote!(::antom_runtime::ResultStatus)
            }
            Type::Enum(name) => {
                let id = type_ident_lossy(name);
                quote!(super::enums::#id)
            }
            Type::Model(name) if name == RESULT_MODEL => quote!(::antom_runtime::ApiResult),
            Type::Model(name) => {
                let id = type_ident_lossy(name);
                quote!(super::models::#id)
            }
            Type::Array(inner) => {
                let inner = self.rust_type(inner);
                quote!(::std::vec::Vec<#inner>)
            }
        }
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

/// `ident::type_ident`, falling back to a placeholder: the name error itself
/// is reported where the type is defined.
pub fn type_ident_lossy(name: &str) -> Ident {
    ident::type_ident(name)
        .unwrap_or_else(|_| proc_macro2::Ident::new("InvalidName", proc_macro2::Span::call_site()))
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

/// Makes spec prose safe for rustdoc: outside backtick code spans, `<` and
/// `>` become entities (not HTML tags) and bare URLs become autolinks.
pub fn markdown_safe(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut in_code = false;
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        if c == '`' {
            in_code = !in_code;
            out.push(c);
            rest = &rest[1..];
            continue;
        }
        if !in_code && (rest.starts_with("https://") || rest.starts_with("http://")) {
            let end = rest
                .find(|ch: char| ch.is_whitespace() || matches!(ch, '<' | '>' | '`' | '"' | '\''))
                .unwrap_or(rest.len());
            let url = rest[..end].trim_end_matches(['.', ',', ';', ':', ')', ']']);
            out.push('<');
            out.push_str(url);
            out.push('>');
            rest = &rest[url.len()..];
            continue;
        }
        match c {
            '<' if !in_code => out.push_str("&lt;"),
            '>' if !in_code => out.push_str("&gt;"),
            _ => out.push(c),
        }
        rest = &rest[c.len_utf8()..];
    }
    out
}

/// `#[doc = "..."]` attributes for a (possibly multi-line) text.
pub fn doc_attrs(text: &str) -> TokenStream {
    let text = markdown_safe(text);
    let lines: Vec<String> = text
        .trim()
        .lines()
        .map(|l| {
            let l = l.trim_end();
            if l.is_empty() {
                String::new()
            } else {
                format!(" {l}")
            }
        })
        .collect();
    quote! { #(#[doc = #lines])* }
}

/// Whether `model` is a lenient (response or notification payload) model.
pub fn is_lenient(ctx: &Ctx<'_>, model: &Model) -> bool {
    ctx.lenient_models.contains(&model.name)
}

#[cfg(test)]
mod tests {
    use super::markdown_safe;

    #[test]
    fn prose_is_made_markdown_safe() {
        assert_eq!(
            markdown_safe("POST <path>\\n<Client-Id> and `Option<T>`"),
            "POST &lt;path&gt;\\n&lt;Client-Id&gt; and `Option<T>`"
        );
        assert_eq!(
            markdown_safe("see https://open-na.alipay.com, or `https://x.y`."),
            "see <https://open-na.alipay.com>, or `https://x.y`."
        );
        assert_eq!(markdown_safe("(https://a.b/c)."), "(<https://a.b/c>).");
    }
}
