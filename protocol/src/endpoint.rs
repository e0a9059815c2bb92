//! The descriptors the generator fills from the spec: one per endpoint, one
//! per result code an endpoint returns, and the sandbox path rule.

use crate::{Action, BusinessOutcome, SpecStatus};

/// The spec's knowledge of one result code, as one endpoint returns it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CodeInfo {
    /// The result code.
    pub code: &'static str,
    /// The status the spec documents for it (`S`, `F` or `U`).
    pub status: SpecStatus,
    /// What to do about it.
    pub action: Action,
    /// Whether the spec marks the code `uncertain` (its status or action is
    /// inferred, not documented).
    pub uncertain: bool,
}

/// Everything the runtime needs to know about one endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EndpointDef {
    /// Spec name, e.g. `inquiryPayment`.
    pub name: &'static str,
    /// Family, e.g. `payments`.
    pub family: &'static str,
    /// Production path, e.g. `/ams/api/v1/payments/inquiryPayment`.
    pub path: &'static str,
    /// The request model's name (a model of the generated `SCHEMAS`).
    pub request: &'static str,
    /// The response model's name.
    pub response: &'static str,
    /// Whether a sandbox client id rewrites the path.
    pub sandbox_rewrite: bool,
    /// Wire name of the request's idempotency key field, if any.
    pub idempotency_key: Option<&'static str>,
    /// Request fields the response echoes (the spec's `echoes`): when both
    /// carry one, the values must be equal, which binds a response to the
    /// request it answers.
    pub echoes: &'static [&'static str],
    /// The statuses after which the idempotency key is spent (the spec's
    /// `idempotency.finalStatuses`; empty without an idempotency key):
    /// sending the key again returns the same answer, so a new attempt needs
    /// a new key.
    pub spent_on: &'static [SpecStatus],
    /// The endpoint keys whose values the spec marks uncertain
    /// (`uncertainKeys`, e.g. `sandboxRewrite`).
    pub uncertain_keys: &'static [&'static str],
    /// Every result code the endpoint can return (its own and the gateway's),
    /// sorted by code.
    pub result_codes: &'static [CodeInfo],
    /// For an inquiry, the response field that carries the business status
    /// and what each of its values means (the spec's `businessStatus`).
    pub business_status: Option<BusinessStatusDef>,
}

/// The business status field of an inquiry's response (`paymentStatus`,
/// `refundStatus`, ...) and the outcome of each value the spec knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BusinessStatusDef {
    /// Wire name of the response field.
    pub field: &'static str,
    /// Every value the spec knows, with its outcome, in spec order.
    pub values: &'static [(&'static str, BusinessOutcome)],
}

impl BusinessStatusDef {
    /// The outcome of `value`, `None` for a value the spec does not know.
    pub fn outcome(&self, value: &str) -> Option<BusinessOutcome> {
        self.values
            .iter()
            .find(|(v, _)| *v == value)
            .map(|(_, outcome)| *outcome)
    }
}

impl EndpointDef {
    /// The spec's entry for `code` on this endpoint.
    pub fn code_info(&self, code: &str) -> Option<&'static CodeInfo> {
        self.result_codes
            .binary_search_by(|c| c.code.cmp(code))
            .ok()
            .map(|i| &self.result_codes[i])
    }
}

/// The sandbox path rule (from the spec's `sandbox` section).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SandboxRule {
    /// Client ids starting with this are sandbox client ids (`SANDBOX_`).
    pub client_id_prefix: &'static str,
    /// Production path prefix (`/ams/api`).
    pub production_prefix: &'static str,
    /// Sandbox path prefix (`/ams/sandbox/api`).
    pub sandbox_prefix: &'static str,
}

impl SandboxRule {
    /// The endpoint among `endpoints` served at `path`: its production path,
    /// or that path rewritten to the sandbox prefix (whatever its client id).
    pub fn endpoint_at(
        &self,
        endpoints: &[&'static EndpointDef],
        path: &str,
    ) -> Option<&'static EndpointDef> {
        endpoints.iter().copied().find(|e| {
            e.path == path
                || e.path
                    .replacen(self.production_prefix, self.sandbox_prefix, 1)
                    == path
        })
    }

    /// The path to call (and sign) for `endpoint` with `client_id`: the first
    /// occurrence of the production prefix is replaced for sandbox client ids,
    /// unless the endpoint opts out.
    pub fn path_for(&self, endpoint: &EndpointDef, client_id: &str) -> String {
        if endpoint.sandbox_rewrite {
            self.rewrite(endpoint.path, client_id)
        } else {
            endpoint.path.to_owned()
        }
    }

    /// `production_path` as a client with `client_id` calls (and signs) it on
    /// an endpoint that follows the rule: the first occurrence of the
    /// production prefix replaced for sandbox client ids, unchanged for
    /// production ones.
    pub fn rewrite(&self, production_path: &str, client_id: &str) -> String {
        if client_id.starts_with(self.client_id_prefix) {
            production_path.replacen(self.production_prefix, self.sandbox_prefix, 1)
        } else {
            production_path.to_owned()
        }
    }
}
