//! Signing, for receivers' own tests and for the trigger tool.

use aether_webhooks::{signature, standard};
use wasm_bindgen::prelude::*;

use crate::body::with_body;
use crate::error::to_js_error;
use crate::secret::parse_secret;

/// Signs the body (the first `body_length` bytes of the body buffer) and returns the
/// `x-aether-signature` value `sha256=<64 lowercase hex
/// digits>`.
///
/// # Errors
/// Throws an error with code `invalid_secret` when the secret is rejected.
#[wasm_bindgen(js_name = signAether)]
pub fn sign_aether(secret: &str, body_length: usize) -> Result<String, JsValue> {
    let secret = parse_secret(secret)?;
    with_body(body_length, |body| signature::sign(&secret, body))
}

/// Signs the body (the first `body_length` bytes of the body buffer) for the Standard Webhooks
/// headers and returns the `webhook-signature` value
/// `v1,<base64>`. `timestamp` is the `webhook-timestamp` value in Unix seconds, a whole
/// number.
///
/// # Errors
/// Throws an error with code `invalid_secret` when the secret is rejected or its part after
/// `whsec_` is not base64.
#[wasm_bindgen(js_name = signStandard)]
pub fn sign_standard(
    secret: &str,
    message_id: &str,
    timestamp: f64,
    body_length: usize,
) -> Result<String, JsValue> {
    let secret = parse_secret(secret)?;
    with_body(body_length, |body| {
        standard::sign(&secret, message_id, timestamp as i64, body)
    })?
    .map_err(|error| to_js_error(&error))
}
