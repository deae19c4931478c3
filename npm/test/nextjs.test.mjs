// The Next.js App Router example (npm/examples/nextjs): installed from its lockfile with
// the freshly built package, built with `next build`, started with `next start` on
// 127.0.0.1, and sent real deliveries.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';

import { sampleDelivery, sign, signStandardWebhook } from '@aether/webhooks';

import { freePort, run, startProcess, waitFor } from './support/processes.mjs';

const EXAMPLE_DIR = fileURLToPath(new URL('../examples/nextjs/', import.meta.url));
const NEXT_BIN = 'node_modules/next/dist/bin/next';
const ROUTE = '/api/webhooks/aether';
const SECRET = 'whsec_KxEKS/emu3IWiEg0m+fpeZrMJKaIy8+1Qmv6/mBdbV4=';

describe('Next.js route handler', () => {
  const env = { ...process.env, NEXT_TELEMETRY_DISABLED: '1' };
  let server;
  let url;

  before(async () => {
    // npm ci copies the package's current dist/ into the example (see its .npmrc).
    const install = await run('npm', ['ci', '--no-audit', '--no-fund'], { cwd: EXAMPLE_DIR, env });
    assert.equal(install.code, 0, `npm ci failed:\n${install.stdout}\n${install.stderr}`);

    const build = await run(process.execPath, [NEXT_BIN, 'build'], { cwd: EXAMPLE_DIR, env });
    assert.equal(build.code, 0, `next build failed:\n${build.stdout}\n${build.stderr}`);

    const port = await freePort();
    url = `http://127.0.0.1:${port}${ROUTE}`;
    server = startProcess(process.execPath, [NEXT_BIN, 'start', '-H', '127.0.0.1', '-p', String(port)], {
      cwd: EXAMPLE_DIR,
      env: { ...env, AETHER_WEBHOOK_SECRET: SECRET },
    });
    await waitFor(
      async () => {
        assert.ok(server.isRunning(), `next start exited:\n${server.output()}`);
        const response = await fetch(url, { method: 'POST', body: '{}', signal: AbortSignal.timeout(2000) });
        return response.status > 0;
      },
      { timeoutMs: 60_000, message: 'next start to answer' },
    );
  }, { timeout: 600_000 });

  after(async () => {
    await server?.stop();
  });

  function deliver(body, headers) {
    return fetch(url, { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers } });
  }

  function signedHeaders(body, deliveryId) {
    const timestamp = Math.floor(Date.now() / 1000);
    return {
      'x-aether-signature': sign(body, SECRET),
      'webhook-id': deliveryId,
      'webhook-timestamp': String(timestamp),
      'webhook-signature': signStandardWebhook(body, SECRET, { id: deliveryId, timestamp }),
    };
  }

  test('valid delivery is answered 200', async () => {
    const body = sampleDelivery('post.published', { webhookId: 'wh_abc123' });

    const response = await deliver(body, signedHeaders(body, 'dlv_valid'));

    assert.equal(response.status, 200);
    const answer = await response.json();
    assert.equal(answer.received, true);
    assert.equal(answer.event, 'post.published');
    assert.equal(answer.webhookId, 'wh_abc123');
    assert.equal(answer.deliveryId, 'dlv_valid');
  });

  test('Aether header alone is enough', async () => {
    const body = sampleDelivery('message.created', { webhookId: 'wh_abc123' });

    const response = await deliver(body, { 'x-aether-signature': sign(body, SECRET) });

    assert.equal(response.status, 200);
    assert.equal((await response.json()).event, 'message.created');
  });

  test('tampered delivery is answered 401', async () => {
    const body = sampleDelivery('post.failed');
    const headers = signedHeaders(body, 'dlv_tampered');

    const response = await deliver(body.replace('"retriesExhausted":5', '"retriesExhausted":0'), headers);

    assert.equal(response.status, 401);
    assert.equal((await response.json()).error.code, 'invalid_signature');
  });

  test('unsigned delivery is answered 401', async () => {
    const response = await deliver(sampleDelivery('post.published'), {});

    assert.equal(response.status, 401);
    assert.equal((await response.json()).error.code, 'missing_signature');
  });

  test('signed malformed JSON is answered 400', async () => {
    const body = '{"event":"post.published","webhookId":';

    const response = await deliver(body, signedHeaders(body, 'dlv_malformed'));

    assert.equal(response.status, 400);
    const answer = await response.json();
    assert.equal(answer.error.code, 'malformed_payload');
    assert.match(answer.error.message, /not a valid Aether payload/);
  });
});
