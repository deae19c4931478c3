//! Intake: the checks on `POST /v1/events` before an event is put on the queue.
//!
//! The order matters: the size cap comes first, so an oversized body is never hashed, then the
//! signature, then the JSON and the event's shape.

use aether_webhooks::{signature, EventData, EventType, PayloadError, SignatureError, Timestamp, WebhookSecret};
use serde_json::{json, Map, Value};

use crate::error::ApiError;
use crate::ids;
use crate::queue_message::EventV1;

/// The largest intake body, in bytes.
pub const MAX_BODY_BYTES: usize = 64 * 1024;
/// The maximum number of events in one intake request.
pub const MAX_EVENTS: usize = 100;

/// The events of one intake request: a single event or a batch.
#[derive(Debug, Clone, PartialEq)]
pub enum Accepted {
    /// `{ id?, orgId, event, data, occurredAt? }`
    One(EventV1),
    /// `{ events: [ … ] }`
    Batch(Vec<EventV1>),
}

impl Accepted {
    /// Returns the events, in request order.
    #[must_use]
    pub fn events(&self) -> &[EventV1] {
        match self {
            Accepted::One(event) => core::slice::from_ref(event),
            Accepted::Batch(events) => events,
        }
    }

    /// Returns the response body: `{ eventId }` for one event, `{ eventIds }` for a batch.
    #[must_use]
    pub fn response_body(&self) -> Value {
        match self {
            Accepted::One(event) => json!({ "eventId": event.id }),
            Accepted::Batch(events) => json!({ "eventIds": events.iter().map(|event| event.id.as_str()).collect::<Vec<_>>() }),
        }
    }
}

/// Checks the intake signature header against the raw body.
///
/// # Errors
/// [`ApiError::MissingSignature`] without a header, [`ApiError::InvalidSignature`] when it
/// does not verify for any reason. The caller does not learn the reason.
pub fn verify_signature(secret: &WebhookSecret, body: &[u8], header: Option<&str>) -> Result<(), ApiError> {
    let header = header.ok_or(ApiError::MissingSignature)?;

    match signature::verify(secret, body, header) {
        Ok(()) => Ok(()),
        Err(SignatureError::Missing) => Err(ApiError::MissingSignature),
        Err(_) => Err(ApiError::InvalidSignature),
    }
}

/// Parses and checks the events of an intake body, assigning ids where the caller gave none.
///
/// # Errors
/// - [`ApiError::InvalidJson`] when the body is not JSON.
/// - [`ApiError::InvalidField`] for a missing or mistyped field, or an empty or too long batch.
/// - [`ApiError::UnknownEvent`] or [`ApiError::InvalidEventData`] for an event whose type or
///   data is wrong; in a batch, nothing is accepted when one event is wrong.
/// - whatever `new_id` returns when it fails.
pub fn parse_events(body: &[u8], now: Timestamp, mut new_id: impl FnMut() -> Result<String, ApiError>) -> Result<Accepted, ApiError> {
    let value: Value = serde_json::from_slice(body).map_err(|error| ApiError::InvalidJson(error.to_string()))?;
    let fields = value.as_object().ok_or_else(|| ApiError::invalid_field("body", "must be a JSON object"))?;

    let Some(batch) = fields.get("events") else {
        return parse_event(fields, "", now, &mut new_id).map(Accepted::One);
    };

    let items = batch.as_array().ok_or_else(|| ApiError::invalid_field("events", "must be an array of events"))?;
    if items.is_empty() || items.len() > MAX_EVENTS {
        return Err(ApiError::invalid_field("events", format!("must hold 1 to {MAX_EVENTS} events, not {}", items.len())));
    }

    let mut events = Vec::with_capacity(items.len());
    for (index, item) in items.iter().enumerate() {
        let prefix = format!("events[{index}].");
        let fields = item.as_object().ok_or_else(|| ApiError::invalid_field(format!("events[{index}]"), "must be an object"))?;
        events.push(parse_event(fields, &prefix, now, &mut new_id)?);
    }
    Ok(Accepted::Batch(events))
}

fn parse_event(fields: &Map<String, Value>, prefix: &str, now: Timestamp, new_id: &mut impl FnMut() -> Result<String, ApiError>) -> Result<EventV1, ApiError> {
    let field = |name: &str| format!("{prefix}{name}");

    let id = match fields.get("id") {
        None | Some(Value::Null) => new_id()?,
        Some(Value::String(id)) if ids::is_event_id(id) => id.clone(),
        Some(_) => return Err(ApiError::invalid_field(field("id"), "must be 1 to 128 letters, digits or _ - . :")),
    };

    let org_id = match fields.get("orgId") {
        Some(Value::String(org_id)) if ids::is_organization_id(org_id) => org_id.clone(),
        Some(_) => return Err(ApiError::invalid_field(field("orgId"), "must be 1 to 64 letters, digits, '_' or '-'")),
        None => return Err(ApiError::invalid_field(field("orgId"), "is required")),
    };

    let name = fields.get("event").and_then(Value::as_str).ok_or_else(|| ApiError::invalid_field(field("event"), "is required and must be a string"))?;
    let event = EventType::parse(name).map_err(|_| ApiError::UnknownEvent(name.to_owned()))?;

    let raw_data = fields.get("data").filter(|data| data.is_object()).ok_or_else(|| ApiError::invalid_field(field("data"), "is required and must be an object"))?;
    let data = EventData::from_value(event, raw_data.clone()).map_err(|error| match error {
        PayloadError::UnknownEvent(name) => ApiError::UnknownEvent(name),
        other => ApiError::InvalidEventData(other.to_string()),
    })?;

    let occurred_at = match fields.get("occurredAt") {
        None | Some(Value::Null) => None,
        Some(Value::String(text)) => Some(Timestamp::parse(text).map_err(|_| ApiError::invalid_field(field("occurredAt"), "must be an RFC 3339 timestamp"))?),
        Some(_) => return Err(ApiError::invalid_field(field("occurredAt"), "must be an RFC 3339 timestamp")),
    };

    Ok(EventV1 { id, org_id, event, data: data.to_value(), occurred_at, accepted_at: now })
}

#[cfg(test)]
mod tests {
    use aether_webhooks::signature;

    use super::*;

    const NOW: Timestamp = Timestamp::from_secs(1_781_514_014);
    const INTAKE: &str = "whsec_ZGV2LWludGFrZS1zZWNyZXQtZm9yLWxvY2FsLXVzZQ==";

    fn published(extra: &str) -> String {
        format!(
            r#"{{{extra}"orgId":"org_dev","event":"post.published","data":{{"postId":"post_1","platform":"instagram","profileId":"ig_1","platformPostId":"1789","platformPostUrl":"https://www.instagram.com/p/A/","publishedAt":"2026-06-15T09:00:12Z"}}}}"#
        )
    }

    fn counter() -> impl FnMut() -> Result<String, ApiError> {
        let mut next = 0;
        move || {
            next += 1;
            Ok(format!("evt_{next}"))
        }
    }

    #[test]
    fn signature_is_checked_on_the_raw_body() {
        let secret = WebhookSecret::parse(INTAKE).expect("valid secret");
        let body = published("");
        let header = signature::sign(&secret, body.as_bytes());

        assert_eq!(verify_signature(&secret, body.as_bytes(), Some(&header)), Ok(()));
        assert_eq!(verify_signature(&secret, body.as_bytes(), None), Err(ApiError::MissingSignature));
        assert_eq!(verify_signature(&secret, format!("{body} ").as_bytes(), Some(&header)), Err(ApiError::InvalidSignature));
        assert_eq!(verify_signature(&secret, body.as_bytes(), Some("sha256=zz")), Err(ApiError::InvalidSignature));
    }

    #[test]
    fn single_event_gets_an_id_when_absent() {
        let accepted = parse_events(published("").as_bytes(), NOW, counter()).expect("valid");

        let Accepted::One(event) = &accepted else { panic!("expected one event, got {accepted:?}") };
        assert_eq!(event.id, "evt_1");
        assert_eq!(event.org_id, "org_dev");
        assert_eq!(event.event, EventType::PostPublished);
        assert_eq!(event.data["platformPostId"], "1789");
        assert_eq!(accepted.response_body(), json!({ "eventId": "evt_1" }));
    }

    #[test]
    fn caller_ids_and_times_are_kept() {
        let body = published(r#""id":"post_1:published","occurredAt":"2026-06-15T11:00:12+02:00","#);
        let accepted = parse_events(body.as_bytes(), NOW, counter()).expect("valid");

        let event = &accepted.events()[0];
        assert_eq!(event.id, "post_1:published");
        assert_eq!(event.occurred_at, Some(Timestamp::from_secs(1_781_514_012)));
    }

    #[test]
    fn batch_is_accepted_whole() {
        let body = format!(r#"{{"events":[{},{}]}}"#, published(""), published(r#""id":"mine","#));
        let accepted = parse_events(body.as_bytes(), NOW, counter()).expect("valid");

        assert_eq!(accepted.response_body(), json!({ "eventIds": ["evt_1", "mine"] }));
    }

    #[test]
    fn bad_events_have_their_codes() {
        let code = |body: &str| parse_events(body.as_bytes(), NOW, counter()).expect_err("invalid").code();

        assert_eq!(code("{"), "invalid_json");
        assert_eq!(code("[]"), "invalid_field");
        assert_eq!(code(r#"{"events":[]}"#), "invalid_field");
        assert_eq!(code(r#"{"orgId":"org_dev","event":"post.deleted","data":{}}"#), "unknown_event");
        assert_eq!(code(r#"{"orgId":"org_dev","event":"post.published","data":{"postId":"p"}}"#), "invalid_event_data");
        assert_eq!(code(r#"{"orgId":"org_dev","event":"post.published"}"#), "invalid_field");
        assert_eq!(code(r#"{"event":"post.published","data":{}}"#), "invalid_field");
        assert_eq!(code(&published(r#""id":"has space","#)), "invalid_field");
        assert_eq!(code(&published(r#""occurredAt":"yesterday","#)), "invalid_field");
        assert_eq!(code(&format!(r#"{{"events":[{},{{"orgId":"org_dev","event":"nope","data":{{}}}}]}}"#, published(""))), "unknown_event");
    }

    #[test]
    fn batch_size_is_capped() {
        let one = published("");
        let body = format!(r#"{{"events":[{}]}}"#, vec![one.as_str(); MAX_EVENTS + 1].join(","));

        let error = parse_events(body.as_bytes(), NOW, counter()).expect_err("too many");
        assert_eq!(error, ApiError::invalid_field("events", "must hold 1 to 100 events, not 101"));
    }
}
