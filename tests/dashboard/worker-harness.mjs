// Starts the built Worker (worker/build) under Miniflare on 127.0.0.1 with the bindings declared
// in wrangler.toml. That way these tests run the same Durable Objects, queue and alarms as
// `wrangler dev`, with test settings such as a fast retry schedule layered over its [vars].

import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";

import { Miniflare } from "miniflare";
import { unstable_getMiniflareWorkerOptions } from "wrangler";

import { freePort } from "./support.mjs";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

/** The local development credentials from wrangler.toml's [vars]. */
export const DEV_API_KEY = "aether_dev_local_key";
export const DEV_ORG_ID = "org_dev";

/**
 * Starts the Worker and returns `{ url, logs, dispose }`. `url` has no trailing slash, and `logs`
 * collects the Worker's output (its JSON request and attempt lines) instead of printing it.
 *
 * `vars` override wrangler.toml's [vars] (values must be strings). Each queue consumer waits at
 * most 1 s to fill a batch, so an event reaches its endpoints quickly.
 *
 * Throws an Error when worker/build is missing: build it with scripts/build-worker.sh.
 */
export async function startWorker({ vars = {} } = {}) {
  const { workerOptions, main } = unstable_getMiniflareWorkerOptions(`${ROOT}wrangler.toml`);
  const scriptPath = resolve(ROOT, main);
  if (!existsSync(scriptPath)) {
    throw new Error(`${scriptPath} is missing: build the Worker with scripts/build-worker.sh`);
  }

  const queueConsumers = Object.fromEntries(
    Object.entries(workerOptions.queueConsumers ?? {}).map(([queue, options]) => [queue, { ...options, maxBatchTimeout: 1 }]),
  );
  const port = await freePort();
  const logs = [];
  const miniflare = new Miniflare({
    ...workerOptions,
    scriptPath,
    modules: true,
    modulesRoot: ROOT,
    modulesRules: [
      { type: "ESModule", include: ["**/*.js", "**/*.mjs"] },
      { type: "CompiledWasm", include: ["**/*.wasm"] },
    ],
    bindings: { ...workerOptions.bindings, ...vars },
    queueConsumers,
    host: "127.0.0.1",
    port,
    cf: false,
    handleRuntimeStdio(stdout, stderr) {
      stdout.on("data", (chunk) => logs.push(chunk.toString()));
      stderr.on("data", (chunk) => logs.push(chunk.toString()));
    },
  });
  await miniflare.ready;

  return {
    url: `http://127.0.0.1:${port}`,
    logs,
    dispose: () => miniflare.dispose(),
  };
}
