//! `antom`: a command-line tool for integrators debugging Antom signatures,
//! calls, notifications and result codes.
//!
//! Place in the data path: a shell over the generated crate and the runtime
//! (generated → runtime), for people at a terminal.
//!
//! Exit codes: 0 success / valid; 1 failed / invalid; 2 unknown outcome (retry
//! with the same request id or inquire); 3 security or usage error.

mod call;
mod codes;
mod input;
mod keys;
mod notify;
mod sign;
mod spec;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Process exit statuses shared by every subcommand.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// Success, or a valid signature.
    Ok = 0,
    /// A failed call, or an invalid signature.
    Failed = 1,
    /// The outcome of a call is unknown.
    Unknown = 2,
    /// Security or usage error.
    Usage = 3,
}

impl From<Exit> for ExitCode {
    fn from(e: Exit) -> Self {
        ExitCode::from(e as u8)
    }
}

#[derive(Debug, Parser)]
#[command(
    name = "antom",
    version,
    about = "Sign, verify and call the Antom API; explain its codes"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Print the `Signature` header value for a request.
    Sign(sign::SignArgs),
    /// Check a `Signature` header value (exit 0 valid, 1 invalid).
    Verify(sign::VerifyArgs),
    /// Call an endpoint through the real client and print the outcome as JSON.
    Call(call::CallArgs),
    /// Notification tools.
    #[command(subcommand)]
    Notify(notify::NotifyCommand),
    /// Result-code and SDK event-code tools.
    #[command(subcommand)]
    Codes(codes::CodesCommand),
    /// Key tools: which key is whose, do two keys pair.
    #[command(subcommand)]
    Keys(keys::KeysCommand),
    /// Spec tools: validate a spec directory, write the spec format's JSON Schema.
    #[command(subcommand)]
    Spec(spec::SpecCommand),
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() {
                Exit::Usage
            } else {
                Exit::Ok
            };
            // Printing help/usage can only fail on a closed stdout/stderr.
            let _ = e.print();
            return code.into();
        }
    };
    let result = match cli.command {
        Command::Sign(args) => sign::sign(&args),
        Command::Verify(args) => sign::verify(&args),
        Command::Call(args) => call::call(&args),
        Command::Keys(command) => keys::run(&command),
        Command::Notify(cmd) => notify::run(&cmd),
        Command::Codes(cmd) => codes::run(&cmd),
        Command::Spec(cmd) => spec::run(&cmd),
    };
    match result {
        Ok(exit) => exit.into(),
        // A usage, key or security error.
        Err(message) => {
            eprintln!("error: {message}");
            Exit::Usage.into()
        }
    }
}
