/**
 * The backend that runs everything in the WebAssembly core, HMAC included: the path of
 * browsers, workerd and other runtimes without `node:crypto`.
 */

import { fromCoreError } from './errors.js';
import { misuse } from './inputs.js';

const encoder = new TextEncoder();

/** UTF-8 takes at most three bytes for each UTF-16 code unit of a JavaScript string. */
const MAX_UTF8_BYTES_PER_CODE_UNIT = 3;

/**
 * Creates the function that writes a body (a string or a `Uint8Array`) into the core's body
 * buffer and returns its length in bytes, which the core's functions take in place of the
 * body. Strings are encoded in place with `encodeInto`, for the reasons given in
 * crates/aether-webhooks-wasm/src/body.rs.
 */
function bodyWriter(core, memory) {
  return function writeBody(body) {
    if (typeof body === 'string') {
      const capacity = body.length * MAX_UTF8_BYTES_PER_CODE_UNIT;
      const address = core.reserveBody(capacity);
      return encoder.encodeInto(body, new Uint8Array(memory.buffer, address, capacity)).written;
    }

    const address = core.reserveBody(body.byteLength);
    new Uint8Array(memory.buffer, address, body.byteLength).set(body);
    return body.byteLength;
  };
}

/**
 * Creates the backend on `core`, the initialised wasm-bindgen module, and `memory`, its
 * WebAssembly memory. Every error the core throws leaves as a `WebhookVerificationError`.
 */
export function wasmBackend(core, memory) {
  const writeBody = bodyWriter(core, memory);

  return {
    verifyAether(body, header, secret) {
      try {
        return core.verifyAether(secret, writeBody(body), header);
      } catch (error) {
        throw fromCoreError(error);
      }
    },

    checkAether(body, header, secret) {
      try {
        core.checkAether(secret, writeBody(body), header);
      } catch (error) {
        throw fromCoreError(error);
      }
    },

    checkStandard(body, headers, secret, nowMillis, toleranceSeconds) {
      try {
        core.checkStandard(secret, headers.id ?? '', headers.timestamp ?? '', headers.signature, writeBody(body), nowMillis, toleranceSeconds);
      } catch (error) {
        throw fromCoreError(error);
      }
    },

    ...sharedOperations(core, memory),
  };
}

/**
 * Creates the operations that run in the WebAssembly core on every runtime: payload
 * parsing, signing and samples. They are not on the hot path of verification.
 */
export function sharedOperations(core, memory) {
  const writeBody = bodyWriter(core, memory);

  return {
    parseDelivery(body) {
      try {
        return core.parseDelivery(writeBody(body));
      } catch (error) {
        throw fromCoreError(error);
      }
    },

    signAether(body, secret) {
      try {
        return core.signAether(secret, writeBody(body));
      } catch (error) {
        throw fromCoreError(error);
      }
    },

    signStandard(body, secret, id, timestamp) {
      try {
        return core.signStandard(secret, id, timestamp, writeBody(body));
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
