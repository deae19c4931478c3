//! The events queue's consumer: fans each event out to the endpoints that want it.
//!
//! Messages are handled one at a time and acknowledged or retried each on its own. Handing a
//! delivery to an endpoint object is idempotent on the event id, so a retried message (or the
//! same event sent twice) creates one delivery per endpoint.

use futures_util::future::join_all;
use serde::Deserialize;
use worker::{Env, MessageBatch, MessageExt};

use crate::error::ApiError;
use crate::internal::{self, EndpointCommand, RegistryCommand};
use crate::log;
use crate::queue_message::{EventV1, QueueMessage};

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Matches {
    webhook_ids: Vec<String>,
}

/// Handles a batch: acknowledges each message once its event is handed to every matching
/// endpoint, and marks it for retry otherwise. A message that cannot be read is logged and
/// acknowledged, since retrying would never make it readable.
pub async fn consume(batch: MessageBatch<String>, env: Env) {
    for message in batch.raw_iter() {
        let Some(text) = message.body().as_string() else {
            log::failure("queue_message", "the message body is not text; it is dropped", &[("messageId", &message.id())]);
            message.ack();
            continue;
        };

        let event = match QueueMessage::from_json(&text) {
            Ok(QueueMessage::EventV1(event)) => event,
            Err(error) => {
                log::failure("queue_message", &format!("the message is not a known version and is dropped: {error}"), &[("messageId", &message.id())]);
                message.ack();
                continue;
            }
        };

        match fan_out(&env, &event).await {
            Ok(()) => message.ack(),
            Err(error) => {
                log::failure("fan_out", &error.to_string(), &[("eventId", &event.id), ("orgId", &event.org_id)]);
                message.retry();
            }
        }
    }
}

/// Asks the organization's registry which webhooks want the event and hands it to each of
/// their endpoint objects at once.
async fn fan_out(env: &Env, event: &EventV1) -> Result<(), ApiError> {
    let registry = internal::registry(env, &event.org_id)?;
    let command = RegistryCommand::Match { org_id: event.org_id.clone(), event: event.event, data: event.data.clone() };
    let matches: Matches = internal::call(&registry, &command).await?;

    let handoffs = matches.webhook_ids.iter().map(|webhook_id| async move {
        let endpoint = internal::endpoint(env, webhook_id)?;
        let command = EndpointCommand::Enqueue { org_id: event.org_id.clone(), event_id: event.id.clone(), event: event.event, data: event.data.clone() };
        match internal::call::<serde_json::Value>(&endpoint, &command).await {
            // The webhook was deleted after the registry matched it.
            Ok(_) | Err(ApiError::WebhookNotFound) => Ok(()),
            Err(error) => Err(error),
        }
    });

    join_all(handoffs).await.into_iter().collect()
}
