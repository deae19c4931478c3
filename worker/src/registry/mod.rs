//! The registry object: one Durable Object per organization, holding its webhooks.
//!
//! A Durable Object runs one request at a time between awaits, and SQLite calls do not await.
//! Counting the rows and inserting a new one therefore cannot interleave with another create,
//! so the endpoint limit holds under concurrent requests without a lock.
//!
//! The registry owns each webhook's configuration and pushes every change to the webhook's
//! endpoint object. A push that fails is repeated by the registry's alarm until it is
//! confirmed; see [`store`] for how creating and deleting survive a crash.

mod store;

use core::cell::RefCell;
use core::time::Duration;

use serde::Deserialize;
use serde_json::{json, Value};
use worker::{durable_object, DurableObject, Env, Request, Response, State};

use crate::error::ApiError;
use crate::http::{self, Reply};
use crate::internal::{self, EndpointCommand, EventToMatch, RegistryCommand};
use crate::webhook::{self, DisabledReason, NewWebhook, Webhook};
use crate::alarm::Alarm;
use crate::{clock, ids, log};
use store::{Entry, Phase, RegistryStore};

/// The age after which the alarm treats a `creating` row as a failed create. A create that is
/// still running finishes well within this.
const CREATE_TIMEOUT: Duration = Duration::from_secs(60);
/// The delay before the alarm runs after something was left unfinished.
const REPAIR_DELAY: Duration = Duration::from_secs(5);
/// The delay before the alarm runs again when it could not finish everything.
const REPAIR_RETRY: Duration = Duration::from_secs(30);

/// The registry Durable Object.
#[durable_object(alarm)]
pub struct Registry {
    state: State,
    env: Env,
    /// The table, opened (and created if needed) once per instance.
    store: RefCell<Option<RegistryStore>>,
    alarm: Alarm,
}

#[derive(Deserialize)]
struct InitReply {
    secret: String,
}

impl DurableObject for Registry {
    fn new(state: State, env: Env) -> Self {
        Registry { state, env, store: RefCell::new(None), alarm: Alarm::default() }
    }

    async fn fetch(&self, request: Request) -> worker::Result<Response> {
        let result = match internal::read_command::<RegistryCommand>(request).await {
            Ok(command) => self.run(command).await,
            Err(error) => Err(error),
        };
        Ok(http::respond(result))
    }

    /// Finishes what creates, deletes and updates left unfinished. It catches its own errors
    /// and re-arms itself while anything remains, so a failed run is retried.
    async fn alarm(&self) -> worker::Result<Response> {
        self.alarm.started();
        if let Err(error) = self.repair().await {
            log::failure("registry_alarm", &error.to_string(), &[]);
            self.schedule_repair(REPAIR_RETRY).await;
        }
        Response::empty()
    }
}

impl Registry {
    fn store(&self) -> Result<RegistryStore, ApiError> {
        if let Some(store) = self.store.borrow().as_ref() {
            return Ok(store.clone());
        }
        let store = RegistryStore::open(self.state.storage().sql()).map_err(http::internal("registry_open"))?;
        *self.store.borrow_mut() = Some(store.clone());
        Ok(store)
    }

    async fn run(&self, command: RegistryCommand) -> Result<Reply, ApiError> {
        match command {
            RegistryCommand::Create { org_id, limit, fields } => self.create(&org_id, limit, fields).await,
            RegistryCommand::List { .. } => self.list(),
            RegistryCommand::Get { webhook_id, .. } => Reply::json(200, &self.find(&webhook_id)?.webhook),
            RegistryCommand::Update { webhook_id, changes, allow_local_targets, .. } => self.update(&webhook_id, &changes, allow_local_targets).await,
            RegistryCommand::Delete { webhook_id, .. } => self.delete(&webhook_id).await,
            RegistryCommand::Disable { webhook_id, reason } => self.disable(&webhook_id, reason),
            RegistryCommand::Match { events, .. } => self.matching(&events),
        }
    }

    /// Reserves a row (the limit check and the insert run without an await between them),
    /// sets up the endpoint object, then activates the row.
    async fn create(&self, org_id: &str, limit: u32, fields: NewWebhook) -> Result<Reply, ApiError> {
        let now = clock::now();
        let store = self.store()?;

        if store.count().map_err(http::internal("registry_count"))? >= limit {
            return Err(ApiError::EndpointLimitReached { limit });
        }
        let id = ids::generate(ids::WEBHOOK_PREFIX).map_err(|_| ApiError::Internal)?;
        let webhook = Webhook::new(id, fields, now);
        store.insert_creating(&webhook, now.as_millis()).map_err(http::internal("registry_insert"))?;
        self.schedule_repair(CREATE_TIMEOUT + REPAIR_DELAY).await;

        let endpoint = internal::endpoint(&self.env, &webhook.id)?;
        let init = EndpointCommand::Init { org_id: org_id.to_owned(), webhook: webhook.clone(), version: 1 };
        let secret = match internal::call::<InitReply>(&endpoint, &init).await {
            Ok(reply) => reply.secret,
            Err(error) => {
                // The endpoint object may or may not be set up: let the alarm destroy it.
                log::failure("endpoint_init", &error.to_string(), &[("orgId", org_id), ("webhookId", &webhook.id)]);
                store.set_phase(&webhook.id, Phase::Deleting, clock::now().as_millis()).map_err(http::internal("registry_phase"))?;
                self.schedule_repair(REPAIR_DELAY).await;
                return Err(ApiError::StorageUnavailable);
            }
        };

        store.set_phase(&webhook.id, Phase::Active, clock::now().as_millis()).map_err(http::internal("registry_phase"))?;
        store.mark_synced(&webhook.id, 1).map_err(http::internal("registry_sync"))?;

        let mut body = serde_json::to_value(&webhook).map_err(|_| ApiError::Internal)?;
        body["secret"] = Value::String(secret);
        Ok(Reply { status: 201, body: Some(body) })
    }

    fn list(&self) -> Result<Reply, ApiError> {
        let mut webhooks: Vec<Webhook> = self.store()?.active().map_err(http::internal("registry_list"))?.into_iter().map(|entry| entry.webhook).collect();
        webhooks.sort_by(|a, b| (a.created_at, &a.id).cmp(&(b.created_at, &b.id)));
        Reply::json(200, &json!({ "data": webhooks }))
    }

    fn find(&self, id: &str) -> Result<Entry, ApiError> {
        self.store()?.find_active(id).map_err(http::internal("registry_find"))?.ok_or(ApiError::WebhookNotFound)
    }

    async fn update(&self, id: &str, raw_changes: &Value, allow_local_targets: bool) -> Result<Reply, ApiError> {
        let changes = webhook::parse_changes(raw_changes, allow_local_targets)?;
        let mut entry = self.find(id)?;
        if raw_changes.as_object().is_some_and(serde_json::Map::is_empty) {
            return Reply::json(200, &entry.webhook);
        }

        entry.webhook.apply(changes, clock::now());
        let version = entry.version + 1;
        self.store()?.update(&entry.webhook, version).map_err(http::internal("registry_update"))?;

        self.push(&entry.webhook, version).await;
        Reply::json(200, &entry.webhook)
    }

    /// Hides the webhook, destroys its endpoint object, then removes the row. When the
    /// endpoint object cannot be reached, the alarm finishes the delete later; the webhook is
    /// gone for the API either way.
    async fn delete(&self, id: &str) -> Result<Reply, ApiError> {
        let entry = self.find(id)?;
        let store = self.store()?;
        store.set_phase(&entry.webhook.id, Phase::Deleting, clock::now().as_millis()).map_err(http::internal("registry_phase"))?;

        if self.destroy_endpoint(id).await {
            store.delete(id).map_err(http::internal("registry_delete"))?;
        } else {
            self.schedule_repair(REPAIR_DELAY).await;
        }
        Ok(Reply::empty(204))
    }

    /// Records that the endpoint object disabled itself, and responds with the webhook and
    /// version the endpoint object should now store.
    fn disable(&self, id: &str, reason: DisabledReason) -> Result<Reply, ApiError> {
        let mut entry = self.find(id)?;
        if entry.webhook.enabled {
            let store = self.store()?;
            let was_synced = entry.synced_version == entry.version;
            entry.webhook.enabled = false;
            entry.webhook.disabled_reason = Some(reason);
            entry.webhook.updated_at = clock::now();
            entry.version += 1;
            store.update(&entry.webhook, entry.version).map_err(http::internal("registry_update"))?;

            // The endpoint object applies the response as this version, so it is confirmed unless
            // an earlier change had not arrived yet. In that case the alarm sends everything again.
            if was_synced {
                store.mark_synced(id, entry.version).map_err(http::internal("registry_sync"))?;
            }
        }
        Reply::json(200, &json!({ "webhook": entry.webhook, "version": entry.version }))
    }

    fn matching(&self, events: &[EventToMatch]) -> Result<Reply, ApiError> {
        let entries = self.store()?.active().map_err(http::internal("registry_match"))?;
        let matches: Vec<Vec<&str>> = events
            .iter()
            .map(|event| entries.iter().filter(|entry| entry.webhook.wants(event.event, &event.data)).map(|entry| entry.webhook.id.as_str()).collect())
            .collect();
        Reply::json(200, &json!({ "webhookIds": matches }))
    }

    /// Sends a webhook's configuration to its endpoint object and records the confirmation;
    /// on failure the alarm sends it again.
    async fn push(&self, webhook: &Webhook, version: u64) {
        let confirmed = match internal::endpoint(&self.env, &webhook.id) {
            Ok(endpoint) => internal::call::<Value>(&endpoint, &EndpointCommand::Configure { webhook: webhook.clone(), version }).await.is_ok(),
            Err(_) => false,
        };

        let recorded = confirmed && self.store().is_ok_and(|store| store.mark_synced(&webhook.id, version).is_ok());
        if !recorded {
            log::failure("endpoint_configure", "the endpoint object did not confirm the change", &[("webhookId", &webhook.id)]);
            self.schedule_repair(REPAIR_DELAY).await;
        }
    }

    async fn destroy_endpoint(&self, id: &str) -> bool {
        let Ok(endpoint) = internal::endpoint(&self.env, id) else {
            return false;
        };
        match internal::send(&endpoint, &EndpointCommand::Destroy).await {
            Ok(response) if response.status_code() == 204 => true,
            _ => {
                log::failure("endpoint_destroy", "the endpoint object did not confirm", &[("webhookId", id)]);
                false
            }
        }
    }

    /// Finishes failed creates, deletes and pushes; re-arms the alarm while any remain.
    async fn repair(&self) -> Result<(), ApiError> {
        let now = clock::now();
        let store = self.store()?;
        let creating_before = now.as_millis() - i64::try_from(CREATE_TIMEOUT.as_millis()).unwrap_or(i64::MAX);

        for entry in store.unfinished(creating_before).map_err(http::internal("registry_unfinished"))? {
            match entry.phase {
                Phase::Creating | Phase::Deleting => {
                    if self.destroy_endpoint(&entry.webhook.id).await {
                        store.delete(&entry.webhook.id).map_err(http::internal("registry_delete"))?;
                    }
                }
                Phase::Active => self.push(&entry.webhook, entry.version).await,
            }
        }

        if store.has_unfinished().map_err(http::internal("registry_unfinished"))? {
            self.schedule_repair(REPAIR_RETRY).await;
        }
        Ok(())
    }

    async fn schedule_repair(&self, delay: Duration) {
        let at = clock::now().saturating_add(delay);
        if let Err(error) = self.alarm.schedule_no_later_than(&self.state.storage(), at).await {
            log::failure("registry_schedule_alarm", &error.to_string(), &[]);
        }
    }
}
