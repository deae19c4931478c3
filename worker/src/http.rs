//! Request bodies and JSON responses.

use futures_util::StreamExt;
use serde::Serialize;
use serde_json::Value;
use worker::wasm_bindgen_futures::JsFuture;
use worker::{js_sys, web_sys, Headers, Request, Response, ResponseBody};

use crate::error::ApiError;
use crate::log;

/// The largest JSON body the management routes accept, in bytes.
pub const MAX_JSON_BODY_BYTES: usize = 64 * 1024;

/// A status and JSON body produced by a handler.
#[derive(Debug, Clone, PartialEq)]
pub struct Reply {
    /// The HTTP status.
    pub status: u16,
    /// The JSON body, or `None` for an empty response such as 204.
    pub body: Option<Value>,
}

impl Reply {
    /// Creates a reply with a JSON body.
    ///
    /// # Errors
    /// Returns [`ApiError::Internal`] when `body` cannot be written as JSON.
    pub fn json(status: u16, body: &impl Serialize) -> Result<Reply, ApiError> {
        let body = serde_json::to_value(body).map_err(|_| ApiError::Internal)?;
        Ok(Reply { status, body: Some(body) })
    }

    /// Creates a reply without a body.
    #[must_use]
    pub fn empty(status: u16) -> Reply {
        Reply { status, body: None }
    }
}

/// Turns a handler's result into a response; errors get their status and error body.
#[must_use]
pub fn respond(result: Result<Reply, ApiError>) -> Response {
    let allowed_methods = result.as_ref().err().and_then(ApiError::allowed_methods);
    let reply = result.unwrap_or_else(|error| Reply { status: error.status(), body: Some(error.body()) });
    let headers = Headers::new();
    if let Some(allowed) = allowed_methods {
        let _ = headers.set("allow", allowed);
    }
    let body = match &reply.body {
        Some(body) => {
            // A valid header name and value on a new, mutable header list cannot fail to set.
            let _ = headers.set("content-type", "application/json");
            body.to_string().into_bytes()
        }
        None => Vec::new(),
    };
    let _ = headers.set("cache-control", "no-store");

    Response::builder().with_status(reply.status).with_headers(headers).fixed(body)
}

/// Reads a request body of at most `limit` bytes. The `content-length` header is checked
/// first, and a body without one is streamed and read only up to the limit.
///
/// # Errors
/// Returns [`ApiError::PayloadTooLarge`] for a larger body and [`ApiError::InvalidJson`] when
/// the body cannot be read at all.
pub async fn read_body(request: &mut Request, limit: usize) -> Result<Vec<u8>, ApiError> {
    let declared = request.headers().get("content-length").ok().flatten().and_then(|value| value.trim().parse::<usize>().ok());
    if declared.is_some_and(|length| length > limit) {
        return Err(ApiError::PayloadTooLarge { limit });
    }

    if declared.is_some() {
        let body = request.bytes().await.map_err(|error| ApiError::InvalidJson(format!("the body could not be read: {error}")))?;
        if body.len() > limit {
            return Err(ApiError::PayloadTooLarge { limit });
        }
        return Ok(body);
    }

    let mut stream = match request.stream() {
        Ok(stream) => stream,
        Err(_) => return Ok(Vec::new()),
    };
    let mut body = Vec::with_capacity(declared.unwrap_or(0));
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.map_err(|error| ApiError::InvalidJson(format!("the body could not be read: {error}")))?;
        if body.len() + chunk.len() > limit {
            return Err(ApiError::PayloadTooLarge { limit });
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

/// Reads a JSON body of at most [`MAX_JSON_BODY_BYTES`]. An empty body reads as `{}` when
/// `empty_is_object` is set, for routes whose fields are all optional.
///
/// # Errors
/// The errors of [`read_body`], and [`ApiError::InvalidJson`] for text that is not JSON.
pub async fn read_json(request: &mut Request, empty_is_object: bool) -> Result<Value, ApiError> {
    let body = read_body(request, MAX_JSON_BODY_BYTES).await?;
    parse_json(&body, empty_is_object)
}

/// Parses a JSON body; see [`read_json`].
///
/// # Errors
/// Returns [`ApiError::InvalidJson`] for text that is not JSON, including an empty body unless
/// `empty_is_object` is set.
pub fn parse_json(body: &[u8], empty_is_object: bool) -> Result<Value, ApiError> {
    if empty_is_object && body.iter().all(u8::is_ascii_whitespace) {
        return Ok(Value::Object(serde_json::Map::new()));
    }
    serde_json::from_slice(body).map_err(|error| ApiError::InvalidJson(error.to_string()))
}

/// Reads a whole response body, such as a Durable Object's response.
///
/// The stream is handed to a new JS `Response` whose `arrayBuffer()` the runtime reads
/// natively, because pulling the chunks through wasm one by one cost several times more CPU
/// in profiles of the local stack.
///
/// # Errors
/// Returns the runtime's error when the body cannot be read.
pub async fn body_bytes(response: &Response) -> worker::Result<Vec<u8>> {
    match response.body() {
        ResponseBody::Empty => Ok(Vec::new()),
        ResponseBody::Body(bytes) => Ok(bytes.clone()),
        ResponseBody::Stream(stream) => {
            let wrapper = web_sys::Response::new_with_opt_readable_stream(Some(stream))?;
            let buffer = JsFuture::from(wrapper.array_buffer()?).await?;
            Ok(js_sys::Uint8Array::new(&buffer).to_vec())
        }
    }
}

/// Logs an unexpected runtime error and turns it into [`ApiError::Internal`].
pub fn internal(operation: &str) -> impl FnOnce(worker::Error) -> ApiError + '_ {
    move |error| {
        log::failure(operation, &error.to_string(), &[]);
        ApiError::Internal
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_body_is_an_object_only_when_allowed() {
        assert_eq!(parse_json(b"", true), Ok(serde_json::json!({})));
        assert_eq!(parse_json(b" \n", true), Ok(serde_json::json!({})));
        assert!(matches!(parse_json(b"", false), Err(ApiError::InvalidJson(_))));
        assert!(matches!(parse_json(b"{", true), Err(ApiError::InvalidJson(_))));
    }
}
