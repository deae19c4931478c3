// The browser entry point, bundled by scripts/build.sh into dist/browser/index.js. Browsers
// compile WebAssembly asynchronously, so a top-level await fetches the module from next to
// the bundle while this module is evaluated. The `new URL(…, import.meta.url)` form lets
// bundlers find the file. Once the import resolves, every function is synchronous.

import * as core from '../pkg/aether_webhooks_wasm.js';

import { createApi } from './api.js';
import { wasmBackend } from './wasm-backend.js';

export { WebhookVerificationError } from './errors.js';

const { memory } = await core.default({ module_or_path: new URL('./aether_webhooks_wasm_bg.wasm', import.meta.url) });

export const { verifyAetherWebhook, constructEvent, verifyRequest, sign, signStandardWebhook, sampleDelivery } =
  createApi(wasmBackend(core, memory));
