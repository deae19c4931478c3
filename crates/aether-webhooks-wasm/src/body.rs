//! The request body's buffer in WebAssembly memory.
//!
//! The package's JavaScript writes each body straight into this buffer and then passes only
//! its length: string bodies with `TextEncoder.encodeInto`, byte bodies with
//! `Uint8Array.set`. wasm-bindgen's own string passing copies ASCII one character at a time
//! in JavaScript, and `TextEncoder.encode` allocates and then needs a second copy. In
//! Chromium 156 on the project's machine, `encode` of a 64 KiB string ran 3–9 thousand times
//! a second against 15–19 thousand for `encodeInto`. The buffer keeps the largest capacity
//! requested so far, so a receiver pays for growing it once.

use core::cell::RefCell;

use wasm_bindgen::prelude::*;

thread_local! {
    static BODY: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
}

/// Makes the body buffer at least `capacity` bytes long and returns its address in
/// WebAssembly memory, where the caller writes the body before calling a function that
/// takes `body_length`.
///
/// The address stays valid until the next call of this function. Growing WebAssembly memory
/// replaces the JavaScript `ArrayBuffer` of `memory`, so the caller must create its view
/// after this call.
#[wasm_bindgen(js_name = reserveBody)]
#[must_use]
pub fn reserve_body(capacity: usize) -> *mut u8 {
    BODY.with_borrow_mut(|body| {
        if body.len() < capacity {
            body.resize(capacity, 0);
        }
        body.as_mut_ptr()
    })
}

/// Copies `bytes` into the body buffer and returns their length, for Rust callers such as
/// this crate's tests, which cannot write to WebAssembly memory the way JavaScript does.
#[must_use]
pub fn load_body(bytes: &[u8]) -> usize {
    BODY.with_borrow_mut(|body| {
        body.clear();
        body.extend_from_slice(bytes);
    });
    bytes.len()
}

/// Calls `action` with the first `body_length` bytes of the body buffer.
///
/// # Errors
/// Returns a JavaScript `Error` when `body_length` exceeds the reserved capacity, which
/// means the package's JavaScript did not call [`reserve_body`] first.
pub(crate) fn with_body<T>(
    body_length: usize,
    action: impl FnOnce(&[u8]) -> T,
) -> Result<T, JsValue> {
    BODY.with_borrow(|body| match body.get(..body_length) {
        Some(bytes) => Ok(action(bytes)),
        None => Err(js_sys::Error::new("the body length exceeds the reserved body buffer").into()),
    })
}
