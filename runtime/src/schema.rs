//! The spec's request and response models as data: what a JSON body must
//! look like, checked without its Rust type.
//!
//! The generator emits every model of the spec as JSON (the `schema` module
//! of the generated crate, `SCHEMAS_JSON`), read once into [`Schemas`] with
//! [`Schemas::from_json`]: data costs the compiler nothing, where a table of
//! Rust values would be type-checked field by field. [`Schemas::validate`]
//! checks any JSON value against a model (required fields, JSON types, enum
//! values, lengths), reporting each violation with its JSON path: the
//! conformance kit and the mock gateway judge the bodies other
//! implementations send with it. [`Schemas::sample`] builds a valid value
//! of a model.
//!
//! ```
//! use antom_runtime::schema::Schemas;
//!
//! let schemas = Schemas::from_json(r#"{"models": [
//!     {"name": "Amount", "fields": [
//!         {"name": "currency", "shape": "string", "required": true, "maxLength": 3},
//!         {"name": "value", "shape": "string", "required": true}
//!     ]}
//! ]}"#)?;
//! let wrong = serde_json::json!({"currency": "USDT", "value": "100"});
//! let found: Vec<String> = schemas.validate("Amount", &wrong).iter().map(|v| v.to_string()).collect();
//! assert_eq!(found, ["`currency` is 4 characters long; the maximum is 3"]);
//! # Ok::<(), antom_runtime::schema::SchemaError>(())
//! ```

use std::fmt;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// The JSON shape of a field; in JSON `"string"`, `"boolean"`, `"integer"`,
/// `"number"`, `"json"`, `{"enum": [values]}`, `{"model": name}` or
/// `{"array": shape}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Shape {
    /// A string.
    String,
    /// `true` or `false`.
    Boolean,
    /// An integer.
    Integer,
    /// A number.
    Number,
    /// Any JSON.
    Json,
    /// A string among these values.
    Enum(Vec<String>),
    /// An object of the model of this name.
    Model(String),
    /// An array of the inner shape.
    Array(Box<Shape>),
}

/// One field of a model.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct FieldSchema {
    /// Wire name.
    pub name: String,
    /// Its shape.
    pub shape: Shape,
    /// Whether it must be present (and not `null`).
    #[serde(default)]
    pub required: bool,
    /// Maximum length in characters (strings).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_length: Option<u32>,
}

/// One model.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ModelSchema {
    /// The model's name.
    pub name: String,
    /// Its fields, in declaration order.
    pub fields: Vec<FieldSchema>,
}

/// Every model of a spec, sorted by name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Schemas {
    /// The models, sorted by name.
    models: Vec<ModelSchema>,
}

/// Why [`Schemas::from_json`] rejected its text.
#[derive(Debug, thiserror::Error)]
pub enum SchemaError {
    /// Not JSON of the schema format.
    #[error("not a schema document: {0}")]
    Json(#[from] serde_json::Error),
    /// Two models share a name.
    #[error("model `{0}` is defined twice")]
    Duplicate(String),
}

impl<'de> Deserialize<'de> for Schemas {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        struct Document {
            models: Vec<ModelSchema>,
        }
        let doc = Document::deserialize(d)?;
        Schemas::new(doc.models).map_err(serde::de::Error::custom)
    }
}

/// Which rule a value breaks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Rule {
    /// A required field is absent or `null`.
    Required,
    /// The JSON type differs (`expected` names the shape).
    Type {
        /// The shape expected, e.g. `string`.
        expected: &'static str,
    },
    /// A string longer than the spec's maximum.
    MaxLength {
        /// The maximum.
        max: u32,
        /// The value's length in characters.
        actual: usize,
    },
    /// A value outside the enum.
    EnumValue {
        /// The value sent.
        value: String,
    },
}

/// One way a value differs from its model.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SchemaViolation {
    /// JSON path from the root, e.g. `order.goods[0].goodsName`.
    pub path: String,
    /// What is wrong.
    pub rule: Rule,
}

impl fmt::Display for SchemaViolation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let at = if self.path.is_empty() {
            "the body"
        } else {
            &self.path
        };
        match &self.rule {
            Rule::Required => write!(f, "`{at}` is required"),
            Rule::Type { expected } => write!(f, "`{at}` must be {expected}"),
            Rule::MaxLength { max, actual } => {
                write!(
                    f,
                    "`{at}` is {actual} characters long; the maximum is {max}"
                )
            }
            Rule::EnumValue { value } => {
                write!(f, "`{at}` is `{value}`, not a value the spec lists")
            }
        }
    }
}

/// Nesting beyond which validation and samples stop (the spec's models are
/// far shallower; a cycle of models must not recurse forever).
const MAX_DEPTH: usize = 16;

impl Schemas {
    /// The schemas of `models`, in any order; two models of one name are
    /// an error.
    pub fn new(mut models: Vec<ModelSchema>) -> Result<Self, SchemaError> {
        models.sort_by(|a, b| a.name.cmp(&b.name));
        if let Some(w) = models.windows(2).find(|w| w[0].name == w[1].name) {
            return Err(SchemaError::Duplicate(w[0].name.clone()));
        }
        Ok(Schemas { models })
    }

    /// Reads `{"models": [...]}`, the form the generator writes (see the
    /// module example).
    pub fn from_json(text: &str) -> Result<Self, SchemaError> {
        Ok(serde_json::from_str(text)?)
    }

    /// The models, sorted by name.
    pub fn models(&self) -> &[ModelSchema] {
        &self.models
    }

    /// The model called `name`.
    pub fn model(&self, name: &str) -> Option<&ModelSchema> {
        self.models
            .binary_search_by(|m| m.name.as_str().cmp(name))
            .ok()
            .map(|i| &self.models[i])
    }

    /// Every way `value` differs from the model `model` (none for an unknown
    /// model). Fields the model does not know are allowed.
    pub fn validate(&self, model: &str, value: &Value) -> Vec<SchemaViolation> {
        let mut out = Vec::new();
        if let Some(m) = self.model(model) {
            self.check_fields(m, value, String::new(), 0, &mut out);
        }
        out
    }

    fn check(
        &self,
        shape: &Shape,
        value: &Value,
        path: String,
        depth: usize,
        out: &mut Vec<SchemaViolation>,
    ) {
        if depth > MAX_DEPTH {
            return;
        }
        let mut wrong = |expected| {
            out.push(SchemaViolation {
                path: path.clone(),
                rule: Rule::Type { expected },
            })
        };
        match (shape, value) {
            (Shape::Json, _) => {}
            (Shape::String, Value::String(_)) => {}
            (Shape::Boolean, Value::Bool(_)) => {}
            (Shape::Integer, Value::Number(n)) if n.is_i64() || n.is_u64() => {}
            (Shape::Number, Value::Number(_)) => {}
            (Shape::Enum(values), Value::String(s)) => {
                if !values.iter().any(|v| v == s) {
                    out.push(SchemaViolation {
                        path,
                        rule: Rule::EnumValue { value: s.clone() },
                    });
                }
            }
            (Shape::Array(inner), Value::Array(items)) => {
                for (i, item) in items.iter().enumerate() {
                    self.check(inner, item, format!("{path}[{i}]"), depth + 1, out);
                }
            }
            (Shape::Model(name), Value::Object(_)) => {
                if let Some(model) = self.model(name) {
                    self.check_fields(model, value, path, depth, out);
                }
            }
            (Shape::String, _) => wrong("a string"),
            (Shape::Boolean, _) => wrong("true or false"),
            (Shape::Integer, _) => wrong("an integer"),
            (Shape::Number, _) => wrong("a number"),
            (Shape::Enum(_), _) => wrong("a string (an enum value)"),
            (Shape::Array(_), _) => wrong("an array"),
            (Shape::Model(_), _) => wrong("an object"),
        }
    }

    /// The fields of `model` in `value` (an object, or the type error).
    fn check_fields(
        &self,
        model: &ModelSchema,
        value: &Value,
        path: String,
        depth: usize,
        out: &mut Vec<SchemaViolation>,
    ) {
        let Value::Object(object) = value else {
            out.push(SchemaViolation {
                path,
                rule: Rule::Type {
                    expected: "an object",
                },
            });
            return;
        };
        for field in &model.fields {
            let at = crate::__private::path(&path, &field.name);
            match object.get(&field.name) {
                None | Some(Value::Null) => {
                    if field.required {
                        out.push(SchemaViolation {
                            path: at,
                            rule: Rule::Required,
                        });
                    }
                }
                Some(v) => {
                    if let (Some(max), Value::String(s)) = (field.max_length, v) {
                        let actual = s.chars().count();
                        if actual > max as usize {
                            out.push(SchemaViolation {
                                path: at.clone(),
                                rule: Rule::MaxLength { max, actual },
                            });
                        }
                    }
                    self.check(&field.shape, v, at, depth + 1, out);
                }
            }
        }
    }

    /// A valid value of the model `model`: every required field, each with
    /// a plausible value of its shape (the first enum value, `"USD"` for a
    /// currency, `"100"` for an amount's value, an ISO 8601 time for a
    /// `...Time` field, strings cut to their maximum length). `{}` for an
    /// unknown model.
    pub fn sample(&self, model: &str) -> Value {
        self.sample_model(model, 0)
    }

    fn sample_model(&self, name: &str, depth: usize) -> Value {
        let mut object = Map::new();
        let Some(model) = self.model(name) else {
            return Value::Object(object);
        };
        for field in model.fields.iter().filter(|f| f.required) {
            object.insert(
                field.name.clone(),
                self.sample_field(field, &field.shape, depth),
            );
        }
        Value::Object(object)
    }

    fn sample_field(&self, field: &FieldSchema, shape: &Shape, depth: usize) -> Value {
        match shape {
            Shape::String => {
                let text = sample_text(&field.name);
                let max = field.max_length.map_or(usize::MAX, |m| m.max(1) as usize);
                Value::String(text.chars().take(max).collect())
            }
            Shape::Boolean => Value::Bool(false),
            Shape::Integer | Shape::Number => Value::from(1),
            Shape::Json => Value::Object(Map::new()),
            Shape::Enum(values) => values
                .first()
                .map_or(Value::Null, |v| Value::from(v.as_str())),
            Shape::Model(name) if depth < MAX_DEPTH => self.sample_model(name, depth + 1),
            Shape::Model(_) => Value::Object(Map::new()),
            Shape::Array(inner) => Value::Array(vec![self.sample_field(field, inner, depth)]),
        }
    }
}

/// A plausible string for a field called `name`.
fn sample_text(name: &str) -> String {
    let lower = name.to_ascii_lowercase();
    if lower == "currency" || lower.ends_with("currency") {
        "USD".into()
    } else if lower == "value" {
        "100".into()
    } else if lower.ends_with("time") {
        "2026-01-01T08:00:00+08:00".into()
    } else if lower.ends_with("url") {
        "https://merchant.example/antom".into()
    } else if lower.ends_with("email") {
        "buyer@example.com".into()
    } else {
        format!("conformance-{name}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SCHEMA_JSON: &str = r#"{"models": [
        {"name": "Pay", "fields": [
            {"name": "paymentRequestId", "shape": "string", "required": true, "maxLength": 8},
            {"name": "paymentAmount", "shape": {"model": "Amount"}, "required": true},
            {"name": "method", "shape": {"enum": ["CARD", "WALLET"]}},
            {"name": "goods", "shape": {"array": {"model": "Amount"}}},
            {"name": "count", "shape": "integer"}
        ]},
        {"name": "Amount", "fields": [
            {"name": "currency", "shape": "string", "required": true, "maxLength": 3},
            {"name": "value", "shape": "string", "required": true, "maxLength": 16}
        ]}
    ]}"#;

    static SCHEMAS: std::sync::LazyLock<Schemas> =
        std::sync::LazyLock::new(|| Schemas::from_json(SCHEMA_JSON).unwrap());

    #[test]
    fn the_json_form_reads_back_and_sorts_by_name() {
        let names: Vec<&str> = SCHEMAS.models().iter().map(|m| m.name.as_str()).collect();
        assert_eq!(names, ["Amount", "Pay"]);
        let again = serde_json::to_string(&*SCHEMAS).unwrap();
        assert_eq!(Schemas::from_json(&again).unwrap(), *SCHEMAS);
        let pay = SCHEMAS.model("Pay").unwrap();
        assert_eq!(
            pay.fields[3].shape,
            Shape::Array(Box::new(Shape::Model("Amount".into())))
        );
        assert_eq!(pay.fields[2].max_length, None);
        assert!(!pay.fields[2].required);
    }

    #[test]
    fn a_bad_document_is_an_error_naming_what_is_wrong() {
        let twice = r#"{"models": [{"name": "A", "fields": []}, {"name": "A", "fields": []}]}"#;
        assert_eq!(
            Schemas::from_json(twice).unwrap_err().to_string(),
            "not a schema document: model `A` is defined twice"
        );
        let typo = r#"{"models": [{"name": "A", "fields": [{"name": "x", "shape": "text"}]}]}"#;
        let err = Schemas::from_json(typo).unwrap_err().to_string();
        assert!(err.contains("unknown variant `text`"), "{err}");
        let extra = r#"{"models": [{"name": "A", "fields": [{"name": "x", "shape": "json", "maxLen": 3}]}]}"#;
        let err = Schemas::from_json(extra).unwrap_err().to_string();
        assert!(err.contains("unknown field `maxLen`"), "{err}");
    }

    #[test]
    fn a_sample_is_valid() {
        let sample = SCHEMAS.sample("Pay");
        assert_eq!(SCHEMAS.validate("Pay", &sample), vec![]);
        assert_eq!(sample["paymentAmount"]["currency"], "USD");
        assert_eq!(sample["paymentAmount"]["value"], "100");
        assert_eq!(
            sample["paymentRequestId"].as_str().unwrap().chars().count(),
            8
        );
    }

    #[test]
    fn each_rule_is_reported_with_its_path() {
        let body = serde_json::json!({
            "paymentRequestId": "123456789",
            "paymentAmount": {"currency": "USD", "value": 100},
            "method": "CASH",
            "goods": [{"currency": "EUR", "value": "1"}, {"value": "2"}],
            "count": 1.5,
            "extra": "unknown fields are allowed",
        });
        let v: Vec<String> = SCHEMAS
            .validate("Pay", &body)
            .iter()
            .map(|v| v.to_string())
            .collect();
        assert_eq!(
            v,
            [
                "`paymentRequestId` is 9 characters long; the maximum is 8",
                "`paymentAmount.value` must be a string",
                "`method` is `CASH`, not a value the spec lists",
                "`goods[1].currency` is required",
                "`count` must be an integer",
            ]
        );
        assert_eq!(
            SCHEMAS.validate("Pay", &serde_json::json!([]))[0].to_string(),
            "`the body` must be an object"
        );
        assert!(SCHEMAS.validate("Nope", &serde_json::json!(1)).is_empty());
    }
}
