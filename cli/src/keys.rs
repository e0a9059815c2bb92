//! `antom keys check`: which key is which, and whether two keys form a pair.

use std::path::{Path, PathBuf};

use antom_runtime::{PrivateKey, PublicKey};
use clap::{Args, Subcommand};

use crate::{input, Exit};

/// `antom keys ...`.
#[derive(Debug, Subcommand)]
pub enum KeysCommand {
    /// Fingerprint keys, say which is whose, and whether a private and a
    /// public key form a pair (exit 0 when everything given is usable).
    Check(CheckArgs),
}

/// `antom keys check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Key files (PEM or bare base64; private or public, in any order).
    #[arg(required = true, num_args = 1..)]
    keys: Vec<PathBuf>,
}

enum Loaded {
    Private(Box<PrivateKey>),
    Public(Box<PublicKey>),
}

fn load(path: &Path) -> Result<Loaded, String> {
    let private = input::private_key(path);
    match private {
        Ok(k) => Ok(Loaded::Private(Box::new(k))),
        Err(private_error) => input::public_key(path)
            .map(|k| Loaded::Public(Box::new(k)))
            .map_err(|public_error| {
                format!(
                    "{}: neither a private key ({private_error}) nor a public key ({public_error})",
                    path.display()
                )
            }),
    }
}

/// Runs `antom keys`.
pub fn run(command: &KeysCommand) -> Result<Exit, String> {
    match command {
        KeysCommand::Check(args) => check(args),
    }
}

fn check(args: &CheckArgs) -> Result<Exit, String> {
    let loaded: Vec<(String, Loaded)> = args
        .keys
        .iter()
        .map(|p| Ok((p.display().to_string(), load(p)?)))
        .collect::<Result<_, String>>()?;
    for (name, key) in &loaded {
        match key {
            Loaded::Private(k) => println!(
                "{name}: private key, RSA {} bits; its public half sha256:{}\n  a private key is always yours (the merchant's): it signs requests; Antom never gives you one",
                k.bits(),
                k.public_key().fingerprint()
            ),
            Loaded::Public(k) => println!(
                "{name}: public key, RSA {} bits, sha256:{}",
                k.bits(),
                k.fingerprint()
            ),
        }
    }
    let privates = loaded.iter().filter_map(|(n, k)| match k {
        Loaded::Private(p) => Some((n, p)),
        Loaded::Public(_) => None,
    });
    for (pn, private) in privates {
        for (name, key) in &loaded {
            let Loaded::Public(public) = key else {
                continue;
            };
            if **public == *private.public_key() {
                println!(
                    "{name} is the public half of {pn}: YOUR public key (upload it to Antom). It is not Antom's public key: configured to verify responses and notifications, every one of them fails with a signature mismatch"
                );
            } else {
                println!(
                    "{name} does not pair with {pn}: it is someone else's public key; if it is the one Antom's dashboard shows as Antom's, configure it to verify responses and notifications"
                );
            }
        }
    }
    let mut seen: Vec<(bool, String, &str)> = Vec::new();
    for (name, key) in &loaded {
        let (private, fingerprint) = match key {
            Loaded::Private(k) => (true, k.public_key().fingerprint()),
            Loaded::Public(k) => (false, k.fingerprint()),
        };
        if let Some((_, _, first)) = seen
            .iter()
            .find(|(p, f, _)| *p == private && *f == fingerprint)
        {
            println!("{name} is the same key as {first}");
        }
        seen.push((private, fingerprint, name));
    }
    Ok(Exit::Ok)
}
