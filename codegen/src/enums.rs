//! Forward-compatible enums: the spec's closed enums, and the shared emitter
//! used for result codes and SDK event codes as well.

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use crate::ctx::Ctx;
use crate::rustdoc::doc_attrs;
use crate::vocab::outcome_tokens;
use crate::{ident, Error};

/// One variant of a generated enum.
pub struct Variant {
    pub ident: Ident,
    pub wire: String,
    pub doc: TokenStream,
    /// `#[deprecated(note = ...)]` text.
    pub deprecated: Option<String>,
}

/// Builds the variants of an enum from `(wire value, doc, deprecation)`,
/// reporting invalid names and collisions (including with `Unknown`).
pub fn variants<'a>(
    context: &str,
    values: impl IntoIterator<Item = (&'a str, TokenStream, Option<String>)>,
    errors: &mut Vec<Error>,
) -> Vec<Variant> {
    let mut out = Vec::new();
    let mut names: Vec<(&str, String)> = vec![("(unknown values)", "Unknown".to_owned())];
    for (wire, doc, deprecated) in values {
        match ident::variant_ident(wire) {
            Ok(id) => {
                names.push((wire, id.to_string()));
                out.push(Variant {
                    ident: id,
                    wire: wire.to_owned(),
                    doc,
                    deprecated,
                });
            }
            Err(e) => errors.push(e),
        }
    }
    errors.extend(ident::check_collisions(context, names));
    out
}

/// Emits a forward-compatible enum: one unit variant per known wire value
/// plus `Unknown(UnknownVariant)`, `KNOWN`, `as_str`, strict `try_parse`, lenient
/// `From<&str>`, and `Display`/`FromStr`/serde agreeing with the wire value.
/// `extra` is spliced into the inherent impl.
pub fn forward_compatible(
    name: &Ident,
    doc: TokenStream,
    variants: &[Variant],
    extra: TokenStream,
) -> TokenStream {
    let type_name = name.to_string();
    let idents: Vec<&Ident> = variants.iter().map(|v| &v.ident).collect();
    let wires: Vec<&str> = variants.iter().map(|v| v.wire.as_str()).collect();
    let decls = variants.iter().map(|v| {
        let id = &v.ident;
        let doc = &v.doc;
        let dep = v
            .deprecated
            .as_ref()
            .map(|note| quote!(#[deprecated(note = #note)]));
        quote! { #doc #dep #id, }
    });
    let any_deprecated = variants.iter().any(|v| v.deprecated.is_some());
    let allow = if any_deprecated {
        quote!(#[allow(deprecated)])
    } else {
        quote!()
    };
    quote! {
        #doc
        ///
        /// Forward compatible: a value this version does not know deserializes
        /// into `Unknown` and serializes back unchanged; use `try_parse` to
        /// reject it instead.
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #allow
        pub enum #name {
            #(#decls)*
            /// A value this version of the spec does not know, kept verbatim
            /// (`as_str()`). Only parsing makes one, so it never holds a
            /// known value.
            Unknown(::antom_runtime::UnknownVariant),
        }

        #allow
        impl #name {
            /// Every value the spec knows, in spec order.
            pub const KNOWN: &'static [#name] = &[#(#name::#idents),*];

            /// The wire value.
            pub fn as_str(&self) -> &str {
                match self {
                    #(#name::#idents => #wires,)*
                    #name::Unknown(value) => value.as_str(),
                }
            }

            /// Strict parse: only values the spec knows.
            pub fn try_parse(value: &str) -> ::std::result::Result<Self, ::antom_runtime::UnknownValue> {
                match value {
                    #(#wires => ::std::result::Result::Ok(#name::#idents),)*
                    other => ::std::result::Result::Err(::antom_runtime::UnknownValue {
                        type_name: #type_name,
                        value: ::std::borrow::ToOwned::to_owned(other),
                    }),
                }
            }

            /// Whether the value is one the spec knows.
            pub fn is_known(&self) -> bool {
                !matches!(self, #name::Unknown(_))
            }

            #extra
        }

        impl ::std::convert::From<&str> for #name {
            fn from(value: &str) -> Self {
                #name::try_parse(value)
                    .unwrap_or_else(|_| #name::Unknown(::antom_runtime::__private::unknown_variant(value)))
            }
        }

        impl ::std::str::FromStr for #name {
            type Err = ::std::convert::Infallible;
            fn from_str(value: &str) -> ::std::result::Result<Self, Self::Err> {
                ::std::result::Result::Ok(#name::from(value))
            }
        }

        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                let value = <::std::borrow::Cow<'de, str> as ::serde::Deserialize<'de>>::deserialize(deserializer)?;
                ::std::result::Result::Ok(#name::from(value.as_ref()))
            }
        }
    }
}

/// The `enums` module: every closed enum of the spec.
pub fn generate(ctx: &Ctx<'_>, errors: &mut Vec<Error>) -> TokenStream {
    let mut out = TokenStream::new();
    errors.extend(ident::check_collisions(
        "enums",
        ctx.spec.enums.iter().filter_map(|e| {
            ident::type_ident(&e.name)
                .ok()
                .map(|i| (e.name.as_str(), i.to_string()))
        }),
    ));
    for e in &ctx.spec.enums {
        let name = match ident::type_ident(&e.name) {
            Ok(n) => n,
            Err(err) => {
                errors.push(err);
                continue;
            }
        };
        if ctx.is_runtime_enum(&e.name) {
            let doc = doc_attrs(&format!(
                "{}\n\nThe runtime's protocol type: `antom_runtime::ResultStatus`.",
                e.doc
            ));
            out.extend(if name == "ResultStatus" {
                quote! {
                    #doc
                    pub use ::antom_runtime::ResultStatus;
                }
            } else {
                quote! {
                    #doc
                    pub use ::antom_runtime::ResultStatus as #name;
                }
            });
            continue;
        }
        let context = format!("enum {}", e.name);
        let vars = variants(
            &context,
            e.values.iter().map(|v| {
                let mut doc = v.doc.clone();
                if doc.trim().is_empty() {
                    doc = format!("`{}`.", v.value);
                } else {
                    doc = format!("`{}`: {}", v.value, doc);
                }
                (v.value.as_str(), doc_attrs(&doc), None)
            }),
            errors,
        );
        let extra = if e.values.iter().any(|v| v.outcome.is_some()) {
            let arms = vars.iter().zip(&e.values).map(|(var, v)| {
                let id = &var.ident;
                let outcome = match v.outcome {
                    Some(o) => {
                        let o = outcome_tokens(o);
                        quote!(::std::option::Option::Some(#o))
                    }
                    None => quote!(::std::option::Option::None),
                };
                quote!(#name::#id => #outcome,)
            });
            quote! {
                /// What this value means for the caller (`None` for values
                /// without a documented outcome and for unknown values).
                pub fn outcome(&self) -> ::std::option::Option<::antom_runtime::BusinessOutcome> {
                    match self {
                        #(#arms)*
                        #name::Unknown(_) => ::std::option::Option::None,
                    }
                }
            }
        } else {
            quote!()
        };
        out.extend(forward_compatible(&name, doc_attrs(&e.doc), &vars, extra));
    }
    out
}
