//! `cargo xtask bench-check`: wall time of `cargo check -p antom` from clean,
//! per feature set (every family, none, one alone); only the `antom` crate is
//! cleaned, its dependencies stay built.

use std::fmt::Write as _;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

/// Why the measurement failed.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// `cargo` could not be started.
    #[error("cannot run `cargo {args}`: {source}")]
    Spawn {
        /// The arguments.
        args: String,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// `cargo` failed.
    #[error("`cargo {args}` failed with {status}")]
    Failed {
        /// The arguments.
        args: String,
        /// The exit status.
        status: std::process::ExitStatus,
    },
}

fn cargo(root: &Path, args: &[&str]) -> Result<Duration, Error> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let start = Instant::now();
    let status = Command::new(cargo)
        .args(args)
        .current_dir(root)
        .status()
        .map_err(|source| Error::Spawn {
            args: args.join(" "),
            source,
        })?;
    let elapsed = start.elapsed();
    if !status.success() {
        return Err(Error::Failed {
            args: args.join(" "),
            status,
        });
    }
    Ok(elapsed)
}

/// The feature sets measured: the default (the families documented from
/// Antom's guides), every family, the shared part alone (no family), and
/// one family alone.
const FEATURE_SETS: [(&str, &[&str]); 4] = [
    ("default features (documented families)", &[]),
    ("all families", &["--features", "all-families"]),
    (
        "no endpoint family",
        &["--no-default-features", "--features", "ring"],
    ),
    (
        "payments only",
        &["--no-default-features", "--features", "ring,payments"],
    ),
];

/// Runs `cargo check -p antom` `runs` times per feature set right after
/// `cargo clean -p antom` (with the dependencies checked just before), and
/// reports every time, the median and its ratio to the default's. Run it on
/// an otherwise idle machine.
pub fn check_time(root: &Path, runs: u32) -> Result<String, Error> {
    let mut out = String::new();
    let mut default_median = None;
    for (label, flags) in FEATURE_SETS {
        let mut times = Vec::new();
        let args = |cmd: &'static str| {
            let mut a = vec![cmd, "-q", "-p", "antom"];
            if cmd == "check" {
                a.extend_from_slice(flags);
            }
            a
        };
        for _ in 0..runs.max(1) {
            // Dependencies up to date (they may have changed since the last
            // run), then only `antom` is rebuilt.
            cargo(root, &args("check"))?;
            cargo(root, &args("clean"))?;
            times.push(cargo(root, &args("check"))?);
        }
        let mut sorted = times.clone();
        sorted.sort();
        let median = sorted[sorted.len() / 2];
        let listed: Vec<String> = times
            .iter()
            .map(|t| format!("{:.2}", t.as_secs_f64()))
            .collect();
        let base = *default_median.get_or_insert(median);
        let _ = writeln!(
            out,
            "{label:<32} median {:.2} s ({:.2}x the default; runs: {} s)",
            median.as_secs_f64(),
            median.as_secs_f64() / base.as_secs_f64().max(f64::EPSILON),
            listed.join(", ")
        );
    }
    let _ = writeln!(out, "target: the default under 5 s");
    Ok(out)
}
