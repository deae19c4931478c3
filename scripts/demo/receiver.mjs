// The demo's sample webhook receiver: a plain Node HTTP server on 127.0.0.1 that verifies every
// delivery with @aether/webhooks and prints the verified event.
//
// Routes:
//   POST /webhooks/aether   verifies with the receiver endpoint's secret and responds 200
//   POST /webhooks/failing  responds 503 on purpose until POST /demo/recover, then verifies too
//   POST /demo/recover      makes /webhooks/failing succeed (to see a replay get delivered)
//   POST /demo/fail         makes /webhooks/failing respond 503 again
//   GET  /healthz           responds 200 once the server listens

import { createServer } from "node:http";

import { importAetherPackage } from "./aether-package.mjs";
import { requireEnv } from "./api.mjs";
import { readState } from "./endpoints.mjs";

/** Largest request body read; Aether deliveries are far smaller. */
const MAX_BODY_BYTES = 1024 * 1024;
/** How many delivery ids are remembered to recognise redeliveries. */
const MAX_REMEMBERED_DELIVERIES = 10_000;
const MAX_PRINTED_TEXT = 70;

const { constructEvent } = await importAetherPackage();
const port = Number(requireEnv("AETHER_DEMO_RECEIVER_PORT"));
const state = readState(requireEnv("AETHER_DEMO_STATE_DIR"));
if (!state.receiver?.secret || !state.failing?.secret) {
  console.error("[receiver] no endpoint secrets saved yet: scripts/run.sh registers the endpoints before starting the receiver");
  process.exit(1);
}

const processed = new Set();
let failingRecovered = false;

function shorten(text) {
  const oneLine = text.replace(/\s+/g, " ");
  return oneLine.length > MAX_PRINTED_TEXT ? `${oneLine.slice(0, MAX_PRINTED_TEXT - 1)}…` : oneLine;
}

/** Describes the event's data in one line, the way a receiver's log might. */
function summarize({ event, data }) {
  switch (event) {
    case "post.scheduled":
      return `${data.platform} ${data.postId} for ${data.scheduledFor}`;
    case "post.publishing":
      return `${data.platform} ${data.postId}`;
    case "post.published":
      return `${data.platform} ${data.postId} → ${data.platformPostUrl}`;
    case "post.failed":
      return `${data.platform} ${data.postId}: ${data.error.code} "${shorten(data.error.message)}"`;
    case "post.cancelled":
      return `${data.platform} ${data.postId}${data.reason ? `: ${shorten(data.reason)}` : ""}`;
    case "comment.created":
      return `${data.platform} @${data.author.handle}: "${shorten(data.text)}"`;
    case "message.created":
      return `${data.platform} ${data.kind} from @${data.from.handle}: "${shorten(data.text)}"`;
    case "message.updated":
      return `${data.platform} ${data.messageId} is now ${data.status}`;
    default:
      return "(an event type this receiver does not know yet)";
  }
}

function remember(deliveryId) {
  if (processed.size >= MAX_REMEMBERED_DELIVERIES) {
    processed.delete(processed.values().next().value);
  }
  processed.add(deliveryId);
}

function readBody(request) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    request.on("data", (chunk) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new Error("body too large"));
        request.destroy();
        return;
      }
      chunks.push(chunk);
    });
    request.on("end", () => resolve(Buffer.concat(chunks)));
    request.on("error", reject);
  });
}

function answer(response, status, body) {
  response.writeHead(status, { "content-type": "application/json" });
  response.end(JSON.stringify(body));
}

/**
 * Verifies one delivery, prints it and responds 200. A delivery that fails verification gets 401
 * (400 for a malformed payload) with the package's error code.
 */
function receive(response, rawBody, headers, secret, label) {
  const deliveryId = headers["webhook-id"] ?? headers["x-aether-delivery"] ?? "(no delivery id)";
  let event;
  try {
    event = constructEvent(rawBody, headers, secret);
  } catch (error) {
    console.log(`[receiver] ✗ rejected ${deliveryId} on ${label}: ${error.code ?? error.name}: ${error.message}`);
    answer(response, error.code === "malformed_payload" ? 400 : 401, { error: { code: error.code ?? "invalid_request", message: error.message } });
    return;
  }

  const repeat = processed.has(deliveryId) ? " (redelivery, already processed)" : "";
  remember(deliveryId);
  console.log(`[receiver] ✓ verified ${event.event.padEnd(15)} ${deliveryId}${label === "failing" ? " on the failing endpoint" : ""}  ${summarize(event)}${repeat}`);
  answer(response, 200, { received: event.event, id: deliveryId });
}

async function handle(request, response) {
  const path = new URL(request.url, "http://127.0.0.1").pathname;

  if (request.method === "GET" && path === "/healthz") {
    answer(response, 200, { ok: true });
    return;
  }
  if (request.method === "POST" && (path === "/demo/recover" || path === "/demo/fail")) {
    failingRecovered = path === "/demo/recover";
    console.log(`[receiver] the failing endpoint now ${failingRecovered ? "verifies and responds 200" : "responds 503 again"}`);
    answer(response, 200, { failing: !failingRecovered });
    return;
  }
  if (request.method !== "POST" || (path !== "/webhooks/aether" && path !== "/webhooks/failing")) {
    answer(response, 404, { error: { code: "not_found", message: `no route for ${request.method} ${path}` } });
    return;
  }

  let rawBody;
  try {
    rawBody = await readBody(request);
  } catch {
    answer(response, 413, { error: { code: "payload_too_large", message: `bodies over ${MAX_BODY_BYTES} bytes are not read` } });
    return;
  }

  if (path === "/webhooks/aether") {
    receive(response, rawBody, request.headers, state.receiver.secret, "receiver");
  } else if (failingRecovered) {
    receive(response, rawBody, request.headers, state.failing.secret, "failing");
  } else {
    answer(response, 503, { error: { code: "unavailable_on_purpose", message: "this demo endpoint fails until POST /demo/recover" } });
  }
}

const server = createServer((request, response) => {
  handle(request, response).catch((error) => {
    console.error(`[receiver] handling ${request.method} ${request.url} failed: ${error.stack ?? error}`);
    if (!response.headersSent) {
      answer(response, 500, { error: { code: "receiver_error", message: "the demo receiver failed; see its output" } });
    }
  });
});

server.listen(port, "127.0.0.1", () => {
  console.log(`[receiver] listening on http://127.0.0.1:${port} (verifying with @aether/webhooks)`);
});
