//! Lowercase hexadecimal encoding of 32-byte digests.

const DIGITS: &[u8; 16] = b"0123456789abcdef";

/// Encodes a 32-byte digest as 64 lowercase hexadecimal digits.
pub(crate) fn encode(digest: &[u8; 32]) -> [u8; 64] {
    let mut text = [0_u8; 64];
    for (pair, byte) in text.chunks_exact_mut(2).zip(digest) {
        pair[0] = DIGITS[usize::from(byte >> 4)];
        pair[1] = DIGITS[usize::from(byte & 0x0f)];
    }
    text
}

/// Decodes exactly 64 lowercase hexadecimal digits; anything else is `None`.
///
/// Uppercase digits are rejected on purpose: Aether always sends lowercase, and the
/// documented hand-written verifier compares strings, so it would reject them too.
pub(crate) fn decode(text: &[u8]) -> Option<[u8; 32]> {
    if text.len() != 64 {
        return None;
    }

    let mut digest = [0_u8; 32];
    for (byte, pair) in digest.iter_mut().zip(text.chunks_exact(2)) {
        *byte = (nibble(pair[0])? << 4) | nibble(pair[1])?;
    }
    Some(digest)
}

fn nibble(digit: u8) -> Option<u8> {
    match digit {
        b'0'..=b'9' => Some(digit - b'0'),
        b'a'..=b'f' => Some(digit - b'a' + 10),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encode_then_decode_round_trips() {
        let digest: [u8; 32] = core::array::from_fn(|index| (index * 37) as u8);
        assert_eq!(decode(&encode(&digest)), Some(digest));
    }

    #[test]
    fn decode_rejects_wrong_length_and_digits() {
        let valid = [b'a'; 64];
        assert!(decode(&valid).is_some());
        assert_eq!(decode(&valid[..63]), None);
        assert_eq!(decode(&[b'a'; 65]), None);
        assert_eq!(decode(&[b'A'; 64]), None);
        assert_eq!(decode(&[b'g'; 64]), None);
    }
}
