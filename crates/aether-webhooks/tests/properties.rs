//! Property tests: signing and verifying round-trip, and any single flipped bit in the body,
//! the signature or the secret makes verification fail.

use aether_webhooks::{SignatureError, WebhookSecret, signature, standard};
use proptest::prelude::*;

fn secret_strategy() -> impl Strategy<Value = String> {
    proptest::collection::vec(any::<u8>(), 1..48)
        .prop_map(|key| format!("whsec_{}", base64_encode(&key)))
}

fn base64_encode(bytes: &[u8]) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

fn flip_bit(bytes: &mut [u8], bit: usize) {
    let index = bit / 8 % bytes.len();
    bytes[index] ^= 1 << (bit % 8);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn aether_sign_then_verify(secret in secret_strategy(), body in proptest::collection::vec(any::<u8>(), 0..2048)) {
        let secret = WebhookSecret::parse(&secret).expect("generated secrets are valid");
        let header = signature::sign(&secret, &body);
        prop_assert_eq!(signature::verify(&secret, &body, &header), Ok(()));
    }

    #[test]
    fn aether_flipped_body_bit_fails(secret in secret_strategy(), mut body in proptest::collection::vec(any::<u8>(), 1..512), bit in any::<usize>()) {
        let secret = WebhookSecret::parse(&secret).expect("generated secrets are valid");
        let header = signature::sign(&secret, &body);
        flip_bit(&mut body, bit);
        prop_assert_eq!(signature::verify(&secret, &body, &header), Err(SignatureError::Mismatch));
    }

    #[test]
    fn aether_flipped_signature_bit_fails(secret in secret_strategy(), body in proptest::collection::vec(any::<u8>(), 0..512), bit in any::<usize>()) {
        let secret = WebhookSecret::parse(&secret).expect("generated secrets are valid");
        let mut header = signature::sign(&secret, &body).into_bytes();
        let digest = &mut header["sha256=".len()..];
        flip_bit(digest, bit);

        let result = match String::from_utf8(header) {
            Ok(header) => signature::verify(&secret, &body, &header),
            Err(_) => Err(SignatureError::Malformed),
        };
        prop_assert!(matches!(result, Err(SignatureError::Mismatch | SignatureError::Malformed)), "{:?}", result);
    }

    #[test]
    fn aether_flipped_secret_bit_fails(secret in secret_strategy(), body in proptest::collection::vec(any::<u8>(), 0..512), bit in any::<usize>()) {
        let original = WebhookSecret::parse(&secret).expect("generated secrets are valid");
        let header = signature::sign(&original, &body);

        let mut changed = secret.into_bytes();
        let key_part = &mut changed["whsec_".len()..];
        flip_bit(key_part, bit);
        let Ok(changed) = String::from_utf8(changed) else { return Ok(()) };
        let Ok(changed) = WebhookSecret::parse(&changed) else { return Ok(()) };
        prop_assert_eq!(signature::verify(&changed, &body, &header), Err(SignatureError::Mismatch));
    }

    #[test]
    fn standard_sign_then_verify(secret in secret_strategy(), id in "[a-zA-Z0-9_]{1,32}", timestamp in 0_i64..4_000_000_000, body in proptest::collection::vec(any::<u8>(), 0..2048)) {
        let secret = WebhookSecret::parse(&secret).expect("generated secrets are valid");
        let header = standard::sign(&secret, &id, timestamp, &body).expect("base64 secret");
        let verified = standard::verify(&secret, &id, &timestamp.to_string(), &header, &body, timestamp, Some(300));
        prop_assert_eq!(verified, Ok(timestamp));
    }

    #[test]
    fn standard_flipped_body_bit_fails(secret in secret_strategy(), mut body in proptest::collection::vec(any::<u8>(), 1..512), bit in any::<usize>()) {
        let secret = WebhookSecret::parse(&secret).expect("generated secrets are valid");
        let header = standard::sign(&secret, "msg_1", 1_000, &body).expect("base64 secret");
        flip_bit(&mut body, bit);
        prop_assert_eq!(standard::verify(&secret, "msg_1", "1000", &header, &body, 1_000, None), Err(SignatureError::Mismatch));
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2_000))]

    /// The crate's own base64 reads secret keys exactly as the `base64` crate's strict standard
    /// engine does, on valid and invalid text alike.
    #[test]
    fn secret_key_decoding_matches_base64_crate(text in "[A-Za-z0-9+/=]{1,24}") {
        use base64::Engine as _;
        let expected = base64::engine::general_purpose::STANDARD.decode(&text).ok();

        let secret = WebhookSecret::parse(&format!("whsec_{text}")).expect("alphabet characters only");
        prop_assert_eq!(secret.standard_key().ok(), expected);
    }

    /// Generated secrets' keys round-trip through the crate's own base64.
    #[test]
    fn secret_key_round_trips(key in proptest::collection::vec(any::<u8>(), 1..64)) {
        let secret = WebhookSecret::parse(&format!("whsec_{}", base64_encode(&key))).expect("base64 is valid");
        prop_assert_eq!(secret.standard_key(), Ok(key));
    }
}
