//! Structured log lines: one JSON object per line on the console, which Workers Logs and
//! `wrangler tail` collect. There is one line per API request, per queued event handed out and
//! per delivery attempt. Lines carry ids, event types, statuses and durations, never a secret
//! or a body.

use serde_json::{json, Map, Value};

/// The fields logged for one API request.
#[derive(Debug)]
pub struct RequestLine<'a> {
    /// The HTTP method.
    pub method: &'a str,
    /// The path, without the query.
    pub path: &'a str,
    /// The response status.
    pub status: u16,
    /// Time from receiving the request to responding.
    pub duration_ms: i64,
    /// The caller's organization, once known.
    pub org_id: Option<&'a str>,
    /// The error code, when the response is an error.
    pub error_code: Option<&'a str>,
}

/// The fields logged for one delivery attempt.
#[derive(Debug)]
pub struct AttemptLine<'a> {
    /// The webhook.
    pub webhook_id: &'a str,
    /// The delivery.
    pub delivery_id: &'a str,
    /// The event id.
    pub event_id: &'a str,
    /// The event type.
    pub event: &'a str,
    /// The attempt number, counting every attempt of the delivery.
    pub attempt: u32,
    /// The receiver's HTTP status, or `None` without a response.
    pub status: Option<u16>,
    /// The failure class, or `None` for a 2xx response.
    pub error_class: Option<&'a str>,
    /// How long the attempt took.
    pub duration_ms: i64,
    /// The retry policy's decision: `delivered`, `retrying`, `dead_letter` or `disabled`.
    pub decision: &'a str,
}

/// Logs one API request.
pub fn request(line: &RequestLine<'_>) {
    emit(json!({
        "type": "request",
        "method": line.method,
        "path": line.path,
        "status": line.status,
        "durationMs": line.duration_ms,
        "orgId": line.org_id,
        "errorCode": line.error_code,
    }));
}

/// Logs one delivery attempt.
pub fn attempt(line: &AttemptLine<'_>) {
    emit(json!({
        "type": "attempt",
        "webhookId": line.webhook_id,
        "deliveryId": line.delivery_id,
        "eventId": line.event_id,
        "event": line.event,
        "attempt": line.attempt,
        "status": line.status,
        "errorClass": line.error_class,
        "durationMs": line.duration_ms,
        "decision": line.decision,
    }));
}

/// Logs how one queued event was handed to endpoints: how many webhooks matched and how many
/// deliveries were created (fewer for an event id seen before).
pub fn fan_out(event_id: &str, org_id: &str, matched: usize, created: usize) {
    emit(json!({ "type": "fan_out", "eventId": event_id, "orgId": org_id, "matched": matched, "created": created }));
}

/// Logs a failure that was handled and not passed on: where it happened, the error's
/// message, and the ids involved.
pub fn failure(operation: &str, error: &str, ids: &[(&str, &str)]) {
    let mut line = Map::new();
    line.insert("type".into(), "error".into());
    line.insert("operation".into(), operation.into());
    line.insert("error".into(), error.into());
    for (name, value) in ids {
        line.insert((*name).to_owned(), (*value).into());
    }
    emit(Value::Object(line));
}

fn emit(line: Value) {
    worker::console_log!("{line}");
}
