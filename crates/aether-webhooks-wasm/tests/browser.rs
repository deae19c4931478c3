//! The bindings' tests in a browser:
//! `wasm-pack test --headless --chrome crates/aether-webhooks-wasm`.

wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

mod support;
