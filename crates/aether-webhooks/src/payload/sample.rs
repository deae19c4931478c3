//! Realistic sample data for each event type, sent by test deliveries and the trigger tool.

use alloc::string::String;

use super::{
    CommentCreated, EventData, MessageCreated, MessageKind, MessageStatus, MessageUpdated,
    Participant, PlatformError, PostCancelled, PostFailed, PostPublished, PostPublishing,
    PostScheduled,
};
use crate::{EventType, Platform, Timestamp};

/// 2026-06-15T09:00:12Z, the time of the product documentation's examples.
const SAMPLE_TIME: i64 = 1_781_514_012;

impl EventData {
    /// Returns sample data for `event_type`, shaped like what a real Instagram or Reddit
    /// profile produces, for test deliveries.
    #[must_use]
    pub fn sample(event_type: EventType) -> EventData {
        let at = |offset_seconds: i64| Timestamp::from_secs(SAMPLE_TIME + offset_seconds);

        match event_type {
            EventType::PostScheduled => EventData::PostScheduled(PostScheduled {
                post_id: text("post_xyz789"),
                platform: Platform::Instagram,
                profile_id: text("ig_abc123"),
                scheduled_for: at(3_600),
            }),
            EventType::PostPublishing => EventData::PostPublishing(PostPublishing {
                post_id: text("post_xyz789"),
                platform: Platform::Instagram,
                profile_id: text("ig_abc123"),
                started_at: at(-2),
            }),
            EventType::PostPublished => EventData::PostPublished(PostPublished {
                post_id: text("post_xyz789"),
                platform: Platform::Instagram,
                profile_id: text("ig_abc123"),
                platform_post_id: text("17890123456789"),
                platform_post_url: text("https://www.instagram.com/p/ABC123/"),
                published_at: at(0),
            }),
            EventType::PostFailed => EventData::PostFailed(PostFailed {
                post_id: text("post_xyz789"),
                platform: Platform::Tiktok,
                profile_id: text("tt_xyz789"),
                error: PlatformError {
                    code: text("68002"),
                    message: text("Permission denied: missing video.publish scope"),
                    retryable: false,
                },
                retries_exhausted: 5,
                failed_at: Some(at(31)),
            }),
            EventType::PostCancelled => EventData::PostCancelled(PostCancelled {
                post_id: text("post_lmn456"),
                platform: Platform::Linkedin,
                profile_id: text("li_def456"),
                cancelled_at: at(-600),
                reason: Some(text("Campaign postponed")),
            }),
            EventType::CommentCreated => EventData::CommentCreated(CommentCreated {
                comment_id: text("cmt_k2j4h6"),
                post_id: text("post_xyz789"),
                platform: Platform::Instagram,
                profile_id: text("ig_abc123"),
                platform_post_id: Some(text("17890123456789")),
                parent_comment_id: None,
                author: Participant { id: text("17841400000000001"), handle: text("mika.travels"), name: Some(text("Mika")) },
                text: text("Love this shot! 😍 Where was it taken?"),
                created_at: at(420),
            }),
            EventType::MessageCreated => EventData::MessageCreated(MessageCreated {
                message_id: text("msg_9f8e7d"),
                platform: Platform::Reddit,
                profile_id: text("rd_ghi789"),
                kind: MessageKind::Dm,
                thread_id: text("thr_t4_2p9x1"),
                from: Participant { id: text("t2_8k3j1"), handle: text("curious_dev"), name: None },
                text: text("Hi! Is the API available in Japanese? 日本語のドキュメントはありますか？"),
                created_at: at(900),
            }),
            EventType::MessageUpdated => EventData::MessageUpdated(MessageUpdated {
                message_id: text("msg_9f8e7d"),
                platform: Platform::Reddit,
                profile_id: text("rd_ghi789"),
                thread_id: text("thr_t4_2p9x1"),
                status: MessageStatus::Read,
                updated_at: at(1_200),
            }),
        }
    }
}

/// Copies `value` into a `String`. It is not inlined because at opt-level 3 the copy was
/// inlined into each of the 32 string fields, which made the WebAssembly module 0.4 KB larger
/// gzipped.
#[inline(never)]
fn text(value: &str) -> String {
    String::from(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_sample_has_its_own_event_type() {
        for event_type in EventType::ALL {
            assert_eq!(EventData::sample(event_type).event_type(), event_type);
        }
    }

    #[test]
    fn every_sample_round_trips_through_json() {
        for event_type in EventType::ALL {
            let sample = EventData::sample(event_type);
            let parsed = EventData::from_value(event_type, sample.to_value());
            assert_eq!(parsed, Ok(sample), "{event_type}");
        }
    }
}
