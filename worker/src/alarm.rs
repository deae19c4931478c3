//! A Durable Object's alarm, set to absolute times and remembered by the object instance.
//!
//! In workers-rs 0.8.7, `Storage::set_alarm` takes an `impl Into<ScheduledTime>`: an `i64` or a
//! `Duration` is an offset from now, while a `DateTime` or a JS `Date` is an absolute time.
//! Deliveries store absolute times, so this module only ever passes a `Date` built from
//! milliseconds since the epoch. A time in the past makes the alarm run at once. Alarms run at
//! least once and may run late, so every alarm handler re-reads what is due from storage.

use core::cell::Cell;

use aether_webhooks::Timestamp;
use worker::wasm_bindgen::JsValue;
use worker::{ScheduledTime, Storage};

/// The alarm state as this instance last set or read it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Known {
    /// Not known: read it from storage before relying on it.
    Unknown,
    /// No alarm is set.
    Unset,
    /// The alarm is set to this time, in milliseconds since the epoch.
    At(i64),
}

/// The alarm of one Durable Object instance. Only this instance sets its alarm, so the time it
/// last set stays true until the alarm starts running. Remembering it saves a storage read
/// each time a delivery is accepted.
#[derive(Debug)]
pub struct Alarm {
    known: Cell<Known>,
}

impl Default for Alarm {
    fn default() -> Self {
        Alarm { known: Cell::new(Known::Unknown) }
    }
}

impl Alarm {
    /// Sets the alarm to `at` unless it is already set to that time or earlier.
    ///
    /// # Errors
    /// Returns the runtime's error when storage fails.
    pub async fn schedule_no_later_than(&self, storage: &Storage, at: Timestamp) -> worker::Result<()> {
        let current = match self.known.get() {
            Known::Unknown => storage.get_alarm().await?,
            Known::Unset => None,
            Known::At(millis) => Some(millis),
        };
        if current.is_some_and(|current| current <= at.as_millis()) {
            return Ok(());
        }
        self.set(storage, at).await
    }

    /// Sets the alarm to `at`, replacing any alarm already set.
    ///
    /// # Errors
    /// Returns the runtime's error when storage fails.
    pub async fn set(&self, storage: &Storage, at: Timestamp) -> worker::Result<()> {
        self.known.set(Known::Unknown);
        storage.set_alarm(absolute(at)).await?;
        self.known.set(Known::At(at.as_millis()));
        Ok(())
    }

    /// Sets the alarm to `at`, or removes it when there is nothing to wake up for.
    ///
    /// # Errors
    /// Returns the runtime's error when storage fails.
    pub async fn set_or_clear(&self, storage: &Storage, at: Option<Timestamp>) -> worker::Result<()> {
        match at {
            Some(at) => self.set(storage, at).await,
            None => {
                self.known.set(Known::Unknown);
                storage.delete_alarm().await?;
                self.known.set(Known::Unset);
                Ok(())
            }
        }
    }

    /// Records that the alarm started running, which unsets it in the runtime.
    pub fn started(&self) {
        self.known.set(Known::Unknown);
    }

    /// Forgets the remembered time, for example after all storage was deleted.
    pub fn forget(&self) {
        self.known.set(Known::Unknown);
    }
}

fn absolute(at: Timestamp) -> ScheduledTime {
    // Milliseconds since the epoch fit an f64 exactly up to 2^53, far beyond the year 9999.
    #[allow(clippy::cast_precision_loss)]
    let millis = at.as_millis() as f64;
    ScheduledTime::new(worker::js_sys::Date::new(&JsValue::from_f64(millis)))
}
