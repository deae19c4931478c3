# Sourced by the other scripts. It puts the project's pinned tools on PATH and gives
# wasm-pack and worker-build the paths of their helper binaries, so neither downloads its own.
# The tools live outside the checkout, so a fresh clone on the same machine reuses them.

AETHER_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
AETHER_TOOLS="${AETHER_TOOLS:-$HOME/.cache/aether-webhooks}"

WASM_BINDGEN_VERSION="0.2.130"
WASM_PACK_VERSION="0.15.1"
WORKER_BUILD_VERSION="0.8.7"

export AETHER_ROOT AETHER_TOOLS WASM_BINDGEN_VERSION WASM_PACK_VERSION WORKER_BUILD_VERSION
export PATH="$AETHER_TOOLS/bin:$AETHER_ROOT/node_modules/binaryen/bin:$AETHER_ROOT/node_modules/.bin:$HOME/.cargo/bin:$PATH"
export WASM_BINDGEN_BIN="$AETHER_TOOLS/bin/wasm-bindgen"
export WASM_OPT_BIN="$AETHER_ROOT/node_modules/binaryen/bin/wasm-opt"
export ESBUILD_BIN="$AETHER_ROOT/node_modules/esbuild/bin/esbuild"
export WRANGLER_SEND_METRICS=false
