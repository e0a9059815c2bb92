//! `antom-mock-gateway`: a stateful local Antom on loopback, for
//! developing and testing an integration (see
//! `antom_conformance::mock_gateway`).

use std::process::ExitCode;

use antom_conformance::crypto::TestKeys;
use antom_conformance::mock_gateway::{Fault, MockAntom, Options};
use clap::Parser;

/// A local Antom: checks every request as Antom's gateway would, keeps the
/// state of payments, honours idempotency keys and delivers notifyPayment.
#[derive(Debug, Parser)]
#[command(name = "antom-mock-gateway", version)]
struct Cli {
    /// Loopback port (0: any free port).
    #[arg(long, default_value_t = 0)]
    port: u16,
    /// Your webhook: notifyPayment is delivered there when a payment succeeds.
    #[arg(long, value_name = "URL")]
    notify_url: Option<String>,
    /// Multiplies Antom's resend schedule of notifications (e.g. 0.001 to see
    /// all 8 deliveries in about a minute; 0 at once).
    #[arg(long, value_name = "FACTOR")]
    time_scale: Option<f64>,
    /// Scripted faults, a JSON array such as
    /// `[{"endpoint": "capture", "answer": "unknown", "times": 2}]`
    /// (answers: unknown, serverError, rateLimit, delay with delayMs, and
    /// dropConnection, cutBody, stallBody: acted on, then the answer is lost).
    #[arg(long, value_name = "FILE")]
    faults: Option<std::path::PathBuf>,
    /// Stop after this many seconds (default: on Ctrl-C).
    #[arg(long, value_name = "SECS")]
    exit_after: Option<u64>,
    /// Do not log each refused request on stderr.
    #[arg(long)]
    quiet: bool,
}

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    let keys = match TestKeys::load() {
        Ok(k) => k,
        Err(e) => {
            eprintln!("antom-mock-gateway: {e}");
            return ExitCode::from(2);
        }
    };
    let faults = match &cli.faults {
        None => vec![],
        Some(path) => match std::fs::read_to_string(path)
            .map_err(|e| format!("{}: {e}", path.display()))
            .and_then(|t| Fault::parse_file(&t))
        {
            Ok(f) => f,
            Err(e) => {
                eprintln!("antom-mock-gateway: {e}");
                return ExitCode::from(2);
            }
        },
    };
    let gateway = match MockAntom::start(Options {
        port: cli.port,
        notify_url: cli.notify_url.clone(),
        log: !cli.quiet,
        time_scale: cli.time_scale,
        faults,
    })
    .await
    {
        Ok(g) => g,
        Err(e) => {
            eprintln!(
                "antom-mock-gateway: cannot listen on 127.0.0.1:{}: {e}",
                cli.port
            );
            return ExitCode::from(2);
        }
    };
    println!("gateway URL:            {}", gateway.url());
    println!("client id:              SANDBOX_5X00000000000000 (sandbox paths) or any other id (production paths)");
    println!("merchant private key:   {}", keys.merchant_private_base64());
    println!("Antom public key:       {}", keys.antom_public_base64());
    println!("(the repository's published test keys: runtime/testdata/keys/merchant_private_pkcs8.b64 and antom_public_spki.pem)");
    if let Some(url) = &cli.notify_url {
        println!("notifications go to:    {url} (or a request's paymentNotifyUrl)");
    }
    println!(
        "the buyer:              POST {}{}<paymentRequestId>/complete (or /fail, /abandon) after createPaymentSession",
        gateway.url(),
        antom_conformance::mock_gateway::CONTROL_PREFIX
    );
    println!(
        "magic amounts (pay):    {} USER_BALANCE_NOT_ENOUGH, {} RISK_REJECT, {} PAYMENT_IN_PROCESS then success",
        antom_conformance::mock_gateway::MAGIC_BALANCE_NOT_ENOUGH,
        antom_conformance::mock_gateway::MAGIC_RISK_REJECT,
        antom_conformance::mock_gateway::MAGIC_IN_PROCESS
    );
    match cli.exit_after {
        Some(secs) => tokio::time::sleep(std::time::Duration::from_secs(secs)).await,
        None => {
            let _ = tokio::signal::ctrl_c().await;
        }
    }
    ExitCode::SUCCESS
}
