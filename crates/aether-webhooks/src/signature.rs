//! The Aether signature scheme: `x-aether-signature: sha256=<hex>`.
//!
//! The value is the lowercase hexadecimal HMAC-SHA256 of the raw request body, keyed by the
//! UTF-8 bytes of the whole secret string, `whsec_` prefix included. During a secret rotation
//! the header carries one comma-separated entry per active secret, and a delivery is
//! authentic when any entry matches.

use alloc::string::String;

use hmac::{KeyInit, Mac};
use sha2::Sha256;
use subtle::{Choice, ConstantTimeEq};

use crate::{SignatureError, WebhookSecret, hex};

/// The name of the header that carries the Aether signature.
pub const SIGNATURE_HEADER: &str = "x-aether-signature";

/// The maximum number of signatures in one header; more are rejected before any HMAC is computed.
pub const MAX_SIGNATURES: usize = 8;

const SCHEME_PREFIX: &str = "sha256=";

pub(crate) type HmacSha256 = hmac::Hmac<Sha256>;

/// Computes HMAC-SHA256 of `body` keyed by the whole secret string.
#[must_use]
pub fn compute_mac(secret: &WebhookSecret, body: &[u8]) -> [u8; 32] {
    let mut mac = secret.aether_mac();
    mac.update(body);
    mac.finalize().into_bytes().into()
}

/// Signs `body` and returns the header value `sha256=<64 lowercase hex digits>`.
#[must_use]
pub fn sign(secret: &WebhookSecret, body: &[u8]) -> String {
    sign_all(&[secret], body)
}

/// Signs `body` with each secret and returns the entries joined by commas, the header value
/// sent while a rotated secret's overlap lasts.
#[must_use]
pub fn sign_all(secrets: &[&WebhookSecret], body: &[u8]) -> String {
    let mut header = String::with_capacity(secrets.len() * (SCHEME_PREFIX.len() + 65));
    for (index, secret) in secrets.iter().enumerate() {
        if index > 0 {
            header.push(',');
        }
        header.push_str(SCHEME_PREFIX);
        let digits = hex::encode(&compute_mac(secret, body));
        header.extend(digits.iter().map(|&digit| char::from(digit)));
    }
    header
}

/// Verifies an `x-aether-signature` header against the raw body.
///
/// The header is parsed before any HMAC is computed, so malformed input costs nothing, and the
/// comparison runs in constant time over every entry.
///
/// # Errors
/// - [`SignatureError::Missing`] when the header is empty or only whitespace.
/// - [`SignatureError::Malformed`], [`SignatureError::UnsupportedScheme`] or
///   [`SignatureError::TooMany`] when it cannot be parsed (see [`SignatureHeader::parse`]).
/// - [`SignatureError::Mismatch`] when no entry matches `body` under `secret`.
pub fn verify(secret: &WebhookSecret, body: &[u8], header: &str) -> Result<(), SignatureError> {
    let signatures = SignatureHeader::parse(header)?;

    let mac = compute_mac(secret, body);

    if signatures.matches(&mac) {
        Ok(())
    } else {
        Err(SignatureError::Mismatch)
    }
}

/// The digests of a parsed `x-aether-signature` header, at most [`MAX_SIGNATURES`].
///
/// Parsing is separate from comparing so that a host with a fast native HMAC (Node's
/// `node:crypto`) can compute the MAC itself and let this crate do the strict parsing and the
/// constant-time comparison.
#[derive(Debug, Clone)]
pub struct SignatureHeader {
    digests: DigestSet,
}

impl SignatureHeader {
    /// Parses a header value such as `sha256=<hex>` or `sha256=<hex>,sha256=<hex>`.
    ///
    /// Whitespace around the value and around each entry is ignored. Entries of another
    /// scheme (`sha1=…`) are skipped. Parsing allocates nothing and stops at the first entry
    /// past the limit, so any header costs at most a scan of its bytes.
    ///
    /// # Errors
    /// - [`SignatureError::Missing`] when the value is empty or only whitespace.
    /// - [`SignatureError::Malformed`] when an entry is empty, has no `=`, has a scheme name
    ///   that is not lowercase ASCII letters and digits, or a `sha256` digest that is not
    ///   exactly 64 lowercase hexadecimal digits.
    /// - [`SignatureError::TooMany`] when there are more than [`MAX_SIGNATURES`] entries.
    /// - [`SignatureError::UnsupportedScheme`] when no entry uses `sha256`.
    pub fn parse(header: &str) -> Result<Self, SignatureError> {
        let header = header.trim();
        if header.is_empty() {
            return Err(SignatureError::Missing);
        }

        let mut digests = DigestSet::default();
        for (index, entry) in header.split(',').enumerate() {
            if index == MAX_SIGNATURES {
                return Err(SignatureError::TooMany);
            }

            let (scheme, value) = entry.trim().split_once('=').ok_or(SignatureError::Malformed)?;
            let scheme_valid = !scheme.is_empty()
                && scheme.bytes().all(|byte| byte.is_ascii_lowercase() || byte.is_ascii_digit());
            if !scheme_valid {
                return Err(SignatureError::Malformed);
            }
            if scheme != "sha256" {
                continue;
            }

            digests.push(hex::decode(value.as_bytes()).ok_or(SignatureError::Malformed)?);
        }

        if digests.is_empty() {
            return Err(SignatureError::UnsupportedScheme);
        }
        Ok(SignatureHeader { digests })
    }

    /// Returns whether any parsed digest equals `mac`, comparing every digest in constant time
    /// without stopping at the first match.
    #[must_use]
    pub fn matches(&self, mac: &[u8; 32]) -> bool {
        self.digests.matches(mac)
    }

    /// Returns how many `sha256` digests the header carried.
    #[must_use]
    pub fn len(&self) -> usize {
        self.digests.count
    }

    /// Returns `false`, because a successfully parsed header contains at least one digest.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.digests.is_empty()
    }
}

/// Up to [`MAX_SIGNATURES`] digests from one header, of either scheme, without allocating.
///
/// Callers stop at `MAX_SIGNATURES` entries before pushing, so `push` never overflows.
#[derive(Debug, Clone, Default)]
pub(crate) struct DigestSet {
    digests: [[u8; 32]; MAX_SIGNATURES],
    count: usize,
}

impl DigestSet {
    pub(crate) fn push(&mut self, digest: [u8; 32]) {
        self.digests[self.count] = digest;
        self.count += 1;
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.count == 0
    }

    /// Compares `mac` with every digest in constant time, without stopping at a match.
    pub(crate) fn matches(&self, mac: &[u8; 32]) -> bool {
        let any = self.digests[..self.count]
            .iter()
            .fold(Choice::from(0), |found, digest| found | digest.ct_eq(mac));
        bool::from(any)
    }
}

/// HMAC-SHA256 over the concatenation of `parts`.
pub(crate) fn hmac_sha256(key: &[u8], parts: &[&[u8]]) -> [u8; 32] {
    let mut mac = <HmacSha256 as KeyInit>::new_from_slice(key)
        .expect("HMAC accepts keys of any length");
    for part in parts {
        mac.update(part);
    }
    mac.finalize().into_bytes().into()
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::format;

    fn secret() -> WebhookSecret {
        WebhookSecret::parse("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").expect("valid secret")
    }

    #[test]
    fn sign_then_verify_succeeds() {
        let header = sign(&secret(), b"{}");
        assert_eq!(header.len(), 71);
        assert_eq!(verify(&secret(), b"{}", &header), Ok(()));
    }

    #[test]
    fn verify_rejects_other_body() {
        let header = sign(&secret(), b"{}");
        assert_eq!(verify(&secret(), b"{ }", &header), Err(SignatureError::Mismatch));
    }

    #[test]
    fn verify_accepts_any_matching_entry() {
        let other = WebhookSecret::parse("whsec_b3RoZXI=").expect("valid secret");
        let header = sign_all(&[&other, &secret()], b"{}");
        assert_eq!(verify(&secret(), b"{}", &header), Ok(()));
        assert_eq!(verify(&other, b"{}", &header), Ok(()));
    }

    #[test]
    fn verify_skips_other_schemes_beside_sha256() {
        let header = format!("sha1={},{}", "0".repeat(40), sign(&secret(), b"{}"));
        assert_eq!(verify(&secret(), b"{}", &header), Ok(()));
    }

    #[test]
    fn parse_rejects_each_malformed_shape() {
        let cases = [
            ("", SignatureError::Missing),
            ("  ", SignatureError::Missing),
            ("sha256=", SignatureError::Malformed),
            ("sha256", SignatureError::Malformed),
            ("=abc", SignatureError::Malformed),
            ("SHA256=abc", SignatureError::Malformed),
            ("sha1=abc", SignatureError::UnsupportedScheme),
        ];
        for (header, expected) in cases {
            assert_eq!(SignatureHeader::parse(header).err(), Some(expected), "{header:?}");
        }
    }

    #[test]
    fn parse_caps_entry_count() {
        let entry = format!("sha256={}", "a".repeat(64));
        let eight = [entry.as_str(); MAX_SIGNATURES].join(",");
        assert_eq!(SignatureHeader::parse(&eight).map(|parsed| parsed.len()), Ok(MAX_SIGNATURES));
        let nine = [entry.as_str(); MAX_SIGNATURES + 1].join(",");
        assert_eq!(SignatureHeader::parse(&nine).err(), Some(SignatureError::TooMany));
    }
}
