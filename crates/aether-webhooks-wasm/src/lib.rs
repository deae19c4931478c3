//! WebAssembly bindings of [`aether_webhooks`] for the `@aether/webhooks` npm package.
//!
//! This crate is a thin shell. It converts JavaScript values into the core crate's types,
//! reads the clock when the caller passes none, and turns every core error into a
//! JavaScript `Error` whose `code` property is the core's stable code. Verification, payload
//! parsing and signing all happen in the core; the package's JavaScript decides which of
//! these functions a runtime calls.
//!
//! A delivery can be verified in two ways, because hosts differ in what they offer:
//! - [`host_mac`]: the host has already computed the HMAC with a fast native implementation
//!   (Node's `node:crypto`). The core only parses the signature headers and compares in
//!   constant time, so the body never has to be copied into WebAssembly memory.
//! - [`verify`]: the core computes the HMAC as well. Browsers and workerd use this path,
//!   because their only synchronous HMAC is the one compiled into this module.
//!
//! Bodies are not passed as arguments: the JavaScript side writes them into a buffer in
//! WebAssembly memory ([`body`]) and passes their length. Every function is exported to
//! JavaScript under a camelCase name.

pub mod body;
mod convert;
mod error;
pub mod host_mac;
pub mod payload;
pub mod secret;
pub mod sign;
pub mod verify;
