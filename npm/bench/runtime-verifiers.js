// The verifiers timed inside Chromium and workerd by bench/runtimes.mjs, bundled by it with
// esbuild for each runtime. The package resolves to its browser or workerd entry point,
// whose HMAC runs in WebAssembly; standardwebhooks and svix are pure JavaScript.

import { sign, signStandardWebhook, verifyAetherWebhook } from '@aether/webhooks';
import { Webhook as StandardWebhook } from 'standardwebhooks';
import { Webhook as SvixWebhook } from 'svix';

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';

export const VERIFIER_NAMES = ['@aether/webhooks (WebAssembly HMAC)', 'standardwebhooks 1.3', 'svix 2.5'];

/** Returns an ASCII JSON body of exactly `bytes` bytes. */
function bodyOfSize(bytes) {
  const head = '{"event":"post.published","webhookId":"wh_abc123","note":"';
  return `${head}${'x'.repeat(bytes - head.length - 2)}"}`;
}

/** Returns a function that verifies a valid signature of `bytes` bytes with the named verifier. */
export function verifierFor(name, bytes) {
  const body = bodyOfSize(bytes);
  const timestamp = Math.floor(Date.now() / 1000);
  const headers = {
    'webhook-id': 'msg_bench',
    'webhook-timestamp': String(timestamp),
    'webhook-signature': signStandardWebhook(body, SECRET, { id: 'msg_bench', timestamp }),
  };

  if (name === VERIFIER_NAMES[0]) {
    const signature = sign(body, SECRET);
    return () => {
      if (!verifyAetherWebhook(body, signature, SECRET)) {
        throw new Error('@aether/webhooks rejected a valid signature');
      }
    };
  }
  const webhook = name === VERIFIER_NAMES[1] ? new StandardWebhook(SECRET) : new SvixWebhook(SECRET);
  return () => webhook.verify(body, headers);
}

/** Runs `iterations` verifications. workerd's clock does not advance while code runs, so the caller times this from outside. */
export function runVerifications(name, bytes, iterations) {
  const verify = verifierFor(name, bytes);
  for (let iteration = 0; iteration < iterations; iteration += 1) {
    verify();
  }
}

/** Returns verifications per second over about `millis` milliseconds, timed with performance.now(). */
export function measureRate(name, bytes, millis) {
  const verify = verifierFor(name, bytes);
  for (let warmup = 0; warmup < 20; warmup += 1) {
    verify();
  }

  let iterations = 0;
  const start = performance.now();
  let now = start;
  while (now - start < millis) {
    for (let batch = 0; batch < 8; batch += 1) {
      verify();
    }
    iterations += 8;
    now = performance.now();
  }
  return (iterations * 1000) / (now - start);
}

export default {
  async fetch(request) {
    const query = new URL(request.url).searchParams;
    runVerifications(query.get('verifier'), Number(query.get('bytes')), Number(query.get('iterations')));
    return new Response('done');
  },
};
