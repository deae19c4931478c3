//! The Aether Webhooks Worker: accepts events, fans them out to webhook endpoints and
//! delivers them with signatures, retries and dead letters, on Durable Objects, Queues and
//! alarms.
//!
//! - `fetch`: the HTTP API ([`api`]): intake at `POST /v1/events`, webhook management under
//!   `/v1/webhooks`, the OpenAPI document and the dashboard.
//! - `queue`: the events queue's consumer ([`consumer`]), which requests from the
//!   organization's [`registry`] object the webhooks that want an event and hands the event to
//!   each one's [`endpoint`] object.
//! - The endpoint object's alarm makes the delivery attempts.
//!
//! Policy (routing, validation, configuration, request signing, response classification)
//! is plain Rust that `cargo test` runs natively. The modules that touch the runtime only do
//! I/O around it.

mod alarm;
pub mod api;
pub mod attempt;
mod clock;
pub mod config;
pub mod consumer;
mod endpoint;
pub mod error;
mod http;
pub mod ids;
pub mod intake;
pub mod internal;
pub mod listing;
mod log;
pub mod queue_message;
mod registry;
pub mod routes;
pub mod stats;
pub mod webhook;

use worker::{event, Context, Env, MessageBatch, Request, Response};

/// Serves the HTTP API.
///
/// # Errors
/// Never returns an error: every failure becomes an error response, because an error here
/// would reach the client as the runtime's own 500 page.
#[event(fetch)]
pub async fn fetch(request: Request, env: Env, _context: Context) -> worker::Result<Response> {
    Ok(api::serve(request, env).await)
}

/// Consumes the events queue.
///
/// # Errors
/// Never returns an error: each message is acknowledged or retried on its own, because an
/// error here would make the runtime retry the whole batch.
#[event(queue)]
pub async fn queue(batch: MessageBatch<String>, env: Env, _context: Context) -> worker::Result<()> {
    consumer::consume(batch, env).await;
    Ok(())
}
