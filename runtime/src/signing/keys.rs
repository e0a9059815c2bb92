//! RSA key loading: merchant private keys and Antom public keys.
//!
//! Accepted forms:
//! - private keys: PKCS#8 (`PRIVATE KEY`) or PKCS#1 (`RSA PRIVATE KEY`) DER, as
//!   PEM or as bare base64 (the one-line form the Antom dashboard shows;
//!   whitespace and line breaks inside it are ignored). The PEM label is only a
//!   hint: a PKCS#8 body under an `RSA PRIVATE KEY` label (as the Python SDK
//!   builds it) loads too.
//! - public keys: X.509 SubjectPublicKeyInfo (`PUBLIC KEY`) or PKCS#1
//!   (`RSA PUBLIC KEY`) DER, as PEM or bare base64.
//!
//! Surrounding quotes and literal `\n` escapes (as keys often appear in
//! `.env` files and environment variables) are undone first.
//!
//! Keys of 2048 to 4096 bits are accepted, on every backend alike, and the
//! size is checked when the key is loaded (Antom uses RSA-2048; ring refuses
//! smaller keys; a larger key makes every verification cost tens of
//! milliseconds to seconds, which a response or notification must not be
//! able to impose). Private key material never appears in `Debug`, `Display` or
//! in any error.

use std::fmt;
use std::str::FromStr;

use base64::Engine as _;
use rsa::pkcs1::{DecodeRsaPrivateKey, DecodeRsaPublicKey, EncodeRsaPublicKey};
use rsa::pkcs8::{DecodePrivateKey, DecodePublicKey, EncodePublicKey};
use rsa::traits::PublicKeyParts;
use sha2::{Digest, Sha256};

/// Smallest accepted modulus size, in bits.
pub const MIN_KEY_BITS: usize = 2048;

/// Largest accepted modulus size, in bits.
pub const MAX_KEY_BITS: usize = 4096;

/// Why a key could not be loaded. Never contains key material.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeyError {
    /// The input was empty or only whitespace.
    #[error("the {expected} is empty")]
    Empty {
        /// What was expected (`private key`, `public key`).
        expected: &'static str,
    },
    /// The input is neither PEM nor base64.
    #[error("the {expected} is neither PEM nor base64 ({detail}); expected {forms}")]
    NotBase64 {
        /// What was expected.
        expected: &'static str,
        /// The accepted forms.
        forms: &'static str,
        /// Where decoding stopped (no key material).
        detail: String,
    },
    /// The PEM armour is broken (missing END line, ...).
    #[error("malformed PEM for the {expected}: {detail}")]
    BadPem {
        /// What was expected.
        expected: &'static str,
        /// What is wrong.
        detail: String,
    },
    /// A public key was given where a private key was expected.
    #[error(
        "this looks like a public key; a private key was expected (the merchant private key, PKCS#8 or PKCS#1)"
    )]
    PublicGivenForPrivate,
    /// A private key was given where a public key was expected.
    #[error(
        "this looks like a private key; a public key was expected (the Antom public key from the dashboard, SPKI)"
    )]
    PrivateGivenForPublic,
    /// A passphrase-protected key (`ENCRYPTED PRIVATE KEY`, or PKCS#1 with
    /// `Proc-Type: 4,ENCRYPTED`).
    #[error("the private key is encrypted; encrypted keys are not supported, decrypt it first (openssl pkey -in encrypted.pem -out plain.pem)")]
    Encrypted,
    /// A certificate was given instead of a key.
    #[error("this is a certificate; a bare {expected} was expected")]
    Certificate {
        /// What was expected.
        expected: &'static str,
    },
    /// The DER structure is not an RSA key of an accepted form.
    #[error("not a valid RSA {expected}: expected {forms}")]
    NotRsaKey {
        /// What was expected.
        expected: &'static str,
        /// The accepted forms.
        forms: &'static str,
    },
    /// The key's size is outside [`MIN_KEY_BITS`]..=[`MAX_KEY_BITS`].
    #[error("the {expected} has {bits} bits; keys of {min} to {max} bits are accepted", min = MIN_KEY_BITS, max = MAX_KEY_BITS)]
    UnsupportedSize {
        /// What was expected.
        expected: &'static str,
        /// The key's modulus size.
        bits: usize,
    },
    /// The key cannot be used by a crypto backend.
    #[error("the {backend} backend rejected the {expected}: {detail}")]
    Backend {
        /// The backend name.
        backend: &'static str,
        /// What was expected.
        expected: &'static str,
        /// The backend's reason.
        detail: String,
    },
}

const PRIVATE: &str = "private key";
const PUBLIC: &str = "public key";
const PRIVATE_FORMS: &str =
    "PKCS#8 or PKCS#1 RSA private key, as PEM or bare base64 of the DER bytes";
const PUBLIC_FORMS: &str =
    "X.509 SubjectPublicKeyInfo (or PKCS#1) RSA public key, as PEM or bare base64 of the DER bytes";

/// The decoded DER bytes of a key text, and the PEM label if it was PEM.
struct Decoded {
    der: Vec<u8>,
    label: Option<String>,
}

fn b64_lenient() -> base64::engine::GeneralPurpose {
    base64::engine::GeneralPurpose::new(
        &base64::alphabet::STANDARD,
        base64::engine::GeneralPurposeConfig::new()
            .with_decode_padding_mode(base64::engine::DecodePaddingMode::Indifferent),
    )
}

/// Undoes what configuration files and environment variables commonly do to
/// a key: surrounding quotes and literal `\n` escapes instead of line breaks.
fn unwrap_config_text(text: &str) -> std::borrow::Cow<'_, str> {
    let mut t = text.trim();
    for q in ['"', '\''] {
        if t.len() >= 2 && t.starts_with(q) && t.ends_with(q) {
            t = t[1..t.len() - 1].trim();
        }
    }
    if t.contains("\\n") {
        std::borrow::Cow::Owned(t.replace("\\r\\n", "\n").replace("\\n", "\n"))
    } else {
        std::borrow::Cow::Borrowed(t)
    }
}

fn decode_text(
    text: &str,
    expected: &'static str,
    forms: &'static str,
) -> Result<Decoded, KeyError> {
    let unwrapped = unwrap_config_text(text);
    let trimmed = unwrapped.trim();
    if trimmed.is_empty() {
        return Err(KeyError::Empty { expected });
    }
    if let Some(rest) = trimmed.strip_prefix("-----BEGIN ") {
        // The label is judged on the BEGIN line alone and never echoed unless
        // it is a well-formed label: a broken BEGIN line must not drag key
        // material into the error text.
        let malformed_begin = || KeyError::BadPem {
            expected,
            detail: "the BEGIN line is not of the form `-----BEGIN <LABEL>-----` \
                     (for example `-----BEGIN PRIVATE KEY-----`)"
                .into(),
        };
        let begin_line = rest.lines().next().unwrap_or_default();
        let label_end = begin_line.find("-----").ok_or_else(malformed_begin)?;
        let label = begin_line[..label_end].trim().to_owned();
        if !is_pem_label(&label) {
            return Err(malformed_begin());
        }
        // `begin_line` is a prefix of `rest`, so the offset carries over.
        let after = &rest[label_end + "-----".len()..];
        let end_marker = format!("-----END {label}-----");
        let body = after.split(&end_marker).next().unwrap_or_default();
        if !after.contains(&end_marker) {
            return Err(KeyError::BadPem {
                expected,
                detail: format!("no `{end_marker}` line"),
            });
        }
        // RFC 1421 headers: `Proc-Type: 4,ENCRYPTED` marks an encrypted
        // (traditional OpenSSL) key; other headers are skipped.
        if body
            .lines()
            .any(|l| l.trim_start().starts_with("Proc-Type:") && l.contains("ENCRYPTED"))
        {
            return Err(KeyError::Encrypted);
        }
        let b64: String = body
            .lines()
            .filter(|l| !l.contains(':'))
            .flat_map(|l| l.chars())
            .filter(|c| !c.is_whitespace())
            .collect();
        let der = b64_lenient()
            .decode(b64.as_bytes())
            .map_err(|e| KeyError::BadPem {
                expected,
                detail: format!("body is not base64: {e}"),
            })?;
        return Ok(Decoded {
            der,
            label: Some(label),
        });
    }
    let b64: String = trimmed.chars().filter(|c| !c.is_whitespace()).collect();
    let der = b64_lenient()
        .decode(b64.as_bytes())
        .map_err(|e| KeyError::NotBase64 {
            expected,
            forms,
            detail: e.to_string(),
        })?;
    Ok(Decoded { der, label: None })
}

/// A PEM label as RFC 7468 writes them: upper-case words (`PRIVATE KEY`,
/// `RSA PUBLIC KEY`), at most 64 characters.
fn is_pem_label(label: &str) -> bool {
    !label.is_empty()
        && label.len() <= 64
        && label
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b' ' || b == b'#')
}

fn check_label(label: Option<&str>, expected: &'static str) -> Result<(), KeyError> {
    match label {
        Some("ENCRYPTED PRIVATE KEY") => Err(KeyError::Encrypted),
        Some(l) if l.contains("CERTIFICATE") => Err(KeyError::Certificate { expected }),
        Some("PUBLIC KEY" | "RSA PUBLIC KEY") if expected == PRIVATE => {
            Err(KeyError::PublicGivenForPrivate)
        }
        Some("PRIVATE KEY" | "RSA PRIVATE KEY") if expected == PUBLIC => {
            Err(KeyError::PrivateGivenForPublic)
        }
        _ => Ok(()),
    }
}

/// Refuses a modulus size outside [`MIN_KEY_BITS`]..=[`MAX_KEY_BITS`].
fn check_size(expected: &'static str, bits: usize) -> Result<(), KeyError> {
    if (MIN_KEY_BITS..=MAX_KEY_BITS).contains(&bits) {
        Ok(())
    } else {
        Err(KeyError::UnsupportedSize { expected, bits })
    }
}

/// The modulus size of an SPKI or PKCS#1 RSA public key, read from its DER
/// structure without the `rsa` crate's size limit.
fn public_modulus_bits(der: &[u8]) -> Option<usize> {
    use rsa::pkcs1::der::Decode;
    let pkcs1 = |bytes: &[u8]| {
        let key = rsa::pkcs1::RsaPublicKey::from_der(bytes).ok()?;
        let modulus = key.modulus.as_bytes();
        let first = *modulus.first()?;
        Some(modulus.len() * 8 - first.leading_zeros() as usize)
    };
    pkcs1(der).or_else(|| {
        let spki = rsa::pkcs8::SubjectPublicKeyInfoRef::try_from(der).ok()?;
        pkcs1(spki.subject_public_key.raw_bytes())
    })
}

fn parse_public_der(der: &[u8]) -> Option<rsa::RsaPublicKey> {
    rsa::RsaPublicKey::from_public_key_der(der)
        .ok()
        .or_else(|| rsa::RsaPublicKey::from_pkcs1_der(der).ok())
}

fn parse_private_der(der: &[u8]) -> Option<rsa::RsaPrivateKey> {
    rsa::RsaPrivateKey::from_pkcs8_der(der)
        .ok()
        .or_else(|| rsa::RsaPrivateKey::from_pkcs1_der(der).ok())
}

/// A merchant RSA private key, used to sign requests.
///
/// `Debug` prints only the key size: `PrivateKey { bits: 2048, .. }`.
#[derive(Clone)]
pub struct PrivateKey {
    pub(crate) rsa: rsa::RsaPrivateKey,
    pub(crate) signing_key: rsa::pkcs1v15::SigningKey<Sha256>,
    #[cfg(feature = "ring")]
    pub(crate) ring: std::sync::Arc<ring::rsa::KeyPair>,
    #[cfg(feature = "aws-lc")]
    pub(crate) aws_lc: std::sync::Arc<aws_lc_rs::signature::RsaKeyPair>,
    public: PublicKey,
}

impl PrivateKey {
    /// Loads a private key from PEM (PKCS#8 or PKCS#1) or bare base64 of the
    /// DER (whitespace ignored).
    pub fn from_pem_or_base64(text: &str) -> Result<Self, KeyError> {
        let decoded = decode_text(text, PRIVATE, PRIVATE_FORMS)?;
        check_label(decoded.label.as_deref(), PRIVATE)?;
        Self::from_der(&decoded.der)
    }

    /// Loads a private key from PKCS#8 or PKCS#1 DER bytes.
    pub fn from_der(der: &[u8]) -> Result<Self, KeyError> {
        let key = match parse_private_der(der) {
            Some(k) => k,
            None if parse_public_der(der).is_some() => return Err(KeyError::PublicGivenForPrivate),
            None => {
                return Err(KeyError::NotRsaKey {
                    expected: PRIVATE,
                    forms: PRIVATE_FORMS,
                })
            }
        };
        check_size(PRIVATE, key.size() * 8)?;
        key.validate().map_err(|_| KeyError::NotRsaKey {
            expected: PRIVATE,
            forms: PRIVATE_FORMS,
        })?;
        let public = PublicKey::from_rsa(rsa::RsaPublicKey::from(&key))?;
        // The fast backends load the key once, here, from its PKCS#1 DER.
        #[cfg(any(feature = "ring", feature = "aws-lc"))]
        let pkcs1 = {
            use rsa::pkcs1::EncodeRsaPrivateKey;
            key.to_pkcs1_der().map_err(|_| KeyError::NotRsaKey {
                expected: PRIVATE,
                forms: PRIVATE_FORMS,
            })?
        };
        #[cfg(feature = "ring")]
        let ring =
            std::sync::Arc::new(ring::rsa::KeyPair::from_der(pkcs1.as_bytes()).map_err(|e| {
                KeyError::Backend {
                    backend: "ring",
                    expected: PRIVATE,
                    detail: e.to_string(),
                }
            })?);
        #[cfg(feature = "aws-lc")]
        let aws_lc = std::sync::Arc::new(
            aws_lc_rs::signature::RsaKeyPair::from_der(pkcs1.as_bytes()).map_err(|e| {
                KeyError::Backend {
                    backend: "aws-lc",
                    expected: PRIVATE,
                    detail: e.to_string(),
                }
            })?,
        );
        Ok(PrivateKey {
            signing_key: rsa::pkcs1v15::SigningKey::new(key.clone()),
            rsa: key,
            #[cfg(feature = "ring")]
            ring,
            #[cfg(feature = "aws-lc")]
            aws_lc,
            public,
        })
    }

    /// Modulus size in bits.
    pub fn bits(&self) -> usize {
        self.rsa.size() * 8
    }

    /// The matching public key (what the merchant uploads to the dashboard).
    pub fn public_key(&self) -> &PublicKey {
        &self.public
    }
}

impl fmt::Debug for PrivateKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PrivateKey")
            .field("bits", &self.bits())
            .finish_non_exhaustive()
    }
}

impl FromStr for PrivateKey {
    type Err = KeyError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        PrivateKey::from_pem_or_base64(s)
    }
}

/// An RSA public key: the Antom public key (to verify responses and
/// notifications) or a merchant public key (to verify requests, as a mock
/// gateway does).
///
/// `Debug` prints the size and the SHA-256 fingerprint of the SPKI DER.
#[derive(Clone)]
pub struct PublicKey {
    pub(crate) rsa: rsa::RsaPublicKey,
    pub(crate) verifying_key: rsa::pkcs1v15::VerifyingKey<Sha256>,
    /// PKCS#1 `RSAPublicKey` DER (the form ring verifies with).
    pub(crate) pkcs1_der: Vec<u8>,
    spki_der: Vec<u8>,
}

impl PublicKey {
    /// Loads a public key from PEM (`PUBLIC KEY` or `RSA PUBLIC KEY`) or bare
    /// base64 of SPKI (or PKCS#1) DER (whitespace ignored).
    pub fn from_pem_or_base64(text: &str) -> Result<Self, KeyError> {
        let decoded = decode_text(text, PUBLIC, PUBLIC_FORMS)?;
        check_label(decoded.label.as_deref(), PUBLIC)?;
        Self::from_der(&decoded.der)
    }

    /// Loads a public key from SPKI or PKCS#1 DER bytes.
    pub fn from_der(der: &[u8]) -> Result<Self, KeyError> {
        match parse_public_der(der) {
            Some(k) => Self::from_rsa(k),
            None if parse_private_der(der).is_some() => Err(KeyError::PrivateGivenForPublic),
            // The `rsa` decoder refuses moduli above 4096 bits without
            // saying why; read the size from the DER to say so. A key of an
            // accepted size that still does not decode is malformed.
            None => {
                if let Some(bits) = public_modulus_bits(der) {
                    check_size(PUBLIC, bits)?;
                }
                Err(KeyError::NotRsaKey {
                    expected: PUBLIC,
                    forms: PUBLIC_FORMS,
                })
            }
        }
    }

    fn from_rsa(key: rsa::RsaPublicKey) -> Result<Self, KeyError> {
        check_size(PUBLIC, key.size() * 8)?;
        let bad = |_| KeyError::NotRsaKey {
            expected: PUBLIC,
            forms: PUBLIC_FORMS,
        };
        let pkcs1_der = key.to_pkcs1_der().map_err(bad)?.into_vec();
        let spki_der = key
            .to_public_key_der()
            .map_err(|_| KeyError::NotRsaKey {
                expected: PUBLIC,
                forms: PUBLIC_FORMS,
            })?
            .into_vec();
        Ok(PublicKey {
            verifying_key: rsa::pkcs1v15::VerifyingKey::new(key.clone()),
            rsa: key,
            pkcs1_der,
            spki_der,
        })
    }

    /// Modulus size in bits.
    pub fn bits(&self) -> usize {
        self.rsa.size() * 8
    }

    /// PKCS#1 `RSAPublicKey` DER bytes.
    pub fn pkcs1_der(&self) -> &[u8] {
        &self.pkcs1_der
    }

    /// SPKI DER bytes.
    pub fn spki_der(&self) -> &[u8] {
        &self.spki_der
    }

    /// Bare one-line base64 of the SPKI DER (the dashboard form).
    pub fn to_base64(&self) -> String {
        base64::engine::general_purpose::STANDARD.encode(&self.spki_der)
    }

    /// Lower-case hex SHA-256 of the SPKI DER: compare it with the key shown
    /// in the dashboard to catch "my own public key configured as Antom's".
    pub fn fingerprint(&self) -> String {
        let digest = Sha256::digest(&self.spki_der);
        digest.iter().map(|b| format!("{b:02x}")).collect()
    }
}

impl PartialEq for PublicKey {
    fn eq(&self, other: &Self) -> bool {
        self.spki_der == other.spki_der
    }
}

impl Eq for PublicKey {}

impl fmt::Debug for PublicKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let fp = self.fingerprint();
        f.debug_struct("PublicKey")
            .field("bits", &self.bits())
            .field("sha256", &&fp[..16])
            .finish_non_exhaustive()
    }
}

impl FromStr for PublicKey {
    type Err = KeyError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        PublicKey::from_pem_or_base64(s)
    }
}
