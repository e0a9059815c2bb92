//! The merged view: the items of every file gathered into one namespace per
//! kind, with duplicate definitions reported.

use std::collections::{BTreeMap, HashMap};

use super::names::Case;
use super::report::{p, Report, Seg, Source};
use crate::format::{self as f, Item};

/// Everything the checks need, gathered from all files.
pub(super) struct Merged<'s> {
    pub(super) types_models: Table<'s, f::Model>,
    pub(super) types_enums: Table<'s, f::Enum>,
    pub(super) endpoints: Table<'s, f::Endpoint>,
    pub(super) families: HashMap<&'s str, &'s str>,
    pub(super) notifications: Table<'s, f::Notification>,
    pub(super) codes: Table<'s, f::ResultCode>,
    pub(super) sdk: Table<'s, f::SdkEventCode>,
    pub(super) regions: Table<'s, f::Region>,
    pub(super) sandbox: Once<'s, f::Sandbox>,
    pub(super) ack: Once<'s, f::Acknowledgement>,
    pub(super) idempotency: Once<'s, f::Idempotency>,
    /// The fields of every model that deserialized, by model name.
    pub(super) fields: HashMap<&'s str, ModelFields<'s>>,
}

/// The fields of one model, by name, so that checking a reference to a field
/// does not scan the model.
pub(super) struct ModelFields<'s> {
    /// Whether every field deserialized: a model with a broken field cannot
    /// be checked reliably.
    pub(super) intact: bool,
    /// The first field of each name (later ones are reported as duplicates).
    pub(super) by_name: HashMap<&'s str, &'s f::Field>,
}

impl<'s> ModelFields<'s> {
    fn new(model: &'s f::Model) -> Self {
        let mut by_name = HashMap::with_capacity(model.fields.len());
        for fld in model.fields.iter().filter_map(Item::ok) {
            by_name.entry(fld.name.as_str()).or_insert(fld);
        }
        ModelFields {
            intact: model.fields.iter().all(|x| x.ok().is_some()),
            by_name,
        }
    }
}

impl<'s> Merged<'s> {
    /// The field `name` of the model `model`, if both exist.
    pub(super) fn field(&self, model: &str, name: &str) -> Option<&'s f::Field> {
        self.fields.get(model)?.by_name.get(name).copied()
    }
}

pub(super) fn merge<'s>(sources: &'s [Source<'s>], report: &mut Report<'_>) -> Merged<'s> {
    let mut m = Merged {
        types_models: Table::new(),
        types_enums: Table::new(),
        endpoints: Table::new(),
        families: HashMap::new(),
        notifications: Table::new(),
        codes: Table::new(),
        sdk: Table::new(),
        regions: Table::new(),
        sandbox: Once::default(),
        ack: Once::default(),
        idempotency: Once::default(),
        fields: HashMap::new(),
    };
    for (fi, src) in sources.iter().enumerate() {
        let Some(file) = &src.file else { continue };
        if let Some(fam) = &file.family {
            report.naming(fi, p!["family"], false, "family", fam, Case::Lower);
        }
        if let Item::Ok(endpoints) = &file.endpoints {
            if !endpoints.is_empty() && file.family.is_none() {
                report.err_key(
                    fi,
                    p!["endpoints"],
                    "a file with `endpoints` needs a `family`".to_owned(),
                    "add `family: <name>` (e.g. `family: payments`) at the top level of this file",
                );
            }
            for (name, item) in endpoints {
                add(
                    report,
                    &mut m.endpoints,
                    ("endpoint", "endpoints"),
                    fi,
                    name,
                    item,
                    None,
                );
                if let Some(fam) = &file.family {
                    m.families.entry(name.as_str()).or_insert(fam.as_str());
                }
            }
        }
        if let Item::Ok(models) = &file.models {
            for (name, item) in models {
                let other = m.types_enums.get(name).map(|d| ("enum", d.file, d.section));
                add(
                    report,
                    &mut m.types_models,
                    ("model", "models"),
                    fi,
                    name,
                    item,
                    other,
                );
            }
        }
        if let Item::Ok(enums) = &file.enums {
            for (name, item) in enums {
                let other = m
                    .types_models
                    .get(name)
                    .map(|d| ("model", d.file, d.section));
                add(
                    report,
                    &mut m.types_enums,
                    ("enum", "enums"),
                    fi,
                    name,
                    item,
                    other,
                );
            }
        }
        if let Item::Ok(ns) = &file.notifications {
            for (name, item) in ns {
                add(
                    report,
                    &mut m.notifications,
                    ("notification", "notifications"),
                    fi,
                    name,
                    item,
                    None,
                );
            }
        }
        if let Item::Ok(codes) = &file.result_codes {
            for (name, item) in codes {
                add(
                    report,
                    &mut m.codes,
                    ("result code", "resultCodes"),
                    fi,
                    name,
                    item,
                    None,
                );
            }
        }
        if let Item::Ok(codes) = &file.sdk_event_codes {
            for (name, item) in codes {
                add(
                    report,
                    &mut m.sdk,
                    ("SDK event code", "sdkEventCodes"),
                    fi,
                    name,
                    item,
                    None,
                );
            }
        }
        if let Item::Ok(regions) = &file.regions {
            for (name, item) in regions {
                add(
                    report,
                    &mut m.regions,
                    ("region", "regions"),
                    fi,
                    name,
                    item,
                    None,
                );
            }
        }
        once(report, fi, "sandbox", file.sandbox.as_ref(), &mut m.sandbox);
        once(
            report,
            fi,
            "acknowledgement",
            file.acknowledgement.as_ref(),
            &mut m.ack,
        );
        once(
            report,
            fi,
            "idempotency",
            file.idempotency.as_ref(),
            &mut m.idempotency,
        );
    }
    m.fields = m
        .types_models
        .iter()
        .filter_map(|d| Some((d.name, ModelFields::new(d.item?))))
        .collect();
    m
}

/// Where an item was defined.
#[derive(Clone, Copy)]
pub(super) struct Def<'s, T> {
    pub(super) file: usize,
    /// Top-level section key.
    section: &'static str,
    pub(super) name: &'s str,
    pub(super) item: Option<&'s T>,
}

/// All items of one namespace, first definition wins.
pub(super) struct Table<'s, T> {
    pub(super) map: BTreeMap<&'s str, Def<'s, T>>,
}

impl<'s, T> Table<'s, T> {
    fn new() -> Self {
        Table {
            map: BTreeMap::new(),
        }
    }

    fn get(&self, name: &str) -> Option<&Def<'s, T>> {
        self.map.get(name)
    }

    pub(super) fn contains(&self, name: &str) -> bool {
        self.map.contains_key(name)
    }

    pub(super) fn ok(&self, name: &str) -> Option<&'s T> {
        self.map.get(name).and_then(|d| d.item)
    }

    pub(super) fn iter(&self) -> impl Iterator<Item = &Def<'s, T>> {
        self.map.values()
    }
}

fn add<'s, T>(
    report: &mut Report<'_>,
    table: &mut Table<'s, T>,
    (what, section): (&str, &'static str),
    file: usize,
    name: &'s str,
    item: &'s Item<T>,
    other: Option<(&str, usize, &'static str)>,
) {
    let first = table
        .get(name)
        .map(|d| (d.file, d.section))
        .or(other.map(|(_, f, s)| (f, s)));
    if let Some((ffile, fsection)) = first {
        let at = report.where_key(ffile, p![fsection, name]);
        let kind = other
            .filter(|(_, f, s)| *f == ffile && *s == fsection)
            .map(|(k, _, _)| k)
            .unwrap_or(what);
        report.err_key(
            file,
            p![section, name],
            format!("duplicate {what} name `{name}`"),
            format!("{kind} `{name}` is already defined at {at}; names must be unique across the spec directory"),
        );
        return;
    }
    table.map.insert(
        name,
        Def {
            file,
            section,
            name,
            item: item.ok(),
        },
    );
}

/// A top-level item a spec holds at most once (`sandbox`, `acknowledgement`,
/// `idempotency`): the file of its first definition, and the item when it
/// deserialized.
pub(super) struct Once<'s, T> {
    first: Option<usize>,
    pub(super) item: Option<(usize, &'s T)>,
}

impl<T> Default for Once<'_, T> {
    fn default() -> Self {
        Once {
            first: None,
            item: None,
        }
    }
}

/// Records file `fi`'s `key` item, or reports it when an earlier file
/// already defined one.
fn once<'s, T>(
    report: &mut Report<'_>,
    fi: usize,
    key: &'static str,
    item: Option<&'s Item<T>>,
    slot: &mut Once<'s, T>,
) {
    let Some(item) = item else { return };
    match slot.first {
        Some(first) => {
            let at = report.where_key(first, p![key]);
            report.err_key(
                fi,
                p![key],
                format!("`{key}` is defined more than once"),
                format!("a spec has at most one `{key}`; the first is at {at}"),
            );
        }
        None => {
            slot.first = Some(fi);
            slot.item = item.ok().map(|x| (fi, x));
        }
    }
}
