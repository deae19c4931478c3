/**
 * The error thrown when a delivery fails verification or parsing, and the conversion of
 * the WebAssembly core's errors into it.
 */

/** The HTTP status a receiver should respond with, by error code; every other code is 401. */
const STATUS_BY_CODE = {
  malformed_payload: 400,
  unknown_event: 400,
  invalid_secret: 500,
};

/**
 * A delivery that is not authentic, not fresh enough or not an Aether payload, or a
 * secret that cannot verify anything. `code` is stable and machine-readable, and `status` is
 * the HTTP status a receiver should respond with.
 */
export class WebhookVerificationError extends Error {
  constructor(code, message) {
    super(message);
    this.name = 'WebhookVerificationError';
    this.code = code;
    this.status = STATUS_BY_CODE[code] ?? 401;
  }
}

/**
 * Converts an error thrown by the WebAssembly core, a plain `Error` with `code`, into a
 * `WebhookVerificationError`; any other error is returned unchanged.
 */
export function fromCoreError(error) {
  const coded = error instanceof Error && error.name === 'WebhookVerificationError' && typeof error.code === 'string';
  if (!coded || error instanceof WebhookVerificationError) {
    return error;
  }
  return new WebhookVerificationError(error.code, error.message);
}
