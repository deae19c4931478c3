//! Verification entirely inside WebAssembly, HMAC included: the path of browsers and
//! workerd, whose only synchronous HMAC-SHA256 is the one compiled into this module.

use aether_webhooks::{signature, standard};
use wasm_bindgen::prelude::*;

use crate::body::with_body;
use crate::convert::{timestamp_number, tolerance_seconds, unix_seconds};
use crate::error::to_js_error;
use crate::secret::parse_secret;

/// Returns whether an `x-aether-signature` header contains a valid signature under `secret`
/// of the body, the first `body_length` bytes of the body buffer.
///
/// A wrong, truncated, over-long, empty or non-hex signature returns `false`.
///
/// # Errors
/// Throws an error with code `invalid_secret` when the secret is rejected, because that is a
/// configuration mistake rather than a bad request.
#[wasm_bindgen(js_name = verifyAether)]
pub fn verify_aether(secret: &str, body_length: usize, header: &str) -> Result<bool, JsValue> {
    let secret = parse_secret(secret)?;
    with_body(body_length, |body| {
        signature::verify(&secret, body, header).is_ok()
    })
}

/// Checks an `x-aether-signature` header against the body (the first `body_length` bytes of
/// the body buffer) under `secret`.
///
/// # Errors
/// Throws an error whose `code` is `invalid_secret`, `missing_signature`,
/// `malformed_signature`, `unsupported_scheme`, `too_many_signatures` or
/// `invalid_signature`.
#[wasm_bindgen(js_name = checkAether)]
pub fn check_aether(secret: &str, body_length: usize, header: &str) -> Result<(), JsValue> {
    let secret = parse_secret(secret)?;

    with_body(body_length, |body| signature::verify(&secret, body, header))?
        .map_err(|error| to_js_error(&error))
}

/// Checks the three Standard Webhooks headers against the body (the first `body_length`
/// bytes of the body buffer) under `secret` and returns the signed timestamp in Unix seconds.
///
/// `now_millis` defaults to `Date.now()`; with `tolerance` unset no clock check is made.
///
/// # Errors
/// Throws an error whose `code` is `invalid_secret`, `missing_signature`,
/// `malformed_signature`, `unsupported_scheme`, `too_many_signatures`,
/// `invalid_timestamp`, `stale_delivery`, `future_delivery` or `invalid_signature`.
#[wasm_bindgen(js_name = checkStandard)]
pub fn check_standard(
    secret: &str,
    message_id: &str,
    timestamp_header: &str,
    signature_header: &str,
    body_length: usize,
    now_millis: Option<f64>,
    tolerance: Option<f64>,
) -> Result<f64, JsValue> {
    let secret = parse_secret(secret)?;
    let now = unix_seconds(now_millis);

    let verified = with_body(body_length, |body| {
        standard::verify(
            &secret,
            message_id,
            timestamp_header,
            signature_header,
            body,
            now,
            tolerance_seconds(tolerance),
        )
    })?;
    let timestamp = verified.map_err(|error| to_js_error(&error))?;

    Ok(timestamp_number(timestamp))
}
