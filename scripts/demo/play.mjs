// Plays the fixture through signed intake, then follows the deliveries to both demo endpoints.
//
// With --once it exits 0 as soon as every event reached the receiver (verified) and every
// delivery to the failing endpoint reached dead letters, and 1 when that does not happen before
// AETHER_DEMO_TIMEOUT_SECONDS. Without it, it keeps following deliveries until stopped, so
// replays started from the dashboard show up here too.

import { importAetherPackage } from "./aether-package.mjs";
import { createApiClient, requireEnv } from "./api.mjs";
import { readState } from "./endpoints.mjs";
import { loadFixture, playEvents } from "./intake.mjs";
import { EndpointWatch } from "./watch.mjs";

const POLL_INTERVAL_MS = 1000;
const PACE_MS = 150;
const DEFAULT_TIMEOUT_SECONDS = 180;

const once = process.argv.includes("--once");
const apiUrl = requireEnv("AETHER_DEMO_API_URL");
const receiverPort = requireEnv("AETHER_DEMO_RECEIVER_PORT");
const timeoutSeconds = Number(process.env.AETHER_DEMO_TIMEOUT_SECONDS ?? DEFAULT_TIMEOUT_SECONDS);
const request = createApiClient(apiUrl, requireEnv("AETHER_API_KEY"));
const { sign } = await importAetherPackage();
const state = readState(requireEnv("AETHER_DEMO_STATE_DIR"));

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Fetches both endpoints from the API, because the watch needs their current subscribed events. */
async function currentWebhooks() {
  const receiver = await request("GET", `/v1/webhooks/${state.receiver.id}`);
  const failing = await request("GET", `/v1/webhooks/${state.failing.id}`);
  return { receiver, failing };
}

function describeCounts(counts) {
  return Object.entries(counts)
    .filter(([, count]) => count > 0)
    .map(([status, count]) => `${count} ${status.replace("_", " ")}`)
    .join(", ") || "none";
}

function printSettled(receiverWatch, failingWatch) {
  console.log(`[demo]     ✓ all ${receiverWatch.expected.size} events were delivered to the receiver and verified`);
  console.log(`[demo]     ✓ all ${failingWatch.expected.size} deliveries to the failing endpoint reached dead letters`);
  if (once) {
    return;
  }
  console.log(`[demo]     Everything keeps running. Try:
             the dashboard    ${apiUrl}/dashboard (sign in with the API key above)
             a recovery       curl -X POST http://127.0.0.1:${receiverPort}/demo/recover
                              then "Replay all" on the failing endpoint in the dashboard
             stop             Ctrl-C`);
}

async function main() {
  const runTag = Date.now().toString(36);
  const events = loadFixture(runTag);
  const webhooks = await currentWebhooks();

  console.log(`[demo]     playing ${events.length} events of a recorded day through signed intake (run ${runTag})`);
  const { accepted, rejected } = await playEvents({
    request,
    sign,
    intakeSecret: requireEnv("AETHER_INTAKE_SECRET"),
    events,
    paceMs: once ? 0 : PACE_MS,
  });
  if (rejected.length > 0) {
    console.log(`[demo]     ✗ intake rejected ${rejected.length} of ${events.length} events; see the lines above`);
    if (once) {
      return 1;
    }
  }

  const receiverWatch = new EndpointWatch({ request, label: "receiver", webhook: webhooks.receiver, events: accepted, quietSuccess: true });
  const failingWatch = new EndpointWatch({ request, label: "failing", webhook: webhooks.failing, events: accepted, quietSuccess: false });
  const deadline = Date.now() + timeoutSeconds * 1000;
  let settled = false;
  let lastError = "";

  for (;;) {
    try {
      await receiverWatch.poll();
      await failingWatch.poll();
      lastError = "";
    } catch (error) {
      if (`${error}` !== lastError) {
        console.log(`[demo]     polling deliveries failed, retrying: ${error}`);
        lastError = `${error}`;
      }
    }

    if (!settled && receiverWatch.allIn("delivered") && failingWatch.allIn("dead_letter")) {
      settled = true;
      printSettled(receiverWatch, failingWatch);
      if (once) {
        return rejected.length === 0 ? 0 : 1;
      }
    }
    if (once && Date.now() > deadline) {
      console.log(`[demo]     ✗ not settled after ${timeoutSeconds} s`);
      console.log(`[demo]       receiver: ${describeCounts(receiverWatch.counts())} (expected ${receiverWatch.expected.size} delivered)`);
      console.log(`[demo]       failing:  ${describeCounts(failingWatch.counts())} (expected ${failingWatch.expected.size} dead letter)`);
      return 1;
    }
    await sleep(POLL_INTERVAL_MS);
  }
}

try {
  process.exitCode = await main();
} catch (error) {
  console.error(`[demo]     ✗ ${error}`);
  process.exitCode = 1;
}
