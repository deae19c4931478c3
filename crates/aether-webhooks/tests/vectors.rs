//! Runs the shared signature vectors in `tests/vectors/signatures.json`, whose expected values
//! come from Node's `node:crypto`, against both schemes. The npm package runs the same file.

use aether_webhooks::{SignatureError, WebhookSecret, signature, standard};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use serde_json::Value;

fn vectors() -> Value {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/vectors/signatures.json");
    let text = std::fs::read_to_string(path).expect("the shared vectors file exists");
    serde_json::from_str(&text).expect("the shared vectors file is JSON")
}

fn cases<'a>(vectors: &'a Value, list: &str) -> &'a [Value] {
    let cases = vectors[list].as_array().unwrap_or_else(|| panic!("{list} is a list"));
    assert!(!cases.is_empty(), "{list} has cases");
    cases
}

fn text<'a>(case: &'a Value, field: &str) -> &'a str {
    case[field].as_str().unwrap_or_else(|| panic!("{} has a string {field}", case["name"]))
}

/// Builds a case's body from whichever of its three encodings it uses.
fn body(case: &Value) -> Vec<u8> {
    if let Some(utf8) = case["bodyUtf8"].as_str() {
        return utf8.as_bytes().to_vec();
    }
    if let Some(encoded) = case["bodyBase64"].as_str() {
        return STANDARD.decode(encoded).expect("bodyBase64 is base64");
    }
    let pattern = text(&case["bodyRepeat"], "pattern").as_bytes();
    let length = case["bodyRepeat"]["length"].as_u64().expect("bodyRepeat has a length");
    pattern.iter().copied().cycle().take(length as usize).collect()
}

fn secret(case: &Value) -> WebhookSecret {
    WebhookSecret::parse(text(case, "secret")).expect("vector secrets are valid")
}

fn tolerance(case: &Value) -> Option<u64> {
    case["toleranceSeconds"].as_u64()
}

#[test]
fn aether_vectors_verify() {
    let vectors = vectors();
    for case in cases(&vectors, "aether") {
        let header = text(case, "signature");
        let result = signature::verify(&secret(case), &body(case), header);
        assert_eq!(result, Ok(()), "{}", case["name"]);
    }
}

#[test]
fn aether_vectors_match_our_signer() {
    let vectors = vectors();
    for case in cases(&vectors, "aether") {
        let expected = text(case, "signature").trim();
        if expected.contains(',') {
            continue;
        }
        assert_eq!(signature::sign(&secret(case), &body(case)), expected, "{}", case["name"]);
    }
}

#[test]
fn aether_invalid_vectors_fail_with_code() {
    let vectors = vectors();
    for case in cases(&vectors, "aetherInvalid") {
        let error = signature::verify(&secret(case), &body(case), text(case, "header"))
            .expect_err(&format!("{} must fail", case["name"]));
        assert_eq!(error.code(), text(case, "code"), "{}", case["name"]);
    }
}

#[test]
fn standard_vectors_verify() {
    let vectors = vectors();
    for case in cases(&vectors, "standard") {
        let timestamp = case["timestamp"].as_i64().expect("timestamp is a number");
        let now = case["now"].as_i64().expect("now is a number");
        let result = standard::verify(
            &secret(case),
            text(case, "msgId"),
            &timestamp.to_string(),
            text(case, "signature"),
            &body(case),
            now,
            tolerance(case),
        );
        assert_eq!(result, Ok(timestamp), "{}", case["name"]);
    }
}

#[test]
fn standard_vectors_match_our_signer() {
    let vectors = vectors();
    for case in cases(&vectors, "standard") {
        let expected = text(case, "signature");
        if expected.contains(' ') {
            continue;
        }
        let timestamp = case["timestamp"].as_i64().expect("timestamp is a number");
        let signed = standard::sign(&secret(case), text(case, "msgId"), timestamp, &body(case));
        assert_eq!(signed.as_deref(), Ok(expected), "{}", case["name"]);
    }
}

#[test]
fn standard_invalid_vectors_fail_with_code() {
    let vectors = vectors();
    for case in cases(&vectors, "standardInvalid") {
        let error = standard::verify(
            &secret(case),
            text(case, "msgId"),
            text(case, "timestampHeader"),
            text(case, "signatureHeader"),
            &body(case),
            case["now"].as_i64().expect("now is a number"),
            tolerance(case),
        )
        .expect_err(&format!("{} must fail", case["name"]));
        assert_eq!(error.code(), text(case, "code"), "{}", case["name"]);
    }
}

#[test]
fn mismatch_error_names_no_cause() {
    let secret = WebhookSecret::parse("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").expect("valid");
    let header = signature::sign(&secret, b"{}");
    let error = signature::verify(&secret, b"[]", &header).expect_err("other body");
    assert!(matches!(error, SignatureError::Mismatch));
}
