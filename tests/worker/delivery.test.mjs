// Deliveries under workerd against a real receiver on 127.0.0.1 that verifies every request in
// both signature schemes: retries, dead letters and replay, 410, redirects, timeouts, secret
// rotation, test sends, listing, stats and log hygiene.

import assert from "node:assert/strict";
import { after, before, beforeEach, describe, test } from "node:test";

import { publishedEvent, startReceiver, startWorker, waitFor } from "./harness.mjs";
import { assertPayloadMatches, assertResponseMatches } from "./openapi.mjs";

describe("deliveries", () => {
  let worker;
  let receiver;
  let pathNumber = 0;

  before(async () => {
    worker = await startWorker();
    receiver = await startReceiver();
  });

  after(async () => {
    await worker?.dispose();
    await receiver?.close();
  });

  beforeEach(async () => {
    const listed = await worker.request("GET", "/v1/webhooks");
    for (const webhook of listed.json.data) {
      await worker.request("DELETE", `/v1/webhooks/${webhook.id}`);
    }
  });

  /** Registers a webhook for a new receiver path with `behave`; returns { id, path, secret }. */
  async function endpoint(behave, events = ["post.published"]) {
    pathNumber += 1;
    const path = `/receiver-${pathNumber}`;
    const url = receiver.route(path, { behave });
    const created = await worker.createWebhook({ url, events });
    assert.equal(created.status, 201, created.text);
    receiver.setSecrets(path, [created.json.secret]);
    return { id: created.json.id, path, secret: created.json.secret };
  }

  async function call(method, template, path, options) {
    const response = await worker.request(method, path, options);
    assertResponseMatches(method, template, response);
    return response;
  }

  async function onlyDelivery(id, status) {
    return waitFor(
      async () => {
        const deliveries = await worker.deliveries(id);
        return deliveries.length === 1 && deliveries[0].status === status && deliveries[0];
      },
      { message: `the delivery of ${id} to become ${status}`, timeoutMs: 30_000 },
    );
  }

  test("delivery verifies under both schemes and carries the contract headers", async () => {
    const hook = await endpoint(() => ({ status: 204 }));

    const sent = await worker.sendEvents(publishedEvent());
    const delivery = await onlyDelivery(hook.id, "delivered");

    const [record] = receiver.on(hook.path);
    assert.deepEqual(record.aetherVerified, [true]);
    assert.deepEqual(record.standardVerified, [true]);
    assert.equal(record.method, "POST");
    assert.equal(record.headers["content-type"], "application/json");
    assert.match(record.headers["user-agent"], /^Aether-Webhooks\/\d+\.\d+\.\d+$/);
    assert.equal(record.headers["x-aether-event"], "post.published");
    assert.equal(record.headers["x-aether-delivery"], delivery.id);
    assert.equal(record.headers["webhook-id"], delivery.id);
    assert.ok(Math.abs(Number(record.headers["webhook-timestamp"]) - Date.now() / 1000) < 60);
    assertPayloadMatches(record.body);

    const body = JSON.parse(record.body);
    assert.deepEqual(Object.keys(body), ["event", "webhookId", "deliveredAt", "data"]);
    assert.equal(body.webhookId, hook.id);
    assert.equal(body.data.platformPostId, "17890123456789");
    assert.equal(delivery.eventId, sent.json.eventId);
    assert.deepEqual(delivery.attempts.map((attempt) => [attempt.attempt, attempt.status, attempt.errorClass]), [[1, 204, null]]);
  });

  test("receiver failing three times gets the delivery on attempt 4", async () => {
    const hook = await endpoint((attempt) => ({ status: attempt <= 3 ? 500 : 200 }));

    await worker.sendEvents(publishedEvent());
    const delivery = await onlyDelivery(hook.id, "delivered");

    assert.deepEqual(
      delivery.attempts.map((attempt) => [attempt.attempt, attempt.status, attempt.errorClass]),
      [[1, 500, "http"], [2, 500, "http"], [3, 500, "http"], [4, 200, null]],
    );
    const records = receiver.on(hook.path);
    assert.equal(records.length, 4);
    assert.ok(records.every((record) => record.headers["x-aether-delivery"] === delivery.id), "the delivery id is stable across attempts");
    assert.ok(records.every((record) => record.aetherVerified[0] && record.standardVerified[0]), "every attempt verifies");
    assert.equal(new Set(records.map((record) => JSON.parse(record.body).deliveredAt)).size, 4, "each attempt has its own deliveredAt");
  });

  test("always failing receiver: dead letter, replay", async () => {
    let healthy = false;
    const hook = await endpoint(() => ({ status: healthy ? 200 : 503 }));

    await worker.sendEvents(publishedEvent());
    const dead = await onlyDelivery(hook.id, "dead_letter");
    assert.equal(dead.attempts.length, 6);
    assert.equal(dead.nextAttemptAt, null);
    assert.ok(dead.attempts.every((attempt) => attempt.status === 503 && attempt.errorClass === "http"));

    const listed = await call("GET", "/v1/webhooks/{id}/dead-letters", `/v1/webhooks/${hook.id}/dead-letters`);
    assert.deepEqual(listed.json.data.map((delivery) => delivery.id), [dead.id]);
    const filtered = await call("GET", "/v1/webhooks/{id}/deliveries", `/v1/webhooks/${hook.id}/deliveries?status=dead_letter`);
    assert.equal(filtered.json.data.length, 1);

    const notDead = await endpoint(() => ({ status: 200 }));
    await call("POST", "/v1/webhooks/{id}/test", `/v1/webhooks/${notDead.id}/test`, { body: {} });
    const delivered = await onlyDelivery(notDead.id, "delivered");
    const wrongState = await call("POST", "/v1/webhooks/{id}/dead-letters/{deliveryId}/replay", `/v1/webhooks/${notDead.id}/dead-letters/${delivered.id}/replay`);
    assert.equal(wrongState.status, 409);
    assert.equal(wrongState.json.error.code, "not_dead_lettered");

    healthy = true;
    const replayed = await call("POST", "/v1/webhooks/{id}/dead-letters/{deliveryId}/replay", `/v1/webhooks/${hook.id}/dead-letters/${dead.id}/replay`);
    assert.equal(replayed.status, 202);
    assert.equal(replayed.json.delivery.id, dead.id);
    assert.equal(replayed.json.delivery.status, "pending");

    const redelivered = await onlyDelivery(hook.id, "delivered");
    assert.equal(redelivered.id, dead.id, "replay keeps the delivery id");
    assert.deepEqual(redelivered.attempts.at(-1), { ...redelivered.attempts.at(-1), attempt: 7, status: 200, errorClass: null });
    const last = receiver.on(hook.path).at(-1);
    assert.equal(last.headers["x-aether-delivery"], dead.id);
    assert.deepEqual(last.standardVerified, [true], "the replay has a fresh timestamp and signature");
  });

  test("bulk replay makes every dead letter of the range pending again", async () => {
    let healthy = false;
    const hook = await endpoint(() => ({ status: healthy ? 200 : 500 }));
    await worker.sendEvents({ events: [publishedEvent("org_dev", { id: "bulk-1" }), publishedEvent("org_dev", { id: "bulk-2" })] });
    await waitFor(async () => (await worker.deliveries(hook.id, "?status=dead_letter")).length === 2, { message: "two dead letters", timeoutMs: 30_000 });

    healthy = true;
    const future = await call("POST", "/v1/webhooks/{id}/dead-letters/replay", `/v1/webhooks/${hook.id}/dead-letters/replay`, { body: { since: "2999-01-01T00:00:00Z" } });
    assert.deepEqual(future.json, { replayed: 0 });
    const replayed = await call("POST", "/v1/webhooks/{id}/dead-letters/replay", `/v1/webhooks/${hook.id}/dead-letters/replay`, { body: {} });
    assert.deepEqual(replayed.json, { replayed: 2 });

    await waitFor(async () => (await worker.deliveries(hook.id, "?status=delivered")).length === 2, { message: "both replayed deliveries delivered", timeoutMs: 30_000 });
  });

  test("410 disables the webhook and stops deliveries", async () => {
    const hook = await endpoint(() => ({ status: 410 }));

    await worker.sendEvents(publishedEvent());
    const delivery = await onlyDelivery(hook.id, "dead_letter");
    assert.deepEqual(delivery.attempts.map((attempt) => attempt.status), [410]);

    const webhook = await waitFor(
      async () => {
        const response = await call("GET", "/v1/webhooks/{id}", `/v1/webhooks/${hook.id}`);
        return response.json.enabled === false && response.json;
      },
      { message: "the registry to show the webhook disabled" },
    );
    assert.equal(webhook.disabledReason, "endpoint_gone");

    const testSend = await call("POST", "/v1/webhooks/{id}/test", `/v1/webhooks/${hook.id}/test`, { body: {} });
    assert.equal(testSend.json.error.code, "webhook_disabled");

    const marker = await endpoint(() => ({ status: 200 }));
    await worker.sendEvents(publishedEvent());
    await onlyDelivery(marker.id, "delivered");
    assert.equal(receiver.on(hook.path).length, 1, "a disabled webhook receives nothing new");

    const enabled = await call("PATCH", "/v1/webhooks/{id}", `/v1/webhooks/${hook.id}`, { body: { enabled: true } });
    assert.equal(enabled.json.disabledReason, null);
  });

  test("a redirect counts as a failure and is not followed", async () => {
    const target = receiver.route("/redirect-target");
    const hook = await endpoint((attempt) => (attempt === 1 ? { status: 301, headers: { location: target } } : { status: 200 }));

    await worker.sendEvents(publishedEvent());
    const delivery = await onlyDelivery(hook.id, "delivered");

    assert.deepEqual(delivery.attempts.map((attempt) => [attempt.status, attempt.errorClass]), [[301, "redirect"], [200, null]]);
    assert.equal(receiver.on("/redirect-target").length, 0);
  });

  test("an attempt that times out is retried", async () => {
    const hook = await endpoint((attempt) => (attempt === 1 ? { status: 200, delayMs: 3_000 } : { status: 200 }));

    await worker.sendEvents(publishedEvent());
    const delivery = await onlyDelivery(hook.id, "delivered");

    assert.deepEqual(delivery.attempts.map((attempt) => [attempt.status, attempt.errorClass]), [[null, "timeout"], [200, null]]);
  });

  test("Retry-After of a 503 delays the retry", async () => {
    const hook = await endpoint((attempt) => (attempt === 1 ? { status: 503, headers: { "retry-after": "3" } } : { status: 200 }));

    await worker.sendEvents(publishedEvent());
    const waiting = await waitFor(
      async () => {
        const [delivery] = await worker.deliveries(hook.id);
        return delivery?.attempts.length === 1 && delivery;
      },
      { message: "the first attempt" },
    );
    const wait = Date.parse(waiting.nextAttemptAt) - Date.parse(waiting.attempts[0].at);
    assert.ok(wait >= 3_000, `retry ${wait} ms after the first attempt, expected at least the 3 s of Retry-After`);

    const delivered = await onlyDelivery(hook.id, "delivered");
    assert.deepEqual(delivered.attempts.map((attempt) => attempt.status), [503, 200]);
  });

  test("an unreachable endpoint is a connection failure", async () => {
    const created = await worker.createWebhook({ url: "http://127.0.0.1:9/closed", events: ["post.published"] });
    await worker.sendEvents(publishedEvent());

    const delivery = await waitFor(
      async () => {
        const [first] = await worker.deliveries(created.json.id);
        return first?.attempts.length >= 1 && first;
      },
      { message: "a first attempt" },
    );
    assert.equal(delivery.attempts[0].status, null);
    assert.equal(delivery.attempts[0].errorClass, "connection");
  });

  test("rotation signs with both secrets during the overlap", async () => {
    const hook = await endpoint(() => ({ status: 200 }));
    const rotated = await call("POST", "/v1/webhooks/{id}/rotate-secret", `/v1/webhooks/${hook.id}/rotate-secret`, { body: { overlapHours: 1 } });
    assert.match(rotated.json.secret, /^whsec_/);
    assert.notEqual(rotated.json.secret, hook.secret);
    const expiresIn = Date.parse(rotated.json.previousSecretExpiresAt) - Date.now();
    assert.ok(expiresIn > 55 * 60_000, `previous secret expires in ${expiresIn} ms, expected about an hour`);
    assert.ok(expiresIn <= 3_600_000, `previous secret expires in ${expiresIn} ms, expected at most an hour`);

    receiver.setSecrets(hook.path, [hook.secret, rotated.json.secret]);
    await worker.sendEvents(publishedEvent());
    await onlyDelivery(hook.id, "delivered");

    const record = receiver.on(hook.path).at(-1);
    assert.equal(record.headers["x-aether-signature"].split(",").length, 2);
    assert.equal(record.headers["webhook-signature"].split(" ").length, 2);
    assert.deepEqual(record.aetherVerified, [true, true], "old and new secrets verify the Aether header");
    assert.deepEqual(record.standardVerified, [true, true], "old and new secrets verify the Standard Webhooks headers");

    const immediate = await call("POST", "/v1/webhooks/{id}/rotate-secret", `/v1/webhooks/${hook.id}/rotate-secret`, { body: { overlapHours: 0 } });
    assert.equal(immediate.json.previousSecretExpiresAt, null);
    receiver.setSecrets(hook.path, [hook.secret, rotated.json.secret, immediate.json.secret]);
    await call("POST", "/v1/webhooks/{id}/test", `/v1/webhooks/${hook.id}/test`, { body: {} });
    await waitFor(() => receiver.on(hook.path).length === 2, { message: "the test delivery" });

    const latest = receiver.on(hook.path).at(-1);
    assert.deepEqual(latest.aetherVerified, [false, false, true], "without overlap only the newest secret signs");
    assert.deepEqual(latest.standardVerified, [false, false, true]);
  });

  test("test sends deliver sample data of any event type", async () => {
    const hook = await endpoint(() => ({ status: 200 }), ["post.published"]);

    const sent = await call("POST", "/v1/webhooks/{id}/test", `/v1/webhooks/${hook.id}/test`, { body: { event: "comment.created" } });
    assert.equal(sent.status, 202);
    assert.match(sent.json.deliveryId, /^dlv_/);

    await waitFor(() => receiver.on(hook.path).length === 1, { message: "the test delivery" });
    const record = receiver.on(hook.path)[0];
    assert.equal(record.headers["x-aether-event"], "comment.created");
    assert.equal(record.headers["x-aether-delivery"], sent.json.deliveryId);
    assertPayloadMatches(record.body);
    assert.deepEqual(record.aetherVerified, [true]);
  });

  test("lists page newest first and stats count attempts", async () => {
    const hook = await endpoint((attempt) => ({ status: attempt === 1 ? 500 : 200 }));
    await worker.sendEvents({ events: [1, 2, 3].map((n) => publishedEvent("org_dev", { id: `page-${n}` })) });
    await waitFor(async () => (await worker.deliveries(hook.id, "?status=delivered")).length === 3, { message: "three deliveries", timeoutMs: 30_000 });

    const seen = [];
    let cursor = null;
    do {
      const query = cursor ? `?limit=2&cursor=${encodeURIComponent(cursor)}` : "?limit=2";
      const page = await call("GET", "/v1/webhooks/{id}/deliveries", `/v1/webhooks/${hook.id}/deliveries${query}`);
      seen.push(...page.json.data);
      cursor = page.json.nextCursor;
    } while (cursor);
    assert.equal(seen.length, 3);
    assert.equal(new Set(seen.map((delivery) => delivery.id)).size, 3);
    const created = seen.map((delivery) => Date.parse(delivery.createdAt));
    assert.deepEqual(created, [...created].sort((a, b) => b - a), "newest first");

    const stats = await call("GET", "/v1/webhooks/{id}/stats", `/v1/webhooks/${hook.id}/stats?hours=2`);
    const buckets = stats.json.buckets;
    assert.equal(buckets.length, 2);
    assert.ok(Date.parse(buckets[0].start) < Date.parse(buckets[1].start), "oldest first");
    const total = (field) => buckets.reduce((sum, bucket) => sum + bucket[field], 0);
    assert.equal(total("delivered"), 3);
    assert.equal(total("retrying"), 1);
    assert.equal(total("deadLettered"), 0);
  });

  test("log lines carry no secret or body", async () => {
    const hook = await endpoint(() => ({ status: 200 }));
    const sent = await worker.sendEvents(publishedEvent("org_dev", { id: "logged-event" }));
    await onlyDelivery(hook.id, "delivered");

    const lines = worker.logs.map((line) => JSON.parse(line));
    const requests = lines.filter((line) => line.type === "request");
    const attempts = lines.filter((line) => line.type === "attempt" && line.eventId === "logged-event");
    assert.ok(requests.some((line) => line.path === "/v1/events" && line.status === sent.status && typeof line.durationMs === "number"));
    assert.equal(attempts.length, 1);
    assert.deepEqual(
      { webhookId: attempts[0].webhookId, event: attempts[0].event, attempt: attempts[0].attempt, status: attempts[0].status, decision: attempts[0].decision },
      { webhookId: hook.id, event: "post.published", attempt: 1, status: 200, decision: "delivered" },
    );

    const text = worker.logs.join("\n");
    assert.ok(!text.includes("whsec_"), "no secret in the logs");
    assert.ok(!text.includes("17890123456789"), "no event data in the logs");
    assert.ok(!text.includes(worker.vars.INTAKE_SECRET));
  });
});
