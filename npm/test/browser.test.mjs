// The browser entry point in headless Chromium: the page imports dist/browser/index.js
// from a server on 127.0.0.1, which fetches the .wasm file next to it, and runs the
// shared Aether vectors and a Standard Webhooks round trip.

import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { extname } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';

import { chromium } from 'playwright-core';

import { vectors } from './support/vectors.mjs';

const DIST_DIR = fileURLToPath(new URL('../dist/browser/', import.meta.url));
const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const CONTENT_TYPES = { '.js': 'text/javascript', '.wasm': 'application/wasm', '.html': 'text/html' };

/** Serves dist/browser/ at / and an empty page at /index.html, on 127.0.0.1 only. */
function serveBrowserBuild() {
  const server = createServer(async (request, response) => {
    const name = new URL(request.url, 'http://127.0.0.1').pathname.slice(1);
    if (name === 'index.html') {
      response.writeHead(200, { 'content-type': CONTENT_TYPES['.html'] }).end('<!doctype html><title>browser entry</title>');
      return;
    }
    if (!/^[\w.-]+$/.test(name)) {
      response.writeHead(404).end();
      return;
    }
    try {
      const content = await readFile(`${DIST_DIR}${name}`);
      response.writeHead(200, { 'content-type': CONTENT_TYPES[extname(name)] ?? 'application/octet-stream' }).end(content);
    } catch {
      response.writeHead(404).end();
    }
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

describe('browser entry point', () => {
  let server;
  let browser;
  let page;

  before(async () => {
    server = await serveBrowserBuild();
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_FLAGS });
    page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${server.address().port}/index.html`);
  });

  after(async () => {
    await browser?.close();
    await new Promise((resolve) => (server ? server.close(resolve) : resolve()));
  });

  test('aether vectors verify in Chromium', async () => {
    const results = await page.evaluate(async (cases) => {
      const api = await import('/index.js');
      const bodyOf = (testCase) => {
        if (testCase.bodyUtf8 !== undefined) {
          return testCase.bodyUtf8;
        }
        if (testCase.bodyBase64 !== undefined) {
          return Uint8Array.from(atob(testCase.bodyBase64), (character) => character.charCodeAt(0));
        }
        const { pattern, length } = testCase.bodyRepeat;
        return pattern.repeat(Math.ceil(length / pattern.length)).slice(0, length);
      };
      return {
        valid: cases.aether.map((testCase) => [testCase.name, api.verifyAetherWebhook(bodyOf(testCase), testCase.signature, testCase.secret)]),
        invalid: cases.aetherInvalid.map((testCase) => [testCase.name, api.verifyAetherWebhook(bodyOf(testCase), testCase.header, testCase.secret)]),
      };
    }, { aether: vectors.aether, aetherInvalid: vectors.aetherInvalid });

    assert.equal(results.valid.length, vectors.aether.length);
    for (const [name, verified] of results.valid) {
      assert.equal(verified, true, name);
    }
    for (const [name, verified] of results.invalid) {
      assert.equal(verified, false, name);
    }
  });

  test('constructEvent works in Chromium', async () => {
    const outcome = await page.evaluate(async () => {
      const api = await import('/index.js');
      const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
      const body = api.sampleDelivery('post.failed', { webhookId: 'wh_browser' });
      const timestamp = Math.floor(Date.now() / 1000);
      const headers = new Headers({
        'webhook-id': 'msg_browser',
        'webhook-timestamp': String(timestamp),
        'webhook-signature': api.signStandardWebhook(body, secret, { id: 'msg_browser', timestamp }),
      });

      const event = api.constructEvent(body, headers, secret, { toleranceSeconds: 60 });
      let tamperedCode;
      try {
        api.constructEvent(body.replace('tiktok', 'reddit'), headers, secret);
      } catch (error) {
        tamperedCode = `${error instanceof api.WebhookVerificationError} ${error.code}`;
      }
      return { event: event.event, webhookId: event.webhookId, tamperedCode };
    });

    assert.deepEqual(outcome, { event: 'post.failed', webhookId: 'wh_browser', tamperedCode: 'true invalid_signature' });
  });
});
