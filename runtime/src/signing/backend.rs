//! Crypto backends: RSASSA-PKCS1-v1_5 with SHA-256.
//!
//! PKCS#1 v1.5 signatures are deterministic, so every backend produces
//! byte-identical signatures for the same key and message.

use super::keys::{PrivateKey, PublicKey};

/// A crypto failure while signing (never contains key material).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the {backend} backend failed to sign: {detail}")]
pub struct CryptoError {
    /// The backend name.
    pub backend: &'static str,
    /// The backend's reason.
    pub detail: String,
}

/// One implementation of RSASSA-PKCS1-v1_5/SHA-256.
pub trait CryptoBackend: Send + Sync {
    /// Short name (`rsa`, `ring`, `aws-lc`).
    fn name(&self) -> &'static str;
    /// Signs `message` (the whole content to sign; hashing is done here).
    fn sign(&self, key: &PrivateKey, message: &[u8]) -> Result<Vec<u8>, CryptoError>;
    /// Whether `signature` is a valid signature of `message` under `key`.
    fn verify(&self, key: &PublicKey, message: &[u8], signature: &[u8]) -> bool;
}

/// The pure-Rust backend (RustCrypto `rsa` crate), always available.
///
/// Signing uses blinding (`sign_with_rng`); the output is still the
/// deterministic PKCS#1 v1.5 signature. The `rsa` 0.9 line carries advisory
/// RUSTSEC-2023-0071 (a timing side channel on private-key operations, the
/// "Marvin" attack, mainly relevant to decryption, which this crate never
/// does); servers that sign on shared hardware may prefer the constant-time
/// `ring` backend, which is also about three times faster (see
/// `BENCHMARKS.md`).
#[derive(Debug, Clone, Copy, Default)]
pub struct RsaBackend;

impl CryptoBackend for RsaBackend {
    fn name(&self) -> &'static str {
        "rsa"
    }

    fn sign(&self, key: &PrivateKey, message: &[u8]) -> Result<Vec<u8>, CryptoError> {
        use rsa::signature::{RandomizedSigner, SignatureEncoding};
        let sig = key
            .signing_key
            .try_sign_with_rng(&mut rand::rngs::OsRng, message)
            .map_err(|e| CryptoError {
                backend: "rsa",
                detail: e.to_string(),
            })?;
        Ok(sig.to_vec())
    }

    fn verify(&self, key: &PublicKey, message: &[u8], signature: &[u8]) -> bool {
        use rsa::signature::Verifier;
        let Ok(sig) = rsa::pkcs1v15::Signature::try_from(signature) else {
            return false;
        };
        key.verifying_key.verify(message, &sig).is_ok()
    }
}

/// The `ring` backend (feature `ring`).
#[cfg(feature = "ring")]
#[derive(Debug, Clone, Copy, Default)]
pub struct RingBackend;

#[cfg(feature = "ring")]
impl CryptoBackend for RingBackend {
    fn name(&self) -> &'static str {
        "ring"
    }

    fn sign(&self, key: &PrivateKey, message: &[u8]) -> Result<Vec<u8>, CryptoError> {
        let pair = &key.ring;
        let mut sig = vec![0u8; pair.public().modulus_len()];
        let rng = ring::rand::SystemRandom::new();
        pair.sign(&ring::signature::RSA_PKCS1_SHA256, &rng, message, &mut sig)
            .map_err(|e| CryptoError {
                backend: "ring",
                detail: e.to_string(),
            })?;
        Ok(sig)
    }

    fn verify(&self, key: &PublicKey, message: &[u8], signature: &[u8]) -> bool {
        ring::signature::UnparsedPublicKey::new(
            &ring::signature::RSA_PKCS1_2048_8192_SHA256,
            &key.pkcs1_der,
        )
        .verify(message, signature)
        .is_ok()
    }
}

/// The `aws-lc-rs` backend (feature `aws-lc`): AWS-LC's C and assembly RSA.
///
/// Verification is the fastest of the backends (about 1.1× `openssl speed`
/// on x86-64, see `BENCHMARKS.md`); it parses the public key's PKCS#1 DER on
/// each call, as the `ring` backend does.
///
/// [`PrivateKey`] loads the AWS-LC key pair once, when it is parsed, so a
/// signature costs only the RSA operation.
///
/// AWS-LC signs with blinding and constant-time modular exponentiation; the
/// output is the deterministic PKCS#1 v1.5 signature, byte-identical to the
/// other backends'.
#[cfg(feature = "aws-lc")]
#[derive(Debug, Clone, Copy, Default)]
pub struct AwsLcBackend;

#[cfg(feature = "aws-lc")]
impl CryptoBackend for AwsLcBackend {
    fn name(&self) -> &'static str {
        "aws-lc"
    }

    fn sign(&self, key: &PrivateKey, message: &[u8]) -> Result<Vec<u8>, CryptoError> {
        let pair = &key.aws_lc;
        let mut sig = vec![0u8; pair.public_modulus_len()];
        let rng = aws_lc_rs::rand::SystemRandom::new();
        pair.sign(
            &aws_lc_rs::signature::RSA_PKCS1_SHA256,
            &rng,
            message,
            &mut sig,
        )
        .map_err(|e| CryptoError {
            backend: "aws-lc",
            detail: e.to_string(),
        })?;
        Ok(sig)
    }

    fn verify(&self, key: &PublicKey, message: &[u8], signature: &[u8]) -> bool {
        let Ok(parsed) = aws_lc_rs::signature::ParsedPublicKey::new(
            &aws_lc_rs::signature::RSA_PKCS1_2048_8192_SHA256,
            &key.pkcs1_der,
        ) else {
            return false;
        };
        parsed.verify_sig(message, signature).is_ok()
    }
}

/// Selects a crypto backend. `Backend::default()` is `Backend::Ring` when
/// the `ring` feature is on (the default), else [`Backend::Rsa`]. Every
/// backend makes byte-identical signatures and accepts the same keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Backend {
    /// Pure-Rust RustCrypto `rsa`.
    Rsa,
    /// `ring` (feature `ring`).
    #[cfg(feature = "ring")]
    Ring,
    /// `aws-lc-rs` (feature `aws-lc`).
    #[cfg(feature = "aws-lc")]
    AwsLc,
}

impl Default for Backend {
    fn default() -> Self {
        #[cfg(feature = "ring")]
        return Backend::Ring;
        #[cfg(not(feature = "ring"))]
        return Backend::Rsa;
    }
}

impl Backend {
    /// Every backend compiled into this build.
    pub fn all() -> &'static [Backend] {
        &[
            Backend::Rsa,
            #[cfg(feature = "ring")]
            Backend::Ring,
            #[cfg(feature = "aws-lc")]
            Backend::AwsLc,
        ]
    }

    /// The backend implementation.
    pub fn implementation(self) -> &'static dyn CryptoBackend {
        match self {
            Backend::Rsa => &RsaBackend,
            #[cfg(feature = "ring")]
            Backend::Ring => &RingBackend,
            #[cfg(feature = "aws-lc")]
            Backend::AwsLc => &AwsLcBackend,
        }
    }

    /// Short name (`rsa`, `ring`, `aws-lc`).
    pub fn name(self) -> &'static str {
        self.implementation().name()
    }

    /// Parses a backend name (`rsa`, `ring`, `aws-lc`) among the backends
    /// compiled into this build.
    pub fn from_name(name: &str) -> Option<Backend> {
        Backend::all().iter().copied().find(|b| b.name() == name)
    }
}

impl CryptoBackend for Backend {
    fn name(&self) -> &'static str {
        self.implementation().name()
    }
    fn sign(&self, key: &PrivateKey, message: &[u8]) -> Result<Vec<u8>, CryptoError> {
        self.implementation().sign(key, message)
    }
    fn verify(&self, key: &PublicKey, message: &[u8], signature: &[u8]) -> bool {
        self.implementation().verify(key, message, signature)
    }
}
