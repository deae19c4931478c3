//! Verification for hosts that compute the HMAC themselves.
//!
//! Node's `node:crypto` hashes several times faster than SHA-256 compiled to WebAssembly,
//! and it reads the body where it already is. The package therefore computes the HMAC in
//! Node and passes only the 32-byte MAC here. The core parses the headers strictly and
//! compares the MAC against every signature in constant time.

use aether_webhooks::{SignatureError, signature, standard};
use wasm_bindgen::prelude::*;

use crate::convert::{timestamp_number, tolerance_seconds, unix_seconds};
use crate::error::to_js_error;

/// Returns whether an `x-aether-signature` header contains a signature equal to `mac`, the
/// HMAC-SHA256 of the raw body keyed by the whole secret string.
///
/// A header that is empty, malformed or of another scheme returns `false`, as does a `mac`
/// that is not 32 bytes long.
#[wasm_bindgen(js_name = aetherSignatureMatches)]
#[must_use]
pub fn aether_signature_matches(header: &str, mac: &[u8]) -> bool {
    let Ok(mac) = <&[u8; 32]>::try_from(mac) else {
        return false;
    };
    signature::SignatureHeader::parse(header).is_ok_and(|signatures| signatures.matches(mac))
}

/// Checks an `x-aether-signature` header against `mac`, the HMAC-SHA256 of the raw body
/// keyed by the whole secret string.
///
/// # Errors
/// Throws an error whose `code` is `missing_signature`, `malformed_signature`,
/// `unsupported_scheme` or `too_many_signatures` when the header cannot be parsed, and
/// `invalid_signature` when no signature in it equals `mac`.
#[wasm_bindgen(js_name = checkAetherSignature)]
pub fn check_aether_signature(header: &str, mac: &[u8]) -> Result<(), JsValue> {
    let signatures =
        signature::SignatureHeader::parse(header).map_err(|error| to_js_error(&error))?;

    match <&[u8; 32]>::try_from(mac) {
        Ok(mac) if signatures.matches(mac) => Ok(()),
        _ => Err(to_js_error(&SignatureError::Mismatch)),
    }
}

/// Checks the three Standard Webhooks headers before any HMAC is computed, and returns the
/// signed timestamp in Unix seconds, which the host needs to build the signed content
/// `{id}.{timestamp}.{body}`.
///
/// The checks and their order are those of the core's `standard::verify`, so both paths
/// report the same code for the same request. `now_millis` defaults to `Date.now()`; with
/// `tolerance` unset no clock check is made.
///
/// # Errors
/// Throws an error whose `code` is `missing_signature` (empty `webhook-id` or
/// `webhook-signature`), `malformed_signature`, `unsupported_scheme`, `too_many_signatures`,
/// `invalid_timestamp`, `stale_delivery` or `future_delivery`.
#[wasm_bindgen(js_name = checkStandardHeaders)]
pub fn check_standard_headers(
    message_id: &str,
    timestamp_header: &str,
    signature_header: &str,
    now_millis: Option<f64>,
    tolerance: Option<f64>,
) -> Result<f64, JsValue> {
    standard::check_message_id(message_id).map_err(|error| to_js_error(&error))?;
    standard::SignatureList::parse(signature_header).map_err(|error| to_js_error(&error))?;
    let timestamp =
        standard::parse_timestamp(timestamp_header).map_err(|error| to_js_error(&error))?;

    standard::check_timestamp(
        timestamp,
        unix_seconds(now_millis),
        tolerance_seconds(tolerance),
    )
    .map_err(|error| to_js_error(&error))?;

    Ok(timestamp_number(timestamp))
}

/// Checks a `webhook-signature` header against `mac`, the HMAC-SHA256 of
/// `{id}.{timestamp}.{body}` keyed by the secret's Standard Webhooks key.
///
/// # Errors
/// Throws an error whose `code` is `invalid_signature` when no `v1` signature equals `mac`,
/// or one of the parse errors of [`check_standard_headers`] when the header is malformed.
#[wasm_bindgen(js_name = checkStandardSignature)]
pub fn check_standard_signature(signature_header: &str, mac: &[u8]) -> Result<(), JsValue> {
    let signatures =
        standard::SignatureList::parse(signature_header).map_err(|error| to_js_error(&error))?;

    match <&[u8; 32]>::try_from(mac) {
        Ok(mac) if signatures.matches(mac) => Ok(()),
        _ => Err(to_js_error(&SignatureError::Mismatch)),
    }
}
