//! When a failed delivery is attempted again, and when it becomes a dead letter.
//!
//! Everything here is a pure function of its inputs: the clock and the randomness for jitter
//! are arguments, so the Worker's alarms and the tests share one policy.

mod outcome;
mod policy;
mod retry_after;
mod schedule;

pub use outcome::AttemptOutcome;
pub use policy::{RetryDecision, RetryPolicy};
pub use retry_after::parse_retry_after;
pub use schedule::{RetrySchedule, ScheduleError};
