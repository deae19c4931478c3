//! Typed reading of the envelope and of each event type's `data` from a [`Json`] tree.
//!
//! Every field goes through one small helper per kind of field, so a struct reads as its list
//! of fields. A field that is missing or has the wrong type yields a message naming it in its
//! wire form, such as ``missing field `platformPostUrl` ``. Unknown fields are ignored, and an
//! optional field may be absent or `null`.

use alloc::borrow::Cow;
use alloc::format;
use alloc::string::String;
use core::cell::Cell;

use super::json::Json;
use super::{
    CommentCreated, EventData, MessageCreated, MessageKind, MessageStatus, MessageUpdated,
    Participant, PlatformError, PostCancelled, PostFailed, PostPublished, PostPublishing,
    PostScheduled,
};
use crate::{EventType, Platform, Timestamp};

/// The envelope's fields, before `data` is typed by `event`.
pub(super) struct Envelope<'json, 'input> {
    pub(super) event: String,
    pub(super) webhook_id: String,
    pub(super) delivered_at: Timestamp,
    pub(super) data: &'json Json<'input>,
}

/// Reads the envelope `{ "event", "webhookId", "deliveredAt", "data" }`.
///
/// # Errors
/// Returns a message naming the first missing or mistyped field.
pub(super) fn envelope<'json, 'input>(body: &'json Json<'input>) -> Result<Envelope<'json, 'input>, String> {
    let first_error = FirstError::default();
    let fields = Fields::of(body, &first_error)?;

    let envelope = Envelope {
        event: fields.string("event"),
        webhook_id: fields.string("webhookId"),
        delivered_at: fields.timestamp("deliveredAt"),
        data: fields.present("data"),
    };
    first_error.into_result(envelope)
}

/// Reads `data` as the data of `event_type`.
///
/// # Errors
/// Returns a message naming the first missing or mistyped field, or saying that `data` is
/// not an object.
pub(super) fn event_data(event_type: EventType, data: &Json<'_>) -> Result<EventData, String> {
    let first_error = FirstError::default();
    let fields = Fields::of(data, &first_error)?;

    let data = match event_type {
        EventType::PostScheduled => EventData::PostScheduled(PostScheduled {
            post_id: fields.string("postId"),
            platform: fields.platform(),
            profile_id: fields.string("profileId"),
            scheduled_for: fields.timestamp("scheduledFor"),
        }),
        EventType::PostPublishing => EventData::PostPublishing(PostPublishing {
            post_id: fields.string("postId"),
            platform: fields.platform(),
            profile_id: fields.string("profileId"),
            started_at: fields.timestamp("startedAt"),
        }),
        EventType::PostPublished => EventData::PostPublished(PostPublished {
            post_id: fields.string("postId"),
            platform: fields.platform(),
            profile_id: fields.string("profileId"),
            platform_post_id: fields.string("platformPostId"),
            platform_post_url: fields.string("platformPostUrl"),
            published_at: fields.timestamp("publishedAt"),
        }),
        EventType::PostFailed => EventData::PostFailed(PostFailed {
            post_id: fields.string("postId"),
            platform: fields.platform(),
            profile_id: fields.string("profileId"),
            error: platform_error(&fields.object("error")),
            retries_exhausted: fields.u32("retriesExhausted"),
            failed_at: fields.optional_timestamp("failedAt"),
        }),
        EventType::PostCancelled => EventData::PostCancelled(PostCancelled {
            post_id: fields.string("postId"),
            platform: fields.platform(),
            profile_id: fields.string("profileId"),
            cancelled_at: fields.timestamp("cancelledAt"),
            reason: fields.optional_string("reason"),
        }),
        EventType::CommentCreated => EventData::CommentCreated(CommentCreated {
            comment_id: fields.string("commentId"),
            post_id: fields.string("postId"),
            platform: fields.platform(),
            profile_id: fields.string("profileId"),
            platform_post_id: fields.optional_string("platformPostId"),
            parent_comment_id: fields.optional_string("parentCommentId"),
            author: participant(&fields.object("author")),
            text: fields.string("text"),
            created_at: fields.timestamp("createdAt"),
        }),
        EventType::MessageCreated => EventData::MessageCreated(MessageCreated {
            message_id: fields.string("messageId"),
            platform: fields.platform(),
            profile_id: fields.string("profileId"),
            kind: MessageKind::from_wire(&fields.string("kind")),
            thread_id: fields.string("threadId"),
            from: participant(&fields.object("from")),
            text: fields.string("text"),
            created_at: fields.timestamp("createdAt"),
        }),
        EventType::MessageUpdated => EventData::MessageUpdated(MessageUpdated {
            message_id: fields.string("messageId"),
            platform: fields.platform(),
            profile_id: fields.string("profileId"),
            thread_id: fields.string("threadId"),
            status: MessageStatus::from_wire(&fields.string("status")),
            updated_at: fields.timestamp("updatedAt"),
        }),
    };
    first_error.into_result(data)
}

fn platform_error(fields: &Fields<'_, '_, '_>) -> PlatformError {
    PlatformError {
        code: fields.string("code"),
        message: fields.string("message"),
        retryable: fields.bool("retryable"),
    }
}

fn participant(fields: &Fields<'_, '_, '_>) -> Participant {
    Participant {
        id: fields.string("id"),
        handle: fields.string("handle"),
        name: fields.optional_string("name"),
    }
}

/// The first error met while reading one object and the objects nested in it.
///
/// The field helpers record an error and return a placeholder value instead of returning
/// early, so a struct is built in one straight pass. Early returns would need code to drop
/// the fields read so far at every field, which made the WebAssembly module larger.
#[derive(Default)]
struct FirstError(Cell<Option<String>>);

impl FirstError {
    fn record(&self, message: String) {
        let first = self.0.take().unwrap_or(message);
        self.0.set(Some(first));
    }

    fn into_result<T>(self, value: T) -> Result<T, String> {
        match self.0.into_inner() {
            None => Ok(value),
            Some(message) => Err(message),
        }
    }
}

/// Stands in for a nested object that is missing or not an object, after the error has been
/// recorded, so that its fields read as missing.
static ABSENT: Json<'static> = Json::Null;

/// An object's members, read field by field.
struct Fields<'errors, 'json, 'input> {
    object: &'json Json<'input>,
    /// The wire name of the field that contains this object, followed by `.`, so that messages
    /// name nested fields as `error.code`. It is empty for the outermost object.
    prefix: Cow<'static, str>,
    first_error: &'errors FirstError,
}

impl<'errors, 'json, 'input> Fields<'errors, 'json, 'input> {
    /// Starts reading `value`, which must be an object.
    fn of(value: &'json Json<'input>, first_error: &'errors FirstError) -> Result<Self, String> {
        if !matches!(value, Json::Object(_)) {
            return Err(String::from("invalid type: expected an object"));
        }
        Ok(Fields { object: value, prefix: Cow::Borrowed(""), first_error })
    }

    fn missing(&self, name: &str) {
        self.first_error.record(format!("missing field `{}{name}`", self.prefix));
    }

    fn invalid(&self, name: &str, expected: &str) {
        self.first_error.record(format!("invalid type for `{}{name}`: expected {expected}", self.prefix));
    }

    /// Returns the field's value; `null` counts as missing.
    fn required(&self, name: &str) -> Option<&'json Json<'input>> {
        let value = self.optional(name);
        if value.is_none() {
            self.missing(name);
        }
        value
    }

    /// Returns the field's value, `null` included, so that `"data": null` is reported as
    /// data that does not fit its event type.
    fn present(&self, name: &str) -> &'json Json<'input> {
        self.object.get(name).unwrap_or_else(|| {
            self.missing(name);
            &ABSENT
        })
    }

    fn optional(&self, name: &str) -> Option<&'json Json<'input>> {
        self.object.get(name).filter(|value| !matches!(value, Json::Null))
    }

    #[inline(never)]
    fn string(&self, name: &str) -> String {
        self.required(name).and_then(|value| self.as_string(name, value)).unwrap_or_default()
    }

    #[inline(never)]
    fn optional_string(&self, name: &str) -> Option<String> {
        self.optional(name).and_then(|value| self.as_string(name, value))
    }

    fn as_string(&self, name: &str, value: &Json<'_>) -> Option<String> {
        if let Json::String(text) = value {
            return Some(text.clone());
        }
        self.invalid(name, "a string");
        None
    }

    #[inline(never)]
    fn timestamp(&self, name: &str) -> Timestamp {
        self.required(name).and_then(|value| self.as_timestamp(name, value)).unwrap_or(Timestamp::UNIX_EPOCH)
    }

    #[inline(never)]
    fn optional_timestamp(&self, name: &str) -> Option<Timestamp> {
        self.optional(name).and_then(|value| self.as_timestamp(name, value))
    }

    fn as_timestamp(&self, name: &str, value: &Json<'_>) -> Option<Timestamp> {
        let expected = "an RFC 3339 timestamp such as 2026-06-15T09:00:14Z";
        let Json::String(text) = value else {
            self.invalid(name, expected);
            return None;
        };
        let timestamp = Timestamp::parse(text).ok();
        if timestamp.is_none() {
            self.first_error.record(format!("invalid value for `{}{name}`: expected {expected}", self.prefix));
        }
        timestamp
    }

    #[inline(never)]
    fn platform(&self) -> Platform {
        Platform::from_wire(&self.string("platform"))
    }

    #[inline(never)]
    fn bool(&self, name: &str) -> bool {
        match self.required(name) {
            Some(Json::Bool(value)) => *value,
            None => false,
            Some(_) => {
                self.invalid(name, "true or false");
                false
            }
        }
    }

    /// Reads a whole number written without sign, fraction or exponent, such as `5`.
    #[inline(never)]
    fn u32(&self, name: &str) -> u32 {
        let value = self.required(name);
        let number = match value {
            Some(Json::Number(text)) if text.bytes().all(|byte| byte.is_ascii_digit()) => text.parse::<u32>().ok(),
            _ => None,
        };
        if value.is_some() && number.is_none() {
            self.invalid(name, "a whole number from 0 to 4294967295");
        }
        number.unwrap_or(0)
    }

    /// Starts reading the nested object `name`. When it is missing or not an object, the
    /// error is recorded and its fields read as missing without further errors.
    #[inline(never)]
    fn object(&self, name: &str) -> Fields<'errors, 'json, 'input> {
        let mut object = self.required(name).unwrap_or(&ABSENT);
        if !matches!(object, Json::Object(_) | Json::Null) {
            self.invalid(name, "an object");
            object = &ABSENT;
        }
        let prefix = Cow::Owned(format!("{}{name}.", self.prefix));
        Fields { object, prefix, first_error: self.first_error }
    }
}

#[cfg(test)]
mod tests {
    use super::super::json;
    use super::*;

    fn read(event_type: EventType, data: &str) -> Result<EventData, String> {
        let tree = json::parse(data.as_bytes()).expect("test data is JSON");
        event_data(event_type, &tree)
    }

    const FAILED: &str = r#"{"postId":"p","platform":"tiktok","profileId":"tt","error":{"code":"1","message":"m","retryable":true},"retriesExhausted":5}"#;
    const MESSAGE: &str = r#"{"messageId":"m","platform":"reddit","profileId":"r","kind":"dm","threadId":"t","from":{"id":"u","handle":"h"},"text":"hi","createdAt":"2026-06-15T09:00:10Z"}"#;

    #[test]
    fn optional_fields_may_be_absent_or_null() {
        let absent = read(EventType::PostFailed, FAILED).expect("valid post.failed");
        let null = read(EventType::PostFailed, &FAILED.replace(r#""retriesExhausted":5"#, r#""retriesExhausted":5,"failedAt":null"#)).expect("null failedAt");

        let EventData::PostFailed(absent) = absent else { panic!("post.failed data") };
        let EventData::PostFailed(null) = null else { panic!("post.failed data") };
        assert_eq!(absent.failed_at, None);
        assert_eq!(null.failed_at, None);
    }

    #[test]
    fn required_null_field_is_missing() {
        let data = FAILED.replace(r#""postId":"p""#, r#""postId":null"#);

        assert_eq!(read(EventType::PostFailed, &data), Err(String::from("missing field `postId`")));
    }

    #[test]
    fn retries_exhausted_must_be_u32() {
        for number in ["-1", "5.0", "5e0", "4294967296", "-0", r#""5""#, "true"] {
            let data = FAILED.replace(r#""retriesExhausted":5"#, &format!(r#""retriesExhausted":{number}"#));

            let error = read(EventType::PostFailed, &data).expect_err(number);

            assert_eq!(error, "invalid type for `retriesExhausted`: expected a whole number from 0 to 4294967295", "{number}");
        }
    }

    #[test]
    fn retries_exhausted_accepts_full_range() {
        for (text, expected) in [("0", 0), ("4294967295", u32::MAX)] {
            let data = FAILED.replace(r#""retriesExhausted":5"#, &format!(r#""retriesExhausted":{text}"#));

            let Ok(EventData::PostFailed(failed)) = read(EventType::PostFailed, &data) else { panic!("valid post.failed") };

            assert_eq!(failed.retries_exhausted, expected);
        }
    }

    #[test]
    fn nested_fields_are_named_with_their_parent() {
        let missing = FAILED.replace(r#""code":"1","#, "");
        let mistyped = MESSAGE.replace(r#""handle":"h""#, r#""handle":7"#);
        let not_object = MESSAGE.replace(r#"{"id":"u","handle":"h"}"#, "[]");

        assert_eq!(read(EventType::PostFailed, &missing), Err(String::from("missing field `error.code`")));
        assert_eq!(read(EventType::MessageCreated, &mistyped), Err(String::from("invalid type for `from.handle`: expected a string")));
        assert_eq!(read(EventType::MessageCreated, &not_object), Err(String::from("invalid type for `from`: expected an object")));
    }

    #[test]
    fn mistyped_fields_name_the_expected_type() {
        let retryable = FAILED.replace(r#""retryable":true"#, r#""retryable":"yes""#);
        let created_at = MESSAGE.replace(r#""createdAt":"2026-06-15T09:00:10Z""#, r#""createdAt":1781514010"#);
        let bad_time = MESSAGE.replace("2026-06-15T09:00:10Z", "2026-06-15 09:00:10");

        assert_eq!(read(EventType::PostFailed, &retryable), Err(String::from("invalid type for `error.retryable`: expected true or false")));
        assert_eq!(read(EventType::MessageCreated, &created_at), Err(String::from("invalid type for `createdAt`: expected an RFC 3339 timestamp such as 2026-06-15T09:00:14Z")));
        assert_eq!(read(EventType::MessageCreated, &bad_time), Err(String::from("invalid value for `createdAt`: expected an RFC 3339 timestamp such as 2026-06-15T09:00:14Z")));
    }

    #[test]
    fn open_enums_keep_unknown_values() {
        let data = MESSAGE.replace(r#""kind":"dm""#, r#""kind":"story_reply""#).replace("reddit", "bluesky");

        let Ok(EventData::MessageCreated(message)) = read(EventType::MessageCreated, &data) else { panic!("valid message.created") };

        assert_eq!(message.kind, MessageKind::Other(String::from("story_reply")));
        assert_eq!(message.platform, Platform::Other(String::from("bluesky")));
    }

    #[test]
    fn data_must_be_an_object() {
        for data in ["[]", "null", "\"text\"", "1"] {
            assert_eq!(read(EventType::PostScheduled, data), Err(String::from("invalid type: expected an object")), "{data}");
        }
    }
}
