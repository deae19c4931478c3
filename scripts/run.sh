#!/usr/bin/env bash
# Runs Aether Webhooks on this machine and shows it working. It installs the pinned tools, builds
# the Worker and the npm package, and starts the Worker with `wrangler dev` (local state on disk)
# and a sample receiver. It then registers two endpoints, one of which fails on purpose, plays a
# recorded day of events through signed intake, and prints every acceptance, verified delivery,
# retry and dead letter.
#
# Usage: scripts/run.sh [--once] [--no-build]
#   --once      exit 0 once the stream was delivered and the failing endpoint's deliveries reached
#               dead letters, 1 otherwise (same as AETHER_DEMO_EXIT_AFTER_STREAM=1)
#   --no-build  skip the tool check and both builds (use what is already built)
# Without --once it keeps running for you to explore the API and the dashboard; Ctrl-C stops
# every process it started.
#
# Settings (environment): AETHER_DEMO_PORT (Worker, default 8787), AETHER_DEMO_RECEIVER_PORT
# (default 8790), AETHER_DEMO_PERSIST_DIR (default .wrangler/state), AETHER_DEMO_STATE_DIR
# (default .demo-state), AETHER_DEMO_RETRY_SCHEDULE (default 0s,2s,4s,8s),
# AETHER_DEMO_TIMEOUT_SECONDS (--once only, default 180).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/tool-env.sh"
cd "$AETHER_ROOT"

once="${AETHER_DEMO_EXIT_AFTER_STREAM:-0}"
build=1
for argument in "$@"; do
    case "$argument" in
        --once) once=1 ;;
        --no-build) build=0 ;;
        -h|--help) sed -n '2,18p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "run.sh: unknown argument '$argument'; see scripts/run.sh --help" >&2; exit 2 ;;
    esac
done

PRODUCTION_RETRY_SCHEDULE="0s,5m,30m,2h,6h,12h"
API_KEY="aether_dev_local_key"
ORG_ID="org_dev"
# The local development intake secret; production sets its own with `wrangler secret put`.
INTAKE_SECRET="whsec_ZGV2LWludGFrZS1zZWNyZXQtZm9yLWxvY2FsLXVzZQ=="
PORT="${AETHER_DEMO_PORT:-8787}"
RECEIVER_PORT="${AETHER_DEMO_RECEIVER_PORT:-8790}"
PERSIST_DIR="${AETHER_DEMO_PERSIST_DIR:-.wrangler/state}"
STATE_DIR="${AETHER_DEMO_STATE_DIR:-.demo-state}"
RETRY_SCHEDULE="${AETHER_DEMO_RETRY_SCHEDULE:-0s,2s,4s,8s}"
API_URL="http://127.0.0.1:$PORT"
WRANGLER_LOG="$STATE_DIR/wrangler.log"
START_TIMEOUT_SECONDS=90

export AETHER_DEMO_API_URL="$API_URL" AETHER_DEMO_RECEIVER_PORT="$RECEIVER_PORT"
export AETHER_DEMO_STATE_DIR="$STATE_DIR" AETHER_API_KEY="$API_KEY" AETHER_INTAKE_SECRET="$INTAKE_SECRET"

step() { printf '\033[1m==> %s\033[0m\n' "$*"; }
fail() { printf 'run.sh: %s\n' "$*" >&2; exit 1; }

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# Polls an HTTP URL until it responds with 2xx, the process `pid` exits, or the deadline passes.
wait_for_http() {
    local url=$1 pid=$2 what=$3 deadline=$((SECONDS + START_TIMEOUT_SECONDS))
    until node -e 'fetch(process.argv[1], { signal: AbortSignal.timeout(2000) }).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))' "$url"; do
        kill -0 "$pid" 2>/dev/null || fail "$what exited while starting"
        [ "$SECONDS" -lt "$deadline" ] || fail "$what did not respond at $url within $START_TIMEOUT_SECONDS s"
        sleep 0.3
    done
}

# --- everything started below is stopped by PID on exit, Ctrl-C or termination ---
wrangler_pid="" receiver_pid="" play_pid=""

stop_all() {
    local status=$?
    trap - EXIT INT TERM
    set +e
    [ -n "$play_pid" ] && kill -TERM "$play_pid" 2>/dev/null
    [ -n "$receiver_pid" ] && kill -TERM "$receiver_pid" 2>/dev/null
    if [ -n "$wrangler_pid" ]; then
        # wrangler runs in its own process group (setsid) together with the workerd it spawns,
        # so signalling the group stops both.
        kill -TERM -- "-$wrangler_pid" 2>/dev/null
        local deadline=$((SECONDS + 10))
        while kill -0 "$wrangler_pid" 2>/dev/null && [ "$SECONDS" -lt "$deadline" ]; do sleep 0.2; done
        kill -KILL -- "-$wrangler_pid" 2>/dev/null
    fi
    for pid in $play_pid $receiver_pid $wrangler_pid; do wait "$pid" 2>/dev/null; done
    [ -n "$wrangler_pid$receiver_pid" ] && echo "[demo]     stopped the Worker and the receiver"
    exit "$status"
}
trap stop_all EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

port_in_use "$PORT" && fail "port $PORT is already in use; stop what listens there or set AETHER_DEMO_PORT"
port_in_use "$RECEIVER_PORT" && fail "port $RECEIVER_PORT is already in use; stop what listens there or set AETHER_DEMO_RECEIVER_PORT"

if [ "$build" = 1 ]; then
    step "checking the pinned tools"
    scripts/ensure-tools.sh --no-browser
    step "building the Worker"
    scripts/build-worker.sh
    step "building the npm package @aether/webhooks"
    npm/scripts/build.sh
fi
[ -f worker/build/worker/shim.mjs ] || fail "worker/build is missing; run without --no-build"

mkdir -p "$STATE_DIR" "$PERSIST_DIR"
step "starting the Worker on $API_URL (wrangler dev, state in $PERSIST_DIR, log in $WRANGLER_LOG)"
echo "    retry schedule for this demo: $RETRY_SCHEDULE (production: $PRODUCTION_RETRY_SCHEDULE)"
setsid wrangler dev --local --ip 127.0.0.1 --port "$PORT" --persist-to "$PERSIST_DIR" \
    --show-interactive-dev-session=false \
    --var "RETRY_SCHEDULE:$RETRY_SCHEDULE" --var "ALLOW_LOCAL_TARGETS:true" --var "INTAKE_SECRET:$INTAKE_SECRET" \
    >"$WRANGLER_LOG" 2>&1 </dev/null &
wrangler_pid=$!
wait_for_http "$API_URL/healthz" "$wrangler_pid" "wrangler dev (see $WRANGLER_LOG)"

step "registering the demo endpoints"
node scripts/demo/register.mjs

step "starting the sample receiver on http://127.0.0.1:$RECEIVER_PORT"
node scripts/demo/receiver.mjs &
receiver_pid=$!
wait_for_http "http://127.0.0.1:$RECEIVER_PORT/healthz" "$receiver_pid" "the sample receiver"

cat <<EOF

  Aether Webhooks is running locally.
    organization    $ORG_ID
    API key         $API_KEY            (Authorization: Bearer $API_KEY)
    intake secret   $INTAKE_SECRET
    API             $API_URL/v1/webhooks
    dashboard       $API_URL/dashboard
    OpenAPI         $API_URL/openapi.json

EOF

play_arguments=()
[ "$once" = 1 ] && play_arguments+=(--once)
node scripts/demo/play.mjs "${play_arguments[@]}" &
play_pid=$!
# `wait` returns as soon as a trapped signal arrives, so Ctrl-C stops everything at once.
set +e
wait "$play_pid"
play_status=$?
set -e
play_pid=""
exit "$play_status"
