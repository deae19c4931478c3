// The retry schedule across time and restarts. An alarm meant for minutes later does not fire at
// once. A delivery whose workerd stops in the middle of its retry schedule is still delivered
// by a new workerd on the same persisted state.

import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";

import { publishedEvent, startReceiver, startWorker, testVars, waitFor } from "./harness.mjs";

/** Resolves after `ms` of watching that `happened()` stays false; rejects as soon as it is true. */
async function staysFalseFor(happened, ms) {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    assert.equal(happened(), false);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe("retry schedule", () => {
  let receiver;
  let persistDir;

  before(async () => {
    receiver = await startReceiver();
    persistDir = mkdtempSync(join(tmpdir(), "aether-worker-state-"));
  });

  after(async () => {
    await receiver?.close();
    rmSync(persistDir, { recursive: true, force: true });
  });

  test("a retry five minutes later is scheduled five minutes later", async () => {
    const worker = await startWorker({ vars: testVars({ RETRY_SCHEDULE: "0s,5m" }) });
    try {
      const url = receiver.route("/five-minutes", { behave: () => ({ status: 500 }) });
      const created = await worker.createWebhook({ url, events: ["post.published"] });
      await worker.sendEvents(publishedEvent());

      const delivery = await waitFor(
        async () => {
          const [first] = await worker.deliveries(created.json.id);
          return first?.attempts.length === 1 && first;
        },
        { message: "the first attempt" },
      );
      const wait = Date.parse(delivery.nextAttemptAt) - Date.parse(delivery.attempts[0].at);
      assert.ok(wait >= 299_000, `next attempt ${wait} ms after the first, expected 5 minutes`);
      assert.ok(wait <= 301_000, `next attempt ${wait} ms after the first, expected 5 minutes`);

      // The alarm was re-armed for the retry: watching for a few seconds shows it did not
      // fire at once (an offset read as an absolute time, or the reverse, would).
      await staysFalseFor(() => receiver.on("/five-minutes").length > 1, 3_000);
      const [still] = await worker.deliveries(created.json.id);
      assert.equal(still.status, "pending");
      assert.equal(still.attempts.length, 1);
    } finally {
      await worker.dispose();
    }
  });

  test("a delivery survives workerd stopping in the middle of its schedule", async () => {
    let healthy = false;
    const url = receiver.route("/restart", { behave: () => ({ status: healthy ? 200 : 500 }) });
    const vars = testVars({ RETRY_SCHEDULE: "0s,3s,3s,3s,3s,3s" });

    const first = await startWorker({ vars, persistDir });
    let webhookId;
    try {
      const created = await first.createWebhook({ url, events: ["post.published"] });
      webhookId = created.json.id;
      await first.sendEvents(publishedEvent("org_dev", { id: "survives-restart" }));
      await waitFor(() => receiver.on("/restart").length >= 1, { message: "the first attempt before the restart" });
    } finally {
      await first.dispose();
    }

    const attemptsBefore = receiver.on("/restart").length;
    healthy = true;

    const second = await startWorker({ vars, persistDir });
    try {
      const delivered = await waitFor(
        async () => {
          const [delivery] = await second.deliveries(webhookId);
          return delivery?.status === "delivered" && delivery;
        },
        { message: "the delivery after the restart", timeoutMs: 30_000 },
      );

      assert.equal(delivered.eventId, "survives-restart");
      assert.ok(delivered.attempts.length > attemptsBefore, "the attempts before the restart are kept");
      assert.equal(delivered.attempts[0].status, 500);
      assert.equal(delivered.attempts.at(-1).status, 200);
      const ids = new Set(receiver.on("/restart").map((record) => record.headers["x-aether-delivery"]));
      assert.deepEqual([...ids], [delivered.id], "one delivery id across the restart");
    } finally {
      await second.dispose();
    }
  });
});
