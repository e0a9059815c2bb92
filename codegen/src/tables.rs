//! The spec-wide protocol constants (the sandbox path rule, the notification
//! acknowledgement and resend schedule, the notification identifier fields):
//! emitted into the generated API's modules and, on their own, as the
//! `antom-protocol` crate's `tables` module, which the runtime and the
//! conformance kit read.

use antom_spec::ir::{Acknowledgement, Sandbox, Spec};
use proc_macro2::TokenStream;
use quote::quote;

use crate::rustdoc::doc_attrs;
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
    let ids = notification_id_fields(spec);
    Ok(quote! {
        //! The spec-wide protocol constants, generated from the spec by
        //! `cargo xtask gen`.
        #rule
        #ack
        /// The payload fields that identify what a notification is about, for
        /// a notification whose kind is not known: every notification's
        /// `dedupKeys`, each notification's most specific key before any
        /// notification's fallbacks (a key is placed at the earliest rank it
        /// has in any list).
        pub const NOTIFICATION_ID_FIELDS: &[&str] = &[#(#ids),*];
    })
}

/// The union of the notifications' `dedupKeys`, ordered by rank in their list
/// (then by notification), each key once.
fn notification_id_fields(spec: &Spec) -> Vec<&str> {
    let mut ranked: Vec<(usize, usize, &str)> = spec
        .notifications
        .iter()
        .enumerate()
        .flat_map(|(n, note)| {
            note.dedup_keys
                .iter()
                .enumerate()
                .map(move |(rank, k)| (rank, n, k.as_str()))
        })
        .collect();
    ranked.sort();
    let mut out: Vec<&str> = Vec::new();
    for (_, _, k) in ranked {
        if !out.contains(&k) {
            out.push(k);
        }
    }
    out
}
