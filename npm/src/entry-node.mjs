// The ES module entry point for Node: it re-exports the CommonJS build, so `import` and
// `require` share one module instance and one WebhookVerificationError class.

import api from './index.cjs';

export const {
  WebhookVerificationError,
  verifyAetherWebhook,
  constructEvent,
  verifyRequest,
  sign,
  signStandardWebhook,
  sampleDelivery,
} = api;
