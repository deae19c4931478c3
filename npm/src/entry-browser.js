// The browser entry point, bundled by scripts/build.sh into dist/browser/index.js. Browsers
// compile WebAssembly asynchronously, so the module is fetched from next to the bundle (a
// `new URL(…, import.meta.url)` that bundlers understand) during module evaluation with a
// top-level await; once the import resolves, every function is synchronous.

import * as core from '../pkg/aether_webhooks_wasm.js';

import { createApi } from './api.js';
import { wasmBackend } from './wasm-backend.js';

export { WebhookVerificationError } from './errors.js';

await core.default({ module_or_path: new URL('./aether_webhooks_wasm_bg.wasm', import.meta.url) });

export const { verifyAetherWebhook, constructEvent, verifyRequest, sign, signStandardWebhook, sampleDelivery } =
  createApi(wasmBackend(core));
