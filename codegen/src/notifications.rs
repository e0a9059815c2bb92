//! The `notifications` module: payload re-exports, `NotificationKind`, the
//! `Notification` enum with its typed parse entry point, and the
//! acknowledgement constants.

use std::collections::BTreeSet;

use antom_spec::ir::Type;
use proc_macro2::TokenStream;
use quote::quote;

use crate::ctx::Ctx;
use crate::rustdoc::doc_attrs;
use crate::vocab::code_info_tokens;
use crate::{ident, Error};

pub fn generate(ctx: &Ctx<'_>, errors: &mut Vec<Error>) -> TokenStream {
    let spec = ctx.spec;
    let mut out = TokenStream::new();

    let payloads: BTreeSet<&str> = spec
        .notifications
        .iter()
        .map(|n| n.payload.as_str())
        .collect();
    for p in &payloads {
        if let Ok(id) = ident::type_ident(p) {
            out.extend(quote!(pub use super::models::#id;));
        }
    }

    errors.extend(ident::check_collisions(
        "notifications",
        spec.notifications
            .iter()
            .filter_map(|n| {
                ident::variant_ident(&n.name)
                    .ok()
                    .map(|i| (n.name.as_str(), i.to_string()))
            })
            .chain(std::iter::once((
                "(unknown notifications)",
                "Unknown".to_owned(),
            ))),
    ));
    errors.extend(ident::check_collisions(
        "notifyType values",
        spec.notifications.iter().flat_map(|n| {
            n.notify_types
                .iter()
                .map(move |t| (n.name.as_str(), t.clone()))
        }),
    ));

    let mut kinds = Vec::new();
    let mut names = Vec::new();
    let mut payloads = Vec::new();
    let mut types = Vec::new();
    let mut dedup_keys = Vec::new();
    let mut code_tables = Vec::new();
    let mut parse_arms = Vec::new();
    let mut parse_as_arms = Vec::new();
    let mut kind_arms = Vec::new();
    let mut result_arms = Vec::new();
    let mut dedup_arms = Vec::new();
    let mut variant_decls = Vec::new();
    for n in &spec.notifications {
        let (Ok(variant), Ok(payload)) =
            (ident::variant_ident(&n.name), ident::type_ident(&n.payload))
        else {
            errors.push(Error::InvalidName {
                what: "notification",
                name: n.name.clone(),
            });
            continue;
        };
        let model = spec.model(&n.payload);
        let name = &n.name;
        let nts = &n.notify_types;
        kinds.push(variant.clone());
        names.push(name.clone());
        payloads.push(n.payload.clone());
        types.push(quote!(&[#(#nts),*]));
        let keys = &n.dedup_keys;
        dedup_keys.push(quote!(&[#(#keys),*]));
        let rows = n.result_codes.iter().map(|c| {
            let info = code_info_tokens(ctx.spec, &c.code, c.status, c.action);
            quote!(#info,)
        });
        code_tables.push(quote!(&[#(#rows)*]));
        if !nts.is_empty() {
            parse_arms.push(variant.clone());
        }
        parse_as_arms.push(quote! {
            NotificationKind::#variant => Notification::#variant(::std::boxed::Box::new(
                ::serde_json::from_value(value).map_err(|e| NotificationError::Payload { kind: kind.name(), message: e.to_string() })?,
            )),
        });
        kind_arms.push(quote!(Notification::#variant(_) => ::std::option::Option::Some(NotificationKind::#variant),));
        let has_result = model.is_some_and(|m| m.field("result").is_some());
        result_arms.push(if has_result {
            quote!(Notification::#variant(p) => ::std::option::Option::Some(&p.result),)
        } else {
            quote!(Notification::#variant(_) => ::std::option::Option::None,)
        });
        // The string-typed keys, in the spec's order: the first one set wins.
        let dedup_fields: Vec<_> = n
            .dedup_keys
            .iter()
            .filter_map(|k| {
                let f = model?.field(k)?;
                (f.ty == Type::String)
                    .then(|| ident::snake_ident(k).ok())
                    .flatten()
            })
            .collect();
        dedup_arms.push(match dedup_fields.split_first() {
            Some((first, rest)) => quote! {
                Notification::#variant(p) => p.#first.as_deref()#(.or(p.#rest.as_deref()))*,
            },
            None => quote!(Notification::#variant(_) => ::std::option::Option::None,),
        });
        let doc = doc_attrs(&format!("`{}`: {}", n.name, n.doc.trim()));
        variant_decls.push(quote!(#doc #variant(::std::boxed::Box<#payload>),));
    }

    // A spec without notifications has an empty `NotificationKind`: the
    // match is the whole body (wrapping it in `Ok` would be unreachable).
    let parse_value_body = if parse_as_arms.is_empty() {
        quote!(match kind {})
    } else {
        quote! {
            ::std::result::Result::Ok(match kind {
                #(#parse_as_arms)*
            })
        }
    };
    let dispatch = if parse_arms.is_empty() {
        quote! {
            let _ = notify_type;
            ::std::result::Result::Ok(Notification::Unknown(value))
        }
    } else {
        let arms = spec
            .notifications
            .iter()
            .filter(|n| !n.notify_types.is_empty())
            .filter_map(|n| {
                let variant = ident::variant_ident(&n.name).ok()?;
                let nts = &n.notify_types;
                Some(quote!(::std::option::Option::Some(#(#nts)|*) => NotificationKind::#variant,))
            });
        quote! {
            let kind = match notify_type.as_deref() {
                #(#arms)*
                _ => return ::std::result::Result::Ok(Notification::Unknown(value)),
            };
            Notification::parse_value(kind, value)
        }
    };

    out.extend(quote! {
        /// Which notification a payload is.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum NotificationKind {
            #(
                #[doc = concat!(" `", #names, "`.")]
                #kinds,
            )*
        }

        impl NotificationKind {
            /// Every notification of the spec, sorted by name.
            pub const ALL: &'static [NotificationKind] = &[#(NotificationKind::#kinds),*];

            /// The spec name (e.g. `notifyPayment`).
            pub fn name(self) -> &'static str {
                match self {
                    #(NotificationKind::#kinds => #names,)*
                }
            }

            /// The name of the payload's model (in [`SCHEMAS`](super::schema::SCHEMAS)).
            pub fn payload_model(self) -> &'static str {
                match self {
                    #(NotificationKind::#kinds => #payloads,)*
                }
            }

            /// The `notifyType` values that identify this notification (may be empty).
            pub fn notify_types(self) -> &'static [&'static str] {
                match self {
                    #(NotificationKind::#kinds => #types,)*
                }
            }

            /// Wire names of the payload fields that identify a delivery, for
            /// idempotent handling of redeliveries, most specific first: the
            /// first one present identifies it.
            pub fn dedup_keys(self) -> &'static [&'static str] {
                match self {
                    #(NotificationKind::#kinds => #dedup_keys,)*
                }
            }

            /// The result codes the spec documents for this notification.
            pub fn result_codes(self) -> &'static [::antom_runtime::CodeInfo] {
                match self {
                    #(NotificationKind::#kinds => #code_tables,)*
                }
            }

            /// The notification whose spec name is `name`.
            pub fn by_name(name: &str) -> ::std::option::Option<Self> {
                NotificationKind::ALL.iter().copied().find(|k| k.name() == name)
            }
        }

        /// A notification body that could not be verified or parsed: one
        /// error type for the whole webhook path.
        pub use ::antom_runtime::notification::NotificationError;

        /// A parsed notification.
        ///
        /// Parse only bodies whose signature was verified first
        /// (`antom_runtime` verifies notifications).
        #[derive(Debug, Clone)]
        pub enum Notification {
            #(#variant_decls)*
            /// A body whose `notifyType` is absent or unknown to this
            /// version, kept as JSON. Use [`Notification::parse_as`] when the
            /// endpoint that received it tells the kind.
            Unknown(::serde_json::Value),
        }

        impl Notification {
            /// Parses a verified notification body, choosing the payload type
            /// by its `notifyType`.
            pub fn parse(body: &[u8]) -> ::std::result::Result<Self, NotificationError> {
                let value: ::serde_json::Value = ::serde_json::from_slice(body).map_err(|e| NotificationError::NotJson(e.to_string()))?;
                if !value.is_object() {
                    return ::std::result::Result::Err(NotificationError::NotJson(
                        ::std::borrow::ToOwned::to_owned("not an object"),
                    ));
                }
                let notify_type: ::std::option::Option<::std::string::String> = value
                    .get("notifyType")
                    .and_then(::serde_json::Value::as_str)
                    .map(::std::borrow::ToOwned::to_owned);
                #dispatch
            }

            /// Parses a verified notification body as `kind` (for
            /// notifications without a `notifyType`, known by the URL they
            /// arrive on).
            pub fn parse_as(kind: NotificationKind, body: &[u8]) -> ::std::result::Result<Self, NotificationError> {
                let value: ::serde_json::Value = ::serde_json::from_slice(body).map_err(|e| NotificationError::NotJson(e.to_string()))?;
                Notification::parse_value(kind, value)
            }

            fn parse_value(kind: NotificationKind, value: ::serde_json::Value) -> ::std::result::Result<Self, NotificationError> {
                #parse_value_body
            }

            /// Which notification this is (`None` for `Unknown`).
            pub fn kind(&self) -> ::std::option::Option<NotificationKind> {
                match self {
                    #(#kind_arms)*
                    Notification::Unknown(_) => ::std::option::Option::None,
                }
            }

            /// The payload's `result`.
            pub fn result(&self) -> ::std::option::Option<&::antom_runtime::ApiResult> {
                match self {
                    #(#result_arms)*
                    Notification::Unknown(_) => ::std::option::Option::None,
                }
            }

            /// The value of the first dedup key the payload carries (see
            /// [`NotificationKind::dedup_keys`]).
            pub fn dedup_value(&self) -> ::std::option::Option<&str> {
                match self {
                    #(#dedup_arms)*
                    Notification::Unknown(_) => ::std::option::Option::None,
                }
            }
        }
    });

    if let Some(ack) = &spec.acknowledgement {
        out.extend(crate::tables::acknowledgement(ack));
    }
    out
}
