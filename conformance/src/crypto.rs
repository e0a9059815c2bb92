//! Signature helpers of the kit, on top of the runtime's signing code.
//!
//! The mock gateway checks requests and signs replies with the same
//! vector-tested implementation as the reference client (`antom-runtime`);
//! independence from an implementation under test comes from the published
//! signature vectors, which both the runtime and this kit reproduce. What the
//! kit adds is the set of encodings real gateways and SDKs produce: lower-case
//! percent-encoding, spaces after commas, raw base64.

pub use antom_runtime::signing::{content_to_sign, SignatureHeader};
pub use antom_runtime::{KeyError, PrivateKey, PublicKey};

use antom_runtime::signing::{self, SignatureFormatError};
use antom_runtime::Backend;

/// Errors of the kit's signature code (never contain key material).
#[derive(Debug, thiserror::Error)]
pub enum CryptoError {
    /// A key could not be decoded.
    #[error(transparent)]
    Key(#[from] KeyError),
    /// The `Signature` header or value is malformed.
    #[error(transparent)]
    Format(#[from] SignatureFormatError),
    /// The signature does not match the content.
    #[error("signature does not verify")]
    Mismatch,
    /// Signing failed.
    #[error(transparent)]
    Sign(#[from] signing::CryptoError),
}

/// Signs `content` (RSASSA-PKCS1-v1_5 / SHA-256), returning standard base64.
pub fn sign_base64(key: &PrivateKey, content: &[u8]) -> Result<String, CryptoError> {
    Ok(signing::encode_base64(
        &Backend::default().implementation().sign(key, content)?,
    ))
}

/// Verifies the value of a `Signature` header over `content`.
pub fn verify_header(key: &PublicKey, content: &[u8], header: &str) -> Result<(), CryptoError> {
    let raw = SignatureHeader::parse(header)?.signature_bytes()?;
    verify_bytes(key, content, &raw)
}

/// Why Antom's gateway would refuse a request's `Signature` header before
/// checking the signature itself.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GatewayHeaderError {
    /// The header does not parse (names, algorithm, pairs).
    #[error("{0}")]
    Format(#[from] SignatureFormatError),
    /// No `keyVersion` pair.
    #[error("the Signature header has no keyVersion (send `algorithm=RSA256,keyVersion=1,signature=...`)")]
    NoKeyVersion,
    /// The value is not valid once form-decoded.
    #[error("the signature value `{shown}` is not valid once form-decoded, as Antom's gateway decodes it (a raw `+` becomes a space): percent-encode the base64 value (`+` as %2B, `/` as %2F, `=` as %3D); Antom answers INVALID_SIGNATURE")]
    NotFormEncoded {
        /// The start of the value.
        shown: String,
    },
}

/// The signature bytes of a request's `Signature` header, read exactly as
/// Antom's gateway reads them: parameter names exact, `algorithm=RSA256`, a
/// `keyVersion`, and the value **form-decoded** (percent escapes in either
/// hex case, `+` meaning a space), then canonical standard base64. A raw
/// base64 value therefore fails as soon as it contains a `+`, which a
/// 2048-bit signature does with probability above 99%.
pub fn gateway_signature_bytes(header: &str) -> Result<Vec<u8>, GatewayHeaderError> {
    let parsed = SignatureHeader::parse(header)?;
    if parsed.key_version.as_deref().is_none_or(str::is_empty) {
        return Err(GatewayHeaderError::NoKeyVersion);
    }
    signing::decode_signature_value(&parsed.signature.replace('+', " ")).map_err(|_| {
        GatewayHeaderError::NotFormEncoded {
            shown: parsed.signature.chars().take(24).collect::<String>() + "...",
        }
    })
}

/// Verifies raw signature bytes over `content` with the merchant key.
pub fn verify_bytes(key: &PublicKey, content: &[u8], signature: &[u8]) -> Result<(), CryptoError> {
    if Backend::default()
        .implementation()
        .verify(key, content, signature)
    {
        Ok(())
    } else {
        Err(CryptoError::Mismatch)
    }
}

/// Parses `algorithm=RSA256,keyVersion=1,signature=...` leniently.
pub fn parse_signature_header(header: &str) -> Result<SignatureHeader, CryptoError> {
    Ok(SignatureHeader::parse(header)?)
}

/// Decodes a signature value (percent-encoded, either hex case, or raw base64).
pub fn decode_signature(value: &str) -> Result<Vec<u8>, CryptoError> {
    Ok(signing::decode_signature_value(value)?)
}

/// Percent-encodes a base64 signature form-style; `lower` gives `%2f`-style hex
/// (what the .NET SDK sends).
pub fn encode_signature(b64: &str, lower: bool) -> String {
    let upper = signing::percent_encode(b64);
    if !lower {
        return upper;
    }
    let mut out = String::with_capacity(upper.len());
    let mut hex_left = 0;
    for ch in upper.chars() {
        if ch == '%' {
            hex_left = 2;
            out.push(ch);
        } else if hex_left > 0 {
            hex_left -= 1;
            out.push(ch.to_ascii_lowercase());
        } else {
            out.push(ch);
        }
    }
    out
}

/// Builds a `Signature` header value, optionally with the spaces after commas
/// that the documentation shows.
pub fn signature_header(encoded_signature: &str, spaces: bool) -> String {
    if spaces {
        format!("algorithm=RSA256, keyVersion=1, signature={encoded_signature}")
    } else {
        format!("algorithm=RSA256,keyVersion=1,signature={encoded_signature}")
    }
}

const MERCHANT_PRIVATE_PKCS8_B64: &str =
    include_str!("../../runtime/testdata/keys/merchant_private_pkcs8.b64");

/// The repository's published test keys.
#[derive(Debug, Clone)]
pub struct TestKeys {
    /// The merchant key (the key of the signature vectors).
    pub merchant_private: PrivateKey,
    /// Its public half (what Antom would hold).
    pub merchant_public: PublicKey,
    /// The key playing Antom's role (signs responses and notifications).
    pub antom_private: PrivateKey,
    /// Its public half (what the merchant configures).
    pub antom_public: PublicKey,
}

impl TestKeys {
    /// Loads the embedded test keys.
    pub fn load() -> Result<Self, CryptoError> {
        let merchant_private = PrivateKey::from_pem_or_base64(MERCHANT_PRIVATE_PKCS8_B64)?;
        Ok(TestKeys {
            merchant_public: merchant_private.public_key().clone(),
            merchant_private,
            antom_private: PrivateKey::from_pem_or_base64(include_str!(
                "../../runtime/testdata/keys/antom_private_pkcs8.pem"
            ))?,
            antom_public: PublicKey::from_pem_or_base64(include_str!(
                "../../runtime/testdata/keys/antom_public_spki.pem"
            ))?,
        })
    }

    /// The merchant private key as bare base64 PKCS#8 DER (the form the
    /// adapter protocol uses; a published test key).
    pub fn merchant_private_base64(&self) -> String {
        MERCHANT_PRIVATE_PKCS8_B64.trim().to_owned()
    }

    /// The Antom public key as bare base64 SPKI DER.
    pub fn antom_public_base64(&self) -> String {
        self.antom_public.to_base64()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vectors_reproduce_in_every_encoding() {
        let keys = TestKeys::load().unwrap();
        let v: serde_json::Value = serde_json::from_str(include_str!(
            "../../runtime/testdata/signature-vectors.json"
        ))
        .unwrap();
        for vec in v["vectors"].as_array().unwrap() {
            let s = |k: &str| vec[k].as_str().unwrap();
            let content = content_to_sign(
                s("method"),
                s("path"),
                s("clientId"),
                s("time"),
                s("body").as_bytes(),
            );
            let b64 = sign_base64(&keys.merchant_private, &content).unwrap();
            assert_eq!(b64, s("signature_base64"), "{}", s("name"));
            assert_eq!(encode_signature(&b64, false), s("signature_urlencoded"));
            assert_eq!(
                encode_signature(&b64, true),
                s("signature_urlencoded_lowerhex")
            );
            let spaced = signature_header(s("signature_urlencoded_lowerhex"), true);
            verify_header(&keys.merchant_public, &content, &spaced).unwrap();
        }
    }

    #[test]
    fn tampered_and_malformed_rejected() {
        let keys = TestKeys::load().unwrap();
        let content = content_to_sign("POST", "/a", "c", "1", b"{}");
        let sig = encode_signature(
            &sign_base64(&keys.merchant_private, &content).unwrap(),
            false,
        );
        let h = signature_header(&sig, false);
        verify_header(&keys.merchant_public, &content, &h).unwrap();
        let other = content_to_sign("POST", "/a", "c", "2", b"{}");
        assert!(matches!(
            verify_header(&keys.merchant_public, &other, &h),
            Err(CryptoError::Mismatch)
        ));
        assert!(matches!(
            verify_header(&keys.antom_public, &content, &h),
            Err(CryptoError::Mismatch)
        ));
        assert!(matches!(
            parse_signature_header("garbage"),
            Err(CryptoError::Format(_))
        ));
        assert_eq!(
            keys.merchant_private_base64(),
            keys.merchant_private_base64().trim()
        );
        assert!(PrivateKey::from_pem_or_base64(&keys.merchant_private_base64()).is_ok());
    }
}
