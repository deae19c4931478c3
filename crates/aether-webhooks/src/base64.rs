//! Standard base64 with padding (RFC 4648, section 4), strict on input.
//!
//! The Standard Webhooks scheme needs base64 only for 32-byte digests and for the key part of a
//! secret. This small codec replaces the `base64` crate's general engine, which was the largest
//! dependency left in the npm package's WebAssembly module.

use alloc::string::String;
use alloc::vec;
use alloc::vec::Vec;

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Appends the padded standard base64 of `bytes` to `out`.
pub(crate) fn encode_into(bytes: &[u8], out: &mut String) {
    for chunk in bytes.chunks(3) {
        let group = (u32::from(chunk[0]) << 16)
            | (u32::from(chunk.get(1).copied().unwrap_or(0)) << 8)
            | u32::from(chunk.get(2).copied().unwrap_or(0));

        for position in 0..4 {
            if position <= chunk.len() {
                let index = (group >> (18 - 6 * position)) & 0x3f;
                out.push(char::from(ALPHABET[index as usize]));
            } else {
                out.push('=');
            }
        }
    }
}

/// Decodes padded standard base64 into a new vector.
///
/// Returns `None` unless `text` is canonical: a multiple of four characters from the standard
/// alphabet, `=` only as the last one or two characters, and unused trailing bits zero.
pub(crate) fn decode(text: &[u8]) -> Option<Vec<u8>> {
    let mut bytes = vec![0_u8; text.len() / 4 * 3];
    let length = decode_into(text, &mut bytes)?;
    bytes.truncate(length);
    Some(bytes)
}

/// Decodes canonical padded standard base64 into `out` and returns the number of bytes
/// written, or `None` for invalid input or an `out` that is too short.
pub(crate) fn decode_into(text: &[u8], out: &mut [u8]) -> Option<usize> {
    if !text.len().is_multiple_of(4) {
        return None;
    }

    let mut written = 0;
    let chunk_count = text.len() / 4;
    for (chunk_index, chunk) in text.chunks_exact(4).enumerate() {
        let is_last = chunk_index + 1 == chunk_count;
        let padding = match chunk {
            [_, _, b'=', b'='] if is_last => 2,
            [_, _, _, b'='] if is_last => 1,
            _ => 0,
        };

        let mut group = 0_u32;
        for &character in &chunk[..4 - padding] {
            group = (group << 6) | u32::from(sextet(character)?);
        }
        group <<= 6 * padding;

        let produced = 3 - padding;
        let unused_bits_set = group & ((1 << (8 * padding)) - 1) != 0;
        if unused_bits_set || written + produced > out.len() {
            return None;
        }
        for (offset, slot) in out[written..written + produced].iter_mut().enumerate() {
            *slot = (group >> (16 - 8 * offset)) as u8;
        }
        written += produced;
    }
    Some(written)
}

fn sextet(character: u8) -> Option<u8> {
    match character {
        b'A'..=b'Z' => Some(character - b'A'),
        b'a'..=b'z' => Some(character - b'a' + 26),
        b'0'..=b'9' => Some(character - b'0' + 52),
        b'+' => Some(62),
        b'/' => Some(63),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn encode(bytes: &[u8]) -> String {
        let mut text = String::new();
        encode_into(bytes, &mut text);
        text
    }

    #[test]
    fn encode_matches_rfc_4648_vectors() {
        let cases: [(&[u8], &str); 7] = [(b"", ""), (b"f", "Zg=="), (b"fo", "Zm8="), (b"foo", "Zm9v"), (b"foob", "Zm9vYg=="), (b"fooba", "Zm9vYmE="), (b"foobar", "Zm9vYmFy")];
        for (bytes, text) in cases {
            assert_eq!(encode(bytes), text);
            assert_eq!(decode(text.as_bytes()).as_deref(), Some(bytes), "{text}");
        }
    }

    #[test]
    fn decode_rejects_non_canonical_text() {
        for text in ["Zg", "Zg=", "Zh==", "Zm9=", "Z===", "=Zm9", "Zg==Zg==", "Zm9v\n", "Zm-v", "Zm_v", "Zm9v "] {
            assert_eq!(decode(text.as_bytes()), None, "{text:?}");
        }
    }

    #[test]
    fn decode_into_rejects_short_output() {
        let mut out = [0_u8; 2];
        assert_eq!(decode_into(b"Zm9v", &mut out), None);
        let mut out = [0_u8; 3];
        assert_eq!(decode_into(b"Zm9v", &mut out), Some(3));
    }
}
