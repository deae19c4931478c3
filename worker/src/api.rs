//! The Worker's HTTP API: authentication, the handlers of each route, and one log line per
//! request.
//!
//! Handlers check the request, then hand it to the organization's registry object or the
//! webhook's endpoint object, whose response is passed on unchanged.

use aether_webhooks::{EventType, Timestamp};
use serde_json::{Map, Value};
use worker::{Env, Headers, Request, Response};

use crate::config::{self, Config};
use crate::endpoint::MAX_OVERLAP_HOURS;
use crate::error::ApiError;
use crate::http::{self, Reply};
use crate::internal::{self, EndpointCommand, RegistryCommand};
use crate::queue_message::QueueMessage;
use crate::routes::{self, Route};
use crate::{clock, ids, intake, listing, log, webhook};

/// The OpenAPI document served at `/openapi.json`.
const OPENAPI: &str = include_str!("../openapi.json");
/// The dashboard page served at `/dashboard`.
const DASHBOARD: &str = include_str!("../assets/dashboard.html");

/// The response to one request, and the fields the log line records about it.
struct Handled {
    response: Response,
    org_id: Option<String>,
    error_code: Option<&'static str>,
}

/// Serves one request and logs it.
pub async fn serve(mut request: Request, env: Env) -> Response {
    let started = clock::now();
    let method = request.method().to_string();
    let path = request.path();

    let handled = match handle(&mut request, &env, &method, &path).await {
        Ok(handled) => handled,
        Err(error) => Handled { error_code: Some(error.code()), response: http::respond(Err(error)), org_id: None },
    };

    log::request(&log::RequestLine {
        method: &method,
        path: &path,
        status: handled.response.status_code(),
        duration_ms: clock::now().as_millis() - started.as_millis(),
        org_id: handled.org_id.as_deref(),
        error_code: handled.error_code,
    });
    handled.response
}

async fn handle(request: &mut Request, env: &Env, method: &str, path: &str) -> Result<Handled, ApiError> {
    let route = routes::route(method, path)?;
    let answer = |response: Response| Handled { response, org_id: None, error_code: None };

    match route {
        Route::Health => Ok(answer(http::respond(Reply::json(200, &serde_json::json!({ "ok": true }))))),
        Route::OpenApi => Ok(answer(static_response(OPENAPI, "application/json"))),
        Route::Dashboard => Ok(answer(static_response(DASHBOARD, "text/html; charset=utf-8"))),
        Route::Intake => {
            let config = config::load(env)?;
            Ok(answer(http::respond(accept_events(request, env, &config).await)))
        }
        route => {
            let config = config::load(env)?;
            let org_id = authenticate(request, &config)?;
            let result = manage(route, request, env, &config, &org_id).await;
            let error_code = result.as_ref().err().map(ApiError::code);
            let response = match result {
                Ok(response) => response,
                Err(error) => http::respond(Err(error)),
            };
            Ok(Handled { response, org_id: Some(org_id), error_code })
        }
    }
}

/// Returns the organization of the request's API key.
fn authenticate(request: &Request, config: &Config) -> Result<String, ApiError> {
    let header = request.headers().get("authorization").ok().flatten().ok_or(ApiError::Unauthorized)?;
    let (scheme, key) = header.trim().split_once(' ').ok_or(ApiError::Unauthorized)?;
    if !scheme.eq_ignore_ascii_case("bearer") {
        return Err(ApiError::Unauthorized);
    }
    config.api_keys.organization_of(key.trim()).map(str::to_owned).ok_or(ApiError::Unauthorized)
}

/// Checks an intake request (size, then signature, then content) and puts its events on the
/// queue. It responds 202 only once the queue accepted them.
async fn accept_events(request: &mut Request, env: &Env, config: &Config) -> Result<Reply, ApiError> {
    let body = http::read_body(request, intake::MAX_BODY_BYTES).await?;
    let signature = request.headers().get(aether_webhooks::signature::SIGNATURE_HEADER).ok().flatten();
    intake::verify_signature(&config.intake_secret, &body, signature.as_deref())?;

    let accepted = intake::parse_events(&body, clock::now(), || ids::generate(ids::EVENT_PREFIX).map_err(|_| ApiError::Internal))?;

    let queue = env.queue(internal::EVENTS_QUEUE_BINDING).map_err(|error| ApiError::Configuration(format!("the queue binding is missing: {error}")))?;
    let message = |event: &crate::queue_message::EventV1| QueueMessage::EventV1(event.clone()).to_json();
    let sent = match &accepted {
        intake::Accepted::One(event) => queue.send(message(event)).await,
        intake::Accepted::Batch(events) => queue.send_batch(events.iter().map(message).collect::<Vec<_>>()).await,
    };
    sent.map_err(|error| {
        log::failure("queue_send", &error.to_string(), &[]);
        ApiError::QueueUnavailable
    })?;

    Reply::json(202, &accepted.response_body())
}

async fn manage(route: Route, request: &mut Request, env: &Env, config: &Config, org_id: &str) -> Result<Response, ApiError> {
    let org = org_id.to_owned();
    match route {
        Route::ListWebhooks => to_registry(env, org_id, &RegistryCommand::List { org_id: org }).await,
        Route::CreateWebhook => {
            let body = http::read_json(request, false).await?;
            let fields = webhook::parse_new_webhook(&body, config.allow_local_targets)?;
            to_registry(env, org_id, &RegistryCommand::Create { org_id: org, limit: config.max_endpoints_per_org, fields }).await
        }
        Route::GetWebhook(webhook_id) => to_registry(env, org_id, &RegistryCommand::Get { org_id: org, webhook_id }).await,
        Route::UpdateWebhook(webhook_id) => {
            let changes = http::read_json(request, false).await?;
            webhook::parse_changes(&changes, config.allow_local_targets)?;
            to_registry(env, org_id, &RegistryCommand::Update { org_id: org, webhook_id, changes, allow_local_targets: config.allow_local_targets }).await
        }
        Route::DeleteWebhook(webhook_id) => to_registry(env, org_id, &RegistryCommand::Delete { org_id: org, webhook_id }).await,
        Route::RotateSecret(webhook_id) => {
            let body = http::read_json(request, true).await?;
            let overlap_hours = overlap_hours(&body)?;
            to_endpoint(env, &webhook_id, &EndpointCommand::RotateSecret { org_id: org, overlap_hours }).await
        }
        Route::ListDeliveries(webhook_id) => {
            let query = listing::parse_list_query(&query_pairs(request)?)?;
            to_endpoint(env, &webhook_id, &EndpointCommand::ListDeliveries { org_id: org, query }).await
        }
        Route::ListDeadLetters(webhook_id) => {
            let pairs: Vec<(String, String)> = query_pairs(request)?.into_iter().filter(|(name, _)| name != "status").collect();
            let mut query = listing::parse_list_query(&pairs)?;
            query.status = Some(listing::StatusFilter::DeadLetter);
            to_endpoint(env, &webhook_id, &EndpointCommand::ListDeliveries { org_id: org, query }).await
        }
        Route::ReplayDeadLetter { webhook_id, delivery_id } => to_endpoint(env, &webhook_id, &EndpointCommand::Replay { org_id: org, delivery_id }).await,
        Route::ReplayDeadLetters(webhook_id) => {
            let body = http::read_json(request, true).await?;
            let fields = object_with(&body, &["since", "until"])?;
            let since = optional_timestamp(fields, "since")?;
            let until = optional_timestamp(fields, "until")?;
            to_endpoint(env, &webhook_id, &EndpointCommand::ReplayAll { org_id: org, since, until }).await
        }
        Route::SendTest(webhook_id) => {
            let body = http::read_json(request, true).await?;
            let fields = object_with(&body, &["event"])?;
            let event = match fields.get("event") {
                None | Some(Value::Null) => EventType::PostPublished,
                Some(Value::String(name)) => EventType::parse(name).map_err(|_| ApiError::UnknownEvent(name.clone()))?,
                Some(_) => return Err(ApiError::invalid_field("event", "must be an event type name")),
            };
            to_endpoint(env, &webhook_id, &EndpointCommand::SendTest { org_id: org, event }).await
        }
        Route::Stats(webhook_id) => {
            let hours = listing::parse_hours(&query_pairs(request)?)?;
            to_endpoint(env, &webhook_id, &EndpointCommand::Stats { org_id: org, hours }).await
        }
        Route::Health | Route::OpenApi | Route::Dashboard | Route::Intake => Err(ApiError::RouteNotFound),
    }
}

async fn to_registry(env: &Env, org_id: &str, command: &RegistryCommand) -> Result<Response, ApiError> {
    internal::send(&internal::registry(env, org_id)?, command).await
}

async fn to_endpoint(env: &Env, webhook_id: &str, command: &EndpointCommand) -> Result<Response, ApiError> {
    internal::send(&internal::endpoint(env, webhook_id)?, command).await
}

fn query_pairs(request: &Request) -> Result<Vec<(String, String)>, ApiError> {
    let url = request.url().map_err(|_| ApiError::RouteNotFound)?;
    Ok(url.query_pairs().map(|(name, value)| (name.into_owned(), value.into_owned())).collect())
}

fn object_with<'a>(body: &'a Value, known: &[&str]) -> Result<&'a Map<String, Value>, ApiError> {
    let fields = body.as_object().ok_or_else(|| ApiError::invalid_field("body", "must be a JSON object"))?;
    if let Some(unknown) = fields.keys().find(|key| !known.contains(&key.as_str())) {
        return Err(ApiError::invalid_field(unknown.clone(), format!("is not a known field; use {}", known.join(", "))));
    }
    Ok(fields)
}

fn overlap_hours(body: &Value) -> Result<u32, ApiError> {
    let fields = object_with(body, &["overlapHours"])?;
    match fields.get("overlapHours") {
        None | Some(Value::Null) => Ok(24),
        Some(value) => value
            .as_u64()
            .and_then(|hours| u32::try_from(hours).ok())
            .filter(|hours| *hours <= MAX_OVERLAP_HOURS)
            .ok_or_else(|| ApiError::invalid_field("overlapHours", format!("must be a whole number from 0 to {MAX_OVERLAP_HOURS}"))),
    }
}

fn optional_timestamp(fields: &Map<String, Value>, name: &str) -> Result<Option<Timestamp>, ApiError> {
    match fields.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(text)) => Timestamp::parse(text).map(Some).map_err(|_| ApiError::invalid_field(name, "must be an RFC 3339 timestamp")),
        Some(_) => Err(ApiError::invalid_field(name, "must be an RFC 3339 timestamp")),
    }
}

fn static_response(body: &'static str, content_type: &str) -> Response {
    let headers = Headers::new();
    // Valid header names and values on a new, mutable header list cannot fail to set.
    let _ = headers.set("content-type", content_type);
    let _ = headers.set("cache-control", "no-cache");
    Response::builder().with_status(200).with_headers(headers).fixed(body.as_bytes().to_vec())
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn overlap_defaults_to_a_day_and_is_bounded() {
        assert_eq!(overlap_hours(&json!({})), Ok(24));
        assert_eq!(overlap_hours(&json!({ "overlapHours": 0 })), Ok(0));
        assert_eq!(overlap_hours(&json!({ "overlapHours": 168 })), Ok(168));
        assert_eq!(overlap_hours(&json!({ "overlapHours": 169 })).expect_err("too long").code(), "invalid_field");
        assert_eq!(overlap_hours(&json!({ "overlapHours": -1 })).expect_err("negative").code(), "invalid_field");
        assert_eq!(overlap_hours(&json!({ "overlapHours": 1.5 })).expect_err("fraction").code(), "invalid_field");
        assert_eq!(overlap_hours(&json!({ "hours": 1 })).expect_err("unknown").code(), "invalid_field");
    }

    #[test]
    fn replay_range_times_parse() {
        let fields = json!({ "since": "2026-06-15T09:00:00Z", "until": null });
        let fields = fields.as_object().expect("object");

        assert_eq!(optional_timestamp(fields, "since"), Ok(Some(Timestamp::from_secs(1_781_514_000))));
        assert_eq!(optional_timestamp(fields, "until"), Ok(None));
        assert!(optional_timestamp(json!({ "since": 5 }).as_object().expect("object"), "since").is_err());
    }

    #[test]
    fn openapi_document_is_json_with_every_route() {
        let document: Value = serde_json::from_str(OPENAPI).expect("openapi.json is JSON");
        let paths = document["paths"].as_object().expect("paths");

        for path in [
            "/healthz",
            "/openapi.json",
            "/dashboard",
            "/v1/events",
            "/v1/webhooks",
            "/v1/webhooks/{id}",
            "/v1/webhooks/{id}/rotate-secret",
            "/v1/webhooks/{id}/deliveries",
            "/v1/webhooks/{id}/dead-letters",
            "/v1/webhooks/{id}/dead-letters/{deliveryId}/replay",
            "/v1/webhooks/{id}/dead-letters/replay",
            "/v1/webhooks/{id}/test",
            "/v1/webhooks/{id}/stats",
        ] {
            assert!(paths.contains_key(path), "openapi.json lacks {path}");
        }
        assert_eq!(document["openapi"], "3.1.0");
    }
}
