//! Hourly delivery statistics for the dashboard chart.

use aether_webhooks::Timestamp;
use serde::Serialize;

const HOUR_MILLIS: i64 = 3_600_000;

/// The attempts of one hour, by what followed them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Bucket {
    /// The start of the hour.
    pub start: Timestamp,
    /// Attempts the receiver accepted.
    pub delivered: u32,
    /// Failed attempts followed by a retry.
    pub retrying: u32,
    /// Failed attempts after which the delivery became a dead letter.
    pub dead_lettered: u32,
}

/// Counts of one hour as stored: the hour's number since the Unix epoch and its counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HourCounts {
    /// Milliseconds since the epoch divided by the length of an hour.
    pub hour: i64,
    /// Delivered attempts.
    pub delivered: u32,
    /// Retried attempts.
    pub retrying: u32,
    /// Dead-lettering attempts.
    pub dead_lettered: u32,
}

/// Returns the first millisecond counted by a chart of `hours` hours ending with the hour of
/// `now`.
#[must_use]
pub fn window_start(now: Timestamp, hours: u32) -> i64 {
    (current_hour(now) - i64::from(hours) + 1) * HOUR_MILLIS
}

/// Returns the hour number of a timestamp in milliseconds, as [`HourCounts::hour`] stores it.
#[must_use]
pub fn hour_of(millis: i64) -> i64 {
    millis.div_euclid(HOUR_MILLIS)
}

/// Lays the stored counts out as `hours` buckets, oldest first, the last one being the hour
/// of `now`. Hours without attempts get zeros, and counts outside the window are left out.
#[must_use]
pub fn buckets(counts: &[HourCounts], now: Timestamp, hours: u32) -> Vec<Bucket> {
    let last = current_hour(now);
    let first = last - i64::from(hours) + 1;

    (first..=last)
        .map(|hour| {
            let found = counts.iter().find(|counts| counts.hour == hour);
            Bucket {
                start: Timestamp::from_millis(hour * HOUR_MILLIS),
                delivered: found.map_or(0, |counts| counts.delivered),
                retrying: found.map_or(0, |counts| counts.retrying),
                dead_lettered: found.map_or(0, |counts| counts.dead_lettered),
            }
        })
        .collect()
}

fn current_hour(now: Timestamp) -> i64 {
    hour_of(now.as_millis())
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: Timestamp = Timestamp::from_secs(1_781_514_014);

    #[test]
    fn buckets_cover_the_window_oldest_first() {
        let hour = hour_of(NOW.as_millis());
        let counts = [
            HourCounts { hour, delivered: 3, retrying: 1, dead_lettered: 0 },
            HourCounts { hour: hour - 2, delivered: 0, retrying: 0, dead_lettered: 2 },
            HourCounts { hour: hour - 5, delivered: 9, retrying: 9, dead_lettered: 9 },
        ];

        let chart = buckets(&counts, NOW, 3);

        assert_eq!(chart.len(), 3);
        assert_eq!(chart[0].start, Timestamp::parse("2026-06-15T07:00:00Z").expect("valid"));
        assert_eq!((chart[0].delivered, chart[0].retrying, chart[0].dead_lettered), (0, 0, 2));
        assert_eq!((chart[1].delivered, chart[1].retrying, chart[1].dead_lettered), (0, 0, 0));
        assert_eq!((chart[2].delivered, chart[2].retrying, chart[2].dead_lettered), (3, 1, 0));
    }

    #[test]
    fn window_starts_at_an_hour_boundary() {
        assert_eq!(window_start(NOW, 1), Timestamp::parse("2026-06-15T09:00:00Z").expect("valid").as_millis());
        assert_eq!(window_start(NOW, 24), Timestamp::parse("2026-06-14T10:00:00Z").expect("valid").as_millis());
    }

    #[test]
    fn bucket_serialises_in_camel_case() {
        let value = serde_json::to_value(&buckets(&[], NOW, 1)[0]).expect("serialisable");

        assert_eq!(value, serde_json::json!({ "start": "2026-06-15T09:00:00Z", "delivered": 0, "retrying": 0, "deadLettered": 0 }));
    }
}
