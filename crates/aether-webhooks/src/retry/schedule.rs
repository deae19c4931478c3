//! The retry schedule and its configuration syntax.

use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;
use core::str::FromStr;
use core::time::Duration;

/// The maximum number of attempts a schedule may list.
pub const MAX_SCHEDULE_ENTRIES: usize = 20;

/// The maximum single delay in a schedule, 7 days.
pub const MAX_SCHEDULE_DELAY: Duration = Duration::from_secs(7 * 24 * 3_600);

/// When each attempt of a delivery happens: entry 1 is the delay of the first attempt, and
/// entry `n + 1` the delay after attempt `n` failed.
///
/// The default is `0s,5m,30m,2h,6h,12h`: an immediate attempt, then five retries, about 20
/// hours and 35 minutes in all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetrySchedule {
    delays: Vec<Duration>,
}

impl RetrySchedule {
    /// Parses a comma-separated list of delays, each a whole number followed by `ms`, `s`,
    /// `m`, `h` or `d`, such as `0s,5m,30m,2h,6h,12h`. Spaces around entries are ignored.
    ///
    /// # Errors
    /// Returns a [`ScheduleError`] when the list is empty, has more than
    /// [`MAX_SCHEDULE_ENTRIES`] entries, or an entry is not a number with a unit or is longer
    /// than [`MAX_SCHEDULE_DELAY`].
    pub fn parse(text: &str) -> Result<Self, ScheduleError> {
        if text.trim().is_empty() {
            return Err(ScheduleError::Empty);
        }

        let mut delays = Vec::new();
        for (index, entry) in text.split(',').enumerate() {
            if index == MAX_SCHEDULE_ENTRIES {
                return Err(ScheduleError::TooManyEntries);
            }
            let entry = entry.trim();
            let invalid = || ScheduleError::InvalidEntry { position: index + 1, entry: String::from(entry) };

            let delay = parse_delay(entry).ok_or_else(invalid)?;
            if delay > MAX_SCHEDULE_DELAY {
                return Err(ScheduleError::DelayTooLong { position: index + 1 });
            }
            delays.push(delay);
        }
        Ok(RetrySchedule { delays })
    }

    /// Returns how many attempts a delivery gets before it becomes a dead letter.
    #[must_use]
    pub fn max_attempts(&self) -> u32 {
        u32::try_from(self.delays.len()).unwrap_or(u32::MAX)
    }

    /// Returns the delay before attempt number `attempt` (1-based), or `None` past the last.
    #[must_use]
    pub fn delay_before(&self, attempt: u32) -> Option<Duration> {
        let index = usize::try_from(attempt.checked_sub(1)?).ok()?;
        self.delays.get(index).copied()
    }

    /// Returns every delay, first attempt first.
    #[must_use]
    pub fn delays(&self) -> &[Duration] {
        &self.delays
    }
}

impl Default for RetrySchedule {
    fn default() -> Self {
        let minutes = |count: u64| Duration::from_secs(count * 60);
        RetrySchedule {
            delays: alloc::vec![
                Duration::ZERO,
                minutes(5),
                minutes(30),
                minutes(2 * 60),
                minutes(6 * 60),
                minutes(12 * 60),
            ],
        }
    }
}

impl FromStr for RetrySchedule {
    type Err = ScheduleError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        RetrySchedule::parse(text)
    }
}

impl fmt::Display for RetrySchedule {
    /// Writes the schedule in the syntax [`RetrySchedule::parse`] reads, in the largest unit
    /// that divides each delay.
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (index, delay) in self.delays.iter().enumerate() {
            if index > 0 {
                formatter.write_str(",")?;
            }
            let millis = delay.as_millis();
            if millis == 0 {
                formatter.write_str("0s")?;
                continue;
            }
            let (count, unit) = [(86_400_000, "d"), (3_600_000, "h"), (60_000, "m"), (1_000, "s")]
                .into_iter()
                .find(|(size, _)| millis % size == 0)
                .map_or((millis, "ms"), |(size, unit)| (millis / size, unit));
            write!(formatter, "{count}{unit}")?;
        }
        Ok(())
    }
}

fn parse_delay(entry: &str) -> Option<Duration> {
    let split = entry.find(|character: char| !character.is_ascii_digit())?;
    let (digits, unit) = entry.split_at(split);
    if digits.is_empty() || digits.len() > 12 {
        return None;
    }
    let count: u64 = digits.parse().ok()?;

    let millis_per_unit = match unit {
        "ms" => 1,
        "s" => 1_000,
        "m" => 60_000,
        "h" => 3_600_000,
        "d" => 86_400_000,
        _ => return None,
    };
    count.checked_mul(millis_per_unit).map(Duration::from_millis)
}

/// The reason a retry schedule string could not be used.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ScheduleError {
    /// The schedule is empty.
    Empty,
    /// The schedule lists more than [`MAX_SCHEDULE_ENTRIES`] attempts.
    TooManyEntries,
    /// An entry is not a whole number followed by a unit.
    InvalidEntry {
        /// The entry's 1-based position.
        position: usize,
        /// The entry as written.
        entry: String,
    },
    /// An entry is longer than [`MAX_SCHEDULE_DELAY`].
    DelayTooLong {
        /// The entry's 1-based position.
        position: usize,
    },
}

impl ScheduleError {
    /// Returns the stable machine-readable code of this error.
    #[must_use]
    pub fn code(&self) -> &'static str {
        "invalid_retry_schedule"
    }
}

impl fmt::Display for ScheduleError {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ScheduleError::Empty => formatter.write_str("the retry schedule is empty: list delays such as 0s,5m,30m,2h,6h,12h"),
            ScheduleError::TooManyEntries => write!(formatter, "the retry schedule lists more than {MAX_SCHEDULE_ENTRIES} attempts"),
            ScheduleError::InvalidEntry { position, entry } => write!(formatter, "retry schedule entry {position} ({entry:?}) is invalid: expected a whole number followed by ms, s, m, h or d"),
            ScheduleError::DelayTooLong { position } => write!(formatter, "retry schedule entry {position} is longer than the maximum of 7 days"),
        }
    }
}

impl core::error::Error for ScheduleError {}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::string::ToString;

    #[test]
    fn default_matches_documented_schedule() {
        let parsed = RetrySchedule::parse("0s,5m,30m,2h,6h,12h").expect("valid");
        assert_eq!(parsed, RetrySchedule::default());
        assert_eq!(parsed.max_attempts(), 6);
        assert_eq!(parsed.to_string(), "0s,5m,30m,2h,6h,12h");
    }

    #[test]
    fn parse_accepts_every_unit_and_spaces() {
        let parsed = RetrySchedule::parse(" 0ms, 1500ms ,2s,1m,1h,1d").expect("valid");
        let millis: Vec<u128> = parsed.delays().iter().map(Duration::as_millis).collect();
        assert_eq!(millis, [0, 1_500, 2_000, 60_000, 3_600_000, 86_400_000]);
        assert_eq!(parsed.to_string(), "0s,1500ms,2s,1m,1h,1d");
    }

    #[test]
    fn delay_before_is_one_based() {
        let schedule = RetrySchedule::default();
        assert_eq!(schedule.delay_before(0), None);
        assert_eq!(schedule.delay_before(1), Some(Duration::ZERO));
        assert_eq!(schedule.delay_before(2), Some(Duration::from_secs(300)));
        assert_eq!(schedule.delay_before(7), None);
    }

    #[test]
    fn parse_rejects_bad_entries_with_position() {
        assert_eq!(RetrySchedule::parse(""), Err(ScheduleError::Empty));
        assert_eq!(
            RetrySchedule::parse("0s,5x"),
            Err(ScheduleError::InvalidEntry { position: 2, entry: String::from("5x") })
        );
        assert_eq!(
            RetrySchedule::parse("0s,,5m"),
            Err(ScheduleError::InvalidEntry { position: 2, entry: String::new() })
        );
        assert_eq!(
            RetrySchedule::parse("5"),
            Err(ScheduleError::InvalidEntry { position: 1, entry: String::from("5") })
        );
        assert_eq!(RetrySchedule::parse("0s,8d"), Err(ScheduleError::DelayTooLong { position: 2 }));
        assert_eq!(RetrySchedule::parse(&["1s"; 21].join(",")), Err(ScheduleError::TooManyEntries));
        assert!(matches!(RetrySchedule::parse("99999999999999999999s"), Err(ScheduleError::InvalidEntry { .. })));
    }
}
