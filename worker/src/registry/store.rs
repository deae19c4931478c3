//! The registry object's SQLite table: one row per webhook of the organization.
//!
//! A row's `phase` makes creating and deleting safe across two objects. A row is inserted as
//! `creating` before the endpoint object is set up, so it counts toward the limit at once. It
//! becomes `active` after. Deleting marks it `deleting` before the endpoint object is destroyed
//! and removes it after. A row left in `creating` or `deleting` by a crash is finished by the
//! registry's alarm. `version` counts changes and `synced_version` is the latest one the
//! endpoint object confirmed, so the alarm also re-sends changes that did not arrive.

use serde::Deserialize;
use worker::{SqlStorage, SqlStorageValue};

use crate::webhook::Webhook;

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS webhooks (
    id TEXT PRIMARY KEY,
    phase TEXT NOT NULL,
    version INTEGER NOT NULL,
    synced_version INTEGER NOT NULL,
    webhook TEXT NOT NULL,
    phase_changed_at INTEGER NOT NULL
)";

/// The stage of a webhook's row in creating or deleting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    /// Reserved; the endpoint object may not be set up yet.
    Creating,
    /// Registered and visible.
    Active,
    /// Hidden; the endpoint object may not be destroyed yet.
    Deleting,
}

impl Phase {
    fn as_str(self) -> &'static str {
        match self {
            Phase::Creating => "creating",
            Phase::Active => "active",
            Phase::Deleting => "deleting",
        }
    }

    fn parse(text: &str) -> Phase {
        match text {
            "creating" => Phase::Creating,
            "active" => Phase::Active,
            _ => Phase::Deleting,
        }
    }
}

/// A webhook with its bookkeeping.
#[derive(Debug, Clone)]
pub struct Entry {
    /// The webhook as the API shows it.
    pub webhook: Webhook,
    /// The stage of the row.
    pub phase: Phase,
    /// The number of changes made.
    pub version: u64,
    /// The latest version the endpoint object confirmed.
    pub synced_version: u64,
}

#[derive(Deserialize)]
struct Row {
    phase: String,
    version: i64,
    synced_version: i64,
    webhook: String,
}

/// The registry's table.
#[derive(Debug, Clone)]
pub struct RegistryStore {
    sql: SqlStorage,
}

impl RegistryStore {
    /// Opens the table, creating it on first use.
    ///
    /// # Errors
    /// Returns the runtime's error when SQLite fails.
    pub fn open(sql: SqlStorage) -> worker::Result<RegistryStore> {
        sql.exec(SCHEMA, None)?;
        Ok(RegistryStore { sql })
    }

    /// Counts every row, in any phase: reserved and not yet deleted webhooks count toward the
    /// limit.
    ///
    /// # Errors
    /// Returns the runtime's error when SQLite fails.
    pub fn count(&self) -> worker::Result<u32> {
        #[derive(Deserialize)]
        struct Count {
            count: u32,
        }
        Ok(self.sql.exec("SELECT COUNT(*) AS count FROM webhooks", None)?.one::<Count>()?.count)
    }

    /// Inserts a new webhook in the `creating` phase.
    ///
    /// # Errors
    /// Returns the runtime's error when SQLite fails.
    pub fn insert_creating(&self, webhook: &Webhook, now: i64) -> worker::Result<()> {
        self.sql.exec(
            "INSERT INTO webhooks (id, phase, version, synced_version, webhook, phase_changed_at) VALUES (?, 'creating', 1, 0, ?, ?)",
            vec![webhook.id.as_str().into(), to_json(webhook)?.into(), now.into()],
        )?;
        Ok(())
    }

    /// Moves a row to `phase`.
    ///
    /// # Errors
    /// Returns the runtime's error when SQLite fails.
    pub fn set_phase(&self, id: &str, phase: Phase, now: i64) -> worker::Result<()> {
        self.sql.exec("UPDATE webhooks SET phase = ?, phase_changed_at = ? WHERE id = ?", vec![phase.as_str().into(), now.into(), id.into()])?;
        Ok(())
    }

    /// Stores a changed webhook as `version`.
    ///
    /// # Errors
    /// Returns the runtime's error when SQLite fails.
    pub fn update(&self, webhook: &Webhook, version: u64) -> worker::Result<()> {
        self.sql.exec("UPDATE webhooks SET webhook = ?, version = ? WHERE id = ?", vec![to_json(webhook)?.into(), integer(version), webhook.id.as_str().into()])?;
        Ok(())
    }

    /// Records that the endpoint object confirmed `version`.
    ///
    /// # Errors
    /// Returns the runtime's error when SQLite fails.
    pub fn mark_synced(&self, id: &str, version: u64) -> worker::Result<()> {
        self.sql.exec("UPDATE webhooks SET synced_version = MAX(synced_version, ?) WHERE id = ?", vec![integer(version), id.into()])?;
        Ok(())
    }

    /// Removes a row.
    ///
    /// # Errors
    /// Returns the runtime's error when SQLite fails.
    pub fn delete(&self, id: &str) -> worker::Result<()> {
        self.sql.exec("DELETE FROM webhooks WHERE id = ?", vec![id.into()])?;
        Ok(())
    }

    /// Returns an active webhook.
    ///
    /// # Errors
    /// Returns the runtime's error when SQLite fails or a row does not parse.
    pub fn find_active(&self, id: &str) -> worker::Result<Option<Entry>> {
        let rows: Vec<Row> = self.sql.exec("SELECT * FROM webhooks WHERE id = ? AND phase = 'active'", vec![id.into()])?.to_array()?;
        rows.into_iter().next().map(entry).transpose()
    }

    /// Returns the active webhooks, oldest first.
    ///
    /// # Errors
    /// Returns the runtime's error when SQLite fails or a row does not parse.
    pub fn active(&self) -> worker::Result<Vec<Entry>> {
        let rows: Vec<Row> = self.sql.exec("SELECT * FROM webhooks WHERE phase = 'active' ORDER BY phase_changed_at, id", None)?.to_array()?;
        rows.into_iter().map(entry).collect()
    }

    /// Returns the rows the alarm has to finish: `creating` rows older than
    /// `creating_before`, every `deleting` row, and active rows with unconfirmed changes.
    ///
    /// # Errors
    /// Returns the runtime's error when SQLite fails or a row does not parse.
    pub fn unfinished(&self, creating_before: i64) -> worker::Result<Vec<Entry>> {
        let rows: Vec<Row> = self
            .sql
            .exec(
                "SELECT * FROM webhooks WHERE (phase = 'creating' AND phase_changed_at < ?) OR phase = 'deleting' OR (phase = 'active' AND synced_version < version)",
                vec![creating_before.into()],
            )?
            .to_array()?;
        rows.into_iter().map(entry).collect()
    }

    /// Returns whether any row is not active and confirmed, so the alarm has to run again.
    ///
    /// # Errors
    /// Returns the runtime's error when SQLite fails.
    pub fn has_unfinished(&self) -> worker::Result<bool> {
        #[derive(Deserialize)]
        struct Count {
            count: u32,
        }
        let count = self.sql.exec("SELECT COUNT(*) AS count FROM webhooks WHERE phase != 'active' OR synced_version < version", None)?.one::<Count>()?.count;
        Ok(count > 0)
    }
}

fn entry(row: Row) -> worker::Result<Entry> {
    let webhook = serde_json::from_str(&row.webhook).map_err(|error| worker::Error::RustError(format!("a stored webhook does not parse: {error}")))?;
    Ok(Entry {
        webhook,
        phase: Phase::parse(&row.phase),
        version: u64::try_from(row.version).unwrap_or(0),
        synced_version: u64::try_from(row.synced_version).unwrap_or(0),
    })
}

fn to_json(webhook: &Webhook) -> worker::Result<String> {
    serde_json::to_string(webhook).map_err(|error| worker::Error::RustError(error.to_string()))
}

fn integer(value: u64) -> SqlStorageValue {
    SqlStorageValue::Integer(i64::try_from(value).unwrap_or(i64::MAX))
}
