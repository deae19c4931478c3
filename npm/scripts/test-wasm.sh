#!/usr/bin/env bash
# Runs the WebAssembly bindings' tests (crates/aether-webhooks-wasm/tests) under Node and
# in headless Chromium. Needs the tools of scripts/ensure-tools.sh, Chromium included.
set -euo pipefail

scripts_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$scripts_dir/../../scripts/tool-env.sh"
source "$scripts_dir/wasm-env.sh"
crate="$AETHER_ROOT/crates/aether-webhooks-wasm"

command -v wasm-pack >/dev/null || { echo "test-wasm.sh: wasm-pack is missing: run scripts/ensure-tools.sh" >&2; exit 1; }
command -v chromedriver >/dev/null || { echo "test-wasm.sh: chromedriver is missing: run scripts/ensure-tools.sh" >&2; exit 1; }

wasm-pack test --mode no-install --node "$crate"
wasm-pack test --mode no-install --headless --chrome "$crate"
