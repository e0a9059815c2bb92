//! `antom spec check` and `antom spec schema`: a spec directory of one's own
//! (extensions of Antom's, for `antom_api!`), validated as the generator
//! validates it, and the JSON Schema editors check its files against.

use std::path::PathBuf;

use clap::{Args, Subcommand};

use crate::Exit;

/// `antom spec ...`.
#[derive(Debug, Subcommand)]
pub enum SpecCommand {
    /// Validate a spec directory: every error and warning, each with
    /// `file:line:col` (exit 0 valid, 1 invalid).
    Check(CheckArgs),
    /// Print (or write) the JSON Schema of a spec file, for editors; a spec
    /// file names it with `# yaml-language-server: $schema=<path>`.
    Schema(SchemaArgs),
}

/// `antom spec check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// The spec directory (every `*.yaml` below it).
    dir: PathBuf,
}

/// `antom spec schema`.
#[derive(Debug, Args)]
pub struct SchemaArgs {
    /// Write the schema to this file instead of standard output.
    #[arg(long, short)]
    out: Option<PathBuf>,
}

/// Runs `antom spec`.
pub fn run(command: &SpecCommand) -> Result<Exit, String> {
    match command {
        SpecCommand::Check(args) => check(args),
        SpecCommand::Schema(args) => schema(args),
    }
}

fn check(args: &CheckArgs) -> Result<Exit, String> {
    let checked = antom_spec::check_dir(&args.dir);
    if !checked.diagnostics.is_empty() {
        eprintln!("{}", checked.diagnostics);
    }
    match checked.spec {
        Some(spec) => {
            println!(
                "{}: valid ({} endpoints, {} models, {} enums, {} result codes, {} warning(s))",
                args.dir.display(),
                spec.endpoints.len(),
                spec.models.len(),
                spec.enums.len(),
                spec.result_codes.len(),
                checked.diagnostics.len()
            );
            Ok(Exit::Ok)
        }
        None => Ok(Exit::Failed),
    }
}

fn schema(args: &SchemaArgs) -> Result<Exit, String> {
    let schema = antom_spec::json_schema();
    match &args.out {
        Some(path) => std::fs::write(path, schema)
            .map_err(|e| format!("cannot write {}: {e}", path.display()))?,
        None => print!("{schema}"),
    }
    Ok(Exit::Ok)
}
