//! Identifiers: random ids with a type prefix, and the checks applied to ids that arrive in
//! paths and request bodies before they name a Durable Object or a storage row.

use core::fmt;

/// The prefix of webhook (endpoint registration) ids.
pub const WEBHOOK_PREFIX: &str = "wh_";
/// The prefix of delivery ids.
pub const DELIVERY_PREFIX: &str = "dlv_";
/// The prefix of event ids assigned at intake.
pub const EVENT_PREFIX: &str = "evt_";

/// Random bytes per generated id: 96 bits, so ids never collide in practice and cannot be
/// guessed.
const RANDOM_BYTES: usize = 12;
const MAX_ID_LENGTH: usize = 128;

/// The host's random number generator failed.
#[derive(Debug)]
pub struct RandomUnavailable(getrandom::Error);

impl fmt::Display for RandomUnavailable {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(formatter, "the random number generator failed: {}", self.0)
    }
}

impl core::error::Error for RandomUnavailable {}

/// Generates a new id: `prefix` followed by 24 lowercase hex digits.
///
/// # Errors
/// Returns [`RandomUnavailable`] when the host provides no random bytes.
pub fn generate(prefix: &str) -> Result<String, RandomUnavailable> {
    let mut bytes = [0_u8; RANDOM_BYTES];
    getrandom::fill(&mut bytes).map_err(RandomUnavailable)?;
    Ok(format!("{prefix}{}", hex::encode(bytes)))
}

/// Returns a uniformly random `u32`, used to spread retry times.
///
/// # Errors
/// Returns [`RandomUnavailable`] when the host provides no random bytes.
pub fn random_u32() -> Result<u32, RandomUnavailable> {
    getrandom::u32().map_err(RandomUnavailable)
}

/// Returns whether `id` has the shape of a webhook id: `wh_` and 1 to 64 lowercase letters or
/// digits.
#[must_use]
pub fn is_webhook_id(id: &str) -> bool {
    has_prefixed_shape(id, WEBHOOK_PREFIX)
}

/// Returns whether `id` has the shape of a delivery id: `dlv_` and 1 to 64 lowercase letters
/// or digits.
#[must_use]
pub fn is_delivery_id(id: &str) -> bool {
    has_prefixed_shape(id, DELIVERY_PREFIX)
}

/// Returns whether a caller-chosen event id is acceptable: 1 to 128 ASCII letters, digits or
/// `_ - . :`.
#[must_use]
pub fn is_event_id(id: &str) -> bool {
    !id.is_empty() && id.len() <= MAX_ID_LENGTH && id.bytes().all(|byte| byte.is_ascii_alphanumeric() || matches!(byte, b'_' | b'-' | b'.' | b':'))
}

/// Returns whether `id` is an acceptable organization id: 1 to 64 ASCII letters, digits, `_`
/// or `-`.
#[must_use]
pub fn is_organization_id(id: &str) -> bool {
    !id.is_empty() && id.len() <= 64 && id.bytes().all(|byte| byte.is_ascii_alphanumeric() || matches!(byte, b'_' | b'-'))
}

fn has_prefixed_shape(id: &str, prefix: &str) -> bool {
    let Some(rest) = id.strip_prefix(prefix) else {
        return false;
    };
    !rest.is_empty() && rest.len() <= 64 && rest.bytes().all(|byte| byte.is_ascii_lowercase() || byte.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_ids_have_their_prefix_and_shape() {
        let webhook = generate(WEBHOOK_PREFIX).expect("random bytes");
        let delivery = generate(DELIVERY_PREFIX).expect("random bytes");

        assert!(is_webhook_id(&webhook), "{webhook}");
        assert!(is_delivery_id(&delivery), "{delivery}");
        assert_eq!(webhook.len(), WEBHOOK_PREFIX.len() + 2 * RANDOM_BYTES);
        assert_ne!(generate(WEBHOOK_PREFIX).expect("random bytes"), webhook);
    }

    #[test]
    fn path_ids_with_other_shapes_are_rejected() {
        for id in ["", "wh_", "wh", "WH_abc", "wh_ABC", "wh_a/b", "wh_a b", "dlv_abc", &format!("wh_{}", "a".repeat(65))] {
            assert!(!is_webhook_id(id), "{id:?}");
        }
        assert!(is_webhook_id("wh_abc123"));
        assert!(!is_delivery_id("wh_abc123"));
    }

    #[test]
    fn caller_event_ids_allow_common_punctuation() {
        assert!(is_event_id("evt_123"));
        assert!(is_event_id("post:42.published-1"));
        assert!(!is_event_id(""));
        assert!(!is_event_id("evt 1"));
        assert!(!is_event_id(&"e".repeat(129)));
    }

    #[test]
    fn organization_ids_are_short_and_plain() {
        assert!(is_organization_id("org_dev"));
        assert!(!is_organization_id("org/dev"));
        assert!(!is_organization_id(""));
    }
}
