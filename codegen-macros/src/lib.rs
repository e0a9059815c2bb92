//! Proc-macro entry point over the generator engine (`antom-codegen`).
//!
//! Place in the data path: spec → IR → **codegen** → generated: the
//! compile-time shell of the engine, the twin of `cargo xtask gen`.
//!
//! ```ignore
//! antom_codegen_macros::antom_api!("spec/antom");
//! // → pub mod enums { … } pub mod models { … } … pub use codes::ResultCode; …
//!
//! // Only some endpoint families (and the models they need), like the
//! // generated crate's per-family features:
//! antom_codegen_macros::antom_api!("spec/antom", families = ["payments", "vaults"]);
//! ```
//!
//! The path is relative to the invoking crate's `CARGO_MANIFEST_DIR`. The
//! expansion includes every YAML file of the spec with a hidden
//! `include_str!`, so the compiler rebuilds when one changes. Spec errors
//! become `compile_error!`s on the path literal, all at once, each naming
//! `file:line:col` inside the YAML. The expansion needs `antom-runtime`,
//! `serde` and `serde_json` as dependencies of the invoking crate.

use std::path::{Path, PathBuf};

use proc_macro2::{Span, TokenStream};
use quote::{quote, quote_spanned};
use syn::parse::{Parse, ParseStream};
use syn::punctuated::Punctuated;
use syn::{Ident, LitStr, Token};

/// Environment variable that overrides `CARGO_MANIFEST_DIR` as the base of the
/// spec path (for UI tests, whose build runs in a scratch project).
const MANIFEST_DIR_OVERRIDE: &str = "ANTOM_CODEGEN_MANIFEST_DIR";

/// The macro's input: `"spec/dir"` and optionally `families = ["…", …]`.
struct Args {
    path: LitStr,
    families: Option<Vec<String>>,
}

impl Parse for Args {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        let path: LitStr = input.parse()?;
        let mut families = None;
        if input.parse::<Option<Token![,]>>()?.is_some() && !input.is_empty() {
            let key: Ident = input.parse()?;
            if key != "families" {
                return Err(syn::Error::new(
                    key.span(),
                    "expected `families = [\"payments\", ...]`",
                ));
            }
            input.parse::<Token![=]>()?;
            let list;
            syn::bracketed!(list in input);
            let names = Punctuated::<LitStr, Token![,]>::parse_terminated(&list)?;
            families = Some(names.iter().map(LitStr::value).collect());
            input.parse::<Option<Token![,]>>()?;
        }
        Ok(Args { path, families })
    }
}

/// Expands to the typed Antom API generated from the spec directory given as
/// a string literal relative to `CARGO_MANIFEST_DIR`, optionally only the
/// endpoint families listed in `families = [...]`.
#[proc_macro]
pub fn antom_api(input: proc_macro::TokenStream) -> proc_macro::TokenStream {
    let args = match syn::parse::<Args>(input) {
        Ok(args) => args,
        Err(e) => return e.to_compile_error().into(),
    };
    expand(&args.path, args.families).into()
}

fn compile_error(span: Span, message: &str) -> TokenStream {
    quote_spanned!(span=> ::core::compile_error!(#message);)
}

fn expand(lit: &LitStr, families: Option<Vec<String>>) -> TokenStream {
    let span = lit.span();
    let rel = lit.value();
    let base = std::env::var_os(MANIFEST_DIR_OVERRIDE)
        .or_else(|| std::env::var_os("CARGO_MANIFEST_DIR"))
        .map(PathBuf::from)
        .unwrap_or_default();
    let dir = base.join(&rel);
    if !dir.is_dir() {
        return compile_error(
            span,
            &format!("spec directory `{rel}` not found (paths are relative to CARGO_MANIFEST_DIR)"),
        );
    }
    let mut files = Vec::new();
    if let Err(e) = yaml_files(&dir, &mut files) {
        return compile_error(span, &format!("cannot read spec directory `{rel}`: {e}"));
    }
    files.sort();
    let includes = files.iter().filter_map(|f| f.to_str()).map(|f| {
        quote!(
            const _: &str = ::core::include_str!(#f);
        )
    });
    let includes = quote!(#(#includes)*);

    let spec = match antom_spec::load_dir(&dir) {
        Ok(spec) => spec,
        Err(diagnostics) => {
            // Diagnostics name files relative to the spec directory's parent;
            // show them relative to the manifest, like the literal.
            let parent = Path::new(&rel).parent().unwrap_or(Path::new(""));
            let errors = diagnostics
                .iter()
                .filter(|d| d.severity == antom_spec::Severity::Error)
                .map(|d| {
                    let file = parent.join(&d.file);
                    let file = file.to_string_lossy().replace('\\', "/");
                    let mut msg = format!("{file}:{}:{}: {}", d.line, d.col, d.message);
                    if let Some(hint) = &d.hint {
                        msg.push_str("\n  help: ");
                        msg.push_str(hint);
                    }
                    compile_error(span, &msg)
                });
            return quote!(#includes #(#errors)*);
        }
    };
    let options = antom_codegen::Options {
        family_features: false,
        families,
    };
    match antom_codegen::generate_inline_with(&spec, &options) {
        Ok(tokens) => quote!(#includes #tokens),
        Err(errors) => {
            let errors = errors
                .0
                .iter()
                .map(|e| compile_error(span, &format!("{rel}: {e}")));
            quote!(#includes #(#errors)*)
        }
    }
}

fn yaml_files(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            yaml_files(&path, out)?;
        } else if path.extension().is_some_and(|e| e == "yaml") {
            out.push(path);
        }
    }
    Ok(())
}
