//! `antom notify verify`: verify a captured notification.

use std::path::PathBuf;

use antom_runtime::notification::{verify_notification, NotificationError, NotificationOptions};
use clap::{Args, Subcommand};
use serde_json::json;

use crate::{input, Exit};

/// `antom notify …`.
#[derive(Debug, Subcommand)]
pub enum NotifyCommand {
    /// Verify a captured notification and print its typed payload.
    Verify(VerifyArgs),
}

/// `antom notify verify`.
#[derive(Debug, Args)]
pub struct VerifyArgs {
    /// Antom public key (from the dashboard): SPKI PEM or bare base64.
    #[arg(long)]
    public_key: PathBuf,
    /// Path of your notification URL, exactly as requested (e.g. /antom/notify).
    #[arg(long)]
    path: String,
    /// HTTP method of the notification.
    #[arg(long, default_value = "POST")]
    method: String,
    /// File with the request headers, one `Name: value` per line (a request
    /// line such as `POST /notify HTTP/1.1` is skipped).
    #[arg(long)]
    headers_file: PathBuf,
    /// File with the exact raw body (`-` for stdin).
    #[arg(long)]
    body_file: PathBuf,
    /// Require this `client-id`.
    #[arg(long)]
    client_id: Option<String>,
    /// Accept a `request-time` of any age (a delivery captured long ago);
    /// by default it must lie within 72 hours of now, as the library checks
    /// it in a webhook.
    #[arg(long)]
    any_age: bool,
}

pub fn run(cmd: &NotifyCommand) -> Result<Exit, String> {
    match cmd {
        NotifyCommand::Verify(args) => verify(args),
    }
}

fn verify(args: &VerifyArgs) -> Result<Exit, String> {
    let key = input::public_key(&args.public_key)?;
    let headers = input::headers(&args.headers_file)?;
    let body = input::read_bytes(&args.body_file)?;
    let mut options = NotificationOptions::default();
    if let Some(id) = &args.client_id {
        options = options.expect_client_id(id.clone());
    }
    if args.any_age {
        options = options.request_time_tolerance(None);
    }
    let verified = match verify_notification(
        &key,
        &args.method,
        &args.path,
        headers.iter().map(|(k, v)| (k.as_str(), v.as_bytes())),
        &body,
        &options,
    ) {
        Ok(v) => v,
        Err(e) => {
            eprintln!("invalid: {e}");
            if matches!(e, NotificationError::Stale { .. }) {
                eprintln!("hint: the signature verified, but the delivery is older than the tolerance; pass --any-age to verify one captured earlier");
            }
            return Ok(Exit::Failed);
        }
    };
    // The typed parse checks the body against the spec's payload model.
    let kind = match antom::notifications::Notification::parse(&verified.raw_body) {
        Ok(n) => json!(n.kind().map(|k| k.name())),
        Err(e) => {
            eprintln!("warning: verified, but not a known notification shape: {e}");
            serde_json::Value::Null
        }
    };
    let payload = verified.json.clone();
    println!(
        "{}",
        json!({
            "valid": true,
            "notification": kind,
            "clientId": verified.client_id,
            "requestTime": verified.request_time,
            "dedupKey": verified.dedup_key(),
            "payload": payload,
        })
    );
    eprintln!(
        "valid; acknowledge with HTTP 200 and body {}",
        antom_runtime::notification::ACKNOWLEDGEMENT_BODY
    );
    Ok(Exit::Ok)
}
