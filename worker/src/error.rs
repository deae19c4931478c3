//! The API's errors: one enum, each variant with its HTTP status, a stable machine-readable
//! code and a message that states what failed and what to do.
//!
//! Every error body has the shape `{"error": {"code": "…", "message": "…"}}`.

use core::fmt;

use serde_json::json;

/// An error returned to an API client.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ApiError {
    /// The `Authorization` header is missing or contains no known API key.
    Unauthorized,
    /// The intake request has no `x-aether-signature` header.
    MissingSignature,
    /// The intake signature does not verify under the intake secret.
    InvalidSignature,
    /// The request body is larger than the route accepts.
    PayloadTooLarge {
        /// The largest accepted body, in bytes.
        limit: usize,
    },
    /// The request body is not valid JSON.
    InvalidJson(String),
    /// A JSON field or query parameter has the wrong type or value.
    InvalidField {
        /// The field's name as the client sent it, e.g. `filter.platforms`.
        field: String,
        /// The problem and the expected value.
        reason: String,
    },
    /// The endpoint URL is not acceptable, for the contained reason.
    InvalidUrl(String),
    /// An event type name is not one of the known event types.
    UnknownEvent(String),
    /// A webhook must subscribe to at least one event type.
    NoEvents,
    /// An event's `data` does not fit its event type, as the contained detail describes.
    InvalidEventData(String),
    /// The organization already has the maximum number of endpoints.
    EndpointLimitReached {
        /// The limit per organization.
        limit: u32,
    },
    /// No webhook with this id exists in the caller's organization.
    WebhookNotFound,
    /// No delivery with this id exists for the webhook.
    DeliveryNotFound,
    /// The delivery is not a dead letter, so it cannot be replayed.
    NotDeadLettered,
    /// The webhook is disabled, so nothing can be sent to it.
    WebhookDisabled,
    /// No route matches the path.
    RouteNotFound,
    /// The route exists but not with this method.
    MethodNotAllowed {
        /// The methods the route accepts, e.g. `GET, POST`.
        allowed: &'static str,
    },
    /// The events queue did not accept the event, so it was not stored.
    QueueUnavailable,
    /// A Durable Object did not respond, so the change was not made.
    StorageUnavailable,
    /// The Worker's configuration is invalid, for the contained reason (for the operator).
    Configuration(String),
    /// An unexpected failure inside the Worker.
    Internal,
}

impl ApiError {
    /// Returns the HTTP status for this error.
    #[must_use]
    pub fn status(&self) -> u16 {
        match self {
            ApiError::InvalidJson(_) => 400,
            ApiError::Unauthorized | ApiError::MissingSignature | ApiError::InvalidSignature => 401,
            ApiError::WebhookNotFound | ApiError::DeliveryNotFound | ApiError::RouteNotFound => 404,
            ApiError::MethodNotAllowed { .. } => 405,
            ApiError::EndpointLimitReached { .. } | ApiError::NotDeadLettered | ApiError::WebhookDisabled => 409,
            ApiError::PayloadTooLarge { .. } => 413,
            ApiError::InvalidField { .. } | ApiError::InvalidUrl(_) | ApiError::UnknownEvent(_) | ApiError::NoEvents | ApiError::InvalidEventData(_) => 422,
            ApiError::Configuration(_) | ApiError::Internal => 500,
            ApiError::QueueUnavailable | ApiError::StorageUnavailable => 503,
        }
    }

    /// Returns the stable machine-readable code for this error.
    #[must_use]
    pub fn code(&self) -> &'static str {
        match self {
            ApiError::Unauthorized => "unauthorized",
            ApiError::MissingSignature => "missing_signature",
            ApiError::InvalidSignature => "invalid_signature",
            ApiError::PayloadTooLarge { .. } => "payload_too_large",
            ApiError::InvalidJson(_) => "invalid_json",
            ApiError::InvalidField { .. } => "invalid_field",
            ApiError::InvalidUrl(_) => "invalid_url",
            ApiError::UnknownEvent(_) => "unknown_event",
            ApiError::NoEvents => "no_events",
            ApiError::InvalidEventData(_) => "invalid_event_data",
            ApiError::EndpointLimitReached { .. } => "endpoint_limit_reached",
            ApiError::WebhookNotFound => "webhook_not_found",
            ApiError::DeliveryNotFound => "delivery_not_found",
            ApiError::NotDeadLettered => "not_dead_lettered",
            ApiError::WebhookDisabled => "webhook_disabled",
            ApiError::RouteNotFound => "route_not_found",
            ApiError::MethodNotAllowed { .. } => "method_not_allowed",
            ApiError::QueueUnavailable => "queue_unavailable",
            ApiError::StorageUnavailable => "storage_unavailable",
            ApiError::Configuration(_) => "configuration_invalid",
            ApiError::Internal => "internal_error",
        }
    }

    /// Creates an [`ApiError::InvalidField`].
    pub fn invalid_field(field: impl Into<String>, reason: impl Into<String>) -> ApiError {
        ApiError::InvalidField { field: field.into(), reason: reason.into() }
    }

    /// Returns the methods a route accepts, sent as the `allow` header of a 405 response.
    #[must_use]
    pub fn allowed_methods(&self) -> Option<&'static str> {
        match self {
            ApiError::MethodNotAllowed { allowed } => Some(allowed),
            _ => None,
        }
    }

    /// Returns the JSON error body, `{"error": {"code", "message"}}`.
    #[must_use]
    pub fn body(&self) -> serde_json::Value {
        json!({ "error": { "code": self.code(), "message": self.to_string() } })
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ApiError::Unauthorized => write!(formatter, "missing or unknown API key: send `Authorization: Bearer <API key>`"),
            ApiError::MissingSignature => write!(formatter, "missing x-aether-signature header: sign the raw body with the intake secret"),
            ApiError::InvalidSignature => write!(formatter, "the x-aether-signature header does not verify: sign the exact raw body with the intake secret as `sha256=<hex HMAC-SHA256>`"),
            ApiError::PayloadTooLarge { limit } => write!(formatter, "the request body is larger than {limit} bytes: split it into smaller requests"),
            ApiError::InvalidJson(detail) => write!(formatter, "the request body is not valid JSON: {detail}"),
            ApiError::InvalidField { field, reason } => write!(formatter, "invalid {field}: {reason}"),
            ApiError::InvalidUrl(reason) => write!(formatter, "invalid url: {reason}"),
            ApiError::UnknownEvent(name) => write!(formatter, "unknown event type {name:?}: use one of post.scheduled, post.publishing, post.published, post.failed, post.cancelled, comment.created, message.created, message.updated"),
            ApiError::NoEvents => write!(formatter, "events is empty: subscribe to at least one event type"),
            ApiError::InvalidEventData(detail) => write!(formatter, "invalid event data: {detail}"),
            ApiError::EndpointLimitReached { limit } => write!(formatter, "the organization already has {limit} endpoints, the maximum: delete one before creating another"),
            ApiError::WebhookNotFound => write!(formatter, "no webhook with this id exists in your organization"),
            ApiError::DeliveryNotFound => write!(formatter, "no delivery with this id exists for this webhook"),
            ApiError::NotDeadLettered => write!(formatter, "the delivery is not a dead letter: only dead letters can be replayed"),
            ApiError::WebhookDisabled => write!(formatter, "the webhook is disabled: enable it with PATCH {{\"enabled\": true}} first"),
            ApiError::RouteNotFound => write!(formatter, "no such route: see /openapi.json for the API"),
            ApiError::MethodNotAllowed { allowed } => write!(formatter, "method not allowed on this route: use {allowed}"),
            ApiError::QueueUnavailable => write!(formatter, "the events queue did not accept the event, so nothing was stored: send it again"),
            ApiError::StorageUnavailable => write!(formatter, "the webhook storage did not respond, so nothing was changed: try again"),
            ApiError::Configuration(_) => write!(formatter, "the Worker is misconfigured: the operator has to fix its variables (see the Worker's log)"),
            ApiError::Internal => write!(formatter, "an unexpected error occurred: try again, and report it if it persists"),
        }
    }
}

impl core::error::Error for ApiError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn client_errors_are_never_server_errors() {
        let client_errors = [
            ApiError::Unauthorized,
            ApiError::MissingSignature,
            ApiError::InvalidSignature,
            ApiError::PayloadTooLarge { limit: 65_536 },
            ApiError::InvalidJson("eof".into()),
            ApiError::invalid_field("url", "must be a string"),
            ApiError::InvalidUrl("https only".into()),
            ApiError::UnknownEvent("post.deleted".into()),
            ApiError::NoEvents,
            ApiError::InvalidEventData("postId missing".into()),
            ApiError::EndpointLimitReached { limit: 10 },
            ApiError::WebhookNotFound,
            ApiError::DeliveryNotFound,
            ApiError::NotDeadLettered,
            ApiError::WebhookDisabled,
            ApiError::RouteNotFound,
            ApiError::MethodNotAllowed { allowed: "GET" },
        ];
        for error in client_errors {
            assert!((400..500).contains(&error.status()), "{error:?}");
        }
    }

    #[test]
    fn contract_codes_and_statuses() {
        assert_eq!((ApiError::Unauthorized.status(), ApiError::Unauthorized.code()), (401, "unauthorized"));
        assert_eq!((ApiError::EndpointLimitReached { limit: 10 }.status(), ApiError::EndpointLimitReached { limit: 10 }.code()), (409, "endpoint_limit_reached"));
        assert_eq!((ApiError::PayloadTooLarge { limit: 1 }.status(), ApiError::PayloadTooLarge { limit: 1 }.code()), (413, "payload_too_large"));
        assert_eq!((ApiError::NoEvents.status(), ApiError::NoEvents.code()), (422, "no_events"));
    }

    #[test]
    fn body_has_code_and_message() {
        let body = ApiError::WebhookNotFound.body();

        assert_eq!(body["error"]["code"], "webhook_not_found");
        assert_eq!(body["error"]["message"], "no webhook with this id exists in your organization");
    }
}
