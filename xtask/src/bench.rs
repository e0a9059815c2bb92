//! `cargo xtask bench-check`: wall time of `cargo check -p antom` from clean,
//! per feature set (every family, none, one alone), and with `--against REV`
//! the default of another revision measured in the same run, interleaved;
//! only the `antom` crate is cleaned, its dependencies stay built.

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
    /// The revision to compare with could not be checked out.
    #[error("cannot check out `{rev}` to compare with: `git {args}` failed: {detail}")]
    Checkout {
        /// The revision.
        rev: String,
        /// The git arguments.
        args: String,
        /// Git's message, or why it could not run.
        detail: String,
    },
}

/// Where a measured `antom` crate lives: a workspace root and, for another
/// revision, its own target directory (its lock file may differ).
struct Tree<'a> {
    root: &'a Path,
    target_dir: Option<&'a Path>,
}

fn cargo(tree: &Tree<'_>, args: &[&str]) -> Result<Duration, Error> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let mut command = Command::new(cargo);
    // As a dependency, cargo builds `antom` without incremental
    // compilation: that is the build an integrator waits for.
    command
        .args(args)
        .current_dir(tree.root)
        .env("CARGO_INCREMENTAL", "0");
    if let Some(dir) = tree.target_dir {
        command.env("CARGO_TARGET_DIR", dir);
    }
    let start = Instant::now();
    let status = command.status().map_err(|source| Error::Spawn {
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

/// One measurement: `cargo clean -p antom` then `cargo check -p antom`
/// with `flags`, after a check that brings the dependencies up to date.
fn check_from_clean(tree: &Tree<'_>, flags: &[&str]) -> Result<Duration, Error> {
    let mut check = vec!["check", "-q", "-p", "antom"];
    check.extend_from_slice(flags);
    cargo(tree, &check)?;
    cargo(tree, &["clean", "-q", "-p", "antom"])?;
    cargo(tree, &check)
}

fn median(times: &[Duration]) -> Duration {
    let mut sorted = times.to_vec();
    sorted.sort();
    sorted[sorted.len() / 2]
}

fn listed(times: &[Duration]) -> String {
    let listed: Vec<String> = times
        .iter()
        .map(|t| format!("{:.2}", t.as_secs_f64()))
        .collect();
    listed.join(", ")
}

fn ratio(a: Duration, b: Duration) -> f64 {
    a.as_secs_f64() / b.as_secs_f64().max(f64::EPSILON)
}

/// A checkout of `rev` under `target/bench-against/`, removed when dropped.
struct Checkout {
    root: std::path::PathBuf,
    dir: std::path::PathBuf,
}

impl Checkout {
    fn new(root: &Path, rev: &str) -> Result<Self, Error> {
        let dir = root.join("target/bench-against/tree");
        let git = |args: &[&str]| -> Result<(), Error> {
            let failed = |detail: String| Error::Checkout {
                rev: rev.to_owned(),
                args: args.join(" "),
                detail,
            };
            match crate::git::run(root, args, None) {
                Ok(Ok(_)) => Ok(()),
                Ok(Err(stderr)) => Err(failed(stderr)),
                Err(e) => Err(failed(e.to_string())),
            }
        };
        // A checkout left by an interrupted run goes first.
        let dir_arg = dir.to_string_lossy().into_owned();
        let _ = git(&["worktree", "remove", "--force", &dir_arg]);
        let _ = std::fs::remove_dir_all(&dir);
        git(&["worktree", "add", "--detach", "--force", &dir_arg, rev])?;
        Ok(Checkout {
            root: root.to_owned(),
            dir,
        })
    }
}

impl Drop for Checkout {
    fn drop(&mut self) {
        let dir = self.dir.to_string_lossy();
        let _ = crate::git::run(&self.root, &["worktree", "remove", "--force", &dir], None);
    }
}

/// Runs `cargo check -p antom` (non-incremental) `runs` times per feature
/// set right after `cargo clean -p antom` (with the dependencies checked
/// just before), and reports every time, the median and its ratio to the default's. With
/// `against`, the default features of that revision's `antom` are measured
/// too, each run right before the default's, and their ratio reported. Run
/// it on an otherwise idle machine.
pub fn check_time(root: &Path, runs: u32, against: Option<&str>) -> Result<String, Error> {
    let runs = runs.max(1);
    let here = Tree {
        root,
        target_dir: None,
    };
    let mut out = String::new();
    let mut default_median = None;
    let reference = match against {
        Some(rev) => {
            let checkout = Checkout::new(root, rev)?;
            let target_dir = root.join("target/bench-against/target");
            let tree = Tree {
                root: &checkout.dir,
                target_dir: Some(&target_dir),
            };
            let (mut theirs, mut ours) = (Vec::new(), Vec::new());
            for _ in 0..runs {
                theirs.push(check_from_clean(&tree, &[])?);
                ours.push(check_from_clean(&here, &[])?);
            }
            Some((rev, theirs, ours))
        }
        None => None,
    };
    for (label, flags) in FEATURE_SETS {
        let times = match (&reference, flags.is_empty()) {
            (Some((_, _, ours)), true) => ours.clone(),
            _ => (0..runs)
                .map(|_| check_from_clean(&here, flags))
                .collect::<Result<_, _>>()?,
        };
        let median = median(&times);
        let base = *default_median.get_or_insert(median);
        let _ = writeln!(
            out,
            "{label:<32} median {:.2} s ({:.2}x the default; runs: {} s)",
            median.as_secs_f64(),
            ratio(median, base),
            listed(&times)
        );
    }
    if let (Some((rev, theirs, _)), Some(ours)) = (&reference, default_median) {
        let theirs_median = median(theirs);
        let _ = writeln!(
            out,
            "default at {rev:<21} median {:.2} s (the default is {:.2}x it; runs: {} s)",
            theirs_median.as_secs_f64(),
            ratio(ours, theirs_median),
            listed(theirs)
        );
    }
    let _ = writeln!(
        out,
        "target: the default no slower than before the whole API (--against a55576b)"
    );
    Ok(out)
}
