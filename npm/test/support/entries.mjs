// The two verification paths every API test runs against: the Node entry point, which
// hashes with node:crypto, and the portable entry point, which hashes in WebAssembly like
// the browser and workerd entry points do.

import * as nodeEntry from '@aether/webhooks';
import * as wasmEntry from '../../dist/default/index.js';

export const entries = [
  { path: 'node:crypto HMAC', api: nodeEntry },
  { path: 'WebAssembly HMAC', api: wasmEntry },
];
