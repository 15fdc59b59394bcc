/**
 * Page controller: wires the form, the trust-store control, the examples and the certificate source
 * to the verifier, and hands each Verdict to the renderers. Holds the little state the page has.
 *
 * Rules it keeps: pasted text stays in the browser (only x5u, CRL and rcd content URLs go to the worker); a thrown error or
 * odd input shows a message and never leaves the page broken; a slow verification that is overtaken
 * by a newer one is discarded.
 */
import { h, replaceChildren } from './dom.js';
import { loadCore, VerifierSession } from './api.js';
import { CertSource, detectWorker } from './certs.js';
import { crlOptions, crlSource, rcdOptions, rcdSource } from './service-content.js';
import { DEMO_FILES, DEMO_X5U, loadDemoPki, makeDemoHeader } from './examples.js';
import { renderBanner, renderErrorBanner, renderSigner, describeTrust } from './render-verdict.js';
import { renderChecks } from './render-checks.js';
import { renderCall, renderIdentities } from './render-identity.js';
import { renderCerts } from './render-certs.js';
import { applyTrustFile, loadCustomTrust, resetTrust } from './trust-store.js';
import { mountDemoSigner } from './demo-signer.js';

const $ = (id) => document.getElementById(id);

const ui = {
  form: $('verify-form'),
  input: $('input-text'),
  verify: $('verify-button'),
  asOfCall: $('as-of-call'),
  exampleValid: $('example-valid'),
  exampleBroken: $('example-broken'),
  trustStatus: $('trust-status'),
  trustFile: $('trust-file'),
  trustReset: $('trust-reset'),
  trustMessage: $('trust-message'),
  certMode: $('cert-mode'),
  verdict: $('verdict'),
  details: $('details'),
  version: $('core-version'),
};

const state = {
  /** @type {VerifierSession | null} */
  session: null,
  /** @type {CertSource | null} */
  certs: null,
  /** CRLs and rich call data content (logos) through the worker (service-content.js) */
  crl: null,
  rcd: null,
  /** the demo example currently in the paste box: verified against the demo root only */
  demo: null,
  /** increases with every run; results of older runs are dropped */
  run: 0,
};

function showTrust() {
  const custom = loadCustomTrust();
  const info = state.session?.trustInfo();
  if (info?.source === 'custom' && custom) {
    ui.trustStatus.replaceChildren(
      h('strong', { class: 'custom-trust' }, `Using custom trust store (${info.anchors.length} root${info.anchors.length === 1 ? '' : 's'})`),
      ` — ${custom.name}, kept in this browser only.`,
    );
  } else {
    ui.trustStatus.textContent = `Trust store: ${describeTrust(info)}.`;
  }
  ui.trustReset.hidden = info?.source !== 'custom';
}

function showCertMode(worker) {
  ui.certMode.textContent = worker
    ? 'Certificates, CRLs and branded-call logos: downloaded through this site’s stircheck service (only their URLs are sent).'
    : 'Certificates: this page is not served by the stircheck service, so certificate chains must be ' +
      'pasted (certificate repositories do not let web pages download from them). You will be asked when needed.';
}

/** Verify the paste box as it is now and render the result. */
async function verify() {
  const text = ui.input.value;
  if (!state.session) return;
  if (!text.trim()) {
    replaceChildren(ui.verdict, renderErrorBanner('Paste a SIP message, an Identity header or a PASSporT first.'));
    ui.details.replaceChildren();
    return;
  }
  const run = ++state.run;
  const demo = state.demo && state.demo.text === text ? state.demo : null;
  ui.verify.disabled = true;
  ui.verdict.setAttribute('aria-busy', 'true');
  try {
    const urls = state.session.neededCerts(text);
    state.rcd.forgetFailures();
    state.crl.forgetFailures();
    const [{ certs, fetchErrors, status }, rcd] = await Promise.all([state.certs.gather(urls), rcdOptions(state.session.core, state.rcd, text)]);
    const crl = await crlOptions(state.session.core, state.crl, certs);
    const options = { asOfCall: ui.asOfCall.checked, certs, fetchErrors, ...rcd, ...crl };
    if (demo) options.trust = [demo.pki.root];
    const verdict = await state.session.verify(text, options);
    if (run !== state.run) return;
    render(verdict, status, Boolean(demo));
  } catch (error) {
    if (run !== state.run) return;
    replaceChildren(ui.verdict, renderErrorBanner(`The verifier stopped with an error: ${error?.message ?? error}`));
    ui.details.replaceChildren();
  } finally {
    if (run === state.run) {
      ui.verify.disabled = false;
      ui.verdict.removeAttribute('aria-busy');
    }
  }
}

function render(verdict, certStatus, demo) {
  replaceChildren(ui.verdict, renderBanner(verdict, { demo, onFix: applyFix }));
  // Bring the answer on screen (the paste box can push it below the fold, especially on phones).
  ui.verdict.scrollIntoView({ block: 'nearest' });
  replaceChildren(
    ui.details,
    renderCerts(certStatus, {
      worker: state.certs.worker,
      pasted: state.certs.pasted,
      onChain: (url, pem) => {
        state.certs.setPasted(url, pem);
        verify();
      },
    }),
    // No signer card when nothing was parsed that could have a signer (not SIP, no Identity).
    verdict.signer || verdict.identities?.length ? renderSigner(verdict) : null,
    h('div', { class: 'panel' }, renderChecks(verdict.checks)),
    renderIdentities(verdict),
    renderCall(verdict.call),
  );
}

/** The banner's one-click fixes (render-verdict.js `fixFor`). */
function applyFix(fix) {
  if (fix === 'as-of-call') {
    // Same as ticking the box: the verdict on screen always matches the settings shown.
    ui.asOfCall.checked = true;
    verify();
  } else if (fix === 'paste-chain') {
    const box = ui.details.querySelector('.certs textarea');
    if (!box) return;
    box.scrollIntoView({ block: 'center' });
    box.focus();
  }
}

async function runExample(broken) {
  try {
    // The signer is in the full module, loaded on the first example (www/api.js).
    ui.verdict.setAttribute('aria-busy', 'true');
    const [pki, full] = await Promise.all([loadDemoPki(), state.session.fullCore()]);
    const text = makeDemoHeader(full, pki, { broken });
    ui.input.value = text;
    state.demo = { text, pki };
    ui.asOfCall.checked = false;
    await verify();
  } catch (error) {
    ui.verdict.removeAttribute('aria-busy');
    replaceChildren(ui.verdict, renderErrorBanner(`The example could not be made: ${error?.message ?? error}`));
  }
}

/**
 * The demo signer needs the full module (demo PKI + signer): show its heading and one button, and
 * load the module and build the panel (demo-signer.js) when the button is pressed.
 */
function mountDemoSignerOnDemand(container) {
  const open = h('button', { type: 'button', id: 'demo-open', class: 'primary' }, 'Open the demo signer');
  const status = h('p', { class: 'help', role: 'status', id: 'demo-open-status' });
  open.addEventListener('click', async () => {
    open.disabled = true;
    status.textContent = 'Loading the demo signer…';
    try {
      const core = await state.session.fullCore();
      if (mountDemoSigner(container, { core, session: state.session })) container.querySelector('#demo-orig')?.focus();
    } catch (error) {
      open.disabled = false;
      status.textContent = `The demo signer could not be loaded (${error?.message ?? error}); try again.`;
    }
  });
  replaceChildren(
    container,
    h('h2', { id: 'demo-signer-heading' }, 'Make a known-good demo header ', h('span', { class: 'demo-tag' }, 'DEMO')),
    h('p', { class: 'help' }, 'Signs a header in this browser with a throw-away demo certificate, to compare with the header you are investigating.'),
    h('div', { class: 'controls' }, open),
    status,
  );
  container.hidden = false;
}

async function onTrustFile() {
  const file = ui.trustFile.files?.[0];
  ui.trustFile.value = '';
  if (!file) return;
  ui.trustMessage.textContent = await applyTrustFile(state.session, file);
  showTrust();
  reverifyShown();
}

function onTrustReset() {
  ui.trustMessage.textContent = resetTrust(state.session);
  showTrust();
  reverifyShown();
}

/** Verify again if a result is on screen (after a settings change). */
function reverifyShown() {
  if (ui.verdict.querySelector('.banner') && ui.input.value.trim()) verify();
}

function wire() {
  ui.form.addEventListener('submit', (event) => {
    event.preventDefault();
    verify();
  });
  ui.input.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      verify();
    }
  });
  // Changing the time mode or the trust store re-checks the result on screen, so it never shows a
  // verdict computed under other settings than the ones displayed.
  ui.asOfCall.addEventListener('change', reverifyShown);
  ui.exampleValid.addEventListener('click', () => runExample(false));
  ui.exampleBroken.addEventListener('click', () => runExample(true));
  ui.trustFile.addEventListener('change', onTrustFile);
  ui.trustReset.addEventListener('click', onTrustReset);
}

async function start() {
  wire();
  // User-timing marks: where the load's time goes (bench/page-load.mjs reads them).
  const workerPromise = detectWorker().finally(() => performance.mark('stircheck:service-checked'));
  try {
    const core = await loadCore();
    performance.mark('stircheck:core-loaded');
    state.session = new VerifierSession(core);
    performance.mark('stircheck:verifier-created');
  } catch (error) {
    replaceChildren(
      ui.verdict,
      renderErrorBanner(`The verifier could not be loaded (${error?.message ?? error}). Reload the page; if it persists, the site is missing its WebAssembly build.`),
    );
    return;
  }
  const custom = loadCustomTrust();
  if (custom) {
    try {
      state.session.setTrust(custom.pem);
    } catch (error) {
      ui.trustMessage.textContent = `The saved trust store could not be used (${error?.message ?? error}); using the built-in one.`;
    }
  }
  showTrust();
  const worker = await workerPromise;
  state.certs = new CertSource({ worker, bundled: { [DEMO_X5U]: DEMO_FILES.chain } });
  state.rcd = rcdSource(worker);
  state.crl = crlSource(worker);
  showCertMode(worker);
  mountDemoSignerOnDemand($('demo-signer'));
  ui.version.textContent = safeVersion();
  ui.verdict.replaceChildren(h('p', { class: 'help' }, 'Paste a header and press Verify, or try an example.'));
  for (const control of [ui.verify, ui.exampleValid, ui.exampleBroken, ui.trustFile]) control.disabled = false;
  document.documentElement.dataset.ready = 'true';
}

function safeVersion() {
  try {
    return String(state.session.core.version());
  } catch {
    return '';
  }
}

start();
