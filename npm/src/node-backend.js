/**
 * The Node backend: `node:crypto` computes the HMAC natively and reads the body where it
 * is, and the WebAssembly core parses the signature headers and compares in constant time.
 * SHA-256 in WebAssembly reaches only a fraction of `node:crypto`'s speed, and copying a
 * large body into WebAssembly memory would cost more again.
 */

import { Buffer } from 'node:buffer';
import { createHmac, createSecretKey } from 'node:crypto';

import { fromCoreError } from './errors.js';
import { sharedOperations } from './wasm-backend.js';

/** Creates the backend on `core`, the initialised wasm-bindgen module, and its `memory`. */
export function nodeBackend(core, memory) {
  // The HMAC keys of the last secret used with each scheme, as KeyObjects, so that a receiver
  // verifying with one secret neither has the core re-check it nor converts it to a key on
  // every delivery.
  let aetherKeySecret;
  let aetherKey;
  let standardKeySecret;
  let standardKey;

  function aetherKeyOf(secret) {
    if (secret !== aetherKeySecret) {
      try {
        core.checkSecret(secret);
      } catch (error) {
        throw fromCoreError(error);
      }
      aetherKey = createSecretKey(Buffer.from(secret, 'utf8'));
      aetherKeySecret = secret;
    }
    return aetherKey;
  }

  function standardKeyOf(secret) {
    if (secret !== standardKeySecret) {
      try {
        standardKey = createSecretKey(core.standardKey(secret));
      } catch (error) {
        throw fromCoreError(error);
      }
      standardKeySecret = secret;
    }
    return standardKey;
  }

  return {
    verifyAether(body, header, secret) {
      const mac = createHmac('sha256', aetherKeyOf(secret)).update(body).digest();

      return core.aetherSignatureMatches(header, mac);
    },

    checkAether(body, header, secret) {
      const mac = createHmac('sha256', aetherKeyOf(secret)).update(body).digest();

      try {
        core.checkAetherSignature(header, mac);
      } catch (error) {
        throw fromCoreError(error);
      }
    },

    checkStandard(body, headers, secret, nowMillis, toleranceSeconds) {
      const key = standardKeyOf(secret);
      const id = headers.id ?? '';
      let timestamp;
      try {
        timestamp = core.checkStandardHeaders(id, headers.timestamp ?? '', headers.signature, nowMillis, toleranceSeconds);
      } catch (error) {
        throw fromCoreError(error);
      }

      // The signed content is `{id}.{timestamp}.{body}` with the timestamp as the core parsed
      // it, so a header such as " 0042" is signed as "42", exactly as the core would.
      const mac = createHmac('sha256', key).update(`${id}.${timestamp}.`).update(body).digest();

      try {
        core.checkStandardSignature(headers.signature, mac);
      } catch (error) {
        throw fromCoreError(error);
      }
    },

    ...sharedOperations(core, memory),
  };
}
