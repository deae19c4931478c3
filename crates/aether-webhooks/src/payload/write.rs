//! Compact JSON writing of a delivery, byte for byte what serde_json writes for the
//! `Serialize` impls, without linking serde_json's serializer into the WebAssembly module.
//!
//! Fields come in struct declaration order and `None` fields are left out, as the derives
//! do. A test in `tests/payloads.rs` compares the output with serde_json's on generated data.

use alloc::string::String;
use core::fmt::Write as _;

use super::{Delivery, EventData, Participant, PlatformError};
use crate::{Platform, Timestamp};

/// Writes `delivery` as compact JSON: `event`, `webhookId`, `deliveredAt`, `data`.
pub(super) fn delivery(delivery: &Delivery) -> String {
    let mut out = String::new();

    let mut envelope = ObjectWriter::begin(&mut out);
    envelope.string("event", delivery.event_type().as_str());
    envelope.string("webhookId", &delivery.webhook_id);
    envelope.timestamp("deliveredAt", delivery.delivered_at);
    event_data(envelope.object("data"), &delivery.data);
    envelope.end();

    out
}

/// Writes the fields of `data` into the opened `data` object and closes it.
fn event_data(mut fields: ObjectWriter<'_>, data: &EventData) {
    match data {
        EventData::PostScheduled(data) => {
            fields.string("postId", &data.post_id);
            fields.platform(&data.platform);
            fields.string("profileId", &data.profile_id);
            fields.timestamp("scheduledFor", data.scheduled_for);
        }
        EventData::PostPublishing(data) => {
            fields.string("postId", &data.post_id);
            fields.platform(&data.platform);
            fields.string("profileId", &data.profile_id);
            fields.timestamp("startedAt", data.started_at);
        }
        EventData::PostPublished(data) => {
            fields.string("postId", &data.post_id);
            fields.platform(&data.platform);
            fields.string("profileId", &data.profile_id);
            fields.string("platformPostId", &data.platform_post_id);
            fields.string("platformPostUrl", &data.platform_post_url);
            fields.timestamp("publishedAt", data.published_at);
        }
        EventData::PostFailed(data) => {
            fields.string("postId", &data.post_id);
            fields.platform(&data.platform);
            fields.string("profileId", &data.profile_id);
            platform_error(fields.object("error"), &data.error);
            fields.u32("retriesExhausted", data.retries_exhausted);
            fields.optional_timestamp("failedAt", data.failed_at);
        }
        EventData::PostCancelled(data) => {
            fields.string("postId", &data.post_id);
            fields.platform(&data.platform);
            fields.string("profileId", &data.profile_id);
            fields.timestamp("cancelledAt", data.cancelled_at);
            fields.optional_string("reason", data.reason.as_deref());
        }
        EventData::CommentCreated(data) => {
            fields.string("commentId", &data.comment_id);
            fields.string("postId", &data.post_id);
            fields.platform(&data.platform);
            fields.string("profileId", &data.profile_id);
            fields.optional_string("platformPostId", data.platform_post_id.as_deref());
            fields.optional_string("parentCommentId", data.parent_comment_id.as_deref());
            participant(fields.object("author"), &data.author);
            fields.string("text", &data.text);
            fields.timestamp("createdAt", data.created_at);
        }
        EventData::MessageCreated(data) => {
            fields.string("messageId", &data.message_id);
            fields.platform(&data.platform);
            fields.string("profileId", &data.profile_id);
            fields.string("kind", data.kind.as_str());
            fields.string("threadId", &data.thread_id);
            participant(fields.object("from"), &data.from);
            fields.string("text", &data.text);
            fields.timestamp("createdAt", data.created_at);
        }
        EventData::MessageUpdated(data) => {
            fields.string("messageId", &data.message_id);
            fields.platform(&data.platform);
            fields.string("profileId", &data.profile_id);
            fields.string("threadId", &data.thread_id);
            fields.string("status", data.status.as_str());
            fields.timestamp("updatedAt", data.updated_at);
        }
    }
    fields.end();
}

fn platform_error(mut fields: ObjectWriter<'_>, error: &PlatformError) {
    fields.string("code", &error.code);
    fields.string("message", &error.message);
    fields.key("retryable");
    fields.out.push_str(if error.retryable { "true" } else { "false" });
    fields.end();
}

fn participant(mut fields: ObjectWriter<'_>, participant: &Participant) {
    fields.string("id", &participant.id);
    fields.string("handle", &participant.handle);
    fields.optional_string("name", participant.name.as_deref());
    fields.end();
}

/// An open JSON object that members are appended to.
struct ObjectWriter<'out> {
    out: &'out mut String,
    empty: bool,
}

impl<'out> ObjectWriter<'out> {
    #[inline(never)]
    fn begin(out: &'out mut String) -> Self {
        out.push('{');
        ObjectWriter { out, empty: true }
    }

    /// Writes the `,` before every member but the first, and the quoted key with its `:`.
    #[inline(never)]
    fn key(&mut self, name: &str) {
        if !self.empty {
            self.out.push(',');
        }
        self.empty = false;
        self.out.push('"');
        self.out.push_str(name);
        self.out.push_str("\":");
    }

    #[inline(never)]
    fn string(&mut self, name: &str, value: &str) {
        self.key(name);
        push_escaped(self.out, value);
    }

    #[inline(never)]
    fn platform(&mut self, platform: &Platform) {
        self.string("platform", platform.as_str());
    }

    #[inline(never)]
    fn optional_string(&mut self, name: &str, value: Option<&str>) {
        if let Some(value) = value {
            self.string(name, value);
        }
    }

    #[inline(never)]
    fn timestamp(&mut self, name: &str, value: Timestamp) {
        self.key(name);
        write!(self.out, "\"{value}\"").expect("writing to a String cannot fail");
    }

    #[inline(never)]
    fn optional_timestamp(&mut self, name: &str, value: Option<Timestamp>) {
        if let Some(value) = value {
            self.timestamp(name, value);
        }
    }

    #[inline(never)]
    fn u32(&mut self, name: &str, value: u32) {
        self.key(name);
        write!(self.out, "{value}").expect("writing to a String cannot fail");
    }

    /// Opens the member `name` as a nested object; the caller fills it and calls `end`.
    #[inline(never)]
    fn object(&mut self, name: &str) -> ObjectWriter<'_> {
        self.key(name);
        ObjectWriter::begin(self.out)
    }

    #[inline(never)]
    fn end(self) {
        self.out.push('}');
    }
}

/// Returns `value` as a JSON string in quotes.
pub(super) fn quoted(value: &str) -> String {
    let mut out = String::new();
    push_escaped(&mut out, value);
    out
}

/// Appends `value` as a JSON string, escaping as serde_json does: `"`, `\` and the control
/// characters below U+0020, the common ones in their short form and the rest as `\u00XX`.
fn push_escaped(out: &mut String, value: &str) {
    out.push('"');
    for character in value.chars() {
        match character {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{0}'..='\u{1f}' => {
                write!(out, "\\u{:04x}", u32::from(character)).expect("writing to a String cannot fail");
            }
            _ => out.push(character),
        }
    }
    out.push('"');
}
