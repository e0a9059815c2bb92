//! `antom codes explain`: what the spec knows about a result or event code.

use antom::{ResultCode, SdkEventCode};
use clap::Subcommand;

use crate::Exit;

/// `antom codes …`.
#[derive(Debug, Subcommand)]
pub enum CodesCommand {
    /// Explain a result code (e.g. CAPTURE_IN_PROCESS) or an SDK event code
    /// (e.g. SDK_PAYMENT_FAIL).
    Explain {
        /// The code.
        code: String,
    },
}

pub fn run(cmd: &CodesCommand) -> Result<Exit, String> {
    match cmd {
        CodesCommand::Explain { code } => Ok(explain(code.trim())),
    }
}

fn explain(code: &str) -> Exit {
    // Codes are SCREAMING_SNAKE_CASE; accept any case and `-` for `_`.
    let code = &code.to_ascii_uppercase().replace('-', "_");
    let mut found = false;
    if let Ok(rc) = ResultCode::try_parse(code) {
        found = true;
        print!("{}", explain_result_code(&rc));
    }
    if let Ok(ev) = SdkEventCode::try_parse(code) {
        if found {
            println!();
        }
        found = true;
        print!("{}", explain_event_code(&ev));
    }
    if found {
        Exit::Ok
    } else {
        if let Some(near) = nearest(code) {
            eprintln!("did you mean `{near}`?");
        }
        eprintln!(
            "`{code}` is not in the spec. Unknown result codes are handled by status: \
             U → unknown (retry with the same request id or inquire), F → failed (contact support)."
        );
        Exit::Failed
    }
}

/// The known code nearest `code` (within a third of its length in edits).
fn nearest(code: &str) -> Option<&'static str> {
    let known = antom::codes::ResultCode::KNOWN
        .iter()
        .map(|c| c.as_str())
        .chain(antom::codes::SdkEventCode::KNOWN.iter().map(|c| c.as_str()));
    known
        .map(|k| (edit_distance(code, k), k))
        .filter(|(d, _)| *d <= code.len().max(3) / 3)
        .min()
        .map(|(_, k)| k)
}

/// Levenshtein distance over bytes (codes are ASCII).
fn edit_distance(a: &str, b: &str) -> usize {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != cb)).min(row[j] + 1).min(cur + 1);
            prev = cur;
        }
    }
    row[b.len()]
}

fn line(out: &mut String, label: &str, value: impl std::fmt::Display) {
    out.push_str(&format!("{label:<15}{value}\n"));
}

fn explain_result_code(rc: &ResultCode) -> String {
    let mut out = String::new();
    line(&mut out, "result code", rc.as_str());
    if let Some(status) = rc.status() {
        line(&mut out, "status", status.as_str());
    }
    if let Some(action) = rc.action() {
        let retry = if rc.is_retryable() {
            "retry with the same request id / inquire"
        } else {
            "do not retry this request"
        };
        line(&mut out, "action", format!("{action} ({retry})"));
    }
    if let Some(scope) = rc.scope() {
        line(&mut out, "scope", scope);
    }
    for (label, text) in [
        ("message", rc.message_en()),
        ("message zh", rc.message_zh()),
        ("suggestion", rc.suggestion_en()),
        ("suggestion zh", rc.suggestion_zh()),
    ] {
        if let Some(t) = text {
            line(&mut out, label, t);
        }
    }
    // Where the meaning differs per endpoint, say so.
    let mut listed = Vec::new();
    for ep in antom::endpoints::ALL {
        if let Some(info) = ep.code_info(rc.as_str()) {
            listed.push((ep.name, info.action));
        }
    }
    if listed.len() == antom::endpoints::ALL.len() {
        line(&mut out, "returned by", "every endpoint (gateway-wide)");
    } else if !listed.is_empty() {
        let names: Vec<String> = listed
            .iter()
            .map(|(name, action)| match rc.action() {
                Some(a) if a != *action => format!("{name} (action {action})"),
                _ => (*name).to_owned(),
            })
            .collect();
        line(&mut out, "returned by", names.join(", "));
    }
    out
}

fn explain_event_code(ev: &SdkEventCode) -> String {
    let mut out = String::new();
    line(&mut out, "event code", ev.as_str());
    if let Some(group) = ev.group() {
        line(&mut out, "group", group);
    }
    if let Some(cb) = ev.callback() {
        line(&mut out, "callback", cb);
    }
    for (label, text) in [
        ("meaning", ev.description_en()),
        ("meaning zh", ev.description_zh()),
        ("action", ev.action_en()),
        ("action zh", ev.action_zh()),
    ] {
        if let Some(t) = text {
            line(&mut out, label, t);
        }
    }
    if let Some(new) = ev.replaced_by() {
        line(
            &mut out,
            "deprecated",
            format!("use {} instead", new.as_str()),
        );
    }
    out
}
