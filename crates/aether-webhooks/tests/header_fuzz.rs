//! A fuzz run of the header parsers over arbitrary input: any string, including multibyte and
//! control characters, gets a typed result and never a panic. The number of inputs is set by
//! `PROPTEST_CASES` (the test command runs 20,000 per parser).

use aether_webhooks::{SignatureError, WebhookSecret, signature, standard};
use proptest::prelude::*;

fn header_strategy() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "(sha256=|sha1=|v1,|v2,|,| |=)[0-9a-fA-F+/=, ]{0,140}",
        proptest::collection::vec(prop_oneof![Just("sha256=".to_string()), "[0-9a-f]{62,66}", Just(",".to_string()), Just(" ".to_string()), any::<char>().prop_map(String::from)], 0..24)
            .prop_map(|parts| parts.concat()),
    ]
}

fn secret() -> WebhookSecret {
    WebhookSecret::parse("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").expect("valid secret")
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(
        std::env::var("PROPTEST_CASES").ok().and_then(|cases| cases.parse().ok()).unwrap_or(2_000)
    ))]

    #[test]
    fn aether_header_never_panics(header in header_strategy()) {
        let result = signature::verify(&secret(), b"{}", &header);
        prop_assert!(matches!(
            result,
            Err(SignatureError::Missing | SignatureError::Malformed | SignatureError::UnsupportedScheme | SignatureError::TooMany | SignatureError::Mismatch)
        ), "{:?} for {:?}", result, header);
    }

    #[test]
    fn standard_headers_never_panic(signature_header in header_strategy(), timestamp in any::<String>(), id in any::<String>()) {
        let result = standard::verify(&secret(), &id, &timestamp, &signature_header, b"{}", 1_000, Some(300));
        prop_assert!(result.is_err(), "{:?}", result);
    }

    #[test]
    fn secret_parse_never_panics(value in any::<String>()) {
        if let Ok(secret) = WebhookSecret::parse(&value) {
            prop_assert!(secret.as_str().starts_with("whsec_"));
        }
    }
}
