//! The validated, reference-resolved intermediate representation of a spec.
//!
//! The loader ([`crate::load_dir`]) produces a [`Spec`] only when the YAML has
//! no errors, so every name an IR item refers to (a model, an enum, a result
//! code) is guaranteed to exist in the same [`Spec`]. Every collection is sorted
//! by name, so consumers (the generator above all) are deterministic without
//! sorting again.

use std::collections::BTreeMap;

/// The closed vocabularies of the protocol, declared once in `antom-protocol`.
pub use antom_protocol::{Action, BusinessOutcome, SpecStatus};

/// A whole spec: the merge of every file of a spec directory.
#[derive(Debug, Clone, PartialEq)]
pub struct Spec {
    /// Gateway regions, sorted by id.
    pub regions: Vec<Region>,
    /// The sandbox path rule.
    pub sandbox: Option<Sandbox>,
    /// What an idempotency key means once its call has a final answer.
    pub idempotency: Option<Idempotency>,
    /// Closed enums, sorted by name.
    pub enums: Vec<Enum>,
    /// Models, sorted by name.
    pub models: Vec<Model>,
    /// Endpoints, sorted by (family, name).
    pub endpoints: Vec<Endpoint>,
    /// Notifications, sorted by name.
    pub notifications: Vec<Notification>,
    /// The notification acknowledgement.
    pub acknowledgement: Option<Acknowledgement>,
    /// The result-code catalogue, sorted by code.
    pub result_codes: Vec<ResultCode>,
    /// Client-side SDK event codes, sorted by code.
    pub sdk_event_codes: Vec<SdkEventCode>,
}

impl Spec {
    /// The model called `name`.
    pub fn model(&self, name: &str) -> Option<&Model> {
        self.models.iter().find(|m| m.name == name)
    }

    /// The enum called `name`.
    pub fn enum_(&self, name: &str) -> Option<&Enum> {
        self.enums.iter().find(|e| e.name == name)
    }

    /// The endpoint called `name`.
    pub fn endpoint(&self, name: &str) -> Option<&Endpoint> {
        self.endpoints.iter().find(|e| e.name == name)
    }

    /// The catalogue entry of result code `code`.
    pub fn result_code(&self, code: &str) -> Option<&ResultCode> {
        self.result_codes.iter().find(|c| c.code == code)
    }

    /// The SDK event code `code`.
    pub fn sdk_event_code(&self, code: &str) -> Option<&SdkEventCode> {
        self.sdk_event_codes.iter().find(|c| c.code == code)
    }

    /// Gateway-wide result codes (scope `gateway`), sorted by code.
    pub fn gateway_codes(&self) -> impl Iterator<Item = &ResultCode> {
        self.result_codes
            .iter()
            .filter(|c| c.scope == CodeScope::Gateway)
    }

    /// Every result code `endpoint` can return: the codes it lists (with their
    /// per-endpoint overrides) followed by the gateway-wide codes it does not
    /// list, sorted by code.
    pub fn codes_of(&self, endpoint: &Endpoint) -> Vec<EndpointCode> {
        let mut out: BTreeMap<&str, EndpointCode> = BTreeMap::new();
        for c in self.gateway_codes() {
            out.insert(
                &c.code,
                EndpointCode {
                    code: c.code.clone(),
                    status: c.status,
                    action: c.action,
                    note: None,
                    listed: false,
                },
            );
        }
        for c in &endpoint.result_codes {
            out.insert(&c.code, c.clone());
        }
        out.into_values().collect()
    }
}

/// A bilingual text (English and Chinese).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Text {
    /// English.
    pub en: String,
    /// Chinese.
    pub zh: String,
}

/// Where a result code applies.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    serde::Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "camelCase")]
pub enum CodeScope {
    /// Any API may return it.
    Gateway,
    /// Only the APIs that list it.
    Api,
    /// A `paymentResultCode` (inquiryPayment, notifyPayment, SDK callbacks).
    Payment,
}

/// An entry of the result-code catalogue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResultCode {
    /// SCREAMING_SNAKE_CASE code, e.g. `PAYMENT_IN_PROCESS`.
    pub code: String,
    /// `result.resultStatus` that comes with the code.
    pub status: SpecStatus,
    /// What a caller should do about it.
    pub action: Action,
    /// Where the code applies.
    pub scope: CodeScope,
    /// Also appears as a `paymentResultCode`.
    pub payment_result: bool,
    /// The result message.
    pub message: Text,
    /// What to do about it.
    pub suggestion: Text,
    /// Where this entry comes from.
    pub sources: Vec<String>,
    /// Why this entry is not certain.
    pub uncertain: Option<String>,
}

/// A result code as one endpoint returns it (catalogue entry plus overrides).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EndpointCode {
    /// The code, an entry of [`Spec::result_codes`].
    pub code: String,
    /// The catalogue status.
    pub status: SpecStatus,
    /// The catalogue action, or the endpoint's override.
    pub action: Action,
    /// What this code means for this endpoint or notification.
    pub note: Option<String>,
    /// Listed by the endpoint itself (false for implicit gateway codes).
    pub listed: bool,
}

/// An API.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoint {
    /// lowerCamelCase API name, e.g. `inquiryPayment`.
    pub name: String,
    /// Family, e.g. `payments`.
    pub family: String,
    /// Production path, e.g. `/ams/api/v1/payments/inquiryPayment`.
    pub path: String,
    /// What the API does.
    pub doc: String,
    /// Request model name.
    pub request: String,
    /// Response model name.
    pub response: String,
    /// Request field that is the idempotency key.
    pub idempotency_key: Option<String>,
    /// Request fields the response echoes (fields of both models), compared
    /// to bind a response to its request.
    pub echoes: Vec<String>,
    /// Whether a sandbox client id rewrites the path (false for the risk APIs).
    pub sandbox_rewrite: bool,
    /// Response field holding the business status (inquiry APIs).
    pub business_status: Option<BusinessStatusField>,
    /// Codes the endpoint lists, sorted by code (see [`Spec::codes_of`] for
    /// the full set including gateway codes).
    pub result_codes: Vec<EndpointCode>,
    /// What the sources leave open.
    pub uncertain: Option<String>,
    /// The keys whose values the sources leave open (`sandboxRewrite`, ...),
    /// explained in `uncertain`.
    pub uncertain_keys: Vec<String>,
}

/// The response field of an inquiry endpoint that carries the business status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BusinessStatusField {
    /// Wire name of the response field, e.g. `paymentStatus`.
    pub field: String,
    /// The enum of that field; every value has an [`BusinessOutcome`].
    pub enum_name: String,
}

/// A field type.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Type {
    /// JSON string.
    String,
    /// JSON boolean.
    Boolean,
    /// JSON integer.
    Integer,
    /// JSON number (may have a fraction).
    Number,
    /// Free-form JSON.
    Json,
    /// An enum of [`Spec::enums`], by name.
    Enum(String),
    /// A model of [`Spec::models`], by name.
    Model(String),
    /// A JSON array of the inner type.
    Array(Box<Type>),
}

/// A model (JSON object).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Model {
    /// UpperCamelCase name.
    pub name: String,
    /// What the object is.
    pub doc: String,
    /// Fields in declaration order.
    pub fields: Vec<Field>,
}

impl Model {
    /// The field whose wire name is `name`.
    pub fn field(&self, name: &str) -> Option<&Field> {
        self.fields.iter().find(|f| f.name == name)
    }
}

/// A model field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    /// Wire name (lowerCamelCase).
    pub name: String,
    /// Resolved type.
    pub ty: Type,
    /// Whether the field must be present.
    pub required: bool,
    /// Maximum length in characters.
    pub max_length: Option<u32>,
    /// Cardholder data or another secret: never printed by `Debug`.
    pub sensitive: bool,
    /// What the field holds (may be empty).
    pub doc: String,
}

/// A closed enum.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Enum {
    /// UpperCamelCase name.
    pub name: String,
    /// What the enum is.
    pub doc: String,
    /// Values in declaration order.
    pub values: Vec<EnumValue>,
}

/// One enum value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnumValue {
    /// Wire value, exactly as sent.
    pub value: String,
    /// What the value means (may be empty).
    pub doc: String,
    /// What the value means for the caller (always set for business-status enums).
    pub outcome: Option<BusinessOutcome>,
}

/// A webhook.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notification {
    /// lowerCamelCase name, e.g. `notifyPayment`.
    pub name: String,
    /// What the notification reports.
    pub doc: String,
    /// Payload model name.
    pub payload: String,
    /// Values of the payload's `notifyType` discriminator.
    pub notify_types: Vec<String>,
    /// Payload fields that identify a delivery (for idempotent handling), most
    /// specific first: the first one present identifies it.
    pub dedup_keys: Vec<String>,
    /// Codes the notification carries, sorted by code.
    pub result_codes: Vec<EndpointCode>,
}

/// The merchant's answer to a notification.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Acknowledgement {
    /// HTTP status of the answer.
    pub http_status: u16,
    /// The exact JSON body of the answer.
    pub body: String,
    /// Explanation.
    pub doc: String,
    /// Delays between deliveries, in seconds.
    pub resend_schedule_secs: Vec<u64>,
}

/// Group of an SDK event code.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    serde::Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "camelCase")]
pub enum EventGroup {
    /// Status code.
    Status,
    /// Error code.
    Error,
    /// Payment result code.
    PaymentResult,
    /// Express checkout code.
    ExpressCheckout,
    /// Redirect code.
    Redirect,
}

impl EventGroup {
    /// The spelling used in the YAML.
    pub fn as_str(self) -> &'static str {
        match self {
            EventGroup::Status => "status",
            EventGroup::Error => "error",
            EventGroup::PaymentResult => "paymentResult",
            EventGroup::ExpressCheckout => "expressCheckout",
            EventGroup::Redirect => "redirect",
        }
    }
}

/// A client-side SDK callback code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SdkEventCode {
    /// The code, e.g. `SDK_CALL_URL_ERROR`.
    pub code: String,
    /// Its group.
    pub group: EventGroup,
    /// The callbacks that may deliver it, in the spec's order: one (e.g.
    /// `onEventCallback`), or several (e.g. `onEventCallback` and `onError`)
    /// when it depends on the SDK. Never empty.
    pub callbacks: Vec<String>,
    /// What happened.
    pub description: Text,
    /// What to do.
    pub action: Text,
    /// Set when the code is deprecated.
    pub deprecated: Option<Deprecation>,
    /// Where the sources disagree about the group.
    pub group_note: Option<String>,
    /// Where this entry comes from.
    pub sources: Vec<String>,
}

/// Deprecation of an SDK event code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Deprecation {
    /// The SDK event code that replaces it (an entry of [`Spec::sdk_event_codes`]).
    pub replaced_by: Option<String>,
    /// Since when and why.
    pub note: String,
}

/// A gateway region.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Region {
    /// SCREAMING_SNAKE_CASE id.
    pub id: String,
    /// Human name, e.g. `North America`.
    pub name: String,
    /// Gateway hosts, in spec order.
    pub hosts: Vec<Host>,
    /// Host for file uploads.
    pub upload_host: Option<String>,
    /// Free text.
    pub note: Option<String>,
}

/// A gateway host of a region.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Host {
    /// `https://` origin without path.
    pub url: String,
    /// Whether this is the recommended host of the region.
    pub recommended: bool,
}

/// What an endpoint's idempotency key means once its call has a final answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Idempotency {
    /// The statuses after which a key is spent (`S`, `F`; never `U`): sending
    /// it again returns the same answer, so a new attempt needs a new key.
    pub final_statuses: Vec<SpecStatus>,
    /// Explanation.
    pub doc: String,
    /// Where the rule comes from.
    pub sources: Vec<String>,
}

impl Spec {
    /// The statuses after which `endpoint`'s idempotency key is spent: none
    /// when the endpoint has no key or the spec states no rule.
    pub fn spent_on(&self, endpoint: &Endpoint) -> &[SpecStatus] {
        match (&endpoint.idempotency_key, &self.idempotency) {
            (Some(_), Some(rule)) => &rule.final_statuses,
            _ => &[],
        }
    }
}

/// The sandbox path rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sandbox {
    /// Client ids with this prefix are sandbox clients, e.g. `SANDBOX_`.
    pub client_id_prefix: String,
    /// Production path prefix, e.g. `/ams/api`.
    pub production_prefix: String,
    /// Sandbox path prefix, e.g. `/ams/sandbox/api`.
    pub sandbox_prefix: String,
    /// Explanation.
    pub doc: String,
}
