//! `antom sign` and `antom verify`.

use std::path::PathBuf;

use antom_runtime::signing::{self, SignInput};
use antom_runtime::Backend;
use clap::Args;

use crate::{input, Exit};

/// The parts of a signed message shared by `sign` and `verify`.
#[derive(Debug, Args)]
pub struct MessageArgs {
    /// `Client-Id` header value.
    #[arg(long)]
    client_id: String,
    /// Path that is called (the sandbox path in sandbox), e.g. /ams/api/v1/payments/pay.
    #[arg(
        long,
        required_unless_present = "endpoint",
        conflicts_with = "endpoint"
    )]
    path: Option<String>,
    /// The spec's endpoint (e.g. `pay`, `inquiryPayment`) instead of `--path`:
    /// its path, rewritten for a sandbox client id by the spec's rule.
    #[arg(long)]
    endpoint: Option<String>,
    /// HTTP method.
    #[arg(long, default_value = "POST")]
    method: String,
    /// File with the exact body bytes (`-` for stdin).
    #[arg(long)]
    body_file: PathBuf,
    /// Crypto backend: `ring` (the default), `rsa` (pure Rust), or `aws-lc`
    /// when built with that feature.
    #[arg(long, default_value = Backend::default().name(), value_parser = parse_backend)]
    backend: Backend,
}

impl MessageArgs {
    /// The path to sign: `--path`, or `--endpoint`'s by the sandbox rule.
    fn path(&self) -> Result<String, String> {
        match (&self.path, &self.endpoint) {
            (Some(p), _) => Ok(p.clone()),
            (None, Some(name)) => {
                let ep = antom::endpoints::by_name(name).ok_or_else(|| {
                    format!("unknown endpoint `{name}` (see `antom codes` or the spec for names)")
                })?;
                Ok(antom::SANDBOX_RULE.path_for(ep, &self.client_id))
            }
            (None, None) => Err("give --path or --endpoint".into()),
        }
    }

    fn input<'a>(&'a self, path: &'a str, time: &'a str, body: &'a [u8]) -> SignInput<'a> {
        SignInput {
            method: &self.method,
            path,
            client_id: &self.client_id,
            time,
            body,
        }
    }

    /// Warnings about a path that does not fit the client id: a sandbox
    /// path with a production client id or the reverse.
    fn path_warnings(&self, path: &str) -> Vec<String> {
        let rule = antom::SANDBOX_RULE;
        let sandbox_client = self.client_id.starts_with(rule.client_id_prefix);
        let sandbox_path = path.contains(rule.sandbox_prefix);
        let endpoint = rule.endpoint_at(antom::endpoints::ALL, path);
        let mut out = Vec::new();
        if sandbox_path && !sandbox_client {
            out.push(format!(
                "the path is a sandbox path ({}) but the client id `{}` is a production one: Antom answers INVALID_SIGNATURE or routes to the wrong environment",
                rule.sandbox_prefix, self.client_id
            ));
        }
        if let Some(ep) = endpoint {
            let expected = rule.path_for(ep, &self.client_id);
            if sandbox_client && expected != path {
                out.push(format!(
                    "a sandbox client id calls (and signs) `{expected}` for {}, not `{path}`",
                    ep.name
                ));
            }
        }
        out
    }
}

/// A warning when `time` is not epoch milliseconds, the form Antom's
/// documentation gives for `Request-Time`.
fn request_time_warning(time: &str) -> Option<String> {
    let epoch_ms = time.len() == 13 && time.bytes().all(|b| b.is_ascii_digit());
    if epoch_ms {
        return None;
    }
    Some(match antom_runtime::timestamp::parse(time) {
        Ok(at) => format!(
            "--request-time `{time}` is not epoch milliseconds (the documented form, e.g. {}); it is signed as given",
            antom_runtime::timestamp::epoch_millis(at)
        ),
        Err(_) => format!(
            "--request-time `{time}` is neither epoch milliseconds nor an ISO 8601 time; it is signed as given"
        ),
    })
}

fn parse_backend(name: &str) -> Result<Backend, String> {
    Backend::from_name(name).ok_or_else(|| {
        let known: Vec<&str> = Backend::all().iter().map(|b| b.name()).collect();
        format!("unknown backend `{name}`; available: {}", known.join(", "))
    })
}

/// `antom sign`.
#[derive(Debug, Args)]
pub struct SignArgs {
    /// Merchant private key: PKCS#8 or PKCS#1, PEM or bare base64.
    #[arg(long)]
    private_key: PathBuf,
    /// `Request-Time` header value (epoch milliseconds), exactly as sent.
    #[arg(long)]
    request_time: String,
    /// Key version announced in the header.
    #[arg(long, default_value_t = 1)]
    key_version: u32,
    /// Also print the content to sign and every encoding stage on stderr.
    #[arg(long)]
    explain: bool,
    #[command(flatten)]
    message: MessageArgs,
}

/// `antom verify`.
#[derive(Debug, Args)]
pub struct VerifyArgs {
    /// Public key that must have signed (Antom's for responses and
    /// notifications, the merchant's for requests): SPKI PEM or bare base64.
    #[arg(long)]
    public_key: PathBuf,
    /// `Request-Time` / `Response-Time` header value, exactly as received.
    #[arg(long)]
    time: String,
    /// The `Signature` header value.
    #[arg(long)]
    signature: String,
    /// Also print the content checked and the decoded stages on stderr, and
    /// for an invalid signature the diagnosis: which variant of the content
    /// was signed (the other environment's path, the body re-serialised,
    /// another client id or time form, ...), or that the key is not the
    /// signer's.
    #[arg(long)]
    explain: bool,
    /// Another public key to try when the signature does not open with
    /// `--public-key` (repeatable; e.g. your own key where Antom's belongs).
    #[arg(long, value_name = "FILE")]
    other_key: Vec<PathBuf>,
    /// The `client-id` header received, when it is not `--client-id`.
    #[arg(long)]
    header_client_id: Option<String>,
    #[command(flatten)]
    message: MessageArgs,
}

/// Shows the signed content with its line break visible.
fn show_content(content: &[u8]) -> String {
    String::from_utf8_lossy(content).replace('\n', "\\n\n")
}

pub fn sign(args: &SignArgs) -> Result<Exit, String> {
    let key = input::private_key(&args.private_key)?;
    let m = &args.message;
    let body = input::read_bytes(&m.body_file)?;
    let path = m.path()?;
    for warning in m
        .path_warnings(&path)
        .into_iter()
        .chain(request_time_warning(&args.request_time))
    {
        eprintln!("warning: {warning}");
    }
    let sign_input = m.input(&path, &args.request_time, &body);
    let e = signing::sign_explained(m.backend, &key, args.key_version, &sign_input)
        .map_err(|e| e.to_string())?;
    if args.explain {
        eprintln!("content to sign ({} bytes, UTF-8):", e.content.len());
        eprintln!("{}", show_content(&e.content));
        eprintln!(
            "signature: {} bytes (RSASSA-PKCS1-v1_5, SHA-256, {} backend)",
            e.signature.len(),
            m.backend.name()
        );
        eprintln!("base64:    {}", e.base64);
        eprintln!("encoded:   {}", e.encoded);
        eprintln!("header:    Signature: {}", e.header);
    }
    println!("{}", e.header);
    Ok(Exit::Ok)
}

pub fn verify(args: &VerifyArgs) -> Result<Exit, String> {
    let key = input::public_key(&args.public_key)?;
    let m = &args.message;
    let body = input::read_bytes(&m.body_file)?;
    let path = m.path()?;
    let sign_input = m.input(&path, &args.time, &body);
    let exit = match signing::verify_explained(m.backend, &key, &sign_input, &args.signature) {
        Ok(e) => {
            if args.explain {
                eprintln!("content checked ({} bytes, UTF-8):", e.content.len());
                eprintln!("{}", show_content(&e.content));
                eprintln!(
                    "header:    algorithm={} keyVersion={}",
                    e.header.algorithm,
                    e.header.key_version.as_deref().unwrap_or("(absent)")
                );
                eprintln!(
                    "signature: {} bytes after percent- and base64-decoding",
                    e.signature.len()
                );
                eprintln!("key:       sha256:{}", key.fingerprint());
            }
            if e.valid {
                eprintln!("valid");
                Exit::Ok
            } else if args.explain {
                let others = args
                    .other_key
                    .iter()
                    .map(|p| Ok((p.display().to_string(), input::public_key(p)?)))
                    .collect::<Result<Vec<_>, String>>()?;
                let named: Vec<(&str, &antom_runtime::PublicKey)> =
                    others.iter().map(|(n, k)| (n.as_str(), k)).collect();
                let diagnosis = signing::forensics::diagnose(
                    &antom::SANDBOX_RULE,
                    &key,
                    &named,
                    &sign_input,
                    &args.signature,
                    args.header_client_id.as_deref(),
                );
                eprintln!("invalid: {diagnosis}");
                if let signing::forensics::Diagnosis::SignedOver { content, .. } = &diagnosis {
                    eprintln!("content signed:");
                    eprintln!("{}", show_content(content));
                }
                Exit::Failed
            } else {
                // Re-run the plain check for its diagnostic (content preview
                // and key fingerprint); only on the failing path.
                match signing::verify_with(m.backend, &key, &sign_input, &args.signature) {
                    Err(reason) => eprintln!("invalid: {reason}"),
                    Ok(()) => eprintln!("invalid: signature mismatch"),
                }
                Exit::Failed
            }
        }
        Err(e) => {
            eprintln!("invalid: {e}");
            Exit::Failed
        }
    };
    Ok(exit)
}
