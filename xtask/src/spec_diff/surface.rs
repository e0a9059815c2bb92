//! The Rust view: the public API the generator makes of a spec (types,
//! fields with their Rust types, constructors, variants, constants, client
//! methods, re-exports, trait impls), and its differences.
//!
//! Names come from `antom_codegen::ident`, the functions the generator
//! uses, and the rules follow `antom_codegen`'s `models` module: endpoint
//! responses and notification payloads are lenient (every field but `result`
//! an `Option`), other models make their non-required fields `Option`s; the
//! constructor `new` takes the non-`Option` fields in declaration order,
//! each parameter named after its field (strings as `impl Into<String>`); a model whose fields are all `Option`s
//! derives `Default`; a direct model field that closes a type cycle is a
//! `Box`; unknown fields are kept in a public map named `extra` (or
//! `extra_fields`, `unknown_fields` when a field takes the name); the spec's
//! `Result` model and the enum of its `resultStatus` are the runtime's
//! `ApiResult` and `ResultStatus`. A test compares this surface
//! with the generated crate's sources, so the two cannot drift apart.
//!
//! Models are named by their canonical path `antom::models::X` (the
//! per-family modules are re-exported there).

use std::collections::{BTreeMap, BTreeSet};

use antom_codegen::ident;
use antom_spec::ir::{Spec, Type};

use super::change::{Aspect, ChangeKind, Difference, Kind};
use super::renames::Renames;

/// The spec model that is the runtime's `ApiResult`.
pub const RESULT_MODEL: &str = "Result";

/// The spec item an item of the surface is generated from.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Origin {
    /// Spec-independent parts of the crate (`ResultCode`, `Region`, ...).
    Crate,
    /// A model.
    Model(String),
    /// A field of a model: (model, field).
    Field(String, String),
    /// An enum.
    Enum(String),
    /// A value of an enum: (enum, value).
    Value(String, String),
    /// An endpoint.
    Endpoint(String),
    /// An endpoint family.
    Family(String),
    /// A notification.
    Notification(String),
    /// A result code.
    ResultCode(String),
    /// An SDK event code.
    SdkEventCode(String),
    /// A region.
    Region(String),
    /// The sandbox rule.
    Sandbox,
    /// The acknowledgement.
    Acknowledgement,
}

/// What identifies an item across versions: its spec origin and its role
/// (`struct`, `field`, `new`, ...), independent of its Rust name.
pub type Key = (Origin, &'static str);

/// One public item of the generated crate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    /// What it is.
    pub kind: Kind,
    /// Its path (`antom::models::CaptureRequest::capture_request_id`; for an
    /// impl, `Default for antom::models::CaptureRequest`).
    pub path: String,
    /// The last segment of its name (the trait, for an impl).
    pub name: String,
    /// Its type or signature (empty when it has none worth comparing).
    pub signature: String,
    /// The item it belongs to.
    pub parent: Option<Key>,
}

/// The public API the generator makes of a spec.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Surface {
    /// Every item, by key.
    pub items: BTreeMap<Key, Item>,
}

impl Surface {
    fn add(
        &mut self,
        key: Key,
        kind: Kind,
        path: String,
        signature: impl Into<String>,
        parent: Option<Key>,
    ) {
        let name = match kind {
            Kind::Impl => path.split(" for ").next().unwrap_or_default().to_owned(),
            _ => path.rsplit("::").next().unwrap_or_default().to_owned(),
        };
        self.items.insert(
            key,
            Item {
                kind,
                path,
                name,
                signature: signature.into(),
                parent,
            },
        );
    }
}

/// A type name as the generator writes it (the spec name when it cannot be
/// an identifier: the generator reports that itself).
pub fn type_name(name: &str) -> String {
    ident::type_ident(name).map_or_else(|_| name.to_owned(), |i| i.to_string())
}

fn snake(name: &str) -> String {
    ident::snake_ident(name).map_or_else(|_| name.to_owned(), |i| i.to_string())
}

fn variant(value: &str) -> String {
    ident::variant_ident(value).map_or_else(|_| value.to_owned(), |i| i.to_string())
}

fn constant(name: &str) -> String {
    ident::const_ident(name).map_or_else(|_| name.to_owned(), |i| i.to_string())
}

fn camel(name: &str) -> String {
    ident::camel_ident(name).map_or_else(|_| name.to_owned(), |i| i.to_string())
}

/// Facts about a spec the generator computes once.
struct Facts<'a> {
    spec: &'a Spec,
    lenient: BTreeSet<&'a str>,
    result_status_enum: Option<&'a str>,
    boxed: BTreeSet<(&'a str, &'a str)>,
}

impl<'a> Facts<'a> {
    fn new(spec: &'a Spec) -> Self {
        let lenient = spec
            .endpoints
            .iter()
            .map(|e| e.response.as_str())
            .chain(spec.notifications.iter().map(|n| n.payload.as_str()))
            .collect();
        let result_status_enum = spec
            .model(RESULT_MODEL)
            .and_then(|m| m.field("resultStatus"))
            .and_then(|f| match &f.ty {
                Type::Enum(e) => Some(e.as_str()),
                _ => None,
            });
        Facts {
            spec,
            lenient,
            result_status_enum,
            boxed: boxed_fields(spec),
        }
    }

    /// The Rust type of a field type, as the generated models write it.
    fn rust_type(&self, ty: &Type) -> String {
        match ty {
            Type::String => "String".to_owned(),
            Type::Boolean => "bool".to_owned(),
            Type::Integer => "i64".to_owned(),
            Type::Number => "f64".to_owned(),
            Type::Json => "Value".to_owned(),
            Type::Enum(n) if Some(n.as_str()) == self.result_status_enum => {
                "::antom_runtime::ResultStatus".to_owned()
            }
            Type::Model(n) if n == RESULT_MODEL => "::antom_runtime::ApiResult".to_owned(),
            Type::Enum(n) | Type::Model(n) => type_name(n),
            Type::Array(inner) => format!("Vec<{}>", self.rust_type(inner)),
        }
    }

    /// The type of a constructor or setter parameter for a field type.
    fn param_type(&self, ty: &Type) -> String {
        match ty {
            Type::String => "impl Into<String>".to_owned(),
            other => self.rust_type(other),
        }
    }
}

/// Direct (non-array) model fields that close a type cycle: they are boxed.
fn boxed_fields(spec: &Spec) -> BTreeSet<(&str, &str)> {
    let direct = |name: &str| -> Vec<&str> {
        spec.model(name)
            .map(|m| {
                m.fields
                    .iter()
                    .filter_map(|f| match &f.ty {
                        Type::Model(n) => Some(n.as_str()),
                        _ => None,
                    })
                    .collect()
            })
            .unwrap_or_default()
    };
    let reaches = |from: &str, to: &str| {
        let mut stack = vec![from];
        let mut seen = BTreeSet::new();
        while let Some(n) = stack.pop() {
            if n == to {
                return true;
            }
            if seen.insert(n) {
                stack.extend(direct(n));
            }
        }
        false
    };
    let mut out = BTreeSet::new();
    for m in &spec.models {
        for f in &m.fields {
            if let Type::Model(target) = &f.ty {
                if reaches(target, &m.name) {
                    out.insert((m.name.as_str(), f.name.as_str()));
                }
            }
        }
    }
    out
}

/// The public API `antom_codegen` generates for `spec`.
pub fn surface(spec: &Spec) -> Surface {
    let facts = Facts::new(spec);
    let mut s = Surface::default();
    models(&facts, &mut s);
    enums(&facts, &mut s);
    codes(spec, &mut s);
    endpoints(spec, &mut s);
    client(spec, &mut s);
    notifications(spec, &mut s);
    regions(spec, &mut s);
    s
}

fn models(facts: &Facts<'_>, s: &mut Surface) {
    for m in &facts.spec.models {
        if m.name == RESULT_MODEL {
            s.add(
                (Origin::Model(m.name.clone()), "re-export"),
                Kind::ReExport,
                "antom::models::ApiResult".to_owned(),
                "::antom_runtime::ApiResult",
                None,
            );
            continue;
        }
        let path = format!("antom::models::{}", type_name(&m.name));
        let this = (Origin::Model(m.name.clone()), "struct");
        s.add(this.clone(), Kind::Struct, path.clone(), "struct", None);
        let lenient = facts.lenient.contains(m.name.as_str());
        let mut params = Vec::new();
        let mut all_optional = true;
        for f in &m.fields {
            let optional = if lenient {
                f.name != "result"
            } else {
                !f.required
            };
            let mut ty = facts.rust_type(&f.ty);
            if facts.boxed.contains(&(m.name.as_str(), f.name.as_str())) {
                ty = format!("Box<{ty}>");
            }
            if optional {
                ty = format!("Option<{ty}>");
            } else {
                all_optional = false;
                params.push(format!("{}: {}", snake(&f.name), facts.param_type(&f.ty)));
            }
            s.add(
                (Origin::Field(m.name.clone(), f.name.clone()), "field"),
                Kind::Field,
                format!("{path}::{}", snake(&f.name)),
                ty,
                Some(this.clone()),
            );
        }
        // The unknown fields' map takes the first name no field has.
        let taken: BTreeSet<String> = m.fields.iter().map(|f| snake(&f.name)).collect();
        if let Some(extra) = ["extra", "extra_fields", "unknown_fields"]
            .into_iter()
            .find(|n| !taken.contains(*n))
        {
            s.add(
                (Origin::Model(m.name.clone()), "unknown fields"),
                Kind::Field,
                format!("{path}::{extra}"),
                "Map<String, Value>",
                Some(this.clone()),
            );
        }
        s.add(
            (Origin::Model(m.name.clone()), "new"),
            Kind::Constructor,
            format!("{path}::new"),
            format!("fn({}) -> Self", params.join(", ")),
            Some(this.clone()),
        );
        if all_optional {
            s.add(
                (Origin::Model(m.name.clone()), "impl Default"),
                Kind::Impl,
                format!("Default for {path}"),
                "",
                Some(this),
            );
        }
    }
    for e in &facts.spec.endpoints {
        if e.business_status.is_none() || e.response == RESULT_MODEL {
            continue;
        }
        let path = format!("antom::models::{}", type_name(&e.response));
        s.add(
            (Origin::Model(e.response.clone()), "impl BusinessStatus"),
            Kind::Impl,
            format!("::antom_runtime::BusinessStatus for {path}"),
            "",
            Some((Origin::Model(e.response.clone()), "struct")),
        );
    }
}

fn enums(facts: &Facts<'_>, s: &mut Surface) {
    for e in &facts.spec.enums {
        let path = format!("antom::enums::{}", type_name(&e.name));
        if Some(e.name.as_str()) == facts.result_status_enum {
            s.add(
                (Origin::Enum(e.name.clone()), "re-export"),
                Kind::ReExport,
                path,
                "::antom_runtime::ResultStatus",
                None,
            );
            continue;
        }
        let this = (Origin::Enum(e.name.clone()), "enum");
        s.add(this.clone(), Kind::RustEnum, path.clone(), "enum", None);
        for v in &e.values {
            s.add(
                (Origin::Value(e.name.clone(), v.value.clone()), "variant"),
                Kind::Variant,
                format!("{path}::{}", variant(&v.value)),
                "",
                Some(this.clone()),
            );
        }
        if e.values.iter().any(|v| v.outcome.is_some()) {
            s.add(
                (Origin::Enum(e.name.clone()), "outcome"),
                Kind::Method,
                format!("{path}::outcome"),
                "fn(&self) -> Option<::antom_runtime::BusinessOutcome>",
                Some(this),
            );
        }
    }
}

fn codes(spec: &Spec, s: &mut Surface) {
    let result_code = (Origin::Crate, "ResultCode");
    s.add(
        result_code.clone(),
        Kind::RustEnum,
        "antom::codes::ResultCode".to_owned(),
        "enum",
        None,
    );
    for c in &spec.result_codes {
        s.add(
            (Origin::ResultCode(c.code.clone()), "variant"),
            Kind::Variant,
            format!("antom::codes::ResultCode::{}", variant(&c.code)),
            "",
            Some(result_code.clone()),
        );
    }
    let sdk = (Origin::Crate, "SdkEventCode");
    s.add(
        sdk.clone(),
        Kind::RustEnum,
        "antom::codes::SdkEventCode".to_owned(),
        "enum",
        None,
    );
    for c in &spec.sdk_event_codes {
        s.add(
            (Origin::SdkEventCode(c.code.clone()), "variant"),
            Kind::Variant,
            format!("antom::codes::SdkEventCode::{}", variant(&c.code)),
            "",
            Some(sdk.clone()),
        );
    }
}

fn endpoints(spec: &Spec, s: &mut Surface) {
    for e in &spec.endpoints {
        s.add(
            (Origin::Endpoint(e.name.clone()), "const"),
            Kind::Const,
            format!("antom::endpoints::{}", constant(&e.name)),
            "::antom_runtime::EndpointDef",
            None,
        );
    }
}

fn client(spec: &Spec, s: &mut Surface) {
    if spec.sandbox.is_none() {
        // The generator builds no client without the sandbox rule.
        return;
    }
    let client = (Origin::Sandbox, "Client");
    s.add(
        client.clone(),
        Kind::Struct,
        "antom::client::Client".to_owned(),
        "struct",
        None,
    );
    s.add(
        (Origin::Sandbox, "antom::Client"),
        Kind::ReExport,
        "antom::Client".to_owned(),
        "antom::client::Client",
        None,
    );
    s.add(
        (Origin::Sandbox, "SANDBOX_RULE"),
        Kind::Const,
        "antom::regions::SANDBOX_RULE".to_owned(),
        "::antom_runtime::SandboxRule",
        None,
    );
    s.add(
        (Origin::Sandbox, "antom::SANDBOX_RULE"),
        Kind::ReExport,
        "antom::SANDBOX_RULE".to_owned(),
        "antom::regions::SANDBOX_RULE",
        None,
    );
    let families: BTreeSet<&str> = spec.endpoints.iter().map(|e| e.family.as_str()).collect();
    for f in families {
        let ty = camel(f);
        let family = (Origin::Family(f.to_owned()), "struct");
        s.add(
            (Origin::Family(f.to_owned()), "accessor"),
            Kind::Method,
            format!("antom::client::Client::{}", snake(f)),
            format!("fn(&self) -> {ty}<'_>"),
            Some(client.clone()),
        );
        s.add(
            family.clone(),
            Kind::Struct,
            format!("antom::client::{ty}"),
            "struct",
            None,
        );
        for e in spec.endpoints.iter().filter(|e| e.family == f) {
            s.add(
                (Origin::Endpoint(e.name.clone()), "method"),
                Kind::Method,
                format!("antom::client::{ty}::{}", snake(&e.name)),
                format!(
                    "fn(self, &{}) -> Call<'a, {}>",
                    type_name(&e.request),
                    type_name(&e.response)
                ),
                Some(family.clone()),
            );
        }
    }
}

fn notifications(spec: &Spec, s: &mut Surface) {
    let payloads: BTreeSet<&str> = spec
        .notifications
        .iter()
        .map(|n| n.payload.as_str())
        .collect();
    for p in payloads {
        s.add(
            (Origin::Model(p.to_owned()), "notifications re-export"),
            Kind::ReExport,
            format!("antom::notifications::{}", type_name(p)),
            format!("antom::models::{}", type_name(p)),
            None,
        );
    }
    let kind = (Origin::Crate, "NotificationKind");
    let notification = (Origin::Crate, "Notification");
    let path = "antom::notifications";
    s.add(
        kind.clone(),
        Kind::RustEnum,
        format!("{path}::NotificationKind"),
        "enum",
        None,
    );
    s.add(
        notification.clone(),
        Kind::RustEnum,
        format!("{path}::Notification"),
        "enum",
        None,
    );
    for n in &spec.notifications {
        let v = variant(&n.name);
        s.add(
            (Origin::Notification(n.name.clone()), "kind"),
            Kind::Variant,
            format!("{path}::NotificationKind::{v}"),
            "",
            Some(kind.clone()),
        );
        s.add(
            (Origin::Notification(n.name.clone()), "variant"),
            Kind::Variant,
            format!("{path}::Notification::{v}"),
            format!("(Box<{}>)", type_name(&n.payload)),
            Some(notification.clone()),
        );
    }
    if spec.acknowledgement.is_some() {
        for (name, ty) in [
            ("ACKNOWLEDGEMENT_BODY", "&str"),
            ("ACKNOWLEDGEMENT_HTTP_STATUS", "u16"),
            ("RESEND_SCHEDULE_SECS", "&[u64]"),
        ] {
            s.add(
                (Origin::Acknowledgement, name),
                Kind::Const,
                format!("{path}::{name}"),
                ty,
                None,
            );
        }
    }
}

fn regions(spec: &Spec, s: &mut Surface) {
    let region = (Origin::Crate, "Region");
    s.add(
        region.clone(),
        Kind::RustEnum,
        "antom::regions::Region".to_owned(),
        "enum",
        None,
    );
    for r in &spec.regions {
        s.add(
            (Origin::Region(r.id.clone()), "variant"),
            Kind::Variant,
            format!("antom::regions::Region::{}", variant(&r.id)),
            "",
            Some(region.clone()),
        );
    }
}

/// `key` of the old surface in the new spec's names.
fn renamed_key(key: &Key, r: &Renames) -> Key {
    let (origin, role) = key;
    let origin = match origin {
        Origin::Model(m) => Origin::Model(r.model(m).to_owned()),
        Origin::Field(m, f) => Origin::Field(r.model(m).to_owned(), r.field(m, f).to_owned()),
        Origin::Enum(e) => Origin::Enum(r.enum_(e).to_owned()),
        Origin::Value(e, v) => Origin::Value(r.enum_(e).to_owned(), v.clone()),
        Origin::Endpoint(e) => Origin::Endpoint(r.endpoint(e).to_owned()),
        Origin::Notification(n) => Origin::Notification(r.notification(n).to_owned()),
        other => other.clone(),
    };
    (origin, role)
}

/// `signature` with the identifiers `names` maps replaced (renamed types,
/// and a constructor's renamed parameters).
fn rename_idents(signature: &str, names: &BTreeMap<String, String>) -> String {
    let mut out = String::with_capacity(signature.len());
    let mut word = String::new();
    let flush = |word: &mut String, out: &mut String| {
        out.push_str(names.get(word.as_str()).unwrap_or(word));
        word.clear();
    };
    for c in signature.chars() {
        if c == '_' || c.is_ascii_alphanumeric() {
            word.push(c);
        } else {
            flush(&mut word, &mut out);
            out.push(c);
        }
    }
    flush(&mut word, &mut out);
    out
}

/// Every difference between two surfaces: items removed (not listed when
/// the item they belong to is removed), added (likewise), renamed or moved
/// (not listed when only the item they belong to was renamed), and changed
/// signatures (up to renamed types and fields). A constructor's signature
/// names its parameters: fields swapping places change it even when the
/// types stay the same.
pub fn differences(old: &Surface, new: &Surface, renames: &Renames) -> Vec<Difference> {
    let types: BTreeMap<String, String> = renames
        .models
        .iter()
        .chain(&renames.enums)
        .map(|(a, b)| (type_name(a), type_name(b)))
        .collect();
    let mut out = Vec::new();
    let mut matched = BTreeSet::new();
    for (key, o) in &old.items {
        let mapped = renamed_key(key, renames);
        let Some(n) = new.items.get(&mapped) else {
            let parent_gone = o
                .parent
                .as_ref()
                .is_some_and(|p| !new.items.contains_key(&renamed_key(p, renames)));
            if !parent_gone {
                let mut d = Difference::new(o.kind, &o.path, ChangeKind::Removed);
                if !o.signature.is_empty() {
                    d = d.was(&o.signature);
                }
                out.push(d);
            }
            continue;
        };
        matched.insert(mapped.clone());
        if o.path != n.path {
            let same_parent = o.parent.as_ref().map(|p| renamed_key(p, renames)) == n.parent;
            let parent_renamed = same_parent
                && o.parent
                    .as_ref()
                    .zip(n.parent.as_ref())
                    .is_some_and(|(op, np)| {
                        old.items.get(op).map(|i| &i.path) != new.items.get(np).map(|i| &i.path)
                    });
            if !(parent_renamed && o.name == n.name) {
                out.push(
                    Difference::new(n.kind, &n.path, ChangeKind::Renamed)
                        .was(&o.path)
                        .now(&n.path),
                );
            }
        }
        let mut names = types.clone();
        if let (Kind::Constructor, Origin::Model(model)) = (o.kind, &key.0) {
            // The parameters are named after the fields: a renamed field
            // renames its parameter, which callers do not see.
            for ((m, from), to) in &renames.fields {
                if m == model {
                    names.insert(snake(from), snake(to));
                }
            }
        }
        if rename_idents(&o.signature, &names) != n.signature {
            out.push(Difference::changed(
                n.kind,
                &n.path,
                Aspect::Signature,
                &o.signature,
                &n.signature,
            ));
        }
    }
    for (key, n) in &new.items {
        if matched.contains(key) {
            continue;
        }
        let parent_new = n.parent.as_ref().is_some_and(|p| !matched.contains(p));
        if !parent_new {
            let mut d = Difference::new(n.kind, &n.path, ChangeKind::Added);
            if !n.signature.is_empty() {
                d = d.now(&n.signature);
            }
            out.push(d);
        }
    }
    out
}
