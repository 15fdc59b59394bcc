// Baseline 1 for the side-by-side table (worker/bench/side-by-side.mjs): the HTTP floor. Reads
// the whole request body and answers a fixed JSON. Nothing a verifier does is cheaper than this.
const ANSWER = '{"verificationResponse":{"verstat":"TN-Validation-Passed","attest":"A"}}';

export default {
  async fetch(request) {
    await request.arrayBuffer();
    return new Response(ANSWER, { headers: { 'content-type': 'application/json' } });
  },
};
