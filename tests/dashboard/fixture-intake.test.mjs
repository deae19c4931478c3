// Plays tests/fixtures/day-of-events.json through the real Worker's signed intake. Every event must
// be accepted (202), and each delivered `data` must equal the fixture's. That second check shows
// the fixture matches the core crate's payload structs field for field, because the Worker parses
// `data` into them and serialises it again: a misspelled or unknown field would be dropped.
//
// Needs worker/build (scripts/build-worker.sh).

import assert from "node:assert/strict";
import { createHmac, timingSafeEqual } from "node:crypto";
import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import { after, before, describe, test } from "node:test";

import { newSecret, waitFor } from "./support.mjs";
import { DEV_API_KEY, DEV_ORG_ID, startWorker } from "./worker-harness.mjs";

const FIXTURE = JSON.parse(readFileSync(new URL("../fixtures/day-of-events.json", import.meta.url), "utf8"));
const INTAKE_SECRET = newSecret();

function aetherSignature(body, secret) {
  return `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;
}

/** Starts a receiver on 127.0.0.1 that keeps every delivery whose x-aether-signature verifies. */
function startRecordingReceiver() {
  const receiver = { secret: null, deliveries: [], rejected: 0 };
  const server = createServer((request, response) => {
    const chunks = [];
    request.on("data", (chunk) => chunks.push(chunk));
    request.on("end", () => {
      const body = Buffer.concat(chunks);
      const expected = Buffer.from(aetherSignature(body, receiver.secret ?? ""));
      const verified = String(request.headers["x-aether-signature"] ?? "")
        .split(",")
        .some((value) => Buffer.from(value.trim()).length === expected.length && timingSafeEqual(Buffer.from(value.trim()), expected));
      if (verified) {
        receiver.deliveries.push({ headers: request.headers, body: JSON.parse(body.toString("utf8")) });
      } else {
        receiver.rejected += 1;
      }
      response.writeHead(verified ? 200 : 401).end();
    });
  });

  return new Promise((resolve) => {
    server.listen(0, "127.0.0.1", () => {
      receiver.url = `http://127.0.0.1:${server.address().port}/hooks`;
      receiver.close = () => new Promise((done) => server.close(done));
      resolve(receiver);
    });
  });
}

describe("fixture through intake", () => {
  let worker;
  let receiver;
  let webhook;

  async function intake(payload) {
    const body = JSON.stringify(payload);
    const response = await fetch(`${worker.url}/v1/events`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-aether-signature": aetherSignature(body, INTAKE_SECRET) },
      body,
    });
    return { status: response.status, body: await response.json() };
  }

  before(async () => {
    receiver = await startRecordingReceiver();
    worker = await startWorker({
      vars: { RETRY_SCHEDULE: "0s,1s,1s", ALLOW_LOCAL_TARGETS: "true", INTAKE_SECRET },
    });

    const response = await fetch(`${worker.url}/v1/webhooks`, {
      method: "POST",
      headers: { authorization: `Bearer ${DEV_API_KEY}`, "content-type": "application/json" },
      body: JSON.stringify({
        url: receiver.url,
        events: [...new Set(FIXTURE.map((event) => event.event))],
      }),
    });
    assert.equal(response.status, 201);
    webhook = await response.json();
    receiver.secret = webhook.secret;
  });

  after(async () => {
    await worker?.dispose();
    await receiver?.close();
  });

  test("fixture is a day of org_dev in time order", () => {
    assert.ok(FIXTURE.length >= 30, `${FIXTURE.length} events`);
    assert.ok(FIXTURE.length <= 40, `${FIXTURE.length} events`);
    assert.equal(new Set(FIXTURE.map((event) => event.id)).size, FIXTURE.length, "ids are unique");
    for (const [index, event] of FIXTURE.entries()) {
      assert.equal(event.orgId, DEV_ORG_ID, event.id);
      if (index > 0) {
        assert.ok(event.occurredAt >= FIXTURE[index - 1].occurredAt, `${event.id} is in time order`);
      }
    }
    assert.equal(new Set(FIXTURE.map((event) => event.event)).size, 8, "all eight event types");
    assert.equal(new Set(FIXTURE.map((event) => event.data.platform)).size, 7, "all seven platforms");
  });

  test("intake accepts every fixture event", async () => {
    for (const event of FIXTURE) {
      const result = await intake(event);

      assert.equal(result.status, 202, `${event.id}: ${JSON.stringify(result.body)}`);
      assert.equal(result.body.eventId, event.id);
    }
  });

  test("deliveries carry the fixture's data unchanged", async () => {
    await waitFor(() => receiver.deliveries.length >= FIXTURE.length, {
      timeoutMs: 60_000,
      message: `${FIXTURE.length} verified deliveries (have ${receiver.deliveries.length})`,
    });

    assert.equal(receiver.rejected, 0);
    for (const event of FIXTURE) {
      const candidates = receiver.deliveries.filter((delivery) => delivery.body.event === event.event && subjectOf(delivery.body.data) === subjectOf(event.data));
      const exact = candidates.filter((delivery) => isSameData(delivery.body.data, event.data));
      if (exact.length === 0) {
        assert.ok(candidates.length > 0, `${event.id} was delivered`);
        assert.deepStrictEqual(candidates[0].body.data, event.data, `${event.id} kept its data`);
      }
      assert.equal(exact.length, 1, `${event.id} was delivered once`);
      assert.equal(exact[0].headers["x-aether-event"], event.event);
      assert.equal(exact[0].body.webhookId, webhook.id);
    }
  });

  test("intake accepts the fixture as one batch", async () => {
    const events = FIXTURE.map((event) => ({ ...event, id: `${event.id}_batch` }));

    const result = await intake({ events });

    assert.equal(result.status, 202, JSON.stringify(result.body));
    assert.deepEqual(result.body.eventIds, events.map((event) => event.id));
  });
});

/** Returns the id an event is about: its comment, message or post. */
function subjectOf(data) {
  return data.commentId ?? data.messageId ?? data.postId;
}

function isSameData(delivered, expected) {
  try {
    assert.deepStrictEqual(delivered, expected);
    return true;
  } catch {
    return false;
  }
}
