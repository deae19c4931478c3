//! The bindings' tests under Node: `wasm-pack test --node crates/aether-webhooks-wasm`.

mod support;
