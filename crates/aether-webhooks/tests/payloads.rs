//! The documented example payloads parse to the documented values and serialise back to the
//! same bytes.

use aether_webhooks::payload::{MessageKind, PostFailed, PostPublished};
use aether_webhooks::{Delivery, EventData, EventType, PayloadError, Platform, Timestamp};

const PUBLISHED: &str = r#"{"event":"post.published","webhookId":"wh_abc123","deliveredAt":"2026-06-15T09:00:14Z","data":{"postId":"post_xyz789","platform":"instagram","profileId":"ig_abc123","platformPostId":"17890123456789","platformPostUrl":"https://www.instagram.com/p/ABC123/","publishedAt":"2026-06-15T09:00:12Z"}}"#;
const FAILED: &str = r#"{"event":"post.failed","webhookId":"wh_abc123","deliveredAt":"2026-06-15T09:00:45Z","data":{"postId":"post_xyz789","platform":"tiktok","profileId":"tt_xyz789","error":{"code":"68002","message":"Permission denied: missing video.publish scope","retryable":false},"retriesExhausted":5}}"#;

fn timestamp(text: &str) -> Timestamp {
    Timestamp::parse(text).expect("valid timestamp")
}

#[test]
fn published_example_has_documented_values() {
    let delivery = Delivery::from_slice(PUBLISHED.as_bytes()).expect("documented payload parses");

    assert_eq!(delivery.event_type(), EventType::PostPublished);
    assert_eq!(delivery.webhook_id, "wh_abc123");
    assert_eq!(delivery.delivered_at, timestamp("2026-06-15T09:00:14Z"));
    let EventData::PostPublished(data) = &delivery.data else {
        panic!("post.published data, got {:?}", delivery.data);
    };
    let expected = PostPublished {
        post_id: "post_xyz789".into(),
        platform: Platform::Instagram,
        profile_id: "ig_abc123".into(),
        platform_post_id: "17890123456789".into(),
        platform_post_url: "https://www.instagram.com/p/ABC123/".into(),
        published_at: timestamp("2026-06-15T09:00:12Z"),
    };
    assert_eq!(data, &expected);
}

#[test]
fn failed_example_has_documented_values() {
    let delivery = Delivery::from_slice(FAILED.as_bytes()).expect("documented payload parses");

    let EventData::PostFailed(PostFailed { platform, error, retries_exhausted, failed_at, .. }) = &delivery.data else {
        panic!("post.failed data, got {:?}", delivery.data);
    };
    assert_eq!(platform, &Platform::Tiktok);
    assert_eq!(error.code, "68002");
    assert_eq!(error.message, "Permission denied: missing video.publish scope");
    assert!(!error.retryable);
    assert_eq!(*retries_exhausted, 5);
    assert_eq!(*failed_at, None);
}

#[test]
fn examples_serialise_to_identical_bytes() {
    for example in [PUBLISHED, FAILED] {
        let delivery = Delivery::from_slice(example.as_bytes()).expect("documented payload parses");
        assert_eq!(String::from_utf8(delivery.to_vec()).expect("JSON is UTF-8"), example);
    }
}

#[test]
fn pretty_printed_example_parses_the_same() {
    let value: serde_json::Value = serde_json::from_str(PUBLISHED).expect("JSON");
    let pretty = serde_json::to_vec_pretty(&value).expect("serialisable");
    assert_eq!(Delivery::from_slice(&pretty), Delivery::from_slice(PUBLISHED.as_bytes()));
}

#[test]
fn unknown_fields_and_platforms_are_accepted() {
    let body = PUBLISHED
        .replace(r#""platform":"instagram""#, r#""platform":"threads","newField":{"nested":[1,2]}"#)
        .replace(r#""webhookId""#, r#""apiVersion":"2027-01-01","webhookId""#);
    let delivery = Delivery::from_slice(body.as_bytes()).expect("extra fields are ignored");

    let EventData::PostPublished(data) = delivery.data else {
        panic!("post.published data");
    };
    assert_eq!(data.platform, Platform::Other("threads".into()));
    assert_eq!(data.platform.as_str(), "threads");
}

#[test]
fn unknown_event_is_an_error() {
    let body = PUBLISHED.replace("post.published", "post.deleted");
    let error = Delivery::from_slice(body.as_bytes()).expect_err("unknown event");
    assert_eq!(error, PayloadError::UnknownEvent("post.deleted".into()));
    assert_eq!(error.code(), "unknown_event");
}

#[test]
fn missing_data_field_names_the_field() {
    let body = PUBLISHED.replace(r#""platformPostUrl":"https://www.instagram.com/p/ABC123/","#, "");
    let error = Delivery::from_slice(body.as_bytes()).expect_err("missing field");
    assert_eq!(error.code(), "malformed_payload");
    assert!(error.to_string().contains("platformPostUrl"), "{error}");
}

#[test]
fn malformed_json_is_an_error() {
    for body in ["", "{", "[]", "null", r#"{"event":"post.published"}"#, "\u{feff}{}"] {
        let error = Delivery::from_slice(body.as_bytes()).expect_err(body);
        assert_eq!(error.code(), "malformed_payload", "{body:?}");
    }
}

#[test]
fn message_created_carries_kind_and_thread() {
    let body = r#"{"event":"message.created","webhookId":"wh_1","deliveredAt":"2026-06-15T09:00:14Z","data":{"messageId":"msg_1","platform":"reddit","profileId":"rd_1","kind":"reply","threadId":"thr_1","from":{"id":"t2_1","handle":"someone"},"text":"こんにちは 👋","createdAt":"2026-06-15T09:00:10Z"}}"#;
    let delivery = Delivery::from_slice(body.as_bytes()).expect("valid message.created");

    let EventData::MessageCreated(message) = &delivery.data else {
        panic!("message.created data");
    };
    assert_eq!(message.kind, MessageKind::Reply);
    assert_eq!(message.thread_id, "thr_1");
    assert_eq!(message.text, "こんにちは 👋");
    assert_eq!(String::from_utf8(delivery.to_vec()).expect("UTF-8"), body);
}

#[test]
fn event_type_names_round_trip() {
    for event_type in EventType::ALL {
        assert_eq!(event_type.as_str().parse::<EventType>(), Ok(event_type));
    }
    for name in ["", "POST.PUBLISHED", "post.published ", "post", "message.deleted"] {
        assert!(name.parse::<EventType>().is_err(), "{name:?}");
    }
}
