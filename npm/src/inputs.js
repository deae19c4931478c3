/**
 * Checks and normalises what callers pass in: raw bodies, secrets, headers and options.
 * Misuse throws a `TypeError` prefixed with the package name.
 */

const PACKAGE_NAME = '@aether/webhooks';

const RAW_BODY_HELP =
  'Signatures cover the exact bytes Aether sent, so pass the body as received: ' +
  '`await request.text()` or `verifyRequest(request, secret)` in a Fetch handler, ' +
  "`express.raw({ type: 'application/json' })` in Express, or `request.rawBody` where a " +
  'framework keeps it. Re-serialising parsed JSON does not reproduce the signed bytes.';

/** Creates the `TypeError` thrown for misuse, prefixed with the package name. */
export function misuse(message) {
  return new TypeError(`${PACKAGE_NAME}: ${message}`);
}

/**
 * Returns the raw body as a string or a `Uint8Array` over exactly the bytes of the given
 * view. A Node `Buffer` is returned as it is, so its `byteOffset` and `byteLength` are kept
 * and the rest of its pooled backing store is never read.
 */
export function toBody(rawBody) {
  if (typeof rawBody === 'string' || rawBody instanceof Uint8Array) {
    return rawBody;
  }
  if (rawBody instanceof ArrayBuffer) {
    return new Uint8Array(rawBody);
  }
  if (ArrayBuffer.isView(rawBody)) {
    return new Uint8Array(rawBody.buffer, rawBody.byteOffset, rawBody.byteLength);
  }

  if (rawBody === undefined || rawBody === null) {
    throw misuse(`rawBody is ${rawBody}: pass the raw request body. ${RAW_BODY_HELP}`);
  }
  if (typeof rawBody === 'object') {
    throw misuse(`rawBody is a parsed object, not the raw request body. ${RAW_BODY_HELP}`);
  }
  throw misuse(`rawBody must be a string, Buffer, Uint8Array, ArrayBuffer or DataView, not a ${typeof rawBody}. ${RAW_BODY_HELP}`);
}

/** Checks that the secret is a string; the core checks its content. */
export function requireSecret(secret) {
  if (typeof secret === 'string') {
    return;
  }
  const hint = secret === undefined ? ' Is the environment variable that holds it (such as AETHER_WEBHOOK_SECRET) set?' : '';
  // Only the type is named: the value may be a secret in the wrong form.
  throw misuse(`secret must be the endpoint's webhook secret, a string starting with whsec_, not ${secret === null ? 'null' : typeof secret}.${hint}`);
}

/**
 * Returns an `x-aether-signature` value as a string: a missing header (`undefined` or
 * `null`, as Node reports an absent header) becomes the empty string, and repeated
 * header lines are joined with commas.
 */
export function signatureText(signature) {
  if (typeof signature === 'string') {
    return signature;
  }
  if (signature === undefined || signature === null) {
    return '';
  }
  if (isStringArray(signature)) {
    return signature.join(',');
  }
  throw misuse(`signature must be the x-aether-signature header value, a string, not ${describe(signature)}.`);
}

/**
 * Reads the signature headers of both schemes from a `Headers` object, a plain object
 * with header names in any case and values that are strings or arrays of strings, or a
 * string that is the `x-aether-signature` value. Absent headers are `undefined`.
 */
export function readSignatureHeaders(headers) {
  if (typeof headers === 'string') {
    return { aether: headers, id: undefined, timestamp: undefined, signature: undefined };
  }
  if (headers !== null && typeof headers === 'object' && typeof headers.get === 'function') {
    return {
      aether: headers.get('x-aether-signature') ?? undefined,
      id: headers.get('webhook-id') ?? undefined,
      timestamp: headers.get('webhook-timestamp') ?? undefined,
      signature: headers.get('webhook-signature') ?? undefined,
    };
  }
  if (headers !== null && typeof headers === 'object') {
    return readPlainHeaders(headers);
  }
  throw misuse(`headers must be a Headers object, a plain object of header values, or the x-aether-signature value as a string, not ${describe(headers)}.`);
}

/** Separators for a header that arrived on several lines, by lower-case header name. */
const SEPARATORS = {
  'x-aether-signature': ',',
  'webhook-id': ', ',
  'webhook-timestamp': ', ',
  'webhook-signature': ' ',
};

function readPlainHeaders(headers) {
  const found = {};
  for (const name of Object.keys(headers)) {
    const lowerName = name.toLowerCase();
    if (!(lowerName in SEPARATORS)) {
      continue;
    }

    const value = headers[name];
    if (typeof value === 'string') {
      found[lowerName] = value;
    } else if (isStringArray(value)) {
      found[lowerName] = value.join(SEPARATORS[lowerName]);
    } else if (value !== undefined) {
      throw misuse(`the ${name} header must be a string or an array of strings, not ${describe(value)}.`);
    }
  }

  return {
    aether: found['x-aether-signature'],
    id: found['webhook-id'],
    timestamp: found['webhook-timestamp'],
    signature: found['webhook-signature'],
  };
}

/**
 * Checks `constructEvent`'s options and returns the tolerance in seconds (or `undefined`
 * for no clock check) and the receiver's clock in milliseconds (or `undefined` for now).
 */
export function readVerifyOptions(options) {
  if (options === undefined || options === null) {
    return { toleranceSeconds: undefined, nowMillis: undefined };
  }
  if (typeof options !== 'object') {
    throw misuse(`options must be an object such as { toleranceSeconds: 300 }, not ${describe(options)}.`);
  }

  const { toleranceSeconds, now } = options;
  if (toleranceSeconds !== undefined && !(Number.isFinite(toleranceSeconds) && toleranceSeconds >= 0)) {
    throw misuse(`options.toleranceSeconds must be a finite number of seconds, 0 or more, such as 300, not ${describe(toleranceSeconds)}.`);
  }
  return { toleranceSeconds, nowMillis: clockMillis(now) };
}

function clockMillis(now) {
  if (now === undefined) {
    return undefined;
  }
  const millis = now instanceof Date ? now.getTime() : now;
  if (!Number.isFinite(millis)) {
    throw misuse(`options.now must be a valid Date or milliseconds since the Unix epoch, not ${describe(now)}.`);
  }
  return millis;
}

/**
 * Checks `signStandardWebhook`'s options and returns the message id and the timestamp in
 * whole Unix seconds.
 */
export function readStandardSigningOptions(options) {
  if (options === null || typeof options !== 'object') {
    throw misuse(`signStandardWebhook needs options { id, timestamp }, not ${describe(options)}.`);
  }

  const { id, timestamp } = options;
  if (typeof id !== 'string' || id.trim() === '') {
    throw misuse(`options.id must be the non-empty webhook-id value, such as msg_2Xk7QeVb9LmTz4RpH1sNcW8yFd, not ${describe(id)}.`);
  }

  const seconds = timestamp instanceof Date ? Math.floor(timestamp.getTime() / 1000) : timestamp;
  if (!Number.isSafeInteger(seconds) || seconds < 0) {
    throw misuse(`options.timestamp must be a Date or whole Unix seconds (the webhook-timestamp value), not ${describe(timestamp)}.`);
  }
  return { id, timestamp: seconds };
}

/** Checks `sampleDelivery`'s options and returns them as the core expects them. */
export function readSampleOptions(options) {
  if (options === undefined || options === null) {
    return { webhookId: undefined, deliveredAt: undefined };
  }
  if (typeof options !== 'object') {
    throw misuse(`options must be an object such as { webhookId: 'wh_abc123' }, not ${describe(options)}.`);
  }

  const { webhookId, deliveredAt } = options;
  if (webhookId !== undefined && typeof webhookId !== 'string') {
    throw misuse(`options.webhookId must be a string such as wh_abc123, not ${describe(webhookId)}.`);
  }
  return { webhookId, deliveredAt: deliveredAtText(deliveredAt) };
}

function deliveredAtText(deliveredAt) {
  if (deliveredAt === undefined || typeof deliveredAt === 'string') {
    return deliveredAt;
  }
  if (deliveredAt instanceof Date && Number.isFinite(deliveredAt.getTime())) {
    return deliveredAt.toISOString();
  }
  throw misuse(`options.deliveredAt must be a valid Date or an RFC 3339 string such as 2026-06-15T09:00:14Z, not ${describe(deliveredAt)}.`);
}

function isStringArray(value) {
  return Array.isArray(value) && value.every((item) => typeof item === 'string');
}

function describe(value) {
  if (value === null) {
    return 'null';
  }
  if (Array.isArray(value)) {
    return 'an array';
  }
  if (value instanceof Date) {
    return Number.isFinite(value.getTime()) ? 'a Date' : 'an invalid Date';
  }
  if (typeof value === 'object') {
    return 'an object';
  }
  if (typeof value === 'string') {
    return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  }
  return `${typeof value} ${String(value)}`;
}
