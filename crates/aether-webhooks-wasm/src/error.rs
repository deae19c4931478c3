//! Core errors as JavaScript `Error` objects that carry the core's stable `code`.

use core::fmt::Display;

use aether_webhooks::{PayloadError, SecretError, SignatureError, UnknownEventType};
use wasm_bindgen::JsValue;

/// The `name` of every error this module creates. The package's JavaScript rethrows these
/// as instances of its exported `WebhookVerificationError` class.
const ERROR_NAME: &str = "WebhookVerificationError";

/// A core error that can be handed to JavaScript.
pub(crate) trait CodedError: Display {
    /// Returns the stable machine-readable code, such as `invalid_signature`.
    fn code(&self) -> &'static str;
}

impl CodedError for SignatureError {
    fn code(&self) -> &'static str {
        SignatureError::code(*self)
    }
}

impl CodedError for SecretError {
    fn code(&self) -> &'static str {
        SecretError::code(*self)
    }
}

impl CodedError for PayloadError {
    fn code(&self) -> &'static str {
        PayloadError::code(self)
    }
}

impl CodedError for UnknownEventType {
    fn code(&self) -> &'static str {
        UnknownEventType::code(*self)
    }
}

/// Creates a JavaScript `Error` with the core error's `Display` as its message and its code
/// as the `code` property.
pub(crate) fn to_js_error(error: &dyn CodedError) -> JsValue {
    coded_error(error.code(), error)
}

/// Creates a JavaScript `Error` with `message` and the property `code`.
pub(crate) fn coded_error(code: &str, message: &dyn Display) -> JsValue {
    let error = js_sys::Error::new(&message.to_string());
    error.set_name(ERROR_NAME);

    // Reflect.set on a fresh, ordinary, extensible Error object defines the property and
    // returns true, so the result is ignored.
    let _ = js_sys::Reflect::set(&error, &JsValue::from_str("code"), &JsValue::from_str(code));
    error.into()
}
