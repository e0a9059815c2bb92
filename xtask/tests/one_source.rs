//! Every fact of the protocol lives in one place.
//!
//! The spec-wide values (the sandbox path prefix, the notification
//! acknowledgement, the resend schedule) exist in the spec and in generated
//! output only, and every type or constant of `antom-protocol` is declared in
//! that crate only. Hand-written library code, binaries, examples and
//! benchmarks read them from `antom_protocol` (through `antom_runtime`) or from
//! the generated crate; tests, which state the wire independently on purpose,
//! are not audited.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use proc_macro2::{Delimiter, TokenStream, TokenTree};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask sits in the workspace root")
        .to_owned()
}

/// Every hand-written `.rs` file of a workspace crate's `src`, `examples` and
/// `benches` (generated files carry the generator's preamble).
fn hand_written_sources(root: &Path) -> Vec<(PathBuf, String)> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        let Ok(entries) = fs::read_dir(dir) else {
            return;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }
    let mut files = Vec::new();
    for krate in fs::read_dir(root).expect("workspace root").flatten() {
        let dir = krate.path();
        if !dir.join("Cargo.toml").is_file() || dir.ends_with("target") {
            continue;
        }
        for sub in ["src", "examples", "benches"] {
            walk(&dir.join(sub), &mut files);
        }
    }
    files.sort();
    files
        .into_iter()
        .filter_map(|p| {
            let text = fs::read_to_string(&p).ok()?;
            (!text.starts_with(antom_codegen::GENERATED_PREAMBLE)).then_some((p, text))
        })
        .collect()
}

/// The tokens of a file outside doc attributes and `#[cfg(test)]` items,
/// flattened.
fn code_tokens(text: &str) -> Vec<TokenTree> {
    fn flatten(ts: TokenStream, out: &mut Vec<TokenTree>) {
        let tokens: Vec<TokenTree> = ts.into_iter().collect();
        let mut i = 0;
        while i < tokens.len() {
            if let (TokenTree::Punct(p), Some(TokenTree::Group(g))) =
                (&tokens[i], tokens.get(i + 1))
            {
                if p.as_char() == '#' && g.delimiter() == Delimiter::Bracket {
                    let attr = g.stream().to_string();
                    if attr.starts_with("doc") {
                        i += 2;
                        continue;
                    }
                    if attr.replace(' ', "") == "cfg(test)" {
                        // Skip the attribute and the item it gates, up to
                        // its body (a brace group) or its terminating `;`.
                        i += 2;
                        while i < tokens.len() {
                            let end = match &tokens[i] {
                                TokenTree::Group(g) => g.delimiter() == Delimiter::Brace,
                                TokenTree::Punct(p) => p.as_char() == ';',
                                _ => false,
                            };
                            i += 1;
                            if end {
                                break;
                            }
                        }
                        continue;
                    }
                }
            }
            match &tokens[i] {
                TokenTree::Group(g) => flatten(g.stream(), out),
                other => out.push(other.clone()),
            }
            i += 1;
        }
    }
    let mut out = Vec::new();
    if let Ok(ts) = TokenStream::from_str(text) {
        flatten(ts, &mut out);
    }
    out
}

/// The names of the items declared at module level (files and inline `mod`s,
/// not impls, functions or macro bodies), skipping `#[cfg(test)]` modules.
fn module_items(ts: TokenStream, kinds: &[&str], out: &mut Vec<String>) {
    let tokens: Vec<TokenTree> = ts.into_iter().collect();
    let mut test_gate = false;
    for (i, t) in tokens.iter().enumerate() {
        match t {
            TokenTree::Group(g)
                if g.delimiter() == Delimiter::Bracket
                    && g.stream().to_string().replace(' ', "") == "cfg(test)" =>
            {
                test_gate = true;
            }
            TokenTree::Ident(k) if kinds.contains(&k.to_string().as_str()) => {
                let lifetime =
                    i > 0 && matches!(&tokens[i - 1], TokenTree::Punct(p) if p.as_char() == '\'');
                if let (false, Some(TokenTree::Ident(name))) = (lifetime, tokens.get(i + 1)) {
                    out.push(name.to_string());
                }
            }
            TokenTree::Group(g) if g.delimiter() == Delimiter::Brace => {
                let in_mod = i >= 2 && matches!(&tokens[i - 2], TokenTree::Ident(m) if m == "mod");
                if in_mod && !test_gate {
                    module_items(g.stream(), kinds, out);
                }
                test_gate = false;
            }
            TokenTree::Punct(p) if p.as_char() == ';' => test_gate = false,
            _ => {}
        }
    }
}

fn int(token: &TokenTree) -> Option<u64> {
    let TokenTree::Literal(l) = token else {
        return None;
    };
    let s = l.to_string().replace('_', "");
    let digits: String = s.chars().take_while(|c| c.is_ascii_digit()).collect();
    (!digits.is_empty() && s[digits.len()..].chars().all(|c| c.is_ascii_alphanumeric()))
        .then(|| digits.parse().ok())
        .flatten()
}

#[test]
fn protocol_values_appear_only_in_the_spec_and_generated_output() {
    let root = root();
    let spec = xtask::codegen::load_spec(&root).expect("the spec loads");
    let sandbox = spec.sandbox.as_ref().expect("the spec has a sandbox rule");
    let ack = spec
        .acknowledgement
        .as_ref()
        .expect("the spec has an acknowledgement");
    let strings = [
        sandbox.sandbox_prefix.clone(),
        ack.body.clone(),
        ack.body.replace('"', "\\\""),
    ];
    // The schedule's distinctive delays (three hours and more), typed as
    // seconds or as a multiple of an hour.
    let delays: BTreeSet<u64> = ack
        .resend_schedule_secs
        .iter()
        .copied()
        .filter(|&s| s >= 3 * 3600)
        .collect();
    assert!(!delays.is_empty());

    let mut found = Vec::new();
    for (path, text) in hand_written_sources(&root) {
        let rel = path
            .strip_prefix(&root)
            .unwrap_or(&path)
            .display()
            .to_string();
        let tokens = code_tokens(&text);
        for (i, t) in tokens.iter().enumerate() {
            if let TokenTree::Literal(l) = t {
                let repr = l.to_string();
                for s in &strings {
                    if repr.contains(s.as_str()) {
                        found.push(format!("{rel}: string literal {repr}"));
                    }
                }
            }
            if let Some(n) = int(t) {
                let product = match (tokens.get(i + 1), tokens.get(i + 2).and_then(int)) {
                    (Some(TokenTree::Punct(p)), Some(m)) if p.as_char() == '*' => Some(n * m),
                    _ => None,
                };
                if delays.contains(&n) || product.is_some_and(|p| delays.contains(&p)) {
                    found.push(format!("{rel}: a resend delay typed by hand near `{n}`"));
                }
            }
        }
    }
    assert!(
        found.is_empty(),
        "protocol values typed outside the spec and generated output (read them from \
         antom_protocol::tables or the generated crate):\n  {}",
        found.join("\n  ")
    );
}

#[test]
fn protocol_types_and_constants_are_declared_once() {
    let root = root();
    let kinds = ["enum", "struct", "trait", "const", "static", "type"];
    let declared = |text: &str| -> Vec<String> {
        let mut out = Vec::new();
        if let Ok(ts) = TokenStream::from_str(text) {
            module_items(ts, &kinds, &mut out);
        }
        out
    };
    let protocol: Vec<(PathBuf, String)> = hand_written_sources(&root)
        .into_iter()
        // the models' support code is not vocabulary
        .filter(|(p, _)| p.starts_with(root.join("protocol")) && !p.ends_with("private.rs"))
        .chain(
            // the generated tables are the protocol's too
            fs::read_to_string(root.join(xtask::codegen::PROTOCOL_TABLES_PATH))
                .map(|t| (root.join(xtask::codegen::PROTOCOL_TABLES_PATH), t)),
        )
        .collect();
    let names: BTreeSet<String> = protocol
        .iter()
        .flat_map(|(_, t)| declared(t))
        .filter(|n| n.chars().next().is_some_and(|c| c.is_ascii_uppercase()))
        .collect();
    assert!(names.contains("Action") && names.contains("SANDBOX_RULE"));

    let mut found = Vec::new();
    for (path, text) in hand_written_sources(&root) {
        if path.starts_with(root.join("protocol")) {
            continue;
        }
        for name in declared(&text) {
            if names.contains(&name) {
                let rel = path.strip_prefix(&root).unwrap_or(&path).display();
                found.push(format!("{rel}: declares `{name}`"));
            }
        }
    }
    assert!(
        found.is_empty(),
        "items of antom-protocol declared again (re-export them instead):\n  {}",
        found.join("\n  ")
    );
}
