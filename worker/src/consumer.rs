//! The events queue's consumer: fans each event out to the endpoints that want it.
//!
//! Each message is handled on its own and acknowledged or retried on its own. Up to
//! [`CONCURRENT_MESSAGES`] messages of a batch are in flight at once, because a message waits
//! for two Durable Object round trips and handling them one after another capped fan-out at
//! about 200 events per second on the local stack. Handing a delivery to an endpoint object is
//! idempotent on the event id, so a retried message (or the same event sent twice) creates one
//! delivery per endpoint. Events are therefore not delivered in the order they were queued.

use futures_util::future::join_all;
use futures_util::stream::{self, StreamExt};
use serde::Deserialize;
use worker::{Env, MessageBatch, MessageExt, RawMessage};

use crate::error::ApiError;
use crate::internal::{self, EndpointCommand, RegistryCommand};
use crate::log;
use crate::queue_message::{EventV1, QueueMessage};

/// The maximum number of messages of one batch handled at once.
pub const CONCURRENT_MESSAGES: usize = 10;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Matches {
    webhook_ids: Vec<String>,
}

/// Handles a batch; see [`handle`] for each message.
pub async fn consume(batch: MessageBatch<String>, env: Env) {
    stream::iter(batch.raw_iter()).for_each_concurrent(CONCURRENT_MESSAGES, |message| handle(message, &env)).await;
}

/// Acknowledges a message once its event is handed to every matching endpoint, and marks it
/// for retry otherwise. A message that cannot be read is logged and acknowledged, because
/// retrying would never make it readable.
async fn handle(message: RawMessage, env: &Env) {
    let Some(text) = message.body().as_string() else {
        log::failure("queue_message", "the message body is not text; it is dropped", &[("messageId", &message.id())]);
        message.ack();
        return;
    };

    let event = match QueueMessage::from_json(&text) {
        Ok(QueueMessage::EventV1(event)) => event,
        Err(error) => {
            log::failure("queue_message", &format!("the message is not a known version and is dropped: {error}"), &[("messageId", &message.id())]);
            message.ack();
            return;
        }
    };

    match fan_out(env, &event).await {
        Ok(handed) => {
            log::fan_out(&event.id, &event.org_id, handed.matched, handed.created);
            message.ack();
        }
        Err(error) => {
            log::failure("fan_out", &error.to_string(), &[("eventId", &event.id), ("orgId", &event.org_id)]);
            message.retry();
        }
    }
}

/// How an event was handed out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Handed {
    /// Webhooks the registry matched.
    matched: usize,
    /// Deliveries created now; fewer than `matched` when the event was handed out before or an
    /// endpoint object no longer wanted it.
    created: usize,
}

#[derive(Deserialize)]
struct Enqueued {
    created: bool,
}

/// Requests from the organization's registry the webhooks that want the event and hands it to
/// each of their endpoint objects at once.
async fn fan_out(env: &Env, event: &EventV1) -> Result<Handed, ApiError> {
    let registry = internal::registry(env, &event.org_id)?;
    let command = RegistryCommand::Match { org_id: event.org_id.clone(), event: event.event, data: event.data.clone() };
    let matches: Matches = internal::call(&registry, &command).await?;

    let handoffs = matches.webhook_ids.iter().map(|webhook_id| async move {
        let endpoint = internal::endpoint(env, webhook_id)?;
        let command = EndpointCommand::Enqueue { org_id: event.org_id.clone(), event_id: event.id.clone(), event: event.event, data: event.data.clone() };
        match internal::call::<Enqueued>(&endpoint, &command).await {
            Ok(enqueued) => Ok(enqueued.created),
            // The webhook was deleted after the registry matched it.
            Err(ApiError::WebhookNotFound) => Ok(false),
            Err(error) => Err(error),
        }
    });

    let created: Vec<bool> = join_all(handoffs).await.into_iter().collect::<Result<_, _>>()?;
    Ok(Handed { matched: created.len(), created: created.iter().filter(|created| **created).count() })
}
