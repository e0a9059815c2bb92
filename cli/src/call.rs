//! `antom call`: one endpoint call through the real client.

use std::path::PathBuf;
use std::time::Duration;

use antom_runtime::{ClientConfig, Outcome, RetryPolicy, UnknownReason};
use clap::Args;
use serde_json::{json, Value};

use crate::{input, Exit};

/// `antom call`.
#[derive(Debug, Args)]
pub struct CallArgs {
    /// Endpoint name as in the spec, e.g. `inquiryPayment`.
    endpoint: String,
    /// Gateway base URL, e.g. `https://open-sea-global.alipay.com` or
    /// `http://127.0.0.1:PORT` for a local mock.
    #[arg(long)]
    gateway: String,
    /// Client id (`SANDBOX_...` selects the sandbox paths).
    #[arg(long)]
    client_id: String,
    /// Merchant private key: PKCS#8 or PKCS#1, PEM or bare base64.
    #[arg(long)]
    private_key: PathBuf,
    /// Antom public key (from the dashboard): SPKI PEM or bare base64.
    #[arg(long)]
    antom_public_key: PathBuf,
    /// File with the exact JSON body to send (`-` for stdin).
    #[arg(long)]
    body_file: PathBuf,
    /// Attempts in total, including the first.
    #[arg(long, default_value_t = 3)]
    max_attempts: u32,
    /// Timeout of one attempt, in milliseconds.
    #[arg(long, default_value_t = 15_000)]
    timeout_ms: u64,
    /// Key version announced in the `Signature` header.
    #[arg(long, default_value_t = 1)]
    key_version: u32,
}

pub fn call(args: &CallArgs) -> Result<Exit, String> {
    let endpoint = antom::endpoints::by_name(&args.endpoint).ok_or_else(|| {
        let names: Vec<&str> = antom::endpoints::ALL.iter().map(|e| e.name).collect();
        format!(
            "unknown endpoint `{}`; known endpoints: {}",
            args.endpoint,
            names.join(", ")
        )
    })?;
    let body = input::read_bytes(&args.body_file)?;
    let client = antom::Client::new(config(args)?).map_err(|e| e.to_string())?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the async runtime: {e}"))?;
    let response = match runtime.block_on(client.runtime().execute_raw(endpoint, body)) {
        Ok(r) => r,
        Err(e) => {
            let kind = if e.is_security() { "security" } else { "error" };
            println!("{}", json!({ "outcome": kind, "error": e.to_string() }));
            return Err(e.to_string());
        }
    };
    let mut report = json!({
        "endpoint": endpoint.name,
        "path": response.path,
        "outcome": response.outcome.kind(),
        "action": response.outcome.action().as_str(),
        "retryable": response.outcome.action().is_retryable(),
        "attempts": response.attempts,
        "requestId": response.request_id,
        "httpStatus": response.http_status,
        "resultStatus": Value::Null,
        "resultCode": Value::Null,
        "resultMessage": Value::Null,
        "response": response.raw_body.as_deref().and_then(|b| serde_json::from_slice::<Value>(b).ok()),
    });
    let result = match &response.outcome {
        Outcome::Success(body) => body.get("result").cloned(),
        Outcome::Failed(f) => {
            report["requestIdState"] = json!(f.request_id.as_str());
            serde_json::to_value(&f.result).ok()
        }
        Outcome::Unknown(u) => {
            report["reason"] = json!(unknown_reason(&u.reason));
            match &u.reason {
                UnknownReason::Status(r) => serde_json::to_value(r).ok(),
                _ => None,
            }
        }
    };
    if let Some(r) = result {
        for key in ["resultStatus", "resultCode", "resultMessage"] {
            report[key] = r.get(key).cloned().unwrap_or(Value::Null);
        }
    }
    println!("{report}");
    Ok(match response.outcome {
        Outcome::Success(_) => Exit::Ok,
        Outcome::Failed(_) => Exit::Failed,
        Outcome::Unknown(_) => Exit::Unknown,
    })
}

fn unknown_reason(reason: &UnknownReason) -> String {
    match reason {
        UnknownReason::Status(r) => format!("resultStatus {}", r.result_status),
        UnknownReason::HttpStatus(s) => format!("HTTP status {s}"),
        UnknownReason::Timeout => "timeout".to_owned(),
        UnknownReason::Transport(e) => format!("transport: {e}"),
    }
}

fn config(args: &CallArgs) -> Result<ClientConfig, String> {
    if args.timeout_ms == 0 {
        return Err("--timeout-ms must be positive".into());
    }
    ClientConfig::builder()
        .client_id(args.client_id.clone())
        .merchant_private_key(input::private_key(&args.private_key)?)
        .antom_public_key(input::public_key(&args.antom_public_key)?)
        .gateway_url(args.gateway.clone())
        .key_version(args.key_version)
        .attempt_timeout(Duration::from_millis(args.timeout_ms))
        .retry_policy(RetryPolicy::default().with_max_attempts(args.max_attempts))
        .build()
        .map_err(|e| e.to_string())
}
