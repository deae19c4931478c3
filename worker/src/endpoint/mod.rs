//! The endpoint object: one Durable Object per webhook, which owns that webhook's deliveries.
//!
//! It keeps a copy of the webhook's configuration pushed by the registry, the signing
//! secrets, every delivery with its next attempt time, the attempt log and the dead letters.
//! Its alarm makes the attempts (see [`run`]), so a slow receiver only ever delays its own
//! object.

mod run;
mod store;
mod view;

use core::cell::{Cell, RefCell};
use core::time::Duration;

use aether_webhooks::{EventData, EventType, Timestamp, WebhookSecret};
use serde_json::{json, Value};
use worker::{durable_object, DurableObject, Env, Request, Response, State};

use crate::config::{self, Config};
use crate::error::ApiError;
use crate::http::{self, Reply};
use crate::internal::{self, EndpointCommand, EventToDeliver};
use crate::listing::ListQuery;
use crate::webhook::Webhook;
use crate::alarm::Alarm;
use crate::{clock, ids, log, stats};
use store::{EndpointStore, StoredConfig};

/// The maximum number of secrets that sign at once. When rotations pile up, older secrets stop
/// signing before their overlap ends.
pub const MAX_SECRETS: u32 = 4;
/// The maximum overlap of a rotated secret, in hours.
pub const MAX_OVERLAP_HOURS: u32 = 168;

/// How often finished deliveries and expired secrets are pruned, at most.
const PRUNE_INTERVAL_MILLIS: i64 = 60_000;

/// The endpoint Durable Object.
#[durable_object(alarm)]
pub struct Endpoint {
    state: State,
    env: Env,
    /// The tables, opened (and created if needed) once per instance.
    store: RefCell<Option<EndpointStore>>,
    alarm: Alarm,
    /// When this instance last pruned, in milliseconds.
    last_pruned: Cell<i64>,
}

impl DurableObject for Endpoint {
    fn new(state: State, env: Env) -> Self {
        Endpoint { state, env, store: RefCell::new(None), alarm: Alarm::default(), last_pruned: Cell::new(0) }
    }

    async fn fetch(&self, request: Request) -> worker::Result<Response> {
        let result = match internal::read_command::<EndpointCommand>(request).await {
            Ok(command) => self.run_command(command).await,
            Err(error) => Err(error),
        };
        Ok(http::respond(result))
    }

    /// Attempts the due deliveries and re-arms the alarm. It catches its own errors: a failed
    /// run logs the error and re-arms for a retry, because an alarm that throws would be
    /// retried by the runtime only a few times.
    async fn alarm(&self) -> worker::Result<Response> {
        self.alarm.started();
        self.wake_up().await;
        Response::empty()
    }
}

impl Endpoint {
    fn store(&self) -> Result<EndpointStore, ApiError> {
        if let Some(store) = self.store.borrow().as_ref() {
            return Ok(store.clone());
        }
        let store = EndpointStore::open(self.state.storage().sql()).map_err(http::internal("endpoint_open"))?;
        *self.store.borrow_mut() = Some(store.clone());
        Ok(store)
    }

    fn settings(&self) -> Result<std::rc::Rc<Config>, ApiError> {
        config::load(&self.env)
    }

    async fn run_command(&self, command: EndpointCommand) -> Result<Reply, ApiError> {
        match command {
            EndpointCommand::Init { org_id, webhook, version } => self.init(org_id, webhook, version),
            EndpointCommand::Configure { webhook, version } => self.configure(webhook, version).await,
            EndpointCommand::Destroy => self.destroy().await,
            EndpointCommand::Enqueue { org_id, events } => self.enqueue(&org_id, &events).await,
            EndpointCommand::ListDeliveries { org_id, query } => self.list(&org_id, &query),
            EndpointCommand::Replay { org_id, delivery_id } => self.replay(&org_id, &delivery_id).await,
            EndpointCommand::ReplayAll { org_id, since, until } => self.replay_all(&org_id, since, until).await,
            EndpointCommand::SendTest { org_id, event } => self.send_test(&org_id, event).await,
            EndpointCommand::Stats { org_id, hours } => self.stats(&org_id, hours),
            EndpointCommand::RotateSecret { org_id, overlap_hours } => self.rotate_secret(&org_id, overlap_hours),
        }
    }

    /// Returns the configuration when it belongs to `org_id`; another organization's webhook
    /// looks the same as a missing one.
    fn owned_config(&self, store: &EndpointStore, org_id: &str) -> Result<StoredConfig, ApiError> {
        match store.config().map_err(http::internal("endpoint_config"))? {
            Some(config) if config.org_id == org_id => Ok(config),
            _ => Err(ApiError::WebhookNotFound),
        }
    }

    /// Stores the first configuration and creates the first secret. A repeated init (the
    /// registry retried) keeps the existing secret and cannot return it again.
    fn init(&self, org_id: String, webhook: Webhook, version: u64) -> Result<Reply, ApiError> {
        let store = self.store()?;
        if store.config().map_err(http::internal("endpoint_config"))?.is_some() {
            return Err(ApiError::Internal);
        }

        let secret = WebhookSecret::generate().map_err(|error| {
            log::failure("generate_secret", &error.to_string(), &[("webhookId", &webhook.id)]);
            ApiError::Internal
        })?;
        store.save_config(&StoredConfig { org_id, version, webhook, disable_notice_pending: false }).map_err(http::internal("endpoint_save_config"))?;
        store.add_secret(secret.as_str(), clock::now().as_millis()).map_err(http::internal("endpoint_add_secret"))?;

        Reply::json(201, &json!({ "secret": secret.as_str() }))
    }

    /// Applies a newer configuration; an older or equal version is acknowledged and ignored.
    async fn configure(&self, webhook: Webhook, version: u64) -> Result<Reply, ApiError> {
        let store = self.store()?;
        let Some(mut config) = store.config().map_err(http::internal("endpoint_config"))? else {
            return Err(ApiError::WebhookNotFound);
        };

        if version > config.version {
            config.webhook = webhook;
            config.version = version;
            config.disable_notice_pending = false;
            store.save_config(&config).map_err(http::internal("endpoint_save_config"))?;
            self.rearm(&store).await;
        }
        Reply::json(200, &json!({ "version": config.version }))
    }

    async fn destroy(&self) -> Result<Reply, ApiError> {
        let storage = self.state.storage();
        self.alarm.set_or_clear(&storage, None).await.map_err(http::internal("endpoint_delete_alarm"))?;
        storage.delete_all().await.map_err(http::internal("endpoint_delete_all"))?;

        // Deleting everything drops the tables too; a later command creates them again.
        *self.store.borrow_mut() = None;
        self.alarm.forget();
        Ok(Reply::empty(204))
    }

    /// Accepts events for delivery, each once per event id and only if the webhook still wants
    /// it, and responds with whether each one created a delivery. The first attempt is due
    /// after the schedule's first delay (normally at once) and runs in the alarm.
    async fn enqueue(&self, org_id: &str, events: &[EventToDeliver]) -> Result<Reply, ApiError> {
        let store = self.store()?;
        let config = self.owned_config(&store, org_id)?;

        let mut created = Vec::with_capacity(events.len());
        let mut first_attempt = None;
        for event in events {
            if !config.webhook.wants(event.event, &event.data) {
                created.push(false);
                continue;
            }
            let (_, new, attempt_at) = self.insert_delivery(&store, &event.event_id, event.event, &event.data)?;
            if new {
                first_attempt = Some(first_attempt.map_or(attempt_at, |earliest: Timestamp| earliest.min(attempt_at)));
            }
            created.push(new);
        }

        if let Some(at) = first_attempt {
            self.wake_at(at).await;
        }
        Reply::json(200, &json!({ "created": created }))
    }

    /// Stores a delivery unless the event id has one, and returns its id, whether it was
    /// created now, and when its first attempt is due.
    fn insert_delivery(&self, store: &EndpointStore, event_id: &str, event: EventType, data: &Value) -> Result<(String, bool, Timestamp), ApiError> {
        let now = clock::now();
        let first_delay = self.settings()?.retry_policy.schedule.delay_before(1).unwrap_or(Duration::ZERO);
        let first_attempt_at = now.saturating_add(first_delay);

        let id = ids::generate(ids::DELIVERY_PREFIX).map_err(|_| ApiError::Internal)?;
        let (delivery_id, created) = store
            .insert_delivery(&id, event_id, event.as_str(), &data.to_string(), now.as_millis(), first_attempt_at.as_millis())
            .map_err(http::internal("endpoint_insert_delivery"))?;
        Ok((delivery_id, created, first_attempt_at))
    }

    fn list(&self, org_id: &str, query: &ListQuery) -> Result<Reply, ApiError> {
        let store = self.store()?;
        self.owned_config(&store, org_id)?;

        let (rows, next) = store.page(query).map_err(http::internal("endpoint_page"))?;
        let ids: Vec<&str> = rows.iter().map(|row| row.id.as_str()).collect();
        let attempts = store.attempts_of(&ids).map_err(http::internal("endpoint_attempts"))?;

        let data = view::deliveries(rows, &attempts);
        Reply::json(200, &json!({ "data": data, "nextCursor": next.map(|cursor| cursor.encode()) }))
    }

    async fn replay(&self, org_id: &str, delivery_id: &str) -> Result<Reply, ApiError> {
        let store = self.store()?;
        let config = self.owned_config(&store, org_id)?;
        if !config.webhook.enabled {
            return Err(ApiError::WebhookDisabled);
        }

        let row = store.find(delivery_id).map_err(http::internal("endpoint_find"))?.ok_or(ApiError::DeliveryNotFound)?;
        if row.status != "dead_letter" {
            return Err(ApiError::NotDeadLettered);
        }

        let now = clock::now();
        store.replay(delivery_id, now.as_millis()).map_err(http::internal("endpoint_replay"))?;
        self.wake_at(now).await;

        let row = store.find(delivery_id).map_err(http::internal("endpoint_find"))?.ok_or(ApiError::DeliveryNotFound)?;
        let attempts = store.attempts_of(&[delivery_id]).map_err(http::internal("endpoint_attempts"))?;
        let delivery = view::deliveries(vec![row], &attempts).pop();
        Reply::json(202, &json!({ "delivery": delivery }))
    }

    async fn replay_all(&self, org_id: &str, since: Option<Timestamp>, until: Option<Timestamp>) -> Result<Reply, ApiError> {
        let store = self.store()?;
        let config = self.owned_config(&store, org_id)?;
        if !config.webhook.enabled {
            return Err(ApiError::WebhookDisabled);
        }

        let now = clock::now();
        // Open bounds are the earliest and latest timestamps, both exact in JavaScript numbers.
        let since = since.unwrap_or(Timestamp::from_millis(i64::MIN)).as_millis();
        let until = until.unwrap_or(Timestamp::from_millis(i64::MAX)).as_millis();
        let replayed = store.replay_range(since, until, now.as_millis()).map_err(http::internal("endpoint_replay"))?;
        if replayed > 0 {
            self.wake_at(now).await;
        }
        Reply::json(202, &json!({ "replayed": replayed }))
    }

    /// Delivers a sample event of `event`, whether or not the webhook subscribes to it.
    async fn send_test(&self, org_id: &str, event: EventType) -> Result<Reply, ApiError> {
        let store = self.store()?;
        let config = self.owned_config(&store, org_id)?;
        if !config.webhook.enabled {
            return Err(ApiError::WebhookDisabled);
        }

        let event_id = ids::generate(ids::EVENT_PREFIX).map_err(|_| ApiError::Internal)?;
        let data = EventData::sample(event).to_value();
        let (delivery_id, created, first_attempt_at) = self.insert_delivery(&store, &event_id, event, &data)?;
        if created {
            self.wake_at(first_attempt_at).await;
        }
        Reply::json(202, &json!({ "eventId": event_id, "deliveryId": delivery_id }))
    }

    fn stats(&self, org_id: &str, hours: u32) -> Result<Reply, ApiError> {
        let store = self.store()?;
        self.owned_config(&store, org_id)?;

        let now = clock::now();
        let counts = store.hourly_counts(stats::window_start(now, hours)).map_err(http::internal("endpoint_stats"))?;
        Reply::json(200, &json!({ "buckets": stats::buckets(&counts, now, hours) }))
    }

    /// Creates a new secret. The current ones keep signing until the overlap ends; with no
    /// overlap they stop at once.
    fn rotate_secret(&self, org_id: &str, overlap_hours: u32) -> Result<Reply, ApiError> {
        let store = self.store()?;
        self.owned_config(&store, org_id)?;

        let now = clock::now();
        let secret = WebhookSecret::generate().map_err(|_| ApiError::Internal)?;
        let previous_expires_at = now.saturating_add(Duration::from_secs(u64::from(overlap_hours.min(MAX_OVERLAP_HOURS)) * 3_600));

        store.expire_secrets(previous_expires_at.as_millis()).map_err(http::internal("endpoint_expire_secrets"))?;
        store.prune_secrets(now.as_millis()).map_err(http::internal("endpoint_prune_secrets"))?;
        store.add_secret(secret.as_str(), now.as_millis()).map_err(http::internal("endpoint_add_secret"))?;

        let previous = (overlap_hours > 0).then_some(previous_expires_at);
        Reply::json(200, &json!({ "secret": secret.as_str(), "previousSecretExpiresAt": previous }))
    }

    /// Makes the alarm fire at `at` at the latest. A failure is logged and not returned: the
    /// delivery is stored, and the next alarm run or change re-arms from storage.
    async fn wake_at(&self, at: Timestamp) {
        if let Err(error) = self.alarm.schedule_no_later_than(&self.state.storage(), at).await {
            log::failure("endpoint_schedule_alarm", &error.to_string(), &[]);
        }
    }
}
