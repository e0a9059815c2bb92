//! The `models` module: one submodule per family (see [`crate::families`])
//! re-exported at the top, each holding the family's types first (structs
//! with constructors enforcing required fields, their length limits as a
//! `Validate` impl, business-status impls) and then a private `wire` module with
//! their `Serialize`/`Deserialize` impls.

use std::collections::{BTreeMap, BTreeSet};

use antom_spec::ir::{Field, Model, Type};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::ctx::{Ctx, RESULT_MODEL};
use crate::families;
use crate::rustdoc::doc_attrs;
use crate::types::{rust_type, spec_types, type_ident_lossy};
use crate::{ident, Error};

/// How one field is represented.
struct FieldPlan<'a> {
    field: &'a Field,
    ident: proc_macro2::Ident,
    optional: bool,
    boxed: bool,
}

/// The `models` module's own items (re-exports of every family module, the
/// validation types, `ApiResult`) and each family module's items, by family.
pub fn generate(
    ctx: &Ctx<'_>,
    errors: &mut Vec<Error>,
) -> (TokenStream, Vec<(String, TokenStream, TokenStream)>) {
    errors.extend(ident::check_collisions(
        "models",
        ctx.spec.models.iter().filter_map(|m| {
            ident::type_ident(&m.name)
                .ok()
                .map(|i| (m.name.as_str(), i.to_string()))
        }),
    ));
    errors.extend(ident::check_reserved(
        "model",
        // `Result` is the runtime's `ApiResult`, not a generated type.
        rust_type_names(
            ctx.spec
                .models
                .iter()
                .map(|m| m.name.as_str())
                .filter(|n| *n != RESULT_MODEL),
        ),
    ));
    errors.extend(ident::check_reserved(
        "enum",
        rust_type_names(ctx.spec.enums.iter().map(|e| e.name.as_str())),
    ));
    let families = families::model_families(ctx.spec);
    let mut by_family: BTreeMap<&str, Vec<&Model>> = BTreeMap::new();
    let mut root = quote! {
        pub use ::antom_runtime::{Validate, ValidationError, Violation};
    };
    for m in &ctx.spec.models {
        if m.name == RESULT_MODEL {
            let doc = doc_attrs(&format!(
                "{}\n\nThe runtime's protocol type: the spec's `{RESULT_MODEL}` model.",
                m.doc
            ));
            root.extend(quote! {
                #doc
                pub use ::antom_runtime::ApiResult;
            });
            continue;
        }
        by_family.entry(&families[&m.name]).or_default().push(m);
    }
    let mut out = Vec::new();
    for (family, models) in by_family {
        let module = match ident::snake_ident(family) {
            Ok(id) => id,
            Err(e) => {
                errors.push(e);
                continue;
            }
        };
        let cfg = ctx.family_cfg(family);
        root.extend(quote!(#cfg pub use self::#module::*;));
        out.push((
            module.to_string(),
            cfg,
            family_module(ctx, family, &models, &families, errors),
        ));
    }
    (root, out)
}

/// Each spec name with the Rust type name it becomes.
fn rust_type_names<'a>(names: impl Iterator<Item = &'a str>) -> Vec<(&'a str, String)> {
    names
        .filter_map(|n| ident::type_ident(n).ok().map(|i| (n, i.to_string())))
        .collect()
}

/// One family module: imports, then each model's type and inherent impl,
/// then a private `wire` module with how they read and write JSON.
fn family_module(
    ctx: &Ctx<'_>,
    family: &str,
    models: &[&Model],
    families: &BTreeMap<String, String>,
    errors: &mut Vec<Error>,
) -> TokenStream {
    let mut enums = BTreeSet::new();
    let mut foreign = BTreeSet::new();
    for m in models {
        for f in &m.fields {
            spec_types(ctx, &f.ty, &mut enums, &mut foreign);
        }
    }
    foreign.retain(|name| families.get(*name).is_some_and(|f| f != family));
    let enums = enums.iter().map(|n| type_ident_lossy(n));
    let foreign = foreign.iter().map(|n| type_ident_lossy(n));
    // Std types are written by their prelude names, which no spec type may
    // take (see `ident::check_reserved`).
    let mut imports = quote! {
        use ::antom_runtime::Validate;
        use ::serde_json::{Map, Value};
    };
    if enums.len() > 0 {
        imports.extend(quote!(use super::super::enums::{#(#enums),*};));
    }
    if foreign.len() > 0 {
        imports.extend(quote!(use super::{#(#foreign),*};));
    }
    if models
        .iter()
        .any(|m| ctx.validated_models.contains(&m.name))
    {
        imports.extend(quote!(
            use ::antom_runtime::{__private, Violation};
        ));
    }
    let mut types = TokenStream::new();
    let mut wire = TokenStream::new();
    for m in models {
        let (t, w) = model(ctx, m, errors);
        types.extend(t);
        wire.extend(w);
    }
    let names: BTreeSet<&str> = models.iter().map(|m| m.name.as_str()).collect();
    types.extend(business_status_impls(ctx, &names));
    quote! {
        #imports
        #types

        /// How the models above read and write JSON: a JSON object with the
        /// fields under their wire names, unknown fields kept.
        mod wire {
            use super::*;
            use ::antom_runtime::__private;
            use ::serde::de::MapAccess;
            use ::serde::{Deserialize, Deserializer, Serialize, Serializer};
            #wire
        }
    }
}

/// A model's type with its inherent impl, and its wire impls.
fn model(ctx: &Ctx<'_>, m: &Model, errors: &mut Vec<Error>) -> (TokenStream, TokenStream) {
    let name = match ident::type_ident(&m.name) {
        Ok(n) => n,
        Err(e) => {
            errors.push(e);
            return (quote!(), quote!());
        }
    };
    let lenient = ctx.is_lenient(m);
    let mut plans = Vec::new();
    for f in &m.fields {
        match ident::snake_ident(&f.name) {
            Ok(id) => plans.push(FieldPlan {
                field: f,
                ident: id,
                optional: if lenient {
                    f.name != "result"
                } else {
                    !f.required
                },
                boxed: ctx.boxed_fields.contains(&(m.name.clone(), f.name.clone())),
            }),
            Err(e) => errors.push(e),
        }
    }
    let taken: BTreeSet<String> = plans.iter().map(|p| p.ident.to_string()).collect();
    errors.extend(ident::check_collisions(
        &format!("model {}", m.name),
        plans
            .iter()
            .map(|p| (p.field.name.as_str(), p.ident.to_string())),
    ));
    let extra = ["extra", "extra_fields", "unknown_fields"]
        .into_iter()
        .find(|n| !taken.contains(*n))
        .map(|n| format_ident!("{}", n))
        .expect("a model cannot use all three names");

    let field_decls = plans.iter().map(|p| {
        let id = &p.ident;
        let ty = field_type(ctx, p);
        let doc = field_doc(p.field, p.optional && p.field.required);
        quote! { #doc pub #id: #ty, }
    });
    let serde_impls = serde_impls(ctx, &name, &plans, &extra);

    let all_optional = plans.iter().all(|p| p.optional);
    let default = if all_optional {
        quote!(, Default)
    } else {
        quote!()
    };
    // A model with a sensitive field prints `<redacted>` for it: its
    // `Debug` is written out, every other model derives it.
    let (debug_derive, debug_impl) = if plans.iter().any(|p| p.field.sensitive) {
        let entries = plans.iter().map(|p| {
            let id = &p.ident;
            let value = match (p.field.sensitive, p.optional) {
                (false, _) => quote!(&self.#id),
                (true, true) => {
                    quote!(&self.#id.as_ref().map(::antom_runtime::__private::Redacted))
                }
                (true, false) => quote!(&::antom_runtime::__private::Redacted(&self.#id)),
            };
            let label = id.to_string();
            let label = label.trim_start_matches("r#");
            quote!(.field(#label, #value))
        });
        let extra_label = extra.to_string();
        let type_name = name.to_string();
        (
            quote!(),
            quote! {
                impl ::std::fmt::Debug for #name {
                    fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                        f.debug_struct(#type_name)
                            #(#entries)*
                            .field(#extra_label, &self.#extra)
                            .finish()
                    }
                }
            },
        )
    } else {
        (quote!(Debug,), quote!())
    };

    let mut doc_text = m.doc.clone();
    if lenient {
        doc_text.push_str(
            "\n\nEvery field except `result` is optional: error responses usually carry only `result`.",
        );
    }
    doc_text.push_str("\n\nUnknown fields are kept in `");
    doc_text.push_str(&extra.to_string());
    doc_text.push_str("` and serialized back.");
    let doc = doc_attrs(&doc_text);

    // Constructor over the required fields.
    let required: Vec<&FieldPlan> = plans.iter().filter(|p| !p.optional).collect();
    let params = required.iter().map(|p| {
        let id = &p.ident;
        let ty = param_type(ctx, &p.field.ty);
        quote!(#id: #ty)
    });
    let inits = plans.iter().map(|p| {
        let id = &p.ident;
        if p.optional {
            quote!(#id: None,)
        } else {
            if matches!(p.field.ty, Type::String) || p.boxed {
                let value = convert_param(&p.field.ty, quote!(#id), p.boxed);
                quote!(#id: #value,)
            } else {
                quote!(#id,)
            }
        }
    });
    let allow_args = if required.len() > 6 {
        quote!(#[allow(clippy::too_many_arguments)])
    } else {
        quote!()
    };
    let new_doc = if required.is_empty() {
        " A value with every field unset.".to_owned()
    } else {
        let names: Vec<String> = required
            .iter()
            .map(|p| format!("`{}`", p.field.name))
            .collect();
        format!(
            " A value with the required fields {} set.",
            names.join(", ")
        )
    };
    // Validation.
    let checks = plans.iter().filter_map(|p| {
        let id = &p.ident;
        let wire = &p.field.name;
        let path = quote!(&__private::path(prefix, #wire));
        let body = check(ctx, &p.field.ty, p.field.max_length, quote!(value), path, 0)?;
        Some(if p.optional {
            quote! { if let Some(value) = &self.#id { #body } }
        } else {
            quote! { { let value = &self.#id; #body } }
        })
    });
    let checks: Vec<TokenStream> = checks.collect();
    // Without limits anywhere below, the trait's default (no violations)
    // serves: one body fewer per model for rustc to check.
    let validate = if checks.is_empty() {
        quote!(impl Validate for #name {})
    } else {
        quote! {
            impl Validate for #name {
                fn validate_into(&self, prefix: &str, out: &mut Vec<Violation>) {
                    #(#checks)*
                }
            }
        }
    };

    // No `PartialEq`: structural equality of a model with free-form JSON
    // and floats says little, and its derive was 6 % of the crate's check
    // time. Compare fields, or the values' JSON.
    let ty = quote! {
        #doc
        #[derive(#debug_derive Clone #default)]
        pub struct #name {
            #(#field_decls)*
            /// Fields the spec does not know, kept verbatim.
            pub #extra: Map<String, Value>,
        }

        impl #name {
            #[doc = #new_doc]
            #allow_args
            pub fn new(#(#params),*) -> Self {
                #name {
                    #(#inits)*
                    #extra: Map::new(),
                }
            }
        }

        #validate

        #debug_impl
    };
    (ty, serde_impls)
}

/// `Serialize` and `Deserialize` for a model, built on the shared helpers of
/// [`support_items`]: a JSON object with the fields under their wire names
/// in declaration order (unset optional fields left out), then the unknown
/// fields. Booleans and numbers are also accepted as strings (`"true"`,
/// `"20"`): the docs describe every scalar as a string, the SDKs send native
/// JSON, and a response must not fail to parse over the form.
fn serde_impls(
    ctx: &Ctx<'_>,
    name: &proc_macro2::Ident,
    plans: &[FieldPlan<'_>],
    extra: &proc_macro2::Ident,
) -> TokenStream {
    let scalar =
        |p: &FieldPlan<'_>| matches!(p.field.ty, Type::Boolean | Type::Integer | Type::Number);
    // Each slot is an `Option` of the field's value type, spelled out: that
    // spares the compiler inferring it from the finishing expression, which
    // costs build time across hundreds of models.
    let slots = plans.iter().map(|p| {
        let id = &p.ident;
        let slot = value_type(ctx, p);
        quote!(let mut #id: Option<#slot> = None;)
    });
    let arms = plans.iter().enumerate().map(|(i, p)| {
        let i = proc_macro2::Literal::usize_unsuffixed(i);
        let id = &p.ident;
        let read = match (scalar(p), p.optional) {
            (true, true) => quote!(opt_scalar),
            (true, false) => quote!(req_scalar),
            (false, true) => quote!(opt),
            (false, false) => quote!(req),
        };
        (i, quote!(__reader.#read(&mut #id)))
    });
    let finish = plans.iter().map(|p| {
        let id = &p.ident;
        let wire = &p.field.name;
        if p.optional {
            quote!(#id,)
        } else {
            quote!(#id: __private::req(#id, #wire)?,)
        }
    });
    let puts = plans.iter().map(|p| {
        let id = &p.ident;
        let wire = &p.field.name;
        if p.optional {
            quote!(__writer.opt(#wire, &self.#id);)
        } else {
            quote!(__writer.req(#wire, &self.#id);)
        }
    });
    let wires = plans.iter().map(|p| &p.field.name);
    let expecting = format!("struct {name}");
    let writer_binding = if plans.is_empty() {
        quote!(__writer)
    } else {
        quote!(mut __writer)
    };
    // A model without fields keeps every key in `extra`: one call reads
    // the whole object.
    let arms: Vec<(proc_macro2::Literal, TokenStream)> = arms.collect();
    let read = if plans.is_empty() {
        quote! {
            __reader.next_field(&mut #extra);
        }
    } else if let [(_, read)] = &arms[..] {
        // One field: every known key is that field's.
        quote! {
            while __reader.next_field(&mut #extra).is_some() {
                #read;
            }
        }
    } else {
        let arms = arms.iter().map(|(i, read)| quote!(#i => #read,));
        quote! {
            while let Some(__field) = __reader.next_field(&mut #extra) {
                match __field {
                    #(#arms)*
                    _ => {}
                }
            }
        }
    };
    quote! {
        impl Serialize for #name {
            fn serialize<S: Serializer>(&self, __serializer: S) -> Result<S::Ok, S::Error> {
                let #writer_binding = __private::Writer::new(__serializer)?;
                #(#puts)*
                __writer.end(&self.#extra)
            }
        }

        impl<'de> Deserialize<'de> for #name {
            fn deserialize<D: Deserializer<'de>>(__deserializer: D) -> Result<Self, D::Error> {
                __private::deserialize(__deserializer)
            }
        }

        impl __private::Model for #name {
            const EXPECTING: &'static str = #expecting;
            const FIELDS: &'static [&'static str] = &[#(#wires),*];
            fn from_map<'de, A: MapAccess<'de>>(__map: A) -> Result<Self, A::Error> {
                #(#slots)*
                let mut #extra = Map::new();
                let mut __reader = __private::Reader::new(__map, Self::FIELDS);
                #read
                __reader.end()?;
                Ok(#name {
                    #(#finish)*
                    #extra,
                })
            }
        }
    }
}

/// Validation code for a value of type `ty` (`value` is a reference).
fn check(
    ctx: &Ctx<'_>,
    ty: &Type,
    max_length: Option<u32>,
    value: TokenStream,
    path: TokenStream,
    depth: usize,
) -> Option<TokenStream> {
    match ty {
        Type::String => {
            let max = max_length?;
            Some(quote!(__private::check_len(#path, #value, #max, out);))
        }
        Type::Model(n) if ctx.validated_models.contains(n) => {
            Some(quote!(#value.validate_into(#path, out);))
        }
        Type::Array(inner) => {
            let i = format_ident!("i{}", depth);
            let item = format_ident!("item{}", depth);
            let inner_code = check(
                ctx,
                inner,
                max_length,
                quote!(#item),
                quote!(&__private::index(#path, #i)),
                depth + 1,
            )?;
            Some(quote! {
                for (#i, #item) in #value.iter().enumerate() {
                    #inner_code
                }
            })
        }
        _ => None,
    }
}

/// The type of the field's value: its Rust type, boxed where the model
/// nests itself.
fn value_type(ctx: &Ctx<'_>, p: &FieldPlan<'_>) -> TokenStream {
    let ty = rust_type(ctx, &p.field.ty);
    if p.boxed {
        quote!(Box<#ty>)
    } else {
        ty
    }
}

/// The type of the field: its value type, in an `Option` when optional.
fn field_type(ctx: &Ctx<'_>, p: &FieldPlan<'_>) -> TokenStream {
    let ty = value_type(ctx, p);
    if p.optional {
        quote!(Option<#ty>)
    } else {
        ty
    }
}

fn param_type(ctx: &Ctx<'_>, ty: &Type) -> TokenStream {
    match ty {
        Type::String => quote!(impl Into<String>),
        _ => rust_type(ctx, ty),
    }
}

fn convert_param(ty: &Type, value: TokenStream, boxed: bool) -> TokenStream {
    let v = match ty {
        Type::String => quote!(#value.into()),
        _ => value,
    };
    if boxed {
        quote!(Box::new(#v))
    } else {
        v
    }
}

fn field_doc(f: &Field, required_in_spec_but_optional: bool) -> TokenStream {
    let mut text = f.doc.trim().to_owned();
    if text.is_empty() {
        text = format!("`{}`.", f.name);
    }
    let mut notes = Vec::new();
    if let Some(max) = f.max_length {
        notes.push(format!("Maximum length: {max} characters."));
    }
    if required_in_spec_but_optional {
        notes.push("Present in successful responses.".to_owned());
    }
    if !notes.is_empty() {
        text.push_str("\n\n");
        text.push_str(&notes.join(" "));
    }
    doc_attrs(&text)
}

/// `::antom_runtime::BusinessStatus` for the inquiry responses among `models`.
fn business_status_impls(ctx: &Ctx<'_>, models: &BTreeSet<&str>) -> TokenStream {
    let mut seen = BTreeSet::new();
    let mut out = TokenStream::new();
    for e in &ctx.spec.endpoints {
        let Some(bs) = &e.business_status else {
            continue;
        };
        if !models.contains(e.response.as_str()) || !seen.insert(e.response.clone()) {
            continue;
        }
        let (Ok(resp), Ok(field)) = (
            ident::type_ident(&e.response),
            ident::snake_ident(&bs.field),
        ) else {
            continue;
        };
        let optional = ctx
            .spec
            .model(&e.response)
            .map(|m| ctx.is_lenient(m) || m.field(&bs.field).is_some_and(|f| !f.required))
            .unwrap_or(true);
        let body = if optional {
            quote!(self.#field.as_ref().and_then(|status| status.outcome()))
        } else {
            quote!(self.#field.outcome())
        };
        let doc = format!(" The outcome of `{}`.", bs.field);
        out.extend(quote! {
            impl ::antom_runtime::BusinessStatus for #resp {
                #[doc = #doc]
                fn business_outcome(&self) -> Option<::antom_runtime::BusinessOutcome> {
                    #body
                }
            }
        });
    }
    out
}
