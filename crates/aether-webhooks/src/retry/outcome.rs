//! The outcome of one delivery attempt.

use core::time::Duration;

/// The result of one delivery attempt, as the retry policy needs it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AttemptOutcome {
    /// The receiver responded with an HTTP status.
    Response {
        /// The HTTP status code.
        status: u16,
        /// The receiver's `Retry-After`, already parsed (see
        /// [`parse_retry_after`](super::parse_retry_after)).
        retry_after: Option<Duration>,
    },
    /// The receiver did not respond within the attempt timeout.
    Timeout,
    /// No connection could be made, or it broke before a response arrived.
    Connection,
    /// The TLS handshake failed, for example on an expired certificate.
    Tls,
}

impl AttemptOutcome {
    /// Returns whether the receiver accepted the delivery with a 2xx status.
    #[must_use]
    pub fn is_success(&self) -> bool {
        matches!(self, AttemptOutcome::Response { status: 200..=299, .. })
    }

    /// Returns the error class shown in the delivery log, or `None` for a success.
    ///
    /// A 3xx status is `redirect`, because redirects are not followed. Other non-2xx statuses
    /// are `http`, and network failures are `timeout`, `connection` or `tls`.
    #[must_use]
    pub fn error_class(&self) -> Option<&'static str> {
        match self {
            AttemptOutcome::Response { status: 200..=299, .. } => None,
            AttemptOutcome::Response { status: 300..=399, .. } => Some("redirect"),
            AttemptOutcome::Response { .. } => Some("http"),
            AttemptOutcome::Timeout => Some("timeout"),
            AttemptOutcome::Connection => Some("connection"),
            AttemptOutcome::Tls => Some("tls"),
        }
    }
}
