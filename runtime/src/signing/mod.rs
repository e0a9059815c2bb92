//! Antom request signing and signature verification.
//!
//! The content to sign (and to verify) is, as UTF-8 bytes with no trailing
//! newline:
//!
//! ```text
//! <METHOD> <path>\n<client-id>.<time>.<body bytes>
//! ```
//!
//! signed with RSASSA-PKCS1-v1_5/SHA-256, encoded as standard base64 and then
//! percent-encoded (upper-case hex, everything but unreserved characters:
//! `+`→`%2B`, `/`→`%2F`, `=`→`%3D`), and sent as
//! `Signature: algorithm=RSA256,keyVersion=1,signature=<value>`.
//!
//! Every stage is exposed ([`sign_explained`], [`verify_explained`]) so that a
//! failing signature can be debugged step by step.

mod backend;
pub mod forensics;
pub mod keys;

use std::fmt;
use std::str::FromStr;

use base64::Engine as _;
use percent_encoding::{percent_decode_str, utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

#[cfg(feature = "aws-lc")]
pub use backend::AwsLcBackend;
#[cfg(feature = "ring")]
pub use backend::RingBackend;
pub use backend::{Backend, CryptoBackend, CryptoError, RsaBackend};
pub use keys::{KeyError, PrivateKey, PublicKey, MAX_KEY_BITS, MIN_KEY_BITS};

/// The only algorithm Antom supports (SHA256withRSA).
pub const ALGORITHM_RSA256: &str = "RSA256";

/// The key version every official SDK sends by default.
pub const DEFAULT_KEY_VERSION: u32 = 1;

/// Characters left as-is by the percent-encoding: RFC 3986 unreserved
/// (`A-Z a-z 0-9 - . _ ~`). Base64 output only ever needs `+ / =` encoded.
const ENCODE_SET: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Builds the exact bytes to sign or verify:
/// `<method> <path>\n<client_id>.<time>.<body>`.
pub fn content_to_sign(
    method: &str,
    path: &str,
    client_id: &str,
    time: &str,
    body: &[u8],
) -> Vec<u8> {
    let mut out = Vec::with_capacity(
        method.len() + path.len() + client_id.len() + time.len() + body.len() + 4,
    );
    out.extend_from_slice(method.as_bytes());
    out.push(b' ');
    out.extend_from_slice(path.as_bytes());
    out.push(b'\n');
    out.extend_from_slice(client_id.as_bytes());
    out.push(b'.');
    out.extend_from_slice(time.as_bytes());
    out.push(b'.');
    out.extend_from_slice(body);
    out
}

/// Standard base64 (with `=` padding, no line breaks).
pub fn encode_base64(signature: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(signature)
}

/// Percent-encodes a base64 signature like Java's `URLEncoder` (upper-case
/// hex).
pub fn percent_encode(value: &str) -> String {
    utf8_percent_encode(value, ENCODE_SET).to_string()
}

/// Decodes a `signature=` value: percent-decoding (hex in either case; a `+`
/// stays a `+`, never a space), then canonical standard base64 (with its `=`
/// padding, no stray characters, no non-zero trailing bits). A value without
/// `%` is therefore accepted as raw base64 when it is canonical.
pub fn decode_signature_value(value: &str) -> Result<Vec<u8>, SignatureFormatError> {
    let value = value.trim();
    if value.is_empty() {
        return Err(SignatureFormatError::EmptySignature);
    }
    let decoded = percent_decode_str(value)
        .decode_utf8()
        .map_err(|_| SignatureFormatError::BadPercentEncoding)?;
    base64::engine::general_purpose::STANDARD
        .decode(decoded.as_bytes())
        .map_err(|e| SignatureFormatError::BadBase64(e.to_string()))
}

/// A malformed `Signature` header or signature value.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SignatureFormatError {
    /// The header has no `signature=` pair.
    #[error("the Signature header has no `signature=` pair (expected `algorithm=RSA256,keyVersion=1,signature=...`)")]
    MissingSignature,
    /// The signature value is empty.
    #[error("the signature value is empty")]
    EmptySignature,
    /// A pair appears twice.
    #[error("the Signature header has `{0}` twice")]
    Duplicate(String),
    /// A pair without `=`.
    #[error("the Signature header has a part without `=`: `{0}`")]
    BadPair(String),
    /// An algorithm other than `RSA256`.
    #[error("unsupported signature algorithm `{0}`; Antom only uses RSA256 (SHA256withRSA)")]
    UnsupportedAlgorithm(String),
    /// Percent-decoding does not yield UTF-8.
    #[error("the signature value is not valid percent-encoding")]
    BadPercentEncoding,
    /// The decoded value is not base64.
    #[error("the signature value is not base64 after percent-decoding: {0}")]
    BadBase64(String),
}

/// A parsed or to-be-sent `Signature` header.
///
/// Parsing is lenient where Antom's own senders differ and exact where they
/// do not: pairs in any order, spaces around pairs and `=` (the documentation
/// writes a space after each comma), unknown pairs ignored, `algorithm`
/// defaults to `RSA256` when absent, `signature` is everything after its
/// first `=` (so a raw base64 value keeps its padding). Parameter names are
/// exact, as every official SDK matches them: `Signature=` is not
/// `signature=`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignatureHeader {
    /// `RSA256`.
    pub algorithm: String,
    /// `keyVersion`, kept verbatim (`None` when absent).
    pub key_version: Option<String>,
    /// The signature value as sent (usually percent-encoded base64).
    pub signature: String,
}

impl SignatureHeader {
    /// A header for `encoded_signature` (already percent-encoded).
    pub fn new(key_version: u32, encoded_signature: String) -> Self {
        SignatureHeader {
            algorithm: ALGORITHM_RSA256.to_owned(),
            key_version: Some(key_version.to_string()),
            signature: encoded_signature,
        }
    }

    /// Parses a header value.
    pub fn parse(header: &str) -> Result<Self, SignatureFormatError> {
        let mut algorithm = None;
        let mut key_version = None;
        let mut signature = None;
        for part in header.split(',') {
            let part = part.trim();
            if part.is_empty() {
                continue;
            }
            let (k, v) = part
                .split_once('=')
                .ok_or_else(|| SignatureFormatError::BadPair(truncate(part)))?;
            let (k, v) = (k.trim(), v.trim());
            let slot = if k == "algorithm" {
                &mut algorithm
            } else if k == "keyVersion" {
                &mut key_version
            } else if k == "signature" {
                &mut signature
            } else {
                continue;
            };
            if slot.is_some() {
                return Err(SignatureFormatError::Duplicate(k.to_owned()));
            }
            *slot = Some(v.to_owned());
        }
        let algorithm = algorithm.unwrap_or_else(|| ALGORITHM_RSA256.to_owned());
        if !algorithm.eq_ignore_ascii_case(ALGORITHM_RSA256) {
            return Err(SignatureFormatError::UnsupportedAlgorithm(truncate(
                &algorithm,
            )));
        }
        let signature = signature.ok_or(SignatureFormatError::MissingSignature)?;
        if signature.is_empty() {
            return Err(SignatureFormatError::EmptySignature);
        }
        Ok(SignatureHeader {
            algorithm,
            key_version,
            signature,
        })
    }

    /// Whether `header` is well-formed but for an empty `signature=` value:
    /// Antom's unsigned replies look like that, so it counts as unsigned, not
    /// as a forged signature. Judged by [`SignatureHeader::parse`], so any
    /// other defect still makes the header malformed.
    pub fn has_empty_signature(header: &str) -> bool {
        matches!(
            SignatureHeader::parse(header),
            Err(SignatureFormatError::EmptySignature)
        )
    }

    /// The raw signature bytes (percent- then base64-decoded).
    pub fn signature_bytes(&self) -> Result<Vec<u8>, SignatureFormatError> {
        decode_signature_value(&self.signature)
    }
}

fn truncate(s: &str) -> String {
    s.chars().take(40).collect()
}

impl fmt::Display for SignatureHeader {
    /// `algorithm=RSA256,keyVersion=1,signature=...` (no spaces, as the SDKs
    /// send it).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "algorithm={}", self.algorithm)?;
        if let Some(v) = &self.key_version {
            write!(f, ",keyVersion={v}")?;
        }
        write!(f, ",signature={}", self.signature)
    }
}

impl FromStr for SignatureHeader {
    type Err = SignatureFormatError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        SignatureHeader::parse(s)
    }
}

/// Every stage of a signature computation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignatureExplain {
    /// The exact bytes that were signed.
    pub content: Vec<u8>,
    /// The raw RSA signature.
    pub signature: Vec<u8>,
    /// Standard base64 of the signature.
    pub base64: String,
    /// Percent-encoded base64 (the `signature=` value).
    pub encoded: String,
    /// The full `Signature` header value.
    pub header: String,
}

impl SignatureExplain {
    /// The signed content as text (lossy for non-UTF-8 bodies).
    pub fn content_text(&self) -> String {
        String::from_utf8_lossy(&self.content).into_owned()
    }
}

/// What to sign: method, path, client id, time and body.
#[derive(Debug, Clone, Copy)]
pub struct SignInput<'a> {
    /// HTTP method (`POST`).
    pub method: &'a str,
    /// The path that is called (the sandbox path in sandbox).
    pub path: &'a str,
    /// `Client-Id`.
    pub client_id: &'a str,
    /// `Request-Time` (or `Response-Time`) exactly as sent.
    pub time: &'a str,
    /// The exact body bytes sent.
    pub body: &'a [u8],
}

impl SignInput<'_> {
    /// [`content_to_sign`] for this input.
    pub fn content(&self) -> Vec<u8> {
        content_to_sign(self.method, self.path, self.client_id, self.time, self.body)
    }
}

/// Signs and returns every stage (content, raw signature, base64, encoded
/// value, header).
pub fn sign_explained(
    backend: Backend,
    key: &PrivateKey,
    key_version: u32,
    input: &SignInput<'_>,
) -> Result<SignatureExplain, CryptoError> {
    let content = input.content();
    let signature = backend.sign(key, &content)?;
    let base64 = encode_base64(&signature);
    let encoded = percent_encode(&base64);
    let header = SignatureHeader::new(key_version, encoded.clone()).to_string();
    Ok(SignatureExplain {
        content,
        signature,
        base64,
        encoded,
        header,
    })
}

/// Signs with the default backend and returns the `Signature` header value.
pub fn sign(
    key: &PrivateKey,
    key_version: u32,
    input: &SignInput<'_>,
) -> Result<String, CryptoError> {
    Ok(sign_explained(Backend::default(), key, key_version, input)?.header)
}

/// Why a signature did not verify.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum VerifyError {
    /// The header or value is malformed.
    #[error(transparent)]
    Format(#[from] SignatureFormatError),
    /// Well-formed, but the RSA check failed.
    #[error("signature mismatch: the content `{content_preview}` does not verify with public key sha256:{key_fingerprint}; check that the key is the right one (Antom's public key for responses and notifications) and that path, client id, time and raw body are exactly what was sent")]
    Mismatch {
        /// The start of the content that was checked (no secrets: method,
        /// path, client id, time and the start of the body).
        content_preview: String,
        /// The first 16 hex digits of the key's fingerprint.
        key_fingerprint: String,
    },
}

/// Every stage of a verification.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifyExplain {
    /// The exact bytes checked.
    pub content: Vec<u8>,
    /// The parsed header.
    pub header: SignatureHeader,
    /// The decoded signature bytes.
    pub signature: Vec<u8>,
    /// Whether the RSA check passed.
    pub valid: bool,
}

/// Parses `signature_header`, decodes it and checks it over `input`,
/// returning every stage. A malformed header is an error; a well-formed
/// signature that does not match gives `valid: false`.
pub fn verify_explained(
    backend: Backend,
    key: &PublicKey,
    input: &SignInput<'_>,
    signature_header: &str,
) -> Result<VerifyExplain, SignatureFormatError> {
    let header = SignatureHeader::parse(signature_header)?;
    let signature = header.signature_bytes()?;
    let content = input.content();
    let valid = backend.verify(key, &content, &signature);
    Ok(VerifyExplain {
        content,
        header,
        signature,
        valid,
    })
}

/// Verifies a `Signature` header value (`algorithm=RSA256,keyVersion=1,signature=...`)
/// over `input` with the default backend. For a bare signature value, use
/// [`verify_value`].
pub fn verify(
    key: &PublicKey,
    input: &SignInput<'_>,
    signature_header: &str,
) -> Result<(), VerifyError> {
    verify_with(Backend::default(), key, input, signature_header)
}

/// [`verify`] with an explicit backend.
pub fn verify_with(
    backend: Backend,
    key: &PublicKey,
    input: &SignInput<'_>,
    signature_header: &str,
) -> Result<(), VerifyError> {
    let e = verify_explained(backend, key, input, signature_header)?;
    if e.valid {
        Ok(())
    } else {
        Err(mismatch(key, &e.content))
    }
}

/// Verifies a bare signature value (percent-encoded or raw base64).
pub fn verify_value(
    backend: Backend,
    key: &PublicKey,
    input: &SignInput<'_>,
    signature_value: &str,
) -> Result<(), VerifyError> {
    let sig = decode_signature_value(signature_value)?;
    let content = input.content();
    if backend.verify(key, &content, &sig) {
        Ok(())
    } else {
        Err(mismatch(key, &content))
    }
}

pub(crate) fn mismatch(key: &PublicKey, content: &[u8]) -> VerifyError {
    let text = String::from_utf8_lossy(content);
    let mut preview: String = text.chars().take(120).collect();
    if text.chars().count() > 120 {
        preview.push('…');
    }
    VerifyError::Mismatch {
        content_preview: preview.escape_debug().to_string(),
        key_fingerprint: key.fingerprint()[..16].to_owned(),
    }
}
