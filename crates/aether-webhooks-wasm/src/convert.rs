//! Conversions of JavaScript numbers: clocks, tolerances and timestamps. Bodies are written
//! into WebAssembly memory directly (see [`crate::body`]).

const MILLIS_PER_SECOND: f64 = 1_000.0;

/// Returns the current time in whole Unix seconds: `now_millis` when the caller passed a
/// clock reading, otherwise the host's `Date.now()`.
pub(crate) fn unix_seconds(now_millis: Option<f64>) -> i64 {
    let millis = now_millis.unwrap_or_else(js_sys::Date::now);

    // `as` saturates: NaN becomes 0 and out-of-range readings clamp, which the timestamp
    // check then treats as a clock far from any signed timestamp.
    (millis / MILLIS_PER_SECOND).floor() as i64
}

/// Converts a tolerance in seconds; fractions are cut off, and negative values become zero.
pub(crate) fn tolerance_seconds(tolerance: Option<f64>) -> Option<u64> {
    tolerance.map(|seconds| seconds as u64)
}

/// Converts a Unix timestamp in seconds to a JavaScript number. Timestamps come from
/// `webhook-timestamp` headers of at most 15 digits, which a double represents exactly.
pub(crate) fn timestamp_number(timestamp: i64) -> f64 {
    timestamp as f64
}
