//! Lowering: the merged, validated spec turned into the IR.

use super::merge::Merged;
use super::regions::parse_duration;
use super::types::quiet_type;
use crate::format::{self as f, CodeRef, Item};
use crate::ir;

fn text(t: &f::Text) -> ir::Text {
    ir::Text {
        en: t.en.clone(),
        zh: t.zh.clone(),
    }
}

fn lower_codes(m: &Merged<'_>, list: &[Item<CodeRef>]) -> Option<Vec<ir::EndpointCode>> {
    let mut out = Vec::new();
    for item in list {
        let c = item.ok()?;
        let entry = m.codes.ok(c.code())?;
        let (action, note) = match c {
            CodeRef::Code(_) => (entry.action, None),
            CodeRef::Detailed(e) => (e.action.unwrap_or(entry.action), e.note.clone()),
        };
        out.push(ir::EndpointCode {
            code: c.code().to_owned(),
            status: entry.status,
            action,
            note,
            listed: true,
        });
    }
    out.sort_by(|a, b| a.code.cmp(&b.code));
    Some(out)
}

pub(super) fn lower(m: &Merged<'_>) -> Option<ir::Spec> {
    let mut regions = Vec::new();
    for d in m.regions.iter() {
        let r = d.item?;
        regions.push(ir::Region {
            id: d.name.to_owned(),
            name: r.name.clone(),
            hosts: r
                .hosts
                .iter()
                .map(|h| {
                    h.ok().map(|h| ir::Host {
                        url: h.url.clone(),
                        recommended: h.recommended.unwrap_or(false),
                    })
                })
                .collect::<Option<Vec<_>>>()?,
            upload_host: r.upload_host.clone(),
            note: r.note.clone(),
        });
    }
    let mut enums = Vec::new();
    for d in m.types_enums.iter() {
        let e = d.item?;
        enums.push(ir::Enum {
            name: d.name.to_owned(),
            doc: e.doc.clone(),
            values: e
                .values
                .iter()
                .map(|v| {
                    v.ok().map(|v| ir::EnumValue {
                        value: v.value.clone(),
                        doc: v.doc.clone().unwrap_or_default(),
                        outcome: v.outcome,
                    })
                })
                .collect::<Option<Vec<_>>>()?,
        });
    }
    let mut models = Vec::new();
    for d in m.types_models.iter() {
        let model = d.item?;
        let mut fields = Vec::new();
        for fld in &model.fields {
            let fld = fld.ok()?;
            fields.push(ir::Field {
                name: fld.name.clone(),
                ty: quiet_type(m, &fld.ty)?,
                required: fld.required.unwrap_or(false),
                max_length: fld.max_length.map(u32::try_from).transpose().ok()?,
                sensitive: fld.sensitive.unwrap_or(false),
                doc: fld.doc.clone().unwrap_or_default(),
            });
        }
        models.push(ir::Model {
            name: d.name.to_owned(),
            doc: model.doc.clone(),
            fields,
        });
    }
    let mut endpoints = Vec::new();
    for d in m.endpoints.iter() {
        let e = d.item?;
        let business_status = match &e.business_status {
            None => None,
            Some(bs) => {
                let fld = m.field(&e.response, bs)?;
                match quiet_type(m, &fld.ty)? {
                    ir::Type::Enum(en) => Some(ir::BusinessStatusField {
                        field: bs.clone(),
                        enum_name: en,
                    }),
                    _ => return None,
                }
            }
        };
        endpoints.push(ir::Endpoint {
            name: d.name.to_owned(),
            family: m.families.get(d.name)?.to_string(),
            path: e.path.clone(),
            doc: e.doc.clone(),
            request: e.request.clone(),
            response: e.response.clone(),
            idempotency_key: e.idempotency_key.clone(),
            echoes: e.echoes.clone(),
            sandbox_rewrite: e.sandbox_rewrite.unwrap_or(true),
            business_status,
            result_codes: lower_codes(m, &e.result_codes)?,
            uncertain: e.uncertain.clone(),
            uncertain_keys: e.uncertain_keys.clone(),
        });
    }
    endpoints.sort_by(|a, b| (&a.family, &a.name).cmp(&(&b.family, &b.name)));
    let mut notifications = Vec::new();
    for d in m.notifications.iter() {
        let n = d.item?;
        notifications.push(ir::Notification {
            name: d.name.to_owned(),
            doc: n.doc.clone(),
            payload: n.payload.clone(),
            notify_types: n.notify_types.clone(),
            dedup_keys: n.dedup_keys.clone(),
            result_codes: lower_codes(m, &n.result_codes)?,
        });
    }
    let mut result_codes = Vec::new();
    for d in m.codes.iter() {
        let c = d.item?;
        result_codes.push(ir::ResultCode {
            code: d.name.to_owned(),
            status: c.status,
            action: c.action,
            scope: c.scope,
            payment_result: c.payment_result.unwrap_or(false),
            message: text(&c.message),
            suggestion: text(&c.suggestion),
            sources: c.sources.clone(),
            uncertain: c.uncertain.clone(),
        });
    }
    let mut sdk_event_codes = Vec::new();
    for d in m.sdk.iter() {
        let c = d.item?;
        sdk_event_codes.push(ir::SdkEventCode {
            code: d.name.to_owned(),
            group: c.group,
            callbacks: c.callback.names().to_vec(),
            description: text(&c.description),
            action: text(&c.action),
            deprecated: c.deprecated.as_ref().map(|d| ir::Deprecation {
                replaced_by: d.replaced_by.clone(),
                note: d.note.clone(),
            }),
            group_note: c.group_note.clone(),
            sources: c.sources.clone(),
        });
    }
    Some(ir::Spec {
        regions,
        idempotency: m.idempotency.item.map(|(_, i)| ir::Idempotency {
            final_statuses: i.final_statuses.clone(),
            doc: i.doc.clone(),
            sources: i.sources.clone(),
        }),
        sandbox: m.sandbox.item.map(|(_, s)| ir::Sandbox {
            client_id_prefix: s.client_id_prefix.clone(),
            production_prefix: s.production_prefix.clone(),
            sandbox_prefix: s.sandbox_prefix.clone(),
            doc: s.doc.clone(),
        }),
        enums,
        models,
        endpoints,
        notifications,
        acknowledgement: m.ack.item.map(|(_, a)| ir::Acknowledgement {
            http_status: a.http_status,
            body: a.body.clone(),
            doc: a.doc.clone(),
            resend_schedule_secs: a
                .resend_schedule
                .iter()
                .filter_map(|d| parse_duration(d))
                .collect(),
        }),
        result_codes,
        sdk_event_codes,
    })
}
