// Measures verifications per second inside headless Chromium and inside workerd (through
// Miniflare) for @aether/webhooks' WebAssembly path and the pure-JS standardwebhooks and
// svix, at 1 KiB, 64 KiB and 1 MiB. Prints Markdown tables of min/median/max over three
// runs and the package's ratio to each pure-JS verifier in the same run.
//
// Run with `npm run bench:runtimes` after a build. Servers listen on 127.0.0.1 only. This is
// a measurement, not a test.

import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { build } from 'esbuild';
import { Miniflare } from 'miniflare';
import { chromium } from 'playwright-core';

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const SIZES = [
  { label: '1 KiB', bytes: 1024 },
  { label: '64 KiB', bytes: 64 * 1024 },
  { label: '1 MiB', bytes: 1024 * 1024 },
];
const VERIFIERS = ['@aether/webhooks (WebAssembly HMAC)', 'standardwebhooks 1.3', 'svix 2.5'];
const MEASURE_MILLIS = 500;
const ENTRY = fileURLToPath(new URL('runtime-verifiers.js', import.meta.url));
const WASM_FILE = fileURLToPath(new URL('../dist/browser/aether_webhooks_wasm_bg.wasm', import.meta.url));
const CHROMIUM_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

async function bundle(outputDir, platform, conditions) {
  await build({
    entryPoints: [ENTRY],
    outfile: join(outputDir, 'index.js'),
    bundle: true,
    format: 'esm',
    platform,
    conditions,
    mainFields: ['browser', 'module', 'main'],
    external: ['*.wasm'],
    logLevel: 'warning',
  });
  await copyFile(WASM_FILE, join(outputDir, 'aether_webhooks_wasm_bg.wasm'));
}

/**
 * Times every verifier and size in Chromium and returns rates[verifier][size] for one run.
 * The verifiers of one size are timed one after another, so that load from other processes
 * on the machine shifts them alike.
 */
async function chromiumRun(page) {
  return page.evaluate(
    async ({ verifiers, sizes, millis }) => {
      const bench = await import('/index.js');
      const rates = verifiers.map(() => []);
      for (const size of sizes) {
        for (const [index, name] of verifiers.entries()) {
          rates[index].push(bench.measureRate(name, size.bytes, millis));
        }
      }
      return rates;
    },
    { verifiers: VERIFIERS, sizes: SIZES, millis: MEASURE_MILLIS },
  );
}

async function benchChromium(outputDir) {
  const server = createServer(async (request, response) => {
    const name = new URL(request.url, 'http://127.0.0.1').pathname.slice(1);
    const types = { 'index.js': 'text/javascript', 'aether_webhooks_wasm_bg.wasm': 'application/wasm', 'index.html': 'text/html' };
    if (name === 'index.html') {
      response.writeHead(200, { 'content-type': types[name] }).end('<!doctype html><title>bench</title>');
    } else if (types[name]) {
      response.writeHead(200, { 'content-type': types[name] }).end(await readFile(join(outputDir, name)));
    } else {
      response.writeHead(404).end();
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_FLAGS });
  try {
    const page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${server.address().port}/index.html`);
    const runs = [];
    for (let run = 1; run <= RUNS; run += 1) {
      runs.push(await chromiumRun(page));
      console.error(`Chromium run ${run} done`);
    }
    return runs;
  } finally {
    await browser.close();
    await new Promise((resolve) => server.close(resolve));
  }
}

/**
 * Returns one verifier's rate in workerd. workerd's clock does not advance while a request's
 * code runs, so the rate is timed from Node: the fastest of three requests with N
 * verifications, minus the fastest of three with none (same setup, same overhead).
 */
async function workerdRate(miniflare, name, bytes) {
  const timed = async (iterations) => {
    const start = process.hrtime.bigint();
    const response = await miniflare.dispatchFetch(`http://127.0.0.1/?verifier=${encodeURIComponent(name)}&bytes=${bytes}&iterations=${iterations}`);
    await response.text();
    if (!response.ok) {
      throw new Error(`workerd run failed with ${response.status}`);
    }
    return Number(process.hrtime.bigint() - start) / 1e6;
  };

  const probeIterations = bytes >= 1024 * 1024 ? 4 : 64;
  const baseline = await timed(0);
  const probe = Math.max(await timed(probeIterations) - baseline, 0.1);
  const iterations = Math.max(probeIterations, Math.round((probeIterations * MEASURE_MILLIS) / probe));

  const fastest = async (count) => Math.min(await timed(count), await timed(count), await timed(count));
  const elapsed = (await fastest(iterations)) - (await fastest(0));
  return (iterations * 1000) / elapsed;
}

async function benchWorkerd(outputDir) {
  const miniflare = new Miniflare({
    modules: true,
    scriptPath: join(outputDir, 'index.js'),
    modulesRoot: outputDir,
    modulesRules: [{ type: 'CompiledWasm', include: ['**/*.wasm'] }],
    compatibilityDate: '2026-04-01',
    host: '127.0.0.1',
  });
  try {
    await miniflare.ready;
    const runs = [];
    for (let run = 1; run <= RUNS; run += 1) {
      const rates = VERIFIERS.map(() => []);
      for (const size of SIZES) {
        for (const [index, name] of VERIFIERS.entries()) {
          rates[index].push(await workerdRate(miniflare, name, size.bytes));
        }
      }
      runs.push(rates);
      console.error(`workerd run ${run} done`);
    }
    return runs;
  } finally {
    await miniflare.dispose();
  }
}

function summary(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return [sorted[0], sorted[Math.floor(sorted.length / 2)], sorted[sorted.length - 1]];
}

function formatRate(value) {
  if (value >= 10_000) {
    return `${(value / 1000).toFixed(0)}k`;
  }
  return value >= 1000 ? `${(value / 1000).toFixed(1)}k` : value.toFixed(0);
}

function printTables(runtime, runs) {
  console.log(`\n${runtime}, ${runs.length} runs; each cell is min / median / max.\n`);
  console.log(`| verifier | ${SIZES.map((size) => `${size.label} verifications/s`).join(' | ')} |`);
  console.log(`|---|${SIZES.map(() => '---').join('|')}|`);
  for (const [verifierIndex, name] of VERIFIERS.entries()) {
    const cells = SIZES.map((_, sizeIndex) => summary(runs.map((rates) => rates[verifierIndex][sizeIndex])).map(formatRate).join(' / '));
    console.log(`| ${name} | ${cells.join(' | ')} |`);
  }

  console.log(`\n| ${runtime}: @aether/webhooks as a ratio of, same run | ${SIZES.map((size) => size.label).join(' | ')} |`);
  console.log(`|---|${SIZES.map(() => '---').join('|')}|`);
  for (const verifierIndex of [1, 2]) {
    const cells = SIZES.map((_, sizeIndex) => {
      const ratios = runs.map((rates) => rates[0][sizeIndex] / rates[verifierIndex][sizeIndex]);
      return summary(ratios).map((ratio) => `${ratio.toFixed(2)}×`).join(' / ');
    });
    console.log(`| ${VERIFIERS[verifierIndex]} | ${cells.join(' | ')} |`);
  }
}

const workDir = await mkdtemp(join(tmpdir(), 'aether-webhooks-bench-'));
try {
  const browserDir = join(workDir, 'browser');
  const workerdDir = join(workDir, 'workerd');
  await bundle(browserDir, 'browser', ['browser']);
  await bundle(workerdDir, 'neutral', ['workerd', 'worker', 'browser']);

  printTables('Chromium (Debian /usr/bin/chromium, headless)', await benchChromium(browserDir));
  printTables('workerd (Miniflare)', await benchWorkerd(workerdDir));
} finally {
  await rm(workDir, { recursive: true, force: true });
}
