//! `cargo xtask drift --refresh VERSION`: download a release of the SDK and
//! write its inventory. The only step of the drift audit that uses the
//! network.
//!
//! The download goes through pip (`python3 -m pip download`, or `$PYTHON`),
//! PyPI's own client, rather than an HTTP client in xtask: pip already
//! honours the maintainer's index, proxy and certificate settings, checks
//! the file against the hash the index publishes, and keeps xtask's cold
//! build free of an HTTP and TLS stack for a command run once per SDK
//! release. The same interpreter's standard library unpacks the wheel
//! (`python3 -m zipfile -e`, which refuses absolute and `..` member names)
//! and pip hashes it (`pip hash`), so the refresh needs Python and pip and
//! nothing else. Only wheels are read: for an sdist pip would run the
//! package's build to read its metadata, and the audit never runs SDK code.

use std::fmt;
use std::path::{Path, PathBuf};
use std::process::Command;

use super::extract::{self, Release, SOURCE_ROOT};
use super::inventory::Inventory;
use super::{inventory_files, inventory_path, Error, DRIFT_DIR, PACKAGE};

/// What a refresh wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Written {
    /// The inventory written, relative to the workspace root.
    pub path: String,
    /// Other inventories removed (the pin moved), relative to the root.
    pub removed: Vec<String>,
    /// The downloaded file and its SHA-256.
    pub file: String,
    /// Its lower-case hex SHA-256.
    pub sha256: String,
    /// Request, model and enum classes found.
    pub counts: (usize, usize, usize),
}

impl fmt::Display for Written {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "refresh: {} (sha256 {}): {} request, {} model and {} enum classes → {}",
            self.file, self.sha256, self.counts.0, self.counts.1, self.counts.2, self.path
        )?;
        for r in &self.removed {
            writeln!(f, "refresh: removed {r} (no longer pinned)")?;
        }
        Ok(())
    }
}

/// A PEP 440 version: digits, letters, `.`, `+`, `!`, `-`, `_`.
pub fn check_version(version: &str) -> Result<(), Error> {
    let ok = !version.is_empty()
        && version
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphanumeric())
        && version
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || ".+!-_".contains(c));
    if ok {
        Ok(())
    } else {
        Err(Error::Package {
            file: format!("{PACKAGE}=={version}"),
            message: "not a release version (expected something like `1.7.1`)".to_owned(),
        })
    }
}

/// A scratch directory removed when dropped.
struct Scratch(PathBuf);

impl Scratch {
    fn new() -> Result<Scratch, Error> {
        let stamp = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        let dir = std::env::temp_dir().join(format!("xtask-drift-{}-{stamp}", std::process::id()));
        std::fs::create_dir_all(&dir).map_err(|source| Error::Io {
            path: dir.display().to_string(),
            source,
        })?;
        Ok(Scratch(dir))
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn python() -> String {
    std::env::var("PYTHON").unwrap_or_else(|_| "python3".to_owned())
}

/// Runs `python args...`; returns its standard output.
fn run_python(args: &[&str]) -> Result<String, Error> {
    let py = python();
    let command = format!("{py} {}", args.join(" "));
    let out = Command::new(&py)
        .args(args)
        .output()
        .map_err(|e| Error::Command {
            command: command.clone(),
            status: format!("could not start: {e}; set PYTHON to a Python 3 with pip"),
            stderr: String::new(),
        })?;
    if !out.status.success() {
        let stderr = String::from_utf8_lossy(&out.stderr);
        let tail: Vec<&str> = stderr.lines().rev().take(15).collect();
        return Err(Error::Command {
            command,
            status: out.status.to_string(),
            stderr: tail.into_iter().rev().collect::<Vec<_>>().join("\n"),
        });
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// Downloads the wheel of `PACKAGE==version` into `dir`; returns its path.
fn download(dir: &Path, version: &str) -> Result<PathBuf, Error> {
    let dest = dir.display().to_string();
    let requirement = format!("{PACKAGE}=={version}");
    run_python(&[
        "-m",
        "pip",
        "download",
        "--no-deps",
        "--only-binary=:all:",
        "--dest",
        &dest,
        &requirement,
    ])?;
    let mut wheels = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(|source| Error::Io {
        path: dest.clone(),
        source,
    })? {
        let path = entry
            .map_err(|source| Error::Io {
                path: dest.clone(),
                source,
            })?
            .path();
        if path.extension().is_some_and(|e| e == "whl") {
            wheels.push(path);
        }
    }
    match wheels.as_slice() {
        [one] => Ok(one.clone()),
        _ => Err(Error::Package {
            file: dest,
            message: format!(
                "pip left {} wheel(s) for {requirement}, expected one",
                wheels.len()
            ),
        }),
    }
}

/// The SHA-256 of `file`, from `pip hash`.
fn sha256(file: &Path) -> Result<String, Error> {
    let path = file.display().to_string();
    let out = run_python(&["-m", "pip", "hash", "--algorithm", "sha256", &path])?;
    out.lines()
        .find_map(|l| l.trim().strip_prefix("--hash=sha256:"))
        .map(|h| h.trim().to_ascii_lowercase())
        .filter(|h| h.len() == 64)
        .ok_or_else(|| Error::Package {
            file: path,
            message: format!("`pip hash` printed no sha256: {out:?}"),
        })
}

/// The directory `SOURCE_ROOT` inside `dir` (or one level below, for
/// archives that wrap everything in a top directory).
fn find_sources(dir: &Path) -> Result<PathBuf, Error> {
    let direct = dir.join(SOURCE_ROOT);
    if direct.is_dir() {
        return Ok(direct);
    }
    if let Ok(entries) = std::fs::read_dir(dir) {
        let mut subdirs: Vec<PathBuf> = entries
            .flatten()
            .map(|e| e.path().join(SOURCE_ROOT))
            .filter(|p| p.is_dir())
            .collect();
        subdirs.sort();
        if let Some(first) = subdirs.into_iter().next() {
            return Ok(first);
        }
    }
    Err(Error::Package {
        file: dir.display().to_string(),
        message: format!("the package has no `{SOURCE_ROOT}` directory: is it {PACKAGE}?"),
    })
}

/// Downloads `version`, extracts its inventory, writes it to
/// `spec/drift/<PACKAGE>-<version>.json` and removes the other versions'
/// inventories.
pub fn refresh(root: &Path, version: &str) -> Result<Written, Error> {
    check_version(version)?;
    let scratch = Scratch::new()?;
    let wheel = download(&scratch.0.join("download"), version)?;
    let sha256 = sha256(&wheel)?;
    let file = wheel
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let unpacked = scratch.0.join("unpacked");
    run_python(&[
        "-m",
        "zipfile",
        "-e",
        &wheel.display().to_string(),
        &unpacked.display().to_string(),
    ])?;
    let files = extract::read_tree(&find_sources(&unpacked)?)?;
    let release = Release {
        package: PACKAGE.to_owned(),
        version: version.to_owned(),
        file: file.clone(),
        sha256: sha256.clone(),
    };
    let inventory = extract::extract(&release, &files);
    write(root, &inventory)
}

/// Writes `inventory` as the pinned one (see [`refresh`]). A release's
/// files never change on PyPI, so an inventory of the same version that
/// records another file hash is an error rather than overwritten.
pub fn write(root: &Path, inventory: &Inventory) -> Result<Written, Error> {
    let rel = inventory_path(&inventory.version);
    let path = root.join(&rel);
    if let Ok(old) = std::fs::read_to_string(&path) {
        let recorded = serde_json::from_str::<serde_json::Value>(&old)
            .ok()
            .and_then(|v| {
                Some((
                    v.get("file")?.as_str()?.to_owned(),
                    v.get("sha256")?.as_str()?.to_owned(),
                ))
            });
        if let Some((old_file, old_sha)) = recorded {
            if old_sha != inventory.sha256 {
                return Err(Error::Package {
                    file: inventory.file.clone(),
                    message: format!(
                        "sha256 {} differs from the {} (sha256 {old_sha}) that {rel} was read from; a release's files do not change, so check the index, or delete {rel} to accept the new file",
                        inventory.sha256, old_file
                    ),
                });
            }
        }
    }
    let dir = root.join(DRIFT_DIR);
    std::fs::create_dir_all(&dir).map_err(|source| Error::Io {
        path: DRIFT_DIR.to_owned(),
        source,
    })?;
    std::fs::write(&path, inventory.to_json()).map_err(|source| Error::Io {
        path: rel.clone(),
        source,
    })?;
    let mine = format!("{PACKAGE}-{}.json", inventory.version);
    let mut removed = Vec::new();
    for other in inventory_files(&dir)? {
        if other != mine {
            let other_rel = format!("{DRIFT_DIR}/{other}");
            std::fs::remove_file(dir.join(&other)).map_err(|source| Error::Io {
                path: other_rel.clone(),
                source,
            })?;
            removed.push(other_rel);
        }
    }
    Ok(Written {
        path: rel,
        removed,
        file: inventory.file.clone(),
        sha256: inventory.sha256.clone(),
        counts: (
            inventory.requests.len(),
            inventory.models.len(),
            inventory.enums.len(),
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_are_checked_before_anything_runs() {
        assert!(check_version("1.7.1").is_ok());
        assert!(check_version("2.0.0rc1").is_ok());
        for bad in ["", "-r", "1.0 ; rm", "../x", "1/2"] {
            let e = check_version(bad).unwrap_err().to_string();
            assert!(e.contains("not a release version"), "{bad}: {e}");
        }
    }

    #[test]
    fn writing_pins_one_release_and_refuses_a_changed_file() {
        let root = std::env::temp_dir().join(format!("xtask-drift-write-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        let dir = root.join(DRIFT_DIR);
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join(format!("{PACKAGE}-0.9.0.json")), "{}").unwrap();
        std::fs::write(dir.join("exclusions.yaml"), "exclusions: []\n").unwrap();

        let mut inv = crate::drift::audit::tests::inventory();
        inv.version = "1.0.0".into();
        let w = write(&root, &inv).unwrap();
        assert_eq!(w.path, format!("{DRIFT_DIR}/{PACKAGE}-1.0.0.json"));
        assert_eq!(w.removed, [format!("{DRIFT_DIR}/{PACKAGE}-0.9.0.json")]);
        assert!(dir.join("exclusions.yaml").exists());
        assert_eq!(
            crate::drift::pinned_inventory(&root).unwrap(),
            format!("{DRIFT_DIR}/{PACKAGE}-1.0.0.json")
        );

        inv.sha256 = "1".repeat(64);
        let e = write(&root, &inv).unwrap_err().to_string();
        assert!(e.contains("differs from the x.whl"), "{e}");
        let _ = std::fs::remove_dir_all(&root);
    }
}
