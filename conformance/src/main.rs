//! `antom-conformance`: runs the Antom conformance suite.
//!
//! With no arguments it runs every case against the built-in reference
//! client and its embedded mock gateway.

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use antom_conformance::adapter::AdapterProcess;
use antom_conformance::cases::{all_cases, glob_match, Area};
use antom_conformance::protocol::Implementation;
use antom_conformance::reference::{spec_tables, ReferenceImplementation};
use antom_conformance::report::{summary, timing_table, write_reports};
use antom_conformance::runner::{
    parse_expected_failures, run_by_area, run_suite, NotificationTarget, RunOptions,
};
use antom_conformance::webhook::check_loopback;
use clap::Parser;

/// Antom conformance kit: proves an integration signs, verifies, retries and
/// maps statuses the way the Antom API requires.
#[derive(Debug, Parser)]
#[command(name = "antom-conformance", version)]
struct Cli {
    /// Run against an adapter process speaking the JSON-lines protocol
    /// (PROTOCOL.md), e.g. `python3 adapters/python/adapter.py`.
    #[arg(long, value_name = "COMMAND LINE")]
    adapter: Option<String>,
    /// Deliver notification cases to this running webhook (loopback only).
    #[arg(long, value_name = "URL")]
    webhook_url: Option<String>,
    /// The client id the webhook expects in notifications.
    #[arg(long, default_value = antom_conformance::cases::SANDBOX_CLIENT_ID)]
    webhook_client_id: String,
    /// Only cases of this area (repeatable): signature, retry, status,
    /// notification, property.
    #[arg(long)]
    area: Vec<Area>,
    /// Only cases whose id matches (repeatable; `*` and `?` globs).
    #[arg(long)]
    case: Vec<String>,
    /// List the selected cases with their descriptions and exit.
    #[arg(long)]
    list: bool,
    /// Listed case ids may fail; a listed case that passes fails the run.
    #[arg(long, value_name = "FILE")]
    expected_failures: Option<PathBuf>,
    /// Where the JSON and JUnit reports go.
    #[arg(long, value_name = "DIR", default_value = "target/conformance")]
    report_dir: PathBuf,
    /// Cases run at once.
    #[arg(long, default_value_t = 16)]
    concurrency: usize,
    /// No per-case progress on stderr.
    #[arg(long)]
    quiet: bool,
    /// Fail the run on `should` failures too (hardening the kit recommends);
    /// `must` failures always fail it, `uncertain` ones never do.
    #[arg(long)]
    strict: bool,
    /// Run the areas one after another and print the time of each (the
    /// suite's timing benchmark).
    #[arg(long)]
    timing: bool,
    /// Seed of the property area's generated inputs (a failure prints the
    /// seed that reproduces it).
    #[arg(long, default_value_t = antom_conformance::properties::DEFAULT_SEED)]
    seed: u64,
}

/// The command that runs this binary again: `cargo run` for a build inside
/// a cargo target directory, else the binary as it was invoked.
fn reproduction_prefix() -> String {
    let argv0 = std::env::args().next().unwrap_or_default();
    let built_by_cargo = std::path::Path::new(&argv0)
        .components()
        .any(|c| c.as_os_str() == "target");
    if argv0.is_empty() || built_by_cargo {
        "cargo run -p antom-conformance --".to_owned()
    } else {
        shell_quote(&argv0)
    }
}

fn shell_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', r"'\''"))
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("antom-conformance: cannot start the async runtime: {e}");
            return ExitCode::from(2);
        }
    };
    runtime.block_on(run(cli))
}

async fn run(cli: Cli) -> ExitCode {
    let mut cases = all_cases(&spec_tables());
    if !cli.area.is_empty() {
        cases.retain(|c| cli.area.contains(&c.area));
    }
    if !cli.case.is_empty() {
        cases.retain(|c| cli.case.iter().any(|p| glob_match(p, &c.id)));
    }
    if cli.list {
        for c in &cases {
            println!("{:<60} {:<9} {}", c.id, c.level, c.description);
        }
        return ExitCode::SUCCESS;
    }
    if cases.is_empty() {
        eprintln!("antom-conformance: no case matches the filters (see --list)");
        return ExitCode::from(2);
    }
    let expected_failures = match &cli.expected_failures {
        None => Default::default(),
        Some(path) => match std::fs::read_to_string(path) {
            Ok(text) => parse_expected_failures(&text),
            Err(e) => {
                eprintln!("antom-conformance: cannot read {}: {e}", path.display());
                return ExitCode::from(2);
            }
        },
    };
    let notifications = match &cli.webhook_url {
        None => NotificationTarget::Implementation,
        Some(url) => {
            if let Err(e) = check_loopback(url) {
                eprintln!("antom-conformance: {e}");
                return ExitCode::from(2);
            }
            NotificationTarget::Webhook {
                url: url.clone(),
                client_id: cli.webhook_client_id.clone(),
            }
        }
    };
    let imp: Arc<dyn Implementation> = match &cli.adapter {
        None => Arc::new(ReferenceImplementation::new()),
        Some(cmd) => match AdapterProcess::spawn(cmd) {
            Ok(a) => Arc::new(a),
            Err(e) => {
                eprintln!("antom-conformance: {e}");
                return ExitCode::from(2);
            }
        },
    };
    let mut repro = reproduction_prefix();
    if let Some(a) = &cli.adapter {
        repro.push_str(&format!(" --adapter {}", shell_quote(a)));
    }
    if let Some(u) = &cli.webhook_url {
        repro.push_str(&format!(" --webhook-url {}", shell_quote(u)));
    }
    if let Some(f) = &cli.expected_failures {
        repro.push_str(&format!(
            " --expected-failures {}",
            shell_quote(&f.display().to_string())
        ));
    }
    if cli.strict {
        repro.push_str(" --strict");
    }
    if cli.seed != antom_conformance::properties::DEFAULT_SEED {
        repro.push_str(&format!(" --seed {}", cli.seed));
    }
    eprintln!(
        "antom-conformance: running {} case(s) against {}",
        cases.len(),
        imp.name()
    );
    let options = RunOptions {
        concurrency: cli.concurrency,
        expected_failures,
        notifications,
        progress: !cli.quiet,
        strict: cli.strict,
        seed: cli.seed,
    };
    let (report, timings) = if cli.timing {
        run_by_area(imp, cases, options).await
    } else {
        (run_suite(imp, cases, options).await, vec![])
    };
    print!("{}", summary(&report, &repro));
    if !timings.is_empty() {
        print!("{}", timing_table(&timings));
    }
    match write_reports(&report, &cli.report_dir, &repro) {
        Ok((j, x)) => println!("reports: {} {}", j.display(), x.display()),
        Err(e) => {
            eprintln!("antom-conformance: {e}");
            return ExitCode::from(2);
        }
    }
    if report.success() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
