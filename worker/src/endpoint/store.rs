//! The endpoint object's SQLite tables: its configuration, secrets, deliveries and attempts.
//!
//! Pending deliveries are indexed by their next attempt time, so "what is due now" and "when
//! must the alarm wake up" are each one indexed query.

use core::cell::RefCell;
use std::rc::Rc;

use serde::Deserialize;
use worker::{SqlStorage, SqlStorageValue};

use crate::listing::{Cursor, ListQuery, StatusFilter};
use crate::stats::HourCounts;
use crate::webhook::Webhook;

const SCHEMA: [&str; 8] = [
    "CREATE TABLE IF NOT EXISTS config (
        singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
        org_id TEXT NOT NULL,
        version INTEGER NOT NULL,
        webhook TEXT NOT NULL,
        disable_notice_pending INTEGER NOT NULL DEFAULT 0
    )",
    "CREATE TABLE IF NOT EXISTS secrets (
        secret TEXT PRIMARY KEY,
        created_at INTEGER NOT NULL,
        expires_at INTEGER
    )",
    "CREATE TABLE IF NOT EXISTS deliveries (
        id TEXT PRIMARY KEY,
        event_id TEXT NOT NULL UNIQUE,
        event TEXT NOT NULL,
        data TEXT NOT NULL,
        status TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        next_attempt_at INTEGER,
        attempts INTEGER NOT NULL DEFAULT 0,
        round_start INTEGER NOT NULL DEFAULT 0,
        in_flight INTEGER NOT NULL DEFAULT 0,
        finished_at INTEGER
    )",
    "CREATE INDEX IF NOT EXISTS deliveries_due ON deliveries (next_attempt_at) WHERE status = 'pending'",
    "CREATE INDEX IF NOT EXISTS deliveries_newest ON deliveries (created_at DESC, id DESC)",
    "CREATE INDEX IF NOT EXISTS deliveries_finished ON deliveries (finished_at) WHERE finished_at IS NOT NULL",
    "CREATE TABLE IF NOT EXISTS attempts (
        delivery_id TEXT NOT NULL,
        attempt INTEGER NOT NULL,
        at INTEGER NOT NULL,
        status INTEGER,
        error_class TEXT,
        duration_ms INTEGER,
        outcome TEXT,
        PRIMARY KEY (delivery_id, attempt)
    )",
    "CREATE INDEX IF NOT EXISTS attempts_at ON attempts (at)",
];

/// The stored configuration.
#[derive(Debug, Clone)]
pub struct StoredConfig {
    /// The owning organization.
    pub org_id: String,
    /// The registry's version of the webhook.
    pub version: u64,
    /// The webhook.
    pub webhook: Webhook,
    /// Whether the registry still has to learn that this object disabled the webhook.
    pub disable_notice_pending: bool,
}

/// A delivery row.
#[derive(Debug, Clone, Deserialize)]
pub struct DeliveryRow {
    /// The delivery id.
    pub id: String,
    /// The event id.
    pub event_id: String,
    /// The event type's wire name.
    pub event: String,
    /// The event data as JSON text.
    pub data: String,
    /// `pending`, `delivered` or `dead_letter`.
    pub status: String,
    /// When the delivery was created, in milliseconds.
    pub created_at: i64,
    /// When the next attempt is due, while pending.
    pub next_attempt_at: Option<i64>,
    /// Attempts started so far, over every round.
    pub attempts: u32,
    /// Attempts started before the latest replay; the retry schedule counts from here.
    pub round_start: u32,
    /// 1 while an attempt has started and not finished: after a restart this marks an
    /// attempt that was interrupted.
    pub in_flight: u8,
}

/// An attempt row as listed.
#[derive(Debug, Clone, Deserialize)]
pub struct AttemptRow {
    /// The delivery.
    pub delivery_id: String,
    /// The attempt number.
    pub attempt: u32,
    /// When the attempt started, in milliseconds.
    pub at: i64,
    /// The receiver's HTTP status, or `None` without a response.
    pub status: Option<u16>,
    /// The failure class, or `None` for a 2xx response.
    pub error_class: Option<String>,
    /// How long the attempt took.
    pub duration_ms: Option<i64>,
}

/// The end of an attempt, as stored for statistics.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AttemptEnd {
    /// The receiver accepted it.
    Delivered,
    /// It failed and another attempt is scheduled.
    Retrying,
    /// It failed and the delivery became a dead letter.
    DeadLetter,
}

impl AttemptEnd {
    /// Returns the stored name, also used in log lines.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            AttemptEnd::Delivered => "delivered",
            AttemptEnd::Retrying => "retrying",
            AttemptEnd::DeadLetter => "dead_letter",
        }
    }
}

/// The result of one attempt, as stored.
#[derive(Debug, Clone)]
pub struct AttemptResult<'a> {
    /// The delivery.
    pub delivery_id: &'a str,
    /// The attempt number.
    pub attempt: u32,
    /// The receiver's HTTP status, or `None` without a response.
    pub status: Option<u16>,
    /// The failure class, or `None` for a 2xx response.
    pub error_class: Option<&'a str>,
    /// How long it took.
    pub duration_ms: i64,
    /// The end of the attempt.
    pub end: AttemptEnd,
    /// The next attempt time, when [`AttemptEnd::Retrying`].
    pub next_attempt_at: Option<i64>,
    /// When the attempt ended, in milliseconds.
    pub finished_at: i64,
}

/// The times the alarm has to wake up for.
#[derive(Debug, Clone, Copy, Deserialize)]
pub struct NextTimes {
    /// The earliest next attempt time of a pending delivery.
    pub earliest_due: Option<i64>,
    /// The earliest finish time of a delivered or dead-lettered delivery.
    pub oldest_finished: Option<i64>,
}

/// The endpoint object's tables. Clones share one cache of the configuration row, which
/// every accepted delivery reads; all writes of that row go through [`EndpointStore::save_config`].
#[derive(Debug, Clone)]
pub struct EndpointStore {
    sql: SqlStorage,
    /// `None` until read; then the row, or `Some(None)` when there is none.
    cached_config: Rc<RefCell<Option<Option<StoredConfig>>>>,
}

#[derive(Deserialize)]
struct ConfigRow {
    org_id: String,
    version: i64,
    webhook: String,
    disable_notice_pending: i64,
}

impl EndpointStore {
    /// Opens the tables, creating them on first use.
    ///
    /// # Errors
    /// Returns the runtime's error when SQLite fails.
    pub fn open(sql: SqlStorage) -> worker::Result<EndpointStore> {
        for statement in SCHEMA {
            sql.exec(statement, None)?;
        }
        Ok(EndpointStore { sql, cached_config: Rc::new(RefCell::new(None)) })
    }

    /// Returns the configuration, or `None` before the registry set it up.
    ///
    /// # Errors
    /// Returns the runtime's error when SQLite fails or the row does not parse.
    pub fn config(&self) -> worker::Result<Option<StoredConfig>> {
        if let Some(cached) = self.cached_config.borrow().as_ref() {
            return Ok(cached.clone());
        }

        let rows: Vec<ConfigRow> = self.sql.exec("SELECT * FROM config WHERE singleton = 1", None)?.to_array()?;
        let config = match rows.into_iter().next() {
            None => None,
            Some(row) => {
                let webhook = serde_json::from_str(&row.webhook).map_err(|error| worker::Error::RustError(format!("the stored webhook does not parse: {error}")))?;
                Some(StoredConfig { org_id: row.org_id, version: u64::try_from(row.version).unwrap_or(0), webhook, disable_notice_pending: row.disable_notice_pending != 0 })
            }
        };
        *self.cached_config.borrow_mut() = Some(config.clone());
        Ok(config)
    }

    /// Stores the configuration.
    ///
    /// # Errors
    /// Returns the runtime's error when SQLite fails.
    pub fn save_config(&self, config: &StoredConfig) -> worker::Result<()> {
        let webhook = serde_json::to_string(&config.webhook).map_err(|error| worker::Error::RustError(error.to_string()))?;
        self.sql.exec(
            "INSERT INTO config (singleton, org_id, version, webhook, disable_notice_pending) VALUES (1, ?, ?, ?, ?)
             ON CONFLICT (singleton) DO UPDATE SET org_id = excluded.org_id, version = excluded.version, webhook = excluded.webhook, disable_notice_pending = excluded.disable_notice_pending",
            vec![config.org_id.as_str().into(), integer(config.version), webhook.into(), i64::from(config.disable_notice_pending).into()],
        )?;
        *self.cached_config.borrow_mut() = Some(Some(config.clone()));
        Ok(())
    }

    /// Adds a secret that never expires by itself.
    ///
    /// # Errors
    /// Returns the runtime's error when SQLite fails.
    pub fn add_secret(&self, secret: &str, now: i64) -> worker::Result<()> {
        self.sql.exec("INSERT INTO secrets (secret, created_at, expires_at) VALUES (?, ?, NULL)", vec![secret.into(), now.into()])?;
        Ok(())
    }

    /// Makes every current secret expire at `expires_at` at the latest.
    ///
    /// # Errors
    /// Returns the runtime's error when SQLite fails.
    pub fn expire_secrets(&self, expires_at: i64) -> worker::Result<()> {
        self.sql.exec("UPDATE secrets SET expires_at = ? WHERE expires_at IS NULL OR expires_at > ?", vec![expires_at.into(), expires_at.into()])?;
        Ok(())
    }

    /// Returns the secrets valid at `now`, newest first, at most `limit`.
    ///
    /// # Errors
    /// Returns the runtime's error when SQLite fails.
    pub fn current_secrets(&self, now: i64, limit: u32) -> worker::Result<Vec<String>> {
        #[derive(Deserialize)]
        struct SecretRow {
            secret: String,
        }
        let rows: Vec<SecretRow> = self
            .sql
            .exec("SELECT secret FROM secrets WHERE expires_at IS NULL OR expires_at > ? ORDER BY created_at DESC LIMIT ?", vec![now.into(), i64::from(limit).into()])?
            .to_array()?;
        Ok(rows.into_iter().map(|row| row.secret).collect())
    }

    /// Removes secrets that expired before `now`.
    ///
    /// # Errors
    /// Returns the runtime's error when SQLite fails.
    pub fn prune_secrets(&self, now: i64) -> worker::Result<()> {
        self.sql.exec("DELETE FROM secrets WHERE expires_at IS NOT NULL AND expires_at <= ?", vec![now.into()])?;
        Ok(())
    }

    /// Stores a new pending delivery unless one exists for `event_id`. Returns the id of the
    /// delivery for this event and whether it was created now.
    ///
    /// # Errors
    /// Returns the runtime's error when SQLite fails.
    pub fn insert_delivery(&self, id: &str, event_id: &str, event: &str, data: &str, now: i64, first_attempt_at: i64) -> worker::Result<(String, bool)> {
        #[derive(Deserialize)]
        struct Id {
            id: String,
        }

        let inserted: Vec<Id> = self
            .sql
            .exec(
                "INSERT INTO deliveries (id, event_id, event, data, status, created_at, next_attempt_at) VALUES (?, ?, ?, ?, 'pending', ?, ?)
                 ON CONFLICT (event_id) DO NOTHING RETURNING id",
                vec![id.into(), event_id.into(), event.into(), data.into(), now.into(), first_attempt_at.into()],
            )?
            .to_array()?;
        if let Some(row) = inserted.into_iter().next() {
            return Ok((row.id, true));
        }

        let existing: Id = self.sql.exec("SELECT id FROM deliveries WHERE event_id = ?", vec![event_id.into()])?.one()?;
        Ok((existing.id, false))
    }

    /// Claims up to `limit` pending deliveries due at `now`, the longest waiting first, by
    /// setting their next attempt time to `lease_until`, and returns them as claimed.
    ///
    /// # Errors
    /// Returns the runtime's error when SQLite fails.
    pub fn claim_due(&self, now: i64, limit: u32, lease_until: i64) -> worker::Result<Vec<DeliveryRow>> {
        self.sql
            .exec(
                "UPDATE deliveries SET next_attempt_at = ?
                 WHERE id IN (SELECT id FROM deliveries WHERE status = 'pending' AND next_attempt_at <= ? ORDER BY next_attempt_at LIMIT ?)
                 RETURNING *",
                vec![lease_until.into(), now.into(), i64::from(limit).into()],
            )?
            .to_array()
    }

    /// Records the start of an attempt before the request is sent. When `interrupted`, the
    /// previous attempt of the delivery never finished (the object stopped while it was in
    /// flight) and is closed as a connection failure of unknown outcome. `lease_until` becomes
    /// the next attempt time, so a crash during the request leads to another attempt then.
    ///
    /// # Errors
    /// Returns the runtime's error when SQLite fails.
    pub fn begin_attempt(&self, delivery_id: &str, attempt: u32, at: i64, lease_until: i64, interrupted: bool) -> worker::Result<()> {
        if interrupted {
            self.sql.exec(
                "UPDATE attempts SET error_class = 'connection', duration_ms = 0, outcome = 'interrupted' WHERE delivery_id = ? AND outcome IS NULL",
                vec![delivery_id.into()],
            )?;
        }
        self.sql.exec(
            "UPDATE deliveries SET attempts = ?, next_attempt_at = ?, in_flight = 1 WHERE id = ?",
            vec![i64::from(attempt).into(), lease_until.into(), delivery_id.into()],
        )?;
        self.sql.exec("INSERT OR REPLACE INTO attempts (delivery_id, attempt, at) VALUES (?, ?, ?)", vec![delivery_id.into(), i64::from(attempt).into(), at.into()])?;
        Ok(())
    }

    /// Records how an attempt ended and moves the delivery on.
    ///
    /// # Errors
    /// Returns the runtime's error when SQLite fails.
    pub fn finish_attempt(&self, result: &AttemptResult<'_>) -> worker::Result<()> {
        self.sql.exec(
            "UPDATE attempts SET status = ?, error_class = ?, duration_ms = ?, outcome = ? WHERE delivery_id = ? AND attempt = ?",
            vec![
                result.status.map(i64::from).into(),
                result.error_class.into(),
                result.duration_ms.into(),
                result.end.as_str().into(),
                result.delivery_id.into(),
                i64::from(result.attempt).into(),
            ],
        )?;

        let (status, next, finished): (&str, Option<i64>, Option<i64>) = match result.end {
            AttemptEnd::Delivered => ("delivered", None, Some(result.finished_at)),
            AttemptEnd::Retrying => ("pending", result.next_attempt_at, None),
            AttemptEnd::DeadLetter => ("dead_letter", None, Some(result.finished_at)),
        };
        self.sql.exec(
            "UPDATE deliveries SET status = ?, next_attempt_at = ?, finished_at = ?, in_flight = 0 WHERE id = ?",
            vec![status.into(), next.into(), finished.into(), result.delivery_id.into()],
        )?;
        Ok(())
    }

    /// Makes a pending delivery a dead letter without another attempt, when its schedule
    /// already ran out (after an interrupted last attempt).
    ///
    /// # Errors
    /// Returns the runtime's error when SQLite fails.
    pub fn give_up(&self, delivery_id: &str, now: i64) -> worker::Result<()> {
        self.sql.exec(
            "UPDATE attempts SET error_class = 'connection', duration_ms = 0, outcome = 'dead_letter' WHERE delivery_id = ? AND outcome IS NULL",
            vec![delivery_id.into()],
        )?;
        self.sql.exec("UPDATE deliveries SET status = 'dead_letter', next_attempt_at = NULL, finished_at = ?, in_flight = 0 WHERE id = ?", vec![now.into(), delivery_id.into()])?;
        Ok(())
    }

    /// Returns the earliest next attempt time of a pending delivery and the earliest time a
    /// delivered or dead-lettered delivery finished, in one query.
    ///
    /// # Errors
    /// Returns the runtime's error when SQLite fails.
    pub fn next_times(&self) -> worker::Result<NextTimes> {
        self.sql
            .exec(
                "SELECT (SELECT MIN(next_attempt_at) FROM deliveries WHERE status = 'pending') AS earliest_due,
                        (SELECT MIN(finished_at) FROM deliveries WHERE finished_at IS NOT NULL) AS oldest_finished",
                None,
            )?
            .one()
    }

    /// Deletes deliveries, and their attempts, that finished before `before`.
    ///
    /// # Errors
    /// Returns the runtime's error when SQLite fails.
    pub fn prune_finished(&self, before: i64) -> worker::Result<()> {
        self.sql.exec(
            "DELETE FROM attempts WHERE delivery_id IN (SELECT id FROM deliveries WHERE finished_at IS NOT NULL AND finished_at < ?)",
            vec![before.into()],
        )?;
        self.sql.exec("DELETE FROM deliveries WHERE finished_at IS NOT NULL AND finished_at < ?", vec![before.into()])?;
        Ok(())
    }

    /// Returns one delivery.
    ///
    /// # Errors
    /// Returns the runtime's error when SQLite fails.
    pub fn find(&self, delivery_id: &str) -> worker::Result<Option<DeliveryRow>> {
        let rows: Vec<DeliveryRow> = self.sql.exec("SELECT * FROM deliveries WHERE id = ?", vec![delivery_id.into()])?.to_array()?;
        Ok(rows.into_iter().next())
    }

    /// Returns a page of deliveries, newest first, and the cursor of the next page.
    ///
    /// # Errors
    /// Returns the runtime's error when SQLite fails.
    pub fn page(&self, query: &ListQuery) -> worker::Result<(Vec<DeliveryRow>, Option<Cursor>)> {
        let mut sql = String::from("SELECT * FROM deliveries WHERE 1 = 1");
        let mut bindings: Vec<SqlStorageValue> = Vec::new();

        match query.status {
            Some(StatusFilter::Pending) => sql.push_str(" AND status = 'pending'"),
            Some(StatusFilter::Delivered) => sql.push_str(" AND status = 'delivered'"),
            Some(StatusFilter::Failed) => sql.push_str(" AND status = 'pending' AND attempts > round_start"),
            Some(StatusFilter::DeadLetter) => sql.push_str(" AND status = 'dead_letter'"),
            None => {}
        }
        if let Some(cursor) = &query.cursor {
            sql.push_str(" AND (created_at < ? OR (created_at = ? AND id < ?))");
            bindings.extend([cursor.created_at.into(), cursor.created_at.into(), cursor.id.as_str().into()]);
        }
        sql.push_str(" ORDER BY created_at DESC, id DESC LIMIT ?");
        bindings.push(i64::from(query.limit + 1).into());

        let mut rows: Vec<DeliveryRow> = self.sql.exec(&sql, bindings)?.to_array()?;
        let limit = usize::try_from(query.limit).unwrap_or(usize::MAX);
        let next = if rows.len() > limit {
            rows.truncate(limit);
            rows.last().map(|last| Cursor { created_at: last.created_at, id: last.id.clone() })
        } else {
            None
        };
        Ok((rows, next))
    }

    /// Returns the finished attempts of the given deliveries, in attempt order.
    ///
    /// # Errors
    /// Returns the runtime's error when SQLite fails.
    pub fn attempts_of(&self, delivery_ids: &[&str]) -> worker::Result<Vec<AttemptRow>> {
        if delivery_ids.is_empty() {
            return Ok(Vec::new());
        }
        let placeholders = vec!["?"; delivery_ids.len()].join(", ");
        let sql = format!("SELECT delivery_id, attempt, at, status, error_class, duration_ms FROM attempts WHERE outcome IS NOT NULL AND delivery_id IN ({placeholders}) ORDER BY attempt");
        self.sql.exec(&sql, delivery_ids.iter().map(|id| SqlStorageValue::from(*id)).collect::<Vec<_>>())?.to_array()
    }

    /// Makes a dead letter pending again with a fresh schedule starting at `now`.
    ///
    /// # Errors
    /// Returns the runtime's error when SQLite fails.
    pub fn replay(&self, delivery_id: &str, now: i64) -> worker::Result<()> {
        self.sql.exec(
            "UPDATE deliveries SET status = 'pending', round_start = attempts, next_attempt_at = ?, finished_at = NULL WHERE id = ? AND status = 'dead_letter'",
            vec![now.into(), delivery_id.into()],
        )?;
        Ok(())
    }

    /// Replays every dead letter that finished within `since..=until` and returns how many.
    ///
    /// # Errors
    /// Returns the runtime's error when SQLite fails.
    pub fn replay_range(&self, since: i64, until: i64, now: i64) -> worker::Result<u32> {
        #[derive(Deserialize)]
        struct Id {
            #[serde(rename = "id")]
            _id: String,
        }
        let replayed: Vec<Id> = self
            .sql
            .exec(
                "UPDATE deliveries SET status = 'pending', round_start = attempts, next_attempt_at = ?, finished_at = NULL
                 WHERE status = 'dead_letter' AND finished_at >= ? AND finished_at <= ? RETURNING id",
                vec![now.into(), since.into(), until.into()],
            )?
            .to_array()?;
        Ok(u32::try_from(replayed.len()).unwrap_or(u32::MAX))
    }

    /// Counts finished attempts per hour since `since`.
    ///
    /// # Errors
    /// Returns the runtime's error when SQLite fails.
    pub fn hourly_counts(&self, since: i64) -> worker::Result<Vec<HourCounts>> {
        #[derive(Deserialize)]
        struct Row {
            hour: i64,
            delivered: u32,
            retrying: u32,
            dead_lettered: u32,
        }
        let rows: Vec<Row> = self
            .sql
            .exec(
                "SELECT at / 3600000 AS hour,
                        SUM(outcome = 'delivered') AS delivered,
                        SUM(outcome = 'retrying') AS retrying,
                        SUM(outcome = 'dead_letter') AS dead_lettered
                 FROM attempts WHERE at >= ? AND outcome IS NOT NULL GROUP BY hour",
                vec![since.into()],
            )?
            .to_array()?;
        Ok(rows.into_iter().map(|row| HourCounts { hour: row.hour, delivered: row.delivered, retrying: row.retrying, dead_lettered: row.dead_lettered }).collect())
    }
}

fn integer(value: u64) -> SqlStorageValue {
    SqlStorageValue::Integer(i64::try_from(value).unwrap_or(i64::MAX))
}
