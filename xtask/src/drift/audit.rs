//! The spec against an SDK inventory: what both have, and every difference.
//!
//! - **paths**: the spec's endpoint paths against the SDK's (request
//!   classes and unbound path constants, repeated `/` collapsed);
//! - **request / response fields**: on every path both have, the top-level
//!   fields of the endpoint's request (response) model against the JSON
//!   names of the SDK's request (response) classes on that path, united
//!   when several classes share the path;
//! - **models**: the spec's shared models (those that are no endpoint's
//!   request or response and no notification's payload, which are compared
//!   above or have no SDK model class) against the SDK's model classes, by
//!   name, and the fields of the models both have;
//! - **enums**: the spec's enums against the SDK's, by name, and the values
//!   of those both have.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use antom_spec::ir::Spec;

use super::inventory::{normalize_path, Inventory};

/// What a difference is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    /// An API path.
    Path,
    /// A top-level field of an endpoint's request.
    RequestField,
    /// A top-level field of an endpoint's response.
    ResponseField,
    /// A model.
    Model,
    /// A field of a model.
    ModelField,
    /// An enum.
    Enum,
    /// A value of an enum.
    EnumValue,
}

impl Kind {
    /// Every kind, in report order.
    pub const ALL: [Kind; 7] = [
        Kind::Path,
        Kind::RequestField,
        Kind::ResponseField,
        Kind::Model,
        Kind::ModelField,
        Kind::Enum,
        Kind::EnumValue,
    ];

    /// The kind in words (`request field`).
    pub fn label(self) -> &'static str {
        match self {
            Kind::Path => "path",
            Kind::RequestField => "request field",
            Kind::ResponseField => "response field",
            Kind::Model => "model",
            Kind::ModelField => "model field",
            Kind::Enum => "enum",
            Kind::EnumValue => "enum value",
        }
    }

    /// Whether a difference of this kind belongs to an owner (a path, a
    /// model, an enum).
    pub fn has_owner(self) -> bool {
        matches!(
            self,
            Kind::RequestField | Kind::ResponseField | Kind::ModelField | Kind::EnumValue
        )
    }
}

/// Which side has the item the other lacks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Side {
    /// The SDK has it, the spec does not.
    Sdk,
    /// The spec has it, the SDK does not.
    Spec,
}

impl Side {
    /// The spelling of the exclusions file's `in:` key.
    pub fn as_str(self) -> &'static str {
        match self {
            Side::Sdk => "sdk",
            Side::Spec => "spec",
        }
    }
}

/// One item that one side has and the other lacks.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Difference {
    /// What it is.
    pub kind: Kind,
    /// The path, model or enum it belongs to (empty for paths, models and
    /// enums).
    pub owner: String,
    /// The path, field, model, enum or value.
    pub item: String,
    /// Which side has it.
    pub side: Side,
    /// Context for the reader: the SDK classes involved, where a model is
    /// used (may be empty).
    pub note: String,
}

impl fmt::Display for Difference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let side = match self.side {
            Side::Sdk => "only in the SDK: ",
            Side::Spec => "only in the spec:",
        };
        write!(f, "{side} {} `{}`", self.kind.label(), self.item)?;
        if self.kind.has_owner() {
            write!(f, " of {}", self.owner)?;
        }
        if !self.note.is_empty() {
            write!(f, " ({})", self.note)?;
        }
        Ok(())
    }
}

/// How many items of one kind both sides have, and how many only one.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    /// In both.
    pub shared: usize,
    /// Only in the SDK.
    pub sdk_only: usize,
    /// Only in the spec.
    pub spec_only: usize,
}

impl Tally {
    /// Every item the SDK has.
    pub fn sdk_total(&self) -> usize {
        self.shared + self.sdk_only
    }

    /// The share of the SDK's items the spec has, in whole percent.
    pub fn percent(&self) -> usize {
        (self.shared * 100)
            .checked_div(self.sdk_total())
            .unwrap_or(100)
    }
}

/// The outcome of a comparison.
#[derive(Debug, Clone, Default)]
pub struct Comparison {
    /// Every difference, sorted.
    pub differences: Vec<Difference>,
    /// Counts per kind.
    pub tallies: BTreeMap<Kind, Tally>,
    /// How many shared paths had their request (response) fields compared.
    pub compared_request_paths: usize,
    /// See [`Comparison::compared_request_paths`].
    pub compared_response_paths: usize,
    /// What the comparison could not compare, or read differently from the
    /// SDK's spelling (sorted).
    pub notes: Vec<String>,
}

impl Comparison {
    fn record(
        &mut self,
        kind: Kind,
        owner: &str,
        sdk: &BTreeSet<String>,
        spec: &BTreeSet<String>,
        note: impl Fn(Side, &str) -> String,
    ) {
        let tally = self.tallies.entry(kind).or_default();
        tally.shared += sdk.intersection(spec).count();
        for (side, only) in [
            (Side::Sdk, sdk.difference(spec)),
            (Side::Spec, spec.difference(sdk)),
        ] {
            for item in only {
                match side {
                    Side::Sdk => tally.sdk_only += 1,
                    Side::Spec => tally.spec_only += 1,
                }
                self.differences.push(Difference {
                    kind,
                    owner: owner.to_owned(),
                    item: item.clone(),
                    side,
                    note: note(side, item),
                });
            }
        }
    }
}

/// Compares `spec` with the SDK inventory `sdk`.
pub fn compare(spec: &Spec, sdk: &Inventory) -> Comparison {
    let mut c = Comparison::default();
    for kind in Kind::ALL {
        c.tallies.insert(kind, Tally::default());
    }
    compare_paths(spec, sdk, &mut c);
    let usage = usage(sdk);
    let spec_paths: BTreeSet<&str> = spec.endpoints.iter().map(|e| e.path.as_str()).collect();
    let note = |name: &str| usage_note(&usage, &spec_paths, name);
    compare_models(spec, sdk, &note, &mut c);
    compare_enums(spec, sdk, &note, &mut c);
    c.differences.sort();
    c.notes.sort();
    c
}

fn field_names(spec: &Spec, model: &str) -> BTreeSet<String> {
    spec.model(model)
        .map(|m| m.fields.iter().map(|f| f.name.clone()).collect())
        .unwrap_or_default()
}

fn compare_paths(spec: &Spec, sdk: &Inventory, c: &mut Comparison) {
    let sdk_paths: BTreeSet<String> = sdk.paths().into_iter().collect();
    let spec_paths: BTreeSet<String> = spec.endpoints.iter().map(|e| e.path.clone()).collect();
    let classes_at = |path: &str| -> String {
        let names: BTreeSet<&str> = sdk.requests_at(path).map(|r| r.class.as_str()).collect();
        if names.is_empty() {
            "path constant without a request class".to_owned()
        } else {
            names.into_iter().collect::<Vec<_>>().join(", ")
        }
    };
    c.record(
        Kind::Path,
        "",
        &sdk_paths,
        &spec_paths,
        |side, path| match side {
            Side::Sdk => classes_at(path),
            Side::Spec => spec
                .endpoints
                .iter()
                .find(|e| e.path == path)
                .map(|e| format!("endpoint {}", e.name))
                .unwrap_or_default(),
        },
    );

    for r in &sdk.requests {
        match &r.path {
            Some(p) if normalize_path(p) != *p => c.notes.push(format!(
                "{} spells its path `{p}`; compared as `{}`",
                r.class,
                normalize_path(p)
            )),
            Some(_) => {}
            None => c.notes.push(format!(
                "{} ({}) names no path: not compared",
                r.class, r.file
            )),
        }
    }

    for endpoint in &spec.endpoints {
        if !sdk_paths.contains(&endpoint.path) {
            continue;
        }
        let requests: Vec<_> = sdk.requests_at(&endpoint.path).collect();
        if requests.is_empty() {
            c.notes.push(format!(
                "{} is an SDK path constant without a request class: fields not compared",
                endpoint.path
            ));
            continue;
        }
        let mut sent: BTreeMap<String, BTreeSet<&str>> = BTreeMap::new();
        let mut read: BTreeMap<String, BTreeSet<&str>> = BTreeMap::new();
        let mut responses = BTreeSet::new();
        for r in &requests {
            for f in &r.fields {
                sent.entry(f.clone()).or_default().insert(&r.class);
            }
            if let Some(resp) = &r.response {
                responses.insert(resp.class.as_str());
                for f in &resp.fields {
                    read.entry(f.clone()).or_default().insert(&resp.class);
                }
            }
        }
        let which = |by: &BTreeMap<String, BTreeSet<&str>>, all: usize, item: &str| -> String {
            match by.get(item) {
                Some(classes) if all > 1 => classes.iter().copied().collect::<Vec<_>>().join(", "),
                _ => String::new(),
            }
        };
        let request_classes: BTreeSet<&str> = requests.iter().map(|r| r.class.as_str()).collect();
        c.compared_request_paths += 1;
        c.record(
            Kind::RequestField,
            &endpoint.path,
            &sent.keys().cloned().collect(),
            &field_names(spec, &endpoint.request),
            |side, item| match side {
                Side::Sdk => which(&sent, request_classes.len(), item),
                Side::Spec => String::new(),
            },
        );
        if responses.is_empty() {
            c.notes.push(format!(
                "{} has no SDK response class: response fields not compared",
                endpoint.path
            ));
            continue;
        }
        c.compared_response_paths += 1;
        c.record(
            Kind::ResponseField,
            &endpoint.path,
            &read.keys().cloned().collect(),
            &field_names(spec, &endpoint.response),
            |side, item| match side {
                Side::Sdk => which(&read, responses.len(), item),
                Side::Spec => String::new(),
            },
        );
    }
}

/// For every model and enum class of the SDK, the SDK calls whose request or
/// response class uses it (directly or through other models): their paths,
/// or `Class (no path)` for a request class that names none.
fn usage(sdk: &Inventory) -> BTreeMap<&str, BTreeSet<String>> {
    let refs: BTreeMap<&str, &[String]> = sdk
        .models
        .iter()
        .map(|m| (m.class.as_str(), m.refs.as_slice()))
        .collect();
    let mut out: BTreeMap<&str, BTreeSet<String>> = BTreeMap::new();
    for r in &sdk.requests {
        let path = match &r.path {
            Some(p) => normalize_path(p),
            None => format!("{} (no path)", r.class),
        };
        let mut todo: Vec<&str> = r.refs.iter().map(String::as_str).collect();
        if let Some(resp) = &r.response {
            todo.extend(resp.refs.iter().map(String::as_str));
        }
        let mut seen = BTreeSet::new();
        while let Some(name) = todo.pop() {
            if !seen.insert(name) {
                continue;
            }
            out.entry(name).or_default().insert(path.clone());
            if let Some(more) = refs.get(name) {
                todo.extend(more.iter().map(String::as_str));
            }
        }
    }
    out
}

fn usage_note(
    usage: &BTreeMap<&str, BTreeSet<String>>,
    spec_paths: &BTreeSet<&str>,
    name: &str,
) -> String {
    match usage.get(name) {
        None => "used by no SDK request or response".to_owned(),
        Some(paths) => {
            let in_spec: Vec<&String> = paths
                .iter()
                .filter(|p| spec_paths.contains(p.as_str()))
                .collect();
            let first = in_spec.first().copied().or(paths.iter().next());
            format!(
                "used by {} SDK call(s), {} in the spec, e.g. {}",
                paths.len(),
                in_spec.len(),
                first.map(String::as_str).unwrap_or_default()
            )
        }
    }
}

/// The spec's models that are neither an endpoint's request or response
/// nor a notification's payload.
fn shared_models(spec: &Spec) -> BTreeSet<String> {
    let mut roots: BTreeSet<&str> = BTreeSet::new();
    for e in &spec.endpoints {
        roots.insert(&e.request);
        roots.insert(&e.response);
    }
    for n in &spec.notifications {
        roots.insert(&n.payload);
    }
    spec.models
        .iter()
        .filter(|m| !roots.contains(m.name.as_str()))
        .map(|m| m.name.clone())
        .collect()
}

fn compare_models(spec: &Spec, sdk: &Inventory, note: &dyn Fn(&str) -> String, c: &mut Comparison) {
    let sdk_models: BTreeSet<String> = sdk.models.iter().map(|m| m.class.clone()).collect();
    let spec_models = shared_models(spec);
    c.record(
        Kind::Model,
        "",
        &sdk_models,
        &spec_models,
        |side, name| match side {
            Side::Sdk => note(name),
            Side::Spec => String::new(),
        },
    );
    for m in &sdk.models {
        if !spec_models.contains(&m.class) {
            continue;
        }
        c.record(
            Kind::ModelField,
            &m.class,
            &m.fields.iter().cloned().collect(),
            &field_names(spec, &m.class),
            |_, _| String::new(),
        );
    }
}

fn compare_enums(spec: &Spec, sdk: &Inventory, note: &dyn Fn(&str) -> String, c: &mut Comparison) {
    let sdk_enums: BTreeSet<String> = sdk.enums.iter().map(|e| e.class.clone()).collect();
    let spec_enums: BTreeSet<String> = spec.enums.iter().map(|e| e.name.clone()).collect();
    c.record(
        Kind::Enum,
        "",
        &sdk_enums,
        &spec_enums,
        |side, name| match side {
            Side::Sdk => note(name),
            Side::Spec => String::new(),
        },
    );
    for e in &sdk.enums {
        let Some(spec_enum) = spec.enum_(&e.class) else {
            continue;
        };
        c.record(
            Kind::EnumValue,
            &e.class,
            &e.values.iter().cloned().collect(),
            &spec_enum.values.iter().map(|v| v.value.clone()).collect(),
            |_, _| String::new(),
        );
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::drift::inventory::{EnumClass, Model, Request, Response, FORMAT};

    /// A spec with one endpoint, one shared model and one enum.
    pub(crate) fn spec() -> Spec {
        let yaml = r#"
family: payments
endpoints:
  capture:
    path: /ams/api/v1/payments/capture
    doc: Captures.
    request: CaptureRequest
    response: CaptureResponse
  onlyInSpec:
    path: /ams/api/v1/payments/onlyInSpec
    doc: Not in the SDK.
    request: CaptureRequest
    response: CaptureResponse
models:
  CaptureRequest:
    doc: Request.
    fields:
      - {name: captureRequestId, type: string}
      - {name: captureAmount, type: Amount}
  CaptureResponse:
    doc: Response.
    fields:
      - {name: result, type: Result}
      - {name: captureId, type: string}
  Result:
    doc: Result.
    fields:
      - {name: resultCode, type: string}
      - {name: resultStatus, type: ResultStatus}
  Amount:
    doc: Amount.
    fields:
      - {name: currency, type: string}
      - {name: value, type: string}
enums:
  ResultStatus:
    doc: Status.
    values:
      - {value: S}
      - {value: F}
      - {value: U}
"#;
        antom_spec::load_sources(&[("antom/x.yaml".to_owned(), yaml.to_owned())])
            .unwrap_or_else(|d| panic!("{d}"))
    }

    /// An inventory that differs from [`spec`] in one item of every kind.
    pub(crate) fn inventory() -> Inventory {
        Inventory {
            format: FORMAT,
            package: "global-open-sdk-python".into(),
            version: "0.0.0".into(),
            file: "x.whl".into(),
            sha256: "0".repeat(64),
            source_root: "com/alipay/ams/api".into(),
            requests: vec![
                Request {
                    class: "AlipayCaptureRequest".into(),
                    file: "request/pay/alipay_capture_request.py".into(),
                    path: Some("/ams/api/v1/payments/capture".into()),
                    fields: vec![
                        "captureAmount".into(),
                        "captureRequestId".into(),
                        "isLastCapture".into(),
                    ],
                    refs: vec!["Amount".into()],
                    attributes: vec![],
                    response: Some(Response {
                        class: "AlipayCaptureResponse".into(),
                        file: "response/pay/alipay_capture_response.py".into(),
                        fields: vec!["captureId".into(), "result".into()],
                        refs: vec!["Result".into()],
                        attributes: vec![],
                    }),
                },
                Request {
                    class: "AlipayCreateCustomerRequest".into(),
                    file: "request/billing/alipay_create_customer_request.py".into(),
                    path: Some("/ams/api/v1/billing/customer/create".into()),
                    fields: vec!["customer".into()],
                    refs: vec!["BillingCustomer".into()],
                    attributes: vec![],
                    response: None,
                },
            ],
            unbound_paths: vec![],
            models: vec![
                Model {
                    class: "Amount".into(),
                    file: "model/amount.py".into(),
                    fields: vec!["currency".into(), "value".into()],
                    refs: vec![],
                    attributes: vec![],
                    duplicates: vec![],
                },
                Model {
                    class: "BillingCustomer".into(),
                    file: "model/billing_customer.py".into(),
                    fields: vec!["name".into()],
                    refs: vec![],
                    attributes: vec![],
                    duplicates: vec![],
                },
                Model {
                    class: "Result".into(),
                    file: "model/result.py".into(),
                    fields: vec![
                        "resultCode".into(),
                        "resultMessage".into(),
                        "resultStatus".into(),
                    ],
                    refs: vec!["ResultStatusType".into()],
                    attributes: vec![],
                    duplicates: vec![],
                },
            ],
            enums: vec![EnumClass {
                class: "ResultStatus".into(),
                file: "model/result_status.py".into(),
                values: vec!["F".into(), "S".into()],
                duplicates: vec![],
            }],
        }
    }

    #[test]
    fn every_kind_of_difference_is_found_and_counted() {
        let c = compare(&spec(), &inventory());
        let lines: Vec<String> = c.differences.iter().map(|d| d.to_string()).collect();
        assert_eq!(
            lines,
            [
                "only in the SDK:  path `/ams/api/v1/billing/customer/create` (AlipayCreateCustomerRequest)",
                "only in the spec: path `/ams/api/v1/payments/onlyInSpec` (endpoint onlyInSpec)",
                "only in the SDK:  request field `isLastCapture` of /ams/api/v1/payments/capture",
                "only in the SDK:  model `BillingCustomer` (used by 1 SDK call(s), 0 in the spec, e.g. /ams/api/v1/billing/customer/create)",
                "only in the SDK:  model field `resultMessage` of Result",
                "only in the spec: enum value `U` of ResultStatus",
            ]
        );
        let t = c.tallies[&Kind::Path];
        assert_eq!((t.shared, t.sdk_only, t.spec_only), (1, 1, 1));
        assert_eq!(t.percent(), 50);
        let t = c.tallies[&Kind::RequestField];
        assert_eq!((t.shared, t.sdk_only, t.spec_only), (2, 1, 0));
        assert_eq!(c.tallies[&Kind::ResponseField].shared, 2);
        assert_eq!(c.tallies[&Kind::Model].shared, 2);
        assert_eq!(c.compared_request_paths, 1);
    }

    #[test]
    fn doubled_slashes_match_and_are_noted() {
        let mut inv = inventory();
        inv.requests[0].path = Some("/ams/api//v1/payments/capture".into());
        let c = compare(&spec(), &inv);
        assert!(!c
            .differences
            .iter()
            .any(|d| d.kind == Kind::Path && d.item.contains("capture")));
        assert!(c
            .notes
            .iter()
            .any(|n| n.contains("/ams/api//v1/payments/capture")));
    }
}
