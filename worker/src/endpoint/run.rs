//! The endpoint object's alarm: attempt the deliveries that are due, record each outcome, and
//! set the alarm for the next thing to do.
//!
//! Alarms run at least once and may run late, so a run reads everything from storage: an
//! extra run finds nothing due and only re-arms. A run claims its batch by moving the next
//! attempt time of each claimed delivery to the end of a lease, so a run that overlaps it
//! cannot claim the same deliveries. The start of each attempt is written before the request
//! goes out. If the object stops mid-request, the lease ends and the attempt is made again
//! under the same delivery id.

use core::cell::Cell;
use core::time::Duration;

use aether_webhooks::retry::RetryDecision;
use aether_webhooks::{EventData, EventType, Timestamp, WebhookSecret};
use futures_util::stream::{self, StreamExt};
use serde::Deserialize;

use super::store::{AttemptEnd, AttemptResult, DeliveryRow, EndpointStore, StoredConfig};
use super::{Endpoint, MAX_SECRETS, PRUNE_INTERVAL_MILLIS};
use crate::config::Config;
use crate::error::ApiError;
use crate::http;
use crate::internal::{self, RegistryCommand};
use crate::webhook::{DisabledReason, Webhook};
use crate::{attempt, clock, ids, log};

/// The maximum number of deliveries claimed at once.
const BATCH_SIZE: u32 = 64;
/// The maximum number of batches in one alarm run. A run takes the next batch at once while
/// full batches are due, because waiting for the next alarm adds a delay per batch. When more
/// are due after the last batch, the next run starts at once.
const MAX_BATCHES_PER_RUN: u32 = 16;
/// The time after which a run takes no further batch.
const RUN_DURATION: Duration = Duration::from_secs(20);
/// The maximum number of attempts in flight at once within a run.
const CONCURRENCY: usize = 16;
/// Added to the attempt timeout to form the lease after which an interrupted attempt is
/// retried.
const LEASE_GRACE: Duration = Duration::from_secs(10);
/// The delay before a failed notice to the registry is sent again.
const NOTICE_RETRY: Duration = Duration::from_secs(30);
/// The delay before the alarm runs again after a run failed as a whole.
const RUN_RETRY: Duration = Duration::from_secs(30);

#[derive(Deserialize)]
struct DisableReply {
    webhook: Webhook,
    version: u64,
}

/// The state one alarm run shares between its attempts.
struct Run<'a> {
    store: &'a EndpointStore,
    config: &'a StoredConfig,
    settings: &'a Config,
    secrets: &'a [WebhookSecret],
    /// Set when a receiver responded 410 in this run, so attempts not yet started are skipped.
    gone: Cell<bool>,
}

impl Endpoint {
    /// Runs the due attempts and re-arms; errors are logged, never returned.
    pub(super) async fn wake_up(&self) {
        if let Err(error) = self.attempt_due().await {
            log::failure("endpoint_alarm", &error.to_string(), &[]);
            let retry_at = clock::now().saturating_add(RUN_RETRY);
            if let Err(error) = self.alarm.set(&self.state.storage(), retry_at).await {
                log::failure("endpoint_schedule_alarm", &error.to_string(), &[]);
            }
            return;
        }

        match self.store() {
            Ok(store) => self.rearm(&store).await,
            Err(error) => log::failure("endpoint_alarm", &error.to_string(), &[]),
        }
    }

    async fn attempt_due(&self) -> Result<(), ApiError> {
        let store = self.store()?;
        let Some(config) = store.config().map_err(http::internal("endpoint_config"))? else {
            return Ok(());
        };
        let settings = self.settings()?;
        let now = clock::now();

        if now.as_millis() - self.last_pruned.get() >= PRUNE_INTERVAL_MILLIS {
            let retention = i64::try_from(settings.retention.as_millis()).unwrap_or(i64::MAX);
            store.prune_finished(now.as_millis().saturating_sub(retention)).map_err(http::internal("endpoint_prune"))?;
            store.prune_secrets(now.as_millis()).map_err(http::internal("endpoint_prune_secrets"))?;
            self.last_pruned.set(now.as_millis());
        }

        if config.disable_notice_pending {
            self.send_disable_notice(&store).await;
        }
        if !config.webhook.enabled {
            return Ok(());
        }

        let secrets: Vec<WebhookSecret> = store
            .current_secrets(now.as_millis(), MAX_SECRETS)
            .map_err(http::internal("endpoint_secrets"))?
            .iter()
            .filter_map(|text| WebhookSecret::parse(text).ok())
            .collect();
        if secrets.is_empty() {
            log::failure("endpoint_alarm", "no valid signing secret: rotate the secret to send deliveries again", &[("webhookId", &config.webhook.id)]);
            return Ok(());
        }

        let run = Run { store: &store, config: &config, settings: &settings, secrets: &secrets, gone: Cell::new(false) };
        let run_ends = now.saturating_add(RUN_DURATION);
        for _ in 0..MAX_BATCHES_PER_RUN {
            let claimed_at = clock::now();
            let lease_until = claimed_at.saturating_add(batch_lease(settings.attempt_timeout));
            let due = store.claim_due(claimed_at.as_millis(), BATCH_SIZE, lease_until.as_millis()).map_err(http::internal("endpoint_due"))?;
            let full_batch = due.len() == usize::try_from(BATCH_SIZE).unwrap_or(usize::MAX);

            stream::iter(due).for_each_concurrent(CONCURRENCY, |delivery| run.attempt(delivery)).await;

            if !full_batch || run.gone.get() || clock::now() >= run_ends {
                break;
            }
        }

        if run.gone.get() {
            self.send_disable_notice(&store).await;
        }
        Ok(())
    }

    /// Sets the alarm for the earliest of: the next due delivery (while enabled), the next
    /// pruning of finished deliveries, and a pending notice to the registry. Clears it when
    /// there is nothing to do.
    pub(super) async fn rearm(&self, store: &EndpointStore) {
        let next = match self.next_wake_up(store) {
            Ok(next) => next,
            Err(error) => {
                log::failure("endpoint_rearm", &error.to_string(), &[]);
                Some(clock::now().saturating_add(RUN_RETRY))
            }
        };
        if let Err(error) = self.alarm.set_or_clear(&self.state.storage(), next).await {
            log::failure("endpoint_schedule_alarm", &error.to_string(), &[]);
        }
    }

    fn next_wake_up(&self, store: &EndpointStore) -> Result<Option<Timestamp>, ApiError> {
        let Some(config) = store.config().map_err(http::internal("endpoint_config"))? else {
            return Ok(None);
        };
        let retention = self.settings()?.retention;
        let mut candidates: Vec<Timestamp> = Vec::new();

        let times = store.next_times().map_err(http::internal("endpoint_next_times"))?;
        if config.webhook.enabled {
            candidates.extend(times.earliest_due.map(Timestamp::from_millis));
        }
        if let Some(oldest) = times.oldest_finished {
            candidates.push(Timestamp::from_millis(oldest).saturating_add(retention));
        }
        if config.disable_notice_pending {
            candidates.push(clock::now().saturating_add(NOTICE_RETRY));
        }

        Ok(candidates.into_iter().min())
    }

    /// Notifies the registry that a receiver responded 410 and adopts the webhook version it
    /// returns. On failure the notice stays pending and the alarm sends it again.
    async fn send_disable_notice(&self, store: &EndpointStore) {
        let Ok(Some(config)) = store.config() else {
            return;
        };
        let command = RegistryCommand::Disable { webhook_id: config.webhook.id.clone(), reason: DisabledReason::EndpointGone };

        let reply = match internal::registry(&self.env, &config.org_id) {
            Ok(registry) => internal::call::<DisableReply>(&registry, &command).await,
            Err(error) => Err(error),
        };

        let Ok(Some(mut current)) = store.config() else {
            return;
        };
        match reply {
            Ok(reply) if reply.version >= current.version => {
                current.webhook = reply.webhook;
                current.version = reply.version;
                current.disable_notice_pending = false;
            }
            Ok(_) | Err(ApiError::WebhookNotFound) => current.disable_notice_pending = false,
            Err(error) => {
                log::failure("registry_disable", &error.to_string(), &[("webhookId", &current.webhook.id)]);
                return;
            }
        }
        if let Err(error) = store.save_config(&current) {
            log::failure("endpoint_save_config", &error.to_string(), &[("webhookId", &current.webhook.id)]);
        }
    }
}

impl Run<'_> {
    /// Makes one attempt and records it. Failures to read or write storage are logged; the
    /// delivery then stays pending and is attempted again when its lease ends.
    async fn attempt(&self, delivery: DeliveryRow) {
        if self.gone.get() {
            return;
        }
        if let Err(error) = self.try_attempt(&delivery).await {
            log::failure("attempt", &error.to_string(), &[("webhookId", &self.config.webhook.id), ("deliveryId", &delivery.id)]);
        }
    }

    async fn try_attempt(&self, delivery: &DeliveryRow) -> worker::Result<()> {
        let webhook = &self.config.webhook;
        let started = clock::now();
        let number = delivery.attempts + 1;
        let attempt_in_round = number - delivery.round_start;

        if attempt_in_round > self.settings.retry_policy.schedule.max_attempts() {
            return self.store.give_up(&delivery.id, started.as_millis());
        }
        let Some(data) = stored_data(delivery) else {
            log::failure("attempt", "the stored event data does not parse; the delivery is dead-lettered", &[("deliveryId", &delivery.id)]);
            return self.store.give_up(&delivery.id, started.as_millis());
        };

        let lease_until = started.saturating_add(self.settings.attempt_timeout + LEASE_GRACE);
        self.store.begin_attempt(&delivery.id, number, started.as_millis(), lease_until.as_millis(), delivery.in_flight != 0)?;

        let secrets: Vec<&WebhookSecret> = self.secrets.iter().collect();
        let request = attempt::build_request(&webhook.id, &delivery.id, data, &secrets, started).map_err(|error| worker::Error::RustError(error.to_string()))?;
        let outcome = attempt::send(&webhook.url, &request, self.settings.attempt_timeout, started).await;

        let finished = clock::now();
        let random = ids::random_u32().unwrap_or(0);
        let (end, next_attempt_at, decision) = match self.settings.retry_policy.decide(attempt_in_round, &outcome, finished, random) {
            RetryDecision::Delivered => (AttemptEnd::Delivered, None, "delivered"),
            RetryDecision::RetryAt(at) => (AttemptEnd::Retrying, Some(at.as_millis()), "retrying"),
            RetryDecision::DeadLetter => (AttemptEnd::DeadLetter, None, "dead_letter"),
            RetryDecision::DisableEndpoint => {
                self.disable_for_gone(finished)?;
                (AttemptEnd::DeadLetter, None, "disabled")
            }
        };

        let status = match outcome {
            aether_webhooks::retry::AttemptOutcome::Response { status, .. } => Some(status),
            _ => None,
        };
        let duration_ms = finished.as_millis() - started.as_millis();
        self.store.finish_attempt(&AttemptResult {
            delivery_id: &delivery.id,
            attempt: number,
            status,
            error_class: outcome.error_class(),
            duration_ms,
            end,
            next_attempt_at,
            finished_at: finished.as_millis(),
        })?;

        log::attempt(&log::AttemptLine {
            webhook_id: &webhook.id,
            delivery_id: &delivery.id,
            event_id: &delivery.event_id,
            event: &delivery.event,
            attempt: number,
            status,
            error_class: outcome.error_class(),
            duration_ms,
            decision,
        });
        Ok(())
    }

    /// Disables the webhook at once, so that no further attempt or new delivery starts, and
    /// leaves a notice for the registry.
    fn disable_for_gone(&self, now: Timestamp) -> worker::Result<()> {
        self.gone.set(true);
        let Some(mut config) = self.store.config()? else {
            return Ok(());
        };
        config.webhook.enabled = false;
        config.webhook.disabled_reason = Some(DisabledReason::EndpointGone);
        config.webhook.updated_at = now;
        config.disable_notice_pending = true;
        self.store.save_config(&config)
    }
}

/// Returns the lease of a claimed batch. It covers every round of attempts the batch needs
/// at the given concurrency, each at most one timeout long.
fn batch_lease(attempt_timeout: Duration) -> Duration {
    let rounds = BATCH_SIZE.div_ceil(u32::try_from(CONCURRENCY).unwrap_or(1));
    attempt_timeout * rounds + LEASE_GRACE
}

fn stored_data(delivery: &DeliveryRow) -> Option<EventData> {
    let event = EventType::parse(&delivery.event).ok()?;
    let value = serde_json::from_str(&delivery.data).ok()?;
    EventData::from_value(event, value).ok()
}
