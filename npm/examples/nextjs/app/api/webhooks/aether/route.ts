// Receives Aether webhook deliveries: verifies the signature, then handles the typed event.
// The response is a small JSON body naming what was received, so a test or a demo can read it.

import { verifyRequest, WebhookVerificationError, type AetherEvent } from '@aether/webhooks';

export async function POST(request: Request): Promise<Response> {
  const secret = process.env.AETHER_WEBHOOK_SECRET;
  if (!secret) {
    return errorResponse(500, 'missing_secret', 'AETHER_WEBHOOK_SECRET is not set: set it to the endpoint secret (whsec_…).');
  }

  let event: AetherEvent;
  try {
    event = await verifyRequest(request, secret);
  } catch (error) {
    if (error instanceof WebhookVerificationError) {
      console.warn(`webhook rejected: code=${error.code} status=${error.status}`);
      return errorResponse(error.status, error.code, error.message);
    }
    throw error;
  }

  const summary = describe(event);
  console.log(`webhook received: event=${event.event} webhookId=${event.webhookId} ${summary}`);

  return Response.json({
    received: true,
    event: event.event,
    webhookId: event.webhookId,
    deliveryId: request.headers.get('webhook-id'),
    summary,
  });
}

/** Describes the event in one line; in each branch `data` has the fields of that event type. */
function describe(event: AetherEvent): string {
  switch (event.event) {
    case 'post.scheduled':
      return `post ${event.data.postId} scheduled for ${event.data.scheduledFor}`;
    case 'post.publishing':
      return `post ${event.data.postId} publishing on ${event.data.platform}`;
    case 'post.published':
      return `post ${event.data.postId} published at ${event.data.platformPostUrl}`;
    case 'post.failed':
      return `post ${event.data.postId} failed on ${event.data.platform}: ${event.data.error.message}`;
    case 'post.cancelled':
      return `post ${event.data.postId} cancelled`;
    case 'comment.created':
      return `comment ${event.data.commentId} by @${event.data.author.handle}`;
    case 'message.created':
      return `${event.data.kind} ${event.data.messageId} from @${event.data.from.handle}`;
    case 'message.updated':
      return `message ${event.data.messageId} is now ${event.data.status}`;
  }
}

function errorResponse(status: number, code: string, message: string): Response {
  return Response.json({ error: { code, message } }, { status });
}
