#!/usr/bin/env bash
# Benchmarks the core crate's `signature::verify` against ring's HMAC-SHA256 verification in the
# same run, RUNS times (default 3), and prints the throughput ratio aether/ring for each body
# size as min / median / max. A ratio of 1.0 means as fast as ring.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/tool-env.sh"
cd "$AETHER_ROOT"

runs="${RUNS:-3}"
target_dir="${CARGO_TARGET_DIR:-$AETHER_ROOT/target}"
ratios_file="$(mktemp)"
trap 'rm -f "$ratios_file"' EXIT

for run in $(seq "$runs"); do
    echo "run $run of $runs" >&2
    cargo bench --locked -p aether-webhooks --bench verify -- --noplot >/dev/null
    for size in 1KiB 64KiB 1MiB; do
        node -e '
            const fs = require("node:fs");
            const [dir, size] = process.argv.slice(1);
            const mean = (name) => JSON.parse(fs.readFileSync(`${dir}/criterion/verify_${size}/${name}/new/estimates.json`)).mean.point_estimate;
            console.log(size, (mean("ring") / mean("aether")).toFixed(3));
        ' "$target_dir" "$size" >> "$ratios_file"
    done
done

echo "verify throughput, aether / ring (min / median / max of $runs runs):"
for size in 1KiB 64KiB 1MiB; do
    grep "^$size " "$ratios_file" | awk '{print $2}' | sort -n | awk -v size="$size" '
        { values[NR] = $1 }
        END { printf "  %-6s %s / %s / %s\n", size, values[1], values[int((NR + 1) / 2)], values[NR] }'
done
