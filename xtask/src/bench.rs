//! `cargo xtask bench-check`: wall time of `cargo check -p antom` from clean
//! (only the `antom` crate is cleaned; its dependencies stay built).

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

/// Runs `cargo check -p antom` `runs` times right after `cargo clean -p
/// antom` (with the dependencies checked just before), and reports every
/// time and the median. Run it on an otherwise idle machine.
pub fn check_time(root: &Path, runs: u32) -> Result<String, Error> {
    let mut times = Vec::new();
    for _ in 0..runs.max(1) {
        // Dependencies up to date (they may have changed since the last run),
        // then only `antom` is rebuilt.
        cargo(root, &["check", "-q", "-p", "antom"])?;
        cargo(root, &["clean", "-q", "-p", "antom"])?;
        times.push(cargo(root, &["check", "-q", "-p", "antom"])?);
    }
    let mut sorted = times.clone();
    sorted.sort();
    let median = sorted[sorted.len() / 2];
    let mut out = String::new();
    for (i, t) in times.iter().enumerate() {
        let _ = writeln!(
            out,
            "run {}: cargo check -p antom from clean: {:.2} s",
            i + 1,
            t.as_secs_f64()
        );
    }
    let _ = writeln!(out, "median: {:.2} s (target < 5 s)", median.as_secs_f64());
    Ok(out)
}
