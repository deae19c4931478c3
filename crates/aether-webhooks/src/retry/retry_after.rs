//! Reading the `Retry-After` response header.

use core::time::Duration;

use crate::Timestamp;

/// Parses a `Retry-After` value as the wait it requests, measured from `now`.
///
/// Both forms of RFC 9110 are read: delay-seconds (`120`) and an IMF-fixdate
/// (`Sun, 06 Nov 1994 08:49:37 GMT`); a date in the past means no wait. The obsolete
/// RFC 850 and asctime date forms are not read and give `None`, as does anything else.
#[must_use]
pub fn parse_retry_after(value: &str, now: Timestamp) -> Option<Duration> {
    let value = value.trim();

    if !value.is_empty() && value.bytes().all(|byte| byte.is_ascii_digit()) {
        let seconds = if value.len() > 12 { u64::MAX } else { value.parse().ok()? };
        return Some(Duration::from_secs(seconds));
    }

    let date = parse_imf_fixdate(value)?;
    Some(date.duration_since(now))
}

/// Parses `Sun, 06 Nov 1994 08:49:37 GMT`.
fn parse_imf_fixdate(value: &str) -> Option<Timestamp> {
    let bytes = value.as_bytes();
    if bytes.len() != 29 || &bytes[3..5] != b", " || &bytes[25..] != b" GMT" {
        return None;
    }

    const MONTHS: [&[u8]; 12] = [b"Jan", b"Feb", b"Mar", b"Apr", b"May", b"Jun", b"Jul", b"Aug", b"Sep", b"Oct", b"Nov", b"Dec"];
    let month = MONTHS.iter().position(|name| *name == &bytes[8..11])? + 1;
    let text = core::str::from_utf8(bytes).ok()?;

    let rfc3339 = alloc::format!("{}-{month:02}-{}T{}Z", &text[12..16], &text[5..7], &text[17..25]);
    Timestamp::parse(&rfc3339).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: Timestamp = Timestamp::from_secs(784_111_777);

    #[test]
    fn parse_reads_delay_seconds() {
        assert_eq!(parse_retry_after("120", NOW), Some(Duration::from_secs(120)));
        assert_eq!(parse_retry_after(" 0 ", NOW), Some(Duration::ZERO));
        assert_eq!(parse_retry_after("99999999999999999999", NOW), Some(Duration::from_secs(u64::MAX)));
    }

    #[test]
    fn parse_reads_http_dates() {
        assert_eq!(parse_retry_after("Sun, 06 Nov 1994 08:51:37 GMT", NOW), Some(Duration::from_secs(120)));
        assert_eq!(parse_retry_after("Sun, 06 Nov 1994 08:00:00 GMT", NOW), Some(Duration::ZERO));
    }

    #[test]
    fn parse_rejects_other_text() {
        for value in ["", "-5", "1.5", "soon", "Sunday, 06-Nov-94 08:49:37 GMT", "Sun, 06 Xyz 1994 08:49:37 GMT", "Sun, 31 Feb 1994 08:49:37 GMT", "Sun, 06 Nov 1994 08:49:37 UTC"] {
            assert_eq!(parse_retry_after(value, NOW), None, "{value:?}");
        }
    }
}
