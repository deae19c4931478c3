# Sourced by build.sh and test-wasm.sh: the compiler settings of the WebAssembly module,
# so that the tests run the code that ships.

# WebAssembly SIMD selects sha2's simd128 backend, which raised verifications of 64 KiB
# bodies in workerd from 4.2k to 5.9k a second (npm run bench:runtimes). Node 18, workerd
# and current browsers have SIMD; browsers need Chrome 91, Firefox 89 or Safari 16.4.
export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS="-C target-feature=+simd128"

# Panic locations embed source paths in the module. Shortening the registry and checkout
# prefixes keeps the build machine's directories out of the published file.
for registry in "$HOME"/.cargo/registry/src/*/; do
    CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS+=" --remap-path-prefix=$registry=/"
done
CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS+=" --remap-path-prefix=$AETHER_ROOT/=/"

# Other flags than the rest of the workspace's wasm32 builds mean other artefacts, so this
# build keeps its own target directory instead of invalidating theirs.
export CARGO_TARGET_DIR="$AETHER_ROOT/target/npm-wasm"

# Link-time optimisation across the core, serde and sha2 removes what the exported
# functions never reach. Most code is built for size: at opt-level "s" the module was 76 KB
# gzipped, against 87 KB at opt-level 3 (both measured without simd128). The crates on the verification path (the core,
# hmac, sha2 and subtle) keep opt-level 3, which restores the SHA-256 throughput and the
# header parsing speed for 2 KB more. These settings override the workspace's release
# profile for these builds only.
export CARGO_PROFILE_RELEASE_LTO=true
export CARGO_PROFILE_RELEASE_CODEGEN_UNITS=1
export CARGO_PROFILE_RELEASE_OPT_LEVEL=s
wasm_speed_options=()
for crate in aether-webhooks hmac sha2 subtle; do
    wasm_speed_options+=(--config "profile.release.package.$crate.opt-level=3")
done
