// Measures verifications per second of @aether/webhooks and of other webhook verifiers at
// 1 KiB, 64 KiB and 1 MiB, each verifying a valid signature of its own scheme over the
// same string body. Prints a Markdown table of min/median/max over three runs, with each
// verifier's speed as a ratio of node:crypto's measured in the same run.
//
// Run with `npm run bench` (which builds first) or `node bench/verify.mjs` after a build.
// This is a measurement, not a test: nothing here fails on a slow result.

import { createHmac, timingSafeEqual } from 'node:crypto';
import { createRequire } from 'node:module';

import { verify as octokitVerify, sign as octokitSign } from '@octokit/webhooks-methods';
import { Webhook as StandardWebhook } from 'standardwebhooks';

import * as nodeEntry from '../dist/node/index.mjs';
import * as wasmEntry from '../dist/default/index.js';

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const SIZES = [
  { label: '1 KiB', bytes: 1024 },
  { label: '64 KiB', bytes: 64 * 1024 },
  { label: '1 MiB', bytes: 1024 * 1024 },
];
const RUNS = Number(process.env.BENCH_RUNS ?? 3);

/** How long one measurement runs, and the most iterations it makes. */
const MEASURE_MILLIS = 700;
const MAX_ITERATIONS = 2_000_000;

/** Returns a JSON delivery padded to exactly `bytes` ASCII bytes. */
function bodyOfSize(bytes) {
  const head = JSON.stringify({
    event: 'post.published',
    webhookId: 'wh_abc123',
    deliveredAt: '2026-06-15T09:00:14Z',
    data: { postId: 'post_xyz789', platform: 'instagram', note: '' },
  });
  const padding = 'x'.repeat(bytes - head.length);
  return head.replace('"note":""', `"note":"${padding}"`);
}

/** Verifies like the hand-written function of the product documentation: the reference. */
function nodeCryptoVerify(rawBody, signature, secret) {
  const expected = `sha256=${createHmac('sha256', secret).update(rawBody).digest('hex')}`;
  return expected.length === signature.length && timingSafeEqual(Buffer.from(expected), Buffer.from(signature));
}

/** Each verifier: a name, and a setup that signs `body` and returns a verify function. */
function verifiers() {
  const list = [
    {
      name: 'node:crypto createHmac + timingSafeEqual (reference)',
      setup(body) {
        const signature = nodeEntry.sign(body, SECRET);
        return () => nodeCryptoVerify(body, signature, SECRET);
      },
    },
    {
      name: '@aether/webhooks verifyAetherWebhook, Node entry (node:crypto HMAC)',
      setup(body) {
        const signature = nodeEntry.sign(body, SECRET);
        return () => nodeEntry.verifyAetherWebhook(body, signature, SECRET);
      },
    },
    {
      name: '@aether/webhooks verifyAetherWebhook, WebAssembly HMAC (browser/workerd path)',
      setup(body) {
        const signature = wasmEntry.sign(body, SECRET);
        return () => wasmEntry.verifyAetherWebhook(body, signature, SECRET);
      },
    },
    {
      name: '@octokit/webhooks-methods 6 verify (node:crypto, async)',
      async: true,
      async setupAsync(body) {
        const signature = await octokitSign(SECRET, body);
        return () => octokitVerify(SECRET, body, signature);
      },
    },
    {
      name: 'standardwebhooks 1.3 verify (pure JS)',
      setup(body) {
        const webhook = new StandardWebhook(SECRET);
        const headers = standardHeaders(body);
        return () => webhook.verify(body, headers);
      },
    },
  ];

  const svix = loadSvix();
  if (svix) {
    list.push({
      name: 'svix 2.5 verify (pure JS)',
      setup(body) {
        const webhook = new svix.Webhook(SECRET);
        const headers = standardHeaders(body);
        return () => webhook.verify(body, headers);
      },
    });
  }
  return list;
}

function standardHeaders(body) {
  const id = 'msg_2Xk7QeVb9LmTz4RpH1sNcW8yFd';
  const timestamp = Math.floor(Date.now() / 1000);
  return {
    'webhook-id': id,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': nodeEntry.signStandardWebhook(body, SECRET, { id, timestamp }),
  };
}

/** svix 2.5 declares Node 22 or newer; it is left out, with a note, when it fails to load. */
function loadSvix() {
  try {
    return createRequire(import.meta.url)('svix');
  } catch (error) {
    console.error(`svix left out: ${error.message}`);
    return undefined;
  }
}

/** Runs `verify` for about MEASURE_MILLIS and returns verifications per second. */
async function measure(verify, isAsync) {
  // Every verifier either returns false or throws for an invalid signature.
  const result = isAsync ? await verify() : verify();
  if (result === false) {
    throw new Error('the verifier rejected a valid signature');
  }

  for (let warmup = 0; warmup < 20; warmup += 1) {
    isAsync ? await verify() : verify();
  }

  let iterations = 0;
  const start = process.hrtime.bigint();
  const deadline = start + BigInt(MEASURE_MILLIS) * 1_000_000n;
  let now = start;
  while (now < deadline && iterations < MAX_ITERATIONS) {
    // Check the clock every few calls so that reading it does not dominate small bodies.
    for (let batch = 0; batch < 16; batch += 1) {
      isAsync ? await verify() : verify();
    }
    iterations += 16;
    now = process.hrtime.bigint();
  }
  const seconds = Number(now - start) / 1e9;
  return iterations / seconds;
}

function summary(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return { min: sorted[0], median: sorted[Math.floor(sorted.length / 2)], max: sorted[sorted.length - 1] };
}

function formatRate(value) {
  if (value >= 10_000) {
    return `${(value / 1000).toFixed(0)}k`;
  }
  if (value >= 1000) {
    return `${(value / 1000).toFixed(1)}k`;
  }
  return value.toFixed(0);
}

function formatRange({ min, median, max }, format) {
  return `${format(min)} / ${format(median)} / ${format(max)}`;
}

async function main() {
  const list = verifiers();
  const rates = new Map(list.map((verifier) => [verifier.name, SIZES.map(() => [])]));

  for (let run = 1; run <= RUNS; run += 1) {
    for (const [sizeIndex, size] of SIZES.entries()) {
      const body = bodyOfSize(size.bytes);
      for (const verifier of list) {
        const verify = verifier.async ? await verifier.setupAsync(body) : verifier.setup(body);
        const rate = await measure(verify, verifier.async);
        rates.get(verifier.name)[sizeIndex].push(rate);
        console.error(`run ${run}, ${size.label}, ${verifier.name}: ${formatRate(rate)}/s`);
      }
    }
  }

  const reference = rates.get(list[0].name);
  const ratio = (name, sizeIndex) => rates.get(name)[sizeIndex].map((rate, run) => rate / reference[sizeIndex][run]);

  console.log(`\nNode ${process.version}, ${RUNS} runs; each cell is min / median / max.\n`);
  console.log(`| verifier | ${SIZES.map((size) => `${size.label} verifications/s`).join(' | ')} |`);
  console.log(`|---|${SIZES.map(() => '---').join('|')}|`);
  for (const verifier of list) {
    const cells = SIZES.map((_, sizeIndex) => formatRange(summary(rates.get(verifier.name)[sizeIndex]), formatRate));
    console.log(`| ${verifier.name} | ${cells.join(' | ')} |`);
  }

  console.log(`\n| ratio to node:crypto in the same run | ${SIZES.map((size) => size.label).join(' | ')} |`);
  console.log(`|---|${SIZES.map(() => '---').join('|')}|`);
  for (const verifier of list.slice(1)) {
    const cells = SIZES.map((_, sizeIndex) => formatRange(summary(ratio(verifier.name, sizeIndex)), formatRatio));
    console.log(`| ${verifier.name} | ${cells.join(' | ')} |`);
  }

  const wasmPath = list[2].name;
  const pureJs = list.filter((verifier) => verifier.name.includes('pure JS'));
  console.log(`\n| WebAssembly path as a ratio of a pure-JS verifier in the same run | ${SIZES.map((size) => size.label).join(' | ')} |`);
  console.log(`|---|${SIZES.map(() => '---').join('|')}|`);
  for (const verifier of pureJs) {
    const cells = SIZES.map((_, sizeIndex) => {
      const ratios = rates.get(wasmPath)[sizeIndex].map((rate, run) => rate / rates.get(verifier.name)[sizeIndex][run]);
      return formatRange(summary(ratios), formatRatio);
    });
    console.log(`| vs ${verifier.name} | ${cells.join(' | ')} |`);
  }
}

function formatRatio(value) {
  return `${value.toFixed(2)}×`;
}

await main();
