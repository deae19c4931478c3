// The public API and its misuse errors, on both verification paths.

import assert from 'node:assert/strict';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { describe, test } from 'node:test';

import { entries } from './support/entries.mjs';

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const OTHER_SECRET = 'whsec_8WXTcNZxzITNRvYKjUtw8T+Ikmd6/orcIM+hG6+EBag=';
const EVENT_TYPES = [
  'post.scheduled',
  'post.publishing',
  'post.published',
  'post.failed',
  'post.cancelled',
  'comment.created',
  'message.created',
  'message.updated',
];

/** Verifies like the hand-written function of the product documentation, for drop-in comparisons. */
function handWrittenVerify(rawBody, signature, secret) {
  const expected = `sha256=${createHmac('sha256', secret).update(rawBody).digest('hex')}`;
  return timingSafeEqual(Buffer.from(expected), Buffer.from(signature));
}

function assertVerificationError(code) {
  return (error) => {
    assert.equal(error.name, 'WebhookVerificationError');
    assert.equal(error.code, code);
    return true;
  };
}

function assertMisuse(pattern) {
  return (error) => {
    assert.ok(error instanceof TypeError, `expected a TypeError, got ${error}`);
    assert.match(error.message, /^@aether\/webhooks: /);
    assert.match(error.message, pattern);
    return true;
  };
}

for (const { path, api } of entries) {
  const body = api.sampleDelivery('post.published', { webhookId: 'wh_abc123', deliveredAt: '2026-06-15T09:00:14Z' });
  const signature = api.sign(body, SECRET);

  describe(`verifyAetherWebhook, ${path}`, () => {
    test('verifyAetherWebhook(body, signature, secret) is true', () => {
      assert.equal(api.verifyAetherWebhook(body, signature, SECRET), true);
      assert.equal(handWrittenVerify(body, signature, SECRET), true);
    });

    test('verifyAetherWebhook returns false for bad signatures', () => {
      const nonAscii = `${signature.slice(0, -1)}é`;
      const badSignatures = {
        wrong: api.sign(body, OTHER_SECRET),
        truncated: signature.slice(0, -1),
        'over-long': `${signature}0`,
        'twice as long': `${signature}${signature.slice(7)}`,
        empty: '',
        'non-hex': `${signature.slice(0, -1)}z`,
        'non-ASCII': nonAscii,
        uppercase: signature.toUpperCase().replace('SHA256=', 'sha256='),
        undefined,
        null: null,
      };

      for (const [name, badSignature] of Object.entries(badSignatures)) {
        assert.equal(api.verifyAetherWebhook(body, badSignature, SECRET), false, name);
      }
    });

    test('verifyAetherWebhook joins repeated header values', () => {
      const rotated = [api.sign(body, OTHER_SECRET), signature];

      assert.equal(api.verifyAetherWebhook(body, rotated, SECRET), true);
    });

    test('verifyAetherWebhook accepts every body type', () => {
      const bytes = Buffer.from(body);
      const arrayBuffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);

      assert.equal(api.verifyAetherWebhook(bytes, signature, SECRET), true, 'Buffer');
      assert.equal(api.verifyAetherWebhook(new Uint8Array(bytes), signature, SECRET), true, 'Uint8Array');
      assert.equal(api.verifyAetherWebhook(arrayBuffer, signature, SECRET), true, 'ArrayBuffer');
      assert.equal(api.verifyAetherWebhook(new DataView(arrayBuffer), signature, SECRET), true, 'DataView');
    });

    test('verifyAetherWebhook rejects a parsed body', () => {
      assert.throws(() => api.verifyAetherWebhook(JSON.parse(body), signature, SECRET), assertMisuse(/parsed object.*raw request body/));
      assert.throws(() => api.verifyAetherWebhook(undefined, signature, SECRET), assertMisuse(/rawBody is undefined/));
      assert.throws(() => api.verifyAetherWebhook(42, signature, SECRET), assertMisuse(/not a number/));
    });

    test('verifyAetherWebhook rejects a non-string signature', () => {
      assert.throws(() => api.verifyAetherWebhook(body, 42, SECRET), assertMisuse(/signature must be/));
    });

    test('verifyAetherWebhook rejects a non-string secret', () => {
      assert.throws(() => api.verifyAetherWebhook(body, signature, undefined), assertMisuse(/AETHER_WEBHOOK_SECRET/));

      const numericSecret = 123456789;
      assert.throws(() => api.verifyAetherWebhook(body, signature, numericSecret), (error) => {
        assert.ok(error instanceof TypeError);
        assert.doesNotMatch(error.message, /123456789/, 'the message leaks the value');
        return true;
      });
    });

    test('verifyAetherWebhook rejects a malformed secret', () => {
      const malformed = {
        'trailing newline': [`${SECRET}\n`, /trailing newline/],
        'surrounding spaces': [` ${SECRET} `, /whitespace/],
        'missing prefix': [SECRET.slice('whsec_'.length), /whsec_/],
        empty: ['', /empty/],
      };

      for (const [name, [secret, message]] of Object.entries(malformed)) {
        assert.throws(() => api.verifyAetherWebhook(body, signature, secret), (error) => {
          assert.ok(error instanceof api.WebhookVerificationError, name);
          assert.equal(error.code, 'invalid_secret', name);
          assert.equal(error.status, 500, name);
          assert.match(error.message, message, name);
          return true;
        });
      }
    });

    test('verifyAetherWebhook rejects a secret after a valid one', () => {
      assert.equal(api.verifyAetherWebhook(body, signature, SECRET), true);

      assert.throws(() => api.verifyAetherWebhook(body, signature, `${SECRET}\n`), assertVerificationError('invalid_secret'));
    });
  });

  describe(`constructEvent, ${path}`, () => {
    test('constructEvent returns every event type typed', () => {
      for (const eventType of EVENT_TYPES) {
        const sample = api.sampleDelivery(eventType, { webhookId: 'wh_abc123' });

        const event = api.constructEvent(sample, api.sign(sample, SECRET), SECRET);

        assert.equal(event.event, eventType);
        assert.equal(event.webhookId, 'wh_abc123');
        assert.deepEqual(event, JSON.parse(sample));
      }
    });

    test('constructEvent returns the documented example', () => {
      const event = api.constructEvent(body, { 'x-aether-signature': signature }, SECRET);

      assert.deepEqual(event, {
        event: 'post.published',
        webhookId: 'wh_abc123',
        deliveredAt: '2026-06-15T09:00:14Z',
        data: {
          postId: 'post_xyz789',
          platform: 'instagram',
          profileId: 'ig_abc123',
          platformPostId: '17890123456789',
          platformPostUrl: 'https://www.instagram.com/p/ABC123/',
          publishedAt: '2026-06-15T09:00:12Z',
        },
      });
    });

    test('constructEvent reads every header form', () => {
      const forms = {
        Headers: new Headers({ 'X-Aether-Signature': signature }),
        'lower-case object': { 'x-aether-signature': signature, 'content-type': 'application/json' },
        'mixed-case object': { 'X-Aether-Signature': signature },
        'array value': { 'x-aether-signature': [api.sign(body, OTHER_SECRET), signature] },
        'signature string': signature,
      };

      for (const [name, headers] of Object.entries(forms)) {
        assert.equal(api.constructEvent(body, headers, SECRET).event, 'post.published', name);
      }
    });

    test('constructEvent rejects bad header arguments', () => {
      assert.throws(() => api.constructEvent(body, undefined, SECRET), assertMisuse(/headers must be/));
      assert.throws(() => api.constructEvent(body, { 'x-aether-signature': 42 }, SECRET), assertMisuse(/x-aether-signature header must be/));
    });

    test('constructEvent reports a missing signature', () => {
      assert.throws(() => api.constructEvent(body, {}, SECRET), assertVerificationError('missing_signature'));
      assert.throws(() => api.constructEvent(body, new Headers(), SECRET), assertVerificationError('missing_signature'));
    });

    test('constructEvent reports a tampered body', () => {
      const tampered = body.replace('wh_abc123', 'wh_abc124');

      assert.throws(() => api.constructEvent(tampered, signature, SECRET), (error) => {
        assert.ok(error instanceof api.WebhookVerificationError);
        assert.equal(error.code, 'invalid_signature');
        assert.equal(error.status, 401);
        assert.match(error.message, /raw request body/);
        return true;
      });
    });

    test('constructEvent reports a signed malformed payload', () => {
      const notJson = '{"event":"post.published",';
      assert.throws(() => api.constructEvent(notJson, api.sign(notJson, SECRET), SECRET), (error) => {
        assert.equal(error.code, 'malformed_payload');
        assert.equal(error.status, 400);
        return true;
      });

      const missingField = JSON.stringify({ ...JSON.parse(body), data: { postId: 'post_1' } });
      assert.throws(() => api.constructEvent(missingField, api.sign(missingField, SECRET), SECRET), assertVerificationError('malformed_payload'));

      const unknownEvent = body.replace('post.published', 'post.deleted');
      assert.throws(() => api.constructEvent(unknownEvent, api.sign(unknownEvent, SECRET), SECRET), (error) => {
        assert.equal(error.code, 'unknown_event');
        assert.equal(error.status, 400);
        return true;
      });
    });

    test('constructEvent verifies the Standard Webhooks headers', () => {
      const timestamp = Math.floor(Date.now() / 1000);
      const headers = {
        'webhook-id': 'msg_1',
        'webhook-timestamp': String(timestamp),
        'webhook-signature': api.signStandardWebhook(body, SECRET, { id: 'msg_1', timestamp }),
        'x-aether-signature': 'sha256=not-checked-when-webhook-signature-is-present',
      };

      assert.equal(api.constructEvent(body, headers, SECRET, { toleranceSeconds: 300 }).event, 'post.published');
      assert.equal(api.constructEvent(body, new Headers(headers), SECRET).event, 'post.published');

      const otherId = { ...headers, 'webhook-id': 'msg_2' };
      assert.throws(() => api.constructEvent(body, otherId, SECRET), assertVerificationError('invalid_signature'));

      const noId = { ...headers, 'webhook-id': undefined };
      assert.throws(() => api.constructEvent(body, noId, SECRET), assertVerificationError('missing_signature'));
    });

    test('constructEvent checks the clock only with a tolerance', () => {
      const timestamp = 1_781_514_014;
      const headers = {
        'webhook-id': 'msg_1',
        'webhook-timestamp': String(timestamp),
        'webhook-signature': api.signStandardWebhook(body, SECRET, { id: 'msg_1', timestamp }),
      };
      const signedAt = new Date(timestamp * 1000);

      assert.equal(api.constructEvent(body, headers, SECRET).event, 'post.published');
      assert.equal(api.constructEvent(body, headers, SECRET, { toleranceSeconds: 300, now: signedAt }).event, 'post.published');

      const later = new Date(signedAt.getTime() + 301_000);
      assert.throws(() => api.constructEvent(body, headers, SECRET, { toleranceSeconds: 300, now: later }), assertVerificationError('stale_delivery'));

      const earlier = signedAt.getTime() - 301_000;
      assert.throws(() => api.constructEvent(body, headers, SECRET, { toleranceSeconds: 300, now: earlier }), assertVerificationError('future_delivery'));

      assert.throws(() => api.constructEvent(body, headers, SECRET, { toleranceSeconds: 300 }), assertVerificationError('stale_delivery'));
    });

    test('constructEvent needs Standard headers for a tolerance', () => {
      assert.throws(() => api.constructEvent(body, signature, SECRET, { toleranceSeconds: 300 }), (error) => {
        assert.equal(error.code, 'missing_signature');
        assert.match(error.message, /webhook-timestamp/);
        return true;
      });
    });

    test('constructEvent rejects invalid options', () => {
      assert.throws(() => api.constructEvent(body, signature, SECRET, { toleranceSeconds: -1 }), assertMisuse(/toleranceSeconds/));
      assert.throws(() => api.constructEvent(body, signature, SECRET, { toleranceSeconds: '300' }), assertMisuse(/toleranceSeconds/));
      assert.throws(() => api.constructEvent(body, signature, SECRET, { now: new Date('not a date') }), assertMisuse(/options.now/));
      assert.throws(() => api.constructEvent(body, signature, SECRET, 300), assertMisuse(/options must be/));
    });
  });

  describe(`verifyRequest, ${path}`, () => {
    const request = (init) => new Request('http://127.0.0.1/webhooks', { method: 'POST', body, ...init });

    test('verifyRequest returns the event', async () => {
      const event = await api.verifyRequest(request({ headers: { 'x-aether-signature': signature } }), SECRET);

      assert.equal(event.event, 'post.published');
      assert.equal(event.data.platformPostUrl, 'https://www.instagram.com/p/ABC123/');
    });

    test('verifyRequest rejects a wrong signature', async () => {
      const wrong = request({ headers: { 'x-aether-signature': api.sign(body, OTHER_SECRET) } });

      await assert.rejects(api.verifyRequest(wrong, SECRET), assertVerificationError('invalid_signature'));
    });

    test('verifyRequest rejects a read body', async () => {
      const read = request({ headers: { 'x-aether-signature': signature } });
      await read.text();

      await assert.rejects(api.verifyRequest(read, SECRET), assertMisuse(/already read/));
    });

    test('verifyRequest rejects a non-request', async () => {
      await assert.rejects(api.verifyRequest({ body }, SECRET), assertMisuse(/Fetch API Request/));
    });
  });

  describe(`signing and samples, ${path}`, () => {
    test('sign returns the header value', () => {
      assert.match(signature, /^sha256=[0-9a-f]{64}$/);
      assert.equal(handWrittenVerify(body, signature, SECRET), true);
    });

    test('signStandardWebhook takes a Date or seconds', () => {
      const seconds = api.signStandardWebhook(body, SECRET, { id: 'msg_1', timestamp: 1_781_514_014 });
      const date = api.signStandardWebhook(body, SECRET, { id: 'msg_1', timestamp: new Date(1_781_514_014_999) });

      assert.match(seconds, /^v1,[A-Za-z0-9+/]{43}=$/);
      assert.equal(date, seconds);
    });

    test('signStandardWebhook rejects invalid options', () => {
      assert.throws(() => api.signStandardWebhook(body, SECRET), assertMisuse(/\{ id, timestamp \}/));
      assert.throws(() => api.signStandardWebhook(body, SECRET, { id: '', timestamp: 1 }), assertMisuse(/options.id/));
      assert.throws(() => api.signStandardWebhook(body, SECRET, { id: 'msg_1', timestamp: 1.5 }), assertMisuse(/options.timestamp/));
      assert.throws(() => api.signStandardWebhook(body, 'whsec_not-base64!', { id: 'msg_1', timestamp: 1 }), assertVerificationError('invalid_secret'));
    });

    test('sampleDelivery takes webhookId and deliveredAt', () => {
      const sample = JSON.parse(api.sampleDelivery('comment.created', { webhookId: 'wh_1', deliveredAt: new Date(Date.UTC(2026, 5, 15, 9, 0, 14, 250)) }));

      assert.equal(sample.event, 'comment.created');
      assert.equal(sample.webhookId, 'wh_1');
      assert.equal(sample.deliveredAt, '2026-06-15T09:00:14.250Z');
      assert.equal(typeof sample.data.author.handle, 'string');
    });

    test('sampleDelivery defaults to now', () => {
      const before = Date.now() - 1000;
      const sample = JSON.parse(api.sampleDelivery('post.failed'));

      assert.equal(sample.webhookId, 'wh_sample');
      assert.ok(Date.parse(sample.deliveredAt) >= before, sample.deliveredAt);
    });

    test('sampleDelivery rejects an unknown event type', () => {
      assert.throws(() => api.sampleDelivery('post.deleted'), assertVerificationError('unknown_event'));
      assert.throws(() => api.sampleDelivery(undefined), assertMisuse(/eventType must be/));
      assert.throws(() => api.sampleDelivery('post.published', { deliveredAt: 'yesterday' }), assertMisuse(/deliveredAt/));
    });
  });

  describe(`WebhookVerificationError, ${path}`, () => {
    test('WebhookVerificationError has name, code and status', () => {
      const error = new api.WebhookVerificationError('stale_delivery', 'too old');

      assert.ok(error instanceof Error);
      assert.equal(error.name, 'WebhookVerificationError');
      assert.equal(error.code, 'stale_delivery');
      assert.equal(error.status, 401);
      assert.equal(error.message, 'too old');
    });
  });
}
