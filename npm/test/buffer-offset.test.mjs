// Bodies that are views into a larger buffer: only the view's bytes may be read, never
// the rest of the buffer (Node pools small Buffers in one shared backing store).

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { entries } from './support/entries.mjs';

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';

/** Places `body` at `offset` inside a larger buffer filled with other bytes. */
function embedded(body, offset) {
  const backing = new ArrayBuffer(offset + body.length + 97);
  new Uint8Array(backing).fill(0x7b);
  new Uint8Array(backing, offset, body.length).set(body);
  return backing;
}

for (const { path, api } of entries) {
  describe(`views into larger buffers, ${path}`, () => {
    const text = api.sampleDelivery('message.created', { webhookId: 'wh_abc123' });
    const bytes = new TextEncoder().encode(text);
    const signature = api.sign(text, SECRET);

    test('pooled Buffer has a non-zero byteOffset', () => {
      const pooled = Buffer.from(text);

      assert.ok(pooled.byteOffset > 0 || pooled.buffer.byteLength > pooled.byteLength, 'Node pooled the Buffer');
      assert.equal(api.verifyAetherWebhook(pooled, signature, SECRET), true);
      assert.equal(api.constructEvent(pooled, signature, SECRET).event, 'message.created');
    });

    test('Buffer view in the middle verifies', () => {
      const backing = embedded(bytes, 13);
      const view = Buffer.from(backing, 13, bytes.length);

      assert.equal(api.verifyAetherWebhook(view, signature, SECRET), true);
      assert.equal(api.sign(view, SECRET), signature);
    });

    test('Uint8Array view in the middle verifies', () => {
      const view = new Uint8Array(embedded(bytes, 29), 29, bytes.length);

      assert.equal(api.verifyAetherWebhook(view, signature, SECRET), true);
      assert.equal(api.constructEvent(view, signature, SECRET).webhookId, 'wh_abc123');
    });

    test('DataView in the middle verifies', () => {
      const view = new DataView(embedded(bytes, 7), 7, bytes.length);

      assert.equal(api.verifyAetherWebhook(view, signature, SECRET), true);
    });

    test('view one byte too long fails', () => {
      const view = new Uint8Array(embedded(bytes, 5), 5, bytes.length + 1);

      assert.equal(api.verifyAetherWebhook(view, signature, SECRET), false);
    });

    test('Standard headers verify a view', () => {
      const timestamp = Math.floor(Date.now() / 1000);
      const view = new Uint8Array(embedded(bytes, 41), 41, bytes.length);
      const headers = {
        'webhook-id': 'msg_1',
        'webhook-timestamp': String(timestamp),
        'webhook-signature': api.signStandardWebhook(view, SECRET, { id: 'msg_1', timestamp }),
      };

      assert.equal(api.signStandardWebhook(text, SECRET, { id: 'msg_1', timestamp }), headers['webhook-signature']);
      assert.equal(api.constructEvent(view, headers, SECRET, { toleranceSeconds: 60 }).event, 'message.created');
    });
  });
}
