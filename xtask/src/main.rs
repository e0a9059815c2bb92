//! `cargo xtask`: maintainer tasks.
//!
//! - `cargo xtask gen` regenerates every spec-derived file; `cargo xtask gen
//!   --check` writes nothing and fails naming the stale files.
//! - `cargo xtask bench-check` measures `cargo check -p antom` from clean
//!   (dependencies cached).

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
