// Compile-only check (tsc --noEmit, `make test-types`) of the page's first module,
// www/pkg/stircheck_page.d.ts (scripts/build-wasm.sh "page"): it offers the two-phase
// verification the page runs through WebCrypto, and NOT the code that lives only in the full
// module (synchronous RustCrypto verify, signer, demo PKI, advisor, worker glue). If one of those
// reappears in the page module, an @ts-expect-error below stops being an error and this fails.
import init, { Verifier, Pending, decode, neededCerts, version } from '../../www/pkg/stircheck_page.js';
import type { CryptoJob, Verdict } from '../../www/pkg/stircheck_page.js';
import * as page from '../../www/pkg/stircheck_page.js';
import { verifyJob } from '../../www/pkg/stircheck.js';

export async function pageModule(): Promise<Verdict> {
  await init();
  const verifier = new Verifier(null);
  const pending: Pending = verifier.prepare('Identity: ...', { asOfCall: true, certs: {} });
  const jobs: CryptoJob[] = pending.jobs();
  // A job WebCrypto cannot run is answered by the full module's RustCrypto code.
  const results: (boolean | null)[] = jobs.map((job) => (job.curve === 'P-521' ? verifyJob(job) : null));
  console.log(decode('x').identities.length, neededCerts('x'), version(), verifier.trustInfo().anchors.length);
  // @ts-expect-error the page module has no synchronous (RustCrypto) verify
  verifier.verify('Identity: ...');
  // @ts-expect-error no signer in the page module
  page.sign;
  // @ts-expect-error no demo PKI in the page module
  page.demoPki;
  // @ts-expect-error no advisor in the page module
  page.advise;
  // @ts-expect-error no self-check answers in the page module
  page.selfCheckAnswers;
  // @ts-expect-error no fetch rules (worker glue) in the page module
  page.checkUrl;
  // @ts-expect-error no verifyJob: the page module has no signature code
  page.verifyJob;
  return pending.finish(results);
}
