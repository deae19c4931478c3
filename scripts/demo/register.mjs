// Registers the demo's two endpoints with the local Worker, or finds them from an earlier run
// through GET /v1/webhooks, and saves their ids and secrets for the receiver.

import { createApiClient, requireEnv } from "./api.mjs";
import { demoEndpoints, readState, writeState } from "./endpoints.mjs";

const apiUrl = requireEnv("AETHER_DEMO_API_URL");
const stateDir = requireEnv("AETHER_DEMO_STATE_DIR");
const receiverPort = requireEnv("AETHER_DEMO_RECEIVER_PORT");
const request = createApiClient(apiUrl, requireEnv("AETHER_API_KEY"));

/**
 * Finds the endpoint registered for `definition.url` or creates it, and enables it when it was
 * disabled. A secret saved by an earlier run is reused. Without one, the secret is rotated with
 * no overlap, because the API returns a secret only on creation and rotation.
 */
async function ensureEndpoint(name, definition, existing, saved) {
  const found = existing.find((webhook) => webhook.url === definition.url);
  if (found === undefined) {
    const created = await request("POST", "/v1/webhooks", definition);
    console.log(`[setup] created the ${name} endpoint ${created.id} → ${created.url}`);
    return { id: created.id, url: created.url, secret: created.secret };
  }

  console.log(`[setup] reusing the ${name} endpoint ${found.id} → ${found.url}`);
  if (!found.enabled) {
    await request("PATCH", `/v1/webhooks/${found.id}`, { enabled: true });
    console.log(`[setup]   it was disabled (${found.disabledReason}); enabled it again`);
  }
  if (saved?.id === found.id && typeof saved.secret === "string") {
    return { id: found.id, url: found.url, secret: saved.secret };
  }

  const rotated = await request("POST", `/v1/webhooks/${found.id}/rotate-secret`, { overlapHours: 0 });
  console.log(`[setup]   its secret was not saved in ${stateDir}; rotated it to get a new one`);
  return { id: found.id, url: found.url, secret: rotated.secret };
}

const definitions = demoEndpoints(receiverPort);
const saved = readState(stateDir);

try {
  const { data: existing } = await request("GET", "/v1/webhooks");
  const state = {
    apiUrl,
    receiver: await ensureEndpoint("receiver", definitions.receiver, existing, saved.receiver),
    failing: await ensureEndpoint("failing", definitions.failing, existing, saved.failing),
  };
  writeState(stateDir, state);
} catch (error) {
  console.error(`[setup] registering the demo endpoints failed: ${error}`);
  process.exitCode = 1;
}
