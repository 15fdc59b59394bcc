/**
 * Self-check page controller: a business customer enters its numbers and pastes Identity headers or
 * SIP messages of past calls; every call is verified in this tab (WebCrypto path of api.js), then the
 * results are summarised per number, charted and offered as CSV/JSON.
 *
 * Rules it keeps: pasted text and numbers stay in the browser (only x5u, CRL and rcd content URLs go to the worker);
 * large pastes are verified in time slices with yields to the event loop, so the page stays
 * responsive, shows progress and can be cancelled; a new run discards an older one.
 */
import { h, replaceChildren } from './dom.js';
import { loadFullCore, VerifierSession } from './api.js';
import { CertSource, detectWorker } from './certs.js';
import { crlOptions, crlSource, rcdOptions, rcdSource } from './service-content.js';
import { DEMO_FILES, DEMO_X5U } from './examples.js';
import { describeTrust, renderErrorBanner } from './render-verdict.js';
import { renderCerts } from './render-certs.js';
import { applyTrustFile, loadCustomTrust, resetTrust } from './trust-store.js';
import { mountAdvisor } from './advisor.js';
import { mountHistory } from './history.js';
import { parseNumbers, splitRecords } from './selfcheck-records.js';
import { rowFromVerdict, summarize, tallies, toCsv, toJson } from './selfcheck-report.js';
import {
  formatNumber,
  goTo,
  renderAnswers,
  renderCharts,
  renderExport,
  renderFailures,
  renderNumberTable,
  renderOtherNumbers,
  renderOverview,
  renderReachA,
  renderSigners,
} from './selfcheck-render.js';

const $ = (id) => document.getElementById(id);

const ui = {
  form: $('sc-form'),
  numbers: $('sc-numbers'),
  numbersParsed: $('sc-numbers-parsed'),
  nanp: $('sc-nanp'),
  calls: $('sc-calls'),
  asOfCall: $('sc-as-of-call'),
  run: $('sc-run'),
  cancel: $('sc-cancel'),
  progressBox: $('sc-progress-box'),
  progress: $('sc-progress'),
  status: $('sc-status'),
  trustStatus: $('trust-status'),
  trustFile: $('trust-file'),
  trustReset: $('trust-reset'),
  trustMessage: $('trust-message'),
  certMode: $('cert-mode'),
  results: $('results'),
  body: $('results-body'),
  advisor: $('advisor-body'),
  version: $('core-version'),
};

/** Time slice between yields to the event loop (ms): keeps typing and the Cancel button responsive. */
const SLICE_MS = 40;

const state = {
  /** @type {VerifierSession | null} */
  session: null,
  /** @type {CertSource | null} */
  certs: null,
  /** CRLs and rich call data content (logos) through the worker (service-content.js) */
  crl: null,
  rcd: null,
  /** increases with every run; an older run stops when it sees a newer one */
  run: 0,
  cancelled: false,
  /** the last finished report: { rows, numbers, settings, certStatus, attempted, cancelled } */
  report: null,
  chartWidth: 0,
};

const yieldToBrowser = () => new Promise((resolve) => setTimeout(resolve, 0));

function numberOptions() {
  return { nanp: ui.nanp.checked };
}

function showParsedNumbers() {
  const { numbers, invalid } = parseNumbers(ui.numbers.value, numberOptions());
  const parts = [];
  if (numbers.length) parts.push(`Checking ${numbers.length === 1 ? '1 number' : `${numbers.length} numbers`}: ${numbers.map(formatNumber).join(', ')}.`);
  if (invalid.length) parts.push(`Not a phone number, ignored: ${invalid.map((s) => `“${s.slice(0, 40)}”`).join(', ')}.`);
  ui.numbersParsed.textContent = parts.join(' ');
  return { numbers, invalid };
}

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

function setRunning(running) {
  ui.run.disabled = running;
  ui.cancel.hidden = !running;
  ui.cancel.disabled = !running;
  ui.progressBox.hidden = !running;
  if (running) ui.results.setAttribute('aria-busy', 'true');
  else ui.results.removeAttribute('aria-busy');
}

/** Verify every pasted call and render the report. */
async function runCheck() {
  if (!state.session) return;
  const { numbers } = showParsedNumbers();
  const records = splitRecords(ui.calls.value);
  if (numbers.length === 0 || records.length === 0) {
    const msg = numbers.length === 0 ? 'Enter at least one of your phone numbers first.' : 'Paste at least one Identity header or SIP message first.';
    replaceChildren(ui.body, renderErrorBanner(msg));
    ui.status.textContent = msg;
    return;
  }
  const run = ++state.run;
  state.cancelled = false;
  const settings = { asOfCall: ui.asOfCall.checked, nanp: ui.nanp.checked, trust: describeTrust(state.session.trustInfo()) };
  const opts = numberOptions();
  const rows = [];
  /** @type {Map<string, object>} x5u -> CertStatus, for the certificate panel */
  const certStatus = new Map();
  /** x5u -> reason, for URLs that already failed in this run (asked once, not once per call) */
  const failedUrls = new Map();
  state.rcd.forgetFailures();
  state.crl.forgetFailures();
  setRunning(true);
  ui.progress.max = records.length;
  ui.progress.value = 0;
  ui.status.textContent = `Checking ${records.length} calls…`;
  let sliceStart = performance.now();
  try {
    for (const rec of records) {
      if (run !== state.run) return; // a newer run took over
      if (state.cancelled) break;
      const urls = state.session.neededCerts(rec.text);
      const fetchErrors = {};
      const ask = [];
      for (const url of urls) {
        if (failedUrls.has(url)) fetchErrors[url] = failedUrls.get(url);
        else ask.push(url);
      }
      const got = await state.certs.gather(ask);
      Object.assign(fetchErrors, got.fetchErrors);
      for (const s of got.status) {
        certStatus.set(s.url, s);
        if (s.origin === 'failed') failedUrls.set(s.url, s.error);
      }
      let verdict;
      try {
        const options = {
          asOfCall: settings.asOfCall,
          certs: got.certs,
          fetchErrors,
          ...(await rcdOptions(state.session.core, state.rcd, rec.text)),
          ...(await crlOptions(state.session.core, state.crl, got.certs)),
        };
        verdict = await state.session.verify(rec.text, options);
      } catch (error) {
        verdict = { status: 'invalid', reason: `The verifier stopped with an error: ${error?.message ?? error}`, checks: [], identities: [] };
      }
      rows.push(rowFromVerdict(rec, verdict, numbers, opts));
      if (performance.now() - sliceStart > SLICE_MS) {
        ui.progress.value = rows.length;
        ui.status.textContent = `Checked ${rows.length} of ${records.length} calls…`;
        await yieldToBrowser();
        sliceStart = performance.now();
      }
    }
    if (run !== state.run) return;
    state.report = { rows, numbers, settings, certStatus: [...certStatus.values()], attempted: records.length, cancelled: state.cancelled };
    renderReport();
    ui.status.textContent = state.cancelled
      ? `Stopped after ${rows.length} of ${records.length} calls.`
      : `Done: ${rows.length === 1 ? '1 call' : `${rows.length} calls`} checked.`;
    // The answer first: move the reader (and the keyboard focus) to the per-number sentences.
    goTo(ui.body.querySelector('#answers') ? 'answers' : 'results');
  } catch (error) {
    if (run !== state.run) return;
    replaceChildren(ui.body, renderErrorBanner(`The check stopped with an error: ${error?.message ?? error}`));
    ui.status.textContent = 'The check stopped with an error.';
  } finally {
    if (run === state.run) setRunning(false);
  }
}

function chartWidth() {
  // The results column's inner width, minus the panel padding.
  const w = ui.results.clientWidth || 600;
  return Math.max(240, w - 34);
}

function renderReport() {
  const r = state.report;
  if (!r) return;
  const summary = summarize(r.rows, r.numbers);
  state.chartWidth = chartWidth();
  const certs = renderCerts(r.certStatus, {
    worker: state.certs.worker,
    pasted: state.certs.pasted,
    onChain: (url, pem) => {
      state.certs.setPasted(url, pem);
      runCheck();
    },
  });
  // A certificate that could not be obtained fails every call that needs it: say so first.
  const certsFailed = r.certStatus.some((c) => c.origin === 'failed');
  let answers = null;
  try {
    answers = renderAnswers(state.session.core.selfCheckAnswers(tallies(summary)));
  } catch (error) {
    answers = h('p', { class: 'warning-text' }, `The per-number answers could not be written (${error?.message ?? error}); the tables below have the counts.`);
  }
  replaceChildren(
    ui.body,
    answers,
    renderOverview(summary, { numbers: r.numbers, cancelled: r.cancelled, attempted: r.attempted, asOfCall: r.settings.asOfCall, rows: r.rows }),
    certsFailed ? certs : null,
    renderNumberTable(summary),
    renderSigners(summary),
    renderCharts(summary, state.chartWidth),
    renderFailures(summary),
    renderOtherNumbers(summary),
    renderReachA(summary, r.rows, state.session.core),
    certsFailed ? null : certs,
    renderExport({ onCsv: () => download('csv'), onJson: () => download('json') }),
  );
}

/** Re-draw the charts when the available width changes (text is never scaled, see chart.js). */
function watchWidth() {
  if (typeof ResizeObserver !== 'function') return;
  let pending = false;
  new ResizeObserver(() => {
    if (pending || !state.report) return;
    pending = true;
    requestAnimationFrame(() => {
      pending = false;
      if (Math.abs(chartWidth() - state.chartWidth) < 8) return;
      const old = ui.body.querySelector('.charts');
      if (!old) return;
      state.chartWidth = chartWidth();
      const openTables = [...old.querySelectorAll('details')].map((d) => d.open);
      const fresh = renderCharts(summarize(state.report.rows, state.report.numbers), state.chartWidth);
      fresh.querySelectorAll('details').forEach((d, i) => (d.open = Boolean(openTables[i])));
      old.replaceWith(fresh);
    });
  }).observe(ui.results);
}

function stamp() {
  return new Date().toISOString().replace(/[-:]/g, '').replace(/\..*$/, '').replace('T', '-');
}

/** Save the report as a file through a Blob URL (made here, nothing uploaded). */
function download(kind) {
  const r = state.report;
  if (!r) return;
  const text = kind === 'csv' ? toCsv(r.rows) : toJson({ rows: r.rows, numbers: r.numbers, settings: { ...r.settings, stopped_early: r.cancelled } });
  const type = kind === 'csv' ? 'text/csv;charset=utf-8' : 'application/json';
  // A UTF-8 BOM so spreadsheet programs read company names with accents correctly.
  const blob = new Blob(kind === 'csv' ? ['\ufeff', text] : [text], { type });
  const url = URL.createObjectURL(blob);
  const a = h('a', { href: url, download: `stircheck-self-check-${stamp()}.${kind}`, hidden: true });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

async function onTrustFile() {
  const file = ui.trustFile.files?.[0];
  ui.trustFile.value = '';
  if (!file) return;
  ui.trustMessage.textContent = await applyTrustFile(state.session, file);
  showTrust();
  rerunShown();
}

function onTrustReset() {
  ui.trustMessage.textContent = resetTrust(state.session);
  showTrust();
  rerunShown();
}

/** Settings changed while a report is on screen: check again so it never shows stale settings. */
function rerunShown() {
  if (state.report && ui.calls.value.trim()) runCheck();
}

function wire() {
  ui.form.addEventListener('submit', (event) => {
    event.preventDefault();
    runCheck();
  });
  ui.cancel.addEventListener('click', () => {
    state.cancelled = true;
    ui.cancel.disabled = true;
    ui.status.textContent = 'Stopping…';
  });
  for (const box of [ui.numbers, ui.calls]) {
    box.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
        event.preventDefault();
        if (!ui.run.disabled) runCheck();
      }
    });
  }
  ui.numbers.addEventListener('input', showParsedNumbers);
  ui.nanp.addEventListener('change', () => {
    showParsedNumbers();
    rerunShown();
  });
  ui.asOfCall.addEventListener('change', rerunShown);
  ui.trustFile.addEventListener('change', onTrustFile);
  ui.trustReset.addEventListener('click', onTrustReset);
  watchWidth();
  // In-page links move the focus as well as the view (a plain #fragment only scrolls).
  document.addEventListener('click', (event) => {
    const link = event.target instanceof Element ? event.target.closest('a[data-goto]') : null;
    if (link && goTo(link.dataset.goto)) event.preventDefault();
  });
  window.addEventListener('hashchange', () => goTo(location.hash.slice(1)));
}

async function start() {
  wire();
  showParsedNumbers();
  const workerPromise = detectWorker();
  let core;
  try {
    // The full module: the advisor and the per-number answers are not in the page's first module.
    core = await loadFullCore();
    state.session = new VerifierSession(core);
  } catch (error) {
    const msg = `The verifier could not be loaded (${error?.message ?? error}). Reload the page; if it persists, the site is missing its WebAssembly build.`;
    replaceChildren(ui.body, renderErrorBanner(msg));
    replaceChildren(ui.advisor, h('p', { class: 'warning-text' }, msg));
    return;
  }
  mountAdvisor(ui.advisor, core);
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
  ui.certMode.textContent = worker
    ? 'Certificates, CRLs and branded-call logos: downloaded through this site’s stircheck service (only their URLs are sent).'
    : 'Certificates: this page is not served by the stircheck service, so certificate chains must be pasted ' +
      '(certificate repositories do not let web pages download from them). You will be asked after the check.';
  try {
    ui.version.textContent = String(core.version());
  } catch {
    /* no version shown */
  }
  ui.body.replaceChildren(h('p', { class: 'help' }, 'Enter your numbers, paste the calls and press “Check calls”.'));
  ui.run.disabled = false;
  ui.trustFile.disabled = false;
  // Calls a stircheck test number received (www/history.js), through the same report as pastes.
  mountHistory($('sc-history'), {
    numbers: showParsedNumbers,
    setNumbers: (list) => {
      ui.numbers.value = list.map((n) => `+${n}`).join('\n');
      showParsedNumbers();
    },
    options: numberOptions,
    show: (rows, numbers) => {
      state.run += 1; // a paste check still running must not replace this report
      // The worker verified each call when it arrived (a live check), not as of its iat.
      const settings = { source: 'history', asOfCall: false, verifiedOnArrival: true, nanp: ui.nanp.checked, trust: 'the stircheck service’s trust store' };
      state.report = { rows, numbers, settings, certStatus: [], attempted: rows.length, cancelled: false };
      renderReport();
    },
  });
  document.documentElement.dataset.ready = 'true';
  // Opened as self-check.html#advisor (or another section): the browser scrolled there before the
  // advisor and the results were drawn, which moved the section; go there again now.
  if (location.hash.length > 1) goTo(decodeURIComponent(location.hash.slice(1)));
}

start();
