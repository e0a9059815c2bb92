//! The `codes` module: `ResultCode` (the result-code catalogue) and
//! `SdkEventCode` (client-side SDK callback codes), with their metadata.

use antom_spec::ir::CodeScope;
use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use crate::ctx::Ctx;
use crate::enums::{forward_compatible, variants, Variant};
use crate::rustdoc::doc_attrs;
use crate::vocab::{action_tokens, status_tokens};
use crate::{ident, Error};

/// The YAML spelling of a scope.
pub fn scope_str(s: CodeScope) -> &'static str {
    match s {
        CodeScope::Gateway => "gateway",
        CodeScope::Api => "api",
        CodeScope::Payment => "payment",
    }
}

pub fn generate(ctx: &Ctx<'_>, errors: &mut Vec<Error>) -> TokenStream {
    let mut out = result_codes(ctx, errors);
    out.extend(sdk_event_codes(ctx, errors));
    out
}

/// `match self { A => Some(i0), …, Unknown(_) => None }` for metadata tables.
fn index_fn(name: &Ident, vars: &[Variant]) -> TokenStream {
    let arms = vars.iter().enumerate().map(|(i, v)| {
        let id = &v.ident;
        quote!(#name::#id => ::std::option::Option::Some(#i),)
    });
    quote! {
        fn index(&self) -> ::std::option::Option<usize> {
            match self {
                #(#arms)*
                #name::Unknown(_) => ::std::option::Option::None,
            }
        }
    }
}

fn opt_str(s: &str) -> TokenStream {
    if s.trim().is_empty() {
        quote!(::std::option::Option::None)
    } else {
        quote!(::std::option::Option::Some(#s))
    }
}

fn result_codes(ctx: &Ctx<'_>, errors: &mut Vec<Error>) -> TokenStream {
    let name = format_ident!("ResultCode");
    let codes = &ctx.spec.result_codes;
    let vars = variants(
        "result codes",
        codes.iter().map(|c| {
            let mut doc = format!(
                "`{}` ({}, {}): {}",
                c.code,
                c.status.as_str(),
                c.action.as_str(),
                c.message.en.trim()
            );
            if !c.suggestion.en.trim().is_empty() {
                doc.push_str("\n\n");
                doc.push_str(c.suggestion.en.trim());
            }
            if let Some(u) = &c.uncertain {
                doc.push_str("\n\nUncertain: ");
                doc.push_str(u.trim());
            }
            (c.code.as_str(), doc_attrs(&doc), None)
        }),
        errors,
    );
    let rows = codes.iter().map(|c| {
        let status = status_tokens(c.status);
        let action = action_tokens(c.action);
        let scope = scope_str(c.scope);
        let payment_result = c.payment_result;
        let (men, mzh, sen, szh) = (
            opt_str(&c.message.en),
            opt_str(&c.message.zh),
            opt_str(&c.suggestion.en),
            opt_str(&c.suggestion.zh),
        );
        let uncertain = match &c.uncertain {
            Some(u) => quote!(::std::option::Option::Some(#u)),
            None => quote!(::std::option::Option::None),
        };
        quote! {
            ResultCodeMeta {
                status: #status,
                action: #action,
                scope: #scope,
                payment_result: #payment_result,
                message_en: #men,
                message_zh: #mzh,
                suggestion_en: #sen,
                suggestion_zh: #szh,
                uncertain: #uncertain,
            },
        }
    });
    let index = index_fn(&name, &vars);
    let extra = quote! {
        #index

        fn meta(&self) -> ::std::option::Option<&'static ResultCodeMeta> {
            self.index().map(|i| &RESULT_CODE_META[i])
        }

        /// The status the spec documents for this code (`None` for unknown codes).
        pub fn status(&self) -> ::std::option::Option<::antom_runtime::SpecStatus> {
            self.meta().map(|m| m.status)
        }

        /// What to do about this code in general (an endpoint may override
        /// it: see `EndpointDef::code_info`).
        pub fn action(&self) -> ::std::option::Option<::antom_runtime::Action> {
            self.meta().map(|m| m.action)
        }

        /// Whether sending the same request again (same request id) is
        /// right; `false` for unknown codes.
        pub fn is_retryable(&self) -> bool {
            self.meta().is_some_and(|m| m.action.is_retryable())
        }

        /// Where the code applies: `gateway`, `api` or `payment`.
        pub fn scope(&self) -> ::std::option::Option<&'static str> {
            self.meta().map(|m| m.scope)
        }

        /// Whether the code also appears as a `paymentResultCode`.
        pub fn is_payment_result(&self) -> bool {
            self.meta().is_some_and(|m| m.payment_result)
        }

        /// The English message.
        pub fn message_en(&self) -> ::std::option::Option<&'static str> {
            self.meta().and_then(|m| m.message_en)
        }

        /// The Chinese message.
        pub fn message_zh(&self) -> ::std::option::Option<&'static str> {
            self.meta().and_then(|m| m.message_zh)
        }

        /// The English suggestion.
        pub fn suggestion_en(&self) -> ::std::option::Option<&'static str> {
            self.meta().and_then(|m| m.suggestion_en)
        }

        /// The Chinese suggestion.
        pub fn suggestion_zh(&self) -> ::std::option::Option<&'static str> {
            self.meta().and_then(|m| m.suggestion_zh)
        }

        /// Why the spec's entry is not certain, if it is not.
        pub fn uncertain(&self) -> ::std::option::Option<&'static str> {
            self.meta().and_then(|m| m.uncertain)
        }
    };
    let mut out = forward_compatible(
        &name,
        doc_attrs("An Antom result code (`result.resultCode`), with the spec's metadata."),
        &vars,
        extra,
    );
    out.extend(quote! {
        struct ResultCodeMeta {
            status: ::antom_runtime::SpecStatus,
            action: ::antom_runtime::Action,
            scope: &'static str,
            payment_result: bool,
            message_en: ::std::option::Option<&'static str>,
            message_zh: ::std::option::Option<&'static str>,
            suggestion_en: ::std::option::Option<&'static str>,
            suggestion_zh: ::std::option::Option<&'static str>,
            uncertain: ::std::option::Option<&'static str>,
        }

        static RESULT_CODE_META: &[ResultCodeMeta] = &[#(#rows)*];
    });
    out
}

fn sdk_event_codes(ctx: &Ctx<'_>, errors: &mut Vec<Error>) -> TokenStream {
    let name = format_ident!("SdkEventCode");
    let codes = &ctx.spec.sdk_event_codes;
    let vars = variants(
        "SDK event codes",
        codes.iter().map(|c| {
            let mut doc = format!(
                "`{}` ({}, {}): {}",
                c.code,
                c.group.as_str(),
                callbacks_md(&c.callbacks),
                c.description.en.trim()
            );
            if !c.action.en.trim().is_empty() {
                doc.push_str("\n\nWhat to do: ");
                doc.push_str(c.action.en.trim());
            }
            if let Some(n) = &c.group_note {
                doc.push_str("\n\n");
                doc.push_str(n.trim());
            }
            let deprecated = c.deprecated.as_ref().map(|d| match &d.replaced_by {
                Some(r) => format!("use {r} instead; {}", d.note.trim()),
                None => d.note.trim().to_owned(),
            });
            (c.code.as_str(), doc_attrs(&doc), deprecated)
        }),
        errors,
    );
    let rows = codes.iter().map(|c| {
        let group = c.group.as_str();
        let callback = c.callbacks.join(" or ");
        let callbacks = &c.callbacks;
        let (den, dzh, aen, azh) = (
            opt_str(&c.description.en),
            opt_str(&c.description.zh),
            opt_str(&c.action.en),
            opt_str(&c.action.zh),
        );
        let deprecated = c.deprecated.is_some();
        let note = match &c.deprecated {
            Some(d) => {
                let n = &d.note;
                quote!(::std::option::Option::Some(#n))
            }
            None => quote!(::std::option::Option::None),
        };
        let replaced_by = match c.deprecated.as_ref().and_then(|d| d.replaced_by.as_ref()) {
            Some(r) => match ident::variant_ident(r) {
                Ok(id) => quote!(::std::option::Option::Some(SdkEventCode::#id)),
                Err(e) => {
                    errors.push(e);
                    quote!(::std::option::Option::None)
                }
            },
            None => quote!(::std::option::Option::None),
        };
        quote! {
            SdkEventCodeMeta {
                group: #group,
                callback: #callback,
                callbacks: &[#(#callbacks),*],
                description_en: #den,
                description_zh: #dzh,
                action_en: #aen,
                action_zh: #azh,
                deprecated: #deprecated,
                deprecation_note: #note,
                replaced_by: #replaced_by,
            },
        }
    });
    let rows: Vec<TokenStream> = rows.collect();
    let index = index_fn(&name, &vars);
    let extra = quote! {
        #index

        fn meta(&self) -> ::std::option::Option<&'static SdkEventCodeMeta> {
            self.index().map(|i| &SDK_EVENT_CODE_META[i])
        }

        /// The group, spelled as in the spec (`status`, `error`,
        /// `paymentResult`, `expressCheckout`, `redirect`).
        pub fn group(&self) -> ::std::option::Option<&'static str> {
            self.meta().map(|m| m.group)
        }

        /// The callback that receives the code, for display: one name (e.g.
        /// `onEventCallback`), or the names joined with ` or ` (e.g.
        /// `onEventCallback or onError`) when it depends on the SDK. Use
        /// [`callbacks`](Self::callbacks) to match on names.
        pub fn callback(&self) -> ::std::option::Option<&'static str> {
            self.meta().map(|m| m.callback)
        }

        /// Every callback that may deliver the code, in the spec's order
        /// (e.g. `["onEventCallback", "onError"]`); empty for an unknown code.
        /// Listen on all of them.
        pub fn callbacks(&self) -> &'static [&'static str] {
            self.meta().map(|m| m.callbacks).unwrap_or(&[])
        }

        /// The English description.
        pub fn description_en(&self) -> ::std::option::Option<&'static str> {
            self.meta().and_then(|m| m.description_en)
        }

        /// The Chinese description.
        pub fn description_zh(&self) -> ::std::option::Option<&'static str> {
            self.meta().and_then(|m| m.description_zh)
        }

        /// What the merchant should do, in English.
        pub fn action_en(&self) -> ::std::option::Option<&'static str> {
            self.meta().and_then(|m| m.action_en)
        }

        /// What the merchant should do, in Chinese.
        pub fn action_zh(&self) -> ::std::option::Option<&'static str> {
            self.meta().and_then(|m| m.action_zh)
        }

        /// Whether the SDK deprecated the code.
        pub fn is_deprecated(&self) -> bool {
            self.meta().is_some_and(|m| m.deprecated)
        }

        /// The deprecation note.
        pub fn deprecation_note(&self) -> ::std::option::Option<&'static str> {
            self.meta().and_then(|m| m.deprecation_note)
        }

        /// The code that replaces a deprecated one.
        pub fn replaced_by(&self) -> ::std::option::Option<SdkEventCode> {
            self.meta().and_then(|m| m.replaced_by.clone())
        }
    };
    let mut out = forward_compatible(
        &name,
        doc_attrs(
            "A client-side SDK event code (`onEventCallback` codes of the Antom web/app SDKs).\n\nEvent codes are for the UI only: the payment's state comes from inquiryPayment or notifyPayment.",
        ),
        &vars,
        extra,
    );
    let allow = if codes.iter().any(|c| c.deprecated.is_some()) {
        quote!(#[allow(deprecated)])
    } else {
        quote!()
    };
    out.extend(quote! {
        struct SdkEventCodeMeta {
            group: &'static str,
            callback: &'static str,
            callbacks: &'static [&'static str],
            description_en: ::std::option::Option<&'static str>,
            description_zh: ::std::option::Option<&'static str>,
            action_en: ::std::option::Option<&'static str>,
            action_zh: ::std::option::Option<&'static str>,
            deprecated: bool,
            deprecation_note: ::std::option::Option<&'static str>,
            replaced_by: ::std::option::Option<SdkEventCode>,
        }

        #allow
        static SDK_EVENT_CODE_META: &[SdkEventCodeMeta] = &[#(#rows)*];
    });
    out
}

/// The callbacks as Markdown: `` `a` `` or `` `a` or `b` ``.
pub(crate) fn callbacks_md(callbacks: &[String]) -> String {
    callbacks
        .iter()
        .map(|c| format!("`{c}`"))
        .collect::<Vec<_>>()
        .join(" or ")
}
