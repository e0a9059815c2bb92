//! The raw, unvalidated types of one spec file, as written in YAML.
//!
//! These types mirror `spec/FORMAT.md` one to one. They are deserialized by the
//! loader's own spanned deserializer (never by a generic YAML library), and the
//! JSON Schema of [`SpecFile`] ([`crate::json_schema`]) is derived from them,
//! so their doc comments are what editors show while a spec is being written.
//!
//! References between items (model names, result codes, ...) are plain strings
//! here; [`crate::load_sources`] resolves and checks them and produces the
//! [`crate::ir`].

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;
use std::marker::PhantomData;

/// The small closed vocabularies are shared with the IR: one definition each.
pub use crate::ir::{
    Action, BusinessOutcome as Outcome, CodeScope as Scope, EventGroup, SpecStatus as Status,
};

use schemars::{JsonSchema, Schema, SchemaGenerator};
use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};

/// One YAML file of a spec directory. Every section is optional; the files of
/// a directory are merged, and names must be unique across the directory.
#[derive(Debug, Default, serde::Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schemars(title = "Antom spec file")]
pub struct SpecFile {
    /// The endpoint family of the `endpoints` in this file (`payments`,
    /// `vaults`, ...). Required when `endpoints` is present.
    #[schemars(pattern("^[a-z][A-Za-z0-9]*$"))]
    pub family: Option<String>,
    /// APIs, keyed by lowerCamelCase API name (e.g. `inquiryPayment`).
    #[serde(default)]
    #[schemars(extend("propertyNames" = {"pattern": "^[a-z][A-Za-z0-9]*$"}))]
    pub endpoints: Item<BTreeMap<String, Item<Endpoint>>>,
    /// Request, response and shared objects, keyed by UpperCamelCase name.
    #[serde(default)]
    #[schemars(extend("propertyNames" = {"pattern": "^[A-Z][A-Za-z0-9]*$"}))]
    pub models: Item<BTreeMap<String, Item<Model>>>,
    /// Closed enums, keyed by UpperCamelCase name.
    #[serde(default)]
    #[schemars(extend("propertyNames" = {"pattern": "^[A-Z][A-Za-z0-9]*$"}))]
    pub enums: Item<BTreeMap<String, Item<Enum>>>,
    /// Webhooks Antom sends, keyed by lowerCamelCase name (e.g. `notifyPayment`).
    #[serde(default)]
    #[schemars(extend("propertyNames" = {"pattern": "^[a-z][A-Za-z0-9]*$"}))]
    pub notifications: Item<BTreeMap<String, Item<Notification>>>,
    /// What a merchant answers to a notification (at most once in a spec).
    pub acknowledgement: Option<Item<Acknowledgement>>,
    /// The result-code catalogue, keyed by SCREAMING_SNAKE_CASE code.
    #[serde(default)]
    #[schemars(extend("propertyNames" = {"pattern": "^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$"}))]
    pub result_codes: Item<BTreeMap<String, Item<ResultCode>>>,
    /// Client-side SDK callback codes, keyed by code (`SDK_...`).
    #[serde(default)]
    #[schemars(extend("propertyNames" = {"pattern": "^SDK_[A-Z0-9]+(_[A-Z0-9]+)*$"}))]
    pub sdk_event_codes: Item<BTreeMap<String, Item<SdkEventCode>>>,
    /// Gateway regions and hosts, keyed by SCREAMING_SNAKE_CASE id (e.g. `NORTH_AMERICA`).
    #[serde(default)]
    #[schemars(extend("propertyNames" = {"pattern": "^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$"}))]
    pub regions: Item<BTreeMap<String, Item<Region>>>,
    /// The sandbox path rule (at most once in a spec).
    pub sandbox: Option<Item<Sandbox>>,
    /// What an idempotency key means once its call has a final answer (at
    /// most once in a spec).
    pub idempotency: Option<Item<Idempotency>>,
}

/// An API.
#[derive(Debug, serde::Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Endpoint {
    /// Production path, e.g. `/ams/api/v1/payments/capture`: starts with
    /// `/ams/`, no `//`, no query, no trailing `/`, no whitespace.
    #[schemars(pattern(r"^/ams/([^/\s?#]+/)*[^/\s?#]+$"))]
    pub path: String,
    /// What the API does.
    pub doc: String,
    /// Request model name.
    pub request: String,
    /// Response model name; the model must have a `result` field of type `Result`.
    pub response: String,
    /// A field of the request model that is the idempotency key.
    pub idempotency_key: Option<String>,
    /// Request fields the response echoes back: fields of both the request
    /// and the response model. A client compares them to bind a response to
    /// the request it answers (a different value is a replayed or misrouted
    /// response).
    #[serde(default)]
    pub echoes: Vec<String>,
    /// Default true; false = never rewritten to the sandbox path (risk APIs).
    pub sandbox_rewrite: Option<bool>,
    /// A response field whose type is an enum whose values all have an `outcome`.
    pub business_status: Option<String>,
    /// Free text: what the sources leave open.
    pub uncertain: Option<String>,
    /// The keys of this endpoint whose values the sources leave open or
    /// dispute (e.g. `sandboxRewrite` where the official SDKs disagree), each
    /// explained in `uncertain`. The conformance kit judges what it derives
    /// from them at level `uncertain`: reported, never failing a run.
    #[serde(default)]
    pub uncertain_keys: Vec<String>,
    /// Codes this API documents (gateway-wide codes apply implicitly): a code,
    /// or `{code, action, note}`.
    #[serde(default)]
    pub result_codes: Vec<Item<CodeRef>>,
}

/// A result code listed by an endpoint or a notification.
#[derive(Debug, JsonSchema)]
#[serde(untagged)]
pub enum CodeRef {
    /// Just the code, with the catalogue's action.
    Code(String),
    /// The code with a per-API action override and/or a note.
    Detailed(CodeEntry),
}

/// A result code with per-API details.
#[derive(Debug, serde::Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CodeEntry {
    /// A code of the `resultCodes` catalogue.
    pub code: String,
    /// Override of the catalogue's action for this API (must agree with the code's status).
    pub action: Option<Action>,
    /// What this code means for this API.
    pub note: Option<String>,
}

impl CodeRef {
    /// The referenced code.
    pub fn code(&self) -> &str {
        match self {
            CodeRef::Code(c) => c,
            CodeRef::Detailed(e) => &e.code,
        }
    }
}

impl<'de> Deserialize<'de> for CodeRef {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = CodeRef;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a result code or a mapping {code, action, note}")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<CodeRef, E> {
                Ok(CodeRef::Code(v.to_owned()))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<CodeRef, A::Error> {
                CodeEntry::deserialize(de::value::MapAccessDeserializer::new(map))
                    .map(CodeRef::Detailed)
            }
        }
        d.deserialize_any(V)
    }
}

/// A request/response/shared object.
#[derive(Debug, serde::Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Model {
    /// What the object is.
    pub doc: String,
    /// Fields, in wire order.
    #[serde(default)]
    pub fields: Vec<Item<Field>>,
}

/// A field of a model.
#[derive(Debug, serde::Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Field {
    /// Wire name (lowerCamelCase).
    pub name: String,
    /// `string`, `boolean`, `integer`, `number`, `json`, a model name, an enum
    /// name, or `array<T>` with `T` any of these.
    #[serde(rename = "type")]
    #[schemars(pattern(r"^(array<)*(string|boolean|integer|number|json|[A-Z][A-Za-z0-9]*)>*$"))]
    pub ty: String,
    /// Default false.
    pub required: Option<bool>,
    /// Maximum length in characters (> 0).
    #[schemars(range(min = 1, max = 4294967295u64))]
    pub max_length: Option<u64>,
    /// Cardholder data or another secret (a full card number, a CVV, an
    /// expiry date, PIN digits): the generated `Debug` prints `<redacted>`
    /// in its place. Default false.
    pub sensitive: Option<bool>,
    /// What the field holds.
    pub doc: Option<String>,
}

/// A closed enum.
#[derive(Debug, serde::Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Enum {
    /// What the enum is.
    pub doc: String,
    /// Values, in declaration order (at least one).
    #[schemars(length(min = 1))]
    pub values: Vec<Item<EnumValue>>,
}

/// One value of an enum.
#[derive(Debug, serde::Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct EnumValue {
    /// Wire value, exactly as sent.
    pub value: String,
    /// What the value means.
    pub doc: Option<String>,
    /// What the value means for the caller; needed for `businessStatus` enums.
    pub outcome: Option<Outcome>,
}

/// A webhook Antom sends.
#[derive(Debug, serde::Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Notification {
    /// What the notification reports.
    pub doc: String,
    /// Payload model name; if it has a `result` field, that field is of type `Result`.
    pub payload: String,
    /// Values of the payload's `notifyType` discriminator (may be empty).
    #[serde(default)]
    pub notify_types: Vec<String>,
    /// Payload fields that identify what a delivery is about, for idempotent
    /// handling: the first one present in a payload identifies it (with the
    /// discriminator, so `PAYMENT_PENDING` and `PAYMENT_RESULT` differ).
    /// Most specific first, e.g. `[updateRequestId, paymentRequestId]`.
    #[serde(default)]
    pub dedup_keys: Vec<String>,
    /// Result codes the notification carries (codes of the catalogue).
    #[serde(default)]
    pub result_codes: Vec<Item<CodeRef>>,
}

/// What a merchant answers to a notification.
#[derive(Debug, serde::Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Acknowledgement {
    /// HTTP status of the answer (100..=599).
    #[schemars(range(min = 100, max = 599))]
    pub http_status: u16,
    /// The exact JSON body of the answer.
    pub body: String,
    /// Explanation.
    pub doc: String,
    /// Delays between deliveries: `<n>s`, `<n>m` or `<n>h`.
    #[schemars(length(min = 1), inner(pattern("^[0-9]+[smh]$")))]
    pub resend_schedule: Vec<String>,
}

/// A bilingual text; both languages are required and non-empty.
#[derive(Debug, serde::Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Text {
    /// English.
    pub en: String,
    /// Chinese.
    pub zh: String,
}

/// An entry of the result-code catalogue.
#[derive(Debug, serde::Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ResultCode {
    /// `S`, `F` or `U`.
    pub status: Status,
    /// `U` codes: `retry`, `retryAfterBackoff` or `inquire`; `S` codes: `none`;
    /// `F` codes: anything but `retry`, `retryAfterBackoff` and `inquire`.
    pub action: Action,
    /// `gateway` (any API), `api` (only APIs that list it) or `payment` (a paymentResultCode).
    pub scope: Scope,
    /// Default false: also appears as a `paymentResultCode`.
    pub payment_result: Option<bool>,
    /// The result message.
    pub message: Text,
    /// What to do about it.
    pub suggestion: Text,
    /// Where this entry comes from.
    #[serde(default)]
    pub sources: Vec<String>,
    /// Why this entry is not certain.
    pub uncertain: Option<String>,
}

/// A client-side SDK callback code.
#[derive(Debug, serde::Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SdkEventCode {
    /// `status`, `error`, `paymentResult`, `expressCheckout` or `redirect`.
    pub group: EventGroup,
    /// The callback that receives it, e.g. `onEventCallback`; or a list,
    /// e.g. `[onEventCallback, onError]`, when it depends on the SDK.
    pub callback: Callbacks,
    /// What happened.
    pub description: Text,
    /// What to do.
    pub action: Text,
    /// Set when the code is deprecated.
    pub deprecated: Option<Deprecation>,
    /// Where the sources disagree about the group.
    pub group_note: Option<String>,
    /// Where this entry comes from.
    #[serde(default)]
    pub sources: Vec<String>,
}

/// The callback(s) of an SDK event code: one name, or a list of names when
/// the code arrives through one callback or another depending on the SDK.
#[derive(Debug, JsonSchema)]
#[serde(untagged)]
pub enum Callbacks {
    /// One callback, e.g. `onEventCallback`.
    One(String),
    /// Any of these callbacks, depending on the SDK, e.g.
    /// `[onEventCallback, onError]` (at least one, each listed once).
    Many(#[schemars(length(min = 1))] Vec<String>),
}

impl Callbacks {
    /// The callback names, in the order written.
    pub fn names(&self) -> &[String] {
        match self {
            Callbacks::One(c) => std::slice::from_ref(c),
            Callbacks::Many(cs) => cs,
        }
    }
}

impl<'de> Deserialize<'de> for Callbacks {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Callbacks;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a callback name or a list of callback names")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Callbacks, E> {
                Ok(Callbacks::One(v.to_owned()))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Callbacks, A::Error> {
                let mut names = Vec::new();
                while let Some(n) = seq.next_element::<String>()? {
                    names.push(n);
                }
                Ok(Callbacks::Many(names))
            }
        }
        d.deserialize_any(V)
    }
}

/// Deprecation of an SDK event code.
#[derive(Debug, serde::Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Deprecation {
    /// The SDK event code that replaces it.
    pub replaced_by: Option<String>,
    /// Since when and why.
    pub note: String,
}

/// A gateway region.
#[derive(Debug, serde::Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Region {
    /// Human name, e.g. `North America`.
    pub name: String,
    /// Gateway hosts (at least one).
    #[schemars(length(min = 1))]
    pub hosts: Vec<Item<Host>>,
    /// Host for file uploads.
    #[schemars(pattern(r"^https://[^/\s?#]+$"))]
    pub upload_host: Option<String>,
    /// Free text.
    pub note: Option<String>,
}

/// A gateway host.
#[derive(Debug, serde::Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Host {
    /// `https://` URL without path.
    #[schemars(pattern(r"^https://[^/\s?#]+$"))]
    pub url: String,
    /// Default false.
    pub recommended: Option<bool>,
}

/// The sandbox path rule.
#[derive(Debug, serde::Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Sandbox {
    /// Client ids with this prefix are sandbox clients, e.g. `SANDBOX_`.
    pub client_id_prefix: String,
    /// e.g. `/ams/api`.
    pub production_prefix: String,
    /// e.g. `/ams/sandbox/api`.
    pub sandbox_prefix: String,
    /// Explanation.
    pub doc: String,
}

/// What an idempotency key (an endpoint's `idempotencyKey`) means once its
/// call has a final answer.
#[derive(Debug, serde::Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Idempotency {
    /// The statuses after which a key is spent: sending it again returns the
    /// same answer, so a new attempt needs a new key. `S` and/or `F`, each at
    /// most once; `U` is never final.
    #[schemars(length(min = 1))]
    pub final_statuses: Vec<Status>,
    /// Explanation.
    pub doc: String,
    /// Where the rule comes from.
    #[serde(default)]
    pub sources: Vec<String>,
}

/// Name the loader's deserializer recognises as an error-recovery boundary.
pub(crate) const ITEM_MARKER: &str = "$antom_spec::Item";

/// An item that may have failed to deserialize.
///
/// With the loader, a failed item has already been reported as a diagnostic,
/// and the loader keeps going with the next item so that one mistake does not
/// hide the others. With any other deserializer, `Item<T>` is a transparent
/// newtype of `T` and errors pass through.
#[derive(Debug)]
pub enum Item<T> {
    /// Deserialized.
    Ok(T),
    /// Failed (and reported).
    Bad,
}

impl<T: Default> Default for Item<T> {
    fn default() -> Self {
        Item::Ok(T::default())
    }
}

impl<T> Item<T> {
    /// The item, if it deserialized.
    pub fn ok(&self) -> Option<&T> {
        match self {
            Item::Ok(t) => Some(t),
            Item::Bad => None,
        }
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Item<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<T>(PhantomData<T>);
        impl<'de, T: Deserialize<'de>> Visitor<'de> for V<T> {
            type Value = Item<T>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an item")
            }
            /// Other deserializers: a plain newtype, errors pass through.
            fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<Item<T>, D::Error> {
                T::deserialize(d).map(Item::Ok)
            }
            /// The loader's deserializer: a sequence of attempts, each failure
            /// already reported; the end of the sequence means the item is bad.
            fn visit_seq<A: SeqAccess<'de>>(self, mut attempts: A) -> Result<Item<T>, A::Error> {
                let mut last = None;
                for _ in 0..MAX_ATTEMPTS {
                    match attempts.next_element::<T>() {
                        Ok(Some(v)) => return Ok(Item::Ok(v)),
                        Ok(None) => return Ok(Item::Bad),
                        Err(e) => last = Some(e),
                    }
                }
                match last {
                    Some(e) => Err(e),
                    None => Ok(Item::Bad),
                }
            }
        }
        d.deserialize_newtype_struct(ITEM_MARKER, V(PhantomData))
    }
}

/// Bound on recovery attempts of one item (one per key of the item, plus one).
const MAX_ATTEMPTS: usize = 4096;

impl<T: JsonSchema> JsonSchema for Item<T> {
    fn inline_schema() -> bool {
        T::inline_schema()
    }
    fn schema_name() -> Cow<'static, str> {
        T::schema_name()
    }
    fn schema_id() -> Cow<'static, str> {
        T::schema_id()
    }
    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        T::json_schema(generator)
    }
}
