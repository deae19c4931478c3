//! Test support shared by the Node and browser test crates: the shared signature vectors
//! of `tests/vectors/signatures.json` and helpers to read the errors the bindings throw.

#![allow(dead_code, reason = "each test crate uses its own subset")]

mod cases;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use serde::Deserialize;
use wasm_bindgen::JsValue;

const VECTORS_JSON: &str = include_str!("../../../../tests/vectors/signatures.json");

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Vectors {
    pub aether: Vec<AetherCase>,
    pub standard: Vec<StandardCase>,
    pub aether_invalid: Vec<AetherInvalidCase>,
    pub standard_invalid: Vec<StandardInvalidCase>,
}

/// A case's body in one of the three forms the vectors file uses.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Body {
    body_utf8: Option<String>,
    body_base64: Option<String>,
    body_repeat: Option<Repeat>,
}

#[derive(Deserialize)]
pub struct Repeat {
    pattern: String,
    length: usize,
}

#[derive(Deserialize)]
pub struct AetherCase {
    pub name: String,
    pub secret: String,
    pub signature: String,
    #[serde(flatten)]
    pub body: Body,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StandardCase {
    pub name: String,
    pub secret: String,
    pub msg_id: String,
    pub timestamp: i64,
    pub signature: String,
    pub now: i64,
    pub tolerance_seconds: Option<u64>,
    #[serde(flatten)]
    pub body: Body,
}

#[derive(Deserialize)]
pub struct AetherInvalidCase {
    pub name: String,
    pub secret: String,
    pub header: String,
    pub code: String,
    #[serde(flatten)]
    pub body: Body,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StandardInvalidCase {
    pub name: String,
    pub secret: String,
    pub msg_id: String,
    pub timestamp_header: String,
    pub signature_header: String,
    pub now: i64,
    pub tolerance_seconds: Option<u64>,
    pub code: String,
    #[serde(flatten)]
    pub body: Body,
}

pub fn vectors() -> Vectors {
    serde_json::from_str(VECTORS_JSON).expect("tests/vectors/signatures.json matches its README")
}

impl Body {
    /// Returns the body's bytes.
    pub fn bytes(&self) -> Vec<u8> {
        if let Some(text) = &self.body_utf8 {
            return text.clone().into_bytes();
        }
        if let Some(encoded) = &self.body_base64 {
            return STANDARD
                .decode(encoded)
                .expect("bodyBase64 is standard base64");
        }
        let repeat = self
            .body_repeat
            .as_ref()
            .expect("a case has one of the three body fields");
        repeat.pattern.bytes().cycle().take(repeat.length).collect()
    }
}

/// Converts a vector's clock in Unix seconds to the milliseconds the bindings take.
pub fn millis(seconds: i64) -> Option<f64> {
    Some(seconds as f64 * 1_000.0)
}

/// Converts a vector's tolerance to the number the bindings take.
pub fn tolerance(seconds: Option<u64>) -> Option<f64> {
    seconds.map(|seconds| seconds as f64)
}

/// Returns the `code` property of an error the bindings threw.
pub fn code_of(error: &JsValue) -> String {
    js_sys::Reflect::get(error, &JsValue::from_str("code"))
        .expect("reading a property of an Error succeeds")
        .as_string()
        .expect("every error the bindings throw has a string code")
}
