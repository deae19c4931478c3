//! The events queue's consumer: fans each event out to the endpoints that want it.
//!
//! Each message is acknowledged or retried on its own. The messages of a batch are handed out
//! together: the registry of each organization matches all of that organization's events in
//! one call, and each endpoint object receives all of its events in one call. A message waits
//! for two Durable Object round trips, and handling messages one after another capped fan-out
//! at about 200 events per second on the local stack. Handing an event to an endpoint object
//! is idempotent on the event id, so a retried message (or the same event sent twice) creates
//! one delivery per endpoint. Events are therefore not delivered in the order they were
//! queued.

use std::collections::BTreeMap;

use futures_util::future::join_all;
use serde::Deserialize;
use worker::{Env, MessageBatch, MessageExt, RawMessage};

use crate::error::ApiError;
use crate::internal::{self, EndpointCommand, EventToDeliver, EventToMatch, RegistryCommand};
use crate::log;
use crate::queue_message::{EventV1, QueueMessage};

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Matches {
    /// For each event, in request order, the webhooks that want it.
    webhook_ids: Vec<Vec<String>>,
}

#[derive(Deserialize)]
struct Enqueued {
    /// For each event, in request order, whether a delivery was created now.
    created: Vec<bool>,
}

/// A readable message and what happened to its event.
struct Pending {
    message: RawMessage,
    event: EventV1,
    matched: usize,
    created: usize,
    failed: bool,
}

/// Handles a batch. A message is acknowledged once its event is handed to every matching
/// endpoint, and marked for retry otherwise. A message that cannot be read is logged and
/// acknowledged, because retrying would never make it readable.
pub async fn consume(batch: MessageBatch<String>, env: Env) {
    let mut pending: Vec<Pending> = batch.raw_iter().filter_map(readable).map(|(message, event)| Pending { message, event, matched: 0, created: 0, failed: false }).collect();

    let mut by_org: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (index, item) in pending.iter().enumerate() {
        by_org.entry(item.event.org_id.clone()).or_default().push(index);
    }
    let organizations = by_org.iter().map(|(org_id, indexes)| fan_out(&env, org_id, indexes, &pending));
    let outcomes = join_all(organizations).await;

    for (indexes, outcome) in by_org.values().zip(outcomes) {
        match outcome {
            Ok(counts) => {
                for (index, (matched, created)) in indexes.iter().zip(counts) {
                    pending[*index].matched = matched;
                    pending[*index].created = created;
                }
            }
            Err(error) => {
                for index in indexes {
                    let item = &mut pending[*index];
                    item.failed = true;
                    log::failure("fan_out", &error.to_string(), &[("eventId", &item.event.id), ("orgId", &item.event.org_id)]);
                }
            }
        }
    }

    for item in pending {
        if item.failed {
            item.message.retry();
        } else {
            log::fan_out(&item.event.id, &item.event.org_id, item.matched, item.created);
            item.message.ack();
        }
    }
}

/// Reads a message's event; an unreadable message is logged and acknowledged.
fn readable(message: RawMessage) -> Option<(RawMessage, EventV1)> {
    let Some(text) = message.body().as_string() else {
        log::failure("queue_message", "the message body is not text; it is dropped", &[("messageId", &message.id())]);
        message.ack();
        return None;
    };

    match QueueMessage::from_json(&text) {
        Ok(QueueMessage::EventV1(event)) => Some((message, event)),
        Err(error) => {
            log::failure("queue_message", &format!("the message is not a known version and is dropped: {error}"), &[("messageId", &message.id())]);
            message.ack();
            None
        }
    }
}

/// Hands one organization's events out: one registry call matches them all, then each
/// matched endpoint object gets its events in one call. Returns, for each event, how many
/// webhooks matched and how many deliveries were created. A failed call fails all of the
/// organization's events, which are then retried whole; the endpoint objects skip the events
/// they already have.
async fn fan_out(env: &Env, org_id: &str, indexes: &[usize], pending: &[Pending]) -> Result<Vec<(usize, usize)>, ApiError> {
    let events: Vec<EventToMatch> = indexes.iter().map(|index| EventToMatch { event: pending[*index].event.event, data: pending[*index].event.data.clone() }).collect();
    let registry = internal::registry(env, org_id)?;
    let matches: Matches = internal::call(&registry, &RegistryCommand::Match { org_id: org_id.to_owned(), events }).await?;

    // For each webhook, the positions (within this organization's events) it receives.
    let mut per_webhook: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (position, webhook_ids) in matches.webhook_ids.iter().enumerate() {
        for webhook_id in webhook_ids {
            per_webhook.entry(webhook_id.as_str()).or_default().push(position);
        }
    }

    let handoffs = per_webhook.iter().map(|(webhook_id, positions)| async move {
        let events = positions
            .iter()
            .map(|position| {
                let event = &pending[indexes[*position]].event;
                EventToDeliver { event_id: event.id.clone(), event: event.event, data: event.data.clone() }
            })
            .collect();
        let endpoint = internal::endpoint(env, webhook_id)?;
        match internal::call::<Enqueued>(&endpoint, &EndpointCommand::Enqueue { org_id: org_id.to_owned(), events }).await {
            Ok(enqueued) => Ok((positions, enqueued.created)),
            // The webhook was deleted after the registry matched it.
            Err(ApiError::WebhookNotFound) => Ok((positions, vec![false; positions.len()])),
            Err(error) => Err(error),
        }
    });

    let mut counts = vec![(0, 0); indexes.len()];
    for handoff in join_all(handoffs).await {
        let (positions, created) = handoff?;
        for (position, new) in positions.iter().zip(created) {
            counts[*position].0 += 1;
            counts[*position].1 += usize::from(new);
        }
    }
    Ok(counts)
}
