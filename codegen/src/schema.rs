//! The `schema` module: every model as data (`SCHEMAS`), for checking a JSON
//! body against the spec without its Rust type.
//!
//! The models are written as JSON text (`SCHEMAS_JSON`, one model per line),
//! read once at first use: a string literal costs the compiler nothing,
//! where the same table as Rust values is type-checked field by field.

use antom_spec::ir::{Model, Type};
use proc_macro2::TokenStream;
use quote::quote;
use serde_json::{json, Value};

use crate::ctx::Ctx;

pub fn generate(ctx: &Ctx<'_>) -> TokenStream {
    let mut models: Vec<&Model> = ctx.spec.models.iter().collect();
    models.sort_by(|a, b| a.name.cmp(&b.name));
    let lines: Vec<String> = models.iter().map(|m| model(ctx, m).to_string()).collect();
    let text = format!("{{\"models\": [\n{}\n]}}\n", lines.join(",\n"));
    let literal = raw_string(&text);
    quote! {
        /// Every model of the spec as data, sorted by name: check any JSON
        /// body against a model with `SCHEMAS.validate(model, &value)`, or
        /// build a valid one with `SCHEMAS.sample(model)`. Read from
        /// [`SCHEMAS_JSON`] at first use.
        pub static SCHEMAS: ::std::sync::LazyLock<::antom_runtime::schema::Schemas> =
            ::std::sync::LazyLock::new(|| {
                ::antom_runtime::schema::Schemas::from_json(SCHEMAS_JSON)
                    .expect("the generator writes SCHEMAS_JSON in the schema format")
            });

        /// [`SCHEMAS`] as JSON, in the form `antom_runtime::schema::Schemas::from_json`
        /// reads: one model per line.
        pub const SCHEMAS_JSON: &str = #literal;
    }
}

/// `{"name": ..., "fields": [...]}` with each field's shape, required flag
/// and maximum length (left out when there is none).
fn model(ctx: &Ctx<'_>, m: &Model) -> Value {
    let fields: Vec<Value> = m
        .fields
        .iter()
        .map(|f| {
            let mut field = json!({
                "name": f.name,
                "shape": shape(ctx, &f.ty),
                "required": f.required,
            });
            if let Some(max) = f.max_length {
                field["maxLength"] = json!(max);
            }
            field
        })
        .collect();
    json!({ "name": m.name, "fields": fields })
}

fn shape(ctx: &Ctx<'_>, ty: &Type) -> Value {
    match ty {
        Type::String => json!("string"),
        Type::Boolean => json!("boolean"),
        Type::Integer => json!("integer"),
        Type::Number => json!("number"),
        Type::Json => json!("json"),
        Type::Enum(name) => {
            let values: Vec<&str> = ctx
                .spec
                .enums
                .iter()
                .find(|e| &e.name == name)
                .map(|e| e.values.iter().map(|v| v.value.as_str()).collect())
                .unwrap_or_default();
            json!({ "enum": values })
        }
        Type::Model(name) => json!({ "model": name }),
        Type::Array(inner) => json!({ "array": shape(ctx, inner) }),
    }
}

/// `text` as a raw string literal, with as many `#` as it needs.
fn raw_string(text: &str) -> TokenStream {
    let mut hashes = String::from("#");
    while text.contains(&format!("\"{hashes}")) {
        hashes.push('#');
    }
    format!("r{hashes}\"{text}\"{hashes}")
        .parse()
        .expect("a raw string literal is one token")
}
