//! Type mapping: the Rust type of a spec type, and the Rust name of a spec
//! type name.

use std::collections::BTreeSet;

use antom_spec::ir::Type;
use proc_macro2::{Ident, TokenStream};
use quote::quote;

use crate::ctx::{Ctx, RESULT_MODEL};
use crate::ident;

/// The Rust type of a field type (without `Option`/`Box`), as written in a
/// models family module: std types by their prelude names, `serde_json`'s
/// `Value` and the spec's enums and models by their bare names (the module
/// imports them, see [`spec_types`]), runtime types fully qualified.
pub fn rust_type(ctx: &Ctx<'_>, ty: &Type) -> TokenStream {
    match ty {
        Type::String => quote!(String),
        Type::Boolean => quote!(bool),
        Type::Integer => quote!(i64),
        Type::Number => quote!(f64),
        Type::Json => quote!(Value),
        Type::Enum(name) if ctx.is_runtime_enum(name) => {
            quote!(::antom_runtime::ResultStatus)
        }
        Type::Enum(name) => {
            let id = type_ident_lossy(name);
            quote!(#id)
        }
        Type::Model(name) if name == RESULT_MODEL => quote!(::antom_runtime::ApiResult),
        Type::Model(name) => {
            let id = type_ident_lossy(name);
            quote!(#id)
        }
        Type::Array(inner) => {
            let inner = rust_type(ctx, inner);
            quote!(Vec<#inner>)
        }
    }
}

/// `ident::type_ident`, falling back to a placeholder: the name error itself
/// is reported where the type is defined.
pub fn type_ident_lossy(name: &str) -> Ident {
    ident::type_ident(name)
        .unwrap_or_else(|_| proc_macro2::Ident::new("InvalidName", proc_macro2::Span::call_site()))
}

/// The spec enums and models that `ty` names by bare name (see
/// [`rust_type`]), added to `enums` and `models`.
pub fn spec_types<'t>(
    ctx: &Ctx<'_>,
    ty: &'t Type,
    enums: &mut BTreeSet<&'t str>,
    models: &mut BTreeSet<&'t str>,
) {
    match ty {
        Type::Enum(name) if !ctx.is_runtime_enum(name) => {
            enums.insert(name);
        }
        Type::Model(name) if name != RESULT_MODEL => {
            models.insert(name);
        }
        Type::Array(inner) => spec_types(ctx, inner, enums, models),
        _ => {}
    }
}
