// Plays the fixture through the Worker's signed intake, one event at a time.

import { readFileSync } from "node:fs";

const FIXTURE_URL = new URL("../../tests/fixtures/day-of-events.json", import.meta.url);

/**
 * Reads the fixture and gives every event id a suffix unique to this run, because intake is
 * idempotent on the event id: replaying the same ids would deliver nothing new on a second run.
 */
export function loadFixture(runTag) {
  const events = JSON.parse(readFileSync(FIXTURE_URL, "utf8"));
  return events.map((event) => ({ ...event, id: `${event.id}_${runTag}` }));
}

/**
 * POSTs each event to /v1/events signed with the intake secret and prints the response as it
 * arrives, waiting `paceMs` between events so deliveries visibly interleave with intake.
 *
 * Returns the accepted events (with the id intake assigned) and the rejected ones with the
 * API's error.
 */
export async function playEvents({ request, sign, intakeSecret, events, paceMs }) {
  const accepted = [];
  const rejected = [];

  for (const event of events) {
    const body = JSON.stringify(event);
    try {
      const response = await request("POST", "/v1/events", body, { "x-aether-signature": sign(body, intakeSecret) });
      accepted.push({ ...event, id: response.eventId });
      console.log(`[intake]   202 accepted ${event.event.padEnd(15)} ${event.data.platform.padEnd(9)} ${response.eventId}`);
    } catch (error) {
      rejected.push({ event, error });
      console.log(`[intake]   ✗ rejected ${event.event} ${event.id}: ${error}`);
    }

    if (paceMs > 0) {
      await new Promise((resolve) => setTimeout(resolve, paceMs));
    }
  }

  return { accepted, rejected };
}
