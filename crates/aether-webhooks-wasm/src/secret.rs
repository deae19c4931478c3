//! Checking webhook secrets before they key an HMAC.

use aether_webhooks::WebhookSecret;
use wasm_bindgen::prelude::*;

use crate::error::to_js_error;

/// Parses a secret, mapping a rejected one to a JavaScript error with code `invalid_secret`.
pub(crate) fn parse_secret(secret: &str) -> Result<WebhookSecret, JsValue> {
    WebhookSecret::parse(secret).map_err(|error| to_js_error(&error))
}

/// Checks that `secret` is a usable webhook secret, so that a host computing HMACs itself
/// rejects the same secrets as the core does.
///
/// # Errors
/// Throws an error with code `invalid_secret` when the secret is empty, lacks the `whsec_`
/// prefix, has surrounding whitespace or a trailing newline, contains control characters or
/// is too long. The message names the problem.
#[wasm_bindgen(js_name = checkSecret)]
pub fn check_secret(secret: &str) -> Result<(), JsValue> {
    parse_secret(secret).map(drop)
}

/// Returns the key of the Standard Webhooks scheme: the base64-decoded part of `secret`
/// after `whsec_`.
///
/// # Errors
/// Throws an error with code `invalid_secret` when the secret is rejected (see
/// [`check_secret`]) or its part after `whsec_` is not base64.
#[wasm_bindgen(js_name = standardKey)]
pub fn standard_key(secret: &str) -> Result<Vec<u8>, JsValue> {
    let secret = parse_secret(secret)?;
    secret.standard_key().map_err(|error| to_js_error(&error))
}
