//! The event types a webhook endpoint can subscribe to.

use core::fmt;
use core::str::FromStr;

/// An event type, named on the wire as `post.published`, `message.created` and so on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum EventType {
    /// A post entered the queue and waits for its scheduled time.
    PostScheduled,
    /// A post is being submitted to the platform.
    PostPublishing,
    /// A post was published; the payload carries the platform's post id and URL.
    PostPublished,
    /// A post failed after all of Aether's publishing retries.
    PostFailed,
    /// A post was cancelled through the API before it was published.
    PostCancelled,
    /// A new comment appeared on a post of a connected profile.
    CommentCreated,
    /// A new direct message, mention or reply reached a connected profile.
    MessageCreated,
    /// The status of an existing message changed, for example it was read.
    MessageUpdated,
}

impl EventType {
    /// Every event type, in the order of the product documentation.
    pub const ALL: [EventType; 8] = [
        EventType::PostScheduled,
        EventType::PostPublishing,
        EventType::PostPublished,
        EventType::PostFailed,
        EventType::PostCancelled,
        EventType::CommentCreated,
        EventType::MessageCreated,
        EventType::MessageUpdated,
    ];

    /// Returns the wire name, such as `post.published`.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            EventType::PostScheduled => "post.scheduled",
            EventType::PostPublishing => "post.publishing",
            EventType::PostPublished => "post.published",
            EventType::PostFailed => "post.failed",
            EventType::PostCancelled => "post.cancelled",
            EventType::CommentCreated => "comment.created",
            EventType::MessageCreated => "message.created",
            EventType::MessageUpdated => "message.updated",
        }
    }

    /// Parses a wire name. Matching is exact: no case folding, no surrounding whitespace.
    ///
    /// # Errors
    /// Returns [`UnknownEventType`] when `name` is not one of the eight wire names.
    pub fn parse(name: &str) -> Result<Self, UnknownEventType> {
        // A `match` rather than a search of `ALL`, because the search, unrolled at opt-level 3,
        // made the WebAssembly module 1.7 KB larger.
        match name {
            "post.scheduled" => Ok(EventType::PostScheduled),
            "post.publishing" => Ok(EventType::PostPublishing),
            "post.published" => Ok(EventType::PostPublished),
            "post.failed" => Ok(EventType::PostFailed),
            "post.cancelled" => Ok(EventType::PostCancelled),
            "comment.created" => Ok(EventType::CommentCreated),
            "message.created" => Ok(EventType::MessageCreated),
            "message.updated" => Ok(EventType::MessageUpdated),
            _ => Err(UnknownEventType),
        }
    }
}

impl fmt::Display for EventType {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(self.as_str())
    }
}

impl FromStr for EventType {
    type Err = UnknownEventType;

    fn from_str(name: &str) -> Result<Self, Self::Err> {
        EventType::parse(name)
    }
}

impl serde::Serialize for EventType {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> serde::Deserialize<'de> for EventType {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let name = <alloc::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        EventType::parse(&name).map_err(serde::de::Error::custom)
    }
}

/// The error for a string that is not one of the eight event type names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UnknownEventType;

impl UnknownEventType {
    /// Returns the stable machine-readable code of this error.
    #[must_use]
    pub const fn code(self) -> &'static str {
        "unknown_event"
    }
}

impl fmt::Display for UnknownEventType {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(
            "unknown event type: expected one of post.scheduled, post.publishing, \
             post.published, post.failed, post.cancelled, comment.created, \
             message.created, message.updated",
        )
    }
}

impl core::error::Error for UnknownEventType {}
