//! `cargo xtask`: maintainer tasks.
//!
//! - `cargo xtask gen` regenerates every spec-derived file; `cargo xtask gen
//!   --check` writes nothing and fails naming the stale files.
//! - `cargo xtask bench-check` measures `cargo check -p antom` from clean
//!   (dependencies cached).
//! - `cargo xtask drift` audits the spec against the pinned release of the
//!   official Python SDK, offline, from `spec/drift/`; `cargo xtask drift
//!   --refresh VERSION` downloads a release from PyPI and pins its
//!   inventory.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(name = "cargo xtask", about = "Maintainer tasks of the Antom toolkit")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Regenerate generated/src/*.rs, spec/antom-spec.schema.json and docs/reference.md from spec/antom.
    Gen {
        /// Write nothing; fail if any generated file is stale.
        #[arg(long)]
        check: bool,
    },
    /// Measure `cargo check -p antom` from clean, with dependencies already built.
    BenchCheck {
        /// How many runs.
        #[arg(long, default_value_t = 3)]
        runs: u32,
    },
    /// Audit spec/antom against the pinned release of Antom's Python SDK (global-open-sdk-python).
    ///
    /// Offline: reads the SDK inventory in spec/drift/ and the documented differences in
    /// spec/drift/exclusions.yaml, prints coverage (paths, request and response fields,
    /// models, enums), and fails on any difference no exclusion documents and on any
    /// exclusion that no longer matches a difference.
    Drift {
        /// Download the wheel of global-open-sdk-python VERSION from PyPI (with `python3 -m
        /// pip`; set PYTHON to choose the interpreter), read its sources without running them,
        /// write the inventory to spec/drift/global-open-sdk-python-VERSION.json as the new pin
        /// (removing the old one), then audit.
        #[arg(long, value_name = "VERSION")]
        refresh: Option<String>,
        /// Also list every excluded difference with its reason.
        #[arg(long)]
        show_excluded: bool,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result: Result<(), Box<dyn std::error::Error>> = match cli.command {
        Command::Gen { check } => {
            let mode = if check {
                xtask::codegen::Mode::Check
            } else {
                xtask::codegen::Mode::Write
            };
            xtask::codegen::run(&xtask::project_root(), mode)
                .map(|report| print!("{report}"))
                .map_err(Into::into)
        }
        Command::Drift {
            refresh,
            show_excluded,
        } => {
            let root = xtask::project_root();
            let options = xtask::drift::Options { show_excluded };
            match refresh {
                Some(version) => xtask::drift::refresh_and_run(&root, &version, &options),
                None => xtask::drift::run(&root, &options),
            }
            .map_err(Into::into)
        }
        Command::BenchCheck { runs } => xtask::bench::check_time(&xtask::project_root(), runs)
            .map(|report| print!("{report}"))
            .map_err(Into::into),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
