//! The `regions` module: `Region` with its hosts, and `SANDBOX_RULE`.

use proc_macro2::TokenStream;
use quote::quote;

use crate::ctx::Ctx;
use crate::rustdoc::doc_attrs;
use crate::{ident, Error};

pub fn generate(ctx: &Ctx<'_>, errors: &mut Vec<Error>) -> TokenStream {
    let spec = ctx.spec;
    let mut variants = Vec::new();
    let mut ids = Vec::new();
    let mut names = Vec::new();
    let mut hosts = Vec::new();
    let mut host_lists = Vec::new();
    let mut upload = Vec::new();
    let mut notes = Vec::new();
    let mut docs = Vec::new();
    errors.extend(ident::check_collisions(
        "regions",
        spec.regions.iter().filter_map(|r| {
            ident::variant_ident(&r.id)
                .ok()
                .map(|i| (r.id.as_str(), i.to_string()))
        }),
    ));
    for r in &spec.regions {
        let variant = match ident::variant_ident(&r.id) {
            Ok(v) => v,
            Err(e) => {
                errors.push(e);
                continue;
            }
        };
        let Some(host) = r
            .hosts
            .iter()
            .find(|h| h.recommended)
            .or_else(|| r.hosts.first())
        else {
            errors.push(Error::InvalidName {
                what: "region without hosts",
                name: r.id.clone(),
            });
            continue;
        };
        let urls: Vec<&str> = r.hosts.iter().map(|h| h.url.as_str()).collect();
        let mut doc = format!("{} (`{}`): {}", r.name, r.id, urls.join(", "));
        if let Some(n) = &r.note {
            doc.push_str("\n\n");
            doc.push_str(n.trim());
        }
        docs.push(doc_attrs(&doc));
        variants.push(variant);
        ids.push(r.id.clone());
        names.push(r.name.clone());
        hosts.push(host.url.clone());
        host_lists.push(quote!(&[#(#urls),*]));
        upload.push(match &r.upload_host {
            Some(u) => quote!(::std::option::Option::Some(#u)),
            None => quote!(::std::option::Option::None),
        });
        notes.push(match &r.note {
            Some(n) => quote!(::std::option::Option::Some(#n)),
            None => quote!(::std::option::Option::None),
        });
    }
    let mut out = quote! {
        /// A gateway region. There is no sandbox host: the sandbox is the same
        /// host with a different path (see `SANDBOX_RULE`).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Region {
            #(#docs #variants,)*
        }

        impl Region {
            /// Every region, sorted by id.
            pub const ALL: &'static [Region] = &[#(Region::#variants),*];

            /// The spec id (e.g. `NORTH_AMERICA`).
            pub fn id(self) -> &'static str {
                match self {
                    #(Region::#variants => #ids,)*
                }
            }

            /// The region's name.
            pub fn name(self) -> &'static str {
                match self {
                    #(Region::#variants => #names,)*
                }
            }

            /// The recommended host (scheme and host, no trailing slash).
            pub fn host(self) -> &'static str {
                match self {
                    #(Region::#variants => #hosts,)*
                }
            }

            /// Every host of the region, recommended first as in the spec.
            pub fn hosts(self) -> &'static [&'static str] {
                match self {
                    #(Region::#variants => #host_lists,)*
                }
            }

            /// The file-upload host, if the region has one.
            pub fn upload_host(self) -> ::std::option::Option<&'static str> {
                match self {
                    #(Region::#variants => #upload,)*
                }
            }

            /// A note on the region.
            pub fn note(self) -> ::std::option::Option<&'static str> {
                match self {
                    #(Region::#variants => #notes,)*
                }
            }

            /// The region whose id is `id`.
            pub fn from_id(id: &str) -> ::std::option::Option<Region> {
                Region::ALL.iter().copied().find(|r| r.id() == id)
            }
        }

        impl ::std::fmt::Display for Region {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.id())
            }
        }
    };
    if let Some(s) = &spec.sandbox {
        out.extend(crate::tables::sandbox_rule(s, &quote!(::antom_runtime)));
    }
    out
}
