//! Test keys and helpers shared by the integration tests.
#![allow(dead_code)]

use antom_runtime::{PrivateKey, PublicKey};

pub mod gateway;

pub const MERCHANT_PRIVATE_B64: &str =
    include_str!("../../testdata/keys/merchant_private_pkcs8.b64");
pub const MERCHANT_PUBLIC_B64: &str = include_str!("../../testdata/keys/merchant_public_spki.b64");
pub const ANTOM_PRIVATE_PKCS8_PEM: &str =
    include_str!("../../testdata/keys/antom_private_pkcs8.pem");
pub const ANTOM_PRIVATE_PKCS1_PEM: &str =
    include_str!("../../testdata/keys/antom_private_pkcs1.pem");
pub const ANTOM_PUBLIC_PEM: &str = include_str!("../../testdata/keys/antom_public_spki.pem");

pub fn merchant_private() -> PrivateKey {
    PrivateKey::from_pem_or_base64(MERCHANT_PRIVATE_B64).expect("merchant private key")
}
pub fn merchant_public() -> PublicKey {
    PublicKey::from_pem_or_base64(MERCHANT_PUBLIC_B64).expect("merchant public key")
}
pub fn antom_private() -> PrivateKey {
    PrivateKey::from_pem_or_base64(ANTOM_PRIVATE_PKCS8_PEM).expect("antom private key")
}
pub fn antom_public() -> PublicKey {
    PublicKey::from_pem_or_base64(ANTOM_PUBLIC_PEM).expect("antom public key")
}
