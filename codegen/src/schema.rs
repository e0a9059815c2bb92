//! The `schema` module: every model as data (`SCHEMAS`), for checking a JSON
//! body against the spec without its Rust type.

use antom_spec::ir::Type;
use proc_macro2::TokenStream;
use quote::quote;

use crate::ctx::Ctx;

pub fn generate(ctx: &Ctx<'_>) -> TokenStream {
    let models = ctx.spec.models.iter().map(|m| {
        let name = &m.name;
        let fields = m.fields.iter().map(|f| {
            let field = &f.name;
            let shape = shape(ctx, &f.ty);
            let required = f.required;
            let max = match f.max_length {
                Some(n) => quote!(::std::option::Option::Some(#n)),
                None => quote!(::std::option::Option::None),
            };
            quote! {
                ::antom_runtime::schema::FieldSchema {
                    name: #field,
                    shape: #shape,
                    required: #required,
                    max_length: #max,
                }
            }
        });
        quote! {
            ::antom_runtime::schema::ModelSchema {
                name: #name,
                fields: &[#(#fields),*],
            }
        }
    });
    quote! {
        /// Every model of the spec as data, sorted by name: check any JSON
        /// body against a model with `SCHEMAS.validate(model, &value)`, or
        /// build a valid one with `SCHEMAS.sample(model)`.
        pub static SCHEMAS: ::antom_runtime::schema::Schemas = ::antom_runtime::schema::Schemas {
            models: &[#(#models),*],
        };
    }
}

fn shape(ctx: &Ctx<'_>, ty: &Type) -> TokenStream {
    match ty {
        Type::String => quote!(::antom_runtime::schema::Shape::String),
        Type::Boolean => quote!(::antom_runtime::schema::Shape::Boolean),
        Type::Integer => quote!(::antom_runtime::schema::Shape::Integer),
        Type::Number => quote!(::antom_runtime::schema::Shape::Number),
        Type::Json => quote!(::antom_runtime::schema::Shape::Json),
        Type::Enum(name) => {
            let values = ctx
                .spec
                .enums
                .iter()
                .find(|e| &e.name == name)
                .map(|e| {
                    e.values
                        .iter()
                        .map(|v| v.value.as_str())
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default();
            quote!(::antom_runtime::schema::Shape::Enum(&[#(#values),*]))
        }
        Type::Model(name) => quote!(::antom_runtime::schema::Shape::Model(#name)),
        Type::Array(inner) => {
            let inner = shape(ctx, inner);
            quote!(::antom_runtime::schema::Shape::Array(&#inner))
        }
    }
}
