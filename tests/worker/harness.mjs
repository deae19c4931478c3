// Test harness for the Worker: starts the built Worker in workerd through the Miniflare API,
// runs a receiver on 127.0.0.1 that verifies every delivery independently, and offers small
// helpers (signed intake, API calls, polling against a deadline).
//
// Build the Worker first: scripts/build-worker.sh.

import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { createServer } from "node:http";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

import { Log, LogLevel, Miniflare } from "miniflare";
import { Webhook as StandardWebhook } from "standardwebhooks";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const shim = join(root, "worker", "build", "worker", "shim.mjs");

export const DEV_API_KEY = "aether_dev_local_key";
export const DEV_ORG = "org_dev";
export const OTHER_API_KEY = "aether_other_test_key";
export const OTHER_ORG = "org_other";

/** Settings that make retries and timeouts fast enough for tests. */
export const FAST_VARS = {
  RETRY_SCHEDULE: "0s,1s,1s,1s,1s,1s",
  ATTEMPT_TIMEOUT_MS: "1000",
  ALLOW_LOCAL_TARGETS: "true",
};

/** The consumer settings of wrangler.toml's [[queues.consumers]]. */
export const QUEUE_CONSUMER = { maxBatchSize: 100, maxBatchTimeout: 0, maxRetries: 10, deadLetterQueue: "aether-events-dlq" };

/** Returns the text of wrangler.toml. */
export function wranglerToml() {
  return readFileSync(join(root, "wrangler.toml"), "utf8");
}

/** Reads the string values of the [vars] table of wrangler.toml. */
export function wranglerVars() {
  const text = wranglerToml();
  const section = text.split(/^\[vars\]\s*$/m)[1]?.split(/^\[/m)[0] ?? "";
  const vars = {};
  for (const line of section.split("\n")) {
    const match = line.match(/^([A-Z_]+)\s*=\s*(?:"([^"]*)"|'([^']*)')\s*$/);
    if (match) {
      vars[match[1]] = match[2] ?? match[3];
    }
  }
  return vars;
}

function sha256Hex(text) {
  return createHash("sha256").update(text).digest("hex");
}

/** Returns the vars of wrangler.toml with fast test settings and a second organization's key. */
export function testVars(overrides = {}) {
  const vars = { ...wranglerVars(), ...FAST_VARS, ...overrides };
  const keys = JSON.parse(vars.API_KEY_HASHES);
  keys[sha256Hex(OTHER_API_KEY)] = OTHER_ORG;
  vars.API_KEY_HASHES = JSON.stringify(keys);
  return vars;
}

/**
 * Starts the built Worker. `persistDir` keeps Durable Object state on disk so that a second
 * Worker started on the same directory continues where the first stopped.
 */
export async function startWorker({ vars = testVars(), persistDir, keepLogs = true, queueConsumer = QUEUE_CONSUMER, miniflareOptions = {} } = {}) {
  if (!existsSync(shim)) {
    throw new Error(`${shim} is missing: run scripts/build-worker.sh first`);
  }
  const logs = [];
  const miniflare = new Miniflare({
    modules: true,
    scriptPath: shim,
    modulesRules: [
      { type: "CompiledWasm", include: ["**/*.wasm"] },
      { type: "ESModule", include: ["**/*.js", "**/*.mjs"] },
    ],
    compatibilityDate: "2026-04-20",
    durableObjects: {
      REGISTRY: { className: "Registry", useSQLite: true },
      ENDPOINTS: { className: "Endpoint", useSQLite: true },
    },
    queueProducers: { EVENTS: { queueName: "aether-events" } },
    queueConsumers: { "aether-events": queueConsumer },
    bindings: vars,
    cf: false,
    durableObjectsPersist: persistDir ?? false,
    log: new Log(LogLevel.WARN),
    ...miniflareOptions,
    handleRuntimeStdio(stdout, stderr) {
      for (const stream of [stdout, stderr]) {
        let pending = "";
        stream.on("data", (chunk) => {
          pending += chunk.toString();
          const lines = pending.split("\n");
          pending = lines.pop();
          if (keepLogs) {
            logs.push(...lines.filter(Boolean));
          }
        });
      }
    },
  });
  await miniflare.ready;

  const worker = {
    miniflare,
    logs,
    vars,
    /** Sends a request to the Worker; `body` objects are sent as JSON. */
    async request(method, path, { body, headers = {}, apiKey = DEV_API_KEY } = {}) {
      const init = { method, headers: { ...headers } };
      if (apiKey) {
        init.headers.authorization = `Bearer ${apiKey}`;
      }
      if (body !== undefined) {
        init.body = typeof body === "string" ? body : JSON.stringify(body);
        init.headers["content-type"] ??= "application/json";
      }
      const response = await miniflare.dispatchFetch(`http://localhost${path}`, init);
      const text = await response.text();
      let json = null;
      try {
        json = text ? JSON.parse(text) : null;
      } catch {
        json = null;
      }
      return { status: response.status, headers: response.headers, text, json };
    },
    /** Signs `body` with the intake secret and posts it to /v1/events. */
    async sendEvents(body, { secret = vars.INTAKE_SECRET } = {}) {
      const raw = typeof body === "string" ? body : JSON.stringify(body);
      return worker.request("POST", "/v1/events", { body: raw, apiKey: null, headers: { "x-aether-signature": signAether(secret, raw) } });
    },
    async createWebhook(fields, options) {
      return worker.request("POST", "/v1/webhooks", { body: fields, ...options });
    },
    async deliveries(webhookId, query = "") {
      const response = await worker.request("GET", `/v1/webhooks/${webhookId}/deliveries${query}`);
      if (response.status !== 200) {
        throw new Error(`listing deliveries failed: ${response.status} ${response.text}`);
      }
      return response.json.data;
    },
    async dispose() {
      await miniflare.dispose();
    },
  };
  return worker;
}

/** Returns the x-aether-signature value for `body` under `secret`. */
export function signAether(secret, body) {
  return `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;
}

/** Returns whether the comma-separated x-aether-signature header contains a valid entry. */
export function verifyAether(secret, body, header) {
  const expected = Buffer.from(signAether(secret, body));
  return (header ?? "").split(",").some((entry) => {
    const candidate = Buffer.from(entry.trim());
    return candidate.length === expected.length && timingSafeEqual(candidate, expected);
  });
}

/** Returns whether the Standard Webhooks headers verify under `secret`. */
export function verifyStandard(secret, body, headers) {
  try {
    new StandardWebhook(secret).verify(body, {
      "webhook-id": headers["webhook-id"],
      "webhook-timestamp": headers["webhook-timestamp"],
      "webhook-signature": headers["webhook-signature"],
    });
    return true;
  } catch {
    return false;
  }
}

/**
 * Starts a receiver on 127.0.0.1. Each path has its own behaviour, a function of the attempt
 * number for that path returning `{ status, headers, delayMs }`, and its own secrets. Every
 * request is recorded with the result of verifying it under both schemes.
 */
export async function startReceiver() {
  const routes = new Map();
  const received = [];
  const server = createServer((request, response) => {
    const chunks = [];
    request.on("data", (chunk) => chunks.push(chunk));
    request.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      const route = routes.get(request.url) ?? { behave: () => ({ status: 404 }), secrets: [] };
      route.count += 1;
      const record = {
        path: request.url,
        method: request.method,
        headers: request.headers,
        body,
        receivedAt: Date.now(),
        attempt: route.count,
        aetherVerified: route.secrets.map((secret) => verifyAether(secret, body, request.headers["x-aether-signature"])),
        standardVerified: route.secrets.map((secret) => verifyStandard(secret, body, request.headers)),
      };
      received.push(record);
      const { status = 200, headers = {}, delayMs = 0 } = route.behave(route.count, record) ?? {};
      const answer = () => {
        if (!response.destroyed) {
          response.writeHead(status, headers);
          response.end(status === 204 ? undefined : "ok");
        }
      };
      if (delayMs > 0) {
        setTimeout(answer, delayMs).unref();
      } else {
        answer();
      }
    });
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address();

  return {
    received,
    /** Adds a path and returns its URL. */
    route(path, { secrets = [], behave = () => ({ status: 200 }) } = {}) {
      routes.set(path, { secrets: [...secrets], behave, count: 0 });
      return `http://127.0.0.1:${port}${path}`;
    },
    /** Sets the secrets a path verifies with (after creation or rotation). */
    setSecrets(path, secrets) {
      routes.get(path).secrets = [...secrets];
    },
    on(path) {
      return received.filter((record) => record.path === path);
    },
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/**
 * Polls `check` until it returns a truthy value and returns that value; throws with
 * `message` when `timeoutMs` passes first.
 */
export async function waitFor(check, { timeoutMs = 20_000, intervalMs = 50, message = "condition" } = {}) {
  const deadline = Date.now() + timeoutMs;
  let last;
  for (;;) {
    try {
      last = await check();
      if (last) {
        return last;
      }
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${message}; last result: ${last instanceof Error ? last.message : JSON.stringify(last)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** Returns a valid post.published event for `orgId`. */
export function publishedEvent(orgId = DEV_ORG, extra = {}) {
  return {
    orgId,
    event: "post.published",
    data: {
      postId: "post_xyz789",
      platform: "instagram",
      profileId: "ig_abc123",
      platformPostId: "17890123456789",
      platformPostUrl: "https://www.instagram.com/p/ABC123/",
      publishedAt: "2026-06-15T09:00:12Z",
    },
    ...extra,
  };
}
