// Intake under workerd: size cap, signature, JSON and event checks, batches, and that an event
// id sent twice is delivered once per endpoint.

import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";

import { publishedEvent, signAether, startReceiver, startWorker, waitFor } from "./harness.mjs";
import { assertPayloadMatches, assertResponseMatches } from "./openapi.mjs";

describe("intake", () => {
  let worker;
  let receiver;

  before(async () => {
    worker = await startWorker();
    receiver = await startReceiver();
  });

  after(async () => {
    await worker?.dispose();
    await receiver?.close();
  });

  async function post(body, headers) {
    const response = await worker.request("POST", "/v1/events", { body, apiKey: null, headers });
    assertResponseMatches("POST", "/v1/events", response);
    return response;
  }

  test("missing signature is 401 missing_signature", async () => {
    const response = await post(JSON.stringify(publishedEvent()), {});
    assert.equal(response.status, 401);
    assert.equal(response.json.error.code, "missing_signature");
  });

  test("wrong signature is 401 invalid_signature", async () => {
    const body = JSON.stringify(publishedEvent());
    for (const signature of [signAether("whsec_d3JvbmctaW50YWtlLXNlY3JldA==", body), signAether(worker.vars.INTAKE_SECRET, `${body} `), "sha256=zz", "v1,abc"]) {
      const response = await post(body, { "x-aether-signature": signature });
      assert.equal(response.status, 401, signature);
      assert.equal(response.json.error.code, "invalid_signature");
    }
  });

  test("body over 64 KiB is 413 before its signature is checked", async () => {
    const body = JSON.stringify(publishedEvent("org_dev", { padding: "x".repeat(64 * 1024) }));
    const response = await post(body, { "x-aether-signature": "sha256=unchecked" });
    assert.equal(response.status, 413);
    assert.equal(response.json.error.code, "payload_too_large");
  });

  test("signed but invalid content has its codes", async () => {
    const cases = [
      ["{not json", 400, "invalid_json"],
      [JSON.stringify({ ...publishedEvent(), event: "post.deleted" }), 422, "unknown_event"],
      [JSON.stringify({ ...publishedEvent(), data: { postId: "p" } }), 422, "invalid_event_data"],
      [JSON.stringify({ ...publishedEvent(), orgId: undefined }), 422, "invalid_field"],
      [JSON.stringify({ events: [] }), 422, "invalid_field"],
    ];
    for (const [body, status, code] of cases) {
      const response = await post(body, { "x-aether-signature": signAether(worker.vars.INTAKE_SECRET, body) });
      assert.equal(response.status, status, body);
      assert.equal(response.json.error.code, code, body);
    }
  });

  test("events reach subscribed endpoints only, and a batch is accepted whole", async () => {
    const instagram = receiver.route("/instagram");
    const comments = receiver.route("/comments");
    const everything = receiver.route("/everything");
    const a = await worker.createWebhook({ url: instagram, events: ["post.published"], filter: { platforms: ["instagram"], profileIds: ["ig_abc123"] } });
    const b = await worker.createWebhook({ url: comments, events: ["comment.created"] });
    const c = await worker.createWebhook({ url: everything, events: ["post.published", "comment.created"] });
    receiver.setSecrets("/instagram", [a.json.secret]);
    receiver.setSecrets("/comments", [b.json.secret]);
    receiver.setSecrets("/everything", [c.json.secret]);

    const tiktok = publishedEvent("org_dev", { id: "batch-tiktok" });
    tiktok.data = { ...tiktok.data, platform: "tiktok" };
    const accepted = await worker.sendEvents({ events: [publishedEvent("org_dev", { id: "batch-instagram" }), tiktok] });
    assert.equal(accepted.status, 202);
    assertResponseMatches("POST", "/v1/events", accepted);
    assert.deepEqual(accepted.json, { eventIds: ["batch-instagram", "batch-tiktok"] });

    await waitFor(() => receiver.on("/everything").length === 2, { message: "both events at /everything" });
    await waitFor(() => receiver.on("/instagram").length === 1, { message: "the instagram event at /instagram" });
    const delivered = receiver.on("/instagram")[0];
    assert.equal(JSON.parse(delivered.body).data.platform, "instagram");
    assert.deepEqual(delivered.aetherVerified, [true]);
    assertPayloadMatches(delivered.body);

    const single = await worker.sendEvents(publishedEvent("org_dev"));
    assert.equal(single.status, 202);
    assert.match(single.json.eventId, /^evt_[0-9a-f]{24}$/);
    await waitFor(() => receiver.on("/everything").length === 3, { message: "the single event at /everything" });
    assert.equal(receiver.on("/comments").length, 0, "comment.created only endpoint received no post event");

    for (const response of [a, b, c]) {
      await worker.request("DELETE", `/v1/webhooks/${response.json.id}`);
    }
  });

  test("the same event id sent twice gives one delivery per endpoint", async () => {
    const path = "/duplicates";
    const url = receiver.route(path);
    const created = await worker.createWebhook({ url, events: ["post.published"] });
    receiver.setSecrets(path, [created.json.secret]);
    const id = created.json.id;

    const event = publishedEvent("org_dev", { id: "post_xyz789:published" });
    assert.equal((await worker.sendEvents(event)).status, 202);
    assert.equal((await worker.sendEvents(event)).status, 202);

    // The consumer logs one fan_out line per queued event, so both copies are seen handed out.
    const fanOuts = () => worker.logs.filter((line) => line.startsWith("{")).map((line) => JSON.parse(line)).filter((line) => line.type === "fan_out" && line.eventId === event.id);
    await waitFor(() => fanOuts().length === 2, { message: "both copies handed out" });
    assert.deepEqual(fanOuts().map((line) => line.matched), [1, 1]);
    assert.deepEqual(fanOuts().map((line) => line.created).sort(), [0, 1]);

    const delivered = await waitFor(
      async () => {
        const deliveries = await worker.deliveries(id);
        return deliveries.length === 1 && deliveries[0].status === "delivered" && deliveries;
      },
      { message: "the delivery delivered" },
    );
    assert.equal(delivered[0].eventId, event.id);
    assert.equal(receiver.on(path).length, 1);
    await worker.request("DELETE", `/v1/webhooks/${id}`);
  });

  test("events of an organization without webhooks are accepted and dropped", async () => {
    const response = await worker.sendEvents(publishedEvent("org_without_webhooks"));
    assert.equal(response.status, 202);
  });
});
