// Runs every case of the shared signature vectors through both verification paths.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { entries } from './support/entries.mjs';
import { bodyOf, vectors } from './support/vectors.mjs';

/**
 * Calls `constructEvent` and returns 'verified' when the signature passed: either an event
 * came back, or only the payload was rejected (several vector bodies, such as the empty
 * one, are signed correctly but are no Aether delivery). Returns the error code otherwise.
 */
function verificationOutcome(construct) {
  try {
    construct();
    return 'verified';
  } catch (error) {
    assert.equal(error.name, 'WebhookVerificationError', error.stack);
    return error.code === 'malformed_payload' ? 'verified' : error.code;
  }
}

function standardHeaders(id, timestamp, signature) {
  return { 'webhook-id': id, 'webhook-timestamp': timestamp, 'webhook-signature': signature };
}

function clockOptions(testCase) {
  return { now: testCase.now * 1000, toleranceSeconds: testCase.toleranceSeconds ?? undefined };
}

for (const { path, api } of entries) {
  describe(`shared vectors, ${path}`, () => {
    test('aether cases verify', () => {
      for (const testCase of vectors.aether) {
        const body = bodyOf(testCase);

        assert.equal(api.verifyAetherWebhook(body, testCase.signature, testCase.secret), true, testCase.name);
        if (testCase.bodyUtf8 !== undefined) {
          assert.equal(api.verifyAetherWebhook(testCase.bodyUtf8, testCase.signature, testCase.secret), true, testCase.name);
        }
        const outcome = verificationOutcome(() => api.constructEvent(body, { 'x-aether-signature': testCase.signature }, testCase.secret));
        assert.equal(outcome, 'verified', testCase.name);
      }
    });

    test('aether invalid cases fail with their code', () => {
      for (const testCase of vectors.aetherInvalid) {
        const body = bodyOf(testCase);

        assert.equal(api.verifyAetherWebhook(body, testCase.header, testCase.secret), false, testCase.name);
        const outcome = verificationOutcome(() => api.constructEvent(body, testCase.header, testCase.secret));
        assert.equal(outcome, testCase.code, testCase.name);
      }
    });

    test('standard cases verify', () => {
      for (const testCase of vectors.standard) {
        const headers = standardHeaders(testCase.msgId, String(testCase.timestamp), testCase.signature);

        const outcome = verificationOutcome(() => api.constructEvent(bodyOf(testCase), headers, testCase.secret, clockOptions(testCase)));
        assert.equal(outcome, 'verified', testCase.name);
      }
    });

    test('standard invalid cases fail with their code', () => {
      for (const testCase of vectors.standardInvalid) {
        const headers = standardHeaders(testCase.msgId, testCase.timestampHeader, testCase.signatureHeader);

        const outcome = verificationOutcome(() => api.constructEvent(bodyOf(testCase), headers, testCase.secret, clockOptions(testCase)));
        assert.equal(outcome, testCase.code, testCase.name);
      }
    });

    test('signing reproduces the vectors', () => {
      for (const testCase of vectors.aether.filter((aetherCase) => !aetherCase.signature.includes(','))) {
        assert.equal(api.sign(bodyOf(testCase), testCase.secret), testCase.signature.trim(), testCase.name);
      }
      for (const testCase of vectors.standard.filter((standardCase) => !standardCase.signature.includes(' '))) {
        const signed = api.signStandardWebhook(bodyOf(testCase), testCase.secret, { id: testCase.msgId, timestamp: testCase.timestamp });
        assert.equal(signed, testCase.signature, testCase.name);
      }
    });
  });
}
