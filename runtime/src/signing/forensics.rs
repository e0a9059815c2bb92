//! "Why does my signature not verify?", answered.
//!
//! An RSA public key opens a PKCS#1 v1.5 signature: `s^e mod n` gives the
//! padded SHA-256 digest that was signed. So one public-key operation tells
//! whether the key is the signer's at all (the padding is well-formed only
//! for the signer's key), and which content was signed: the digest of every
//! likely variant of the content (the other environment's path, the body
//! re-serialised, the other client id, the time in another form, ...) is
//! compared with the recovered one, without another RSA operation.

use rsa::traits::PublicKeyParts;
use rsa::BigUint;
use sha2::{Digest, Sha256};

use super::{content_to_sign, PublicKey, SignInput, SignatureFormatError, SignatureHeader};
use crate::protocol::SandboxRule;

/// The DER prefix of a SHA-256 `DigestInfo` in a PKCS#1 v1.5 signature.
const SHA256_DIGEST_INFO: [u8; 19] = [
    0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x05,
    0x00, 0x04, 0x20,
];

/// The SHA-256 digest a signature was made over, when `key` opens it: `None`
/// when the key is not the signer's (or the signature bytes were altered).
pub fn recover_digest(key: &PublicKey, signature: &[u8]) -> Option<[u8; 32]> {
    let n = key.rsa.n();
    let k = n.bits().div_ceil(8);
    if signature.len() != k {
        return None;
    }
    let s = BigUint::from_bytes_be(signature);
    if &s >= n {
        return None;
    }
    let m = s.modpow(key.rsa.e(), n).to_bytes_be();
    // EM = 0x00 0x01 FF..FF 0x00 DigestInfo H; `to_bytes_be` drops the
    // leading zero.
    let mut em = vec![0u8; k.checked_sub(m.len())?];
    em.extend_from_slice(&m);
    let rest = em.strip_prefix(&[0x00, 0x01])?;
    let pad = rest.iter().take_while(|b| **b == 0xff).count();
    let rest = rest.get(pad..)?.strip_prefix(&[0x00])?;
    let digest = rest.strip_prefix(&SHA256_DIGEST_INFO[..])?;
    if pad < 8 || digest.len() != 32 {
        return None;
    }
    digest.try_into().ok()
}

/// One way the content that was signed can differ from the content checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Difference {
    /// The other environment's path (sandbox for production or the reverse).
    Path(String),
    /// The path without its query string.
    PathWithoutQuery(String),
    /// The body in another form: `compact` or `pretty` JSON, `trimmed`, with
    /// a `trailing newline`, `LF line endings`.
    Body(&'static str),
    /// Another client id (the header's, or with/without `SANDBOX_`).
    ClientId(String),
    /// The time in another form (epoch ms, epoch seconds, ISO 8601).
    Time(String),
    /// Another HTTP method.
    Method(&'static str),
    /// The signature value read raw where it was form-decoded (`+` read as a
    /// space) or the reverse.
    SignatureEncoding,
}

impl std::fmt::Display for Difference {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Difference::Path(p) => write!(f, "the path `{p}` (the other environment's)"),
            Difference::PathWithoutQuery(p) => write!(f, "the path without its query, `{p}`"),
            Difference::Body(form) => write!(f, "the body as {form}"),
            Difference::ClientId(c) => write!(f, "the client id `{c}`"),
            Difference::Time(t) => write!(f, "the time `{t}`"),
            Difference::Method(m) => write!(f, "the method {m}"),
            Difference::SignatureEncoding => write!(
                f,
                "a signature value whose `+` became a space (not percent-encoded, then form-decoded)"
            ),
        }
    }
}

/// What [`diagnose`] found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Diagnosis {
    /// The signature verifies over exactly the content given.
    Valid,
    /// The signature was made over the content with these differences.
    SignedOver {
        /// What differs, fewest first.
        differences: Vec<Difference>,
        /// The content that was signed.
        content: Vec<u8>,
    },
    /// The key is the signer's, but none of the variants tried is the
    /// content signed.
    UnknownContent {
        /// The digest the signature was made over (hex).
        digest: String,
        /// How many contents were tried.
        tried: usize,
    },
    /// The key is not the signer's: the signature opens with the key named
    /// here (one of the other keys given), or with none of them.
    OtherKey {
        /// The name of the key that opens it, if any.
        opens_with: Option<String>,
    },
    /// The header or value does not parse.
    Malformed(SignatureFormatError),
}

impl std::fmt::Display for Diagnosis {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Diagnosis::Valid => f.write_str("valid: the signature verifies over exactly this content"),
            Diagnosis::SignedOver { differences, .. } => {
                let list: Vec<String> = differences.iter().map(|d| d.to_string()).collect();
                write!(f, "the signature was made over {}", list.join(", and "))
            }
            Diagnosis::UnknownContent { digest, tried } => write!(
                f,
                "the key is the signer's, but the signed content is none of the {tried} variants tried (SHA-256 {digest}): compare the exact bytes of path, client id, time and body"
            ),
            Diagnosis::OtherKey { opens_with: Some(name) } => write!(
                f,
                "this key is not the signer's: the signature was made with {name}"
            ),
            Diagnosis::OtherKey { opens_with: None } => f.write_str(
                "this key is not the signer's (or the signature was altered): no key given opens it; for responses and notifications use Antom's public key, for requests the merchant's",
            ),
            Diagnosis::Malformed(e) => write!(f, "the Signature header is malformed: {e}"),
        }
    }
}

/// Explains why `signature_header` does (not) verify over `input` with
/// `key`: names the variant of the content that was signed, or says that
/// the key is not the signer's and, among `other_keys` (name, key), which is.
/// `header_client_id` is the `client-id` header, when it differs from
/// `input.client_id`; `sandbox` is the spec's sandbox rule (the generated
/// crate's `SANDBOX_RULE`), whose paths are tried in the other environment.
pub fn diagnose(
    sandbox: &SandboxRule,
    key: &PublicKey,
    other_keys: &[(&str, &PublicKey)],
    input: &SignInput<'_>,
    signature_header: &str,
    header_client_id: Option<&str>,
) -> Diagnosis {
    let header = match SignatureHeader::parse(signature_header) {
        Ok(h) => h,
        Err(e) => return Diagnosis::Malformed(e),
    };
    let mut signatures: Vec<(Vec<u8>, Option<Difference>)> = Vec::new();
    let decoded = header.signature_bytes();
    // A raw base64 value that went through form-decoding has spaces where
    // its `+` were.
    if header.signature.contains(' ') {
        if let Ok(raw) = super::decode_signature_value(&header.signature.replace(' ', "+")) {
            signatures.push((raw, Some(Difference::SignatureEncoding)));
        }
    }
    match decoded {
        Ok(raw) => signatures.insert(0, (raw, None)),
        Err(e) if signatures.is_empty() => return Diagnosis::Malformed(e),
        Err(_) => {}
    }
    for (raw, encoding) in &signatures {
        let Some(digest) = recover_digest(key, raw) else {
            continue;
        };
        let variants = variants(sandbox, input, header_client_id);
        let tried = variants.len();
        for (mut differences, content) in variants {
            if Sha256::digest(&content).as_slice() == digest {
                differences.extend(encoding.clone());
                return if differences.is_empty() {
                    Diagnosis::Valid
                } else {
                    Diagnosis::SignedOver {
                        differences,
                        content,
                    }
                };
            }
        }
        return Diagnosis::UnknownContent {
            digest: digest.iter().map(|b| format!("{b:02x}")).collect(),
            tried,
        };
    }
    let opens_with = other_keys
        .iter()
        .find(|(_, k)| {
            signatures
                .iter()
                .any(|(raw, _)| recover_digest(k, raw).is_some())
        })
        .map(|(name, _)| (*name).to_owned());
    Diagnosis::OtherKey { opens_with }
}

/// The contents to try, each with its differences from `input`, fewest
/// differences first (the content as given first of all).
fn variants(
    sandbox: &SandboxRule,
    input: &SignInput<'_>,
    header_client_id: Option<&str>,
) -> Vec<(Vec<Difference>, Vec<u8>)> {
    let paths = alternatives(input.path.to_owned(), path_variants(sandbox, input.path));
    let bodies = alternatives(input.body.to_vec(), body_variants(input.body));
    let clients = alternatives(
        input.client_id.to_owned(),
        client_variants(sandbox, input.client_id, header_client_id),
    );
    let times = alternatives(input.time.to_owned(), time_variants(input.time));
    let methods = alternatives(
        input.method.to_owned(),
        ["POST", "GET"]
            .into_iter()
            .filter(|m| *m != input.method)
            .map(|m| (m.to_owned(), Difference::Method(m)))
            .collect(),
    );
    let mut out = Vec::new();
    for (path, dp) in &paths {
        for (body, db) in &bodies {
            for (client, dc) in &clients {
                for (time, dt) in &times {
                    for (method, dm) in &methods {
                        let differences: Vec<Difference> = [dp, db, dc, dt, dm]
                            .into_iter()
                            .flatten()
                            .cloned()
                            .collect();
                        let content = content_to_sign(method, path, client, time, body);
                        out.push((differences, content));
                    }
                }
            }
        }
    }
    out.sort_by_key(|(d, _)| d.len());
    out
}

/// The value as given (no difference), then each alternative.
fn alternatives<T>(given: T, others: Vec<(T, Difference)>) -> Vec<(T, Option<Difference>)> {
    std::iter::once((given, None))
        .chain(others.into_iter().map(|(v, d)| (v, Some(d))))
        .collect()
}

fn path_variants(sandbox: &SandboxRule, path: &str) -> Vec<(String, Difference)> {
    let mut out = Vec::new();
    let (production, sandboxed) = (sandbox.production_prefix, sandbox.sandbox_prefix);
    let swapped = if path.contains(sandboxed) {
        path.replacen(sandboxed, production, 1)
    } else {
        path.replacen(production, sandboxed, 1)
    };
    if swapped != path {
        out.push((swapped.clone(), Difference::Path(swapped)));
    }
    if let Some((bare, _)) = path.split_once('?') {
        out.push((
            bare.to_owned(),
            Difference::PathWithoutQuery(bare.to_owned()),
        ));
    }
    out
}

fn body_variants(body: &[u8]) -> Vec<(Vec<u8>, Difference)> {
    let mut out: Vec<(Vec<u8>, Difference)> = Vec::new();
    let mut push = |b: Vec<u8>, form: &'static str| {
        if b != body && !out.iter().any(|(x, _)| *x == b) {
            out.push((b, Difference::Body(form)));
        }
    };
    if let Ok(text) = std::str::from_utf8(body) {
        if serde_json::from_str::<serde::de::IgnoredAny>(text).is_ok() {
            // Re-serialised in the order the keys came, as most clients do...
            let compact = minified(text);
            let pretty = indented(&compact);
            push(compact.clone().into_bytes(), "compact JSON");
            push(pretty.clone().into_bytes(), "pretty-printed JSON");
            push(
                format!("{pretty}\n").into_bytes(),
                "pretty-printed JSON with a trailing newline",
            );
            // ... or with sorted keys, as a JSON value type writes it.
            if let Ok(value) = serde_json::from_str::<serde_json::Value>(text) {
                push(
                    value.to_string().into_bytes(),
                    "compact JSON with sorted keys",
                );
                if let Ok(p) = serde_json::to_vec_pretty(&value) {
                    push(p, "pretty-printed JSON with sorted keys");
                }
            }
        }
        push(
            text.trim().as_bytes().to_vec(),
            "trimmed of surrounding whitespace",
        );
        push(
            text.replace("\r\n", "\n").into_bytes(),
            "with LF line endings",
        );
    }
    push([body, b"\n"].concat(), "with a trailing newline");
    out
}

/// Tracks whether a character of JSON text is inside a string literal.
#[derive(Default)]
struct Strings {
    inside: bool,
    escaped: bool,
}

impl Strings {
    /// Whether `c` belongs to a string literal (its quotes included).
    fn take(&mut self, c: char) -> bool {
        if !self.inside {
            self.inside = c == '"';
            return self.inside;
        }
        match (self.escaped, c) {
            (true, _) => self.escaped = false,
            (false, '\\') => self.escaped = true,
            (false, '"') => self.inside = false,
            _ => {}
        }
        true
    }
}

/// `json` without the whitespace between its tokens (key order kept).
fn minified(json: &str) -> String {
    let mut strings = Strings::default();
    json.chars()
        .filter(|c| strings.take(*c) || !c.is_whitespace())
        .collect()
}

/// Compact `json` pretty-printed with two-space indents, as serde_json,
/// Jackson and most pretty printers write it (key order kept).
fn indented(compact: &str) -> String {
    let mut out = String::with_capacity(compact.len() * 2);
    let mut depth = 0usize;
    let mut strings = Strings::default();
    let chars: Vec<char> = compact.chars().collect();
    let newline = |out: &mut String, depth: usize| {
        out.push('\n');
        out.push_str(&"  ".repeat(depth));
    };
    for (i, &c) in chars.iter().enumerate() {
        if strings.take(c) {
            out.push(c);
            continue;
        }
        match c {
            '{' | '[' => {
                out.push(c);
                if matches!(chars.get(i + 1), Some('}' | ']')) {
                    continue;
                }
                depth += 1;
                newline(&mut out, depth);
            }
            '}' | ']' => {
                if !matches!(chars.get(i.wrapping_sub(1)), Some('{' | '[')) || i == 0 {
                    depth = depth.saturating_sub(1);
                    newline(&mut out, depth);
                }
                out.push(c);
            }
            ',' => {
                out.push(c);
                newline(&mut out, depth);
            }
            ':' => out.push_str(": "),
            _ => out.push(c),
        }
    }
    out
}

fn client_variants(
    sandbox: &SandboxRule,
    client_id: &str,
    header: Option<&str>,
) -> Vec<(String, Difference)> {
    let mut out = Vec::new();
    if let Some(h) = header.filter(|h| *h != client_id) {
        out.push((h.to_owned(), Difference::ClientId(h.to_owned())));
    }
    let prefix = sandbox.client_id_prefix;
    let other = match client_id.strip_prefix(prefix) {
        Some(bare) => bare.to_owned(),
        None => format!("{prefix}{client_id}"),
    };
    out.push((other.clone(), Difference::ClientId(other)));
    out
}

fn time_variants(time: &str) -> Vec<(String, Difference)> {
    let mut out = Vec::new();
    let mut push = |t: String| {
        if t != time && !out.iter().any(|(x, _): &(String, Difference)| *x == t) {
            out.push((t.clone(), Difference::Time(t)));
        }
    };
    if let Ok(at) = crate::timestamp::parse(time) {
        let ms = crate::timestamp::epoch_millis(at);
        push(ms.clone());
        if ms.len() > 3 {
            push(ms[..ms.len() - 3].to_owned());
        }
        push(crate::timestamp::format_iso8601(at));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_is_reformatted_in_key_order() {
        let pretty = "{\n  \"b\": [1, {}],\n  \"a\": \"x, y: \\\" z\"\n}";
        let compact = minified(pretty);
        assert_eq!(compact, r#"{"b":[1,{}],"a":"x, y: \" z"}"#);
        let value: serde_json::Value = serde_json::from_str(&compact).unwrap();
        let expected = serde_json::to_string_pretty(&value).unwrap();
        // serde_json sorts the keys of a Value; compare shapes on sorted input.
        let sorted = minified(&expected);
        assert_eq!(indented(&sorted), expected);
        assert_eq!(indented("[]"), "[]");
        assert_eq!(indented("{}"), "{}");
    }

    #[test]
    fn pkcs1_padding_checks_reject_short_and_altered_inputs() {
        let key = PublicKey::from_pem_or_base64(include_str!(
            "../../testdata/keys/antom_public_spki.pem"
        ))
        .unwrap();
        assert_eq!(recover_digest(&key, &[1, 2, 3]), None);
        assert_eq!(recover_digest(&key, &[0xff; 256]), None);
        assert_eq!(recover_digest(&key, &[0x00; 256]), None);
    }
}
