//! Setting a Durable Object's alarm to an absolute time.
//!
//! In workers-rs 0.8.7, `Storage::set_alarm` takes an `impl Into<ScheduledTime>`: an `i64` or a
//! `Duration` is an offset from now, while a `DateTime` or a JS `Date` is an absolute time.
//! Deliveries store absolute times, so this module only ever passes a `Date` built from
//! milliseconds since the epoch. A time in the past makes the alarm run at once; alarms run
//! at least once and may run late, so every alarm handler re-reads what is due from storage.

use aether_webhooks::Timestamp;
use worker::wasm_bindgen::JsValue;
use worker::{ScheduledTime, Storage};

/// Sets the alarm to `at`, replacing any alarm already set.
///
/// # Errors
/// Returns the runtime's error when storage fails.
pub async fn set(storage: &Storage, at: Timestamp) -> worker::Result<()> {
    storage.set_alarm(absolute(at)).await
}

/// Sets the alarm to `at` unless it is already set to an earlier time.
///
/// # Errors
/// Returns the runtime's error when storage fails.
pub async fn schedule_no_later_than(storage: &Storage, at: Timestamp) -> worker::Result<()> {
    let current = storage.get_alarm().await?;
    if current.is_some_and(|current| current <= at.as_millis()) {
        return Ok(());
    }
    set(storage, at).await
}

/// Sets the alarm to `at`, or removes it when there is nothing to wake up for.
///
/// # Errors
/// Returns the runtime's error when storage fails.
pub async fn set_or_clear(storage: &Storage, at: Option<Timestamp>) -> worker::Result<()> {
    match at {
        Some(at) => set(storage, at).await,
        None => storage.delete_alarm().await,
    }
}

fn absolute(at: Timestamp) -> ScheduledTime {
    // Milliseconds since the epoch fit an f64 exactly up to 2^53, far beyond the year 9999.
    #[allow(clippy::cast_precision_loss)]
    let millis = at.as_millis() as f64;
    ScheduledTime::new(worker::js_sys::Date::new(&JsValue::from_f64(millis)))
}
