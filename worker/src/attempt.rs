//! One delivery attempt: the signed request and the classification of what came back.
//!
//! Building the request and classifying the response are plain functions; [`send`] is the
//! only part that needs the Workers runtime.

use core::time::Duration;

use aether_webhooks::payload::Delivery;
use aether_webhooks::retry::{parse_retry_after, AttemptOutcome};
use aether_webhooks::{signature, standard, EventData, SecretError, Timestamp, WebhookSecret};
use futures_util::future::{select, Either};
use worker::{AbortController, Delay, Fetch, Headers, Method, Request, RequestInit, RequestRedirect};

use crate::http;

/// The `user-agent` of every delivery.
pub const USER_AGENT: &str = concat!("Aether-Webhooks/", env!("CARGO_PKG_VERSION"));
/// The header carrying the event type.
pub const EVENT_HEADER: &str = "x-aether-event";
/// The header carrying the delivery id, stable across attempts so receivers can de-duplicate.
pub const DELIVERY_HEADER: &str = "x-aether-delivery";

/// A request ready to send: the exact body bytes and the headers that sign them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedRequest {
    /// The JSON body, signed byte for byte.
    pub body: Vec<u8>,
    /// Header names and values, names in lower case.
    pub headers: Vec<(&'static str, String)>,
}

/// Builds the body `{"event","webhookId","deliveredAt","data"}` for an attempt at `now` and
/// signs it with every current secret, in both schemes.
///
/// # Errors
/// Returns [`SecretError`] when a secret cannot key the Standard Webhooks scheme.
pub fn build_request(webhook_id: &str, delivery_id: &str, data: EventData, secrets: &[&WebhookSecret], now: Timestamp) -> Result<SignedRequest, SecretError> {
    let event = data.event_type();
    let body = Delivery { webhook_id: webhook_id.to_owned(), delivered_at: now, data }.to_vec();

    let aether_signature = signature::sign_all(secrets, &body);
    let standard_signature = standard::sign_all(secrets, delivery_id, now.as_secs(), &body)?;

    let headers = vec![
        ("content-type", "application/json".to_owned()),
        ("user-agent", USER_AGENT.to_owned()),
        (signature::SIGNATURE_HEADER, aether_signature),
        (EVENT_HEADER, event.as_str().to_owned()),
        (DELIVERY_HEADER, delivery_id.to_owned()),
        (standard::ID_HEADER, delivery_id.to_owned()),
        (standard::TIMESTAMP_HEADER, now.as_secs().to_string()),
        (standard::SIGNATURE_HEADER, standard_signature),
    ];

    Ok(SignedRequest { body, headers })
}

/// Turns a response status and its `Retry-After` header into an attempt outcome.
#[must_use]
pub fn classify_response(status: u16, retry_after: Option<&str>, now: Timestamp) -> AttemptOutcome {
    AttemptOutcome::Response { status, retry_after: retry_after.and_then(|value| parse_retry_after(value, now)) }
}

/// Tells a TLS failure from other network failures by the runtime's error message, the only
/// detail a failed `fetch` gives.
#[must_use]
pub fn classify_network_error(message: &str) -> AttemptOutcome {
    let lower = message.to_ascii_lowercase();
    if ["tls", "ssl", "certificate", "handshake"].iter().any(|word| lower.contains(word)) {
        AttemptOutcome::Tls
    } else {
        AttemptOutcome::Connection
    }
}

/// Sends a signed request to `url` without following redirects and gives up after
/// `timeout`, which covers the whole exchange including the response body.
///
/// Only the status and `Retry-After` are used. The body is read and discarded, because a fully
/// read response lets the runtime reuse the connection for the next delivery. The timeout
/// bounds the time a large response body can take.
pub async fn send(url: &str, request: &SignedRequest, timeout: Duration, now: Timestamp) -> AttemptOutcome {
    let prepared = match prepare(url, request) {
        Ok(prepared) => prepared,
        Err(error) => return classify_network_error(&error.to_string()),
    };

    let controller = AbortController::default();
    let signal = controller.signal();
    let exchange = Box::pin(async {
        let response = Fetch::Request(prepared).send_with_signal(&signal).await?;
        let retry_after = response.headers().get("retry-after").ok().flatten();
        let status = response.status_code();
        // A body that fails to arrive still leaves a status to act on.
        drop(http::body_bytes(&response).await);
        Ok::<_, worker::Error>((status, retry_after))
    });
    let deadline = Box::pin(Delay::from(timeout));

    match select(exchange, deadline).await {
        Either::Left((Ok((status, retry_after)), _)) => classify_response(status, retry_after.as_deref(), now),
        Either::Left((Err(error), _)) => classify_network_error(&error.to_string()),
        Either::Right(((), _)) => {
            controller.abort();
            AttemptOutcome::Timeout
        }
    }
}

fn prepare(url: &str, request: &SignedRequest) -> worker::Result<Request> {
    let headers = Headers::new();
    for (name, value) in &request.headers {
        headers.set(name, value)?;
    }

    let body = worker::js_sys::Uint8Array::from(request.body.as_slice());
    let mut init = RequestInit::new();
    init.with_method(Method::Post).with_headers(headers).with_redirect(RequestRedirect::Manual).with_body(Some(body.into()));

    Request::new_with_init(url, &init)
}

#[cfg(test)]
mod tests {
    use aether_webhooks::EventType;

    use super::*;

    const NOW: Timestamp = Timestamp::from_secs(1_781_514_014);

    fn secret(text: &str) -> WebhookSecret {
        WebhookSecret::parse(text).expect("valid secret")
    }

    fn header<'a>(request: &'a SignedRequest, name: &str) -> &'a str {
        request.headers.iter().find(|(key, _)| *key == name).map(|(_, value)| value.as_str()).unwrap_or_else(|| panic!("no {name} header"))
    }

    #[test]
    fn request_body_is_the_contract_envelope() {
        let current = secret("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
        let request = build_request("wh_1", "dlv_1", EventData::sample(EventType::PostPublished), &[&current], NOW).expect("signable");

        let text = String::from_utf8(request.body).expect("UTF-8 body");
        assert!(text.starts_with(r#"{"event":"post.published","webhookId":"wh_1","deliveredAt":"2026-06-15T09:00:14Z","data":{"#), "{text}");
        assert!(serde_json::from_str::<serde_json::Value>(&text).is_ok(), "{text}");
    }

    #[test]
    fn request_headers_verify_in_both_schemes() {
        let current = secret("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
        let request = build_request("wh_1", "dlv_1", EventData::sample(EventType::CommentCreated), &[&current], NOW).expect("signable");

        assert_eq!(signature::verify(&current, &request.body, header(&request, "x-aether-signature")), Ok(()));
        let signed_at = standard::verify(&current, header(&request, "webhook-id"), header(&request, "webhook-timestamp"), header(&request, "webhook-signature"), &request.body, NOW.as_secs(), Some(300));
        assert_eq!(signed_at, Ok(NOW.as_secs()));
        assert_eq!(header(&request, "x-aether-delivery"), "dlv_1");
        assert_eq!(header(&request, "x-aether-event"), "comment.created");
        assert_eq!(header(&request, "content-type"), "application/json");
        assert!(header(&request, "user-agent").starts_with("Aether-Webhooks/"));
    }

    #[test]
    fn rotation_signs_with_every_secret() {
        let new = secret("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
        let old = secret("whsec_ZGV2LWludGFrZS1zZWNyZXQtZm9yLWxvY2FsLXVzZQ==");
        let request = build_request("wh_1", "dlv_1", EventData::sample(EventType::PostFailed), &[&new, &old], NOW).expect("signable");

        assert_eq!(header(&request, "x-aether-signature").split(',').count(), 2);
        assert_eq!(header(&request, "webhook-signature").split(' ').count(), 2);
        assert_eq!(signature::verify(&old, &request.body, header(&request, "x-aether-signature")), Ok(()));
        assert_eq!(signature::verify(&new, &request.body, header(&request, "x-aether-signature")), Ok(()));
    }

    #[test]
    fn responses_classify_by_status_and_retry_after() {
        assert_eq!(classify_response(204, None, NOW), AttemptOutcome::Response { status: 204, retry_after: None });
        assert_eq!(classify_response(503, Some("120"), NOW), AttemptOutcome::Response { status: 503, retry_after: Some(Duration::from_secs(120)) });
        assert_eq!(classify_response(301, Some("soon"), NOW).error_class(), Some("redirect"));
    }

    #[test]
    fn network_errors_classify_by_message() {
        assert_eq!(classify_network_error("TypeError: Network connection lost."), AttemptOutcome::Connection);
        assert_eq!(classify_network_error("TLS peer's certificate is not trusted"), AttemptOutcome::Tls);
    }
}
