//! The spec's request and response models as data: what a JSON body must
//! look like, checked without its Rust type.
//!
//! The generator emits one [`ModelSchema`] per model (the `schema` module of
//! the generated crate). [`Schemas::validate`] checks any JSON value against
//! a model (required fields, JSON types, enum values, lengths), reporting
//! each violation with its JSON path: the conformance kit and the mock
//! gateway judge the bodies other implementations send with it.
//! [`Schemas::sample`] builds a valid value of a model.

use std::fmt;

use serde_json::{Map, Value};

/// The JSON shape of a field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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
    Enum(&'static [&'static str]),
    /// An object of the model of this name.
    Model(&'static str),
    /// An array of the inner shape.
    Array(&'static Shape),
}

/// One field of a model.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FieldSchema {
    /// Wire name.
    pub name: &'static str,
    /// Its shape.
    pub shape: Shape,
    /// Whether it must be present (and not `null`).
    pub required: bool,
    /// Maximum length in characters (strings).
    pub max_length: Option<u32>,
}

/// One model.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ModelSchema {
    /// The model's name.
    pub name: &'static str,
    /// Its fields, in declaration order.
    pub fields: &'static [FieldSchema],
}

/// Every model of a spec, sorted by name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Schemas {
    /// The models, sorted by name.
    pub models: &'static [ModelSchema],
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
    /// The model called `name`.
    pub fn model(&self, name: &str) -> Option<&'static ModelSchema> {
        self.models
            .binary_search_by(|m| m.name.cmp(name))
            .ok()
            .map(|i| &self.models[i])
    }

    /// Every way `value` differs from the model `model` (none for an unknown
    /// model). Fields the model does not know are allowed.
    pub fn validate(&self, model: &str, value: &Value) -> Vec<SchemaViolation> {
        let mut out = Vec::new();
        if let Some(m) = self.model(model) {
            self.check(&Shape::Model(m.name), value, String::new(), 0, &mut out);
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
                if !values.contains(&s.as_str()) {
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
            (Shape::Model(name), Value::Object(object)) => {
                let Some(model) = self.model(name) else {
                    return;
                };
                for field in model.fields {
                    let at = if path.is_empty() {
                        field.name.to_owned()
                    } else {
                        format!("{path}.{}", field.name)
                    };
                    match object.get(field.name) {
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
            (Shape::String, _) => wrong("a string"),
            (Shape::Boolean, _) => wrong("true or false"),
            (Shape::Integer, _) => wrong("an integer"),
            (Shape::Number, _) => wrong("a number"),
            (Shape::Enum(_), _) => wrong("a string (an enum value)"),
            (Shape::Array(_), _) => wrong("an array"),
            (Shape::Model(_), _) => wrong("an object"),
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
                field.name.to_owned(),
                self.sample_field(field, &field.shape, depth),
            );
        }
        Value::Object(object)
    }

    fn sample_field(&self, field: &FieldSchema, shape: &Shape, depth: usize) -> Value {
        match shape {
            Shape::String => {
                let text = sample_text(field.name);
                let max = field.max_length.map_or(usize::MAX, |m| m.max(1) as usize);
                Value::String(text.chars().take(max).collect())
            }
            Shape::Boolean => Value::Bool(false),
            Shape::Integer | Shape::Number => Value::from(1),
            Shape::Json => Value::Object(Map::new()),
            Shape::Enum(values) => values.first().map_or(Value::Null, |v| Value::from(*v)),
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

    static SCHEMAS: Schemas = Schemas {
        models: &[
            ModelSchema {
                name: "Amount",
                fields: &[
                    FieldSchema {
                        name: "currency",
                        shape: Shape::String,
                        required: true,
                        max_length: Some(3),
                    },
                    FieldSchema {
                        name: "value",
                        shape: Shape::String,
                        required: true,
                        max_length: Some(16),
                    },
                ],
            },
            ModelSchema {
                name: "Pay",
                fields: &[
                    FieldSchema {
                        name: "paymentRequestId",
                        shape: Shape::String,
                        required: true,
                        max_length: Some(8),
                    },
                    FieldSchema {
                        name: "paymentAmount",
                        shape: Shape::Model("Amount"),
                        required: true,
                        max_length: None,
                    },
                    FieldSchema {
                        name: "method",
                        shape: Shape::Enum(&["CARD", "WALLET"]),
                        required: false,
                        max_length: None,
                    },
                    FieldSchema {
                        name: "goods",
                        shape: Shape::Array(&Shape::Model("Amount")),
                        required: false,
                        max_length: None,
                    },
                    FieldSchema {
                        name: "count",
                        shape: Shape::Integer,
                        required: false,
                        max_length: None,
                    },
                ],
            },
        ],
    };

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
