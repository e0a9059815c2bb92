//! The `client` module: `Client` over `::antom_runtime::Client`, one
//! accessor per endpoint family and one method per endpoint, returning the call to await.

use std::collections::BTreeMap;

use antom_spec::ir::Endpoint;
use proc_macro2::TokenStream;
use quote::quote;

use crate::ctx::Ctx;
use crate::rustdoc::doc_attrs;
use crate::{ident, Error};

pub fn generate(ctx: &Ctx<'_>, errors: &mut Vec<Error>) -> TokenStream {
    if ctx.spec.sandbox.is_none() {
        // Without the sandbox rule there is no correct client to build.
        return quote!();
    }
    let mut families: BTreeMap<&str, Vec<&Endpoint>> = BTreeMap::new();
    for e in &ctx.spec.endpoints {
        families.entry(e.family.as_str()).or_default().push(e);
    }
    errors.extend(ident::check_collisions(
        "endpoint families",
        families.keys().map(|f| (*f, ident::snake(f))).chain([
            ("(client method)", "runtime".to_owned()),
            ("(client method)", "new".to_owned()),
            ("(client method)", "config_builder".to_owned()),
            ("(client method)", "from_runtime".to_owned()),
        ]),
    ));

    let mut accessors = TokenStream::new();
    let mut family_items = TokenStream::new();
    let mut json_arms = Vec::new();
    for (family, endpoints) in &families {
        let (Ok(accessor), Ok(ty)) = (ident::snake_ident(family), ident::camel_ident(family))
        else {
            errors.push(Error::InvalidName {
                what: "family",
                name: (*family).to_owned(),
            });
            continue;
        };
        errors.extend(ident::check_collisions(
            &format!("family {family}"),
            endpoints
                .iter()
                .map(|e| (e.name.as_str(), ident::snake(&e.name))),
        ));
        let acc_doc = format!(" The `{family}` endpoints.");
        let cfg = ctx.family_cfg(family);
        accessors.extend(quote! {
            #[doc = #acc_doc]
            #cfg
            pub fn #accessor(&self) -> #ty<'_> {
                #ty { inner: &self.inner }
            }
        });
        for e in endpoints {
            let (Ok(method), Ok(req)) =
                (ident::snake_ident(&e.name), ident::type_ident(&e.request))
            else {
                continue;
            };
            let name = &e.name;
            let cfg = ctx.family_cfg(family);
            json_arms.push(quote! {
                #cfg
                #name => {
                    let request: super::models::#req = from_json(endpoint, request)?;
                    self.#accessor().#method(&request).await.map(to_json)
                }
            });
        }
        let methods = endpoints.iter().filter_map(|e| {
            let method = ident::snake_ident(&e.name).ok()?;
            let constant = ident::const_ident(&e.name).ok()?;
            let req = ident::type_ident(&e.request).ok()?;
            let resp = ident::type_ident(&e.response).ok()?;
            let mut doc = format!("`{}` (`POST {}`): {}", e.name, e.path, e.doc.trim());
            doc.push_str(
                "\n\nThe request's length limits are checked when the method is called, and nothing is sent when they fail; the returned call sends the request when awaited.",
            );
            if let Some(k) = &e.idempotency_key {
                doc.push_str(&format!(
                    "\n\nIdempotent on `{k}`: after an unknown outcome, call again with the same `{k}`."
                ));
            }
            if e.business_status.is_some() {
                doc.push_str(
                    "\n\nThe response implements `antom_runtime::BusinessStatus`: `resultStatus` describes the inquiry call, the business status describes the transaction.",
                );
            }
            let doc = doc_attrs(&doc);
            Some(quote! {
                #doc
                pub fn #method(self, request: &super::models::#req) -> Call<'a, super::models::#resp> {
                    self.inner.call(&super::endpoints::#constant, request)
                }
            })
        });
        let methods: Vec<TokenStream> = methods.collect();
        let doc = format!(" The `{family}` endpoints (from [`Client::{accessor}`]).");
        family_items.extend(quote! {
            #[doc = #doc]
            #cfg
            #[derive(Debug, Clone, Copy)]
            pub struct #ty<'a> {
                inner: &'a ::antom_runtime::Client,
            }

            #cfg
            impl<'a> #ty<'a> {
                #(#methods)*
            }
        });
    }

    let call_json_cfg = ctx.feature_cfg("call-json");
    quote! {
        /// The typed Antom client: one accessor per endpoint family, one
        /// method per endpoint returning the [`Call`] to await.
        ///
        /// Every call signs the request, verifies the response, retries what is
        /// safe to retry and maps the result to an
        /// [`Outcome`](::antom_runtime::Outcome) with a typed
        /// [`ResultCode`](super::codes::ResultCode).
        #[derive(Debug, Clone)]
        pub struct Client {
            inner: ::antom_runtime::Client,
        }

        impl Client {
            /// A client for `config`, with the spec's sandbox path rule
            /// ([`SANDBOX_RULE`](super::regions::SANDBOX_RULE)) installed:
            /// signing a path the gateway does not expect would fail every
            /// call with `INVALID_SIGNATURE`.
            pub fn new(config: ::antom_runtime::ClientConfig) -> ::std::result::Result<Self, ::antom_runtime::Error> {
                let config = config.with_sandbox_rule(super::regions::SANDBOX_RULE);
                let inner = ::antom_runtime::Client::new(config)?;
                ::std::result::Result::Ok(Client { inner })
            }

            /// A configuration builder preset with the spec's sandbox path rule.
            pub fn config_builder() -> ::antom_runtime::ClientConfigBuilder {
                ::antom_runtime::ClientConfig::builder().sandbox_rule(super::regions::SANDBOX_RULE)
            }

            /// Wraps an already built runtime client.
            pub fn from_runtime(inner: ::antom_runtime::Client) -> Self {
                Client { inner }
            }

            /// The underlying runtime client (for raw calls).
            pub fn runtime(&self) -> &::antom_runtime::Client {
                &self.inner
            }

            #call_json_cfg
            /// Calls `endpoint` with a JSON request read into the endpoint's
            /// typed request model, so it is sent as the typed method sends
            /// it: validated, serialized by the model, to the endpoint's own
            /// path. The typed response comes back as JSON. A request that does
            /// not fit the model (or an endpoint this API does not have) is
            /// `Error::InvalidRequest`, and nothing is sent.
            ///
            /// In the `antom` crate this needs the feature `call-json` (it
            /// instantiates every endpoint's call).
            pub async fn call_json(
                &self,
                endpoint: &'static ::antom_runtime::EndpointDef,
                request: ::serde_json::Value,
            ) -> ::std::result::Result<
                ::antom_runtime::Response<::serde_json::Value, super::codes::ResultCode>,
                ::antom_runtime::Error,
            > {
                match endpoint.name {
                    #(#json_arms)*
                    _ => {
                        ::std::mem::drop(request);
                        ::std::result::Result::Err(::antom_runtime::Error::InvalidRequest {
                            endpoint: endpoint.name,
                            source: ::std::convert::From::from("not an endpoint of this API (or its family's feature is off)"),
                        })
                    }
                }
            }

            #accessors
        }

        #family_items

        /// `request` read into `Req`, or `Error::InvalidRequest` naming the field.
        #call_json_cfg
        #[allow(dead_code)]
        fn from_json<Req: ::serde::de::DeserializeOwned>(
            endpoint: &'static ::antom_runtime::EndpointDef,
            request: ::serde_json::Value,
        ) -> ::std::result::Result<Req, ::antom_runtime::Error> {
            ::serde_json::from_value(request).map_err(|e| ::antom_runtime::Error::InvalidRequest {
                endpoint: endpoint.name,
                source: ::std::boxed::Box::new(e),
            })
        }

        /// A typed response as JSON (a model always serializes).
        #call_json_cfg
        #[allow(dead_code)]
        fn to_json<Resp: ::serde::Serialize>(
            response: ::antom_runtime::Response<Resp, super::codes::ResultCode>,
        ) -> ::antom_runtime::Response<::serde_json::Value, super::codes::ResultCode> {
            response.map(|r| ::serde_json::to_value(r).unwrap_or(::serde_json::Value::Null))
        }

        /// A call of one endpoint, sent when awaited: what the endpoint
        /// methods return. Its output is the typed response, with the result
        /// code read into [`ResultCode`](super::codes::ResultCode).
        pub type Call<'a, Resp> = ::antom_runtime::Call<'a, Resp, super::codes::ResultCode>;
    }
}
