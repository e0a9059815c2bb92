//! `cargo xtask`: maintainer tasks.
//!
//! - `cargo xtask gen` regenerates every spec-derived file; `cargo xtask gen
//!   --check` writes nothing and fails naming the stale files.
//! - `cargo xtask bench-check` measures `cargo check -p antom` from clean
//!   (dependencies cached); `--against REV` measures another revision's
//!   default in the same run.
//! - `cargo xtask drift` audits the spec against the pinned release of the
//!   official Python SDK, offline, from `spec/drift/`; `cargo xtask drift
//!   --refresh VERSION` downloads a release from PyPI and pins its
//!   inventory.
//! - `cargo xtask spec-diff OLD NEW` classifies what changed between two spec
//!   versions (directories or `REV:path`) as wire-breaking, API-breaking,
//!   additive or documentation, with the implied version bump; it fails
//!   (status 2) on breaking changes unless `--allow-breaking`.

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
        /// Also measure the default features of this revision (e.g.
        /// `a55576b`, before the whole API), interleaved with this tree's.
        #[arg(long, value_name = "REV")]
        against: Option<String>,
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
    /// Classify every difference between two spec versions: wire-breaking, API-breaking, additive, documentation.
    SpecDiff {
        /// The old spec: a directory, or `REV:path` (e.g. `HEAD~3:spec/antom`).
        old: String,
        /// The new spec: a directory, or `REV:path`.
        new: String,
        /// Print the report as JSON.
        #[arg(long)]
        json: bool,
        /// Exit successfully even when a change is breaking.
        #[arg(long)]
        allow_breaking: bool,
    },
}

/// The exit status of `spec-diff` when a change is breaking (1 is an error).
const BREAKING: u8 = 2;

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
        Command::BenchCheck { runs, against } => {
            xtask::bench::check_time(&xtask::project_root(), runs, against.as_deref())
                .map(|report| print!("{report}"))
                .map_err(Into::into)
        }
        Command::SpecDiff {
            old,
            new,
            json,
            allow_breaking,
        } => {
            let format = if json {
                xtask::spec_diff::Format::Json
            } else {
                xtask::spec_diff::Format::Text
            };
            let cwd = std::env::current_dir().unwrap_or_else(|_| xtask::project_root());
            match xtask::spec_diff::run(&old, &new, format, &cwd) {
                Ok(outcome) => {
                    for note in &outcome.notes {
                        eprintln!("note: {note}");
                    }
                    print!("{}", outcome.output);
                    if outcome.breaking && !allow_breaking {
                        return ExitCode::from(BREAKING);
                    }
                    Ok(())
                }
                Err(e) => Err(e.into()),
            }
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
