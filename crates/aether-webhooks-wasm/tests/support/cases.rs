//! The test cases, compiled into both the Node and the browser test crate.

use aether_webhooks::{WebhookSecret, signature, standard};
use aether_webhooks_wasm::body::load_body;
use aether_webhooks_wasm::{host_mac, payload, secret, sign, verify};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::wasm_bindgen_test;

use super::{code_of, millis, tolerance, vectors};

fn parsed_secret(value: &str) -> WebhookSecret {
    WebhookSecret::parse(value).expect("vector secrets are valid")
}

#[wasm_bindgen_test]
fn aether_vectors_verify_in_both_paths() {
    for case in vectors().aether {
        let body = case.body.bytes();

        assert_eq!(
            verify::verify_aether(&case.secret, load_body(&body), &case.signature).ok(),
            Some(true),
            "{}",
            case.name
        );
        assert!(
            verify::check_aether(&case.secret, load_body(&body), &case.signature).is_ok(),
            "{}",
            case.name
        );

        let mac = signature::compute_mac(&parsed_secret(&case.secret), &body);
        assert!(
            host_mac::aether_signature_matches(&case.signature, &mac),
            "{}",
            case.name
        );
        assert!(
            host_mac::check_aether_signature(&case.signature, &mac).is_ok(),
            "{}",
            case.name
        );
    }
}

#[wasm_bindgen_test]
fn aether_invalid_vectors_report_their_code() {
    for case in vectors().aether_invalid {
        let body = case.body.bytes();
        let mac = signature::compute_mac(&parsed_secret(&case.secret), &body);

        assert_eq!(
            verify::verify_aether(&case.secret, load_body(&body), &case.header).ok(),
            Some(false),
            "{}",
            case.name
        );
        assert!(
            !host_mac::aether_signature_matches(&case.header, &mac),
            "{}",
            case.name
        );

        let error = verify::check_aether(&case.secret, load_body(&body), &case.header)
            .expect_err(&case.name);
        assert_eq!(code_of(&error), case.code, "{}", case.name);
        let error = host_mac::check_aether_signature(&case.header, &mac).expect_err(&case.name);
        assert_eq!(code_of(&error), case.code, "{}", case.name);
    }
}

#[wasm_bindgen_test]
fn standard_vectors_verify_in_both_paths() {
    for case in vectors().standard {
        let body = case.body.bytes();
        let timestamp = case.timestamp.to_string();
        let now = millis(case.now);
        let tolerance = tolerance(case.tolerance_seconds);

        let verified = verify::check_standard(
            &case.secret,
            &case.msg_id,
            &timestamp,
            &case.signature,
            load_body(&body),
            now,
            tolerance,
        );
        assert_eq!(verified.ok(), Some(case.timestamp as f64), "{}", case.name);

        let signed_at = host_mac::check_standard_headers(
            &case.msg_id,
            &timestamp,
            &case.signature,
            now,
            tolerance,
        );
        assert_eq!(signed_at.ok(), Some(case.timestamp as f64), "{}", case.name);
        let mac = standard::compute_mac(
            &parsed_secret(&case.secret),
            &case.msg_id,
            case.timestamp,
            &body,
        )
        .expect("vector secrets are base64");
        assert!(
            host_mac::check_standard_signature(&case.signature, &mac).is_ok(),
            "{}",
            case.name
        );
    }
}

#[wasm_bindgen_test]
fn standard_invalid_vectors_report_their_code() {
    for case in vectors().standard_invalid {
        let body = case.body.bytes();
        let now = millis(case.now);
        let tolerance = tolerance(case.tolerance_seconds);

        let error = verify::check_standard(
            &case.secret,
            &case.msg_id,
            &case.timestamp_header,
            &case.signature_header,
            load_body(&body),
            now,
            tolerance,
        )
        .expect_err(&case.name);
        assert_eq!(code_of(&error), case.code, "{}", case.name);

        // The host path: headers first, then the MAC a host would compute.
        let host_code = match host_mac::check_standard_headers(
            &case.msg_id,
            &case.timestamp_header,
            &case.signature_header,
            now,
            tolerance,
        ) {
            Err(error) => code_of(&error),
            Ok(timestamp) => {
                let mac = standard::compute_mac(
                    &parsed_secret(&case.secret),
                    &case.msg_id,
                    timestamp as i64,
                    &body,
                )
                .expect("vector secrets are base64");
                code_of(
                    &host_mac::check_standard_signature(&case.signature_header, &mac)
                        .expect_err(&case.name),
                )
            }
        };
        assert_eq!(host_code, case.code, "{}", case.name);
    }
}

#[wasm_bindgen_test]
fn errors_carry_name_message_and_code() {
    let error = verify::check_aether(
        "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
        load_body(b"{}"),
        "sha256=00",
    )
    .expect_err("malformed");

    let error = error
        .dyn_into::<js_sys::Error>()
        .expect("a JavaScript Error");
    assert_eq!(String::from(error.name()), "WebhookVerificationError");
    assert!(String::from(error.message()).contains("sha256=<64 lowercase hex digits>"));
    assert_eq!(code_of(&error.into()), "malformed_signature");
}

#[wasm_bindgen_test]
fn secret_with_trailing_newline_is_invalid() {
    let error = secret::check_secret("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw\n")
        .expect_err("trailing newline");
    assert_eq!(code_of(&error), "invalid_secret");

    let error = verify::verify_aether(
        " whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
        load_body(b"{}"),
        "",
    )
    .expect_err("leading space");
    assert_eq!(code_of(&error), "invalid_secret");
}

#[wasm_bindgen_test]
fn standard_key_decodes_the_base64_part() {
    assert_eq!(
        secret::standard_key("whsec_AAECAw==").ok(),
        Some(vec![0, 1, 2, 3])
    );

    let error = secret::standard_key("whsec_not-base64!").expect_err("not base64");
    assert_eq!(code_of(&error), "invalid_secret");
}

#[wasm_bindgen_test]
fn clock_defaults_to_date_now() {
    let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    let now = (js_sys::Date::now() / 1_000.0).floor() as i64;
    let sign_at = |timestamp: i64| {
        let header = sign::sign_standard(secret, "msg_1", timestamp as f64, load_body(b"{}"))
            .expect("valid secret");
        (timestamp.to_string(), header)
    };

    let (timestamp, header) = sign_at(now);
    assert!(
        verify::check_standard(
            secret,
            "msg_1",
            &timestamp,
            &header,
            load_body(b"{}"),
            None,
            Some(300.0)
        )
        .is_ok()
    );

    let (timestamp, header) = sign_at(now - 3_600);
    let error = verify::check_standard(
        secret,
        "msg_1",
        &timestamp,
        &header,
        load_body(b"{}"),
        None,
        Some(300.0),
    )
    .expect_err("an hour old");
    assert_eq!(code_of(&error), "stale_delivery");

    let error = host_mac::check_standard_headers(
        "msg_1",
        &(now + 3_600).to_string(),
        &header,
        None,
        Some(300.0),
    )
    .expect_err("an hour ahead");
    assert_eq!(code_of(&error), "future_delivery");
}

#[wasm_bindgen_test]
fn signing_matches_the_vectors() {
    let vectors = vectors();

    let case = &vectors.aether[0];
    assert_eq!(
        sign::sign_aether(&case.secret, load_body(&case.body.bytes()))
            .ok()
            .as_ref(),
        Some(&case.signature)
    );

    let case = &vectors.standard[0];
    let signed = sign::sign_standard(
        &case.secret,
        &case.msg_id,
        case.timestamp as f64,
        load_body(&case.body.bytes()),
    );
    assert_eq!(signed.ok().as_ref(), Some(&case.signature));
}

#[wasm_bindgen_test]
fn samples_parse_back_unchanged() {
    for event_type in aether_webhooks::EventType::ALL {
        let body = payload::sample_delivery(
            event_type.as_str(),
            Some("wh_abc123".into()),
            Some("2026-06-15T09:00:14Z".into()),
        )
        .expect("every event type has a sample");

        assert_eq!(
            payload::parse_delivery(load_body(body.as_bytes()))
                .ok()
                .as_ref(),
            Some(&body),
            "{event_type}"
        );
        assert!(body.starts_with(&format!(r#"{{"event":"{event_type}","webhookId":"wh_abc123","deliveredAt":"2026-06-15T09:00:14Z","#)));
    }
}

#[wasm_bindgen_test]
fn sample_errors_have_codes() {
    let error =
        payload::sample_delivery("post.deleted", None, None).expect_err("unknown event type");
    assert_eq!(code_of(&error), "unknown_event");

    let error = payload::sample_delivery("post.published", None, Some("yesterday".into()))
        .expect_err("not RFC 3339");
    assert_eq!(code_of(&error), "invalid_timestamp");
}

#[wasm_bindgen_test]
fn parse_errors_have_codes() {
    let error = payload::parse_delivery(load_body(b"{\"event\":")).expect_err("truncated JSON");
    assert_eq!(code_of(&error), "malformed_payload");

    let unknown = br#"{"event":"post.deleted","webhookId":"wh_1","deliveredAt":"2026-06-15T09:00:14Z","data":{}}"#;
    let error = payload::parse_delivery(load_body(unknown)).expect_err("unknown event type");
    assert_eq!(code_of(&error), "unknown_event");
}

#[wasm_bindgen_test]
fn parse_normalises_timestamps_to_utc() {
    let body = payload::sample_delivery(
        "post.published",
        Some("wh_1".into()),
        Some("2026-06-15T11:00:14.250+02:00".into()),
    )
    .expect("valid sample");
    assert!(
        body.contains(r#""deliveredAt":"2026-06-15T09:00:14.250Z""#),
        "{body}"
    );
}

#[wasm_bindgen_test]
fn body_length_beyond_buffer_is_an_error() {
    let length = load_body(b"{}");

    let error = verify::check_aether(
        "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
        length + 1_000_000,
        "sha256=00",
    )
    .expect_err("longer than the buffer");
    let error = error
        .dyn_into::<js_sys::Error>()
        .expect("a JavaScript Error");
    assert!(String::from(error.message()).contains("body buffer"));
}
