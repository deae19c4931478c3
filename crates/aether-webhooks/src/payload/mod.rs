//! The JSON body of a delivery: `{ "event", "webhookId", "deliveredAt", "data" }`.

mod data;
mod json;
mod read;
mod sample;
mod write;

use alloc::string::{String, ToString};
use alloc::vec::Vec;
use core::fmt;

use serde::Serialize;
use serde::ser::SerializeStruct;
use serde_json::Value;

pub use data::{
    CommentCreated, MessageCreated, MessageKind, MessageStatus, MessageUpdated, Participant,
    PlatformError, PostCancelled, PostFailed, PostPublished, PostPublishing, PostScheduled,
};

use crate::{EventType, Timestamp};

/// One delivery's body, as POSTed to an endpoint and signed byte for byte.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Delivery {
    /// The id of the endpoint registration (`wh_…`) the delivery was sent to.
    pub webhook_id: String,
    /// When this attempt was sent; every retry carries its own time.
    pub delivered_at: Timestamp,
    /// The event's typed data; it also decides the `event` field.
    pub data: EventData,
}

impl Delivery {
    /// Returns the event type, the `event` field on the wire.
    #[must_use]
    pub fn event_type(&self) -> EventType {
        self.data.event_type()
    }

    /// Parses a delivery body. Unknown fields are ignored at every level, and with a
    /// duplicate key the last member wins.
    ///
    /// # Errors
    /// - [`PayloadError::Json`] when `body` is not JSON (a byte order mark included), or not
    ///   an object with string fields `event`, `webhookId`, an RFC 3339 `deliveredAt` and a
    ///   `data` field.
    /// - [`PayloadError::UnknownEvent`] when `event` is not one of the eight event types.
    /// - [`PayloadError::InvalidData`] when `data` is not an object with the fields of that
    ///   event type.
    pub fn from_slice(body: &[u8]) -> Result<Self, PayloadError> {
        let tree = json::parse(body).map_err(|error| PayloadError::Json(error.to_string()))?;
        let envelope = read::envelope(&tree).map_err(PayloadError::Json)?;

        let event_type = EventType::parse(&envelope.event).map_err(|_| PayloadError::UnknownEvent(envelope.event))?;
        let data = EventData::from_json(event_type, envelope.data)?;

        Ok(Delivery { webhook_id: envelope.webhook_id, delivered_at: envelope.delivered_at, data })
    }

    /// Serialises the delivery as compact JSON with the fields in the order `event`,
    /// `webhookId`, `deliveredAt`, `data`.
    ///
    /// The bytes are the same as `serde_json::to_vec` of the [`Serialize`] impl.
    #[must_use]
    pub fn to_vec(&self) -> Vec<u8> {
        write::delivery(self).into_bytes()
    }
}

impl Serialize for Delivery {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut envelope = serializer.serialize_struct("Delivery", 4)?;
        envelope.serialize_field("event", &self.event_type())?;
        envelope.serialize_field("webhookId", &self.webhook_id)?;
        envelope.serialize_field("deliveredAt", &self.delivered_at)?;
        envelope.serialize_field("data", &self.data)?;
        envelope.end()
    }
}

/// The typed `data` of a delivery, one variant per event type.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum EventData {
    /// `post.scheduled`
    PostScheduled(PostScheduled),
    /// `post.publishing`
    PostPublishing(PostPublishing),
    /// `post.published`
    PostPublished(PostPublished),
    /// `post.failed`
    PostFailed(PostFailed),
    /// `post.cancelled`
    PostCancelled(PostCancelled),
    /// `comment.created`
    CommentCreated(CommentCreated),
    /// `message.created`
    MessageCreated(MessageCreated),
    /// `message.updated`
    MessageUpdated(MessageUpdated),
}

impl EventData {
    /// Returns the event type this data belongs to.
    #[must_use]
    pub fn event_type(&self) -> EventType {
        match self {
            EventData::PostScheduled(_) => EventType::PostScheduled,
            EventData::PostPublishing(_) => EventType::PostPublishing,
            EventData::PostPublished(_) => EventType::PostPublished,
            EventData::PostFailed(_) => EventType::PostFailed,
            EventData::PostCancelled(_) => EventType::PostCancelled,
            EventData::CommentCreated(_) => EventType::CommentCreated,
            EventData::MessageCreated(_) => EventType::MessageCreated,
            EventData::MessageUpdated(_) => EventType::MessageUpdated,
        }
    }

    /// Types a JSON `data` object as the data of `event_type`.
    ///
    /// The value is written out as JSON text and read back with the same reader as
    /// [`Delivery::from_slice`], so both report the same errors.
    ///
    /// NOTE: a `data` value nested deeper than 64 arrays and objects, even in an unknown field,
    /// is rejected, and the error's byte offset counts in the rewritten text.
    ///
    /// # Errors
    /// Returns [`PayloadError::InvalidData`] naming the event type and the first missing or
    /// mistyped field.
    pub fn from_value(event_type: EventType, data: Value) -> Result<Self, PayloadError> {
        let text = serde_json::to_vec(&data).expect("a JSON value has string keys and finite numbers");
        let tree = json::parse(&text).map_err(|error| PayloadError::InvalidData { event_type, detail: error.to_string() })?;

        EventData::from_json(event_type, &tree)
    }

    /// Types a parsed `data` value as the data of `event_type`.
    fn from_json(event_type: EventType, data: &json::Json<'_>) -> Result<Self, PayloadError> {
        read::event_data(event_type, data).map_err(|detail| PayloadError::InvalidData { event_type, detail })
    }

    /// Returns the data as a JSON value.
    #[must_use]
    pub fn to_value(&self) -> Value {
        serde_json::to_value(self).expect("event data has string keys and no non-finite numbers")
    }
}

/// The reason a delivery body or an event's data could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum PayloadError {
    /// The body is not JSON of the envelope's shape. Contains the reader's message, with the
    /// byte offset for a syntax error.
    Json(String),
    /// The `event` field names no known event type. Contains that name.
    UnknownEvent(String),
    /// The `data` object does not fit its event type. Contains the reader's message.
    InvalidData {
        /// The event type the data was checked against.
        event_type: EventType,
        /// The missing or mistyped field, as the reader's message.
        detail: String,
    },
}

impl PayloadError {
    /// Returns the stable machine-readable code of this error.
    #[must_use]
    pub fn code(&self) -> &'static str {
        match self {
            PayloadError::Json(_) | PayloadError::InvalidData { .. } => "malformed_payload",
            PayloadError::UnknownEvent(_) => "unknown_event",
        }
    }
}

impl fmt::Display for PayloadError {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PayloadError::Json(detail) => write!(formatter, "the delivery body is not a valid Aether payload: {detail}"),
            PayloadError::UnknownEvent(name) => {
                // Quoted as a JSON string rather than with `{name:?}`: Rust's debug escaping
                // links Unicode tables that made the WebAssembly module 0.4 KB larger gzipped.
                let quoted = write::quoted(name);
                write!(formatter, "unknown event type {quoted}: this version knows post.scheduled, post.publishing, post.published, post.failed, post.cancelled, comment.created, message.created and message.updated")
            }
            PayloadError::InvalidData { event_type, detail } => write!(formatter, "the data of {event_type} is invalid: {detail}"),
        }
    }
}

impl core::error::Error for PayloadError {}

#[cfg(test)]
mod tests {
    use super::*;

    const PUBLISHED_DATA: &str = r#"{"postId":"post_1","platform":"instagram","profileId":"ig_1","platformPostId":"1789","platformPostUrl":"https://www.instagram.com/p/ABC/","publishedAt":"2026-06-15T09:00:12Z"}"#;

    fn published_body(data: &str) -> String {
        let mut body = String::from(r#"{"event":"post.published","webhookId":"wh_1","deliveredAt":"2026-06-15T09:00:14Z","data":"#);
        body.push_str(data);
        body.push('}');
        body
    }

    #[test]
    fn data_before_event_parses() {
        let body = r#"{"data":{"postId":"post_1","platform":"instagram","profileId":"ig_1","scheduledFor":"2026-06-15T10:00:00Z"},"deliveredAt":"2026-06-15T09:00:14Z","webhookId":"wh_1","event":"post.scheduled"}"#;

        let delivery = Delivery::from_slice(body.as_bytes()).expect("field order is free");

        assert_eq!(delivery.event_type(), EventType::PostScheduled);
        assert_eq!(delivery.webhook_id, "wh_1");
    }

    #[test]
    fn invalid_data_error_matches_from_value() {
        let cases = [
            PUBLISHED_DATA.replace(r#""platformPostUrl":"https://www.instagram.com/p/ABC/","#, ""),
            PUBLISHED_DATA.replace(r#""postId":"post_1""#, r#""postId":1.5"#),
            PUBLISHED_DATA.replace("2026-06-15T09:00:12Z", "yesterday"),
            String::from("[]"),
            String::from("null"),
        ];

        for data in cases {
            let value: Value = serde_json::from_str(&data).expect("valid JSON");
            let expected = EventData::from_value(EventType::PostPublished, value).expect_err(&data);

            let error = Delivery::from_slice(published_body(&data).as_bytes()).expect_err(&data);

            assert_eq!(error, expected, "{data}");
        }
    }

    #[test]
    fn invalid_data_error_names_the_field() {
        let data = PUBLISHED_DATA.replace(r#""profileId":"ig_1","#, "");

        let error = Delivery::from_slice(published_body(&data).as_bytes()).expect_err("missing profileId");

        assert_eq!(error.code(), "malformed_payload");
        assert_eq!(error.to_string(), "the data of post.published is invalid: missing field `profileId`");
    }

    #[test]
    fn syntax_error_in_data_counts_from_body_start() {
        let body = published_body(r#"{"postId":}"#);

        let error = Delivery::from_slice(body.as_bytes()).expect_err("not JSON");

        assert!(matches!(error, PayloadError::Json(_)), "{error:?}");
        let offset = body.find(r#""postId":}"#).expect("present") + r#""postId":"#.len();
        assert!(error.to_string().ends_with(&alloc::format!("at byte {offset}")), "{error}");
    }
}
