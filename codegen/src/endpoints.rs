//! The `endpoints` module: one `::antom_runtime::EndpointDef` constant per
//! endpoint (behind its family's feature in the `antom` crate), `ALL` and
//! `by_name`.

use std::collections::{BTreeMap, BTreeSet};

use antom_spec::ir::{Action, SpecStatus};
use heck::ToShoutySnakeCase;
use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

use crate::ctx::Ctx;
use crate::rustdoc::doc_attrs;
use crate::vocab::{code_info_tokens, outcome_tokens, status_tokens};
use crate::{ident, Error};

pub fn generate(ctx: &Ctx<'_>, errors: &mut Vec<Error>) -> TokenStream {
    let mut out = TokenStream::new();
    let mut consts = Vec::new();
    // One constant per distinct (code, status, action): the endpoint tables
    // share them instead of repeating every gateway code's literal.
    let names = row_names(ctx);
    errors.extend(ident::check_collisions(
        "endpoints",
        ctx.spec
            .endpoints
            .iter()
            .filter_map(|e| {
                ident::const_ident(&e.name)
                    .ok()
                    .map(|i| (e.name.as_str(), i.to_string()))
            })
            .chain(std::iter::once((
                "(list of all endpoints)",
                "ALL".to_owned(),
            ))),
    ));
    for e in &ctx.spec.endpoints {
        let id = match ident::const_ident(&e.name) {
            Ok(id) => id,
            Err(err) => {
                errors.push(err);
                continue;
            }
        };
        let codes = ctx.spec.codes_of(e);
        let code_rows: Vec<TokenStream> = codes
            .iter()
            .map(|c| {
                let id = &names[&(c.code.clone(), c.status, c.action)];
                quote!(code_info::#id)
            })
            .collect();
        let (name, family, path, rewrite) = (&e.name, &e.family, &e.path, e.sandbox_rewrite);
        let (request, response) = (&e.request, &e.response);
        let key = match &e.idempotency_key {
            Some(k) => quote!(::std::option::Option::Some(#k)),
            None => quote!(::std::option::Option::None),
        };
        let business = match &e.business_status {
            Some(bs) => {
                let field = &bs.field;
                let values = ctx
                    .spec
                    .enum_(&bs.enum_name)
                    .into_iter()
                    .flat_map(|en| &en.values)
                    .filter_map(|v| {
                        let value = &v.value;
                        let outcome = outcome_tokens(v.outcome?);
                        Some(quote!((#value, #outcome)))
                    });
                quote! {
                    ::std::option::Option::Some(::antom_runtime::BusinessStatusDef {
                        field: #field,
                        values: &[#(#values),*],
                    })
                }
            }
            None => quote!(::std::option::Option::None),
        };
        let echoes = &e.echoes;
        let uncertain_keys = &e.uncertain_keys;
        let spent_on = ctx.spec.spent_on(e);
        let spent_tokens = spent_on.iter().map(|s| status_tokens(*s));
        let mut doc = format!("`{}` (`POST {}`): {}", e.name, e.path, e.doc.trim());
        doc.push_str(&format!(
            "\n\nRequest: [`{req}`](super::models::{req}); response: [`{resp}`](super::models::{resp}).",
            req = e.request,
            resp = e.response
        ));
        if let Some(k) = &e.idempotency_key {
            doc.push_str(&format!(
                "\n\nIdempotency key: `{k}` (retry with the same value)."
            ));
            if !spent_on.is_empty() {
                let list: Vec<&str> = spent_on.iter().map(|s| s.as_str()).collect();
                doc.push_str(&format!(
                    " After a signed {} the key is spent: a new attempt needs a new value.",
                    list.join(" or ")
                ));
            }
        }
        if !echoes.is_empty() {
            let list: Vec<String> = echoes.iter().map(|f| format!("`{f}`")).collect();
            doc.push_str(&format!(
                "\n\nThe response echoes {}: an answer carrying another value is refused.",
                list.join(", ")
            ));
        }
        if !e.sandbox_rewrite {
            doc.push_str("\n\nNever rewritten to the sandbox path.");
        }
        if let Some(u) = &e.uncertain {
            doc.push_str("\n\nUncertain: ");
            doc.push_str(u.trim());
        }
        let doc = doc_attrs(&doc);
        let cfg = ctx.family_cfg(&e.family);
        out.extend(quote! {
            #doc
            #cfg
            pub const #id: ::antom_runtime::EndpointDef = ::antom_runtime::EndpointDef {
                name: #name,
                family: #family,
                path: #path,
                request: #request,
                response: #response,
                sandbox_rewrite: #rewrite,
                idempotency_key: #key,
                echoes: &[#(#echoes),*],
                spent_on: &[#(#spent_tokens),*],
                uncertain_keys: &[#(#uncertain_keys),*],
                result_codes: &[#(#code_rows),*],
                business_status: #business,
            };
        });
        consts.push(quote!(#cfg &#id));
    }
    let table = names.iter().map(|((code, status, action), id)| {
        let info = code_info_tokens(ctx.spec, code, *status, *action);
        let doc = format!(" `{code}`.");
        quote! {
            #[doc = #doc]
            pub const #id: ::antom_runtime::CodeInfo = #info;
        }
    });
    out.extend(quote! {
        /// The distinct `CodeInfo` rows shared by the endpoint tables, named by
        /// code (and by status and action where endpoints disagree on them).
        /// The rows only families whose feature is off return go unused.
        #[allow(dead_code)]
        mod code_info {
            #(#table)*
        }

        /// Every endpoint (of the families whose feature is on), sorted by
        /// family, then name.
        pub const ALL: &[&::antom_runtime::EndpointDef] = &[#(#consts),*];

        /// The endpoint whose spec name (e.g. `inquiryPayment`) is `name`.
        pub fn by_name(name: &str) -> ::std::option::Option<&'static ::antom_runtime::EndpointDef> {
            ALL.iter().copied().find(|e| e.name == name)
        }
    });
    out
}

/// The name of each distinct `(code, status, action)` row the endpoints
/// return: the code itself, or `CODE_<STATUS>_<ACTION>` for a code whose
/// status or action differs between endpoints.
fn row_names(ctx: &Ctx<'_>) -> BTreeMap<(String, SpecStatus, Action), Ident> {
    let rows: BTreeSet<(String, SpecStatus, Action)> = ctx
        .spec
        .endpoints
        .iter()
        .flat_map(|e| ctx.spec.codes_of(e))
        .map(|c| (c.code, c.status, c.action))
        .collect();
    let mut per_code: BTreeMap<&str, usize> = BTreeMap::new();
    for (code, _, _) in &rows {
        *per_code.entry(code.as_str()).or_default() += 1;
    }
    rows.iter()
        .map(|row @ (code, status, action)| {
            let name = if per_code[code.as_str()] == 1 {
                code.clone()
            } else {
                format!(
                    "{code}_{}_{}",
                    status.as_str(),
                    action.as_str().to_shouty_snake_case()
                )
            };
            (row.clone(), Ident::new(&name, Span::call_site()))
        })
        .collect()
}
