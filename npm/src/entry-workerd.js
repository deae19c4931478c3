// The workerd (Cloudflare Workers) entry point, bundled by scripts/build.sh into
// dist/workerd/index.js. workerd forbids compiling WebAssembly from bytes at run time, so
// the module is imported as a compiled WebAssembly.Module (wrangler's default rule for .wasm
// imports) and instantiated synchronously. The import path is resolved next to the bundle,
// where the build copies the .wasm file.

import wasmModule from './aether_webhooks_wasm_bg.wasm';
import * as core from '../pkg/aether_webhooks_wasm.js';

import { createApi } from './api.js';
import { wasmBackend } from './wasm-backend.js';

export { WebhookVerificationError } from './errors.js';

const { memory } = core.initSync({ module: wasmModule });

export const { verifyAetherWebhook, constructEvent, verifyRequest, sign, signStandardWebhook, sampleDelivery } =
  createApi(wasmBackend(core, memory));
