// The entry point for runtimes matched by no other condition (Deno, Bun and bundlers for
// other targets), bundled by scripts/build.sh into dist/default/index.js. The module is
// embedded as bytes and compiled synchronously, which works wherever WebAssembly may be
// compiled at run time. The HMAC runs in WebAssembly because `node:crypto` may be absent.

import wasmBytes from '../pkg/aether_webhooks_wasm_bg.wasm';
import * as core from '../pkg/aether_webhooks_wasm.js';

import { createApi } from './api.js';
import { wasmBackend } from './wasm-backend.js';

export { WebhookVerificationError } from './errors.js';

const { memory } = core.initSync({ module: new WebAssembly.Module(wasmBytes) });

export const { verifyAetherWebhook, constructEvent, verifyRequest, sign, signStandardWebhook, sampleDelivery } =
  createApi(wasmBackend(core, memory));
