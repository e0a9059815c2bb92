//! The inventory of an SDK release: what its request, response, model and
//! enum classes put on the wire, as the checked-in JSON file
//! `spec/drift/<package>-<version>.json`.
//!
//! The file is canonical: every list is sorted and free of duplicates, and
//! [`Inventory::to_json`] is the only writer, so extracting the same release
//! twice gives the same bytes and a hand edit that breaks the order is an
//! error when the file is read.

use std::path::Path;

use serde::{Deserialize, Serialize};

use super::Error;

/// The version of the inventory's own format.
pub const FORMAT: u32 = 1;

/// An SDK release's inventory.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Inventory {
    /// The version of this file's format ([`FORMAT`]).
    pub format: u32,
    /// The package name on PyPI, e.g. `global-open-sdk-python`.
    pub package: String,
    /// The release, e.g. `1.7.1`.
    pub version: String,
    /// The file the inventory was read from (a wheel or an sdist).
    pub file: String,
    /// Lower-case hex SHA-256 of that file.
    pub sha256: String,
    /// The directory of the SDK's sources inside the package, to which every
    /// `file` below is relative (e.g. `com/alipay/ams/api`).
    pub source_root: String,
    /// Request classes, sorted by class then file.
    pub requests: Vec<Request>,
    /// API paths the SDK declares in its path constants without a request
    /// class that uses them, sorted.
    pub unbound_paths: Vec<String>,
    /// Model classes (the `model` package, enums excepted), sorted by class.
    pub models: Vec<Model>,
    /// Enum classes (path-constant tables excepted), sorted by class.
    pub enums: Vec<EnumClass>,
}

/// A request class: one API call.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Request {
    /// The class name.
    pub class: String,
    /// The defining file, relative to [`Inventory::source_root`].
    pub file: String,
    /// The API path exactly as the SDK spells it; `None` when the class
    /// names none (the caller sets it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// The JSON names the class serialises, its base classes' included.
    pub fields: Vec<String>,
    /// Model and enum classes the class's file imports.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub refs: Vec<String>,
    /// The Python attributes of a class that maps none of them to a JSON
    /// name (the SDK serialises them elsewhere, or not at all).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attributes: Vec<String>,
    /// The response class of the call, when the SDK has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub response: Option<Response>,
}

/// A response class.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Response {
    /// The class name.
    pub class: String,
    /// The defining file, relative to [`Inventory::source_root`].
    pub file: String,
    /// The JSON names the class reads, its base classes' included.
    pub fields: Vec<String>,
    /// Model and enum classes the class's file imports.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub refs: Vec<String>,
    /// As [`Request::attributes`].
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attributes: Vec<String>,
}

/// A model class.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Model {
    /// The class name.
    pub class: String,
    /// The defining file, relative to [`Inventory::source_root`].
    pub file: String,
    /// The JSON names the class writes or reads, its base classes' included.
    pub fields: Vec<String>,
    /// Model and enum classes the class's file imports.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub refs: Vec<String>,
    /// As [`Request::attributes`].
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attributes: Vec<String>,
    /// Other files that define a class of the same name (see
    /// [`super::extract`] for which one is kept).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub duplicates: Vec<String>,
}

/// An enum class.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct EnumClass {
    /// The class name.
    pub class: String,
    /// The defining file, relative to [`Inventory::source_root`].
    pub file: String,
    /// The wire values, sorted.
    pub values: Vec<String>,
    /// As [`Model::duplicates`].
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub duplicates: Vec<String>,
}

impl Inventory {
    /// The canonical JSON text (pretty-printed, with a final newline).
    pub fn to_json(&self) -> String {
        let mut s = serde_json::to_string_pretty(self).unwrap_or_default();
        s.push('\n');
        s
    }

    /// Reads and checks the inventory at `path`; `display` names it in errors.
    pub fn load(path: &Path, display: &str) -> Result<Inventory, Error> {
        let text = std::fs::read_to_string(path).map_err(|source| Error::Io {
            path: display.to_owned(),
            source,
        })?;
        Inventory::parse(&text, display)
    }

    /// Parses and checks an inventory's JSON text.
    pub fn parse(text: &str, display: &str) -> Result<Inventory, Error> {
        let inv: Inventory = serde_json::from_str(text).map_err(|source| Error::InventoryJson {
            path: display.to_owned(),
            source,
        })?;
        let problems = inv.problems();
        if problems.is_empty() {
            Ok(inv)
        } else {
            Err(Error::Inventory {
                path: display.to_owned(),
                problems,
            })
        }
    }

    /// Everything that makes the inventory not canonical or not usable.
    pub fn problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        if self.format != FORMAT {
            out.push(format!(
                "format {} is not the supported format {FORMAT}",
                self.format
            ));
        }
        for (what, value) in [
            ("package", &self.package),
            ("version", &self.version),
            ("file", &self.file),
            ("sourceRoot", &self.source_root),
        ] {
            if value.trim().is_empty() {
                out.push(format!("`{what}` is empty"));
            }
        }
        if self.sha256.len() != 64
            || !self
                .sha256
                .chars()
                .all(|c| c.is_ascii_digit() || ('a'..='f').contains(&c))
        {
            out.push(format!(
                "`sha256` {:?} is not 64 lower-case hex digits",
                self.sha256
            ));
        }
        let keys: Vec<(&str, &str)> = self
            .requests
            .iter()
            .map(|r| (r.class.as_str(), r.file.as_str()))
            .collect();
        strictly_sorted(&mut out, "requests (by class, then file)", &keys);
        strictly_sorted(&mut out, "unboundPaths", &self.unbound_paths);
        let names: Vec<&str> = self.models.iter().map(|m| m.class.as_str()).collect();
        strictly_sorted(&mut out, "models (by class)", &names);
        let names: Vec<&str> = self.enums.iter().map(|e| e.class.as_str()).collect();
        strictly_sorted(&mut out, "enums (by class)", &names);
        for r in &self.requests {
            let at = format!("request {} ({})", r.class, r.file);
            if let Some(p) = &r.path {
                if !p.starts_with('/') {
                    out.push(format!("{at}: path {p:?} does not start with `/`"));
                }
            }
            strictly_sorted(&mut out, &format!("{at}: fields"), &r.fields);
            strictly_sorted(&mut out, &format!("{at}: refs"), &r.refs);
            strictly_sorted(&mut out, &format!("{at}: attributes"), &r.attributes);
            if let Some(resp) = &r.response {
                let at = format!("{at}: response {}", resp.class);
                strictly_sorted(&mut out, &format!("{at}: fields"), &resp.fields);
                strictly_sorted(&mut out, &format!("{at}: refs"), &resp.refs);
                strictly_sorted(&mut out, &format!("{at}: attributes"), &resp.attributes);
            }
        }
        for m in &self.models {
            let at = format!("model {}", m.class);
            strictly_sorted(&mut out, &format!("{at}: fields"), &m.fields);
            strictly_sorted(&mut out, &format!("{at}: refs"), &m.refs);
            strictly_sorted(&mut out, &format!("{at}: attributes"), &m.attributes);
            strictly_sorted(&mut out, &format!("{at}: duplicates"), &m.duplicates);
        }
        for e in &self.enums {
            let at = format!("enum {}", e.class);
            strictly_sorted(&mut out, &format!("{at}: values"), &e.values);
            strictly_sorted(&mut out, &format!("{at}: duplicates"), &e.duplicates);
        }
        let mut both: Vec<&str> = names;
        both.extend(self.models.iter().map(|m| m.class.as_str()));
        both.sort_unstable();
        for w in both.windows(2) {
            if w[0] == w[1] {
                out.push(format!("`{}` is both a model and an enum", w[0]));
            }
        }
        out
    }

    /// The API paths the SDK knows: those of its request classes and its
    /// unbound path constants, with repeated `/` collapsed, sorted.
    pub fn paths(&self) -> Vec<String> {
        let mut out: Vec<String> = self
            .requests
            .iter()
            .filter_map(|r| r.path.as_deref())
            .chain(self.unbound_paths.iter().map(String::as_str))
            .map(normalize_path)
            .collect();
        out.sort();
        out.dedup();
        out
    }

    /// The request classes whose (normalised) path is `path`.
    pub fn requests_at<'a>(&'a self, path: &'a str) -> impl Iterator<Item = &'a Request> + 'a {
        self.requests
            .iter()
            .filter(move |r| r.path.as_deref().is_some_and(|p| normalize_path(p) == path))
    }
}

/// `path` with every run of `/` collapsed to one: the SDK spells some paths
/// with a doubled slash (`/ams/api//v1/...`) that the gateway treats as one.
pub fn normalize_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for c in path.chars() {
        if c == '/' && out.ends_with('/') {
            continue;
        }
        out.push(c);
    }
    out
}

fn strictly_sorted<T: Ord + std::fmt::Debug>(out: &mut Vec<String>, what: &str, items: &[T]) {
    if let Some(w) = items.windows(2).find(|w| w[0] >= w[1]) {
        let how = if w[0] == w[1] {
            "is listed twice"
        } else {
            "is out of order"
        };
        out.push(format!("{what}: {:?} {how} (after {:?})", w[1], w[0]));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Inventory {
        Inventory {
            format: FORMAT,
            package: "global-open-sdk-python".into(),
            version: "1.0.0".into(),
            file: "x.whl".into(),
            sha256: "0".repeat(64),
            source_root: "com/alipay/ams/api".into(),
            requests: vec![Request {
                class: "AlipayCaptureRequest".into(),
                file: "request/pay/alipay_capture_request.py".into(),
                path: Some("/ams/api//v1/payments/capture".into()),
                fields: vec!["captureRequestId".into(), "paymentId".into()],
                refs: vec!["Amount".into()],
                attributes: vec![],
                response: None,
            }],
            unbound_paths: vec!["/ams/api/v1/payments/syncArrear".into()],
            models: vec![],
            enums: vec![],
        }
    }

    #[test]
    fn json_round_trips_byte_for_byte() {
        let inv = sample();
        let text = inv.to_json();
        let back = Inventory::parse(&text, "x.json").unwrap();
        assert_eq!(back, inv);
        assert_eq!(back.to_json(), text);
    }

    #[test]
    fn paths_are_normalised_and_include_unbound_constants() {
        let inv = sample();
        assert_eq!(
            inv.paths(),
            [
                "/ams/api/v1/payments/capture",
                "/ams/api/v1/payments/syncArrear"
            ]
        );
        assert_eq!(inv.requests_at("/ams/api/v1/payments/capture").count(), 1);
    }

    #[test]
    fn malformed_files_name_the_file_and_the_problem() {
        let e = Inventory::parse("{\"format\": 1,", "spec/drift/x.json").unwrap_err();
        assert!(e.to_string().starts_with("spec/drift/x.json: "), "{e}");

        let mut inv = sample();
        inv.requests[0].fields = vec!["paymentId".into(), "captureRequestId".into()];
        inv.sha256 = "ABC".into();
        let e = Inventory::parse(&inv.to_json(), "spec/drift/x.json").unwrap_err();
        let s = e.to_string();
        assert!(s.contains("spec/drift/x.json"), "{s}");
        assert!(s.contains("\"captureRequestId\" is out of order"), "{s}");
        assert!(s.contains("`sha256`"), "{s}");

        let text = sample().to_json().replace("\"refs\"", "\"reffs\"");
        let e = Inventory::parse(&text, "x.json").unwrap_err();
        assert!(e.to_string().contains("unknown field `reffs`"), "{e}");
    }
}
