// Loads the shared signature vectors of tests/vectors/signatures.json, the same file the
// Rust tests read, and decodes each case's body.

import { readFileSync } from 'node:fs';

const VECTORS_URL = new URL('../../../tests/vectors/signatures.json', import.meta.url);

export const vectors = JSON.parse(readFileSync(VECTORS_URL, 'utf8'));

/** Returns a case's body as a Buffer, from `bodyUtf8`, `bodyBase64` or `bodyRepeat`. */
export function bodyOf(testCase) {
  if (testCase.bodyUtf8 !== undefined) {
    return Buffer.from(testCase.bodyUtf8, 'utf8');
  }
  if (testCase.bodyBase64 !== undefined) {
    return Buffer.from(testCase.bodyBase64, 'base64');
  }

  const { pattern, length } = testCase.bodyRepeat;
  const unit = Buffer.from(pattern, 'utf8');
  const body = Buffer.alloc(length);
  for (let offset = 0; offset < length; offset += unit.length) {
    unit.copy(body, offset, 0, Math.min(unit.length, length - offset));
  }
  return body;
}
