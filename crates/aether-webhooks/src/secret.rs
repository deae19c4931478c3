//! Webhook signing secrets.

use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

use hmac::KeyInit;

use crate::signature::HmacSha256;

/// The prefix every Aether webhook secret starts with.
pub const SECRET_PREFIX: &str = "whsec_";

/// Secrets longer than this are rejected, which bounds the work of keying an HMAC with one.
pub const MAX_SECRET_LENGTH: usize = 1024;

/// A webhook signing secret such as `whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw`.
///
/// The same secret keys both signature schemes. The Aether scheme uses the UTF-8 bytes of the
/// whole string, prefix included, and the Standard Webhooks scheme uses the base64-decoded
/// part after `whsec_`. Its `Debug` output is redacted, and it has no `PartialEq` so that secrets
/// are never compared with a timing-dependent `==`.
///
/// Parsing also keys an HMAC-SHA256 state for the Aether scheme once, so each signature costs
/// only the body's hashing: a receiver keeps one `WebhookSecret` and verifies many deliveries.
#[derive(Clone)]
pub struct WebhookSecret {
    value: String,
    aether_mac: HmacSha256,
}

impl WebhookSecret {
    /// Checks and wraps a secret.
    ///
    /// # Errors
    /// Returns a [`SecretError`] when `value` is empty, ends with a line break, has leading or
    /// trailing whitespace, does not start with `whsec_`, contains whitespace or control
    /// characters, or is longer than [`MAX_SECRET_LENGTH`] bytes.
    pub fn parse(value: &str) -> Result<Self, SecretError> {
        if value.is_empty() {
            return Err(SecretError::Empty);
        }
        if value.ends_with('\n') || value.ends_with('\r') {
            return Err(SecretError::TrailingNewline);
        }
        if value.trim() != value {
            return Err(SecretError::SurroundingWhitespace);
        }
        if value.len() > MAX_SECRET_LENGTH {
            return Err(SecretError::TooLong);
        }

        let Some(key) = value.strip_prefix(SECRET_PREFIX) else {
            return Err(SecretError::MissingPrefix);
        };
        if key.is_empty() {
            return Err(SecretError::Empty);
        }
        if key.chars().any(|character| character.is_whitespace() || character.is_control()) {
            return Err(SecretError::InvalidCharacter);
        }

        Ok(WebhookSecret::new(String::from(value)))
    }

    fn new(value: String) -> Self {
        let aether_mac = <HmacSha256 as KeyInit>::new_from_slice(value.as_bytes())
            .expect("HMAC accepts keys of any length");
        WebhookSecret { value, aether_mac }
    }

    /// Generates a new secret: `whsec_` followed by the standard base64 of 32 random bytes.
    ///
    /// # Errors
    /// Returns [`SecretError::RandomUnavailable`] when the operating system or the JavaScript
    /// host gives no random bytes.
    #[cfg(feature = "getrandom")]
    pub fn generate() -> Result<Self, SecretError> {
        let mut key = [0_u8; 32];
        getrandom::fill(&mut key).map_err(|_| SecretError::RandomUnavailable)?;

        let mut value = String::from(SECRET_PREFIX);
        crate::base64::encode_into(&key, &mut value);
        Ok(WebhookSecret::new(value))
    }

    /// Returns the whole secret string, prefix included.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.value
    }

    /// Returns an HMAC-SHA256 state keyed for the Aether scheme by the UTF-8 bytes of the whole
    /// secret string.
    pub(crate) fn aether_mac(&self) -> HmacSha256 {
        self.aether_mac.clone()
    }

    /// Returns the key of the Standard Webhooks scheme: the base64-decoded part after
    /// `whsec_`.
    ///
    /// # Errors
    /// Returns [`SecretError::NotBase64`] when that part is not standard base64, which is
    /// possible for secrets that Aether did not generate.
    pub fn standard_key(&self) -> Result<Vec<u8>, SecretError> {
        let encoded = &self.value[SECRET_PREFIX.len()..];
        crate::base64::decode(encoded.as_bytes()).ok_or(SecretError::NotBase64)
    }
}

impl fmt::Debug for WebhookSecret {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("WebhookSecret(whsec_[redacted])")
    }
}

/// The reason a string is not a usable webhook secret.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum SecretError {
    /// The secret is empty, or is `whsec_` with nothing after it.
    Empty,
    /// The secret ends with a line break, typically pasted from a terminal or read from a file.
    TrailingNewline,
    /// The secret starts or ends with whitespace.
    SurroundingWhitespace,
    /// The secret does not start with `whsec_`.
    MissingPrefix,
    /// The secret contains whitespace or control characters after its prefix.
    InvalidCharacter,
    /// The secret is longer than [`MAX_SECRET_LENGTH`] bytes.
    TooLong,
    /// The part after `whsec_` is not standard base64, so it cannot key the Standard Webhooks
    /// scheme.
    NotBase64,
    /// No random bytes could be obtained to generate a secret.
    RandomUnavailable,
}

impl SecretError {
    /// Returns the stable machine-readable code of this error.
    #[must_use]
    pub const fn code(self) -> &'static str {
        match self {
            SecretError::RandomUnavailable => "random_unavailable",
            _ => "invalid_secret",
        }
    }
}

impl fmt::Display for SecretError {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        let message = match self {
            SecretError::Empty => "the webhook secret is empty: set it to the whsec_… value shown when the endpoint was created",
            SecretError::TrailingNewline => "the webhook secret ends with a line break, probably copied from a terminal or read from a file: remove the trailing newline",
            SecretError::SurroundingWhitespace => "the webhook secret starts or ends with whitespace: remove the surrounding spaces",
            SecretError::MissingPrefix => "the webhook secret must start with whsec_: use the whole value shown when the endpoint was created",
            SecretError::InvalidCharacter => "the webhook secret contains whitespace or control characters: copy it again without line breaks",
            SecretError::TooLong => "the webhook secret is longer than 1024 bytes: check that the right value was configured",
            SecretError::NotBase64 => "the part of the webhook secret after whsec_ is not base64, so it cannot sign Standard Webhooks headers",
            SecretError::RandomUnavailable => "no random bytes were available to generate a webhook secret",
        };
        formatter.write_str(message)
    }
}

impl core::error::Error for SecretError {}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::format;

    #[test]
    fn parse_accepts_generated_shape() {
        let secret = WebhookSecret::parse("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").expect("valid");
        assert_eq!(secret.as_str(), "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
    }

    #[test]
    fn parse_rejects_each_defect_with_its_own_error() {
        let cases = [
            ("", SecretError::Empty),
            ("whsec_", SecretError::Empty),
            ("whsec_abc\n", SecretError::TrailingNewline),
            ("whsec_abc\r\n", SecretError::TrailingNewline),
            (" whsec_abc", SecretError::SurroundingWhitespace),
            ("whsec_abc\t", SecretError::SurroundingWhitespace),
            ("sk_abc", SecretError::MissingPrefix),
            ("whsec_ab c", SecretError::InvalidCharacter),
            ("whsec_ab\u{7}c", SecretError::InvalidCharacter),
        ];
        for (value, expected) in cases {
            assert_eq!(WebhookSecret::parse(value).err(), Some(expected), "{value:?}");
        }
    }

    #[test]
    fn parse_rejects_overlong_secret() {
        let value = format!("whsec_{}", "a".repeat(MAX_SECRET_LENGTH));
        assert_eq!(WebhookSecret::parse(&value).err(), Some(SecretError::TooLong));
    }

    #[test]
    fn debug_redacts_the_value() {
        let secret = WebhookSecret::parse("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").expect("valid");
        let printed = format!("{secret:?}");
        assert!(!printed.contains("MfKQ9r8"), "{printed}");
    }

    #[test]
    fn standard_key_decodes_base64_part() {
        let secret = WebhookSecret::parse("whsec_AAECAw==").expect("valid");
        assert_eq!(secret.standard_key(), Ok(alloc::vec![0, 1, 2, 3]));
        let raw = WebhookSecret::parse("whsec_not-base64!").expect("valid");
        assert_eq!(raw.standard_key(), Err(SecretError::NotBase64));
    }

    #[cfg(feature = "getrandom")]
    #[test]
    fn generate_makes_distinct_standard_secrets() {
        let first = WebhookSecret::generate().expect("random bytes");
        let second = WebhookSecret::generate().expect("random bytes");
        assert_ne!(first.as_str(), second.as_str());
        assert_eq!(first.standard_key().map(|key| key.len()), Ok(32));
    }
}
