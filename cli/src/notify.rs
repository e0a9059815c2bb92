//! `antom notify verify`: verify a captured notification; `antom notify
//! send`: sign a notification like Antom and deliver it to a webhook.

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
    /// Sign a notification like Antom and POST it to your webhook, as many
    /// times as asked; exit 0 when every delivery is acknowledged.
    Send(SendArgs),
}

/// `antom notify send`.
#[derive(Debug, Args)]
pub struct SendArgs {
    /// Your webhook, e.g. http://127.0.0.1:3000/antom/notify.
    #[arg(long)]
    url: String,
    /// The client id the notification is for (yours).
    #[arg(long)]
    client_id: String,
    /// The notification (`notifyPayment`, `notifyCapture`, ...): its payload
    /// is a valid sample of the spec's model unless `--body-file` is given.
    #[arg(long, default_value = "notifyPayment")]
    r#type: String,
    /// The `notifyType` (default: the notification's first).
    #[arg(long)]
    notify_type: Option<String>,
    /// Top-level payload fields to set, `name=value` (repeatable; a value
    /// that is JSON is taken as JSON), e.g. `paymentRequestId=order-42`.
    #[arg(long = "set", value_name = "NAME=VALUE")]
    set: Vec<String>,
    /// Send exactly this body instead (`-` for stdin).
    #[arg(long)]
    body_file: Option<PathBuf>,
    /// The key that signs, playing Antom's (default: the repository's
    /// published Antom test key, whose public half is
    /// runtime/testdata/keys/antom_public_spki.pem: configure that in your
    /// webhook for local tests).
    #[arg(long)]
    antom_private_key: Option<PathBuf>,
    /// `request-time` (default: now, ISO 8601).
    #[arg(long)]
    request_time: Option<String>,
    /// Deliveries of the same notification (Antom resends until it is
    /// acknowledged; a webhook must process it once).
    #[arg(long, default_value_t = 1)]
    times: u32,
}

/// The repository's published Antom test key (never a real key).
const ANTOM_TEST_KEY: &str = include_str!("../../runtime/testdata/keys/antom_private_pkcs8.pem");

fn send(args: &SendArgs) -> Result<Exit, String> {
    let url = reqwest::Url::parse(&args.url).map_err(|e| format!("--url `{}`: {e}", args.url))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(format!("--url `{}`: use an http or https URL", args.url));
    }
    let key = match &args.antom_private_key {
        Some(path) => input::private_key(path)?,
        None => antom_runtime::PrivateKey::from_pem_or_base64(ANTOM_TEST_KEY)
            .map_err(|e| format!("the embedded Antom test key: {e}"))?,
    };
    let body = match &args.body_file {
        Some(path) => input::read_bytes(path)?,
        None => sample_body(args)?.into_bytes(),
    };
    let time = args
        .request_time
        .clone()
        .unwrap_or_else(|| antom_runtime::timestamp::format_iso8601(std::time::SystemTime::now()));
    let signature = antom_runtime::signing::sign(
        &key,
        1,
        &antom_runtime::signing::SignInput {
            method: "POST",
            path: url.path(),
            client_id: &args.client_id,
            time: &time,
            body: &body,
        },
    )
    .map_err(|e| format!("cannot sign: {e}"))?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the async runtime: {e}"))?;
    let http = reqwest::Client::builder()
        .timeout(std::time::Duration::from_secs(10))
        .build()
        .map_err(|e| format!("cannot build the HTTP client: {e}"))?;
    let mut all_acknowledged = true;
    for n in 1..=args.times.max(1) {
        let sent = runtime.block_on(async {
            let resp = http
                .post(url.clone())
                .header("content-type", "application/json")
                .header("client-id", &args.client_id)
                .header("request-time", &time)
                .header("signature", &signature)
                .body(body.clone())
                .send()
                .await?;
            let status = resp.status().as_u16();
            Ok::<_, reqwest::Error>((status, resp.text().await.unwrap_or_default()))
        });
        let (status, reply) = match sent {
            Ok(x) => x,
            Err(e) => {
                println!("{}", json!({"delivery": n, "error": e.to_string()}));
                all_acknowledged = false;
                continue;
            }
        };
        let acknowledged = status == antom::notifications::ACKNOWLEDGEMENT_HTTP_STATUS
            && serde_json::from_str::<serde_json::Value>(&reply).ok()
                == serde_json::from_str(antom::notifications::ACKNOWLEDGEMENT_BODY).ok();
        all_acknowledged &= acknowledged;
        println!(
            "{}",
            json!({"delivery": n, "httpStatus": status, "acknowledged": acknowledged, "body": reply})
        );
    }
    if !all_acknowledged {
        eprintln!(
            "not acknowledged: Antom expects HTTP {} with the body {} (key order free), and resends otherwise",
            antom::notifications::ACKNOWLEDGEMENT_HTTP_STATUS,
            antom::notifications::ACKNOWLEDGEMENT_BODY
        );
    }
    Ok(if all_acknowledged {
        Exit::Ok
    } else {
        Exit::Failed
    })
}

/// A valid sample of the notification's payload, with its `notifyType`, a
/// successful `result` and the `--set` fields.
fn sample_body(args: &SendArgs) -> Result<String, String> {
    let kind = antom::notifications::NotificationKind::by_name(&args.r#type).ok_or_else(|| {
        let known: Vec<&str> = antom::notifications::NotificationKind::ALL
            .iter()
            .map(|k| k.name())
            .collect();
        format!(
            "unknown notification `{}`; known: {}",
            args.r#type,
            known.join(", ")
        )
    })?;
    let mut body = antom::schema::SCHEMAS.sample(kind.payload_model());
    if let Some(t) = args
        .notify_type
        .as_deref()
        .or_else(|| kind.notify_types().first().copied())
    {
        body["notifyType"] = t.into();
    }
    body["result"] =
        json!({"resultCode": "SUCCESS", "resultStatus": "S", "resultMessage": "success."});
    for pair in &args.set {
        let (name, value) = pair
            .split_once('=')
            .ok_or_else(|| format!("--set `{pair}`: write NAME=VALUE"))?;
        body[name] = serde_json::from_str(value).unwrap_or_else(|_| value.into());
    }
    Ok(body.to_string())
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
        NotifyCommand::Send(args) => send(args),
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
