// Runs the set-up command scripts/run.sh end to end, twice on the same local state:
//   1. with --once (building first): it plays the fixture, every event is verified by the sample
//      receiver, the failing endpoint's deliveries reach dead letters, and it exits 0;
//   2. interactively with --no-build: it reuses the endpoints registered by the first run, the
//      stream is delivered again, and Ctrl-C (SIGINT to its process group, as a terminal sends
//      it) stops every process it started, leaving nothing listening.
// Ports and state directories are fresh, so a demo already running on 8787 is not touched.

import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { fileURLToPath } from "node:url";

import { freePort, isListening, startProcess, waitFor } from "./support.mjs";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const FIXTURE = JSON.parse(readFileSync(new URL("../fixtures/day-of-events.json", import.meta.url), "utf8"));
/** Three attempts per delivery, so the failing endpoint's deliveries are dead-lettered quickly. */
const RETRY_SCHEDULE = "0s,1s,1s";
const ATTEMPTS = 3;
/** Events the failing endpoint subscribes to (scripts/demo/endpoints.mjs). */
const FAILING_EVENTS = ["post.published", "post.failed"];
const BUILD_AND_RUN_TIMEOUT_MS = 15 * 60_000;
const RUN_TIMEOUT_MS = 4 * 60_000;

function countLines(output, pattern) {
  return output.split("\n").filter((line) => pattern.test(line)).length;
}

describe("scripts/run.sh", () => {
  let directory;
  let env;
  let apiPort;
  let receiverPort;
  const started = [];

  before(async () => {
    directory = mkdtempSync(join(tmpdir(), "aether-run-"));
    apiPort = await freePort();
    receiverPort = await freePort();
    env = {
      ...process.env,
      AETHER_DEMO_PORT: String(apiPort),
      AETHER_DEMO_RECEIVER_PORT: String(receiverPort),
      AETHER_DEMO_PERSIST_DIR: join(directory, "wrangler-state"),
      AETHER_DEMO_STATE_DIR: join(directory, "demo-state"),
      AETHER_DEMO_RETRY_SCHEDULE: RETRY_SCHEDULE,
      AETHER_DEMO_TIMEOUT_SECONDS: "150",
    };
  });

  after(async () => {
    for (const demo of started) {
      await demo.stop("SIGINT", 30_000);
    }
    rmSync(directory, { recursive: true, force: true });
  });

  test("--once delivers the stream and exits 0", { timeout: BUILD_AND_RUN_TIMEOUT_MS }, async () => {
    const demo = startProcess("bash", ["scripts/run.sh", "--once"], { cwd: ROOT, env });
    started.push(demo);

    const code = await demo.exited;
    const output = demo.output();

    assert.equal(code, 0, output);
    assert.match(output, /organization\s+org_dev/);
    assert.match(output, /API key\s+aether_dev_local_key/);
    assert.match(output, /intake secret\s+whsec_/);
    assert.match(output, new RegExp(`dashboard\\s+http://127\\.0\\.0\\.1:${apiPort}/dashboard`));
    assert.match(output, /production: 0s,5m,30m,2h,6h,12h/);
    assert.match(output, /created the receiver endpoint wh_/);
    assert.match(output, /created the failing endpoint wh_/);

    const failing = FIXTURE.filter((event) => FAILING_EVENTS.includes(event.event)).length;
    assert.equal(countLines(output, /^\[intake\] +202 accepted/), FIXTURE.length);
    assert.equal(countLines(output, /^\[receiver\] ✓ verified/), FIXTURE.length);
    assert.equal(countLines(output, /^\[receiver\] ✗ rejected/), 0);
    assert.equal(countLines(output, /^\[retry\] +✗ failing/), failing * ATTEMPTS);
    assert.equal(countLines(output, /^\[dead letter\] failing/), failing);
    assert.match(output, /all 39 events were delivered to the receiver and verified/);

    assert.equal(await isListening(apiPort), false, "the Worker stopped");
    assert.equal(await isListening(receiverPort), false, "the receiver stopped");
  });

  test("second run reuses the endpoints and Ctrl-C stops everything", { timeout: RUN_TIMEOUT_MS }, async () => {
    const demo = startProcess("bash", ["scripts/run.sh", "--no-build"], { cwd: ROOT, env });

    started.push(demo);
    await waitFor(() => {
      assert.ok(demo.isRunning(), `run.sh exited early:\n${demo.output()}`);
      return /all 39 events were delivered to the receiver and verified/.test(demo.output());
    }, { timeoutMs: RUN_TIMEOUT_MS - 30_000, intervalMs: 500, message: "the stream to be delivered" });
    const dashboard = await fetch(`http://127.0.0.1:${apiPort}/dashboard`);
    assert.equal(dashboard.status, 200, "the dashboard is served while the demo runs");

    const output = demo.output();
    assert.match(output, /reusing the receiver endpoint wh_/);
    assert.match(output, /reusing the failing endpoint wh_/);
    assert.doesNotMatch(output, /created the receiver endpoint/);
    assert.equal(countLines(output, /^\[receiver\] ✓ verified/), FIXTURE.length);
    assert.match(output, /Everything keeps running/);

    const code = await demo.stop("SIGINT", 30_000);

    assert.equal(code, 130, demo.output());
    assert.match(demo.output(), /stopped the Worker and the receiver/);
    assert.equal(await isListening(apiPort), false, "the Worker stopped");
    assert.equal(await isListening(receiverPort), false, "the receiver stopped");
  });
});
