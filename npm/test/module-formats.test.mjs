// The package's entry points as Node and other runtimes resolve them through `exports`.

import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';

import { run } from './support/processes.mjs';

const PACKAGE_DIR = fileURLToPath(new URL('..', import.meta.url));
const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';

/** Runs a script with `node` in the package directory, where `@aether/webhooks` resolves to itself. */
async function node(args) {
  const result = await run(process.execPath, args, { cwd: PACKAGE_DIR });
  assert.equal(result.code, 0, result.stderr);
  return result.stdout.trim();
}

test('require loads synchronously', async () => {
  const script = `
    const { verifyAetherWebhook, sign } = require('@aether/webhooks');
    const body = '{"event":"post.published"}';
    console.log(verifyAetherWebhook(body, sign(body, '${SECRET}'), '${SECRET}'));
  `;

  assert.equal(await node(['-e', script]), 'true');
});

test('import loads without await', async () => {
  const script = `
    import { verifyAetherWebhook, sign } from '@aether/webhooks';
    const body = '{"event":"post.published"}';
    console.log(verifyAetherWebhook(body, sign(body, '${SECRET}'), '${SECRET}'));
  `;

  assert.equal(await node(['--input-type=module', '-e', script]), 'true');
});

test('require and import share one error class', async () => {
  const required = createRequire(import.meta.url)('@aether/webhooks');
  const imported = await import('@aether/webhooks');

  assert.equal(required.WebhookVerificationError, imported.WebhookVerificationError);
  assert.throws(() => imported.constructEvent('{}', '', SECRET), required.WebhookVerificationError);
});

test('exports resolve per runtime condition', async () => {
  const resolve = (condition) =>
    node([...(condition ? [`--conditions=${condition}`] : []), '--input-type=module', '-e', "console.log(import.meta.resolve('@aether/webhooks'))"]);

  assert.match(await resolve(), /\/dist\/node\/index\.mjs$/);
  assert.match(await resolve('workerd'), /\/dist\/workerd\/index\.js$/);
  assert.match(await resolve('browser'), /\/dist\/browser\/index\.js$/);
  assert.match(createRequire(import.meta.url).resolve('@aether/webhooks'), /\/dist\/node\/index\.cjs$/);
});

test('each entry point has its declarations', async () => {
  const { readFile, access } = await import('node:fs/promises');
  const manifest = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8'));
  const conditions = manifest.exports['.'];
  const targets = [conditions.workerd, conditions.browser, conditions.node.import, conditions.node.require, conditions.default];

  for (const target of targets) {
    await access(new URL(`../${target.types}`, import.meta.url));
    await access(new URL(`../${target.default}`, import.meta.url));
  }
  assert.equal(manifest.sideEffects, false);
});
