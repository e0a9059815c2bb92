//! Running `git`: the spec-diff's revision reader and `bench-check
//! --against`'s checkout both go through [`run`].

use std::io::Write as _;
use std::path::Path;
use std::process::{Command, Stdio};

/// Runs `git args` in `cwd`, feeding it `stdin`: its stdout when it
/// succeeds, its stderr when it fails; `Err` when git could not run.
pub fn run(
    cwd: &Path,
    args: &[&str],
    stdin: Option<Vec<u8>>,
) -> std::io::Result<Result<Vec<u8>, String>> {
    let mut child = Command::new("git")
        .args(args)
        .current_dir(cwd)
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()?;
    // Written from another thread: `cat-file --batch` answers while it reads.
    let writer = match (stdin, child.stdin.take()) {
        (Some(input), Some(mut pipe)) => Some(std::thread::spawn(move || pipe.write_all(&input))),
        _ => None,
    };
    let output = child.wait_with_output()?;
    if let Some(writer) = writer {
        // A failed write shows in git's status and stderr.
        let _ = writer.join();
    }
    Ok(if output.status.success() {
        Ok(output.stdout)
    } else {
        Err(String::from_utf8_lossy(&output.stderr).trim().to_owned())
    })
}
