//! Rename detection: items that left the old spec and entered the new one
//! under another name, with nothing else changed.
//!
//! A rename is only recognised when it is unambiguous: exactly one removed
//! item and one added item fit each other. Everything else stays a removal
//! and an addition.
//!
//! - enums: the same values, in the same order;
//! - models: the same fields (names, types, `required`, `maxLength`), types
//!   equal up to the renames found and up to references between removed and
//!   added models;
//! - endpoints: the same path (paths are unique in a spec);
//! - notifications: the same payload (up to renames) and the same non-empty
//!   `notifyTypes`;
//! - fields of a model present in both specs: the same type (up to renames),
//!   `required`, `maxLength` and doc; or, when exactly one field left and one
//!   arrived, the same type, `required` and `maxLength`.

use std::collections::{BTreeMap, BTreeSet};

use antom_spec::ir::{Field, Spec, Type};

/// The renames from an old spec to a new one, old name → new name.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Renames {
    /// Enums.
    pub enums: BTreeMap<String, String>,
    /// Models.
    pub models: BTreeMap<String, String>,
    /// Endpoints.
    pub endpoints: BTreeMap<String, String>,
    /// Notifications.
    pub notifications: BTreeMap<String, String>,
    /// Fields, by (old model name, old field name).
    pub fields: BTreeMap<(String, String), String>,
}

impl Renames {
    /// The new name of old model `name`.
    pub fn model<'a>(&'a self, name: &'a str) -> &'a str {
        self.models.get(name).map_or(name, String::as_str)
    }

    /// The new name of old enum `name`.
    pub fn enum_<'a>(&'a self, name: &'a str) -> &'a str {
        self.enums.get(name).map_or(name, String::as_str)
    }

    /// The new name of old endpoint `name`.
    pub fn endpoint<'a>(&'a self, name: &'a str) -> &'a str {
        self.endpoints.get(name).map_or(name, String::as_str)
    }

    /// The new name of old notification `name`.
    pub fn notification<'a>(&'a self, name: &'a str) -> &'a str {
        self.notifications.get(name).map_or(name, String::as_str)
    }

    /// The new name of field `field` of old model `model`.
    pub fn field<'a>(&'a self, model: &str, field: &'a str) -> &'a str {
        self.fields
            .get(&(model.to_owned(), field.to_owned()))
            .map_or(field, String::as_str)
    }

    /// `old` (a type of the old spec) written in the new spec's names.
    pub fn ty(&self, old: &Type) -> Type {
        match old {
            Type::Enum(n) => Type::Enum(self.enum_(n).to_owned()),
            Type::Model(n) => Type::Model(self.model(n).to_owned()),
            Type::Array(inner) => Type::Array(Box::new(self.ty(inner))),
            other => other.clone(),
        }
    }
}

/// The renames from `old` to `new`.
pub fn detect(old: &Spec, new: &Spec) -> Renames {
    let mut renames = Renames::default();

    let removed_enums = removed(old.enums.iter().map(|e| &e.name), |n| new.enum_(n));
    let added_enums = removed(new.enums.iter().map(|e| &e.name), |n| old.enum_(n));
    let values = |spec: &Spec, name: &str| -> Vec<String> {
        spec.enum_(name)
            .map(|e| e.values.iter().map(|v| v.value.clone()).collect())
            .unwrap_or_default()
    };
    renames.enums = pair(&removed_enums, &added_enums, |o, n| {
        values(old, o) == values(new, n)
    });

    let removed_models = removed(old.models.iter().map(|m| &m.name), |n| new.model(n));
    let added_models = removed(new.models.iter().map(|m| &m.name), |n| old.model(n));
    let loose = Loose {
        renames: &renames,
        removed_models: &removed_models,
        added_models: &added_models,
    };
    let models = pair(&removed_models, &added_models, |o, n| {
        match (old.model(o), new.model(n)) {
            (Some(o), Some(n)) => {
                o.fields.len() == n.fields.len()
                    && o.fields.iter().zip(&n.fields).all(|(a, b)| {
                        a.name == b.name
                            && loose.same_type(&a.ty, &b.ty)
                            && a.required == b.required
                            && a.max_length == b.max_length
                    })
            }
            _ => false,
        }
    });
    renames.models = models;

    let removed_endpoints = removed(old.endpoints.iter().map(|e| &e.name), |n| new.endpoint(n));
    let added_endpoints = removed(new.endpoints.iter().map(|e| &e.name), |n| old.endpoint(n));
    renames.endpoints = pair(&removed_endpoints, &added_endpoints, |o, n| {
        old.endpoint(o).map(|e| &e.path) == new.endpoint(n).map(|e| &e.path)
    });

    let notification = |spec: &Spec, name: &str| {
        spec.notifications
            .iter()
            .find(|x| x.name == name)
            .map(|x| (x.payload.clone(), x.notify_types.clone()))
    };
    let has = |spec: &Spec, name: &str| spec.notifications.iter().any(|x| x.name == name);
    let removed_notifications = removed(old.notifications.iter().map(|x| &x.name), |n| {
        has(new, n).then_some(())
    });
    let added_notifications = removed(new.notifications.iter().map(|x| &x.name), |n| {
        has(old, n).then_some(())
    });
    renames.notifications = pair(&removed_notifications, &added_notifications, |o, n| match (
        notification(old, o),
        notification(new, n),
    ) {
        (Some((op, ot)), Some((np, nt))) => !ot.is_empty() && ot == nt && renames.model(&op) == np,
        _ => false,
    });

    for o in &old.models {
        let Some(n) = new.model(renames.model(&o.name)) else {
            continue;
        };
        let gone: Vec<&Field> = o
            .fields
            .iter()
            .filter(|f| n.field(&f.name).is_none())
            .collect();
        let came: Vec<&Field> = n
            .fields
            .iter()
            .filter(|f| o.field(&f.name).is_none())
            .collect();
        let fits = |a: &Field, b: &Field| {
            renames.ty(&a.ty) == b.ty && a.required == b.required && a.max_length == b.max_length
        };
        let gone_names: Vec<&String> = gone.iter().map(|f| &f.name).collect();
        let came_names: Vec<&String> = came.iter().map(|f| &f.name).collect();
        let mut found = pair(&gone_names, &came_names, |a, b| {
            match (find_field(&gone, a), find_field(&came, b)) {
                (Some(a), Some(b)) => fits(a, b) && !a.doc.trim().is_empty() && a.doc == b.doc,
                _ => false,
            }
        });
        if found.is_empty() && gone.len() == 1 && came.len() == 1 && fits(gone[0], came[0]) {
            found.insert(gone[0].name.clone(), came[0].name.clone());
        }
        for (from, to) in found {
            renames.fields.insert((o.name.clone(), from), to);
        }
    }
    renames
}

fn find_field<'a>(fields: &[&'a Field], name: &str) -> Option<&'a Field> {
    fields.iter().copied().find(|f| f.name == name)
}

/// The names of `names` that `lookup` does not find.
fn removed<'a, T>(
    names: impl Iterator<Item = &'a String>,
    lookup: impl Fn(&str) -> Option<T>,
) -> Vec<&'a String> {
    names.filter(|n| lookup(n).is_none()).collect()
}

/// The pairs of one removed and one added name that fit each other and fit
/// nothing else.
fn pair(
    removed: &[&String],
    added: &[&String],
    fits: impl Fn(&str, &str) -> bool,
) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let mut taken = BTreeSet::new();
    for r in removed {
        let candidates: Vec<&&String> = added.iter().filter(|a| fits(r, a)).collect();
        let [only] = candidates.as_slice() else {
            continue;
        };
        let rivals = removed.iter().filter(|o| fits(o, only)).count();
        if rivals == 1 && taken.insert((**only).clone()) {
            out.insert((*r).clone(), (**only).clone());
        }
    }
    out
}

/// Type equality for model rename detection: renames of enums apply, and a
/// removed model matches any added model (their own structure is compared
/// where they are paired).
struct Loose<'a> {
    renames: &'a Renames,
    removed_models: &'a [&'a String],
    added_models: &'a [&'a String],
}

impl Loose<'_> {
    fn same_type(&self, old: &Type, new: &Type) -> bool {
        match (old, new) {
            (Type::Enum(a), Type::Enum(b)) => self.renames.enum_(a) == b,
            (Type::Model(a), Type::Model(b)) => {
                a == b || (self.removed_models.contains(&a) && self.added_models.contains(&b))
            }
            (Type::Array(a), Type::Array(b)) => self.same_type(a, b),
            (a, b) => a == b,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(models: &str) -> Spec {
        let files = vec![("a.yaml".to_owned(), format!("models:\n{models}"))];
        antom_spec::load_sources(&files).unwrap_or_else(|d| panic!("{d}"))
    }

    const A: &str =
        "  A:\n    doc: A.\n    fields:\n      - name: x\n        type: string\n        doc: X.\n";

    #[test]
    fn a_model_with_the_same_fields_under_another_name_is_renamed() {
        let r = detect(&spec(A), &spec(&A.replace("  A:", "  B:")));
        assert_eq!(r.models.get("A").map(String::as_str), Some("B"));
    }

    #[test]
    fn one_field_out_and_one_in_of_the_same_shape_is_a_rename() {
        let r = detect(&spec(A), &spec(&A.replace("name: x", "name: y")));
        assert_eq!(r.field("A", "x"), "y");
    }

    #[test]
    fn ambiguous_renames_are_additions_and_removals() {
        let two = A.replace(
            "        doc: X.\n",
            "        doc: X.\n      - name: z\n        type: string\n",
        );
        let swapped = two
            .replace("name: x", "name: p")
            .replace("name: z", "name: q");
        let r = detect(&spec(&two), &spec(&swapped));
        // x and p share a doc: a rename; z and q have none: a removal and an
        // addition.
        assert_eq!(r.field("A", "x"), "p");
        assert_eq!(r.field("A", "z"), "z");
        let undocumented = swapped.replace("        doc: X.\n", "");
        let r = detect(&spec(&two), &spec(&undocumented));
        assert!(r.fields.is_empty(), "{r:?}");
        // Two identical models renamed at once: no telling which is which.
        let b = A.replace("  A:", "  B:");
        let r = detect(
            &spec(&format!("{A}{b}")),
            &spec(&format!(
                "{}{}",
                A.replace("  A:", "  C:"),
                A.replace("  A:", "  D:")
            )),
        );
        assert!(r.models.is_empty(), "{r:?}");
    }
}
