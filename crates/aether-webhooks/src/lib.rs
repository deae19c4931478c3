//! Signing, verification, payload types and retry policy for Aether webhooks.
//!
//! Aether delivers each webhook as a JSON `POST` whose raw body is signed twice with the
//! endpoint's secret:
//!
//! - [`signature`]: the Aether scheme, `x-aether-signature: sha256=<hex HMAC-SHA256>`, keyed
//!   by the whole secret string;
//! - [`standard`]: the [Standard Webhooks](https://www.standardwebhooks.com/) scheme, so any
//!   Standard Webhooks library can verify a delivery too.
//!
//! The crate is `no_std` with `alloc` and reads no clock: functions that need the current
//! time take it as an argument. It is the one implementation behind the native Rust API, the
//! WebAssembly module of the npm package and the Cloudflare Worker that sends deliveries.
//!
//! ```
//! use aether_webhooks::{signature, WebhookSecret};
//!
//! let secret = WebhookSecret::parse("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")?;
//! let body = br#"{"event":"post.published"}"#;
//!
//! let header = signature::sign(&secret, body);
//! assert!(signature::verify(&secret, body, &header).is_ok());
//! # Ok::<(), Box<dyn core::error::Error>>(())
//! ```
//!
//! # Features
//! - `std` (default): builds `serde` and `serde_json` with their `std` support. Turn it off
//!   (`default-features = false`) for `wasm32-unknown-unknown` and bare-metal targets; the
//!   API is the same.
//! - `getrandom`: [`WebhookSecret::generate`]. On `wasm32-unknown-unknown` also enable
//!   `getrandom`'s `wasm_js` feature in the final binary.
#![no_std]

extern crate alloc;
#[cfg(feature = "std")]
extern crate std;

mod base64;
pub mod endpoint_url;
mod event;
mod hex;
mod macros;
pub mod payload;
mod platform;
pub mod retry;
mod secret;
pub mod signature;
mod signature_error;
pub mod standard;
mod timestamp;

pub use event::{EventType, UnknownEventType};
pub use payload::{Delivery, EventData, PayloadError};
pub use platform::Platform;
pub use secret::{SecretError, WebhookSecret};
pub use signature_error::SignatureError;
pub use timestamp::{Timestamp, TimestampError};

/// Runs the README's example as a doctest so it cannot drift from the API.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
