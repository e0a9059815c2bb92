//! The spec-wide protocol constants (the sandbox path rule, the notification
//! acknowledgement and resend schedule, the notification identifier fields):
//! emitted into the generated API's modules and, on their own, as the
//! `antom-protocol` crate's `tables` module, which the runtime and the
//! conformance kit read.

use antom_spec::ir::{Acknowledgement, Sandbox, Spec};
use proc_macro2::TokenStream;
use quote::quote;

use crate::util::doc_attrs;
use crate::Error;

/// `SANDBOX_RULE`, typed by the `SandboxRule` at `krate` (`::antom_runtime`
/// in generated code, `crate` inside the protocol crate).
pub(crate) fn sandbox_rule(s: &Sandbox, krate: &TokenStream) -> TokenStream {
    let (c, p, sp) = (&s.client_id_prefix, &s.production_prefix, &s.sandbox_prefix);
    let doc = doc_attrs(&format!("The sandbox path rule.\n\n{}", s.doc.trim()));
    quote! {
        #doc
        pub const SANDBOX_RULE: #krate::SandboxRule = #krate::SandboxRule {
            client_id_prefix: #c,
            production_prefix: #p,
            sandbox_prefix: #sp,
        };
    }
}

/// `ACKNOWLEDGEMENT_BODY`, `ACKNOWLEDGEMENT_HTTP_STATUS` and
/// `RESEND_SCHEDULE_SECS`.
pub(crate) fn acknowledgement(ack: &Acknowledgement) -> TokenStream {
    let (status, body, schedule) = (ack.http_status, &ack.body, &ack.resend_schedule_secs);
    let doc = doc_attrs(&format!(
        "The body to answer a notification with.\n\n{}",
        ack.doc.trim()
    ));
    quote! {
        #doc
        pub const ACKNOWLEDGEMENT_BODY: &str = #body;
        /// The HTTP status to answer a notification with.
        pub const ACKNOWLEDGEMENT_HTTP_STATUS: u16 = #status;
        /// Delays between deliveries of an unacknowledged notification, in seconds.
        pub const RESEND_SCHEDULE_SECS: &[u64] = &[#(#schedule),*];
    }
}

/// The items of `antom_protocol::tables` for `spec`, which must have the
/// `sandbox` and `acknowledgement` sections.
pub fn protocol_tables(spec: &Spec) -> Result<TokenStream, Error> {
    let missing = |section: &'static str| Error::MissingSection {
        section,
        artefact: "the protocol tables",
    };
    let sandbox = spec.sandbox.as_ref().ok_or_else(|| missing("sandbox"))?;
    let ack = spec
        .acknowledgement
        .as_ref()
        .ok_or_else(|| missing("acknowledgement"))?;
    let rule = sandbox_rule(sandbox, &quote!(crate));
    let ack = acknowledgement(ack);
    Ok(quote! {
        //! The spec-wide protocol constants, generated from the spec by
        //! `cargo xtask gen`.
        #rule
        #ack
    })
}
