// The Node entry point, bundled by scripts/build.sh into dist/node/index.cjs. The module is
// embedded as bytes and compiled synchronously, which Node allows, so neither `require` nor
// `import` needs an `await`, and bundlers (Next.js included) have no .wasm file to trace.

import wasmBytes from '../pkg/aether_webhooks_wasm_bg.wasm';
import * as core from '../pkg/aether_webhooks_wasm.js';

import { createApi } from './api.js';
import { nodeBackend } from './node-backend.js';

export { WebhookVerificationError } from './errors.js';

const { memory } = core.initSync({ module: new WebAssembly.Module(wasmBytes) });

export const { verifyAetherWebhook, constructEvent, verifyRequest, sign, signStandardWebhook, sampleDelivery } =
  createApi(nodeBackend(core, memory));
