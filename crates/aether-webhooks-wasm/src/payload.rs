//! Delivery bodies: parsing received ones and building samples.

use aether_webhooks::{Delivery, EventData, EventType, Timestamp};
use wasm_bindgen::prelude::*;

use crate::body::with_body;
use crate::error::{coded_error, to_js_error};

/// The `webhookId` of sample deliveries when the caller names none.
const SAMPLE_WEBHOOK_ID: &str = "wh_sample";

/// Parses a delivery body (the first `body_length` bytes of the body buffer) and returns it as
/// compact JSON in the core's own serialisation:
/// the fields `event`, `webhookId`, `deliveredAt` and `data` in that order, timestamps in
/// UTC, unknown fields dropped. The result therefore always has the shape of the package's
/// TypeScript types.
///
/// # Errors
/// Throws an error whose `code` is `malformed_payload` when the body is not an Aether
/// delivery, or `unknown_event` when its `event` names no known event type.
#[wasm_bindgen(js_name = parseDelivery)]
pub fn parse_delivery(body_length: usize) -> Result<String, JsValue> {
    let delivery =
        with_body(body_length, Delivery::from_slice)?.map_err(|error| to_js_error(&error))?;

    Ok(delivery_json(&delivery))
}

/// Builds the compact JSON body of a realistic delivery of `event_type` from the core's
/// sample data. `delivered_at` is an RFC 3339 date-time and defaults to now; `webhook_id`
/// defaults to `wh_sample`.
///
/// # Errors
/// Throws an error with code `unknown_event` when `event_type` is not one of the eight wire
/// names, and one with code `invalid_timestamp` when `delivered_at` is not RFC 3339.
#[wasm_bindgen(js_name = sampleDelivery)]
pub fn sample_delivery(
    event_type: &str,
    webhook_id: Option<String>,
    delivered_at: Option<String>,
) -> Result<String, JsValue> {
    let event_type = EventType::parse(event_type).map_err(|error| to_js_error(&error))?;
    let delivered_at = match delivered_at {
        Some(text) => {
            Timestamp::parse(&text).map_err(|error| coded_error("invalid_timestamp", &error))?
        }
        None => Timestamp::from_millis(js_sys::Date::now() as i64),
    };

    let delivery = Delivery {
        webhook_id: webhook_id.unwrap_or_else(|| String::from(SAMPLE_WEBHOOK_ID)),
        delivered_at,
        data: EventData::sample(event_type),
    };

    Ok(delivery_json(&delivery))
}

fn delivery_json(delivery: &Delivery) -> String {
    // `unreachable!` rather than `expect`, which would link the `Debug` formatting of
    // `FromUtf8Error` into the module.
    String::from_utf8(delivery.to_vec()).unwrap_or_else(|_| unreachable!("Delivery::to_vec writes UTF-8"))
}
