/**
 * The backend that runs everything in the WebAssembly core, HMAC included: the path of
 * browsers, workerd and other runtimes without `node:crypto`.
 */

import { fromCoreError } from './errors.js';
import { misuse } from './inputs.js';

const encoder = new TextEncoder();

/**
 * Returns a body as bytes for the core. Strings are encoded with the native `TextEncoder`:
 * wasm-bindgen's own string passing copies ASCII one character at a time in JavaScript,
 * which took about half the time of verifying a 64 KiB body.
 */
export function toBytes(body) {
  return typeof body === 'string' ? encoder.encode(body) : body;
}

/**
 * Creates the backend on `core`, the initialised wasm-bindgen module. Every error the core
 * throws leaves as a `WebhookVerificationError`.
 */
export function wasmBackend(core) {
  return {
    verifyAether(body, header, secret) {
      try {
        return core.verifyAether(secret, toBytes(body), header);
      } catch (error) {
        throw fromCoreError(error);
      }
    },

    checkAether(body, header, secret) {
      try {
        core.checkAether(secret, toBytes(body), header);
      } catch (error) {
        throw fromCoreError(error);
      }
    },

    checkStandard(body, headers, secret, nowMillis, toleranceSeconds) {
      try {
        core.checkStandard(secret, headers.id ?? '', headers.timestamp ?? '', headers.signature, toBytes(body), nowMillis, toleranceSeconds);
      } catch (error) {
        throw fromCoreError(error);
      }
    },

    ...sharedOperations(core),
  };
}

/**
 * Creates the operations that run in the WebAssembly core on every runtime: payload
 * parsing, signing and samples. They are not on the hot path of verification.
 */
export function sharedOperations(core) {
  return {
    parseDelivery(body) {
      try {
        return core.parseDelivery(toBytes(body));
      } catch (error) {
        throw fromCoreError(error);
      }
    },

    signAether(body, secret) {
      try {
        return core.signAether(secret, toBytes(body));
      } catch (error) {
        throw fromCoreError(error);
      }
    },

    signStandard(body, secret, id, timestamp) {
      try {
        return core.signStandard(secret, id, timestamp, toBytes(body));
      } catch (error) {
        throw fromCoreError(error);
      }
    },

    sampleDelivery(eventType, webhookId, deliveredAt) {
      try {
        return core.sampleDelivery(eventType, webhookId, deliveredAt);
      } catch (error) {
        if (error?.code === 'invalid_timestamp') {
          throw misuse(`options.deliveredAt is not an RFC 3339 date-time such as 2026-06-15T09:00:14Z: ${JSON.stringify(deliveredAt)}.`);
        }
        throw fromCoreError(error);
      }
    },
  };
}
