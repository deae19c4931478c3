// Polls the Worker for the deliveries of this run's events and prints each new attempt, retry,
// dead letter and late delivery (after a replay) as it shows up.

/** Page size and page limit when listing one endpoint's deliveries, newest first. */
const PAGE_SIZE = 100;
const MAX_PAGES = 20;

function isSuccess(attempt) {
  return attempt.errorClass === null && attempt.status !== null && attempt.status >= 200 && attempt.status < 300;
}

function describeOutcome(attempt) {
  const status = attempt.status === null ? "no response" : `HTTP ${attempt.status}`;
  return attempt.errorClass ? `${status} (${attempt.errorClass})` : status;
}

/** Returns the retry delay the Worker chose: from the end of `attempt` to `nextAttemptAt`, in whole seconds. */
function secondsAfter(attempt, nextAttemptAt) {
  const ended = Date.parse(attempt.at) + attempt.durationMs;
  return Math.max(0, Math.round((Date.parse(nextAttemptAt) - ended) / 1000));
}

/**
 * Tracks one endpoint: which of this run's events it should receive, and what was printed so far.
 * With `quietSuccess`, successful attempts are not printed because the receiver prints them.
 */
export class EndpointWatch {
  constructor({ request, label, webhook, events, quietSuccess }) {
    this.request = request;
    this.label = label;
    this.webhookId = webhook.id;
    this.expected = new Set(events.filter((event) => webhook.events.includes(event.event)).map((event) => event.id));
    this.quietSuccess = quietSuccess;
    this.printed = new Map();
    this.deliveries = [];
  }

  /**
   * Fetches this run's deliveries of the endpoint, stopping once every expected event was seen.
   *
   * Throws the API client's ApiError when a request fails.
   */
  async poll() {
    const found = new Map();
    let cursor = null;

    for (let page = 0; page < MAX_PAGES; page += 1) {
      const query = `?limit=${PAGE_SIZE}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`;
      const { data, nextCursor } = await this.request("GET", `/v1/webhooks/${this.webhookId}/deliveries${query}`);
      for (const delivery of data) {
        if (this.expected.has(delivery.eventId)) {
          found.set(delivery.id, delivery);
        }
      }
      if (nextCursor === null || found.size >= this.expected.size) {
        break;
      }
      cursor = nextCursor;
    }

    this.deliveries = [...found.values()].sort((a, b) => a.createdAt.localeCompare(b.createdAt));
    this.report();
  }

  report() {
    for (const delivery of this.deliveries) {
      const before = this.printed.get(delivery.id) ?? { attempts: 0, status: null };
      const firstNew = delivery.attempts.length < before.attempts ? 0 : before.attempts;

      for (const attempt of delivery.attempts.slice(firstNew)) {
        if (!isSuccess(attempt)) {
          const next = delivery.status === "pending" && delivery.nextAttemptAt && attempt === delivery.attempts.at(-1)
            ? `; next attempt ${secondsAfter(attempt, delivery.nextAttemptAt)} s after this one ended`
            : "";
          console.log(`[retry]    ✗ ${this.label}: ${delivery.event.padEnd(15)} ${delivery.id} attempt ${attempt.attempt} → ${describeOutcome(attempt)} after ${attempt.durationMs} ms${next}`);
        } else if (!this.quietSuccess) {
          console.log(`[delivery] ✓ ${this.label}: ${delivery.event.padEnd(15)} ${delivery.id} delivered on attempt ${attempt.attempt}`);
        }
      }

      if (delivery.status === "dead_letter" && before.status !== "dead_letter") {
        console.log(`[dead letter] ${this.label}: ${delivery.event} ${delivery.id} after ${delivery.attempts.length} failed attempts; replay it from the dashboard or the API`);
      }
      this.printed.set(delivery.id, { attempts: delivery.attempts.length, status: delivery.status });
    }
  }

  /** Counts this run's expected events by the status of their delivery ("missing" when none exists yet). */
  counts() {
    const byEvent = new Map(this.deliveries.map((delivery) => [delivery.eventId, delivery.status]));
    const counts = { missing: 0 };
    for (const eventId of this.expected) {
      const status = byEvent.get(eventId) ?? "missing";
      counts[status] = (counts[status] ?? 0) + 1;
    }
    return counts;
  }

  /** Returns whether every expected event has a delivery in `status`. */
  allIn(status) {
    return this.counts()[status] === this.expected.size;
  }
}
