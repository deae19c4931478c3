//! The decision taken after each delivery attempt.

use core::time::Duration;

use super::{AttemptOutcome, RetrySchedule};
use crate::Timestamp;

/// The next step for a delivery after an attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RetryDecision {
    /// The receiver accepted the delivery; nothing more to do.
    Delivered,
    /// Attempt again at this time.
    RetryAt(Timestamp),
    /// The last attempt failed: keep the delivery as a dead letter for listing and replay.
    DeadLetter,
    /// The receiver responded `410 Gone`, so the endpoint is disabled and gets no more deliveries.
    DisableEndpoint,
}

/// The retry policy: a schedule plus the bounds for `Retry-After` and jitter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    /// When each attempt happens.
    pub schedule: RetrySchedule,
    /// The longest `Retry-After` honoured; longer requests wait this long.
    pub max_retry_after: Duration,
    /// How far each retry delay may be moved at random, in percent of the delay, to spread
    /// retries of many deliveries that failed together. Values above 50 count as 50.
    pub jitter_percent: u8,
}

impl Default for RetryPolicy {
    /// Returns the default schedule, with `Retry-After` honoured up to 24 hours and no jitter.
    fn default() -> Self {
        RetryPolicy {
            schedule: RetrySchedule::default(),
            max_retry_after: Duration::from_secs(24 * 3_600),
            jitter_percent: 0,
        }
    }
}

impl RetryPolicy {
    /// Decides what follows attempt number `attempt` (1-based) that ended with `outcome` at
    /// `now`. `random` is any uniformly random value; it only moves the delay by the jitter.
    ///
    /// - a 2xx status: [`RetryDecision::Delivered`];
    /// - `410 Gone`: [`RetryDecision::DisableEndpoint`];
    /// - any other status (3xx included, since redirects are not followed), a timeout, a
    ///   connection or TLS failure: the next attempt of the schedule, or
    ///   [`RetryDecision::DeadLetter`] after the last one. A `Retry-After` sent with 429 or 503
    ///   makes the wait at least that long, up to [`RetryPolicy::max_retry_after`].
    #[must_use]
    pub fn decide(&self, attempt: u32, outcome: &AttemptOutcome, now: Timestamp, random: u32) -> RetryDecision {
        if outcome.is_success() {
            return RetryDecision::Delivered;
        }
        if matches!(outcome, AttemptOutcome::Response { status: 410, .. }) {
            return RetryDecision::DisableEndpoint;
        }

        let Some(scheduled) = self.schedule.delay_before(attempt.max(1).saturating_add(1)) else {
            return RetryDecision::DeadLetter;
        };

        let requested = match outcome {
            AttemptOutcome::Response { status: 429 | 503, retry_after: Some(wait) } => (*wait).min(self.max_retry_after),
            _ => Duration::ZERO,
        };
        let delay = self.jittered(scheduled, random).max(requested);

        RetryDecision::RetryAt(now.saturating_add(delay))
    }

    /// Moves `delay` by up to `jitter_percent` percent either way, chosen by `random`.
    fn jittered(&self, delay: Duration, random: u32) -> Duration {
        let percent = u128::from(self.jitter_percent.min(50));
        let millis = delay.as_millis();
        let spread = millis * percent / 100;
        if spread == 0 {
            return delay;
        }

        let offset = u128::from(random) % (2 * spread + 1);
        let moved = millis - spread + offset;
        Duration::from_millis(u64::try_from(moved).unwrap_or(u64::MAX))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: Timestamp = Timestamp::from_secs(1_781_514_014);

    fn failed(status: u16) -> AttemptOutcome {
        AttemptOutcome::Response { status, retry_after: None }
    }

    fn after(seconds: u64) -> RetryDecision {
        RetryDecision::RetryAt(NOW.saturating_add(Duration::from_secs(seconds)))
    }

    #[test]
    fn default_schedule_retries_five_times_then_dead_letters() {
        let policy = RetryPolicy::default();
        let expected = [after(300), after(1_800), after(7_200), after(21_600), after(43_200), RetryDecision::DeadLetter];
        for (attempt, decision) in (1..).zip(expected) {
            assert_eq!(policy.decide(attempt, &failed(500), NOW, 0), decision, "attempt {attempt}");
        }
    }

    #[test]
    fn success_and_gone_end_the_schedule() {
        let policy = RetryPolicy::default();
        assert_eq!(policy.decide(1, &failed(204), NOW, 0), RetryDecision::Delivered);
        assert_eq!(policy.decide(6, &failed(200), NOW, 0), RetryDecision::Delivered);
        assert_eq!(policy.decide(1, &failed(410), NOW, 0), RetryDecision::DisableEndpoint);
    }

    #[test]
    fn redirects_and_network_failures_are_retried() {
        let policy = RetryPolicy::default();
        for outcome in [failed(301), failed(302), failed(400), failed(404), AttemptOutcome::Timeout, AttemptOutcome::Connection, AttemptOutcome::Tls] {
            assert_eq!(policy.decide(1, &outcome, NOW, 0), after(300), "{outcome:?}");
        }
    }

    #[test]
    fn retry_after_lengthens_but_never_shortens_the_wait() {
        let policy = RetryPolicy::default();
        let asks = |status, seconds| AttemptOutcome::Response { status, retry_after: Some(Duration::from_secs(seconds)) };
        assert_eq!(policy.decide(1, &asks(429, 900), NOW, 0), after(900));
        assert_eq!(policy.decide(1, &asks(503, 10), NOW, 0), after(300));
        assert_eq!(policy.decide(1, &asks(429, 10 * 86_400), NOW, 0), after(86_400));
        assert_eq!(policy.decide(1, &asks(500, 900), NOW, 0), after(300));
    }

    #[test]
    fn jitter_stays_within_bounds() {
        let policy = RetryPolicy { jitter_percent: 10, ..RetryPolicy::default() };
        let earliest = NOW.saturating_add(Duration::from_secs(270));
        let latest = NOW.saturating_add(Duration::from_secs(330));
        for random in [0, 1, 12_345, u32::MAX / 2, u32::MAX] {
            let RetryDecision::RetryAt(at) = policy.decide(1, &failed(500), NOW, random) else {
                panic!("a failed first attempt is retried");
            };
            assert!(at >= earliest, "{at}");
            assert!(at <= latest, "{at}");
        }
        assert_eq!(policy.decide(1, &failed(500), NOW, 0), after(270));
    }

    #[test]
    fn attempt_zero_counts_as_first() {
        assert_eq!(RetryPolicy::default().decide(0, &failed(500), NOW, 0), after(300));
    }
}
