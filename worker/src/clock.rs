//! The current time, read from the Workers runtime.
//!
//! Inside a request the runtime's clock only advances across I/O, so a duration measured
//! around a network call is meaningful and one around pure computation reads as zero.

use aether_webhooks::Timestamp;

/// Returns the current time.
#[must_use]
pub fn now() -> Timestamp {
    let millis = worker::Date::now().as_millis();
    Timestamp::from_millis(i64::try_from(millis).unwrap_or(i64::MAX))
}
