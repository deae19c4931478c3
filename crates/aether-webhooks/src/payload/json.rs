//! A strict JSON reader (RFC 8259) that builds a small tree.
//!
//! It replaces serde_json's deserializer on the payload path. With the float formatting its
//! error messages reach, that deserializer was about 30 KB of the 73 KB gzipped WebAssembly
//! module (see docs/BENCHMARKS.md).
//! Numbers are checked against the JSON grammar and kept as their source text, because no
//! payload field is a float and the only integer field is read from that text.

use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

/// The deepest nesting of arrays and objects accepted. Payloads nest three levels, and the
/// limit keeps the recursive reader far from the end of the stack.
pub(crate) const MAX_DEPTH: usize = 64;

/// A JSON value. Strings are unescaped copies, and numbers borrow their text from the input.
///
/// Strings are copied even without escapes, because borrowing them where possible made the
/// WebAssembly module 0.1 KB larger gzipped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Json<'input> {
    Null,
    Bool(bool),
    /// The number's source text, valid by the JSON grammar.
    Number(&'input str),
    String(String),
    Array(Vec<Json<'input>>),
    /// The members in input order, duplicates included. [`Json::get`] makes the last one win.
    Object(Vec<(String, Json<'input>)>),
}

impl<'input> Json<'input> {
    /// Returns the value of the last member named `key` when `self` is an object.
    ///
    /// With a duplicate key the last member wins, as it does in JavaScript's `JSON.parse`.
    pub(crate) fn get(&self, key: &str) -> Option<&Json<'input>> {
        let Json::Object(members) = self else { return None };
        members.iter().rev().find(|(name, _)| name == key).map(|(_, value)| value)
    }
}

/// The position and reason of a JSON syntax error.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct SyntaxError {
    /// The byte offset of the first byte that does not fit, counted from the start of input.
    pub(crate) offset: usize,
    pub(crate) message: &'static str,
}

impl fmt::Display for SyntaxError {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(formatter, "{} at byte {}", self.message, self.offset)
    }
}

/// Parses `input` as exactly one JSON value with optional whitespace around it.
///
/// # Errors
/// Returns a [`SyntaxError`] when `input` is not valid UTF-8, starts with a byte order mark,
/// breaks the JSON grammar, nests deeper than [`MAX_DEPTH`] or has anything after the value.
pub(crate) fn parse(input: &[u8]) -> Result<Json<'_>, SyntaxError> {
    if input.starts_with("\u{feff}".as_bytes()) {
        return Err(SyntaxError { offset: 0, message: "a byte order mark is not allowed" });
    }
    let text = core::str::from_utf8(input)
        .map_err(|error| SyntaxError { offset: error.valid_up_to(), message: "invalid UTF-8" })?;

    let mut reader = Reader { text, position: 0 };
    let value = reader.value(0)?;

    reader.skip_whitespace();
    if reader.position < text.len() {
        return Err(reader.error("trailing characters after the JSON value"));
    }
    Ok(value)
}

struct Reader<'input> {
    text: &'input str,
    position: usize,
}

impl<'input> Reader<'input> {
    fn error(&self, message: &'static str) -> SyntaxError {
        SyntaxError { offset: self.position, message }
    }

    fn peek(&self) -> Option<u8> {
        self.text.as_bytes().get(self.position).copied()
    }

    fn skip_whitespace(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.position += 1;
        }
    }

    /// Consumes `literal` or fails with `message` at the current position.
    fn expect(&mut self, literal: &str, message: &'static str) -> Result<(), SyntaxError> {
        if self.text.as_bytes()[self.position..].starts_with(literal.as_bytes()) {
            self.position += literal.len();
            Ok(())
        } else {
            Err(self.error(message))
        }
    }

    /// Reads one value; `depth` counts the arrays and objects around it.
    fn value(&mut self, depth: usize) -> Result<Json<'input>, SyntaxError> {
        self.skip_whitespace();
        match self.peek() {
            None => Err(self.error("unexpected end of input, expected a value")),
            Some(b'n') => self.expect("null", "expected a value").map(|()| Json::Null),
            Some(b't') => self.expect("true", "expected a value").map(|()| Json::Bool(true)),
            Some(b'f') => self.expect("false", "expected a value").map(|()| Json::Bool(false)),
            Some(b'"') => self.string().map(Json::String),
            Some(b'-' | b'0'..=b'9') => self.number().map(Json::Number),
            Some(b'[') => self.array(depth + 1),
            Some(b'{') => self.object(depth + 1),
            Some(_) => Err(self.error("expected a value")),
        }
    }

    fn array(&mut self, depth: usize) -> Result<Json<'input>, SyntaxError> {
        if depth > MAX_DEPTH {
            return Err(self.error("arrays and objects nest too deeply"));
        }
        self.position += 1;

        let mut items = Vec::new();
        self.skip_whitespace();
        if self.peek() == Some(b']') {
            self.position += 1;
            return Ok(Json::Array(items));
        }
        loop {
            items.push(self.value(depth)?);
            if self.end_of_list(b']', "expected `,` or `]`")? {
                return Ok(Json::Array(items));
            }
        }
    }

    fn object(&mut self, depth: usize) -> Result<Json<'input>, SyntaxError> {
        if depth > MAX_DEPTH {
            return Err(self.error("arrays and objects nest too deeply"));
        }
        self.position += 1;

        let mut members = Vec::new();
        self.skip_whitespace();
        if self.peek() == Some(b'}') {
            self.position += 1;
            return Ok(Json::Object(members));
        }
        loop {
            self.skip_whitespace();
            if self.peek() != Some(b'"') {
                return Err(self.error("expected a string key"));
            }
            let key = self.string()?;

            self.skip_whitespace();
            self.expect(":", "expected `:` after the key")?;
            let value = self.value(depth)?;
            members.push((key, value));

            if self.end_of_list(b'}', "expected `,` or `}`")? {
                return Ok(Json::Object(members));
            }
        }
    }

    /// Consumes the `,` between items or the closing `close`, and returns whether it closed.
    fn end_of_list(&mut self, close: u8, message: &'static str) -> Result<bool, SyntaxError> {
        self.skip_whitespace();
        match self.peek() {
            Some(b',') => {
                self.position += 1;
                Ok(false)
            }
            Some(byte) if byte == close => {
                self.position += 1;
                Ok(true)
            }
            _ => Err(self.error(message)),
        }
    }

    /// Reads a number: `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`.
    fn number(&mut self) -> Result<&'input str, SyntaxError> {
        let start = self.position;

        if self.peek() == Some(b'-') {
            self.position += 1;
        }
        match self.peek() {
            Some(b'0') => self.position += 1,
            Some(b'1'..=b'9') => self.skip_digits(),
            _ => return Err(self.error("expected a digit")),
        }
        if matches!(self.peek(), Some(b'0'..=b'9')) {
            return Err(self.error("a number must not have a leading zero"));
        }

        if self.peek() == Some(b'.') {
            self.position += 1;
            self.require_digits()?;
        }

        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.position += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.position += 1;
            }
            self.require_digits()?;
        }

        Ok(&self.text[start..self.position])
    }

    fn require_digits(&mut self) -> Result<(), SyntaxError> {
        if !matches!(self.peek(), Some(b'0'..=b'9')) {
            return Err(self.error("expected a digit"));
        }
        self.skip_digits();
        Ok(())
    }

    fn skip_digits(&mut self) {
        while matches!(self.peek(), Some(b'0'..=b'9')) {
            self.position += 1;
        }
    }

    /// Reads a string starting at its opening quote.
    fn string(&mut self) -> Result<String, SyntaxError> {
        self.position += 1;

        let mut value = String::new();
        let mut run_start = self.position;
        loop {
            match self.peek() {
                None => return Err(self.error("unexpected end of input in a string")),
                Some(b'"') => break,
                Some(b'\\') => {
                    value.push_str(&self.text[run_start..self.position]);
                    let character = self.escape()?;
                    value.push(character);
                    run_start = self.position;
                }
                Some(0x00..=0x1f) => return Err(self.error("a control character must be escaped in a string")),
                Some(_) => self.position += 1,
            }
        }
        value.push_str(&self.text[run_start..self.position]);
        self.position += 1;

        Ok(value)
    }

    /// Reads an escape sequence starting at its backslash, including a `\uXXXX\uXXXX`
    /// surrogate pair.
    fn escape(&mut self) -> Result<char, SyntaxError> {
        let escape_start = self.position;
        self.position += 1;

        let Some(letter) = self.peek() else {
            return Err(self.error("unexpected end of input in a string"));
        };
        self.position += 1;
        let simple = match letter {
            b'"' => '"',
            b'\\' => '\\',
            b'/' => '/',
            b'b' => '\u{8}',
            b'f' => '\u{c}',
            b'n' => '\n',
            b'r' => '\r',
            b't' => '\t',
            b'u' => return self.unicode_escape(escape_start),
            _ => return Err(SyntaxError { offset: escape_start, message: "invalid escape in a string" }),
        };
        Ok(simple)
    }

    /// Reads the hex digits after `\u`, and a second `\uXXXX` when the first is a high
    /// surrogate.
    fn unicode_escape(&mut self, escape_start: usize) -> Result<char, SyntaxError> {
        let lone_surrogate = SyntaxError { offset: escape_start, message: "a lone UTF-16 surrogate in a string" };

        let first = self.hex4()?;
        let code_point = match first {
            0xd800..=0xdbff => {
                if self.expect("\\u", "").is_err() {
                    return Err(lone_surrogate);
                }
                let second = self.hex4()?;
                if !(0xdc00..=0xdfff).contains(&second) {
                    return Err(lone_surrogate);
                }
                0x1_0000 + ((first - 0xd800) << 10) + (second - 0xdc00)
            }
            0xdc00..=0xdfff => return Err(lone_surrogate),
            _ => first,
        };
        char::from_u32(code_point).ok_or(lone_surrogate)
    }

    fn hex4(&mut self) -> Result<u32, SyntaxError> {
        let mut value = 0;
        for _ in 0..4 {
            let digit = self.peek().and_then(|byte| char::from(byte).to_digit(16));
            let Some(digit) = digit else {
                return Err(self.error("expected four hex digits after `\\u`"));
            };
            value = value * 16 + digit;
            self.position += 1;
        }
        Ok(value)
    }
}

#[cfg(test)]
mod tests {
    use alloc::string::ToString;
    use alloc::vec;

    use super::*;

    fn parse_str(text: &str) -> Result<Json<'_>, SyntaxError> {
        parse(text.as_bytes())
    }

    fn string(text: &str) -> Json<'_> {
        Json::String(text.to_string())
    }

    #[test]
    fn scalars_parse() {
        assert_eq!(parse_str("null"), Ok(Json::Null));
        assert_eq!(parse_str(" true "), Ok(Json::Bool(true)));
        assert_eq!(parse_str("\t\r\nfalse\n"), Ok(Json::Bool(false)));
        assert_eq!(parse_str(r#""text""#), Ok(string("text")));
    }

    #[test]
    fn valid_numbers_keep_their_text() {
        for number in ["0", "-0", "1e5", "1E+5", "-12.5e-3", "0.25", "123456789012345678901234567890"] {
            assert_eq!(parse_str(number), Ok(Json::Number(number)), "{number}");
        }
    }

    #[test]
    fn invalid_numbers_are_errors() {
        let cases = [
            ("01", 1, "a number must not have a leading zero"),
            ("-01", 2, "a number must not have a leading zero"),
            ("-", 1, "expected a digit"),
            ("1.", 2, "expected a digit"),
            (".5", 0, "expected a value"),
            ("1e", 2, "expected a digit"),
            ("1e+", 3, "expected a digit"),
            ("+1", 0, "expected a value"),
            ("0x10", 1, "trailing characters after the JSON value"),
            ("NaN", 0, "expected a value"),
        ];
        for (text, offset, message) in cases {
            assert_eq!(parse_str(text), Err(SyntaxError { offset, message }), "{text}");
        }
    }

    #[test]
    fn escapes_are_decoded() {
        let parsed = parse_str(r#""a\"b\\c\/d\b\f\n\r\t\u00e9\u20AC""#);

        assert_eq!(parsed, Ok(Json::String("a\"b\\c/d\u{8}\u{c}\n\r\t\u{e9}\u{20ac}".to_string())));
    }

    #[test]
    fn surrogate_pair_is_one_character() {
        assert_eq!(parse_str(r#""\ud83d\ude00!""#), Ok(Json::String("😀!".to_string())));
        assert_eq!(parse_str(r#""\uD834\uDD1E""#), Ok(Json::String("𝄞".to_string())));
    }

    #[test]
    fn invalid_escapes_are_errors() {
        let cases = [
            (r#""\x""#, 1, "invalid escape in a string"),
            (r#""ab\'""#, 3, "invalid escape in a string"),
            (r#""\u12""#, 5, "expected four hex digits after `\\u`"),
            (r#""\u12G4""#, 5, "expected four hex digits after `\\u`"),
            (r#""\ud83d""#, 1, "a lone UTF-16 surrogate in a string"),
            (r#""\ud83dx""#, 1, "a lone UTF-16 surrogate in a string"),
            (r#""\ud83d\u0041""#, 1, "a lone UTF-16 surrogate in a string"),
            (r#""\ude00""#, 1, "a lone UTF-16 surrogate in a string"),
            ("\"\\", 2, "unexpected end of input in a string"),
        ];
        for (text, offset, message) in cases {
            assert_eq!(parse_str(text), Err(SyntaxError { offset, message }), "{text}");
        }
    }

    #[test]
    fn control_characters_must_be_escaped() {
        for text in ["\"a\nb\"", "\"\t\"", "\"\u{0}\"", "\"\u{1f}\""] {
            let error = parse_str(text).expect_err(text);
            assert_eq!(error.message, "a control character must be escaped in a string", "{text:?}");
        }
        assert_eq!(parse_str("\"\u{7f}\""), Ok(string("\u{7f}")));
    }

    #[test]
    fn containers_keep_member_order() {
        let parsed = parse_str(r#"{"b":[1,{}],"a":[],"c":{"d":null}}"#).expect("valid JSON");

        let expected = Json::Object(vec![
            ("b".to_string(), Json::Array(vec![Json::Number("1"), Json::Object(Vec::new())])),
            ("a".to_string(), Json::Array(Vec::new())),
            ("c".to_string(), Json::Object(vec![("d".to_string(), Json::Null)])),
        ]);
        assert_eq!(parsed, expected);
    }

    #[test]
    fn duplicate_key_last_wins() {
        let parsed = parse_str(r#"{"a":1,"b":2,"a":3}"#).expect("valid JSON");

        assert_eq!(parsed.get("a"), Some(&Json::Number("3")));
        assert_eq!(parsed.get("b"), Some(&Json::Number("2")));
        assert_eq!(parsed.get("c"), None);
    }

    #[test]
    fn escaped_key_matches() {
        let parsed = parse_str(r#"{"post\u0049d":"p"}"#).expect("valid JSON");

        assert_eq!(parsed.get("postId"), Some(&string("p")));
    }

    #[test]
    fn malformed_containers_are_errors() {
        let cases = [
            ("[1,]", 3, "expected a value"),
            (r#"{"a":1,}"#, 7, "expected a string key"),
            ("[1 2]", 3, "expected `,` or `]`"),
            (r#"{"a" 1}"#, 5, "expected `:` after the key"),
            (r#"{"a":1 "b":2}"#, 7, "expected `,` or `}`"),
            ("{1:2}", 1, "expected a string key"),
            ("[", 1, "unexpected end of input, expected a value"),
            (r#"{"a":"#, 5, "unexpected end of input, expected a value"),
            ("[1", 2, "expected `,` or `]`"),
            ("nul", 0, "expected a value"),
            ("tru", 0, "expected a value"),
        ];
        for (text, offset, message) in cases {
            assert_eq!(parse_str(text), Err(SyntaxError { offset, message }), "{text}");
        }
    }

    #[test]
    fn trailing_garbage_is_an_error() {
        assert_eq!(parse_str("{} x"), Err(SyntaxError { offset: 3, message: "trailing characters after the JSON value" }));
        assert_eq!(parse_str("1 2").map_err(|error| error.offset), Err(2));
        assert_eq!(parse_str("{}}").map_err(|error| error.offset), Err(2));
    }

    #[test]
    fn empty_input_is_an_error() {
        for text in ["", "   ", "\n"] {
            let error = parse_str(text).expect_err(text);
            assert_eq!(error.message, "unexpected end of input, expected a value", "{text:?}");
            assert_eq!(error.offset, text.len(), "{text:?}");
        }
    }

    #[test]
    fn byte_order_mark_is_an_error() {
        assert_eq!(parse_str("\u{feff}{}"), Err(SyntaxError { offset: 0, message: "a byte order mark is not allowed" }));
    }

    #[test]
    fn invalid_utf8_is_an_error() {
        assert_eq!(parse(b"\"ab\xff\""), Err(SyntaxError { offset: 3, message: "invalid UTF-8" }));
        assert_eq!(parse(b"\"\xed\xa0\x80\""), Err(SyntaxError { offset: 1, message: "invalid UTF-8" }));
    }

    #[test]
    fn nesting_up_to_the_limit_parses() {
        let text = "[".repeat(MAX_DEPTH) + &"]".repeat(MAX_DEPTH);

        assert!(parse_str(&text).is_ok());
    }

    #[test]
    fn nesting_past_the_limit_is_an_error() {
        let too_deep = "[".repeat(MAX_DEPTH + 1) + &"]".repeat(MAX_DEPTH + 1);
        let error = parse_str(&too_deep).expect_err("too deep");
        assert_eq!(error, SyntaxError { offset: MAX_DEPTH, message: "arrays and objects nest too deeply" });

        let very_deep = r#"{"a":"#.repeat(200_000) + &"[".repeat(200_000);
        let error = parse_str(&very_deep).expect_err("very deep");
        assert_eq!(error.message, "arrays and objects nest too deeply");
    }

    #[test]
    fn syntax_error_shows_byte_offset() {
        let error = parse_str(r#"{"a":}"#).expect_err("missing value");

        assert_eq!(error.to_string(), "expected a value at byte 5");
    }
}
