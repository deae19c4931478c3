//! The error shared by both signature schemes.

use core::fmt;

use crate::SecretError;

/// The reason a delivery failed verification.
///
/// Malformed input, a stale delivery and a signature mismatch are kept apart so a receiver can
/// log the right cause. A mismatch never reveals *why* the signature differed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum SignatureError {
    /// The signature header is absent or empty.
    Missing,
    /// The `webhook-id` header is absent or empty.
    MissingMessageId,
    /// The signature header is not in the scheme's format.
    Malformed,
    /// The header holds only signatures of a scheme or version this crate does not verify,
    /// such as `sha1=`.
    UnsupportedScheme,
    /// The header contains more signatures than [`MAX_SIGNATURES`](crate::signature::MAX_SIGNATURES).
    TooMany,
    /// No signature in the header matches the body and secret.
    Mismatch,
    /// The `webhook-timestamp` header is not a whole number of seconds.
    InvalidTimestamp,
    /// The signed timestamp is older than the tolerance allows.
    Stale,
    /// The signed timestamp is further in the future than the tolerance allows.
    Future,
    /// The secret cannot key this scheme.
    Secret(SecretError),
}

impl SignatureError {
    /// Returns the stable machine-readable code of this error.
    #[must_use]
    pub const fn code(self) -> &'static str {
        match self {
            SignatureError::Missing | SignatureError::MissingMessageId => "missing_signature",
            SignatureError::Malformed => "malformed_signature",
            SignatureError::UnsupportedScheme => "unsupported_scheme",
            SignatureError::TooMany => "too_many_signatures",
            SignatureError::Mismatch => "invalid_signature",
            SignatureError::InvalidTimestamp => "invalid_timestamp",
            SignatureError::Stale => "stale_delivery",
            SignatureError::Future => "future_delivery",
            SignatureError::Secret(error) => error.code(),
        }
    }
}

impl fmt::Display for SignatureError {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        let message = match self {
            SignatureError::Missing => "the signature header is missing or empty: the request was not signed by Aether",
            SignatureError::MissingMessageId => "the webhook-id header is missing or empty: it is required to verify webhook-signature",
            SignatureError::Malformed => "the signature header is malformed: expected sha256=<64 lowercase hex digits> (x-aether-signature) or v1,<base64> (webhook-signature)",
            SignatureError::UnsupportedScheme => "the signature header contains no signature of a supported scheme: expected sha256= (x-aether-signature) or v1, (webhook-signature)",
            SignatureError::TooMany => "the signature header contains more than 8 signatures: send at most 8",
            SignatureError::Mismatch => "no signature matches: check that the secret is the one of this endpoint and that the body is the raw request body, unparsed",
            SignatureError::InvalidTimestamp => "the webhook-timestamp header is not a whole number of seconds since the Unix epoch",
            SignatureError::Stale => "the delivery's signed timestamp is older than the tolerance: it may be a replay; check the receiver's clock",
            SignatureError::Future => "the delivery's signed timestamp is further in the future than the tolerance: check the receiver's clock",
            SignatureError::Secret(error) => return fmt::Display::fmt(error, formatter),
        };
        formatter.write_str(message)
    }
}

impl core::error::Error for SignatureError {
    fn source(&self) -> Option<&(dyn core::error::Error + 'static)> {
        match self {
            SignatureError::Secret(error) => Some(error),
            _ => None,
        }
    }
}

impl From<SecretError> for SignatureError {
    fn from(error: SecretError) -> Self {
        SignatureError::Secret(error)
    }
}
