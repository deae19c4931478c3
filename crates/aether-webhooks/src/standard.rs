//! The Standard Webhooks signature scheme, so any Standard Webhooks library can verify an
//! Aether delivery.
//!
//! Three headers travel together: `webhook-id` (the delivery id), `webhook-timestamp` (Unix
//! seconds) and `webhook-signature`, one or more space-separated `v1,<base64>` entries. Each
//! entry is the standard base64 of HMAC-SHA256 over `{id}.{timestamp}.{body}`, keyed by the
//! base64-decoded part of the secret after `whsec_`. The scheme is specified at
//! <https://www.standardwebhooks.com/>.

use alloc::string::String;

use crate::base64;
use crate::signature::{DigestSet, MAX_SIGNATURES, hmac_sha256};
use crate::{SecretError, SignatureError, WebhookSecret};

/// The header that carries the delivery id.
pub const ID_HEADER: &str = "webhook-id";
/// The header that carries the signing time in Unix seconds.
pub const TIMESTAMP_HEADER: &str = "webhook-timestamp";
/// The header that carries the `v1,<base64>` signatures.
pub const SIGNATURE_HEADER: &str = "webhook-signature";

const VERSION_PREFIX: &str = "v1,";

/// The length of a base64-encoded 32-byte digest, padding included.
const ENCODED_DIGEST_LENGTH: usize = 44;

/// Computes the HMAC-SHA256 of `{message_id}.{timestamp}.{body}`.
///
/// # Errors
/// Returns [`SecretError::NotBase64`] when the secret's part after `whsec_` is not base64.
pub fn compute_mac(
    secret: &WebhookSecret,
    message_id: &str,
    timestamp: i64,
    body: &[u8],
) -> Result<[u8; 32], SecretError> {
    let key = secret.standard_key()?;

    let mut digits = [0_u8; 20];
    let timestamp_text = format_decimal(timestamp, &mut digits);

    Ok(hmac_sha256(&key, &[message_id.as_bytes(), b".", timestamp_text, b".", body]))
}

/// Signs a delivery and returns the `webhook-signature` header value `v1,<base64>`.
///
/// # Errors
/// Returns [`SecretError::NotBase64`] when the secret's part after `whsec_` is not base64.
pub fn sign(
    secret: &WebhookSecret,
    message_id: &str,
    timestamp: i64,
    body: &[u8],
) -> Result<String, SecretError> {
    sign_all(&[secret], message_id, timestamp, body)
}

/// Signs a delivery with each secret and returns the entries separated by spaces, the header
/// value sent while a rotated secret's overlap lasts.
///
/// # Errors
/// Returns [`SecretError::NotBase64`] when a secret's part after `whsec_` is not base64.
pub fn sign_all(
    secrets: &[&WebhookSecret],
    message_id: &str,
    timestamp: i64,
    body: &[u8],
) -> Result<String, SecretError> {
    let mut header = String::with_capacity(secrets.len() * (VERSION_PREFIX.len() + ENCODED_DIGEST_LENGTH + 1));
    for (index, secret) in secrets.iter().enumerate() {
        if index > 0 {
            header.push(' ');
        }
        header.push_str(VERSION_PREFIX);
        base64::encode_into(&compute_mac(secret, message_id, timestamp, body)?, &mut header);
    }
    Ok(header)
}

/// Verifies the three Standard Webhooks headers against the raw body and returns the signed
/// timestamp.
///
/// `now` is the receiver's clock in Unix seconds. With `tolerance` set, a timestamp more than
/// that many seconds away from `now` is rejected, which limits replays; with `None` no clock
/// check is made. Headers are checked before any HMAC is computed.
///
/// # Errors
/// - [`SignatureError::MissingMessageId`] when `message_id` is empty.
/// - [`SignatureError::InvalidTimestamp`], [`SignatureError::Stale`] or
///   [`SignatureError::Future`] for the timestamp (see [`parse_timestamp`] and
///   [`check_timestamp`]).
/// - the errors of [`SignatureList::parse`] for the signature header.
/// - [`SignatureError::Secret`] when the secret cannot key this scheme.
/// - [`SignatureError::Mismatch`] when no `v1` entry matches.
pub fn verify(
    secret: &WebhookSecret,
    message_id: &str,
    timestamp_header: &str,
    signature_header: &str,
    body: &[u8],
    now: i64,
    tolerance: Option<u64>,
) -> Result<i64, SignatureError> {
    check_message_id(message_id)?;
    let signatures = SignatureList::parse(signature_header)?;
    let timestamp = parse_timestamp(timestamp_header)?;
    check_timestamp(timestamp, now, tolerance)?;

    let mac = compute_mac(secret, message_id, timestamp, body)?;

    if signatures.matches(&mac) {
        Ok(timestamp)
    } else {
        Err(SignatureError::Mismatch)
    }
}

/// Checks that a `webhook-id` value is present.
///
/// # Errors
/// Returns [`SignatureError::MissingMessageId`] when `message_id` is empty or only whitespace.
pub fn check_message_id(message_id: &str) -> Result<(), SignatureError> {
    if message_id.trim().is_empty() {
        return Err(SignatureError::MissingMessageId);
    }
    Ok(())
}

/// Parses a `webhook-timestamp` value: ASCII digits only, surrounding whitespace ignored.
///
/// # Errors
/// Returns [`SignatureError::InvalidTimestamp`] for anything else, including values of more
/// than 15 digits.
pub fn parse_timestamp(header: &str) -> Result<i64, SignatureError> {
    let digits = header.trim();
    let valid = !digits.is_empty() && digits.len() <= 15 && digits.bytes().all(|byte| byte.is_ascii_digit());
    if !valid {
        return Err(SignatureError::InvalidTimestamp);
    }
    digits.parse().map_err(|_| SignatureError::InvalidTimestamp)
}

/// Checks a signed timestamp against the receiver's clock.
///
/// # Errors
/// Returns [`SignatureError::Stale`] when `timestamp` is more than `tolerance` seconds before
/// `now`, and [`SignatureError::Future`] when it is more than `tolerance` seconds after.
pub fn check_timestamp(timestamp: i64, now: i64, tolerance: Option<u64>) -> Result<(), SignatureError> {
    let Some(tolerance) = tolerance else {
        return Ok(());
    };
    let tolerance = i64::try_from(tolerance).unwrap_or(i64::MAX);

    if timestamp < now.saturating_sub(tolerance) {
        return Err(SignatureError::Stale);
    }
    if timestamp > now.saturating_add(tolerance) {
        return Err(SignatureError::Future);
    }
    Ok(())
}

/// The `v1` digests of a parsed `webhook-signature` header, at most
/// [`MAX_SIGNATURES`](crate::signature::MAX_SIGNATURES).
#[derive(Debug, Clone)]
pub struct SignatureList {
    digests: DigestSet,
}

impl SignatureList {
    /// Parses a header value of space-separated `version,signature` entries.
    ///
    /// Entries of another version (`v1a,…`, `v2,…`) are skipped, as the Standard Webhooks
    /// specification requires. Parsing allocates nothing.
    ///
    /// # Errors
    /// - [`SignatureError::Missing`] when the value is empty or only whitespace.
    /// - [`SignatureError::Malformed`] when an entry has no comma, or a `v1` entry is not the
    ///   standard base64 of 32 bytes.
    /// - [`SignatureError::TooMany`] when there are more than
    ///   [`MAX_SIGNATURES`](crate::signature::MAX_SIGNATURES) entries.
    /// - [`SignatureError::UnsupportedScheme`] when no entry is `v1`.
    pub fn parse(header: &str) -> Result<Self, SignatureError> {
        if header.trim().is_empty() {
            return Err(SignatureError::Missing);
        }

        let mut digests = DigestSet::default();
        for (index, entry) in header.split_ascii_whitespace().enumerate() {
            if index == MAX_SIGNATURES {
                return Err(SignatureError::TooMany);
            }

            let (version, encoded) = entry.split_once(',').ok_or(SignatureError::Malformed)?;
            if version != "v1" {
                continue;
            }

            digests.push(decode_digest(encoded).ok_or(SignatureError::Malformed)?);
        }

        if digests.is_empty() {
            return Err(SignatureError::UnsupportedScheme);
        }
        Ok(SignatureList { digests })
    }

    /// Returns whether any parsed digest equals `mac`, comparing every digest in constant time.
    #[must_use]
    pub fn matches(&self, mac: &[u8; 32]) -> bool {
        self.digests.matches(mac)
    }
}

fn decode_digest(encoded: &str) -> Option<[u8; 32]> {
    if encoded.len() != ENCODED_DIGEST_LENGTH {
        return None;
    }

    let mut digest = [0_u8; 32];
    let length = base64::decode_into(encoded.as_bytes(), &mut digest)?;
    (length == 32).then_some(digest)
}

/// Writes `value` in decimal into the end of `buffer` and returns the digits.
fn format_decimal(value: i64, buffer: &mut [u8; 20]) -> &[u8] {
    let mut remaining = value.unsigned_abs();
    let mut start = buffer.len();
    loop {
        start -= 1;
        buffer[start] = b'0' + (remaining % 10) as u8;
        remaining /= 10;
        if remaining == 0 {
            break;
        }
    }
    if value < 0 {
        start -= 1;
        buffer[start] = b'-';
    }
    &buffer[start..]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn secret() -> WebhookSecret {
        WebhookSecret::parse("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").expect("valid secret")
    }

    #[test]
    fn sign_then_verify_succeeds() {
        let header = sign(&secret(), "msg_1", 1_781_514_014, b"{}").expect("base64 secret");
        let verified = verify(&secret(), "msg_1", "1781514014", &header, b"{}", 1_781_514_014, Some(300));
        assert_eq!(verified, Ok(1_781_514_014));
    }

    #[test]
    fn verify_separates_stale_and_future() {
        let header = sign(&secret(), "msg_1", 1_000, b"{}").expect("base64 secret");
        assert_eq!(verify(&secret(), "msg_1", "1000", &header, b"{}", 1_301, Some(300)), Err(SignatureError::Stale));
        assert_eq!(verify(&secret(), "msg_1", "1000", &header, b"{}", 699, Some(300)), Err(SignatureError::Future));
        assert_eq!(verify(&secret(), "msg_1", "1000", &header, b"{}", 9_999_999, None), Ok(1_000));
    }

    #[test]
    fn verify_requires_message_id() {
        let header = sign(&secret(), "", 1_000, b"{}").expect("base64 secret");
        assert_eq!(verify(&secret(), " ", "1000", &header, b"{}", 1_000, None), Err(SignatureError::MissingMessageId));
    }

    #[test]
    fn parse_timestamp_rejects_non_digits() {
        for header in ["", "-5", "12a", "1.5", "9999999999999999"] {
            assert_eq!(parse_timestamp(header), Err(SignatureError::InvalidTimestamp), "{header:?}");
        }
        assert_eq!(parse_timestamp(" 42 "), Ok(42));
    }

    #[test]
    fn signature_list_skips_other_versions() {
        let header = sign(&secret(), "msg_1", 1_000, b"{}").expect("base64 secret");
        let mixed = alloc::format!("v2,abc {header}");
        assert_eq!(verify(&secret(), "msg_1", "1000", &mixed, b"{}", 1_000, None), Ok(1_000));
        assert_eq!(SignatureList::parse("v2,abc").err(), Some(SignatureError::UnsupportedScheme));
        assert_eq!(SignatureList::parse("v1,abc").err(), Some(SignatureError::Malformed));
        assert_eq!(SignatureList::parse("v1").err(), Some(SignatureError::Malformed));
    }

    #[test]
    fn format_decimal_writes_signed_values() {
        let mut buffer = [0_u8; 20];
        assert_eq!(format_decimal(0, &mut buffer), b"0");
        assert_eq!(format_decimal(1_781_514_014, &mut buffer), b"1781514014");
        assert_eq!(format_decimal(i64::MIN, &mut buffer), b"-9223372036854775808");
    }
}
