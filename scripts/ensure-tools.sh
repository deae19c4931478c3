#!/usr/bin/env bash
# Installs everything the build and the tests need, skipping what is already there.
# That is the wasm32 target and pinned wasm-bindgen-cli, wasm-pack and worker-build from
# crates.io. Then the npm packages of the workspace and of npm/, and Debian's Chromium with
# its driver for browser tests.
# Pass --no-browser to skip Chromium (the run command does not need it).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/tool-env.sh"

want_browser=1
[ "${1:-}" = "--no-browser" ] && want_browser=0

step() { printf '\033[1m==> %s\033[0m\n' "$*"; }

# Prints the version a tool reports, or nothing when it is missing. wasm-pack and
# wasm-bindgen print "NAME VERSION", worker-build prints the version alone.
installed_version() {
    "$AETHER_TOOLS/bin/$1" --version 2>/dev/null | awk '{print $NF}' || true
}

install_crate() {
    local crate=$1 binary=$2 version=$3 locked=$4
    if [ "$(installed_version "$binary")" = "$version" ]; then
        return
    fi
    step "installing $crate $version into $AETHER_TOOLS (once; a few minutes)"
    # wasm-bindgen-cli cannot use --locked: one of its locked dependency versions is
    # no longer on crates.io, so it resolves fresh versions instead.
    cargo install $locked --root "$AETHER_TOOLS" "$crate" --version "$version"
}

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    step "adding the wasm32-unknown-unknown target"
    rustup target add wasm32-unknown-unknown
fi

mkdir -p "$AETHER_TOOLS"
install_crate wasm-bindgen-cli wasm-bindgen "$WASM_BINDGEN_VERSION" ""
install_crate wasm-pack wasm-pack "$WASM_PACK_VERSION" --locked
install_crate worker-build worker-build "$WORKER_BUILD_VERSION" --locked

# The workspace's tools live in the top-level package, the npm package's build and test
# tools in npm/. Each is installed again only when its lock file changed.
for package_dir in "$AETHER_ROOT" "$AETHER_ROOT/npm"; do
    stamp="$package_dir/node_modules/.aether-lock-stamp"
    if [ ! -f "$stamp" ] || ! cmp -s "$package_dir/package-lock.json" "$stamp"; then
        step "installing the npm packages in $package_dir"
        (cd "$package_dir" && npm ci --no-audit --no-fund)
        cp "$package_dir/package-lock.json" "$stamp"
    fi
done

if [ "$want_browser" = 1 ] && { [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; }; then
    step "installing Debian's chromium and chromium-driver"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver
fi
