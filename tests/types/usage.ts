// Compile-only check (tsc --noEmit, run by `make test`) that the generated TypeScript
// definitions of the wasm build offer the API docs/js-api.md promises, used the way the page and
// the worker use it. A renamed export or method, or a changed signature, fails the build.
import init, { initSync, Verifier, Pending, decode, neededCerts, sign, version, demoPki, checkUrl, resolveRedirect, fetchLimits, acceptBody, inspectChain, readInput, ReadInput, sbcVerificationRequestBytes, SbcVerification, SbcSigner } from '../../www/pkg/stircheck.js';
import type { CryptoJob, DemoPki, UrlDecision, FetchLimits, ChainInfo, SbcAnswer } from '../../www/pkg/stircheck.js';

export async function pageStyle(): Promise<void> {
  await init();
  const verifier = new Verifier(null);
  const custom = new Verifier(['-----BEGIN CERTIFICATE-----\n...\n-----END CERTIFICATE-----\n']);
  const info = verifier.trustInfo();
  console.log(info, custom.cacheSize());
  const verdict = verifier.verify('Identity: ...', {
    at: 1_700_000_000,
    maxAge: 60,
    asOfCall: false,
    certs: { 'https://cert.example.com/a.pem': '-----BEGIN CERTIFICATE-----' },
    fetchErrors: { 'https://cert.example.com/b.pem': 'timed out' },
    trust: ['-----BEGIN CERTIFICATE-----'],
  });
  const status: string = verdict.status;
  const outcome: "verified" | "failed" | "unverified" | "unsigned" = verdict.outcome;
  const headline: string = verdict.summary.headline;
  const action: string | null = verdict.summary.action;
  const dest: string[] | null = verdict.summary.dest;
  const age: number | null = verdict.summary.age_s;
  console.log(outcome, headline, action, dest, age, verdict.summary.orig, verdict.summary.signer);
  const checks: { id: string; outcome: string }[] = verdict.checks;
  console.log(status, checks.length, decode('x'), version());
  verifier.clearCache();
}

export async function workerStyle(module: WebAssembly.Module): Promise<void> {
  initSync({ module });
  const verifier = new Verifier(undefined);
  const urls: string[] = neededCerts('Identity: ...');
  const pending: Pending = verifier.prepare('Identity: ...', { at: 1, certs: {} });
  const jobs = pending.jobs();
  // Views of the module's memory: the same CryptoJob shape (good until the next call into it).
  const views: CryptoJob[] = pending.jobViews();
  if (views.length !== jobs.length || views.some((v, i) => v.id !== jobs[i].id)) throw new Error('jobViews and jobs disagree');
  const results: (boolean | null)[] = [];
  for (const job of jobs) {
    const alg: string = job.alg;
    const spki: Uint8Array = job.spki;
    const message: Uint8Array = job.message;
    const signature: Uint8Array = job.signature;
    results.push(alg === 'ES256' && spki.length > 0 && job.curve !== "P-521" && message.length > 0 && signature.length === 64 ? null : false);
  }
  const verdict = pending.finish(results);
  console.log(urls, verdict.sip_code, verdict.signer?.not_after);
}

export function signStyle(): string {
  return sign({ keyPem: '-----BEGIN PRIVATE KEY-----', x5u: 'https://a.example/c.pem', attest: 'A', orig: '12155551212', dest: ['12155551213'] });
}

export function demoStyle(): string {
  const pki: DemoPki = demoPki(crypto.getRandomValues(new Uint8Array(32)), { spc: 'DEMO', org: 'Acme Voice', now: 1_700_000_000, days: 30 });
  const also: DemoPki = demoPki(new Uint8Array(32));
  const x5u = 'https://certs.example.com/stircheck-demo/leaf.pem';
  const header = sign({ keyPem: pki.keyPem, x5u, attest: 'B', orig: '12025550142', dest: ['12025550199'] });
  const verdict = new Verifier([pki.rootPem]).verify(header, { certs: { [x5u]: pki.chainPem } });
  return `${verdict.status} ${pki.spc} ${also.chainPem.length}`;
}

export function delegateStyle(): string {
  // A delegate chain for a client's numbers, with a claim constraint; the signer card's facts.
  const pki: DemoPki = demoPki(new Uint8Array(32), {
    delegate: { tns: ['12025550142'], ranges: [{ start: '12025550100', count: 100 }], client: 'Acme BPO',
      constraints: { permittedValues: [{ claim: 'attest', values: ['A'] }] } },
  });
  const x5u = 'https://certs.example.com/stircheck-demo/leaf.pem';
  const header = sign({ keyPem: pki.keyPem, x5u, attest: 'A', orig: '12025550142', dest: ['12025550199'] });
  const signer = new Verifier([pki.rootPem]).verify(header, { certs: { [x5u]: pki.chainPem } }).signer;
  const count: number | undefined = signer?.delegate?.count;
  const kind: string | undefined = signer?.constraints?.[0]?.kind;
  return `${signer?.delegate?.sentence ?? ''} ${count} ${kind}`;
}

export function fetchRulesStyle(body: Uint8Array): number | null {
  const url: UrlDecision = checkUrl('x5u', 'https://cert.example.com/a.pem');
  const next: UrlDecision = resolveRedirect('crl', url.canonical ?? '', '/b.crl');
  const limits: FetchLimits = fetchLimits('rcd');
  const ok: boolean = acceptBody('x5u', null, body).ok && next.ok && limits.maxBytes > 0;
  const chain: ChainInfo = inspectChain(body);
  return ok && chain.ok ? chain.notAfter : null;
}

/** The worker's hot paths: one kept read of the input, and bodies as bytes in and out. */
export function workerBytesStyle(verifier: Verifier, body: Uint8Array): Uint8Array | string {
  const read: ReadInput = readInput('Identity: ...');
  read.supplyBytes('https://cert.example.com/a.pem', new Uint8Array(0));
  const x5u: string[] = read.x5u;
  const rcd: string[] = read.rcd;
  const pending: Pending = read.prepare(verifier, { at: 1, certs: Object.fromEntries(x5u.map((u) => [u, ''])) });
  read.free();
  const full: Uint8Array = pending.finishViewBytes(pending.jobs().map(() => null), 'full');
  const req: SbcVerification | SbcAnswer = sbcVerificationRequestBytes(body);
  if (req instanceof SbcVerification) {
    for (const url of req.needed) req.supplyBytes(url, new TextEncoder().encode('-----BEGIN CERTIFICATE-----'));
    const p: Pending = req.prepare(verifier);
    const answer: Uint8Array = p.finishViewBytes([], 'sbc');
    req.free();
    return answer.length > full.length ? answer : `${rcd.length}`;
  }
  const signed: SbcAnswer = new SbcSigner('-----BEGIN PRIVATE KEY-----', 'https://a.example/c.pem').respondBytes(body, 1);
  return `${req.status} ${req.body} ${signed.status}`;
}
