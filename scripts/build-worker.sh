#!/usr/bin/env bash
# Builds the Worker (worker/) with worker-build into worker/build/: index.js, index_bg.wasm and
# worker/shim.mjs, the entry point wrangler.toml and the tests load.
#
# It installs the pinned tools first when they are missing (scripts/ensure-tools.sh), points
# worker-build at them so it downloads nothing, and skips the build when no input changed
# since the last successful one. Pass --force to build anyway.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/tool-env.sh"

force=0
[ "${1:-}" = "--force" ] && force=1

"$AETHER_ROOT/scripts/ensure-tools.sh" --no-browser

worker_dir="$AETHER_ROOT/worker"
build_dir="$worker_dir/build"
stamp="$build_dir/.inputs.sha256"

# Everything the build reads: the Worker's sources, the core crate, the manifests, the lock
# file and the tool versions.
inputs_digest() {
    {
        find "$worker_dir/src" "$worker_dir/assets" "$AETHER_ROOT/crates/aether-webhooks/src" -type f -print0 | sort -z | xargs -0 sha256sum
        sha256sum "$worker_dir/Cargo.toml" "$worker_dir/openapi.json" "$AETHER_ROOT/crates/aether-webhooks/Cargo.toml" "$AETHER_ROOT/Cargo.toml"
        [ -f "$AETHER_ROOT/Cargo.lock" ] && sha256sum "$AETHER_ROOT/Cargo.lock"
        echo "worker-build $WORKER_BUILD_VERSION wasm-bindgen $WASM_BINDGEN_VERSION"
    } | sha256sum | cut -d' ' -f1
}

digest="$(inputs_digest)"
if [ "$force" = 0 ] && [ -f "$stamp" ] && [ -f "$build_dir/worker/shim.mjs" ] && [ "$(cat "$stamp")" = "$digest" ]; then
    echo "worker/build is up to date (inputs unchanged since the last build)"
    exit 0
fi

echo "==> building the Worker with worker-build $WORKER_BUILD_VERSION (release)"
(cd "$worker_dir" && worker-build --release)

for output in index.js index_bg.wasm worker/shim.mjs; do
    if [ ! -s "$build_dir/$output" ]; then
        echo "error: worker-build finished but $build_dir/$output is missing" >&2
        exit 1
    fi
done
echo "$digest" > "$stamp"
echo "built worker/build ($(du -k "$build_dir/index_bg.wasm" | cut -f1) KiB of wasm)"
