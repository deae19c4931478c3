//! The messages on the events queue.
//!
//! A message is a versioned enum written as JSON text, so a Worker of a later version can still
//! read what an earlier one enqueued, and the body survives the queue byte for byte.

use aether_webhooks::{EventType, Timestamp};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// One message on the events queue.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "version")]
pub enum QueueMessage {
    /// An accepted event, version 1.
    #[serde(rename = "event.v1")]
    EventV1(EventV1),
}

/// An event accepted at intake, to be fanned out to the organization's endpoints.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EventV1 {
    /// The event id: the caller's, or `evt_…` assigned at intake. Together with the endpoint
    /// it identifies a delivery, so the same id sent twice is delivered once.
    pub id: String,
    /// The organization whose endpoints receive the event.
    pub org_id: String,
    /// The event type.
    pub event: EventType,
    /// The event's data, already checked against the event type.
    pub data: Value,
    /// When the event happened, if the caller sent it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub occurred_at: Option<Timestamp>,
    /// When intake accepted the event.
    pub accepted_at: Timestamp,
}

impl QueueMessage {
    /// Writes the message as JSON text.
    #[must_use]
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("a queue message has string keys and no non-finite numbers")
    }

    /// Reads a message from JSON text.
    ///
    /// # Errors
    /// Returns the parser's error for text that is not a message of a known version.
    pub fn from_json(text: &str) -> Result<QueueMessage, serde_json::Error> {
        serde_json::from_str(text)
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn event_round_trips_with_its_version_tag() {
        let message = QueueMessage::EventV1(EventV1 {
            id: "evt_1".into(),
            org_id: "org_dev".into(),
            event: EventType::PostPublished,
            data: json!({ "postId": "post_1" }),
            occurred_at: None,
            accepted_at: Timestamp::from_secs(1_781_514_014),
        });
        let text = message.to_json();

        assert!(text.starts_with(r#"{"version":"event.v1","id":"evt_1","orgId":"org_dev","event":"post.published""#), "{text}");
        assert_eq!(QueueMessage::from_json(&text).expect("round trip"), message);
    }

    #[test]
    fn unknown_versions_are_rejected() {
        assert!(QueueMessage::from_json(r#"{"version":"event.v9","id":"evt_1"}"#).is_err());
        assert!(QueueMessage::from_json("not json").is_err());
    }
}
