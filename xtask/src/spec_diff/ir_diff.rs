//! The spec view: every difference between two IRs, named by spec names.
//!
//! Each IR struct is destructured field by field without `..`, so an IR
//! field added to `antom_spec::ir` does not compile here until the diff
//! compares it: a difference between two IRs is never silently dropped.

use std::collections::{BTreeMap, BTreeSet};

use antom_spec::ir::{
    Acknowledgement, BusinessStatusField, Deprecation, Endpoint, EndpointCode, Enum, EnumValue,
    Field, Host, Idempotency, Model, Notification, Region, ResultCode, Sandbox, SdkEventCode, Spec,
    Text, Type,
};

use super::change::{Aspect, ChangeKind, Difference, Direction, Kind, MemberKind, Side};
use super::renames::Renames;

/// Every difference between `old` and `new` in the spec view.
pub fn differences(old: &Spec, new: &Spec, renames: &Renames) -> Vec<Difference> {
    let Spec {
        regions,
        sandbox,
        idempotency,
        enums,
        models,
        endpoints,
        notifications,
        acknowledgement,
        result_codes,
        sdk_event_codes,
    } = old;
    let mut cx = Cx {
        old,
        new,
        renames,
        old_sides: sides(old),
        new_sides: sides(new),
        out: Vec::new(),
    };
    cx.regions(regions, &new.regions);
    cx.sandbox(sandbox.as_ref(), new.sandbox.as_ref());
    cx.idempotency(idempotency.as_ref(), new.idempotency.as_ref());
    cx.enums(enums);
    cx.models(models);
    cx.endpoints(endpoints);
    cx.notifications(notifications);
    cx.acknowledgement(acknowledgement.as_ref(), new.acknowledgement.as_ref());
    cx.result_codes(result_codes);
    cx.sdk_event_codes(sdk_event_codes);
    cx.out
}

/// The spec syntax of a type (`array<Amount>`).
pub fn type_str(ty: &Type) -> String {
    match ty {
        Type::String => "string".to_owned(),
        Type::Boolean => "boolean".to_owned(),
        Type::Integer => "integer".to_owned(),
        Type::Number => "number".to_owned(),
        Type::Json => "json".to_owned(),
        Type::Enum(n) | Type::Model(n) => n.clone(),
        Type::Array(inner) => format!("array<{}>", type_str(inner)),
    }
}

/// Which way each model's data travels: reached (field by field) from an
/// endpoint's request, and from a response or a notification payload.
pub fn sides(spec: &Spec) -> BTreeMap<String, Side> {
    fn reach(spec: &Spec, roots: Vec<&str>, mut mark: impl FnMut(&str)) {
        let mut stack = roots;
        let mut seen = BTreeSet::new();
        while let Some(name) = stack.pop() {
            if !seen.insert(name) {
                continue;
            }
            mark(name);
            if let Some(m) = spec.model(name) {
                stack.extend(m.fields.iter().filter_map(|f| model_of(&f.ty)));
            }
        }
    }
    let mut out: BTreeMap<String, Side> = BTreeMap::new();
    let requests = spec.endpoints.iter().map(|e| e.request.as_str()).collect();
    reach(spec, requests, |m| {
        out.entry(m.to_owned()).or_default().request = true;
    });
    let responses = spec
        .endpoints
        .iter()
        .map(|e| e.response.as_str())
        .chain(spec.notifications.iter().map(|n| n.payload.as_str()))
        .collect();
    reach(spec, responses, |m| {
        out.entry(m.to_owned()).or_default().response = true;
    });
    out
}

fn model_of(ty: &Type) -> Option<&str> {
    match ty {
        Type::Model(n) => Some(n),
        Type::Array(inner) => model_of(inner),
        _ => None,
    }
}

fn list(items: &[impl AsRef<str>]) -> String {
    let items: Vec<&str> = items.iter().map(AsRef::as_ref).collect();
    format!("[{}]", items.join(", "))
}

fn opt(value: Option<&str>) -> String {
    value.unwrap_or("none").to_owned()
}

fn text(t: &Text) -> String {
    format!("{} / {}", t.en, t.zh)
}

/// How a list changed as a set: entries only added (`Looser` when more
/// entries mean more valid values), only removed, or both; `None` when the
/// sets are equal.
fn set_direction(old: &[String], new: &[String], more_is_looser: bool) -> Option<Direction> {
    let o: BTreeSet<&String> = old.iter().collect();
    let n: BTreeSet<&String> = new.iter().collect();
    let grew = n.difference(&o).next().is_some();
    let shrank = o.difference(&n).next().is_some();
    match (grew, shrank) {
        (false, false) => None,
        (true, true) => Some(Direction::Replaced),
        (true, false) if more_is_looser => Some(Direction::Looser),
        (true, false) => Some(Direction::Stricter),
        (false, true) if more_is_looser => Some(Direction::Stricter),
        (false, true) => Some(Direction::Looser),
    }
}

struct Cx<'a> {
    old: &'a Spec,
    new: &'a Spec,
    renames: &'a Renames,
    old_sides: BTreeMap<String, Side>,
    new_sides: BTreeMap<String, Side>,
    out: Vec<Difference>,
}

impl<'a> Cx<'a> {
    fn push(&mut self, d: Difference) {
        self.out.push(d);
    }

    /// Pairs the named items of one kind across the two specs (an old item
    /// under its new name when `renames` maps it): a removed item, a renamed
    /// one, an added one (with `desc`'s description, when it gives one),
    /// and `compare` for each pair.
    #[allow(clippy::too_many_arguments)]
    fn pair<T>(
        &mut self,
        kind: Kind,
        old: &'a [T],
        new: &'a [T],
        renames: &'a BTreeMap<String, String>,
        name: fn(&T) -> &str,
        desc: fn(&T) -> Option<String>,
        mut compare: impl FnMut(&mut Self, &'a T, &'a T),
    ) {
        let described = |d: Difference, item: &T, was: bool| match (desc(item), was) {
            (Some(text), true) => d.was(text),
            (Some(text), false) => d.now(text),
            (None, _) => d,
        };
        for o in old {
            let target = renames.get(name(o)).map_or(name(o), String::as_str);
            match new.iter().find(|n| name(n) == target) {
                None => {
                    let d = Difference::new(kind, name(o), ChangeKind::Removed);
                    self.push(described(d, o, true));
                }
                Some(n) => {
                    if name(n) != name(o) {
                        let d = Difference::new(kind, name(n), ChangeKind::Renamed);
                        self.push(d.was(name(o)).now(name(n)));
                    }
                    compare(self, o, n);
                }
            }
        }
        let renamed: BTreeSet<&str> = renames.values().map(String::as_str).collect();
        for n in new {
            let existed = old.iter().any(|o| name(o) == name(n));
            if !existed && !renamed.contains(name(n)) {
                let d = Difference::new(kind, name(n), ChangeKind::Added);
                self.push(described(d, n, false));
            }
        }
    }

    /// A changed aspect, when `old != new`.
    fn cmp<T: PartialEq + ?Sized>(
        &mut self,
        kind: Kind,
        item: &str,
        aspect: Aspect,
        old: &T,
        new: &T,
        show: impl Fn(&T) -> String,
    ) {
        if old != new {
            self.push(Difference::changed(
                kind,
                item,
                aspect,
                show(old),
                show(new),
            ));
        }
    }

    /// A changed list: an `order` change when only the order differs, else
    /// `aspect` with the set direction.
    fn cmp_list(
        &mut self,
        kind: Kind,
        item: &str,
        aspect: Aspect,
        old: &[String],
        new: &[String],
        more_is_looser: bool,
    ) {
        if old == new {
            return;
        }
        match set_direction(old, new, more_is_looser) {
            None if old.len() == new.len() => self.push(
                Difference::changed(kind, item, Aspect::Order, list(old), list(new))
                    .toward(Direction::Replaced),
            ),
            direction => self.push(Difference {
                direction: Some(direction.unwrap_or(Direction::Replaced)),
                ..Difference::changed(kind, item, aspect, list(old), list(new))
            }),
        }
    }

    // ---- regions -------------------------------------------------------

    fn regions(&mut self, old: &[Region], new: &[Region]) {
        for o in old {
            match new.iter().find(|n| n.id == o.id) {
                None => {
                    let d = Difference::new(Kind::Region, &o.id, ChangeKind::Removed);
                    self.push(d.was(&o.name));
                }
                Some(n) => self.region(o, n),
            }
        }
        for n in new.iter().filter(|n| !old.iter().any(|o| o.id == n.id)) {
            let d = Difference::new(Kind::Region, &n.id, ChangeKind::Added);
            self.push(d.now(&n.name));
        }
    }

    fn region(&mut self, o: &Region, n: &Region) {
        let Region {
            id,
            name,
            hosts,
            upload_host,
            note,
        } = o;
        let k = Kind::Region;
        self.cmp(k, id, Aspect::Name, name, &n.name, Clone::clone);
        self.cmp(k, id, Aspect::Note, note, &n.note, |v| opt(v.as_deref()));
        let url = |h: &Host| h.url.clone();
        for h in hosts
            .iter()
            .filter(|h| !n.hosts.iter().any(|x| x.url == h.url))
        {
            self.push(Difference::new(k, id, ChangeKind::Removed).of(MemberKind::Host, url(h)));
        }
        for h in n
            .hosts
            .iter()
            .filter(|h| !hosts.iter().any(|x| x.url == h.url))
        {
            self.push(Difference::new(k, id, ChangeKind::Added).of(MemberKind::Host, url(h)));
        }
        let default = |hs: &[Host]| {
            hs.iter()
                .find(|h| h.recommended)
                .or_else(|| hs.first())
                .map(url)
        };
        let (od, nd) = (default(hosts), default(&n.hosts));
        let both = |h: &Option<String>| {
            h.as_ref().is_some_and(|u| {
                hosts.iter().any(|x| &x.url == u) && n.hosts.iter().any(|x| &x.url == u)
            })
        };
        if od != nd && both(&od) && both(&nd) {
            self.push(Difference::changed(
                k,
                id,
                Aspect::DefaultHost,
                opt(od.as_deref()),
                opt(nd.as_deref()),
            ));
        }
        let kept = |hs: &[Host], other: &[Host]| -> Vec<String> {
            hs.iter()
                .filter(|h| other.iter().any(|x| x.url == h.url))
                .map(|h| {
                    format!(
                        "{}{}",
                        h.url,
                        if h.recommended { " (recommended)" } else { "" }
                    )
                })
                .collect()
        };
        let (ok, nk) = (kept(hosts, &n.hosts), kept(&n.hosts, hosts));
        if ok != nk && od == nd {
            self.push(Difference::changed(
                k,
                id,
                Aspect::Hosts,
                list(&ok),
                list(&nk),
            ));
        }
        match (upload_host, &n.upload_host) {
            (a, b) if a == b => {}
            (None, Some(b)) => self.push(
                Difference::changed(k, id, Aspect::UploadHost, "none", b).toward(Direction::Looser),
            ),
            (a, b) => self.push(
                Difference::changed(
                    k,
                    id,
                    Aspect::UploadHost,
                    opt(a.as_deref()),
                    opt(b.as_deref()),
                )
                .toward(Direction::Replaced),
            ),
        }
    }

    // ---- sandbox, idempotency, acknowledgement --------------------------

    fn sandbox(&mut self, old: Option<&Sandbox>, new: Option<&Sandbox>) {
        let k = Kind::Sandbox;
        let item = "sandbox";
        let (o, n) = match (old, new) {
            (None, None) => return,
            (None, Some(_)) => return self.push(Difference::new(k, item, ChangeKind::Added)),
            (Some(_), None) => return self.push(Difference::new(k, item, ChangeKind::Removed)),
            (Some(o), Some(n)) => (o, n),
        };
        let Sandbox {
            client_id_prefix,
            production_prefix,
            sandbox_prefix,
            doc,
        } = o;
        self.cmp(
            k,
            item,
            Aspect::ClientIdPrefix,
            client_id_prefix,
            &n.client_id_prefix,
            Clone::clone,
        );
        self.cmp(
            k,
            item,
            Aspect::ProductionPrefix,
            production_prefix,
            &n.production_prefix,
            Clone::clone,
        );
        self.cmp(
            k,
            item,
            Aspect::SandboxPrefix,
            sandbox_prefix,
            &n.sandbox_prefix,
            Clone::clone,
        );
        self.cmp(k, item, Aspect::Doc, doc, &n.doc, Clone::clone);
    }

    fn idempotency(&mut self, old: Option<&Idempotency>, new: Option<&Idempotency>) {
        let k = Kind::Idempotency;
        let item = "idempotency";
        let statuses = |i: &Idempotency| -> Vec<String> {
            i.final_statuses
                .iter()
                .map(|s| s.as_str().to_owned())
                .collect()
        };
        let (o, n) = match (old, new) {
            (None, None) => return,
            (None, Some(n)) => {
                let d = Difference::new(k, item, ChangeKind::Added);
                return self.push(d.now(list(&statuses(n))));
            }
            (Some(o), None) => {
                let d = Difference::new(k, item, ChangeKind::Removed);
                return self.push(d.was(list(&statuses(o))));
            }
            (Some(o), Some(n)) => (o, n),
        };
        let Idempotency {
            final_statuses: _,
            doc,
            sources,
        } = o;
        self.cmp_list(
            k,
            item,
            Aspect::FinalStatuses,
            &statuses(o),
            &statuses(n),
            true,
        );
        self.cmp(k, item, Aspect::Doc, doc, &n.doc, Clone::clone);
        self.cmp(k, item, Aspect::Sources, sources, &n.sources, |v| list(v));
    }

    fn acknowledgement(&mut self, old: Option<&Acknowledgement>, new: Option<&Acknowledgement>) {
        let k = Kind::Acknowledgement;
        let item = "acknowledgement";
        let (o, n) = match (old, new) {
            (None, None) => return,
            (None, Some(_)) => return self.push(Difference::new(k, item, ChangeKind::Added)),
            (Some(_), None) => return self.push(Difference::new(k, item, ChangeKind::Removed)),
            (Some(o), Some(n)) => (o, n),
        };
        let Acknowledgement {
            http_status,
            body,
            doc,
            resend_schedule_secs,
        } = o;
        self.cmp(
            k,
            item,
            Aspect::HttpStatus,
            http_status,
            &n.http_status,
            u16::to_string,
        );
        self.cmp(k, item, Aspect::Body, body, &n.body, Clone::clone);
        self.cmp(k, item, Aspect::Doc, doc, &n.doc, Clone::clone);
        self.cmp(
            k,
            item,
            Aspect::ResendSchedule,
            resend_schedule_secs,
            &n.resend_schedule_secs,
            |v: &Vec<u64>| list(&v.iter().map(|s| duration(*s)).collect::<Vec<_>>()),
        );
    }

    // ---- enums ----------------------------------------------------------

    fn enums(&mut self, old: &'a [Enum]) {
        let (new, renames) = (&self.new.enums, &self.renames.enums);
        let name: fn(&Enum) -> &str = |e| &e.name;
        self.pair(Kind::Enum, old, new, renames, name, |_| None, Self::enum_);
    }

    fn enum_(&mut self, o: &Enum, n: &Enum) {
        let Enum {
            name: _,
            doc,
            values,
        } = o;
        let (k, item) = (Kind::Enum, n.name.as_str());
        self.cmp(k, item, Aspect::Doc, doc, &n.doc, Clone::clone);
        let find = |vs: &[EnumValue], v: &str| vs.iter().position(|x| x.value == v);
        for v in values {
            match find(&n.values, &v.value) {
                None => {
                    let d = Difference::new(k, item, ChangeKind::Removed);
                    self.push(d.of(MemberKind::Value, &v.value));
                }
                Some(i) => self.value(item, v, &n.values[i]),
            }
        }
        for v in n.values.iter().filter(|v| find(values, &v.value).is_none()) {
            let d = Difference::new(k, item, ChangeKind::Added);
            self.push(d.of(MemberKind::Value, &v.value));
        }
        let kept = |a: &[EnumValue], b: &[EnumValue]| -> Vec<String> {
            a.iter()
                .filter(|v| find(b, &v.value).is_some())
                .map(|v| v.value.clone())
                .collect()
        };
        let (ok, nk) = (kept(values, &n.values), kept(&n.values, values));
        if ok != nk {
            self.push(Difference::changed(
                k,
                item,
                Aspect::Order,
                list(&ok),
                list(&nk),
            ));
        }
    }

    fn value(&mut self, item: &str, o: &EnumValue, n: &EnumValue) {
        let EnumValue {
            value,
            doc,
            outcome,
        } = o;
        let k = Kind::Enum;
        let member = |d: Difference| d.of(MemberKind::Value, value);
        if doc != &n.doc {
            self.push(member(Difference::changed(
                k,
                item,
                Aspect::Doc,
                doc,
                &n.doc,
            )));
        }
        if outcome != &n.outcome {
            let show = |o: Option<antom_spec::ir::BusinessOutcome>| opt(o.map(|o| o.as_str()));
            let d = Difference::changed(k, item, Aspect::Outcome, show(*outcome), show(n.outcome));
            self.push(member(d));
        }
    }

    // ---- models ---------------------------------------------------------

    fn models(&mut self, old: &'a [Model]) {
        let (new, renames) = (&self.new.models, &self.renames.models);
        let name: fn(&Model) -> &str = |m| &m.name;
        self.pair(Kind::Model, old, new, renames, name, |_| None, Self::model);
    }

    /// Which way the data of a model pair travels; a model neither side
    /// reaches counts as both.
    fn side(&self, old: &str, new: &str) -> Side {
        let o = self.old_sides.get(old).copied().unwrap_or_default();
        let n = self.new_sides.get(new).copied().unwrap_or_default();
        let side = Side {
            request: o.request || n.request,
            response: o.response || n.response,
        };
        if side == Side::default() {
            Side {
                request: true,
                response: true,
            }
        } else {
            side
        }
    }

    fn model(&mut self, o: &Model, n: &Model) {
        let Model { name, doc, fields } = o;
        let (k, item) = (Kind::Model, n.name.as_str());
        let side = self.side(name, &n.name);
        self.cmp(k, item, Aspect::Doc, doc, &n.doc, Clone::clone);
        let renames = self.renames;
        let mut matched = BTreeSet::new();
        for f in fields {
            let new_name = renames.field(name, &f.name);
            match n.field(new_name) {
                None => {
                    let d = Difference::new(k, item, ChangeKind::Removed)
                        .of(MemberKind::Field, &f.name)
                        .was(field_desc(f))
                        .on(side);
                    self.push(d);
                }
                Some(nf) => {
                    matched.insert(nf.name.clone());
                    if nf.name != f.name {
                        let d = Difference::new(k, item, ChangeKind::Renamed)
                            .of(MemberKind::Field, &nf.name)
                            .was(&f.name)
                            .now(&nf.name)
                            .on(side);
                        self.push(d);
                    }
                    self.field(item, side, f, nf);
                }
            }
        }
        for f in n.fields.iter().filter(|f| !matched.contains(&f.name)) {
            let d = Difference::new(k, item, ChangeKind::Added)
                .of(MemberKind::Field, &f.name)
                .now(field_desc(f))
                .on(side);
            self.push(Difference {
                direction: Some(if f.required {
                    Direction::Stricter
                } else {
                    Direction::Looser
                }),
                ..d
            });
        }
        let old_order: Vec<String> = fields
            .iter()
            .map(|f| renames.field(name, &f.name).to_owned())
            .filter(|f| n.field(f).is_some())
            .collect();
        let new_order: Vec<String> = n
            .fields
            .iter()
            .filter(|f| old_order.contains(&f.name))
            .map(|f| f.name.clone())
            .collect();
        if old_order != new_order {
            self.push(Difference::changed(
                k,
                item,
                Aspect::Order,
                list(&old_order),
                list(&new_order),
            ));
        }
    }

    fn field(&mut self, item: &str, side: Side, o: &Field, n: &Field) {
        let Field {
            name: _,
            ty,
            required,
            max_length,
            sensitive,
            doc,
        } = o;
        let k = Kind::Model;
        let member = |d: Difference| d.of(MemberKind::Field, &n.name).on(side);
        if self.renames.ty(ty) != n.ty {
            let d = Difference::changed(k, item, Aspect::Type, type_str(ty), type_str(&n.ty));
            self.push(member(d));
        }
        if *required != n.required {
            let d = Difference::changed(
                k,
                item,
                Aspect::Required,
                required.to_string(),
                n.required.to_string(),
            )
            .toward(if n.required {
                Direction::Stricter
            } else {
                Direction::Looser
            });
            self.push(member(d));
        }
        if *max_length != n.max_length {
            let direction = match (max_length, n.max_length) {
                (None, Some(_)) => Direction::Stricter,
                (Some(_), None) => Direction::Looser,
                (Some(a), Some(b)) if b < *a => Direction::Stricter,
                _ => Direction::Looser,
            };
            let show = |m: Option<u32>| m.map_or("none".to_owned(), |m| m.to_string());
            let d = Difference::changed(
                k,
                item,
                Aspect::MaxLength,
                show(*max_length),
                show(n.max_length),
            )
            .toward(direction);
            self.push(member(d));
        }
        if *sensitive != n.sensitive {
            self.push(member(Difference::changed(
                k,
                item,
                Aspect::Sensitive,
                sensitive.to_string(),
                n.sensitive.to_string(),
            )));
        }
        if doc != &n.doc {
            self.push(member(Difference::changed(
                k,
                item,
                Aspect::Doc,
                doc,
                &n.doc,
            )));
        }
    }

    // ---- endpoints ------------------------------------------------------

    fn endpoints(&mut self, old: &'a [Endpoint]) {
        let (new, renames) = (&self.new.endpoints, &self.renames.endpoints);
        let name: fn(&Endpoint) -> &str = |e| &e.name;
        let desc: fn(&Endpoint) -> Option<String> = |e| Some(format!("POST {}", e.path));
        self.pair(
            Kind::Endpoint,
            old,
            new,
            renames,
            name,
            desc,
            Self::endpoint,
        );
    }

    fn endpoint(&mut self, o: &Endpoint, n: &Endpoint) {
        let Endpoint {
            name: _,
            family,
            path,
            doc,
            request,
            response,
            idempotency_key,
            echoes,
            sandbox_rewrite,
            business_status,
            result_codes: _,
            uncertain,
            uncertain_keys,
        } = o;
        let (k, item) = (Kind::Endpoint, n.name.as_str());
        let renames = self.renames;
        self.cmp(k, item, Aspect::Path, path, &n.path, Clone::clone);
        self.cmp(k, item, Aspect::Family, family, &n.family, Clone::clone);
        self.cmp(k, item, Aspect::Doc, doc, &n.doc, Clone::clone);
        if renames.model(request) != n.request {
            self.push(Difference::changed(
                k,
                item,
                Aspect::Request,
                request,
                &n.request,
            ));
        }
        if renames.model(response) != n.response {
            self.push(Difference::changed(
                k,
                item,
                Aspect::Response,
                response,
                &n.response,
            ));
        }
        let key = idempotency_key
            .as_deref()
            .map(|f| renames.field(request, f));
        if key != n.idempotency_key.as_deref() {
            let d = Difference::changed(
                k,
                item,
                Aspect::IdempotencyKey,
                opt(idempotency_key.as_deref()),
                opt(n.idempotency_key.as_deref()),
            );
            self.push(d);
        }
        let echoes: Vec<String> = echoes
            .iter()
            .map(|f| renames.field(request, f).to_owned())
            .collect();
        // More echoed fields: more responses refused.
        self.cmp_list(k, item, Aspect::Echoes, &echoes, &n.echoes, false);
        self.cmp(
            k,
            item,
            Aspect::SandboxRewrite,
            sandbox_rewrite,
            &n.sandbox_rewrite,
            bool::to_string,
        );
        let bs = |b: &BusinessStatusField| format!("{} ({})", b.field, b.enum_name);
        let mapped = business_status.as_ref().map(|b| BusinessStatusField {
            field: renames.field(response, &b.field).to_owned(),
            enum_name: renames.enum_(&b.enum_name).to_owned(),
        });
        if mapped != n.business_status {
            let d = Difference::changed(
                k,
                item,
                Aspect::BusinessStatus,
                business_status.as_ref().map_or("none".to_owned(), bs),
                n.business_status.as_ref().map_or("none".to_owned(), bs),
            );
            self.push(d.toward(if business_status.is_none() {
                Direction::Looser
            } else {
                Direction::Replaced
            }));
        }
        self.cmp(k, item, Aspect::Uncertain, uncertain, &n.uncertain, |v| {
            opt(v.as_deref())
        });
        self.cmp(
            k,
            item,
            Aspect::UncertainKeys,
            uncertain_keys,
            &n.uncertain_keys,
            |v| list(v),
        );
        let (old_codes, new_codes) = (self.old.codes_of(o), self.new.codes_of(n));
        self.codes(k, item, &old_codes, &new_codes);
    }

    /// The result codes an endpoint or notification returns: each with its
    /// status and action as the client sees them (an endpoint's gateway-wide
    /// codes included). A difference the catalogue explains (a code added to
    /// or removed from the catalogue, a catalogue status or action changed) is
    /// reported there, once.
    fn codes(&mut self, k: Kind, item: &str, old: &[EndpointCode], new: &[EndpointCode]) {
        let (spec_old, spec_new) = (self.old, self.new);
        let member = |d: Difference, code: &str| d.of(MemberKind::Code, code);
        for o in old {
            let EndpointCode {
                code,
                status,
                action,
                note,
                listed,
            } = o;
            let Some(n) = new.iter().find(|n| &n.code == code) else {
                // Unlisted codes come from the catalogue's gateway scope, and
                // a code that left the catalogue is reported there.
                if *listed && spec_new.result_code(code).is_some() {
                    let d = Difference::new(k, item, ChangeKind::Removed).was(format!(
                        "{}, {}",
                        status.as_str(),
                        action.as_str()
                    ));
                    self.push(member(d, code));
                }
                continue;
            };
            let catalogue = |spec: &Spec| spec.result_code(code).map(|c| (c.status, c.action));
            let explained = catalogue(spec_old) == Some((*status, *action))
                && catalogue(spec_new) == Some((n.status, n.action));
            if (*status, *action) != (n.status, n.action) && !explained {
                let show = |s: antom_spec::ir::SpecStatus, a: antom_spec::ir::Action| {
                    format!("{}, {}", s.as_str(), a.as_str())
                };
                let d = Difference::changed(
                    k,
                    item,
                    Aspect::Action,
                    show(*status, *action),
                    show(n.status, n.action),
                );
                self.push(member(d, code));
            }
            if note != &n.note {
                let d = Difference::changed(
                    k,
                    item,
                    Aspect::Note,
                    opt(note.as_deref()),
                    opt(n.note.as_deref()),
                );
                self.push(member(d, code));
            }
            if *listed != n.listed {
                let d = Difference::changed(
                    k,
                    item,
                    Aspect::Listed,
                    listed.to_string(),
                    n.listed.to_string(),
                );
                self.push(member(d, code));
            }
        }
        for n in new.iter().filter(|n| !old.iter().any(|o| o.code == n.code)) {
            if n.listed {
                let d = Difference::new(k, item, ChangeKind::Added).now(format!(
                    "{}, {}",
                    n.status.as_str(),
                    n.action.as_str()
                ));
                self.push(member(d, &n.code));
            }
        }
    }

    // ---- notifications --------------------------------------------------

    fn notifications(&mut self, old: &'a [Notification]) {
        let (new, renames) = (&self.new.notifications, &self.renames.notifications);
        let name: fn(&Notification) -> &str = |n| &n.name;
        let desc: fn(&Notification) -> Option<String> = |n| Some(notification_desc(n));
        self.pair(
            Kind::Notification,
            old,
            new,
            renames,
            name,
            desc,
            Self::notification,
        );
    }

    fn notification(&mut self, o: &Notification, n: &Notification) {
        let Notification {
            name: _,
            doc,
            payload,
            notify_types,
            dedup_keys,
            result_codes,
        } = o;
        let (k, item) = (Kind::Notification, n.name.as_str());
        let renames = self.renames;
        self.cmp(k, item, Aspect::Doc, doc, &n.doc, Clone::clone);
        if renames.model(payload) != n.payload {
            self.push(Difference::changed(
                k,
                item,
                Aspect::Payload,
                payload,
                &n.payload,
            ));
        }
        // More notifyTypes: more deliveries parsed as this notification.
        self.cmp_list(
            k,
            item,
            Aspect::NotifyTypes,
            notify_types,
            &n.notify_types,
            true,
        );
        let keys: Vec<String> = dedup_keys
            .iter()
            .map(|f| renames.field(payload, f).to_owned())
            .collect();
        if keys != n.dedup_keys {
            let d = Difference::changed(
                k,
                item,
                Aspect::DedupKeys,
                list(dedup_keys),
                list(&n.dedup_keys),
            );
            self.push(d.toward(Direction::Replaced));
        }
        self.codes(k, item, result_codes, &n.result_codes);
    }

    // ---- result codes ---------------------------------------------------

    fn result_codes(&mut self, old: &[ResultCode]) {
        let spec_new = self.new;
        let summary = |c: &ResultCode| format!("{}, {}", c.status.as_str(), c.action.as_str());
        for o in old {
            match spec_new.result_code(&o.code) {
                None => {
                    let d = Difference::new(Kind::ResultCode, &o.code, ChangeKind::Removed);
                    self.push(d.was(summary(o)));
                }
                Some(n) => self.result_code(o, n),
            }
        }
        for n in spec_new
            .result_codes
            .iter()
            .filter(|n| self.old.result_code(&n.code).is_none())
        {
            let d = Difference::new(Kind::ResultCode, &n.code, ChangeKind::Added);
            self.push(d.now(summary(n)));
        }
    }

    fn result_code(&mut self, o: &ResultCode, n: &ResultCode) {
        let ResultCode {
            code,
            status,
            action,
            scope,
            payment_result,
            message,
            suggestion,
            sources,
            uncertain,
        } = o;
        let k = Kind::ResultCode;
        self.cmp(k, code, Aspect::Status, status, &n.status, |s| {
            s.as_str().to_owned()
        });
        self.cmp(k, code, Aspect::Action, action, &n.action, |a| {
            a.as_str().to_owned()
        });
        self.cmp(k, code, Aspect::Scope, scope, &n.scope, |s| {
            scope_str(*s).to_owned()
        });
        self.cmp(
            k,
            code,
            Aspect::PaymentResult,
            payment_result,
            &n.payment_result,
            bool::to_string,
        );
        self.cmp(k, code, Aspect::Message, message, &n.message, text);
        self.cmp(k, code, Aspect::Suggestion, suggestion, &n.suggestion, text);
        self.cmp(k, code, Aspect::Sources, sources, &n.sources, |v| list(v));
        self.cmp(k, code, Aspect::Uncertain, uncertain, &n.uncertain, |v| {
            opt(v.as_deref())
        });
    }

    // ---- SDK event codes ------------------------------------------------

    fn sdk_event_codes(&mut self, old: &[SdkEventCode]) {
        let spec_new = self.new;
        for o in old {
            match spec_new.sdk_event_code(&o.code) {
                None => {
                    let d = Difference::new(Kind::SdkEventCode, &o.code, ChangeKind::Removed);
                    self.push(d.was(o.group.as_str()));
                }
                Some(n) => self.sdk_event_code(o, n),
            }
        }
        for n in spec_new
            .sdk_event_codes
            .iter()
            .filter(|n| self.old.sdk_event_code(&n.code).is_none())
        {
            let d = Difference::new(Kind::SdkEventCode, &n.code, ChangeKind::Added);
            self.push(d.now(n.group.as_str()));
        }
    }

    fn sdk_event_code(&mut self, o: &SdkEventCode, n: &SdkEventCode) {
        let SdkEventCode {
            code,
            group,
            callbacks,
            description,
            action,
            deprecated,
            group_note,
            sources,
        } = o;
        let k = Kind::SdkEventCode;
        self.cmp(k, code, Aspect::Group, group, &n.group, |g| {
            g.as_str().to_owned()
        });
        // More callbacks: more places a merchant must listen on.
        self.cmp_list(k, code, Aspect::Callbacks, callbacks, &n.callbacks, true);
        self.cmp(
            k,
            code,
            Aspect::Description,
            description,
            &n.description,
            text,
        );
        self.cmp(k, code, Aspect::Action, action, &n.action, text);
        let dep = |d: &Option<Deprecation>| match d {
            None => "none".to_owned(),
            Some(Deprecation { replaced_by, note }) => match replaced_by {
                Some(r) => format!("replaced by {r}: {note}"),
                None => note.clone(),
            },
        };
        if deprecated != &n.deprecated {
            let direction = if deprecated.is_some() && n.deprecated.is_some() {
                Direction::Replaced
            } else {
                Direction::Looser
            };
            let d = Difference::changed(
                k,
                code,
                Aspect::Deprecated,
                dep(deprecated),
                dep(&n.deprecated),
            );
            self.push(d.toward(direction));
        }
        self.cmp(k, code, Aspect::GroupNote, group_note, &n.group_note, |v| {
            opt(v.as_deref())
        });
        self.cmp(k, code, Aspect::Sources, sources, &n.sources, |v| list(v));
    }
}

/// A delay in the spec's spelling (`0s`, `2m`, `1h`).
fn duration(secs: u64) -> String {
    match secs {
        0 => "0s".to_owned(),
        s if s % 3600 == 0 => format!("{}h", s / 3600),
        s if s % 60 == 0 => format!("{}m", s / 60),
        s => format!("{s}s"),
    }
}

/// A notification, as a removal or addition shows it.
fn notification_desc(n: &Notification) -> String {
    format!(
        "payload {}, notifyTypes {}",
        n.payload,
        list(&n.notify_types)
    )
}

/// A removed or added field, as the report shows it (`string, required`).
fn field_desc(f: &Field) -> String {
    let mut s = type_str(&f.ty);
    s.push_str(if f.required {
        ", required"
    } else {
        ", optional"
    });
    if let Some(m) = f.max_length {
        s.push_str(&format!(", maxLength {m}"));
    }
    s
}

/// The YAML spelling of a result-code scope.
fn scope_str(s: antom_spec::ir::CodeScope) -> &'static str {
    match s {
        antom_spec::ir::CodeScope::Gateway => "gateway",
        antom_spec::ir::CodeScope::Api => "api",
        antom_spec::ir::CodeScope::Payment => "payment",
    }
}
