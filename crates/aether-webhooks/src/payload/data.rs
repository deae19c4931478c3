//! The typed `data` object of each event type.
//!
//! Field names are camelCase on the wire. Fields a receiver may not get from every platform
//! are `Option`s, left out of the JSON when absent. Unknown fields are ignored when parsing, so
//! Aether can add fields without breaking receivers.

use alloc::string::String;

use serde::Serialize;

use crate::macros::open_string_enum;
use crate::{Platform, Timestamp};

/// `post.scheduled`: a post entered the queue and waits for its scheduled time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PostScheduled {
    /// Aether's id of the post.
    pub post_id: String,
    /// The platform the post will be published to.
    pub platform: Platform,
    /// The connected profile that will publish the post.
    pub profile_id: String,
    /// When Aether will start publishing the post.
    pub scheduled_for: Timestamp,
}

/// `post.publishing`: a post is being submitted to the platform.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PostPublishing {
    /// Aether's id of the post.
    pub post_id: String,
    /// The platform the post is submitted to.
    pub platform: Platform,
    /// The connected profile that publishes the post.
    pub profile_id: String,
    /// When the submission started.
    pub started_at: Timestamp,
}

/// `post.published`: a post was published.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PostPublished {
    /// Aether's id of the post.
    pub post_id: String,
    /// The platform the post was published to.
    pub platform: Platform,
    /// The connected profile that published the post.
    pub profile_id: String,
    /// The platform's own id of the published post.
    pub platform_post_id: String,
    /// The public URL of the post on the platform.
    pub platform_post_url: String,
    /// When the platform confirmed the post.
    pub published_at: Timestamp,
}

/// `post.failed`: a post failed after all of Aether's publishing retries.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PostFailed {
    /// Aether's id of the post.
    pub post_id: String,
    /// The platform that rejected the post.
    pub platform: Platform,
    /// The connected profile that tried to publish the post.
    pub profile_id: String,
    /// The platform's error.
    pub error: PlatformError,
    /// How many publishing retries Aether made before giving up.
    pub retries_exhausted: u32,
    /// When Aether gave up, where known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub failed_at: Option<Timestamp>,
}

/// The error a platform returned for a failed post.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PlatformError {
    /// The platform's error code, as a string because platforms mix numbers and names.
    pub code: String,
    /// The platform's message, passed through unchanged.
    pub message: String,
    /// Whether publishing the same post again may succeed, for example after the user grants
    /// a missing permission.
    pub retryable: bool,
}

/// `post.cancelled`: a post was cancelled through the API before it was published.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PostCancelled {
    /// Aether's id of the post.
    pub post_id: String,
    /// The platform the post was meant for.
    pub platform: Platform,
    /// The connected profile the post was meant for.
    pub profile_id: String,
    /// When the post was cancelled.
    pub cancelled_at: Timestamp,
    /// The reason given with the cancellation, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// `comment.created`: a new comment appeared on a post of a connected profile.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CommentCreated {
    /// Aether's id of the comment.
    pub comment_id: String,
    /// Aether's id of the post the comment is on.
    pub post_id: String,
    /// The platform of the post.
    pub platform: Platform,
    /// The connected profile that owns the post.
    pub profile_id: String,
    /// The platform's own id of the post, where known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub platform_post_id: Option<String>,
    /// The comment this one replies to, when it is a reply.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parent_comment_id: Option<String>,
    /// The author of the comment.
    pub author: Participant,
    /// The comment's text as the platform returned it.
    pub text: String,
    /// When the comment was written.
    pub created_at: Timestamp,
}

/// `message.created`: a new direct message, mention or reply reached a connected profile.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MessageCreated {
    /// Aether's id of the message.
    pub message_id: String,
    /// The platform the message arrived on.
    pub platform: Platform,
    /// The connected profile that received the message.
    pub profile_id: String,
    /// Whether the message is a direct message, a mention or a reply.
    pub kind: MessageKind,
    /// The conversation the message belongs to; reply in the same thread with the Inbox API.
    pub thread_id: String,
    /// The sender of the message.
    pub from: Participant,
    /// The message's text as the platform returned it.
    pub text: String,
    /// When the message was sent.
    pub created_at: Timestamp,
}

/// `message.updated`: the status of an existing message changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MessageUpdated {
    /// Aether's id of the message.
    pub message_id: String,
    /// The platform the message is on.
    pub platform: Platform,
    /// The connected profile the message belongs to.
    pub profile_id: String,
    /// The conversation the message belongs to.
    pub thread_id: String,
    /// The message's new status.
    pub status: MessageStatus,
    /// When the platform reported the change.
    pub updated_at: Timestamp,
}

/// A person or account on a platform: the author of a comment or the sender of a message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Participant {
    /// The platform's id of the account.
    pub id: String,
    /// The account's handle on the platform, without a leading `@`.
    pub handle: String,
    /// The display name, where the platform provides one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

open_string_enum! {
    /// The kind of message `message.created` reports. Other values may be added.
    pub enum MessageKind {
        /// A direct message.
        Dm => "dm",
        /// A mention of the connected profile in someone else's content.
        Mention => "mention",
        /// A reply in a thread, such as a reply to one of the profile's posts on Reddit.
        Reply => "reply",
    }
}

open_string_enum! {
    /// The status `message.updated` reports; other values may be added.
    pub enum MessageStatus {
        /// The platform delivered the message.
        Delivered => "delivered",
        /// The message was read.
        Read => "read",
        /// The message was edited by its sender.
        Edited => "edited",
        /// The message was deleted.
        Deleted => "deleted",
    }
}
