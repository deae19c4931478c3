// A Worker importing the package, bundled the way wrangler bundles (esbuild with the
// `workerd` condition, .wasm imports kept as modules) and run in workerd through Miniflare.

import assert from 'node:assert/strict';
import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';

import { build } from 'esbuild';
import { Miniflare } from 'miniflare';

import { sampleDelivery, sign, signStandardWebhook } from '@aether/webhooks';

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const WASM_FILE = fileURLToPath(new URL('../dist/workerd/aether_webhooks_wasm_bg.wasm', import.meta.url));

describe('workerd', () => {
  let outputDir;
  let miniflare;

  before(async () => {
    outputDir = await mkdtemp(join(tmpdir(), 'aether-webhooks-workerd-'));
    await build({
      entryPoints: [fileURLToPath(new URL('fixtures/worker/index.js', import.meta.url))],
      outfile: join(outputDir, 'index.js'),
      bundle: true,
      format: 'esm',
      platform: 'neutral',
      conditions: ['workerd', 'worker', 'browser'],
      external: ['*.wasm'],
      logLevel: 'warning',
    });
    await copyFile(WASM_FILE, join(outputDir, 'aether_webhooks_wasm_bg.wasm'));

    miniflare = new Miniflare({
      modules: true,
      scriptPath: join(outputDir, 'index.js'),
      modulesRoot: outputDir,
      modulesRules: [{ type: 'CompiledWasm', include: ['**/*.wasm'] }],
      compatibilityDate: '2026-04-01',
      bindings: { AETHER_WEBHOOK_SECRET: SECRET },
      host: '127.0.0.1',
    });
    await miniflare.ready;
  });

  after(async () => {
    await miniflare?.dispose();
    if (outputDir) {
      await rm(outputDir, { recursive: true, force: true });
    }
  });

  function deliver(body, headers) {
    return miniflare.dispatchFetch('http://127.0.0.1/webhooks/aether', { method: 'POST', body, headers });
  }

  function standardHeaders(body) {
    const timestamp = Math.floor(Date.now() / 1000);
    return {
      'webhook-id': 'msg_workerd',
      'webhook-timestamp': String(timestamp),
      'webhook-signature': signStandardWebhook(body, SECRET, { id: 'msg_workerd', timestamp }),
      'x-aether-signature': sign(body, SECRET),
    };
  }

  test('signed delivery is accepted', async () => {
    const body = sampleDelivery('comment.created', { webhookId: 'wh_workerd' });

    const response = await deliver(body, standardHeaders(body));

    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), { received: true, event: 'comment.created', webhookId: 'wh_workerd' });
  });

  test('tampered delivery is rejected', async () => {
    const body = sampleDelivery('post.published');
    const headers = standardHeaders(body);

    const response = await deliver(body.replace('instagram', 'facebook'), headers);

    assert.equal(response.status, 401);
    assert.equal((await response.json()).error.code, 'invalid_signature');
  });

  test('stale delivery is rejected', async () => {
    const body = sampleDelivery('post.published');
    const timestamp = Math.floor(Date.now() / 1000) - 3600;
    const headers = {
      'webhook-id': 'msg_old',
      'webhook-timestamp': String(timestamp),
      'webhook-signature': signStandardWebhook(body, SECRET, { id: 'msg_old', timestamp }),
    };

    const response = await deliver(body, headers);

    assert.equal(response.status, 401);
    assert.equal((await response.json()).error.code, 'stale_delivery');
  });

  test('signed malformed payload is a 400', async () => {
    const body = '{"event":"post.published"}';

    const response = await deliver(body, standardHeaders(body));

    assert.equal(response.status, 400);
    assert.equal((await response.json()).error.code, 'malformed_payload');
  });
});
