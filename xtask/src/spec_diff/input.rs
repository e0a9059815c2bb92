//! Reading OLD and NEW: a spec directory, or `REV:path`, a directory of a
//! git revision (`HEAD~3:spec/antom`; the path is relative to the
//! repository's root, as in `git show`). An existing directory wins over a
//! `REV:path` reading of the same argument.
//!
//! A revision is read in today's spec format: the spellings earlier formats
//! used are rewritten line for line before loading (so diagnostics keep
//! their line numbers), and each rewrite is reported as a note. The one
//! retired spelling so far is `dedupKey: x` (a notification's single dedup
//! field), which is `dedupKeys: [x]` today.

use std::path::{Path, PathBuf};

use antom_spec::ir::Spec;

use super::Error;

/// Where a spec comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// A directory.
    Dir(PathBuf),
    /// A directory of a git revision.
    Rev {
        /// The revision (`HEAD~3`, a commit hash, a branch).
        rev: String,
        /// The directory in that revision, relative to the repository's root.
        path: String,
    },
}

impl Source {
    /// How `arg` is read, relative to `cwd`.
    pub fn parse(arg: &str, cwd: &Path) -> Source {
        let dir = cwd.join(arg);
        if dir.is_dir() {
            return Source::Dir(dir);
        }
        match arg.split_once(':') {
            Some((rev, path)) if !rev.is_empty() => Source::Rev {
                rev: rev.to_owned(),
                path: path.trim_end_matches('/').to_owned(),
            },
            _ => Source::Dir(dir),
        }
    }
}

/// A loaded spec, with notes on how it was read.
#[derive(Debug, Clone, PartialEq)]
pub struct Loaded {
    /// The spec.
    pub spec: Spec,
    /// What was rewritten to read it in today's format.
    pub notes: Vec<String>,
}

/// Loads the spec `arg` names; `git` runs in `cwd`.
pub fn load(arg: &str, cwd: &Path) -> Result<Loaded, Error> {
    match Source::parse(arg, cwd) {
        Source::Dir(dir) => {
            if !dir.is_dir() {
                return Err(Error::NotFound {
                    input: arg.to_owned(),
                });
            }
            let spec = antom_spec::load_dir(&dir).map_err(|d| Error::Load {
                input: arg.to_owned(),
                diagnostics: d.to_string(),
            })?;
            Ok(Loaded {
                spec,
                notes: Vec::new(),
            })
        }
        Source::Rev { rev, path } => {
            let mut files = read_rev(arg, &rev, &path, cwd)?;
            let mut upgraded = 0;
            for (_, text) in &mut files {
                let (new, n) = upgrade(text);
                *text = new;
                upgraded += n;
            }
            let spec = antom_spec::load_sources(&files).map_err(|d| Error::Load {
                input: arg.to_owned(),
                diagnostics: d.to_string(),
            })?;
            let mut notes = Vec::new();
            if upgraded > 0 {
                notes.push(format!(
                    "{arg}: read in today's spec format: {upgraded} `dedupKey: x` read as `dedupKeys: [x]`"
                ));
            }
            Ok(Loaded { spec, notes })
        }
    }
}

/// [`crate::git::run`], a failure to start git being [`Error::Git`].
fn git(
    cwd: &Path,
    args: &[&str],
    stdin: Option<Vec<u8>>,
) -> Result<Result<Vec<u8>, String>, Error> {
    crate::git::run(cwd, args, stdin).map_err(|source| Error::Git {
        args: args.join(" "),
        source,
    })
}

/// The `*.yaml` files below `path` at `rev`, as `(display path, text)`
/// pairs named `REV:path/file.yaml`.
fn read_rev(
    input: &str,
    rev: &str,
    path: &str,
    cwd: &Path,
) -> Result<Vec<(String, String)>, Error> {
    let commit = format!("{rev}^{{commit}}");
    if let Err(message) = git(cwd, &["rev-parse", "--verify", "--quiet", &commit], None)? {
        return Err(Error::UnknownRev {
            input: input.to_owned(),
            rev: rev.to_owned(),
            message,
        });
    }
    let tree = format!("{rev}:{path}");
    let kind = git(cwd, &["cat-file", "-t", &tree], None)?;
    if kind
        .as_deref()
        .map(|k| String::from_utf8_lossy(k).trim() == "tree")
        != Ok(true)
    {
        return Err(Error::NotInRev {
            input: input.to_owned(),
            rev: rev.to_owned(),
            path: path.to_owned(),
        });
    }
    let listing =
        git(cwd, &["ls-tree", "-r", "-z", &tree], None)?.map_err(|message| Error::GitFailed {
            args: format!("ls-tree -r -z {tree}"),
            message,
        })?;
    // `<mode> SP <type> SP <object> TAB <file>` NUL-separated.
    let mut entries = Vec::new();
    for entry in listing.split(|b| *b == 0).filter(|e| !e.is_empty()) {
        let entry = String::from_utf8_lossy(entry);
        let Some((meta, file)) = entry.split_once('\t') else {
            continue;
        };
        let mut meta = meta.split(' ');
        let (Some(_mode), Some("blob"), Some(object)) = (meta.next(), meta.next(), meta.next())
        else {
            continue;
        };
        if file.ends_with(".yaml") {
            entries.push((file.to_owned(), object.to_owned()));
        }
    }
    entries.sort();
    if entries.is_empty() {
        return Err(Error::Load {
            input: input.to_owned(),
            diagnostics: format!("{tree}: the directory has no `*.yaml` files"),
        });
    }
    let request: String = entries.iter().map(|(_, o)| format!("{o}\n")).collect();
    let batch =
        git(cwd, &["cat-file", "--batch"], Some(request.into_bytes()))?.map_err(|message| {
            Error::GitFailed {
                args: "cat-file --batch".to_owned(),
                message,
            }
        })?;
    // `<object> SP <type> SP <size> LF <contents> LF` per object.
    let mut files = Vec::with_capacity(entries.len());
    let mut rest = batch.as_slice();
    for (file, _) in &entries {
        let bad = || Error::GitFailed {
            args: "cat-file --batch".to_owned(),
            message: format!("unexpected output for {tree}/{file}"),
        };
        let eol = rest.iter().position(|b| *b == b'\n').ok_or_else(bad)?;
        let header = String::from_utf8_lossy(&rest[..eol]).into_owned();
        let size: usize = header
            .rsplit(' ')
            .next()
            .and_then(|s| s.parse().ok())
            .ok_or_else(bad)?;
        let body = rest.get(eol + 1..eol + 1 + size).ok_or_else(bad)?;
        let text = String::from_utf8(body.to_vec()).map_err(|_| Error::Load {
            input: input.to_owned(),
            diagnostics: format!("{tree}/{file}: the file is not valid UTF-8"),
        })?;
        files.push((format!("{tree}/{file}"), text));
        rest = rest.get(eol + 2 + size..).unwrap_or_default();
    }
    Ok(files)
}

/// `text` with the spellings of earlier spec formats rewritten in today's,
/// line for line, and how many lines were rewritten.
pub fn upgrade(text: &str) -> (String, usize) {
    let mut out = String::with_capacity(text.len() + 16);
    let mut count = 0;
    for line in text.split_inclusive('\n') {
        let body = line.trim_end_matches(['\n', '\r']);
        let eol = &line[body.len()..];
        let trimmed = body.trim_start();
        let indent = &body[..body.len() - trimmed.len()];
        let rewritten = trimmed.strip_prefix("dedupKey:").and_then(|rest| {
            let (value, comment) = match rest.split_once(" #") {
                Some((v, c)) => (v, format!(" #{c}")),
                None => (rest, String::new()),
            };
            let value = value.trim();
            let scalar = !value.is_empty() && !value.starts_with(['[', '{', '&', '*', '|', '>']);
            scalar.then(|| format!("{indent}dedupKeys: [{value}]{comment}"))
        });
        match rewritten {
            Some(new) => {
                out.push_str(&new);
                out.push_str(eol);
                count += 1;
            }
            None => out.push_str(line),
        }
    }
    (out, count)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retired_dedup_keys_are_read_as_lists() {
        let old = "notifications:\n  notifyPayment:\n    dedupKey: paymentRequestId\n    dedupKey: x # why\r\n    dedupKeys: [a]\n    doc: a dedupKey: b\n";
        let (new, n) = upgrade(old);
        assert_eq!(n, 2);
        assert_eq!(
            new,
            "notifications:\n  notifyPayment:\n    dedupKeys: [paymentRequestId]\n    dedupKeys: [x] # why\r\n    dedupKeys: [a]\n    doc: a dedupKey: b\n"
        );
        assert_eq!(
            old.lines().count(),
            new.lines().count(),
            "line numbers kept"
        );
        assert_eq!(
            upgrade("dedupKey: [a, b]\n"),
            ("dedupKey: [a, b]\n".to_owned(), 0)
        );
    }

    #[test]
    fn arguments_are_directories_first() {
        let cwd = Path::new(env!("CARGO_MANIFEST_DIR"));
        assert_eq!(Source::parse("src", cwd), Source::Dir(cwd.join("src")));
        assert_eq!(
            Source::parse("HEAD~3:spec/antom/", cwd),
            Source::Rev {
                rev: "HEAD~3".to_owned(),
                path: "spec/antom".to_owned()
            }
        );
        assert_eq!(Source::parse(":x", cwd), Source::Dir(cwd.join(":x")));
    }
}
