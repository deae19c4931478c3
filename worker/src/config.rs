//! The Worker's configuration, read from its environment variables and secrets.
//!
//! Every value is parsed and checked in one place, so a bad deployment fails with a message
//! that names the variable instead of failing later in a delivery.

use core::cell::RefCell;
use core::fmt;
use core::time::Duration;
use std::collections::BTreeMap;
use std::rc::Rc;

use aether_webhooks::retry::{RetryPolicy, RetrySchedule, ScheduleError};
use aether_webhooks::{SecretError, WebhookSecret};
use sha2::{Digest, Sha256};
use worker::Env;

use crate::error::ApiError;
use crate::{ids, log};

/// The retry schedule, e.g. `0s,5m,30m,2h,6h,12h`: the first entry is the delay of the first
/// attempt, each later one the wait after the previous failure.
pub const RETRY_SCHEDULE: &str = "RETRY_SCHEDULE";
/// How long one delivery attempt may take, in milliseconds.
pub const ATTEMPT_TIMEOUT_MS: &str = "ATTEMPT_TIMEOUT_MS";
/// How many endpoints one organization may register.
pub const MAX_ENDPOINTS_PER_ORG: &str = "MAX_ENDPOINTS_PER_ORG";
/// How many days dead letters (and finished deliveries) are kept before they are pruned.
pub const DEAD_LETTER_RETENTION_DAYS: &str = "DEAD_LETTER_RETENTION_DAYS";
/// `true` lets endpoints use http, localhost and IP literals; only for local development.
pub const ALLOW_LOCAL_TARGETS: &str = "ALLOW_LOCAL_TARGETS";
/// A JSON object mapping the SHA-256 hex digest of each API key to its organization id.
pub const API_KEY_HASHES: &str = "API_KEY_HASHES";
/// The `whsec_…` secret that signs requests to the intake route.
pub const INTAKE_SECRET: &str = "INTAKE_SECRET";

const DEFAULT_ATTEMPT_TIMEOUT: Duration = Duration::from_secs(15);
const MAX_ATTEMPT_TIMEOUT: Duration = Duration::from_secs(60);
const DEFAULT_MAX_ENDPOINTS: u32 = 10;
const DEFAULT_RETENTION_DAYS: u32 = 30;
const MAX_RETENTION_DAYS: u32 = 3_650;

/// The whole configuration, checked.
#[derive(Debug)]
pub struct Config {
    /// When failed deliveries are attempted again.
    pub retry_policy: RetryPolicy,
    /// How long one attempt may take before it counts as a timeout.
    pub attempt_timeout: Duration,
    /// The endpoint limit per organization.
    pub max_endpoints_per_org: u32,
    /// How long dead letters and finished deliveries are kept.
    pub retention: Duration,
    /// Whether endpoint URLs may point at local or private targets.
    pub allow_local_targets: bool,
    /// The organization of each API key.
    pub api_keys: ApiKeys,
    /// The secret that signs intake requests.
    pub intake_secret: WebhookSecret,
}

impl Config {
    /// Reads the configuration through `lookup`, which returns a variable's value or `None`
    /// when it is not set. Optional values fall back to the production defaults.
    ///
    /// # Errors
    /// Returns a [`ConfigError`] naming the first variable that is missing or invalid.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Config, ConfigError> {
        let schedule = match lookup(RETRY_SCHEDULE) {
            Some(text) => RetrySchedule::parse(&text).map_err(ConfigError::Schedule)?,
            None => RetrySchedule::default(),
        };
        let retry_policy = RetryPolicy { schedule, ..RetryPolicy::default() };

        let timeout_ms = parse_number(&lookup, ATTEMPT_TIMEOUT_MS, 1, duration_millis(MAX_ATTEMPT_TIMEOUT))?;
        let attempt_timeout = timeout_ms.map_or(DEFAULT_ATTEMPT_TIMEOUT, |ms| Duration::from_millis(u64::from(ms)));

        let max_endpoints_per_org = parse_number(&lookup, MAX_ENDPOINTS_PER_ORG, 1, 1_000)?.unwrap_or(DEFAULT_MAX_ENDPOINTS);

        let retention_days = parse_number(&lookup, DEAD_LETTER_RETENTION_DAYS, 1, MAX_RETENTION_DAYS)?.unwrap_or(DEFAULT_RETENTION_DAYS);
        let retention = Duration::from_secs(u64::from(retention_days) * 86_400);

        let allow_local_targets = match lookup(ALLOW_LOCAL_TARGETS).as_deref() {
            None | Some("" | "false") => false,
            Some("true") => true,
            Some(other) => return Err(ConfigError::Invalid { name: ALLOW_LOCAL_TARGETS, reason: format!("{other:?} is neither \"true\" nor \"false\"") }),
        };

        let api_keys = ApiKeys::parse(&lookup(API_KEY_HASHES).ok_or(ConfigError::Missing(API_KEY_HASHES))?)?;

        let intake_text = lookup(INTAKE_SECRET).ok_or(ConfigError::Missing(INTAKE_SECRET))?;
        let intake_secret = WebhookSecret::parse(&intake_text).map_err(ConfigError::IntakeSecret)?;

        Ok(Config { retry_policy, attempt_timeout, max_endpoints_per_org, retention, allow_local_targets, api_keys, intake_secret })
    }
}

/// The organizations' API keys, stored only as SHA-256 digests.
#[derive(Debug, Clone, Default)]
pub struct ApiKeys {
    organizations: BTreeMap<String, String>,
}

impl ApiKeys {
    /// Parses a JSON object of lowercase SHA-256 hex digests to organization ids.
    ///
    /// # Errors
    /// Returns [`ConfigError::Invalid`] for JSON that is not such an object, a digest that is
    /// not 64 hex digits, or an organization id that is not 1 to 64 letters, digits, `_` or `-`.
    pub fn parse(json: &str) -> Result<ApiKeys, ConfigError> {
        let invalid = |reason: String| ConfigError::Invalid { name: API_KEY_HASHES, reason };

        let raw: BTreeMap<String, String> = serde_json::from_str(json).map_err(|error| invalid(format!("expected a JSON object of SHA-256 hex digest to organization id: {error}")))?;

        let mut organizations = BTreeMap::new();
        for (digest, organization) in raw {
            let digest = digest.to_ascii_lowercase();
            if digest.len() != 64 || !digest.bytes().all(|byte| byte.is_ascii_hexdigit()) {
                return Err(invalid(format!("{digest:?} is not a SHA-256 digest of 64 hex digits")));
            }
            if !ids::is_organization_id(&organization) {
                return Err(invalid(format!("{organization:?} is not an organization id (1 to 64 letters, digits, '_' or '-')")));
            }
            organizations.insert(digest, organization);
        }

        Ok(ApiKeys { organizations })
    }

    /// Returns the organization that owns `api_key`, if any.
    #[must_use]
    pub fn organization_of(&self, api_key: &str) -> Option<&str> {
        let digest = hex::encode(Sha256::digest(api_key.as_bytes()));
        self.organizations.get(&digest).map(String::as_str)
    }
}

/// A configuration variable that is missing or invalid.
#[derive(Debug)]
#[non_exhaustive]
pub enum ConfigError {
    /// A required variable is not set.
    Missing(&'static str),
    /// A variable is set but its value cannot be used.
    Invalid {
        /// The variable's name.
        name: &'static str,
        /// The problem with its value.
        reason: String,
    },
    /// The retry schedule does not parse.
    Schedule(ScheduleError),
    /// The intake secret does not parse.
    IntakeSecret(SecretError),
}

impl fmt::Display for ConfigError {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConfigError::Missing(name) => write!(formatter, "the variable {name} is not set: set it in wrangler.toml [vars] or with `wrangler secret put {name}`"),
            ConfigError::Invalid { name, reason } => write!(formatter, "the variable {name} is invalid: {reason}"),
            ConfigError::Schedule(error) => write!(formatter, "the variable {RETRY_SCHEDULE} is invalid: {error}"),
            ConfigError::IntakeSecret(error) => write!(formatter, "the variable {INTAKE_SECRET} is invalid: {error}"),
        }
    }
}

impl core::error::Error for ConfigError {}

thread_local! {
    /// The configuration read by the first request of this isolate: the environment of a
    /// deployed Worker does not change while an isolate lives.
    static LOADED: RefCell<Option<Rc<Config>>> = const { RefCell::new(None) };
}

/// Returns the configuration from the Worker's environment, read once per isolate.
///
/// # Errors
/// Returns [`ApiError::Configuration`] with the reason when a variable is missing or invalid.
/// The reason is also logged, because the client only learns that the Worker is misconfigured.
pub fn load(env: &Env) -> Result<Rc<Config>, ApiError> {
    if let Some(config) = LOADED.with_borrow(Clone::clone) {
        return Ok(config);
    }

    let lookup = |name: &str| env.var(name).ok().map(|value| value.to_string());
    let config = Rc::new(Config::from_lookup(lookup).map_err(|error| {
        log::failure("load_configuration", &error.to_string(), &[]);
        ApiError::Configuration(error.to_string())
    })?);

    LOADED.set(Some(Rc::clone(&config)));
    Ok(config)
}

/// Reads an optional whole number in `min..=max`.
fn parse_number(lookup: &impl Fn(&str) -> Option<String>, name: &'static str, min: u32, max: u32) -> Result<Option<u32>, ConfigError> {
    let Some(text) = lookup(name) else {
        return Ok(None);
    };

    match text.trim().parse::<u32>() {
        Ok(value) if (min..=max).contains(&value) => Ok(Some(value)),
        _ => Err(ConfigError::Invalid { name, reason: format!("{text:?} is not a whole number from {min} to {max}") }),
    }
}

fn duration_millis(duration: Duration) -> u32 {
    u32::try_from(duration.as_millis()).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    const ANY_DIGEST: &str = "9d4c5c2f1e1b3c8c0f1f7c0f3e5c2b8d9e1a4f6b7c8d9e0f1a2b3c4d5e6f7a8b";
    const INTAKE: &str = "whsec_ZGV2LWludGFrZS1zZWNyZXQtZm9yLWxvY2FsLXVzZQ==";

    fn lookup_from(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let map: BTreeMap<String, String> = pairs.iter().map(|(key, value)| ((*key).to_owned(), (*value).to_owned())).collect();
        move |name| map.get(name).cloned()
    }

    fn minimal() -> Vec<(&'static str, String)> {
        vec![(API_KEY_HASHES, format!("{{\"{ANY_DIGEST}\":\"org_dev\"}}")), (INTAKE_SECRET, INTAKE.to_owned())]
    }

    fn config_with(extra: &[(&'static str, &str)]) -> Result<Config, ConfigError> {
        let mut pairs: Vec<(&str, String)> = minimal();
        pairs.extend(extra.iter().map(|(key, value)| (*key, (*value).to_owned())));
        let borrowed: Vec<(&str, &str)> = pairs.iter().map(|(key, value)| (*key, value.as_str())).collect();
        Config::from_lookup(lookup_from(&borrowed))
    }

    #[test]
    fn defaults_apply_when_optional_values_are_unset() {
        let config = config_with(&[]).expect("minimal configuration is valid");

        assert_eq!(config.retry_policy.schedule, RetrySchedule::default());
        assert_eq!(config.attempt_timeout, Duration::from_secs(15));
        assert_eq!(config.max_endpoints_per_org, 10);
        assert_eq!(config.retention, Duration::from_secs(30 * 86_400));
        assert!(!config.allow_local_targets);
    }

    #[test]
    fn local_development_values_parse() {
        let config = config_with(&[(RETRY_SCHEDULE, "0s,1s,1s"), (ATTEMPT_TIMEOUT_MS, "1000"), (ALLOW_LOCAL_TARGETS, "true"), (DEAD_LETTER_RETENTION_DAYS, "7")]).expect("valid");

        assert_eq!(config.retry_policy.schedule.max_attempts(), 3);
        assert_eq!(config.attempt_timeout, Duration::from_millis(1_000));
        assert!(config.allow_local_targets);
        assert_eq!(config.retention, Duration::from_secs(7 * 86_400));
    }

    #[test]
    fn missing_secrets_name_the_variable() {
        let error = Config::from_lookup(|_| None).expect_err("nothing is set");
        assert!(matches!(error, ConfigError::Missing(API_KEY_HASHES)));

        let only_keys = format!("{{\"{ANY_DIGEST}\":\"org_dev\"}}");
        let error = Config::from_lookup(lookup_from(&[(API_KEY_HASHES, &only_keys)])).expect_err("no intake secret");
        assert!(matches!(error, ConfigError::Missing(INTAKE_SECRET)));
    }

    #[test]
    fn invalid_values_are_rejected() {
        assert!(matches!(config_with(&[(ATTEMPT_TIMEOUT_MS, "0")]), Err(ConfigError::Invalid { name: ATTEMPT_TIMEOUT_MS, .. })));
        assert!(matches!(config_with(&[(ATTEMPT_TIMEOUT_MS, "ten")]), Err(ConfigError::Invalid { name: ATTEMPT_TIMEOUT_MS, .. })));
        assert!(matches!(config_with(&[(MAX_ENDPOINTS_PER_ORG, "-1")]), Err(ConfigError::Invalid { name: MAX_ENDPOINTS_PER_ORG, .. })));
        assert!(matches!(config_with(&[(ALLOW_LOCAL_TARGETS, "yes")]), Err(ConfigError::Invalid { name: ALLOW_LOCAL_TARGETS, .. })));
        assert!(matches!(config_with(&[(RETRY_SCHEDULE, "0s,soon")]), Err(ConfigError::Schedule(_))));
        assert!(matches!(config_with(&[(INTAKE_SECRET, "not-a-secret")]), Err(ConfigError::IntakeSecret(_))));
    }

    #[test]
    fn api_key_hashes_reject_bad_digests_and_organizations() {
        assert!(ApiKeys::parse("[]").is_err());
        assert!(ApiKeys::parse("{\"abc\":\"org_dev\"}").is_err());
        assert!(ApiKeys::parse(&format!("{{\"{ANY_DIGEST}\":\"org dev\"}}")).is_err());
    }

    #[test]
    fn api_key_resolves_to_its_organization() {
        let digest = hex::encode(Sha256::digest(b"aether_dev_local_key"));
        let keys = ApiKeys::parse(&format!("{{\"{digest}\":\"org_dev\"}}")).expect("valid map");

        assert_eq!(keys.organization_of("aether_dev_local_key"), Some("org_dev"));
        assert_eq!(keys.organization_of("aether_dev_local_key "), None);
        assert_eq!(keys.organization_of(""), None);
    }
}
