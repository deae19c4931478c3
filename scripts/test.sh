#!/usr/bin/env bash
# Runs every test of the project. That is the Rust workspace with a fuzz run of the header
# parsers, and the no_std wasm32 build of the core. Then the npm package in Node, Next.js,
# workerd and headless Chromium, and the Worker's integration tests under workerd. Last come
# the dashboard in Chromium, the run command end to end, and the trigger tool.
# Installs what it needs first and skips what is already installed, so a second run is fast.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/tool-env.sh"
cd "$AETHER_ROOT"

step() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }

step "checking and installing tools"
scripts/ensure-tools.sh

step "Rust workspace tests"
cargo test --workspace --locked

step "fuzz run of the header parsers (20,000 inputs per parser)"
PROPTEST_CASES=20000 cargo test --locked -p aether-webhooks --test header_fuzz

step "core crate builds for wasm32 without std and without getrandom"
cargo build --locked -p aether-webhooks --no-default-features --target wasm32-unknown-unknown
if cargo tree --locked -p aether-webhooks --no-default-features --target wasm32-unknown-unknown -e normal | grep -q getrandom; then
    echo "getrandom must not be a dependency of the no-default-features build" >&2
    exit 1
fi

step "npm package: build, Node, Next.js and workerd tests"
(cd npm && npm test)

step "npm package: wasm-bindgen tests in Node and headless Chromium"
npm/scripts/test-wasm.sh

step "Worker: build and integration tests under workerd"
scripts/build-worker.sh
npm run test:worker

step "dashboard, run command and trigger tool"
npm run test:dashboard
npm run test:trigger
