//! Tokens for values of the protocol's vocabulary (`antom-protocol`): an
//! action, a status, a business outcome, a result code's `CodeInfo` row.
//! The IR uses the protocol's own enums, so each variant is spelt by its
//! `Debug` name, the Rust name of the variant.

use antom_spec::ir::{Action, BusinessOutcome, SpecStatus};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

/// `::antom_runtime::Action::X`.
pub fn action_tokens(a: Action) -> TokenStream {
    let id = format_ident!("{}", format!("{:?}", a));
    quote!(::antom_runtime::Action::#id)
}

/// `::antom_runtime::SpecStatus::X`.
pub fn status_tokens(s: SpecStatus) -> TokenStream {
    let id = format_ident!("{}", format!("{:?}", s));
    quote!(::antom_runtime::SpecStatus::#id)
}

/// `::antom_runtime::BusinessOutcome::X`.
pub fn outcome_tokens(o: BusinessOutcome) -> TokenStream {
    let id = format_ident!("{}", format!("{:?}", o));
    quote!(::antom_runtime::BusinessOutcome::#id)
}

/// A `::antom_runtime::CodeInfo` value: `code` with the `status` and
/// `action` it has where it is listed, and whether the catalogue marks the
/// code `uncertain`.
pub fn code_info_tokens(
    spec: &antom_spec::ir::Spec,
    code: &str,
    status: SpecStatus,
    action: Action,
) -> TokenStream {
    let status = status_tokens(status);
    let action = action_tokens(action);
    let uncertain = spec
        .result_code(code)
        .is_some_and(|c| c.uncertain.is_some());
    quote!(::antom_runtime::CodeInfo { code: #code, status: #status, action: #action, uncertain: #uncertain })
}
