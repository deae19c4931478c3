// Type-checks test/types against the shipped declarations with the package's TypeScript.

import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';

import { run } from './support/processes.mjs';

const PACKAGE_DIR = fileURLToPath(new URL('..', import.meta.url));

test('declarations compile for import and require', async () => {
  const result = await run(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'test/types/tsconfig.json'], { cwd: PACKAGE_DIR });

  assert.equal(result.code, 0, result.stdout + result.stderr);
});

test('declarations contain no any', async () => {
  const declarations = await readFile(new URL('../dist/node/index.d.mts', import.meta.url), 'utf8');
  const code = declarations.replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '');

  assert.doesNotMatch(code, /\bany\b/);
});
