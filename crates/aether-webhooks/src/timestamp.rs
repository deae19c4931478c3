//! Instants in UTC with millisecond precision, written as RFC 3339.

use core::fmt;
use core::time::Duration;

const MILLIS_PER_SECOND: i64 = 1_000;
const SECONDS_PER_DAY: i64 = 86_400;

/// 0000-01-01T00:00:00Z and 9999-12-31T23:59:59.999Z in milliseconds since the Unix epoch:
/// the range RFC 3339's four-digit years can express.
const MIN_MILLIS: i64 = -62_167_219_200_000;
const MAX_MILLIS: i64 = 253_402_300_799_999;

/// An instant in UTC, stored as milliseconds since the Unix epoch.
///
/// Its text form, used in every payload, is RFC 3339 in UTC: `2026-06-15T09:00:14Z`, with
/// `.123` milliseconds only when they are not zero. Parsing accepts any UTC offset and
/// fractions of any length, and keeps milliseconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp(i64);

impl Timestamp {
    /// The Unix epoch, 1970-01-01T00:00:00Z.
    pub const UNIX_EPOCH: Timestamp = Timestamp(0);

    /// Creates a timestamp from milliseconds since the Unix epoch, clamped to the years
    /// 0000–9999 so that every value has an RFC 3339 form.
    #[must_use]
    pub const fn from_millis(millis: i64) -> Self {
        if millis < MIN_MILLIS {
            Timestamp(MIN_MILLIS)
        } else if millis > MAX_MILLIS {
            Timestamp(MAX_MILLIS)
        } else {
            Timestamp(millis)
        }
    }

    /// Creates a timestamp from seconds since the Unix epoch, clamped like
    /// [`Timestamp::from_millis`].
    #[must_use]
    pub const fn from_secs(secs: i64) -> Self {
        Timestamp::from_millis(secs.saturating_mul(MILLIS_PER_SECOND))
    }

    /// Returns milliseconds since the Unix epoch.
    #[must_use]
    pub const fn as_millis(self) -> i64 {
        self.0
    }

    /// Returns whole seconds since the Unix epoch, rounded towards negative infinity.
    #[must_use]
    pub const fn as_secs(self) -> i64 {
        self.0.div_euclid(MILLIS_PER_SECOND)
    }

    /// Returns the instant `duration` later, clamped to the year 9999.
    #[must_use]
    pub fn saturating_add(self, duration: Duration) -> Self {
        let millis = i64::try_from(duration.as_millis()).unwrap_or(i64::MAX);
        Timestamp::from_millis(self.0.saturating_add(millis))
    }

    /// Returns how long after `earlier` this instant is, or zero when it is not later.
    #[must_use]
    pub fn duration_since(self, earlier: Timestamp) -> Duration {
        let millis = self.0.saturating_sub(earlier.0).max(0);
        Duration::from_millis(millis.unsigned_abs())
    }

    /// Parses an RFC 3339 date-time such as `2026-06-15T09:00:14Z` or
    /// `2026-06-15T11:00:14.5+02:00`.
    ///
    /// # Errors
    /// Returns [`TimestampError`] when `text` is not an RFC 3339 date-time with a `Z` or
    /// `±hh:mm` offset, or names a day or time that does not exist (a leap second included).
    pub fn parse(text: &str) -> Result<Self, TimestampError> {
        let bytes = text.as_bytes();
        if bytes.len() < 20 || bytes.len() > 40 {
            return Err(TimestampError);
        }

        let year = digits(bytes, 0, 4)?;
        let month = digits(bytes, 5, 2)?;
        let day = digits(bytes, 8, 2)?;
        let hour = digits(bytes, 11, 2)?;
        let minute = digits(bytes, 14, 2)?;
        let second = digits(bytes, 17, 2)?;
        let separators_valid = bytes[4] == b'-'
            && bytes[7] == b'-'
            && matches!(bytes[10], b'T' | b't')
            && bytes[13] == b':'
            && bytes[16] == b':';
        if !separators_valid || !is_valid_date(year, month, day) || hour > 23 || minute > 59 || second > 59 {
            return Err(TimestampError);
        }

        let (millis, offset_start) = fraction_millis(bytes, 19)?;
        let offset_seconds = utc_offset_seconds(&bytes[offset_start..])?;

        let days = days_from_civil(year, month, day);
        let seconds = days * SECONDS_PER_DAY + hour * 3_600 + minute * 60 + second - offset_seconds;
        let total = seconds * MILLIS_PER_SECOND + millis;
        if !(MIN_MILLIS..=MAX_MILLIS).contains(&total) {
            return Err(TimestampError);
        }
        Ok(Timestamp(total))
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        let days = self.0.div_euclid(SECONDS_PER_DAY * MILLIS_PER_SECOND);
        let millis_of_day = self.0.rem_euclid(SECONDS_PER_DAY * MILLIS_PER_SECOND);
        let (year, month, day) = civil_from_days(days);

        let seconds_of_day = millis_of_day / MILLIS_PER_SECOND;
        let hour = seconds_of_day / 3_600;
        let minute = seconds_of_day % 3_600 / 60;
        let second = seconds_of_day % 60;
        let millis = millis_of_day % MILLIS_PER_SECOND;

        write!(formatter, "{year:04}-{month:02}-{day:02}T{hour:02}:{minute:02}:{second:02}")?;
        if millis != 0 {
            write!(formatter, ".{millis:03}")?;
        }
        formatter.write_str("Z")
    }
}

impl serde::Serialize for Timestamp {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for Timestamp {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = <alloc::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        Timestamp::parse(&text).map_err(serde::de::Error::custom)
    }
}

/// The error for text that is not an RFC 3339 date-time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TimestampError;

impl fmt::Display for TimestampError {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(
            "invalid timestamp: expected an RFC 3339 date-time such as 2026-06-15T09:00:14Z",
        )
    }
}

impl core::error::Error for TimestampError {}

/// Reads `count` ASCII digits starting at `start`.
fn digits(bytes: &[u8], start: usize, count: usize) -> Result<i64, TimestampError> {
    let field = bytes.get(start..start + count).ok_or(TimestampError)?;
    field.iter().try_fold(0_i64, |value, &byte| {
        if byte.is_ascii_digit() {
            Ok(value * 10 + i64::from(byte - b'0'))
        } else {
            Err(TimestampError)
        }
    })
}

/// Reads an optional `.fraction` at `start`; returns its milliseconds (truncated) and where
/// the offset begins.
fn fraction_millis(bytes: &[u8], start: usize) -> Result<(i64, usize), TimestampError> {
    if bytes.get(start) != Some(&b'.') {
        return Ok((0, start));
    }

    let fraction = &bytes[start + 1..];
    let length = fraction.iter().take_while(|byte| byte.is_ascii_digit()).count();
    if length == 0 {
        return Err(TimestampError);
    }

    let millis = fraction[..length.min(3)]
        .iter()
        .chain(core::iter::repeat(&b'0'))
        .take(3)
        .fold(0_i64, |value, &byte| value * 10 + i64::from(byte - b'0'));
    Ok((millis, start + 1 + length))
}

/// Reads `Z`, `z` or `±hh:mm` and returns the offset east of UTC in seconds.
fn utc_offset_seconds(offset: &[u8]) -> Result<i64, TimestampError> {
    match offset {
        [b'Z' | b'z'] => Ok(0),
        [sign @ (b'+' | b'-'), _, _, b':', _, _] => {
            let hours = digits(offset, 1, 2)?;
            let minutes = digits(offset, 4, 2)?;
            if hours > 23 || minutes > 59 {
                return Err(TimestampError);
            }
            let seconds = hours * 3_600 + minutes * 60;
            Ok(if *sign == b'-' { -seconds } else { seconds })
        }
        _ => Err(TimestampError),
    }
}

fn is_leap_year(year: i64) -> bool {
    year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
}

fn is_valid_date(year: i64, month: i64, day: i64) -> bool {
    let days_in_month = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap_year(year) => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days_in_month).contains(&day)
}

/// Days since 1970-01-01 of a proleptic Gregorian date, counted in 400-year eras that start
/// on March 1st so that the leap day falls at the end of each year.
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let shifted_year = if month <= 2 { year - 1 } else { year };
    let era = shifted_year.div_euclid(400);
    let year_of_era = shifted_year - era * 400;
    let month_from_march = (month + 9) % 12;
    let day_of_year = (153 * month_from_march + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// Converts days since 1970-01-01 back to a date, the inverse of [`days_from_civil`].
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let shifted = days + 719_468;
    let era = shifted.div_euclid(146_097);
    let day_of_era = shifted - era * 146_097;
    let year_of_era =
        (day_of_era - day_of_era / 1_460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_from_march = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * month_from_march + 2) / 5 + 1;
    let month = if month_from_march < 10 { month_from_march + 3 } else { month_from_march - 9 };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::string::ToString;

    #[test]
    fn parse_and_display_round_trip() {
        for text in ["2026-06-15T09:00:14Z", "1970-01-01T00:00:00Z", "2024-02-29T23:59:59.999Z", "0000-01-01T00:00:00Z", "9999-12-31T23:59:59.999Z"] {
            let timestamp = Timestamp::parse(text).expect(text);
            assert_eq!(timestamp.to_string(), text);
        }
    }

    #[test]
    fn parse_known_instant() {
        let timestamp = Timestamp::parse("2026-06-15T09:00:14Z").expect("valid");
        assert_eq!(timestamp.as_secs(), 1_781_514_014);
    }

    #[test]
    fn parse_normalises_offsets_to_utc() {
        let shifted = Timestamp::parse("2026-06-15T11:00:14.5+02:00").expect("valid");
        assert_eq!(shifted.to_string(), "2026-06-15T09:00:14.500Z");
        let west = Timestamp::parse("2026-06-15T04:00:14-05:00").expect("valid");
        assert_eq!(west.to_string(), "2026-06-15T09:00:14Z");
    }

    #[test]
    fn parse_truncates_fraction_to_millis() {
        let timestamp = Timestamp::parse("2026-06-15T09:00:14.123456789Z").expect("valid");
        assert_eq!(timestamp.as_millis() % 1_000, 123);
    }

    #[test]
    fn parse_rejects_invalid_text() {
        for text in [
            "",
            "2026-06-15",
            "2026-06-15T09:00:14",
            "2026-02-29T00:00:00Z",
            "2026-13-01T00:00:00Z",
            "2026-06-15T24:00:00Z",
            "2026-06-15T09:00:60Z",
            "2026-06-15T09:00:14.Z",
            "2026-06-15T09:00:14+0200",
            "2026-06-15 09:00:14Z",
            "2026-06-15T09:00:14Zjunk",
            "२०२६-06-15T09:00:14Z",
        ] {
            assert_eq!(Timestamp::parse(text), Err(TimestampError), "{text}");
        }
    }

    #[test]
    fn from_millis_clamps_to_four_digit_years() {
        assert_eq!(Timestamp::from_millis(i64::MAX).to_string(), "9999-12-31T23:59:59.999Z");
        assert_eq!(Timestamp::from_millis(i64::MIN).to_string(), "0000-01-01T00:00:00Z");
    }

    #[test]
    fn civil_conversion_round_trips() {
        for days in -146_097..146_097 {
            let (year, month, day) = civil_from_days(days);
            assert_eq!(days_from_civil(year, month, day), days);
        }
    }
}
