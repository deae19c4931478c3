// The management API under workerd: authentication, validation errors, the 10-endpoint limit
// under concurrent creates, and the webhook lifecycle. Every response is checked against
// worker/openapi.json.

import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";

import { OTHER_API_KEY, QUEUE_CONSUMER, startReceiver, startWorker, wranglerToml } from "./harness.mjs";
import { assertResponseMatches, openapi } from "./openapi.mjs";

describe("management API", () => {
  let worker;
  let receiver;
  let url;

  before(async () => {
    worker = await startWorker();
    receiver = await startReceiver();
    url = receiver.route("/hook");
  });

  after(async () => {
    await worker?.dispose();
    await receiver?.close();
  });

  async function call(method, template, path, options) {
    const response = await worker.request(method, path, options);
    assertResponseMatches(method, template, response);
    return response;
  }

  async function deleteAll() {
    const listed = await call("GET", "/v1/webhooks", "/v1/webhooks");
    for (const webhook of listed.json.data) {
      await call("DELETE", "/v1/webhooks/{id}", `/v1/webhooks/${webhook.id}`);
    }
  }

  test("wrangler.toml matches the test harness", () => {
    const toml = wranglerToml();
    assert.match(toml, /^main = "worker\/build\/worker\/shim\.mjs"$/m);
    assert.match(toml, /name = "REGISTRY"\s*\nclass_name = "Registry"/);
    assert.match(toml, /name = "ENDPOINTS"\s*\nclass_name = "Endpoint"/);
    assert.match(toml, /new_sqlite_classes = \["Registry", "Endpoint"\]/);
    assert.match(toml, /binding = "EVENTS"\s*\nqueue = "aether-events"/);
    assert.match(toml, new RegExp(`max_batch_size = ${QUEUE_CONSUMER.maxBatchSize}\\b`));
    assert.match(toml, new RegExp(`max_batch_timeout = ${QUEUE_CONSUMER.maxBatchTimeout}\\b`));
    assert.match(toml, new RegExp(`max_retries = ${QUEUE_CONSUMER.maxRetries}\\b`));
    assert.match(toml, new RegExp(`dead_letter_queue = "${QUEUE_CONSUMER.deadLetterQueue}"`));
    const date = toml.match(/^compatibility_date = "(\d{4}-\d{2}-\d{2})"$/m);
    assert.ok(date, "compatibility_date is set");
    assert.ok(date[1] <= "2026-04-26", "compatibility_date is at or before 2026-04-26");
  });

  test("healthz, openapi.json and dashboard are served without a key", async () => {
    const health = await call("GET", "/healthz", "/healthz", { apiKey: null });
    assert.deepEqual(health.json, { ok: true });

    const document = await call("GET", "/openapi.json", "/openapi.json", { apiKey: null });
    assert.deepEqual(document.json, openapi);

    const dashboard = await worker.request("GET", "/dashboard", { apiKey: null });
    assert.equal(dashboard.status, 200);
    assert.match(dashboard.headers.get("content-type"), /^text\/html/);
    assert.match(dashboard.text, /<html/i);
  });

  test("missing or unknown API key is 401 unauthorized", async () => {
    for (const apiKey of [null, "not_a_key"]) {
      const response = await call("GET", "/v1/webhooks", "/v1/webhooks", { apiKey });
      assert.equal(response.status, 401);
      assert.equal(response.json.error.code, "unauthorized");
    }
    const malformed = await worker.request("GET", "/v1/webhooks", { apiKey: null, headers: { authorization: "Basic abc" } });
    assert.equal(malformed.json.error.code, "unauthorized");
  });

  test("create validation errors have their codes", async () => {
    const cases = [
      [{ url, events: [] }, 422, "no_events"],
      [{ url, events: ["post.deleted"] }, 422, "unknown_event"],
      [{ url: "ftp://example.com/hook", events: ["post.published"] }, 422, "invalid_url"],
      [{ url: "not a url", events: ["post.published"] }, 422, "invalid_url"],
      [{ events: ["post.published"] }, 422, "invalid_field"],
      [{ url, events: ["post.published"], filter: { platforms: "instagram" } }, 422, "invalid_field"],
      [{ url, events: ["post.published"], surprise: true }, 422, "invalid_field"],
      ["{not json", 400, "invalid_json"],
      ["", 400, "invalid_json"],
    ];
    for (const [body, status, code] of cases) {
      const response = await call("POST", "/v1/webhooks", "/v1/webhooks", { body });
      assert.equal(response.status, status, `${JSON.stringify(body)} → ${response.text}`);
      assert.equal(response.json.error.code, code, JSON.stringify(body));
      assert.ok(response.json.error.message.length > 10, "the message says what to do");
    }
  });

  test("oversized management body is 413", async () => {
    const response = await call("POST", "/v1/webhooks", "/v1/webhooks", { body: { url, events: ["post.published"], description: "x".repeat(70 * 1024) } });
    assert.equal(response.status, 413);
    assert.equal(response.json.error.code, "payload_too_large");
  });

  test("unknown routes and methods are answered with error bodies", async () => {
    const missing = await worker.request("GET", "/v2/nothing");
    assert.equal(missing.status, 404);
    assert.equal(missing.json.error.code, "route_not_found");

    const method = await worker.request("PUT", "/v1/webhooks");
    assert.equal(method.status, 405);
    assert.equal(method.json.error.code, "method_not_allowed");
    assert.equal(method.headers.get("allow"), "GET, POST");

    const badId = await call("GET", "/v1/webhooks/{id}", "/v1/webhooks/wh_NOPE");
    assert.equal(badId.status, 404);
    assert.equal(badId.json.error.code, "webhook_not_found");
  });

  test("webhook lifecycle: create, get, patch, list, delete", async () => {
    const created = await call("POST", "/v1/webhooks", "/v1/webhooks", {
      body: { url, events: ["post.published", "post.failed"], description: "production", filter: { platforms: ["instagram"] } },
    });
    assert.equal(created.status, 201);
    assert.match(created.json.secret, /^whsec_/);
    assert.equal(created.json.enabled, true);
    assert.equal(created.json.disabledReason, null);
    const id = created.json.id;

    const fetched = await call("GET", "/v1/webhooks/{id}", `/v1/webhooks/${id}`);
    assert.equal(fetched.json.secret, undefined, "the secret is shown only at creation");
    assert.deepEqual(fetched.json.filter, { platforms: ["instagram"] });

    const disabled = await call("PATCH", "/v1/webhooks/{id}", `/v1/webhooks/${id}`, { body: { enabled: false, description: null, filter: null } });
    assert.equal(disabled.json.enabled, false);
    assert.equal(disabled.json.disabledReason, "manual");
    assert.equal(disabled.json.description, null);
    assert.equal(disabled.json.filter, null);

    const enabled = await call("PATCH", "/v1/webhooks/{id}", `/v1/webhooks/${id}`, { body: { enabled: true, events: ["comment.created"] } });
    assert.equal(enabled.json.enabled, true);
    assert.equal(enabled.json.disabledReason, null);
    assert.deepEqual(enabled.json.events, ["comment.created"]);

    const invalid = await call("PATCH", "/v1/webhooks/{id}", `/v1/webhooks/${id}`, { body: { events: [] } });
    assert.equal(invalid.json.error.code, "no_events");

    const listed = await call("GET", "/v1/webhooks", "/v1/webhooks");
    assert.ok(listed.json.data.some((webhook) => webhook.id === id));

    const deleted = await call("DELETE", "/v1/webhooks/{id}", `/v1/webhooks/${id}`);
    assert.equal(deleted.status, 204);
    const gone = await call("GET", "/v1/webhooks/{id}", `/v1/webhooks/${id}`);
    assert.equal(gone.json.error.code, "webhook_not_found");
    const goneDeliveries = await call("GET", "/v1/webhooks/{id}/deliveries", `/v1/webhooks/${id}/deliveries`);
    assert.equal(goneDeliveries.json.error.code, "webhook_not_found");
  });

  test("another organization's webhook is not found", async () => {
    const created = await call("POST", "/v1/webhooks", "/v1/webhooks", { body: { url, events: ["post.published"] } });
    const id = created.json.id;

    for (const [method, template, suffix] of [
      ["GET", "/v1/webhooks/{id}", ""],
      ["PATCH", "/v1/webhooks/{id}", ""],
      ["DELETE", "/v1/webhooks/{id}", ""],
      ["GET", "/v1/webhooks/{id}/deliveries", "/deliveries"],
      ["GET", "/v1/webhooks/{id}/stats", "/stats"],
      ["POST", "/v1/webhooks/{id}/rotate-secret", "/rotate-secret"],
      ["POST", "/v1/webhooks/{id}/test", "/test"],
    ]) {
      const response = await call(method, template, `/v1/webhooks/${id}${suffix}`, { apiKey: OTHER_API_KEY, body: method === "PATCH" ? { enabled: false } : undefined });
      assert.equal(response.status, 404, `${method} ${suffix}`);
      assert.equal(response.json.error.code, "webhook_not_found");
    }

    const own = await call("GET", "/v1/webhooks/{id}", `/v1/webhooks/${id}`);
    assert.equal(own.json.enabled, true, "the other organization changed nothing");
    await deleteAll();
  });

  test("15 concurrent creates make exactly 10 endpoints", async () => {
    await deleteAll();

    const responses = await Promise.all(
      Array.from({ length: 15 }, (_, index) => call("POST", "/v1/webhooks", "/v1/webhooks", { body: { url: `${url}?n=${index}`, events: ["post.published"] } })),
    );

    const statuses = responses.map((response) => response.status).sort();
    assert.deepEqual(statuses, [...Array(10).fill(201), ...Array(5).fill(409)]);
    for (const response of responses.filter((response) => response.status === 409)) {
      assert.equal(response.json.error.code, "endpoint_limit_reached");
    }

    const listed = await call("GET", "/v1/webhooks", "/v1/webhooks");
    assert.equal(listed.json.data.length, 10);

    const eleventh = await call("POST", "/v1/webhooks", "/v1/webhooks", { body: { url, events: ["post.published"] } });
    assert.equal(eleventh.status, 409);

    const other = await call("POST", "/v1/webhooks", "/v1/webhooks", { apiKey: OTHER_API_KEY, body: { url, events: ["post.published"] } });
    assert.equal(other.status, 201, "the limit is per organization");

    await call("DELETE", "/v1/webhooks/{id}", `/v1/webhooks/${listed.json.data[0].id}`);
    const afterDelete = await call("POST", "/v1/webhooks", "/v1/webhooks", { body: { url, events: ["post.published"] } });
    assert.equal(afterDelete.status, 201, "deleting frees a slot");
    await deleteAll();
  });

  test("query and body parameters are checked", async () => {
    const created = await call("POST", "/v1/webhooks", "/v1/webhooks", { body: { url, events: ["post.published"] } });
    const id = created.json.id;

    for (const query of ["?limit=0", "?limit=101", "?status=lost", "?cursor=nonsense"]) {
      const response = await call("GET", "/v1/webhooks/{id}/deliveries", `/v1/webhooks/${id}/deliveries${query}`);
      assert.equal(response.status, 422, query);
      assert.equal(response.json.error.code, "invalid_field", query);
    }
    const hours = await call("GET", "/v1/webhooks/{id}/stats", `/v1/webhooks/${id}/stats?hours=49`);
    assert.equal(hours.json.error.code, "invalid_field");

    const overlap = await call("POST", "/v1/webhooks/{id}/rotate-secret", `/v1/webhooks/${id}/rotate-secret`, { body: { overlapHours: 169 } });
    assert.equal(overlap.json.error.code, "invalid_field");

    const testEvent = await call("POST", "/v1/webhooks/{id}/test", `/v1/webhooks/${id}/test`, { body: { event: "post.deleted" } });
    assert.equal(testEvent.json.error.code, "unknown_event");

    const replayRange = await call("POST", "/v1/webhooks/{id}/dead-letters/replay", `/v1/webhooks/${id}/dead-letters/replay`, { body: { since: "yesterday" } });
    assert.equal(replayRange.json.error.code, "invalid_field");

    const stats = await call("GET", "/v1/webhooks/{id}/stats", `/v1/webhooks/${id}/stats?hours=3`);
    assert.equal(stats.json.buckets.length, 3);

    const empty = await call("GET", "/v1/webhooks/{id}/dead-letters", `/v1/webhooks/${id}/dead-letters`);
    assert.deepEqual(empty.json, { data: [], nextCursor: null });

    const missing = await call("POST", "/v1/webhooks/{id}/dead-letters/{deliveryId}/replay", `/v1/webhooks/${id}/dead-letters/dlv_0000/replay`);
    assert.equal(missing.json.error.code, "delivery_not_found");
    await deleteAll();
  });
});
