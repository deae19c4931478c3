// Tests the trigger command `aether-webhooks trigger` against the Next.js example receiver in
// npm/examples/nextjs, built and started on 127.0.0.1, and its command-line errors.
//
// Needs the npm package built (npm/scripts/build.sh); installs the example's dependencies with
// `npm ci` when they are missing. Run with: node --test --test-concurrency=1 tests/trigger/

import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { after, before, describe, test } from "node:test";
import { fileURLToPath } from "node:url";

import { freePort, newSecret, run, startProcess, waitFor } from "../dashboard/support.mjs";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const CLI = `${ROOT}npm/bin/aether-webhooks.mjs`;
const EXAMPLE_DIR = `${ROOT}npm/examples/nextjs`;
const ROUTE = "/api/webhooks/aether";
const EVENTS = [
  "post.scheduled", "post.publishing", "post.published", "post.failed",
  "post.cancelled", "comment.created", "message.created", "message.updated",
];

function trigger(...args) {
  return run(process.execPath, [CLI, ...args], { env: { ...process.env, AETHER_WEBHOOK_SECRET: "" } });
}

describe("trigger command line", () => {
  test("--help prints usage", async () => {
    const result = await trigger("--help");

    assert.equal(result.code, 0);
    assert.match(result.stdout, /Usage: aether-webhooks trigger <event> --url/);
    for (const event of EVENTS) {
      assert.match(result.stdout, new RegExp(event.replace(".", "\\.")));
    }
  });

  test("trigger --help prints usage", async () => {
    const result = await trigger("trigger", "--help");

    assert.equal(result.code, 0);
    assert.match(result.stdout, /--tamper/);
  });

  test("unknown event lists all eight", async () => {
    const result = await trigger("trigger", "post.deleted", "--url", "http://127.0.0.1:9/", "--secret", newSecret());

    assert.equal(result.code, 2);
    assert.match(result.stderr, /unknown event "post\.deleted"/);
    for (const event of EVENTS) {
      assert.ok(result.stderr.includes(event), `${event} is listed`);
    }
  });

  test("missing event is a usage error", async () => {
    const result = await trigger("trigger", "--url", "http://127.0.0.1:9/", "--secret", newSecret());

    assert.equal(result.code, 2);
    assert.match(result.stderr, /missing <event>/);
  });

  test("missing --url is a usage error", async () => {
    const result = await trigger("trigger", "post.published", "--secret", newSecret());

    assert.equal(result.code, 2);
    assert.match(result.stderr, /missing --url/);
  });

  test("missing --secret is a usage error", async () => {
    const result = await trigger("trigger", "post.published", "--url", "http://127.0.0.1:9/");

    assert.equal(result.code, 2);
    assert.match(result.stderr, /missing --secret/);
  });

  test("non-http URL is a usage error", async () => {
    const result = await trigger("trigger", "post.published", "--url", "ftp://127.0.0.1/hooks", "--secret", newSecret());

    assert.equal(result.code, 2);
    assert.match(result.stderr, /invalid --url "ftp:\/\/127\.0\.0\.1\/hooks": only http and https/);
  });

  test("relative URL is a usage error", async () => {
    const result = await trigger("trigger", "post.published", "--url", "/api/webhooks/aether", "--secret", newSecret());

    assert.equal(result.code, 2);
    assert.match(result.stderr, /invalid --url/);
  });

  test("secret without whsec_ prefix is a usage error", async () => {
    const result = await trigger("trigger", "post.published", "--url", "http://127.0.0.1:9/", "--secret", "not-a-secret");

    assert.equal(result.code, 2);
    assert.match(result.stderr, /invalid --secret \(invalid_secret\)/);
  });

  test("unknown option is a usage error", async () => {
    const result = await trigger("trigger", "post.published", "--urll", "http://127.0.0.1:9/");

    assert.equal(result.code, 2);
    assert.match(result.stderr, /--urll/);
  });

  test("unknown command is a usage error", async () => {
    const result = await trigger("send", "post.published");

    assert.equal(result.code, 2);
    assert.match(result.stderr, /unknown command "send"/);
  });

  test("unreachable receiver exits 1", async () => {
    const port = await freePort();
    const result = await trigger("trigger", "post.published", "--url", `http://127.0.0.1:${port}/hooks`, "--secret", newSecret());

    assert.equal(result.code, 1);
    assert.match(result.stderr, /request to http:\/\/127\.0\.0\.1:\d+\/hooks failed: ECONNREFUSED/);
  });
});

describe("trigger against the Next.js example", () => {
  const secret = newSecret();
  let server;
  let url;

  before(async () => {
    assert.ok(existsSync(`${EXAMPLE_DIR}/package.json`), "npm/examples/nextjs exists");
    const env = { ...process.env, NEXT_TELEMETRY_DISABLED: "1" };
    if (!existsSync(`${EXAMPLE_DIR}/node_modules/next`)) {
      const install = await run("npm", ["ci", "--no-audit", "--no-fund"], { cwd: EXAMPLE_DIR, env });
      assert.equal(install.code, 0, `npm ci failed:\n${install.stdout}\n${install.stderr}`);
    }
    const build = await run(process.execPath, ["node_modules/next/dist/bin/next", "build"], { cwd: EXAMPLE_DIR, env });
    assert.equal(build.code, 0, `next build failed:\n${build.stdout}\n${build.stderr}`);

    const port = await freePort();
    url = `http://127.0.0.1:${port}${ROUTE}`;
    server = startProcess(process.execPath, ["node_modules/next/dist/bin/next", "start", "-H", "127.0.0.1", "-p", String(port)], {
      cwd: EXAMPLE_DIR,
      env: { ...env, AETHER_WEBHOOK_SECRET: secret },
    });
    await waitFor(async () => {
      assert.ok(server.isRunning(), `next start exited:\n${server.output()}`);
      const response = await fetch(url, { method: "POST", body: "{}", signal: AbortSignal.timeout(2000) });
      return response.status > 0;
    }, { timeoutMs: 60_000, message: "next start to respond" });
  }, { timeout: 600_000 });

  after(async () => {
    await server?.stop();
  });

  for (const event of EVENTS) {
    test(`${event} is accepted with 200`, async () => {
      const result = await trigger("trigger", event, "--url", url, "--secret", secret);

      assert.equal(result.code, 0, result.stdout + result.stderr);
      assert.match(result.stdout, /← 200/);
      assert.ok(result.stdout.includes(`"${event}"`), `the route's answer names ${event}:\n${result.stdout}`);
    });
  }

  test("--tamper is rejected with 401", async () => {
    const result = await trigger("trigger", "post.published", "--url", url, "--secret", secret, "--tamper");

    assert.equal(result.code, 0, result.stdout + result.stderr);
    assert.match(result.stdout, /← 401/);
    assert.match(result.stdout, /rejected the tampered delivery/);
  });

  test("wrong secret exits 1 with 401", async () => {
    const result = await trigger("trigger", "post.published", "--url", url, "--secret", newSecret());

    assert.equal(result.code, 1);
    assert.match(result.stdout, /← 401/);
    assert.match(result.stderr, /did not accept the delivery \(HTTP 401\)/);
  });

  test("secret from AETHER_WEBHOOK_SECRET is used", async () => {
    const result = await run(process.execPath, [CLI, "trigger", "comment.created", "--url", url], {
      env: { ...process.env, AETHER_WEBHOOK_SECRET: secret },
    });

    assert.equal(result.code, 0, result.stdout + result.stderr);
    assert.match(result.stdout, /← 200/);
  });
});
