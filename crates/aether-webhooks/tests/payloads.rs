//! The documented example payloads parse to the documented values and serialise back to the
//! same bytes. Generated deliveries round-trip, the intake fixture parses, and no input makes
//! the parser panic.

use aether_webhooks::payload::{
    CommentCreated, MessageCreated, MessageKind, MessageStatus, MessageUpdated, Participant,
    PlatformError, PostCancelled, PostFailed, PostPublished, PostPublishing, PostScheduled,
};
use aether_webhooks::{Delivery, EventData, EventType, PayloadError, Platform, Timestamp};
use proptest::prelude::*;

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

#[test]
fn json_syntax_errors_give_byte_offset() {
    let cases = [
        ("", "unexpected end of input, expected a value at byte 0"),
        ("\u{feff}{}", "a byte order mark is not allowed at byte 0"),
        (r#"{"event":"post.published",}"#, "expected a string key at byte 26"),
        (r#"{"event":"post.published"} x"#, "trailing characters after the JSON value at byte 27"),
        (r#"{"event":"\q"}"#, "invalid escape in a string at byte 10"),
        (r#"{"event":"\udc00"}"#, "a lone UTF-16 surrogate in a string at byte 10"),
        (r#"{"n":01}"#, "a number must not have a leading zero at byte 6"),
    ];
    for (body, detail) in cases {
        let error = Delivery::from_slice(body.as_bytes()).expect_err(body);
        assert_eq!(error, PayloadError::Json(detail.into()), "{body:?}");
    }
}

#[test]
fn envelope_errors_name_the_field() {
    let cases = [
        ("[]", "invalid type: expected an object"),
        (r#"{"event":"post.published"}"#, "missing field `webhookId`"),
        (&PUBLISHED.replace(r#""webhookId":"wh_abc123""#, r#""webhookId":1"#), "invalid type for `webhookId`: expected a string"),
        (&PUBLISHED.replace("2026-06-15T09:00:14Z", "now"), "invalid value for `deliveredAt`: expected an RFC 3339 timestamp such as 2026-06-15T09:00:14Z"),
        (&PUBLISHED.replace(r#""data""#, r#""payload""#), "missing field `data`"),
    ];
    for (body, detail) in cases {
        let error = Delivery::from_slice(body.as_bytes()).expect_err(body);
        assert_eq!(error, PayloadError::Json(detail.into()), "{body}");
    }
}

#[test]
fn escaped_strings_are_unescaped() {
    let body = PUBLISHED.replace(r#""postId":"post_xyz789""#, r#""post\u0049d":"post_\"x\"\ud83d\ude00\n""#);

    let delivery = Delivery::from_slice(body.as_bytes()).expect("escapes are valid");

    let EventData::PostPublished(data) = delivery.data else {
        panic!("post.published data");
    };
    assert_eq!(data.post_id, "post_\"x\"😀\n");
}

#[test]
fn duplicate_key_last_wins() {
    let body = PUBLISHED.replace(r#""webhookId":"wh_abc123""#, r#""webhookId":"wh_first","webhookId":"wh_last""#);

    let delivery = Delivery::from_slice(body.as_bytes()).expect("duplicates are allowed");

    assert_eq!(delivery.webhook_id, "wh_last");
}

#[test]
fn deep_nesting_is_an_error() {
    let body = PUBLISHED.replace(r#""platform":"instagram""#, &format!(r#""platform":"instagram","extra":{}"#, "[".repeat(100_000)));

    let error = Delivery::from_slice(body.as_bytes()).expect_err("too deep");

    assert!(matches!(&error, PayloadError::Json(detail) if detail.starts_with("arrays and objects nest too deeply at byte ")), "{error:?}");
}

#[test]
fn every_fixture_event_parses() {
    let fixture: Vec<serde_json::Value> = serde_json::from_str(include_str!("../../../tests/fixtures/day-of-events.json")).expect("the fixture is a JSON array");
    assert!(!fixture.is_empty());

    let mut seen = Vec::new();
    for event in fixture {
        let id = event["id"].as_str().expect("every event has an id").to_owned();
        let event_type = EventType::parse(event["event"].as_str().expect("every event has a type")).expect(&id);

        let data = EventData::from_value(event_type, event["data"].clone()).expect(&id);

        assert_eq!(data.event_type(), event_type, "{id}");
        assert_eq!(EventData::from_value(event_type, data.to_value()).as_ref(), Ok(&data), "{id}");
        seen.push(event_type);
    }
    for event_type in EventType::ALL {
        assert!(seen.contains(&event_type), "the fixture has no {event_type}");
    }
}

fn text() -> impl Strategy<Value = String> {
    proptest::collection::vec(any::<char>(), 0..16).prop_map(String::from_iter)
}

fn optional_text() -> impl Strategy<Value = Option<String>> {
    proptest::option::of(text())
}

fn timestamp_strategy() -> impl Strategy<Value = Timestamp> {
    let year_0000 = -62_167_219_200_000_i64;
    let year_9999_end = 253_402_300_799_999_i64;
    (year_0000..=year_9999_end).prop_map(Timestamp::from_millis)
}

fn platform() -> impl Strategy<Value = Platform> {
    "instagram|tiktok|reddit|facebook|linkedin|x|youtube|[a-z_]{1,12}".prop_map(|name| Platform::from_wire(&name))
}

fn participant() -> impl Strategy<Value = Participant> {
    (text(), text(), optional_text()).prop_map(|(id, handle, name)| Participant { id, handle, name })
}

fn event_data() -> impl Strategy<Value = EventData> {
    prop_oneof![
        (text(), platform(), text(), timestamp_strategy()).prop_map(|(post_id, platform, profile_id, scheduled_for)| {
            EventData::PostScheduled(PostScheduled { post_id, platform, profile_id, scheduled_for })
        }),
        (text(), platform(), text(), timestamp_strategy()).prop_map(|(post_id, platform, profile_id, started_at)| {
            EventData::PostPublishing(PostPublishing { post_id, platform, profile_id, started_at })
        }),
        (text(), platform(), text(), text(), text(), timestamp_strategy()).prop_map(
            |(post_id, platform, profile_id, platform_post_id, platform_post_url, published_at)| {
                EventData::PostPublished(PostPublished { post_id, platform, profile_id, platform_post_id, platform_post_url, published_at })
            }
        ),
        (text(), platform(), text(), (text(), text(), any::<bool>()), any::<u32>(), proptest::option::of(timestamp_strategy())).prop_map(
            |(post_id, platform, profile_id, (code, message, retryable), retries_exhausted, failed_at)| {
                let error = PlatformError { code, message, retryable };
                EventData::PostFailed(PostFailed { post_id, platform, profile_id, error, retries_exhausted, failed_at })
            }
        ),
        (text(), platform(), text(), timestamp_strategy(), optional_text()).prop_map(|(post_id, platform, profile_id, cancelled_at, reason)| {
            EventData::PostCancelled(PostCancelled { post_id, platform, profile_id, cancelled_at, reason })
        }),
        (text(), text(), platform(), text(), optional_text(), optional_text(), participant(), text(), timestamp_strategy()).prop_map(
            |(comment_id, post_id, platform, profile_id, platform_post_id, parent_comment_id, author, text, created_at)| {
                EventData::CommentCreated(CommentCreated { comment_id, post_id, platform, profile_id, platform_post_id, parent_comment_id, author, text, created_at })
            }
        ),
        (text(), platform(), text(), "dm|mention|reply|[a-z_]{1,12}", text(), participant(), text(), timestamp_strategy()).prop_map(
            |(message_id, platform, profile_id, kind, thread_id, from, text, created_at)| {
                let kind = MessageKind::from_wire(&kind);
                EventData::MessageCreated(MessageCreated { message_id, platform, profile_id, kind, thread_id, from, text, created_at })
            }
        ),
        (text(), platform(), text(), text(), "delivered|read|edited|deleted|[a-z_]{1,12}", timestamp_strategy()).prop_map(
            |(message_id, platform, profile_id, thread_id, status, updated_at)| {
                let status = MessageStatus::from_wire(&status);
                EventData::MessageUpdated(MessageUpdated { message_id, platform, profile_id, thread_id, status, updated_at })
            }
        ),
    ]
}

fn delivery() -> impl Strategy<Value = Delivery> {
    (text(), timestamp_strategy(), event_data()).prop_map(|(webhook_id, delivered_at, data)| Delivery { webhook_id, delivered_at, data })
}

/// Checks what any input may produce: a delivery that survives another round trip, or an
/// error with one of the two payload codes.
fn check_parse_result(body: &[u8]) -> Result<(), TestCaseError> {
    match Delivery::from_slice(body) {
        Ok(delivery) => prop_assert_eq!(Delivery::from_slice(&delivery.to_vec()), Ok(delivery)),
        Err(error) => prop_assert!(matches!(error.code(), "malformed_payload" | "unknown_event"), "{:?}", error),
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn generated_delivery_round_trips(delivery in delivery()) {
        let body = delivery.to_vec();

        prop_assert_eq!(Delivery::from_slice(&body), Ok(delivery));
    }

    #[test]
    fn to_vec_matches_serde_json(delivery in delivery()) {
        let expected = serde_json::to_vec(&delivery).expect("a delivery serialises");

        prop_assert_eq!(String::from_utf8(delivery.to_vec()), String::from_utf8(expected));
    }

    #[test]
    fn generated_data_round_trips_through_value(data in event_data()) {
        prop_assert_eq!(EventData::from_value(data.event_type(), data.to_value()), Ok(data));
    }

    #[test]
    fn arbitrary_bytes_never_panic(body in proptest::collection::vec(any::<u8>(), 0..256)) {
        check_parse_result(&body)?;
    }

    #[test]
    fn json_like_text_never_panics(body in r#"[\[\]{}":,0-9a-z\\. eE+-]{0,64}"#) {
        check_parse_result(body.as_bytes())?;
    }

    #[test]
    fn mutated_delivery_never_panics(delivery in delivery(), edits in proptest::collection::vec((any::<usize>(), any::<u8>()), 1..4)) {
        let mut body = delivery.to_vec();
        for (index, byte) in edits {
            let index = index % body.len();
            body[index] = byte;
        }

        check_parse_result(&body)?;
    }
}
