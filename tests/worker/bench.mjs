// Benchmark of the Worker on the local stack (workerd through Miniflare, a receiver on
// 127.0.0.1 in this process). Not part of the test command.
//
//   node tests/worker/bench.mjs [--seconds 20] [--runs 3] [--clients 16] [--shapes 1,10] [--pause-ms 0]
//
// --pause-ms makes each client wait that long between its requests, for a load below what
// the Worker can deliver, so that latency shows the delivery path instead of a backlog.
//
// For each shape (the number of endpoints every event fans out to) and each run, it starts a
// fresh Worker listening on 127.0.0.1 and registers the endpoints. The clients then post signed
// ~1 KiB events over HTTP for the given time, and the script waits (at most 90 s) until every
// accepted event reached every endpoint. It reports events/s accepted at intake, deliveries/s,
// latency from intake's 202 to the first arrival of each delivery at the receiver, lost
// deliveries, workerd's peak RSS and its CPU time per delivery. Every request goes to
// 127.0.0.1 and every loop stops by itself.

import { readFileSync, readdirSync } from "node:fs";
import { loadavg } from "node:os";
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";

import { signAether, startReceiver, startWorker, testVars } from "./harness.mjs";

const { values: options } = parseArgs({
  options: {
    seconds: { type: "string", default: "20" },
    runs: { type: "string", default: "3" },
    clients: { type: "string", default: "16" },
    shapes: { type: "string", default: "1,10" },
    "pause-ms": { type: "string", default: "0" },
  },
});
const LOAD_SECONDS = Number(options.seconds);
const RUNS = Number(options.runs);
const CLIENTS = Number(options.clients);
const SHAPES = options.shapes.split(",").map(Number);
const PAUSE_MS = Number(options["pause-ms"]);
const DRAIN_LIMIT_MS = 90_000;
const CLOCK_TICKS_PER_SECOND = 100;

/** Returns a comment.created event of about 1 KiB whose comment id carries its sequence number. */
function benchEvent(sequence) {
  return {
    orgId: "org_dev",
    event: "comment.created",
    data: {
      commentId: `bench_${sequence}`,
      postId: "post_xyz789",
      platform: "instagram",
      profileId: "ig_abc123",
      platformPostId: "17890123456789",
      author: { id: "17841400000000001", handle: "mika.travels", name: "Mika" },
      text: "Love this shot! ".repeat(48),
      createdAt: "2026-06-15T09:07:12Z",
    },
  };
}

/** Returns the pid of the workerd process Miniflare started for this Node process. */
function workerdPid() {
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) {
      continue;
    }
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      const command = readFileSync(`/proc/${entry}/cmdline`, "utf8");
      if (Number(fields[1]) === process.pid && command.includes("workerd")) {
        return Number(entry);
      }
    } catch {
      // The process ended while the list was read.
    }
  }
  throw new Error("no workerd child process found");
}

function cpuSeconds(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND;
}

function rssMegabytes(pid) {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  return Number(status.match(/VmRSS:\s+(\d+)/)[1]) / 1024;
}

function percentile(sorted, fraction) {
  if (sorted.length === 0) {
    return NaN;
  }
  return sorted[Math.min(sorted.length - 1, Math.floor(fraction * sorted.length))];
}

async function runOnce(endpoints) {
  const loadBefore = loadavg()[0];
  const worker = await startWorker({
    vars: testVars({ RETRY_SCHEDULE: "0s,5s,30s,2m,6m,12m", ATTEMPT_TIMEOUT_MS: "15000" }),
    keepLogs: false,
    miniflareOptions: { host: "127.0.0.1", port: 0 },
  });
  const intakeUrl = new URL("/v1/events", await worker.miniflare.ready);
  const receiver = await startReceiver();
  const pid = workerdPid();

  const acceptedAt = new Map();
  const firstArrival = new Map();
  const latencies = [];
  for (let index = 0; index < endpoints; index += 1) {
    const path = `/bench-${index}`;
    const url = receiver.route(path, {
      behave(_attempt, record) {
        const deliveryId = record.headers["x-aether-delivery"];
        if (!firstArrival.has(deliveryId)) {
          const sequence = JSON.parse(record.body).data.commentId;
          firstArrival.set(deliveryId, performance.now());
          const accepted = acceptedAt.get(sequence);
          if (accepted !== undefined) {
            latencies.push(performance.now() - accepted);
          }
        }
        return { status: 200 };
      },
    });
    const created = await worker.createWebhook({ url, events: ["comment.created"] });
    if (created.status !== 201) {
      throw new Error(`creating endpoint ${index} failed: ${created.text}`);
    }
  }

  const cpuBefore = cpuSeconds(pid);
  let peakRss = rssMegabytes(pid);
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, rssMegabytes(pid));
  }, 250);

  let sequence = 0;
  let rejected = 0;
  const loadStart = performance.now();
  const loadEnd = loadStart + LOAD_SECONDS * 1000;
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      while (performance.now() < loadEnd) {
        sequence += 1;
        const name = `bench_${sequence}`;
        const body = JSON.stringify(benchEvent(sequence));
        const response = await fetch(intakeUrl, {
          method: "POST",
          headers: { "content-type": "application/json", "x-aether-signature": signAether(worker.vars.INTAKE_SECRET, body) },
          body,
        });
        await response.arrayBuffer();
        if (response.status === 202) {
          acceptedAt.set(name, performance.now());
        } else {
          rejected += 1;
        }
        if (PAUSE_MS > 0) {
          await new Promise((resolve) => setTimeout(resolve, PAUSE_MS));
        }
      }
    }),
  );
  const loadSeconds = (performance.now() - loadStart) / 1000;

  const expected = acceptedAt.size * endpoints;
  const drainDeadline = performance.now() + DRAIN_LIMIT_MS;
  while (firstArrival.size < expected && performance.now() < drainDeadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const lastArrival = Math.max(...firstArrival.values());
  clearInterval(sampler);
  const cpu = cpuSeconds(pid) - cpuBefore;

  await worker.dispose();
  await receiver.close();

  latencies.sort((a, b) => a - b);
  const deliverySeconds = (lastArrival - loadStart) / 1000;
  return {
    endpoints,
    eventsPerSecond: acceptedAt.size / loadSeconds,
    deliveriesPerSecond: firstArrival.size / deliverySeconds,
    p50: percentile(latencies, 0.5),
    p99: percentile(latencies, 0.99),
    lost: expected - firstArrival.size,
    rejected,
    peakRss,
    cpuMsPerDelivery: (cpu * 1000) / Math.max(1, firstArrival.size),
    delivered: firstArrival.size,
    loadBefore,
  };
}

function summarize(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return { min: sorted[0], median: sorted[Math.floor(sorted.length / 2)], max: sorted.at(-1) };
}

function format(summary, digits = 0) {
  return `${summary.min.toFixed(digits)} / ${summary.median.toFixed(digits)} / ${summary.max.toFixed(digits)}`;
}

console.log(`Worker benchmark: ${CLIENTS} clients pausing ${PAUSE_MS} ms between requests, ${LOAD_SECONDS} s of load per run, ${RUNS} runs per shape`);
for (const endpoints of SHAPES) {
  const results = [];
  for (let run = 1; run <= RUNS; run += 1) {
    const result = await runOnce(endpoints);
    results.push(result);
    console.log(
      `  ${endpoints} endpoint(s), run ${run}: ${result.eventsPerSecond.toFixed(0)} events/s, ${result.deliveriesPerSecond.toFixed(0)} deliveries/s, ` +
        `p50 ${result.p50.toFixed(0)} ms, p99 ${result.p99.toFixed(0)} ms, lost ${result.lost}, rejected ${result.rejected}, ` +
        `peak RSS ${result.peakRss.toFixed(0)} MB, CPU ${result.cpuMsPerDelivery.toFixed(2)} ms/delivery (${result.delivered} delivered; ` +
        `machine load average ${result.loadBefore.toFixed(1)} before the run)`,
    );
  }
  const pick = (field) => summarize(results.map((result) => result[field]));
  console.log(`${endpoints} endpoint(s), min / median / max of ${RUNS} runs:`);
  console.log(`  events/s accepted      ${format(pick("eventsPerSecond"))}`);
  console.log(`  deliveries/s           ${format(pick("deliveriesPerSecond"))}`);
  console.log(`  latency p50 (ms)       ${format(pick("p50"))}`);
  console.log(`  latency p99 (ms)       ${format(pick("p99"))}`);
  console.log(`  lost deliveries        ${format(pick("lost"))}`);
  console.log(`  workerd peak RSS (MB)  ${format(pick("peakRss"))}`);
  console.log(`  CPU ms per delivery    ${format(pick("cpuMsPerDelivery"), 2)}`);
}
