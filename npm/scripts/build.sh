#!/usr/bin/env bash
# Builds the npm package into dist/: compiles crates/aether-webhooks-wasm with wasm-pack
# (into pkg/), then bundles one entry point per runtime with esbuild and copies the type
# declarations next to each. Needs the tools of scripts/ensure-tools.sh; downloads nothing.
set -euo pipefail

npm_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$npm_dir/../scripts/tool-env.sh"

fail() {
    echo "build.sh: $*" >&2
    exit 1
}

command -v wasm-pack >/dev/null || fail "wasm-pack is missing: run scripts/ensure-tools.sh from the repository root"
[ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" = "$WASM_BINDGEN_VERSION" ] ||
    fail "wasm-bindgen $WASM_BINDGEN_VERSION is missing: run scripts/ensure-tools.sh from the repository root"
[ -x "$WASM_OPT_BIN" ] || fail "wasm-opt from the npm package binaryen is missing: run scripts/ensure-tools.sh"
[ -x "$npm_dir/node_modules/.bin/esbuild" ] || fail "esbuild is missing: run npm ci in npm/"

source "$npm_dir/scripts/wasm-env.sh"

# --target web gives ES module glue with both an async init and initSync, which every
# entry point below can use. --mode no-install makes a missing tool an error instead of a
# download.
wasm-pack build --mode no-install --release --target web --no-typescript --no-pack \
    --out-dir "$npm_dir/pkg" "$AETHER_ROOT/crates/aether-webhooks-wasm" -- "${wasm_speed_options[@]}"

wasm_file="$npm_dir/pkg/aether_webhooks_wasm_bg.wasm"
rm -rf "$npm_dir/dist"
mkdir -p "$npm_dir/dist"/{node,browser,workerd,default}

bundle() {
    "$npm_dir/node_modules/.bin/esbuild" --bundle --log-level=warning --legal-comments=none "$@"
}

# Node: CommonJS with the module embedded, plus an ES module wrapper around it.
bundle "$npm_dir/src/entry-node.js" --outfile="$npm_dir/dist/node/index.cjs" \
    --format=cjs --platform=node --target=node18 --loader:.wasm=binary \
    --log-override:empty-import-meta=silent
cp "$npm_dir/src/entry-node.mjs" "$npm_dir/dist/node/index.mjs"

# workerd: an ES module that imports the .wasm file next to it as a compiled module.
bundle "$npm_dir/src/entry-workerd.js" --outfile="$npm_dir/dist/workerd/index.js" \
    --format=esm --platform=neutral --target=es2022 --external:./aether_webhooks_wasm_bg.wasm
cp "$wasm_file" "$npm_dir/dist/workerd/"

# Browsers: an ES module that fetches the .wasm file next to it.
bundle "$npm_dir/src/entry-browser.js" --outfile="$npm_dir/dist/browser/index.js" \
    --format=esm --platform=browser --target=es2022
cp "$wasm_file" "$npm_dir/dist/browser/"

# Everything else: an ES module with the module embedded.
bundle "$npm_dir/src/entry-default.js" --outfile="$npm_dir/dist/default/index.js" \
    --format=esm --platform=neutral --target=es2022 --loader:.wasm=binary

# The same declarations serve every entry point. TypeScript reads `.d.cts` as the types of a
# CommonJS module and `.d.mts` as those of an ES module.
cp "$npm_dir/src/index.d.ts" "$npm_dir/dist/node/index.d.cts"
cp "$npm_dir/src/index.d.ts" "$npm_dir/dist/node/index.d.mts"
for runtime in browser workerd default; do
    cp "$npm_dir/src/index.d.ts" "$npm_dir/dist/$runtime/index.d.ts"
done

raw_bytes=$(stat -c %s "$wasm_file")
gzip_bytes=$(gzip -9 -c "$wasm_file" | wc -c)
echo "build.sh: dist/ is ready; the wasm module is $raw_bytes bytes, $gzip_bytes gzipped"
