// Builds one sample delivery, signs it the way the Aether Worker does and POSTs it to a receiver.

import { randomBytes } from "node:crypto";

import { sampleDelivery, sign, signStandardWebhook } from "@aether/webhooks";

/** The eight event types, in the order the product documentation lists them. */
export const EVENT_TYPES = [
  "post.scheduled",
  "post.publishing",
  "post.published",
  "post.failed",
  "post.cancelled",
  "comment.created",
  "message.created",
  "message.updated",
];

/** How many characters of the receiver's response body are printed. */
const MAX_PRINTED_BODY = 4000;

/**
 * Builds the request for one delivery of `event`: the body from the package's sample, a fresh
 * delivery id, and the same eight headers the Worker sends.
 *
 * With `tamper`, the signatures are computed over the body and the body is then changed, as if
 * it had been modified in transit, so a receiver that verifies must reject it.
 *
 * Throws the package's error (with `code`, for example `invalid_secret`) when the secret is not
 * a valid `whsec_…` secret.
 */
export function buildDelivery({ event, secret, tamper, userAgent, now = new Date() }) {
  const deliveryId = `dlv_${randomBytes(12).toString("hex")}`;
  const timestamp = Math.floor(now.getTime() / 1000);
  const body = sampleDelivery(event, { deliveredAt: now });

  const headers = {
    "content-type": "application/json",
    "user-agent": userAgent,
    "x-aether-signature": sign(body, secret),
    "x-aether-event": event,
    "x-aether-delivery": deliveryId,
    "webhook-id": deliveryId,
    "webhook-timestamp": String(timestamp),
    "webhook-signature": signStandardWebhook(body, secret, { id: deliveryId, timestamp }),
  };

  return { deliveryId, headers, body: tamper ? alterBody(body) : body };
}

/** Returns the body with `webhookId` changed, so neither signature matches it any more. */
function alterBody(body) {
  const parsed = JSON.parse(body);
  parsed.webhookId = `${parsed.webhookId}_tampered`;
  return JSON.stringify(parsed);
}

/**
 * Sends the delivery and returns the receiver's status and body text.
 *
 * Throws a `TriggerError` with code `request_failed` when the receiver cannot be reached or does
 * not respond within `timeoutMs`.
 */
export async function sendDelivery(url, delivery, timeoutMs) {
  let response;
  try {
    response = await fetch(url, {
      method: "POST",
      headers: delivery.headers,
      body: delivery.body,
      redirect: "manual",
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    const reason = error.name === "TimeoutError"
      ? `no response within ${timeoutMs} ms`
      : (error.cause?.code ?? error.cause?.message ?? error.message);
    throw new TriggerError("request_failed", `request to ${url} failed: ${reason}. Check that the receiver is running and the URL is right.`);
  }

  const text = await response.text();
  return { status: response.status, statusText: response.statusText, text };
}

/** Formats a response body for the terminal: pretty JSON when it parses, else the text, cut at a limit. */
export function formatBody(text) {
  let printable = text;
  try {
    printable = JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    printable = text;
  }
  if (printable.length > MAX_PRINTED_BODY) {
    return `${printable.slice(0, MAX_PRINTED_BODY)}\n… (${printable.length - MAX_PRINTED_BODY} more characters)`;
  }
  return printable;
}

/** A failure of the trigger command, with a stable `code` and a message that explains the next step. */
export class TriggerError extends Error {
  constructor(code, message) {
    super(message);
    this.name = "TriggerError";
    this.code = code;
  }
}
