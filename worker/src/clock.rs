//! The current time, read from the Workers runtime.
//!
//! Inside a request the runtime's clock only advances across I/O, which is what makes
//! durations of network calls meaningful and nothing else.

use aether_webhooks::Timestamp;

/// Returns the current time.
#[must_use]
pub fn now() -> Timestamp {
    let millis = worker::Date::now().as_millis();
    Timestamp::from_millis(i64::try_from(millis).unwrap_or(i64::MAX))
}
