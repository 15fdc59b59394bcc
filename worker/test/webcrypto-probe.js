// Probe worker (webcrypto-probe.capnp): POST a JSON list of crypto jobs, fields as base64
// ({alg, curve, spki, message, signature}); answers the list of `runJob` results in order:
// true / false from workerd's WebCrypto, or null where the worker would hand the job to the core.
import { runJob } from './webcrypto.js';

const bytes = (b64) => Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));

export default {
  async fetch(request) {
    if (request.method !== 'POST') return new Response('POST a job list', { status: 405 });
    const jobs = await request.json();
    const results = [];
    for (const j of jobs) {
      results.push(await runJob({ ...j, spki: bytes(j.spki), message: bytes(j.message), signature: bytes(j.signature) }));
    }
    return Response.json(results);
  },
};
