//! The protocol between the Worker and its Durable Objects: the binding names, the commands
//! each object accepts, and the calls that carry them.
//!
//! A command is a JSON body `POST`ed to the object's stub. An object responds with the API's
//! own status and JSON body (errors included), so the Worker can pass a response on unchanged.

use aether_webhooks::{EventType, Timestamp};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use worker::{Env, Headers, Method, Request, RequestInit, Response, Stub};

use crate::error::ApiError;
use crate::listing::ListQuery;
use crate::{http, log};
use crate::webhook::{DisabledReason, NewWebhook, Webhook};

/// The Durable Object namespace of the registry objects, one per organization.
pub const REGISTRY_BINDING: &str = "REGISTRY";
/// The Durable Object namespace of the endpoint objects, one per webhook.
pub const ENDPOINT_BINDING: &str = "ENDPOINTS";
/// The producer binding of the events queue.
pub const EVENTS_QUEUE_BINDING: &str = "EVENTS";

/// The URL commands are sent to; objects ignore it, but a request needs one.
const COMMAND_URL: &str = "https://internal.aether-webhooks/command";

/// The commands of a registry object.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "command", rename_all = "snake_case", rename_all_fields = "camelCase")]
pub enum RegistryCommand {
    /// Registers a webhook if the organization is below `limit`.
    Create {
        /// The organization.
        org_id: String,
        /// The endpoint limit per organization.
        limit: u32,
        /// The checked fields of the create request.
        fields: NewWebhook,
    },
    /// Lists the organization's webhooks.
    List {
        /// The organization.
        org_id: String,
    },
    /// Returns one webhook.
    Get {
        /// The organization.
        org_id: String,
        /// The webhook.
        webhook_id: String,
    },
    /// Changes a webhook; `changes` is the raw request body, checked again by the registry.
    Update {
        /// The organization.
        org_id: String,
        /// The webhook.
        webhook_id: String,
        /// The update request body.
        changes: Value,
        /// Whether local targets are allowed for a new URL.
        allow_local_targets: bool,
    },
    /// Deletes a webhook and its endpoint object.
    Delete {
        /// The organization.
        org_id: String,
        /// The webhook.
        webhook_id: String,
    },
    /// Disables a webhook on behalf of its endpoint object.
    Disable {
        /// The webhook.
        webhook_id: String,
        /// The reason it is disabled.
        reason: DisabledReason,
    },
    /// Returns, for each event, the ids of the webhooks that want it.
    Match {
        /// The organization.
        org_id: String,
        /// The events; the response lists the matches in this order.
        events: Vec<EventToMatch>,
    },
}

/// An event as the registry matches it against subscriptions and filters.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct EventToMatch {
    /// The event type.
    pub event: EventType,
    /// The event's data, for the filters.
    pub data: Value,
}

/// An event handed to an endpoint object for delivery.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EventToDeliver {
    /// The event id, the idempotency key.
    pub event_id: String,
    /// The event type.
    pub event: EventType,
    /// The checked event data.
    pub data: Value,
}

/// The commands of an endpoint object.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "command", rename_all = "snake_case", rename_all_fields = "camelCase")]
pub enum EndpointCommand {
    /// Stores the configuration of a new webhook and creates its first secret.
    Init {
        /// The owning organization.
        org_id: String,
        /// The webhook.
        webhook: Webhook,
        /// The registry's version of the webhook.
        version: u64,
    },
    /// Replaces the configuration with a newer version from the registry.
    Configure {
        /// The webhook.
        webhook: Webhook,
        /// The registry's version of the webhook; older versions are ignored.
        version: u64,
    },
    /// Deletes everything the object stores.
    Destroy,
    /// Accepts events for delivery, each once per event id.
    Enqueue {
        /// The organization the events belong to.
        org_id: String,
        /// The events; the response lists the results in this order.
        events: Vec<EventToDeliver>,
    },
    /// Lists deliveries, newest first.
    ListDeliveries {
        /// The caller's organization.
        org_id: String,
        /// Filter, page size and cursor.
        query: ListQuery,
    },
    /// Replays one dead letter.
    Replay {
        /// The caller's organization.
        org_id: String,
        /// The dead letter.
        delivery_id: String,
    },
    /// Replays the dead letters of a time range.
    ReplayAll {
        /// The caller's organization.
        org_id: String,
        /// Only dead letters given up at or after this time.
        since: Option<Timestamp>,
        /// Only dead letters given up at or before this time.
        until: Option<Timestamp>,
    },
    /// Sends a sample event.
    SendTest {
        /// The caller's organization.
        org_id: String,
        /// The event type of the sample.
        event: EventType,
    },
    /// Returns hourly counts of attempts.
    Stats {
        /// The caller's organization.
        org_id: String,
        /// How many hours, ending now.
        hours: u32,
    },
    /// Creates a new secret; the previous ones stay valid for the overlap.
    RotateSecret {
        /// The caller's organization.
        org_id: String,
        /// How long the previous secrets stay valid, in hours.
        overlap_hours: u32,
    },
}

/// Returns the stub of an organization's registry object.
///
/// # Errors
/// Returns [`ApiError::Configuration`] when the binding is missing.
pub fn registry(env: &Env, org_id: &str) -> Result<Stub, ApiError> {
    stub(env, REGISTRY_BINDING, org_id)
}

/// Returns the stub of a webhook's endpoint object.
///
/// # Errors
/// Returns [`ApiError::Configuration`] when the binding is missing.
pub fn endpoint(env: &Env, webhook_id: &str) -> Result<Stub, ApiError> {
    stub(env, ENDPOINT_BINDING, webhook_id)
}

fn stub(env: &Env, binding: &str, name: &str) -> Result<Stub, ApiError> {
    let namespace = env.durable_object(binding).map_err(|error| ApiError::Configuration(format!("the Durable Object binding {binding} is missing: {error}")))?;
    namespace.id_from_name(name).and_then(|id| id.get_stub()).map_err(|error| {
        log::failure("durable_object_stub", &error.to_string(), &[("binding", binding), ("name", name)]);
        ApiError::StorageUnavailable
    })
}

/// Sends a command and returns the object's response unchanged.
///
/// # Errors
/// Returns [`ApiError::StorageUnavailable`] when the object cannot be reached.
pub async fn send(stub: &Stub, command: &impl Serialize) -> Result<Response, ApiError> {
    let body = serde_json::to_string(command).map_err(|_| ApiError::Internal)?;

    let headers = Headers::new();
    headers.set("content-type", "application/json").map_err(|_| ApiError::Internal)?;
    let mut init = RequestInit::new();
    init.with_method(Method::Post).with_headers(headers).with_body(Some(body.into()));

    let request = Request::new_with_init(COMMAND_URL, &init).map_err(|_| ApiError::Internal)?;
    stub.fetch_with_request(request).await.map_err(|error| {
        log::failure("durable_object_call", &error.to_string(), &[]);
        ApiError::StorageUnavailable
    })
}

/// Sends a command and reads a successful response as `T`.
///
/// # Errors
/// Returns the object's own error when it responded with one, and
/// [`ApiError::StorageUnavailable`] when it could not be reached or its response is unreadable.
pub async fn call<T: DeserializeOwned>(stub: &Stub, command: &impl Serialize) -> Result<T, ApiError> {
    let response = send(stub, command).await?;
    let status = response.status_code();
    let bytes = http::body_bytes(&response).await.map_err(|_| ApiError::StorageUnavailable)?;
    let body: Value = serde_json::from_slice(&bytes).map_err(|_| ApiError::StorageUnavailable)?;

    if (200..300).contains(&status) {
        return serde_json::from_value(body).map_err(|_| ApiError::StorageUnavailable);
    }
    Err(error_from_body(status, &body))
}

/// Reads a command from a request to a Durable Object.
///
/// # Errors
/// Returns [`ApiError::Internal`] when the body is not a command of type `T`: only the Worker
/// sends commands, so this is a bug, not bad input.
pub async fn read_command<T: DeserializeOwned>(mut request: Request) -> Result<T, ApiError> {
    let bytes = request.bytes().await.map_err(|_| ApiError::Internal)?;
    serde_json::from_slice(&bytes).map_err(|error| {
        log::failure("read_command", &error.to_string(), &[]);
        ApiError::Internal
    })
}

/// Rebuilds an object's error response from its status and `error.code`.
fn error_from_body(status: u16, body: &Value) -> ApiError {
    let code = body.pointer("/error/code").and_then(Value::as_str).unwrap_or_default();
    match (status, code) {
        (404, "webhook_not_found") => ApiError::WebhookNotFound,
        (404, "delivery_not_found") => ApiError::DeliveryNotFound,
        (409, "not_dead_lettered") => ApiError::NotDeadLettered,
        (409, "webhook_disabled") => ApiError::WebhookDisabled,
        _ => ApiError::StorageUnavailable,
    }
}
