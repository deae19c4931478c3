//! The webhook (endpoint registration) as the API shows it, the checks on create and update
//! requests, and the subscription test used for fan-out.

use aether_webhooks::endpoint_url::validate_endpoint_url;
use aether_webhooks::{EventType, Timestamp};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::error::ApiError;

const MAX_DESCRIPTION_CHARS: usize = 500;
const MAX_URL_BYTES: usize = 2_048;
const MAX_FILTER_VALUES: usize = 100;
const MAX_FILTER_VALUE_BYTES: usize = 128;

/// A webhook: where deliveries go and which events it receives.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Webhook {
    /// The id, `wh_…`.
    pub id: String,
    /// The receiver's URL.
    pub url: String,
    /// The subscribed event types, without duplicates.
    pub events: Vec<EventType>,
    /// A note for people, or `None`.
    pub description: Option<String>,
    /// Limits deliveries to some platforms or profiles, or `None` for all.
    pub filter: Option<Filter>,
    /// Whether deliveries are sent.
    pub enabled: bool,
    /// The reason the webhook is disabled, while it is.
    pub disabled_reason: Option<DisabledReason>,
    /// When the webhook was created.
    pub created_at: Timestamp,
    /// When the webhook was last changed.
    pub updated_at: Timestamp,
}

/// The limits on the events that reach a webhook, by the `platform` and `profileId` fields
/// of their data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Filter {
    /// Only events of these platforms, when set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub platforms: Option<Vec<String>>,
    /// Only events of these connected profiles, when set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub profile_ids: Option<Vec<String>>,
}

/// The reason a webhook stopped receiving deliveries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DisabledReason {
    /// The receiver responded `410 Gone`.
    EndpointGone,
    /// Someone disabled it through the API.
    Manual,
}

/// The checked fields of a create request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NewWebhook {
    /// The receiver's URL.
    pub url: String,
    /// The subscribed event types.
    pub events: Vec<EventType>,
    /// A note for people.
    pub description: Option<String>,
    /// The optional filter.
    pub filter: Option<Filter>,
}

/// The checked fields of an update request; `None` leaves a field as it is, and for the two
/// nullable fields `Some(None)` clears it. It has no serde form, because JSON cannot tell an
/// absent field from a null one after a round trip: the raw request body travels instead.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WebhookChanges {
    /// A new URL.
    pub url: Option<String>,
    /// A new list of event types.
    pub events: Option<Vec<EventType>>,
    /// Enables or disables deliveries.
    pub enabled: Option<bool>,
    /// A new description, or `Some(None)` to remove it.
    pub description: Option<Option<String>>,
    /// A new filter, or `Some(None)` to remove it.
    pub filter: Option<Option<Filter>>,
}

impl Webhook {
    /// Creates a webhook from a checked create request.
    #[must_use]
    pub fn new(id: String, fields: NewWebhook, now: Timestamp) -> Webhook {
        Webhook {
            id,
            url: fields.url,
            events: fields.events,
            description: fields.description,
            filter: fields.filter,
            enabled: true,
            disabled_reason: None,
            created_at: now,
            updated_at: now,
        }
    }

    /// Applies checked changes. Enabling clears the disabled reason; disabling through the
    /// API records it as manual.
    pub fn apply(&mut self, changes: WebhookChanges, now: Timestamp) {
        if let Some(url) = changes.url {
            self.url = url;
        }
        if let Some(events) = changes.events {
            self.events = events;
        }
        if let Some(description) = changes.description {
            self.description = description;
        }
        if let Some(filter) = changes.filter {
            self.filter = filter;
        }
        match changes.enabled {
            Some(true) => {
                self.enabled = true;
                self.disabled_reason = None;
            }
            Some(false) if self.enabled => {
                self.enabled = false;
                self.disabled_reason = Some(DisabledReason::Manual);
            }
            _ => {}
        }
        self.updated_at = now;
    }

    /// Returns whether an event of `event_type` whose data is `data` should be delivered here.
    #[must_use]
    pub fn wants(&self, event_type: EventType, data: &Value) -> bool {
        self.enabled && self.events.contains(&event_type) && self.filter.as_ref().is_none_or(|filter| filter.matches(data))
    }
}

impl Filter {
    /// Returns whether an event's data passes the filter: its `platform` is among the
    /// platforms and its `profileId` among the profile ids, for each list that is set.
    #[must_use]
    pub fn matches(&self, data: &Value) -> bool {
        let field_in = |field: &str, allowed: &Option<Vec<String>>| match allowed {
            None => true,
            Some(values) => data.get(field).and_then(Value::as_str).is_some_and(|value| values.iter().any(|allowed| allowed == value)),
        };
        field_in("platform", &self.platforms) && field_in("profileId", &self.profile_ids)
    }
}

/// Checks a create request body.
///
/// # Errors
/// - [`ApiError::InvalidField`] for a body that is not an object, an unknown field, or a
///   field of the wrong type.
/// - [`ApiError::InvalidUrl`], [`ApiError::UnknownEvent`] or [`ApiError::NoEvents`] for an
///   unacceptable URL or event list.
pub fn parse_new_webhook(body: &Value, allow_local_targets: bool) -> Result<NewWebhook, ApiError> {
    let fields = as_object(body)?;
    reject_unknown_fields(fields, &["url", "events", "description", "filter"])?;

    let url = parse_url(fields.get("url").ok_or_else(|| ApiError::invalid_field("url", "is required"))?, allow_local_targets)?;
    let events = parse_events(fields.get("events").ok_or_else(|| ApiError::invalid_field("events", "is required"))?)?;
    let description = fields.get("description").map(parse_description).transpose()?.flatten();
    let filter = fields.get("filter").map(parse_filter).transpose()?.flatten();

    Ok(NewWebhook { url, events, description, filter })
}

/// Checks an update request body; fields that are absent stay unchanged.
///
/// # Errors
/// The same as [`parse_new_webhook`], and [`ApiError::InvalidField`] for an `enabled` that is
/// not a boolean.
pub fn parse_changes(body: &Value, allow_local_targets: bool) -> Result<WebhookChanges, ApiError> {
    let fields = as_object(body)?;
    reject_unknown_fields(fields, &["url", "events", "enabled", "description", "filter"])?;

    let enabled = match fields.get("enabled") {
        None => None,
        Some(Value::Bool(enabled)) => Some(*enabled),
        Some(_) => return Err(ApiError::invalid_field("enabled", "must be true or false")),
    };

    Ok(WebhookChanges {
        url: fields.get("url").map(|url| parse_url(url, allow_local_targets)).transpose()?,
        events: fields.get("events").map(parse_events).transpose()?,
        enabled,
        description: fields.get("description").map(parse_description).transpose()?,
        filter: fields.get("filter").map(parse_filter).transpose()?,
    })
}

fn as_object(body: &Value) -> Result<&Map<String, Value>, ApiError> {
    body.as_object().ok_or_else(|| ApiError::invalid_field("body", "must be a JSON object"))
}

fn reject_unknown_fields(fields: &Map<String, Value>, known: &[&str]) -> Result<(), ApiError> {
    match fields.keys().find(|key| !known.contains(&key.as_str())) {
        Some(unknown) => Err(ApiError::invalid_field(unknown.clone(), format!("is not a known field; use {}", known.join(", ")))),
        None => Ok(()),
    }
}

fn parse_url(value: &Value, allow_local_targets: bool) -> Result<String, ApiError> {
    let url = value.as_str().ok_or_else(|| ApiError::invalid_field("url", "must be a string"))?;
    if url.len() > MAX_URL_BYTES {
        return Err(ApiError::InvalidUrl(format!("the URL is longer than {MAX_URL_BYTES} bytes")));
    }
    validate_endpoint_url(url, allow_local_targets).map_err(|error| ApiError::InvalidUrl(error.to_string()))?;
    Ok(url.to_owned())
}

fn parse_events(value: &Value) -> Result<Vec<EventType>, ApiError> {
    let names = value.as_array().ok_or_else(|| ApiError::invalid_field("events", "must be an array of event type names"))?;
    if names.is_empty() {
        return Err(ApiError::NoEvents);
    }

    let mut events = Vec::with_capacity(names.len());
    for name in names {
        let name = name.as_str().ok_or_else(|| ApiError::invalid_field("events", "must contain only strings"))?;
        let event = EventType::parse(name).map_err(|_| ApiError::UnknownEvent(name.to_owned()))?;
        if !events.contains(&event) {
            events.push(event);
        }
    }
    Ok(events)
}

fn parse_description(value: &Value) -> Result<Option<String>, ApiError> {
    match value {
        Value::Null => Ok(None),
        Value::String(text) if text.chars().count() <= MAX_DESCRIPTION_CHARS => Ok(Some(text.clone())),
        Value::String(_) => Err(ApiError::invalid_field("description", format!("is longer than {MAX_DESCRIPTION_CHARS} characters"))),
        _ => Err(ApiError::invalid_field("description", "must be a string or null")),
    }
}

fn parse_filter(value: &Value) -> Result<Option<Filter>, ApiError> {
    let fields = match value {
        Value::Null => return Ok(None),
        Value::Object(fields) => fields,
        _ => return Err(ApiError::invalid_field("filter", "must be an object or null")),
    };
    if let Some(unknown) = fields.keys().find(|key| !["platforms", "profileIds"].contains(&key.as_str())) {
        return Err(ApiError::invalid_field(format!("filter.{unknown}"), "is not a known field; use platforms, profileIds"));
    }

    let platforms = fields.get("platforms").map(|value| parse_filter_values("filter.platforms", value)).transpose()?.flatten();
    let profile_ids = fields.get("profileIds").map(|value| parse_filter_values("filter.profileIds", value)).transpose()?.flatten();

    if platforms.is_none() && profile_ids.is_none() {
        return Ok(None);
    }
    Ok(Some(Filter { platforms, profile_ids }))
}

/// Reads a list of filter values; an empty list or null means "no restriction".
fn parse_filter_values(field: &str, value: &Value) -> Result<Option<Vec<String>>, ApiError> {
    let items = match value {
        Value::Null => return Ok(None),
        Value::Array(items) => items,
        _ => return Err(ApiError::invalid_field(field, "must be an array of strings")),
    };
    if items.len() > MAX_FILTER_VALUES {
        return Err(ApiError::invalid_field(field, format!("has more than {MAX_FILTER_VALUES} values")));
    }

    let mut values: Vec<String> = Vec::with_capacity(items.len());
    for item in items {
        match item.as_str() {
            Some(text) if !text.is_empty() && text.len() <= MAX_FILTER_VALUE_BYTES => {
                if !values.iter().any(|value| value == text) {
                    values.push(text.to_owned());
                }
            }
            _ => return Err(ApiError::invalid_field(field, format!("must contain only non-empty strings of at most {MAX_FILTER_VALUE_BYTES} bytes"))),
        }
    }

    Ok((!values.is_empty()).then_some(values))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    const NOW: Timestamp = Timestamp::from_secs(1_781_514_014);

    fn created(body: Value) -> Result<NewWebhook, ApiError> {
        parse_new_webhook(&body, false)
    }

    #[test]
    fn create_request_parses() {
        let fields = created(json!({
            "url": "https://example.com/hooks/aether",
            "events": ["post.published", "post.failed", "post.published"],
            "description": "production",
            "filter": { "platforms": ["instagram"], "profileIds": [] }
        }))
        .expect("valid");

        assert_eq!(fields.url, "https://example.com/hooks/aether");
        assert_eq!(fields.events, vec![EventType::PostPublished, EventType::PostFailed]);
        assert_eq!(fields.description.as_deref(), Some("production"));
        assert_eq!(fields.filter, Some(Filter { platforms: Some(vec!["instagram".into()]), profile_ids: None }));
    }

    #[test]
    fn create_request_errors_have_their_codes() {
        let url = "https://example.com/hook";
        let code = |body: Value| created(body).expect_err("invalid").code();

        assert_eq!(code(json!([])), "invalid_field");
        assert_eq!(code(json!({ "events": ["post.published"] })), "invalid_field");
        assert_eq!(code(json!({ "url": url })), "invalid_field");
        assert_eq!(code(json!({ "url": url, "events": [] })), "no_events");
        assert_eq!(code(json!({ "url": url, "events": ["post.deleted"] })), "unknown_event");
        assert_eq!(code(json!({ "url": url, "events": "post.published" })), "invalid_field");
        assert_eq!(code(json!({ "url": "http://example.com/hook", "events": ["post.published"] })), "invalid_url");
        assert_eq!(code(json!({ "url": "https://127.0.0.1/hook", "events": ["post.published"] })), "invalid_url");
        assert_eq!(code(json!({ "url": 42, "events": ["post.published"] })), "invalid_field");
        assert_eq!(code(json!({ "url": url, "events": ["post.published"], "secret": "x" })), "invalid_field");
        assert_eq!(code(json!({ "url": url, "events": ["post.published"], "filter": { "platform": ["x"] } })), "invalid_field");
        assert_eq!(code(json!({ "url": url, "events": ["post.published"], "description": 5 })), "invalid_field");
    }

    #[test]
    fn local_targets_need_the_switch() {
        let body = json!({ "url": "http://127.0.0.1:8080/hook", "events": ["post.published"] });

        assert!(parse_new_webhook(&body, false).is_err());
        assert!(parse_new_webhook(&body, true).is_ok());
    }

    #[test]
    fn changes_distinguish_absent_and_null() {
        let changes = parse_changes(&json!({ "description": null, "enabled": false }), false).expect("valid");

        assert_eq!(changes.description, Some(None));
        assert_eq!(changes.filter, None);
        assert_eq!(changes.enabled, Some(false));
        assert_eq!(parse_changes(&json!({ "enabled": "no" }), false).expect_err("invalid").code(), "invalid_field");
    }

    #[test]
    fn enabling_clears_the_disabled_reason() {
        let fields = created(json!({ "url": "https://example.com/hook", "events": ["post.published"] })).expect("valid");
        let mut webhook = Webhook::new("wh_1".into(), fields, NOW);

        webhook.apply(WebhookChanges { enabled: Some(false), ..WebhookChanges::default() }, NOW);
        assert_eq!((webhook.enabled, webhook.disabled_reason), (false, Some(DisabledReason::Manual)));

        webhook.apply(WebhookChanges { enabled: Some(true), ..WebhookChanges::default() }, NOW);
        assert_eq!((webhook.enabled, webhook.disabled_reason), (true, None));
    }

    #[test]
    fn webhook_serialises_in_the_contract_shape() {
        let fields = created(json!({ "url": "https://example.com/hook", "events": ["comment.created"] })).expect("valid");
        let value = serde_json::to_value(Webhook::new("wh_1".into(), fields, NOW)).expect("serialisable");

        assert_eq!(value["events"], json!(["comment.created"]));
        assert_eq!(value["description"], Value::Null);
        assert_eq!(value["filter"], Value::Null);
        assert_eq!(value["disabledReason"], Value::Null);
        assert_eq!(value["createdAt"], "2026-06-15T09:00:14Z");
    }

    #[test]
    fn subscription_and_filter_decide_fan_out() {
        let fields = NewWebhook {
            url: "https://example.com/hook".into(),
            events: vec![EventType::PostPublished],
            description: None,
            filter: Some(Filter { platforms: Some(vec!["instagram".into()]), profile_ids: Some(vec!["ig_1".into()]) }),
        };
        let mut webhook = Webhook::new("wh_1".into(), fields, NOW);
        let matching = json!({ "platform": "instagram", "profileId": "ig_1" });

        assert!(webhook.wants(EventType::PostPublished, &matching));
        assert!(!webhook.wants(EventType::PostFailed, &matching));
        assert!(!webhook.wants(EventType::PostPublished, &json!({ "platform": "tiktok", "profileId": "ig_1" })));
        assert!(!webhook.wants(EventType::PostPublished, &json!({ "platform": "instagram", "profileId": "ig_2" })));
        assert!(!webhook.wants(EventType::PostPublished, &json!({})));

        webhook.enabled = false;
        assert!(!webhook.wants(EventType::PostPublished, &matching));
    }
}
