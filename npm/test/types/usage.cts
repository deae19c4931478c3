// Compiled by types.test.mjs with `tsc --noEmit`: the CommonJS declarations, as a
// `require` user sees them.

import webhooks = require('@aether/webhooks');

const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const body = webhooks.sampleDelivery('post.failed');
const event = webhooks.constructEvent(body, webhooks.sign(body, secret), secret);

const retries: number | undefined = event.event === 'post.failed' ? event.data.retriesExhausted : undefined;

export = retries;
