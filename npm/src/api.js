/**
 * The public functions, built on a backend that runs the core in the way the runtime
 * allows: `node:crypto` for the HMAC in Node, WebAssembly for everything elsewhere.
 */

import { WebhookVerificationError } from './errors.js';
import {
  misuse,
  readSampleOptions,
  readSignatureHeaders,
  readStandardSigningOptions,
  readVerifyOptions,
  requireSecret,
  signatureText,
  toBody,
} from './inputs.js';

/** Creates the package's functions on top of `backend` (see `backends.js`). */
export function createApi(backend) {
  function verifyAetherWebhook(rawBody, signature, secret) {
    const body = toBody(rawBody);
    const header = signatureText(signature);
    requireSecret(secret);

    return backend.verifyAether(body, header, secret);
  }

  function constructEvent(rawBody, headers, secret, options) {
    const body = toBody(rawBody);
    const signatures = readSignatureHeaders(headers);
    requireSecret(secret);
    const { toleranceSeconds, nowMillis } = readVerifyOptions(options);

    if (signatures.signature !== undefined) {
      backend.checkStandard(body, signatures, secret, nowMillis, toleranceSeconds);
    } else if (toleranceSeconds !== undefined) {
      throw new WebhookVerificationError(
        'missing_signature',
        'toleranceSeconds needs the webhook-id, webhook-timestamp and webhook-signature headers, ' +
          'which sign the delivery time, but the request has no webhook-signature header',
      );
    } else {
      backend.checkAether(body, signatures.aether ?? '', secret);
    }

    return JSON.parse(backend.parseDelivery(body));
  }

  async function verifyRequest(request, secret, options) {
    if (request === null || typeof request !== 'object' || typeof request.arrayBuffer !== 'function') {
      throw misuse('verifyRequest needs a Fetch API Request, such as the argument of a Next.js route handler or a Worker fetch handler.');
    }
    if (request.bodyUsed) {
      throw misuse('the request body was already read: call verifyRequest before request.json() or request.text(), or pass the text you read to constructEvent.');
    }
    requireSecret(secret);

    const body = new Uint8Array(await request.arrayBuffer());

    return constructEvent(body, request.headers, secret, options);
  }

  function sign(rawBody, secret) {
    const body = toBody(rawBody);
    requireSecret(secret);

    return backend.signAether(body, secret);
  }

  function signStandardWebhook(rawBody, secret, options) {
    const body = toBody(rawBody);
    requireSecret(secret);
    const { id, timestamp } = readStandardSigningOptions(options);

    return backend.signStandard(body, secret, id, timestamp);
  }

  function sampleDelivery(eventType, options) {
    if (typeof eventType !== 'string') {
      throw misuse(`eventType must be an event type name such as 'post.published', not ${eventType === null ? 'null' : typeof eventType}.`);
    }
    const { webhookId, deliveredAt } = readSampleOptions(options);

    return backend.sampleDelivery(eventType, webhookId, deliveredAt);
  }

  return { verifyAetherWebhook, constructEvent, verifyRequest, sign, signStandardWebhook, sampleDelivery };
}
