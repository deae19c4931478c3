// Types of @aether/webhooks. Every runtime's entry point exports the same API.

/** An instant in UTC as an RFC 3339 string, such as `2026-06-15T09:00:14Z`. */
export type Timestamp = string;

/** The social platform of a post or message; unknown platforms arrive as their own name. */
export type Platform = 'instagram' | 'tiktok' | 'reddit' | 'facebook' | 'linkedin' | 'x' | 'youtube' | (string & {});

/** The kind of message `message.created` reports; other values may be added. */
export type MessageKind = 'dm' | 'mention' | 'reply' | (string & {});

/** The status `message.updated` reports; other values may be added. */
export type MessageStatus = 'delivered' | 'read' | 'edited' | 'deleted' | (string & {});

/** A person or account on a platform: the author of a comment or the sender of a message. */
export interface Participant {
  /** The platform's id of the account. */
  id: string;
  /** The account's handle on the platform, without a leading `@`. */
  handle: string;
  /** The display name, where the platform provides one. */
  name?: string;
}

/** The error a platform returned for a failed post. */
export interface PlatformError {
  /** The platform's error code, a string because platforms mix numbers and names. */
  code: string;
  /** The platform's message, passed through unchanged. */
  message: string;
  /** Whether publishing the same post again may succeed. */
  retryable: boolean;
}

/** `post.scheduled`: a post entered the queue and waits for its scheduled time. */
export interface PostScheduledData {
  postId: string;
  platform: Platform;
  profileId: string;
  /** When Aether will start publishing the post. */
  scheduledFor: Timestamp;
}

/** `post.publishing`: a post is being submitted to the platform. */
export interface PostPublishingData {
  postId: string;
  platform: Platform;
  profileId: string;
  /** When the submission started. */
  startedAt: Timestamp;
}

/** `post.published`: a post was published. */
export interface PostPublishedData {
  postId: string;
  platform: Platform;
  profileId: string;
  /** The platform's own id of the published post. */
  platformPostId: string;
  /** The public URL of the post on the platform. */
  platformPostUrl: string;
  /** When the platform confirmed the post. */
  publishedAt: Timestamp;
}

/** `post.failed`: a post failed after all of Aether's publishing retries. */
export interface PostFailedData {
  postId: string;
  platform: Platform;
  profileId: string;
  error: PlatformError;
  /** How many publishing retries Aether made before giving up. */
  retriesExhausted: number;
  /** When Aether gave up, where known. */
  failedAt?: Timestamp;
}

/** `post.cancelled`: a post was cancelled through the API before it was published. */
export interface PostCancelledData {
  postId: string;
  platform: Platform;
  profileId: string;
  /** When the post was cancelled. */
  cancelledAt: Timestamp;
  /** The reason given with the cancellation, if any. */
  reason?: string;
}

/** `comment.created`: a new comment appeared on a post of a connected profile. */
export interface CommentCreatedData {
  commentId: string;
  postId: string;
  platform: Platform;
  profileId: string;
  /** The platform's own id of the post, where known. */
  platformPostId?: string;
  /** The comment this one replies to, when it is a reply. */
  parentCommentId?: string;
  author: Participant;
  text: string;
  createdAt: Timestamp;
}

/** `message.created`: a new direct message, mention or reply reached a connected profile. */
export interface MessageCreatedData {
  messageId: string;
  platform: Platform;
  profileId: string;
  kind: MessageKind;
  /** The conversation the message belongs to. */
  threadId: string;
  from: Participant;
  text: string;
  createdAt: Timestamp;
}

/** `message.updated`: the status of an existing message changed. */
export interface MessageUpdatedData {
  messageId: string;
  platform: Platform;
  profileId: string;
  threadId: string;
  status: MessageStatus;
  /** When the platform reported the change. */
  updatedAt: Timestamp;
}

/** The `data` object of each event type, by wire name. */
export interface EventDataMap {
  'post.scheduled': PostScheduledData;
  'post.publishing': PostPublishingData;
  'post.published': PostPublishedData;
  'post.failed': PostFailedData;
  'post.cancelled': PostCancelledData;
  'comment.created': CommentCreatedData;
  'message.created': MessageCreatedData;
  'message.updated': MessageUpdatedData;
}

/** The wire name of an event type, such as `post.published`. */
export type EventType = keyof EventDataMap;

/**
 * A verified delivery: a union discriminated by `event`, so `switch (event.event)` narrows
 * `data` to that event type's fields.
 */
export type AetherEvent = {
  [Type in EventType]: {
    event: Type;
    /** The id of the endpoint registration (`wh_…`) the delivery was sent to. */
    webhookId: string;
    /** When this delivery attempt was sent; every retry carries its own time. */
    deliveredAt: Timestamp;
    data: EventDataMap[Type];
  };
}[EventType];

/** The raw request body, exactly as received. */
export type RawBody = string | Uint8Array | ArrayBuffer | DataView;

/** A `Headers` object, or anything with a case-insensitive `get` like it. */
export interface HeadersLike {
  get(name: string): string | null;
}

/** Request headers as Node and most frameworks give them: names in any case. */
export type HeaderRecord = Readonly<Record<string, string | readonly string[] | undefined>>;

/** A Fetch API `Request`, as Next.js route handlers, Workers, Deno and Bun receive it. */
export interface RequestLike {
  readonly headers: HeadersLike;
  readonly bodyUsed: boolean;
  arrayBuffer(): Promise<ArrayBuffer>;
}

export interface VerifyOptions {
  /**
   * Rejects a delivery whose signed `webhook-timestamp` is more than this many seconds
   * before or after `now`. Needs the Standard Webhooks headers. Without it no clock check
   * is made.
   */
  toleranceSeconds?: number;
  /** The receiver's clock: a `Date` or milliseconds since the Unix epoch. Defaults to now. */
  now?: Date | number;
}

export interface StandardSigningOptions {
  /** The `webhook-id` value, unique per message. */
  id: string;
  /** The `webhook-timestamp` value: a `Date` or whole Unix seconds. */
  timestamp: Date | number;
}

export interface SampleOptions {
  /** The `webhookId` of the sample; defaults to `wh_sample`. */
  webhookId?: string;
  /** The `deliveredAt` of the sample; defaults to now. */
  deliveredAt?: Date | Timestamp;
}

/** The stable, machine-readable reason of a `WebhookVerificationError`. */
export type WebhookErrorCode =
  | 'missing_signature'
  | 'malformed_signature'
  | 'unsupported_scheme'
  | 'too_many_signatures'
  | 'invalid_signature'
  | 'invalid_timestamp'
  | 'stale_delivery'
  | 'future_delivery'
  | 'malformed_payload'
  | 'unknown_event'
  | 'invalid_secret';

/**
 * A delivery that is not authentic, not fresh enough or not an Aether payload, or a secret
 * that cannot verify anything.
 */
export declare class WebhookVerificationError extends Error {
  readonly name: 'WebhookVerificationError';
  readonly code: WebhookErrorCode;
  /**
   * The HTTP status to respond with: 401 for signature and timestamp problems, 400 for
   * `malformed_payload` and `unknown_event`, 500 for `invalid_secret`.
   */
  readonly status: 400 | 401 | 500;
  constructor(code: WebhookErrorCode, message: string);
}

/**
 * Returns whether `signature` (the `x-aether-signature` header) is a valid signature of
 * `rawBody` under `secret`. A wrong, truncated, over-long, empty, non-hex or non-ASCII
 * signature returns `false`, and so does a missing one (`undefined` or `null`).
 *
 * @throws {TypeError} when `rawBody` is a parsed object or `secret` is not a string.
 * @throws {WebhookVerificationError} with code `invalid_secret` when the secret is
 * malformed, for example has surrounding whitespace or a trailing newline.
 */
export declare function verifyAetherWebhook(
  rawBody: RawBody,
  signature: string | readonly string[] | null | undefined,
  secret: string,
): boolean;

/**
 * Verifies a delivery and returns its typed event. With a `webhook-signature` header the
 * Standard Webhooks headers are verified; otherwise `x-aether-signature` is.
 *
 * @param headers a `Headers` object, a plain object of header values, or the
 * `x-aether-signature` value as a string.
 * @throws {WebhookVerificationError} when the delivery fails verification or is not an
 * Aether payload; `code` is the reason.
 * @throws {TypeError} on misuse, such as a parsed object as `rawBody`.
 */
export declare function constructEvent(
  rawBody: RawBody,
  headers: HeadersLike | HeaderRecord | string,
  secret: string,
  options?: VerifyOptions,
): AetherEvent;

/**
 * Reads the body of a Fetch API `Request` once as bytes, verifies it like `constructEvent`
 * and returns the typed event.
 *
 * @throws {WebhookVerificationError} (the promise rejects) when the delivery fails.
 * @throws {TypeError} when the body was already read.
 */
export declare function verifyRequest(
  request: RequestLike,
  secret: string,
  options?: VerifyOptions,
): Promise<AetherEvent>;

/** Signs `rawBody` and returns the `x-aether-signature` header value, for receivers' tests. */
export declare function sign(rawBody: RawBody, secret: string): string;

/**
 * Signs `rawBody` for the Standard Webhooks headers and returns the `webhook-signature`
 * header value (`v1,<base64>`), for receivers' tests.
 */
export declare function signStandardWebhook(
  rawBody: RawBody,
  secret: string,
  options: StandardSigningOptions,
): string;

/**
 * Returns the compact JSON body of a realistic delivery of `eventType`.
 *
 * @throws {WebhookVerificationError} with code `unknown_event` for an unknown event type.
 */
export declare function sampleDelivery(eventType: EventType | (string & {}), options?: SampleOptions): string;
