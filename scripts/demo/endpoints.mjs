// The two webhook endpoints of the local demo and the state file that keeps their secrets
// between runs (a secret is only returned when an endpoint is created or its secret rotated).

import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/** Every event type, so the demo receiver gets the whole fixture. */
const ALL_EVENTS = [
  "post.scheduled", "post.publishing", "post.published", "post.failed",
  "post.cancelled", "comment.created", "message.created", "message.updated",
];

/** Builds the two endpoint definitions for a receiver listening on `receiverPort`. */
export function demoEndpoints(receiverPort) {
  const base = `http://127.0.0.1:${receiverPort}`;
  return {
    receiver: {
      url: `${base}/webhooks/aether`,
      events: ALL_EVENTS,
      description: "Demo receiver started by scripts/run.sh: verifies and prints every delivery",
    },
    failing: {
      url: `${base}/webhooks/failing`,
      events: ["post.published", "post.failed"],
      description: "Responds 503 on purpose, to show retries and dead letters",
    },
  };
}

function statePath(stateDir) {
  return join(stateDir, "endpoints.json");
}

/** Reads the saved endpoints, or an empty object when no run saved any yet. */
export function readState(stateDir) {
  const path = statePath(stateDir);
  if (!existsSync(path)) {
    return {};
  }
  return JSON.parse(readFileSync(path, "utf8"));
}

/** Saves the endpoints with their secrets, readable by the current user only. */
export function writeState(stateDir, state) {
  mkdirSync(stateDir, { recursive: true, mode: 0o700 });
  const path = statePath(stateDir);
  writeFileSync(path, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
  chmodSync(path, 0o600);
}
