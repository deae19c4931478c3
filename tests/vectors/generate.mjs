// Writes tests/vectors/signatures.json: signature test vectors for the Aether
// and Standard Webhooks schemes, shared by the Rust and the JavaScript tests.
//
// Every expected value is computed here with node:crypto, so the vectors do not
// depend on the code they test. The output is deterministic: secrets and other
// "random" bytes are derived from fixed labels with SHA-256, and no clock is read.
//
// Usage: node tests/vectors/generate.mjs

import { createHash, createHmac } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const OUTPUT_PATH = fileURLToPath(new URL('./signatures.json', import.meta.url));

const SECRET_PREFIX = 'whsec_';

/** Delivery time of the documentation example: 2026-06-15T09:00:14Z, in unix seconds. */
const TIMESTAMP = Date.UTC(2026, 5, 15, 9, 0, 14) / 1000;

/** Verifier clock for the Standard Webhooks cases: two seconds after the delivery was signed. */
const NOW = TIMESTAMP + 2;

/** Timestamp tolerance in seconds: five minutes, as in the `standardwebhooks` npm package 1.3.0. */
const TOLERANCE_SECONDS = 300;

const MSG_ID = 'msg_2Xk7QeVb9LmTz4RpH1sNcW8yFd';

/** Maximum number of entries an Aether signature header may hold. */
const MAX_AETHER_SIGNATURES = 8;

const ONE_MIB = 1024 * 1024;

// ---------------------------------------------------------------------------
// Deterministic bytes and secrets

/** Derives `length` bytes from `label` with SHA-256 in counter mode. */
function deriveBytes(label, length) {
  const blocks = [];

  for (let counter = 0; blocks.length * 32 < length; counter++) {
    blocks.push(createHash('sha256').update(`aether-webhooks test vectors/${label}/${counter}`).digest());
  }

  return Buffer.concat(blocks).subarray(0, length);
}

/** Builds a secret in the usual shape: `whsec_` followed by the base64 of `length` derived bytes. */
function deriveSecret(label, length = 32) {
  return SECRET_PREFIX + deriveBytes(label, length).toString('base64');
}

/**
 * Builds a realistic 32-byte secret whose base64 part contains `+`, `/` and `=`.
 * The base64 of 32 bytes always ends in one `=`, so only `+` and `/` need searching for.
 */
function deriveSecretWithBase64Symbols(label) {
  for (let attempt = 0; ; attempt++) {
    const secret = deriveSecret(`${label}/${attempt}`);

    if (secret.includes('+') && secret.includes('/') && secret.includes('=')) {
      return secret;
    }
  }
}

const SECRET = deriveSecret('primary');
const OTHER_SECRET = deriveSecret('other');
const SECRET_WITH_SYMBOLS = deriveSecretWithBase64Symbols('symbols');
const LONG_SECRET = deriveSecret('long', 96);

/**
 * An entry shaped like a Standard Webhooks asymmetric (`v1a`, Ed25519) signature: 64 bytes
 * in base64. It starts with `v1` but not with `v1,`, so a verifier must not read it as v1.
 */
const ED25519_SHAPED_ENTRY = `v1a,${deriveBytes('ed25519-shaped', 64).toString('base64')}`;

// ---------------------------------------------------------------------------
// Bodies: each keeps its exact bytes and the JSON field that describes them

/** Builds a body whose bytes are the UTF-8 encoding of `text`. */
function utf8Body(text) {
  return { bytes: Buffer.from(text, 'utf8'), field: { bodyUtf8: text } };
}

/** Builds a body from raw bytes, used for bytes that are not valid UTF-8 and for a byte order mark. */
function base64Body(bytes) {
  return { bytes, field: { bodyBase64: bytes.toString('base64') } };
}

/** Builds a body of `pattern` repeated and cut to exactly `length` bytes. */
function repeatBody(pattern, length) {
  const patternBytes = Buffer.from(pattern, 'utf8');
  const bytes = Buffer.alloc(length);

  for (let offset = 0; offset < length; offset += patternBytes.length) {
    patternBytes.copy(bytes, offset);
  }

  return { bytes, field: { bodyRepeat: { pattern, length } } };
}

/** Replaces every UTF-16 code unit above 0x7e with a JSON `\uXXXX` escape, so an emoji becomes a surrogate pair. */
function escapeNonAscii(text) {
  let escaped = '';

  for (let index = 0; index < text.length; index++) {
    const codeUnit = text.charCodeAt(index);
    escaped += codeUnit > 0x7e ? `\\u${codeUnit.toString(16).padStart(4, '0')}` : text[index];
  }

  return escaped;
}

/**
 * Returns a copy of an ASCII text body with the byte at `index` changed in its lowest bit,
 * which keeps it ASCII, so the copy is still a `bodyUtf8` body.
 */
function flipOneByte(body, index) {
  const bytes = Buffer.from(body.bytes);
  bytes[index] ^= 0x01;

  if (!bytes.every((byte) => byte < 0x80)) {
    throw new Error('flipOneByte needs an ASCII body, because a flipped bit could make other bytes invalid UTF-8');
  }

  return utf8Body(bytes.toString('utf8'));
}

const PUBLISHED_EVENT = {
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
};

const FAILED_EVENT = {
  event: 'post.failed',
  webhookId: 'wh_abc123',
  deliveredAt: '2026-06-15T09:00:45Z',
  data: {
    postId: 'post_xyz789',
    platform: 'tiktok',
    profileId: 'tt_xyz789',
    error: {
      code: '68002',
      message: 'Permission denied: missing video.publish scope',
      retryable: false,
    },
    retriesExhausted: 5,
  },
};

const NON_ASCII_EVENT = {
  event: 'post.published',
  webhookId: 'wh_abc123',
  deliveredAt: '2026-06-15T09:00:14Z',
  data: {
    postId: 'post_xyz789',
    platform: 'instagram',
    profileId: 'ig_abc123',
    caption: 'Launch day 🚀 新しい投稿です — منشور جديد',
  },
};

const PUBLISHED_COMPACT = JSON.stringify(PUBLISHED_EVENT);
const PUBLISHED_PRETTY = JSON.stringify(PUBLISHED_EVENT, null, 2);
const NON_ASCII_COMPACT = JSON.stringify(NON_ASCII_EVENT);

const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/**
 * Bytes that are not valid UTF-8 inside an otherwise ASCII JSON text. The bytes 0xff and 0xfe
 * never occur in UTF-8, and 0xc3 0x28 is a lead byte without its continuation byte. Then come
 * a lone continuation byte (0x80), an overlong `/` (0xc0 0xaf) and a cut-off three-byte sequence.
 */
const INVALID_UTF8 = Buffer.concat([
  Buffer.from('{"event":"post.published","note":"', 'utf8'),
  Buffer.from([0xff, 0xfe, 0xc3, 0x28, 0x80, 0xc0, 0xaf, 0xe6, 0x96]),
  Buffer.from('"}', 'utf8'),
]);

/** The bodies that both schemes sign, each with the secret to sign it with and its origin. */
const SHARED_BODIES = [
  {
    name: 'published example, compact',
    origin: 'product documentation example payload, compact',
    secret: SECRET,
    body: utf8Body(PUBLISHED_COMPACT),
  },
  {
    name: 'published example, pretty',
    origin: 'product documentation example payload, pretty-printed with 2-space indent',
    secret: SECRET,
    body: utf8Body(PUBLISHED_PRETTY),
  },
  {
    name: 'failed example, compact',
    origin: 'product documentation example payload, compact',
    secret: SECRET,
    body: utf8Body(JSON.stringify(FAILED_EVENT)),
  },
  {
    name: 'failed example, pretty',
    origin: 'product documentation example payload, pretty-printed with 2-space indent',
    secret: SECRET,
    body: utf8Body(JSON.stringify(FAILED_EVENT, null, 2)),
  },
  {
    name: 'non-ASCII text, raw',
    origin: 'edge case: emoji, Japanese and Arabic written as raw UTF-8',
    secret: SECRET,
    body: utf8Body(NON_ASCII_COMPACT),
  },
  {
    name: 'non-ASCII text, escaped',
    origin: 'edge case: the same text as \\u escapes (same JSON value, different bytes)',
    secret: SECRET,
    body: utf8Body(escapeNonAscii(NON_ASCII_COMPACT)),
  },
  {
    name: 'escaped slashes',
    origin: 'edge case: JSON with \\/ escapes, as PHP json_encode writes by default',
    secret: SECRET,
    body: utf8Body(PUBLISHED_COMPACT.replaceAll('/', '\\/')),
  },
  {
    name: 'CRLF line endings',
    origin: 'edge case: CRLF line endings',
    secret: SECRET,
    body: utf8Body(PUBLISHED_PRETTY.replaceAll('\n', '\r\n')),
  },
  {
    name: 'trailing newline',
    origin: 'edge case: trailing newline after the JSON',
    secret: SECRET,
    body: utf8Body(`${PUBLISHED_COMPACT}\n`),
  },
  {
    name: 'UTF-8 BOM',
    origin: 'edge case: UTF-8 byte order mark before the JSON',
    secret: SECRET,
    body: base64Body(Buffer.concat([UTF8_BOM, Buffer.from(PUBLISHED_COMPACT, 'utf8')])),
  },
  {
    name: 'empty body',
    origin: 'edge case: empty body',
    secret: SECRET,
    body: utf8Body(''),
  },
  {
    name: 'invalid UTF-8',
    origin: 'edge case: bytes that are not valid UTF-8',
    secret: SECRET,
    body: base64Body(INVALID_UTF8),
  },
  {
    name: 'secret with + / =',
    origin: 'edge case: secret whose base64 part contains +, / and =',
    secret: SECRET_WITH_SYMBOLS,
    body: utf8Body(PUBLISHED_COMPACT),
  },
  {
    name: 'secret longer than 64 bytes',
    origin: 'edge case: HMAC key longer than the SHA-256 block size, which HMAC hashes first',
    secret: LONG_SECRET,
    body: utf8Body(PUBLISHED_COMPACT),
  },
  {
    name: '1 MiB body',
    origin: 'edge case: 1 MiB body, ASCII pattern cut in the middle of a repetition',
    secret: SECRET,
    body: repeatBody('{"chunk":"aether-webhooks"},', ONE_MIB),
  },
];

// ---------------------------------------------------------------------------
// Signing

function hmacSha256(key, message) {
  return createHmac('sha256', key).update(message).digest();
}

/** Signs `bytes` the Aether way: the key is the whole secret string, prefix included. */
function signAether(secret, bytes) {
  return `sha256=${hmacSha256(Buffer.from(secret, 'utf8'), bytes).toString('hex')}`;
}

/**
 * Decodes the key of a Standard Webhooks secret: the base64 after `whsec_`.
 *
 * Throws when the secret lacks the prefix or its rest is not canonical base64, because
 * Buffer.from(…, 'base64') would silently skip invalid characters and sign with another key.
 */
function decodeStandardKey(secret) {
  if (!secret.startsWith(SECRET_PREFIX)) {
    throw new Error(`secret does not start with ${SECRET_PREFIX}: ${secret}`);
  }

  const encoded = secret.slice(SECRET_PREFIX.length);
  const key = Buffer.from(encoded, 'base64');

  if (key.toString('base64') !== encoded) {
    throw new Error(`secret is not canonical base64 after ${SECRET_PREFIX}: ${secret}`);
  }

  return key;
}

/** Signs `bytes` the Standard Webhooks way and returns one `v1,<base64>` entry. */
function signStandard(secret, msgId, timestampHeader, bytes) {
  const signedContent = Buffer.concat([Buffer.from(`${msgId}.${timestampHeader}.`, 'utf8'), bytes]);

  return `v1,${hmacSha256(decodeStandardKey(secret), signedContent).toString('base64')}`;
}

// ---------------------------------------------------------------------------
// Aether cases

function aetherCase(name, origin, secret, body, signature) {
  return { name, origin, secret, ...body.field, signature };
}

function buildAetherCases() {
  const cases = SHARED_BODIES.map(({ name, origin, secret, body }) =>
    aetherCase(name, origin, secret, body, signAether(secret, body.bytes)),
  );

  const body = utf8Body(PUBLISHED_COMPACT);
  const valid = signAether(SECRET, body.bytes);
  const previousSecretEntry = signAether(OTHER_SECRET, body.bytes);

  cases.push(
    aetherCase(
      'rotation, second entry matches',
      'secret rotation: the first entry was made with the previous secret',
      SECRET,
      body,
      `${previousSecretEntry},${valid}`,
    ),
    aetherCase(
      'whitespace around the header',
      'edge case: spaces before and after the only entry',
      SECRET,
      body,
      `  ${valid}  `,
    ),
    aetherCase(
      'whitespace around entries',
      'edge case: spaces on both sides of the separating comma',
      SECRET,
      body,
      `${previousSecretEntry} , ${valid}`,
    ),
    aetherCase(
      'maximum entries, last matches',
      `limit: exactly ${MAX_AETHER_SIGNATURES} entries are accepted`,
      SECRET,
      body,
      [...rotatedSignatures(body, MAX_AETHER_SIGNATURES - 1), valid].join(','),
    ),
  );

  return cases;
}

/** Signs `body` with `count` derived secrets other than SECRET, as after many secret rotations. */
function rotatedSignatures(body, count) {
  return Array.from({ length: count }, (_, index) => signAether(deriveSecret(`rotated/${index}`), body.bytes));
}

function aetherInvalidCase(name, secret, body, header, code) {
  return { name, secret, ...body.field, header, code };
}

function buildAetherInvalidCases() {
  const body = utf8Body(PUBLISHED_COMPACT);
  const valid = signAether(SECRET, body.bytes);
  const hex = valid.slice('sha256='.length);
  const sha1 = createHmac('sha1', Buffer.from(SECRET, 'utf8')).update(body.bytes).digest('hex');

  if (hex.toUpperCase() === hex) {
    throw new Error('the reference signature has no hex letter to uppercase: change the primary secret label');
  }

  const malformed = [
    ['prefix without digest', 'sha256='],
    ['63 hex digits', `sha256=${hex.slice(0, 63)}`],
    ['65 hex digits', `sha256=${hex}0`],
    ['128 hex digits', `sha256=${hex}${hex}`],
    ['non-hex characters', `sha256=${hex.slice(0, 60)}wxyz`],
    ['uppercase hex', `sha256=${hex.toUpperCase()}`],
    ['multibyte character, 64 characters', `sha256=${hex.slice(0, 63)}é`],
    ['multibyte character, 64 bytes', `sha256=${hex.slice(0, 62)}é`],
    ['trailing comma', `${valid},`],
    ['empty entry between commas', `${valid},,${valid}`],
    ['sha256 without =', `sha256${hex}`],
  ];

  return [
    aetherInvalidCase('empty header', SECRET, body, '', 'missing_signature'),
    ...malformed.map(([name, header]) => aetherInvalidCase(name, SECRET, body, header, 'malformed_signature')),
    aetherInvalidCase('sha1 scheme', SECRET, body, `sha1=${sha1}`, 'unsupported_scheme'),
    aetherInvalidCase(
      'nine entries, last matches',
      SECRET,
      body,
      [...rotatedSignatures(body, MAX_AETHER_SIGNATURES), valid].join(','),
      'too_many_signatures',
    ),
    aetherInvalidCase(
      'signed with another secret',
      SECRET,
      body,
      signAether(OTHER_SECRET, body.bytes),
      'invalid_signature',
    ),
    aetherInvalidCase('one body byte changed', SECRET, flipOneByte(body, 10), valid, 'invalid_signature'),
  ];
}

// ---------------------------------------------------------------------------
// Standard Webhooks cases

function standardCase({
  name,
  origin,
  secret,
  body,
  signature,
  now = NOW,
  toleranceSeconds = TOLERANCE_SECONDS,
}) {
  return { name, origin, secret, msgId: MSG_ID, timestamp: TIMESTAMP, ...body.field, signature, now, toleranceSeconds };
}

function buildStandardCases() {
  const cases = SHARED_BODIES.map(({ name, origin, secret, body }) => {
    const signature = signStandard(secret, MSG_ID, String(TIMESTAMP), body.bytes);

    return standardCase({ name, origin, secret, body, signature });
  });

  const body = utf8Body(PUBLISHED_COMPACT);
  const sign = (timestamp, secret = SECRET) => signStandard(secret, MSG_ID, String(timestamp), body.bytes);
  const oneYear = 365 * 24 * 60 * 60;

  cases.push(
    standardCase({
      name: 'rotation, second entry matches',
      origin: 'secret rotation: the first entry was made with the previous secret',
      secret: SECRET,
      body,
      signature: `${sign(TIMESTAMP, OTHER_SECRET)} ${sign(TIMESTAMP)}`,
    }),
    standardCase({
      name: 'non-v1 entry skipped',
      origin: 'rule: an entry that is not v1 (here a v1a entry shaped like Ed25519) is skipped',
      secret: SECRET,
      body,
      signature: `${ED25519_SHAPED_ENTRY} ${sign(TIMESTAMP)}`,
    }),
    standardCase({
      name: 'timestamp at the stale boundary',
      origin: 'limit: a timestamp exactly toleranceSeconds before now is accepted',
      secret: SECRET,
      body,
      signature: sign(TIMESTAMP),
      now: TIMESTAMP + TOLERANCE_SECONDS,
    }),
    standardCase({
      name: 'timestamp at the future boundary',
      origin: 'limit: a timestamp exactly toleranceSeconds after now is accepted',
      secret: SECRET,
      body,
      signature: sign(TIMESTAMP),
      now: TIMESTAMP - TOLERANCE_SECONDS,
    }),
    standardCase({
      name: 'old timestamp without tolerance',
      origin: 'rule: with toleranceSeconds null the timestamp is signed but its age is not checked',
      secret: SECRET,
      body,
      signature: sign(TIMESTAMP),
      now: TIMESTAMP + oneYear,
      toleranceSeconds: null,
    }),
  );

  return cases;
}

function standardInvalidCase(name, timestampHeader, signatureHeader, body, code) {
  return {
    name,
    secret: SECRET,
    msgId: MSG_ID,
    timestampHeader,
    signatureHeader,
    ...body.field,
    now: NOW,
    toleranceSeconds: TOLERANCE_SECONDS,
    code,
  };
}

function buildStandardInvalidCases() {
  const body = utf8Body(PUBLISHED_COMPACT);
  const sign = (timestampHeader, { secret = SECRET, msgId = MSG_ID } = {}) =>
    signStandard(secret, msgId, timestampHeader, body.bytes);

  // Each case below has exactly one fault. Where the fault is not the signature itself,
  // the signature is computed over the headers as given, so only that fault can reject it.
  const ts = String(TIMESTAMP);
  const stale = String(NOW - TOLERANCE_SECONDS - 1);
  const future = String(NOW + TOLERANCE_SECONDS + 1);
  const v2Entry = `v2,${sign(ts).slice('v1,'.length)}`;
  const otherSecretEntry = sign(ts, { secret: OTHER_SECRET });

  return [
    standardInvalidCase('stale timestamp', stale, sign(stale), body, 'stale_delivery'),
    standardInvalidCase('future timestamp', future, sign(future), body, 'future_delivery'),
    standardInvalidCase('non-numeric timestamp', 'yesterday', sign('yesterday'), body, 'invalid_timestamp'),
    standardInvalidCase('timestamp with trailing letters', `${ts}s`, sign(`${ts}s`), body, 'invalid_timestamp'),
    standardInvalidCase('v1 entry with invalid base64', ts, 'v1,not*base64!', body, 'malformed_signature'),
    standardInvalidCase('v1 entry without digest', ts, 'v1,', body, 'malformed_signature'),
    standardInvalidCase('only a v1a entry', ts, ED25519_SHAPED_ENTRY, body, 'unsupported_scheme'),
    standardInvalidCase('only a v2 entry', ts, v2Entry, body, 'unsupported_scheme'),
    standardInvalidCase('empty signature header', ts, '', body, 'missing_signature'),
    standardInvalidCase('signed with another secret', ts, otherSecretEntry, body, 'invalid_signature'),
    standardInvalidCase('one body byte changed', ts, sign(ts), flipOneByte(body, 10), 'invalid_signature'),
    standardInvalidCase('signed with another msg id', ts, sign(ts, { msgId: 'msg_other' }), body, 'invalid_signature'),
    standardInvalidCase('signed with another timestamp', ts, sign(String(TIMESTAMP - 1)), body, 'invalid_signature'),
  ];
}

// ---------------------------------------------------------------------------
// Output

/** Throws when two cases in one list share a name, so every vector can be named in a failure message. */
function assertUniqueNames(listName, cases) {
  const seen = new Set();

  for (const { name } of cases) {
    if (seen.has(name)) {
      throw new Error(`duplicate case name in ${listName}: ${name}`);
    }
    seen.add(name);
  }
}

/** Throws unless `bytes` fails strict UTF-8 decoding, which the invalid-UTF-8 case relies on. */
function assertInvalidUtf8(bytes) {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return;
  }

  throw new Error('the invalid UTF-8 body decodes as UTF-8');
}

function main() {
  assertInvalidUtf8(INVALID_UTF8);

  const vectors = {
    description: [
      'Signature test vectors for Aether Webhooks: the Aether scheme (x-aether-signature)',
      'and Standard Webhooks (webhook-signature), with the error code a verifier must return',
      'for each invalid case. See tests/vectors/README.md for the format.',
    ].join(' '),
    generatedBy: 'tests/vectors/generate.mjs (node:crypto)',
    aether: buildAetherCases(),
    standard: buildStandardCases(),
    aetherInvalid: buildAetherInvalidCases(),
    standardInvalid: buildStandardInvalidCases(),
  };

  for (const listName of ['aether', 'standard', 'aetherInvalid', 'standardInvalid']) {
    assertUniqueNames(listName, vectors[listName]);
  }

  writeFileSync(OUTPUT_PATH, `${JSON.stringify(vectors, null, 2)}\n`);
}

main();
