// Compiled by types.test.mjs with `tsc --noEmit`: the ES module declarations accept the
// documented calls, narrow events by type, and reject misuse (each @ts-expect-error must
// be an error, or tsc fails).

import {
  constructEvent,
  sampleDelivery,
  sign,
  signStandardWebhook,
  verifyAetherWebhook,
  verifyRequest,
  WebhookVerificationError,
  type AetherEvent,
  type WebhookErrorCode,
} from '@aether/webhooks';

const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const body = sampleDelivery('post.published');

const valid: boolean = verifyAetherWebhook(body, sign(body, secret), secret);
verifyAetherWebhook(new TextEncoder().encode(body), undefined, secret);
verifyAetherWebhook(new ArrayBuffer(0), ['sha256=00', 'sha256=11'], secret);

// @ts-expect-error a parsed body is not a raw body
verifyAetherWebhook(JSON.parse(body) as object, 'sha256=00', secret);

const event: AetherEvent = constructEvent(body, { 'X-Aether-Signature': sign(body, secret) }, secret, { toleranceSeconds: 300 });

function platformUrl(received: AetherEvent): string | undefined {
  switch (received.event) {
    case 'post.published':
      return received.data.platformPostUrl;
    case 'comment.created':
      // @ts-expect-error a comment has no platformPostUrl
      return received.data.platformPostUrl;
    case 'post.failed':
      return received.data.error.retryable ? undefined : received.data.error.message;
    default:
      return undefined;
  }
}

async function handle(request: Request): Promise<string> {
  try {
    const received = await verifyRequest(request, secret, { now: new Date() });
    return received.deliveredAt;
  } catch (error) {
    if (error instanceof WebhookVerificationError) {
      const code: WebhookErrorCode = error.code;
      const status: 400 | 401 | 500 = error.status;
      return `${code} ${status}`;
    }
    throw error;
  }
}

signStandardWebhook(body, secret, { id: 'msg_1', timestamp: new Date() });
// @ts-expect-error the id is required
signStandardWebhook(body, secret, { timestamp: 1 });
sampleDelivery('message.updated', { webhookId: 'wh_1', deliveredAt: new Date() });

export { valid, event, platformUrl, handle };
