//! Signature checks as jobs a host can run.
//!
//! The core never verifies a signature inline: it lists [`CryptoJob`]s (the PASSporT signature and
//! every CA signature on candidate certification paths) and takes their results back. A JS host
//! runs them through WebCrypto (an order of magnitude faster than p256 in wasm); natively the
//! [`default_backend`] runs them (ring when the `fast-native` feature is on, RustCrypto otherwise).

use serde::Serialize;

/// Signature algorithm of a job. The hash is the algorithm's, independent of the key's curve.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum Alg {
    /// ECDSA with SHA-256.
    ES256,
    /// ECDSA with SHA-384.
    ES384,
    /// ECDSA with SHA-512.
    ES512,
    /// RSASSA-PKCS1-v1_5 with SHA-256.
    RS256,
}

/// Public-key type of a job.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum KeyKind {
    /// EC on P-256.
    #[serde(rename = "P-256")]
    P256,
    /// EC on P-384.
    #[serde(rename = "P-384")]
    P384,
    /// EC on P-521.
    #[serde(rename = "P-521")]
    P521,
    /// RSA.
    #[serde(rename = "RSA")]
    Rsa,
}

impl KeyKind {
    /// Bytes of one ECDSA scalar (r or s) for this curve; `None` for RSA.
    pub fn scalar_len(self) -> Option<usize> {
        match self {
            KeyKind::P256 => Some(32),
            KeyKind::P384 => Some(48),
            KeyKind::P521 => Some(66),
            KeyKind::Rsa => None,
        }
    }
}

/// What the job proves, for logs and display.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Purpose {
    /// The PASSporT's ES256 signature.
    Passport,
    /// A CA's signature on a certificate or CRL.
    Certificate,
}

/// One signature to check. `signature` is fixed-size r‖s for ECDSA (what WebCrypto takes) and the
/// raw signature for RSA; `public_key` is the SPKI's subjectPublicKey bits (SEC1 point or PKCS#1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CryptoJob {
    /// Signature algorithm.
    pub alg: Alg,
    /// Key type.
    pub key: KeyKind,
    /// The signer's SubjectPublicKeyInfo, DER.
    pub spki: Vec<u8>,
    /// The subjectPublicKey bits.
    pub public_key: Vec<u8>,
    /// The signed bytes.
    pub message: Vec<u8>,
    /// The signature (r‖s for ECDSA).
    pub signature: Vec<u8>,
    /// What it proves.
    pub purpose: Purpose,
}

/// Something that can run crypto jobs. `None` means "cannot run this one" (the caller falls back).
pub trait Backend {
    /// Run one job: `Some(valid)`, or `None` when this backend cannot.
    fn verify(&self, job: &CryptoJob) -> Option<bool>;
    /// A short name for logs and benchmarks.
    fn name(&self) -> &'static str;
}

/// Pure-Rust RustCrypto implementation: portable, used in wasm and as the fallback.
///
/// Only with the `fallback-crypto` feature. Without it (the page's first wasm module, which hands
/// every signature to WebCrypto) this backend runs nothing and answers `None` for every job: the
/// host must answer each job itself (the page loads the fallback module's `verifyJob` for a job
/// WebCrypto cannot run), and a job nobody answered counts as not verified, never as valid.
pub struct RustCrypto;

impl Backend for RustCrypto {
    fn verify(&self, job: &CryptoJob) -> Option<bool> {
        #[cfg(feature = "fallback-crypto")]
        {
            Some(rustcrypto_verify(job))
        }
        #[cfg(not(feature = "fallback-crypto"))]
        {
            let _ = job;
            None
        }
    }
    fn name(&self) -> &'static str {
        if cfg!(feature = "fallback-crypto") {
            "rustcrypto"
        } else {
            "none (built without fallback-crypto)"
        }
    }
}

#[cfg(feature = "fallback-crypto")]
fn digest(alg: Alg, msg: &[u8]) -> Vec<u8> {
    use sha2::Digest;
    match alg {
        Alg::ES256 | Alg::RS256 => sha2::Sha256::digest(msg).to_vec(),
        Alg::ES384 => sha2::Sha384::digest(msg).to_vec(),
        Alg::ES512 => sha2::Sha512::digest(msg).to_vec(),
    }
}

#[cfg(feature = "fallback-crypto")]
fn rustcrypto_verify(job: &CryptoJob) -> bool {
    use signature::hazmat::PrehashVerifier;
    match (job.key, job.alg) {
        (KeyKind::Rsa, Alg::RS256) => rsa_verify(job),
        (KeyKind::Rsa, _) | (_, Alg::RS256) => false,
        (KeyKind::P256, alg) => {
            let Ok(key) = p256::ecdsa::VerifyingKey::from_sec1_bytes(&job.public_key) else {
                return false;
            };
            let Ok(sig) = p256::ecdsa::Signature::from_slice(&job.signature) else {
                return false;
            };
            key.verify_prehash(&digest(alg, &job.message), &sig).is_ok()
        }
        (KeyKind::P384, alg) => {
            let Ok(key) = p384::ecdsa::VerifyingKey::from_sec1_bytes(&job.public_key) else {
                return false;
            };
            let Ok(sig) = p384::ecdsa::Signature::from_slice(&job.signature) else {
                return false;
            };
            key.verify_prehash(&digest(alg, &job.message), &sig).is_ok()
        }
        (KeyKind::P521, alg) => {
            let Ok(key) = p521::ecdsa::VerifyingKey::from_sec1_bytes(&job.public_key) else {
                return false;
            };
            let Ok(sig) = p521::ecdsa::Signature::from_slice(&job.signature) else {
                return false;
            };
            key.verify_prehash(&digest(alg, &job.message), &sig).is_ok()
        }
    }
}

#[cfg(feature = "fallback-crypto")]
fn rsa_verify(job: &CryptoJob) -> bool {
    use rsa::pkcs1::DecodeRsaPublicKey;
    use signature::Verifier;
    let Ok(key) = rsa::PublicKey::from_pkcs1_der(&job.public_key) else {
        return false;
    };
    let vk = rsa::pkcs1v15::VerifyingKey::<sha2::Sha256>::new(key);
    let Ok(sig) = rsa::pkcs1v15::Signature::try_from(job.signature.as_slice()) else {
        return false;
    };
    vk.verify(&job.message, &sig).is_ok()
}

/// ring (assembly-backed) for P-256/P-384 ECDSA and RSA; P-521 and odd curve/hash pairs fall
/// back to RustCrypto.
#[cfg(all(feature = "fast-native", not(target_arch = "wasm32")))]
pub struct Ring;

#[cfg(all(feature = "fast-native", not(target_arch = "wasm32")))]
impl Backend for Ring {
    fn verify(&self, job: &CryptoJob) -> Option<bool> {
        use ring::signature as rs;
        let alg: &dyn rs::VerificationAlgorithm = match (job.key, job.alg) {
            (KeyKind::P256, Alg::ES256) => &rs::ECDSA_P256_SHA256_FIXED,
            (KeyKind::P384, Alg::ES384) => &rs::ECDSA_P384_SHA384_FIXED,
            (KeyKind::Rsa, Alg::RS256) => &rs::RSA_PKCS1_2048_8192_SHA256,
            _ => return RustCrypto.verify(job),
        };
        Some(
            rs::UnparsedPublicKey::new(alg, &job.public_key)
                .verify(&job.message, &job.signature)
                .is_ok(),
        )
    }
    fn name(&self) -> &'static str {
        "ring"
    }
}

/// The build's default backend: ring natively with `fast-native`, RustCrypto otherwise.
pub fn default_backend() -> &'static dyn Backend {
    #[cfg(all(feature = "fast-native", not(target_arch = "wasm32")))]
    {
        &Ring
    }
    #[cfg(not(all(feature = "fast-native", not(target_arch = "wasm32"))))]
    {
        &RustCrypto
    }
}

/// Every backend compiled into this build, for cross-checking tests and benchmarks.
pub fn all_backends() -> Vec<&'static dyn Backend> {
    #[allow(unused_mut)]
    let mut v: Vec<&'static dyn Backend> = vec![&RustCrypto];
    #[cfg(all(feature = "fast-native", not(target_arch = "wasm32")))]
    v.push(&Ring);
    v
}

/// Convert a DER `ECDSA-Sig-Value` (as in certificates) into fixed-size r‖s.
pub fn ecdsa_der_to_fixed(der_sig: &[u8], scalar_len: usize) -> Option<Vec<u8>> {
    use der::{Decode, asn1::UintRef};
    #[derive(der::Sequence)]
    struct EcdsaSig<'a> {
        r: UintRef<'a>,
        s: UintRef<'a>,
    }
    let sig = EcdsaSig::from_der(der_sig).ok()?;
    let mut out = vec![0u8; scalar_len * 2];
    for (i, int) in [sig.r, sig.s].iter().enumerate() {
        let b = int.as_bytes();
        if b.len() > scalar_len {
            return None;
        }
        let start = i * scalar_len + (scalar_len - b.len());
        out[start..start + b.len()].copy_from_slice(b);
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json::b64url_decode;

    /// RFC 7515 Appendix A.3: a high-S ES256 signature that must verify (checklist row 57).
    fn rfc7515_a3() -> CryptoJob {
        let x = b64url_decode("f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU").unwrap();
        let y = b64url_decode("x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0").unwrap();
        let mut point = vec![4u8];
        point.extend(x);
        point.extend(y);
        CryptoJob {
            alg: Alg::ES256,
            key: KeyKind::P256,
            spki: vec![],
            public_key: point,
            message: b"eyJhbGciOiJFUzI1NiJ9.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ".to_vec(),
            signature: b64url_decode("DtEhU3ljbEg8L38VWAfUAqOyKAM6-Xx-F4GawxaepmXFCgfTjDxw5djxLa8ISlSApmWQxfKTUJqPP3-Kg6NU1Q").unwrap(),
            purpose: Purpose::Passport,
        }
    }

    #[test]
    fn high_s_signature_verifies_on_every_backend() {
        let job = rfc7515_a3();
        for b in all_backends() {
            assert_eq!(b.verify(&job), Some(true), "{}", b.name());
            let mut bad = job.clone();
            bad.message[0] ^= 1;
            assert_eq!(b.verify(&bad), Some(false), "{}", b.name());
        }
    }

    #[test]
    fn der_to_fixed_pads_and_strips() {
        // r = 0x00ff (needs leading zero in DER), s = 0x01
        let der = [0x30, 0x07, 0x02, 0x02, 0x00, 0xff, 0x02, 0x01, 0x01];
        let fixed = ecdsa_der_to_fixed(&der, 32).unwrap();
        assert_eq!(fixed.len(), 64);
        assert_eq!(fixed[31], 0xff);
        assert_eq!(fixed[63], 0x01);
        assert!(ecdsa_der_to_fixed(&[0x30, 0x00], 32).is_none());
    }
}
