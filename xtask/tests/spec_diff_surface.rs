//! The Rust view of `cargo xtask spec-diff` agrees with the generator: every
//! item the surface lists for the spec is in the generated sources with the
//! type or signature it states, and every public type, field, variant,
//! constant, constructor and client method of the generated sources is in
//! the surface.

use std::collections::BTreeMap;

use xtask::spec_diff::change::Kind;
use xtask::spec_diff::surface::{self, Item};

/// The text from `header` to the end of its item (the first `}` at the
/// start of a line: prettyplease closes top-level items there).
fn block<'a>(text: &'a str, header: &str) -> Option<&'a str> {
    let start = text.find(header)?;
    let end = text[start..].find("\n}\n")?;
    Some(&text[start..start + end + 2])
}

/// The line before `header` (a model's derive list).
fn line_before<'a>(text: &'a str, header: &str) -> &'a str {
    let start = text.find(header).unwrap_or(0);
    let before = &text[..start].trim_end_matches('\n');
    before.rsplit('\n').next().unwrap_or_default()
}

fn squash(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The type of field `name` in `struct_block`, without whitespace (rustfmt
/// wraps a long type over several lines, with a trailing comma inside).
fn field_type(struct_block: &str, name: &str) -> Option<String> {
    let needle = format!("\n    pub {name}: ");
    let rest = &struct_block[struct_block.find(&needle)? + needle.len()..];
    let mut depth = 0usize;
    let end = rest.char_indices().find_map(|(i, c)| {
        match c {
            '<' | '(' => depth += 1,
            '>' | ')' => depth = depth.saturating_sub(1),
            ',' if depth == 0 => return Some(i),
            _ => {}
        }
        None
    })?;
    let ty: String = rest[..end].chars().filter(|c| !c.is_whitespace()).collect();
    Some(ty.replace(",>", ">"))
}

/// The parameters of `pub fn new(...)` in `impl_block`, as the surface
/// writes the constructor.
fn constructor(impl_block: &str) -> Option<String> {
    let start = impl_block.find("pub fn new(")? + "pub fn new(".len();
    let end = impl_block[start..].find(") -> Self")?;
    let params = squash(&impl_block[start..start + end]);
    Some(format!(
        "fn({}) -> Self",
        params.trim_end_matches(',').trim()
    ))
}

/// The names of the unit or tuple variants of `enum_block`.
fn variants(enum_block: &str) -> Vec<String> {
    enum_block
        .lines()
        .filter_map(|l| l.strip_prefix("    "))
        .filter(|l| l.starts_with(|c: char| c.is_ascii_uppercase()))
        .map(|l| l.split([',', '(']).next().unwrap_or_default().to_owned())
        .filter(|v| v != "Unknown")
        .collect()
}

/// The names of the top-level `pub <keyword> Name` items of `text`.
fn declared(text: &str, keyword: &str) -> Vec<String> {
    let prefix = format!("pub {keyword} ");
    text.lines()
        .filter_map(|l| l.strip_prefix(&prefix))
        .map(|rest| {
            rest.split(|c: char| !(c == '_' || c.is_ascii_alphanumeric()))
                .next()
                .unwrap_or_default()
                .to_owned()
        })
        .collect()
}

#[test]
fn the_surface_is_what_the_generator_emits() {
    let root = xtask::project_root();
    let spec = xtask::codegen::load_spec(&root).unwrap_or_else(|e| panic!("{e}"));
    let files: BTreeMap<String, String> = xtask::codegen::generated_sources(&spec)
        .unwrap_or_else(|e| panic!("{e}"))
        .into_iter()
        .collect();
    let file = |name: &str| -> &str {
        files
            .get(&format!("generated/src/{name}"))
            .unwrap_or_else(|| panic!("no generated/src/{name}"))
    };
    let models: String = files
        .iter()
        .filter(|(p, _)| p.starts_with("generated/src/models"))
        .map(|(_, t)| t.as_str())
        .collect::<Vec<_>>()
        .join("\n");
    let (enums, codes, endpoints, client, notifications, regions) = (
        file("enums.rs"),
        file("codes.rs"),
        file("endpoints.rs"),
        file("client.rs"),
        file("notifications.rs"),
        file("regions.rs"),
    );
    let root_reexports = antom_codegen::root_reexports(&spec).to_string();

    let surface = surface::surface(&spec);
    let by_path: BTreeMap<&str, &Item> = surface
        .items
        .values()
        .map(|i| (i.path.as_str(), i))
        .collect();
    let owner = |path: &str| path.rsplit_once("::").map_or("", |(o, _)| o).to_owned();
    let last = |path: &str| path.rsplit("::").next().unwrap_or_default().to_owned();
    let mut missing = Vec::new();
    for item in surface.items.values() {
        let path = item.path.as_str();
        let name = last(path);
        let found = match (item.kind, owner(path).as_str()) {
            (Kind::Struct, "antom::models") => {
                let header = format!("pub struct {name} {{");
                let derives_default = line_before(&models, &header).contains("Default");
                let default_listed = by_path.contains_key(format!("Default for {path}").as_str());
                block(&models, &header).is_some() && derives_default == default_listed
            }
            (Kind::Field, model) if model.starts_with("antom::models::") => {
                block(&models, &format!("pub struct {} {{", last(model)))
                    .and_then(|b| field_type(b, &name))
                    .is_some_and(|ty| ty == item.signature.replace(' ', ""))
            }
            (Kind::Constructor, model) => block(&models, &format!("impl {} {{", last(model)))
                .and_then(constructor)
                .is_some_and(|c| c == item.signature),
            (Kind::Impl, _) => match path.split_once(" for ") {
                Some(("Default", _)) => true,
                Some((tr, ty)) => models.contains(&format!("impl {tr} for {} {{", last(ty))),
                None => false,
            },
            (Kind::ReExport, "antom::models") => {
                models.contains(&format!("pub use {};", item.signature))
            }
            (Kind::ReExport, "antom::enums") => {
                enums.contains(&format!("pub use {}", item.signature))
            }
            (Kind::ReExport, "antom::notifications") => {
                notifications.contains(&format!("pub use super::models::{name};"))
            }
            (Kind::ReExport, "antom") => root_reexports.contains(&name),
            (Kind::RustEnum, "antom::enums") => enums.contains(&format!("pub enum {name} {{")),
            (Kind::RustEnum, module) => {
                let text = match module {
                    "antom::codes" => codes,
                    "antom::notifications" => notifications,
                    _ => regions,
                };
                text.contains(&format!("pub enum {name} {{"))
            }
            (Kind::Variant, ty) => {
                let text = match owner(ty).as_str() {
                    "antom::enums" => enums,
                    "antom::codes" => codes,
                    "antom::notifications" => notifications,
                    _ => regions,
                };
                block(text, &format!("pub enum {} {{", last(ty)))
                    .is_some_and(|b| variants(b).contains(&name))
                    && (item.signature.is_empty()
                        || text.contains(&format!(
                            "    {name}(::std::boxed::{}),",
                            item.signature.trim_start_matches('(').trim_end_matches(')')
                        )))
            }
            (Kind::Method, "antom::client::Client") => client.contains(&format!(
                "pub fn {name}(&self) -> {}",
                item.signature.trim_start_matches("fn(&self) -> ")
            )),
            (Kind::Method, family) if family.starts_with("antom::client::") => {
                let request = item
                    .signature
                    .split_once('&')
                    .and_then(|(_, r)| r.split(')').next())
                    .unwrap_or_default();
                let response = item
                    .signature
                    .split_once("Call<'a, ")
                    .and_then(|(_, r)| r.strip_suffix('>'))
                    .unwrap_or_default();
                block(client, &format!("impl<'a> {}<'a> {{", last(family))).is_some_and(|b| {
                    squash(b).contains(&format!(
                        "pub fn {name}( self, request: &super::models::{request}, ) -> Call<'a, super::models::{response}> {{"
                    ))
                })
            }
            (Kind::Method, ty) => block(enums, &format!("impl {} {{", last(ty)))
                .is_some_and(|b| b.contains(&format!("pub fn {name}(&self)"))),
            (Kind::Const, "antom::endpoints") => {
                endpoints.contains(&format!("pub const {name}: {} =", item.signature))
            }
            (Kind::Const, "antom::notifications") => {
                notifications.contains(&format!("pub const {name}: {} =", item.signature))
            }
            (Kind::Const, "antom::regions") => {
                regions.contains(&format!("pub const {name}: {} =", item.signature))
            }
            (Kind::Struct, "antom::client") => {
                client.contains(&format!("pub struct {name} {{"))
                    || client.contains(&format!("pub struct {name}<'a> {{"))
            }
            _ => false,
        };
        if !found {
            missing.push(format!("{:?} {path}: {}", item.kind, item.signature));
        }
    }
    assert!(
        missing.is_empty(),
        "items of the surface the generator does not emit so:\n{}",
        missing.join("\n")
    );

    // And the other way: what the generator emits is in the surface.
    let mut unlisted = Vec::new();
    let mut listed = |path: String| {
        if !by_path.contains_key(path.as_str()) {
            unlisted.push(path);
        }
    };
    for name in declared(&models, "struct") {
        listed(format!("antom::models::{name}"));
        let body = block(&models, &format!("pub struct {name} {{")).unwrap_or_default();
        for line in body.lines() {
            if let Some((field, _)) = line
                .strip_prefix("    pub ")
                .and_then(|l| l.split_once(": "))
            {
                listed(format!("antom::models::{name}::{field}"));
            }
        }
        if block(&models, &format!("impl {name} {{")).is_some_and(|b| b.contains("pub fn new(")) {
            listed(format!("antom::models::{name}::new"));
        }
    }
    for line in models.lines() {
        if let Some(rest) = line.strip_prefix("impl ::antom_runtime::BusinessStatus for ") {
            let ty = rest.trim_end_matches(" {");
            listed(format!(
                "::antom_runtime::BusinessStatus for antom::models::{ty}"
            ));
        }
    }
    for name in declared(enums, "enum") {
        listed(format!("antom::enums::{name}"));
        for v in variants(block(enums, &format!("pub enum {name} {{")).unwrap_or_default()) {
            listed(format!("antom::enums::{name}::{v}"));
        }
    }
    for (text, module) in [
        (codes, "antom::codes"),
        (notifications, "antom::notifications"),
        (regions, "antom::regions"),
    ] {
        for name in declared(text, "enum") {
            for v in variants(block(text, &format!("pub enum {name} {{")).unwrap_or_default()) {
                listed(format!("{module}::{name}::{v}"));
            }
        }
    }
    for name in declared(endpoints, "const")
        .into_iter()
        .filter(|n| n != "ALL")
    {
        listed(format!("antom::endpoints::{name}"));
    }
    for name in declared(client, "struct") {
        listed(format!("antom::client::{name}"));
    }
    for family in declared(client, "struct")
        .into_iter()
        .filter(|n| n != "Client")
    {
        let body = block(client, &format!("impl<'a> {family}<'a> {{")).unwrap_or_default();
        for line in body.lines() {
            if let Some(rest) = line.trim_start().strip_prefix("pub fn ") {
                let method = rest.split('(').next().unwrap_or_default();
                listed(format!("antom::client::{family}::{method}"));
            }
        }
    }
    assert!(
        unlisted.is_empty(),
        "generated items the surface does not list:\n{}",
        unlisted.join("\n")
    );
}
