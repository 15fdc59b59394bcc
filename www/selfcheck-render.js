/**
 * Renderers of the self-check results: the overview line, the per-number table, the charts, the
 * failures grouped by failing check, the "other numbers" table, the "what to do to reach A" panel
 * and the export controls. Each takes plain data (selfcheck-report.js summary and rows) and returns
 * detached elements; all text goes in as text (dom.js), never as markup.
 */
import { h, srOnly } from './dom.js';
import { formatNumber as formatTn } from './format.js';
import { attestationInfo } from './attestation.js';
import { barChart, stackedBarChart } from './chart.js';
import { adviseWith, scenarioForObserved } from './advisor.js';
import { CSV_COLUMNS, checkName, OTHER } from './selfcheck-report.js';

const plural = (n, one, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** A number as the customer reads it ("+1 202-555-0142"); the "other numbers" group by its name. */
export function formatNumber(n) {
  return n === OTHER ? 'Other numbers' : formatTn(n);
}

const SERIES = [
  { key: 'A', label: 'A (full attestation)', short: 'A' },
  { key: 'B', label: 'B (partial attestation)', short: 'B' },
  { key: 'C', label: 'C (gateway attestation)', short: 'C' },
  { key: 'invalid', label: 'not valid', short: '✗' },
  { key: 'unverified', label: 'could not check', short: '?' },
  { key: 'unsigned', label: 'no signature', short: '–' },
];

function segments(g) {
  return [
    { key: 'A', label: SERIES[0].label, value: g.attest.A },
    { key: 'B', label: SERIES[1].label, value: g.attest.B },
    { key: 'C', label: SERIES[2].label, value: g.attest.C },
    { key: 'invalid', label: SERIES[3].label, value: g.failed },
    { key: 'unverified', label: SERIES[4].label, value: g.unverified },
    { key: 'unsigned', label: SERIES[5].label, value: g.unsigned },
  ];
}

/** Where each "next step" of a core answer leads (src/selfcheck.rs Target -> section id). */
const TARGET_ID = { 'reach-a': 'reach-a', failures: 'failures', certificates: 'certificates', 'how-to': 'how-to' };

/** Move to a section of the page: scroll it into view and put the keyboard focus on it. */
export function goTo(id) {
  const el = document.getElementById(id);
  if (!el) return false;
  if (!el.hasAttribute('tabindex')) el.setAttribute('tabindex', '-1');
  el.scrollIntoView({ block: 'start' });
  el.focus({ preventScroll: true });
  return true;
}

/** A same-page link that also moves the focus (a plain #fragment only scrolls). */
export function sectionLink(id, text) {
  return h('a', {
    href: `#${id}`,
    onclick: (event) => {
      if (goTo(id)) event.preventDefault();
    },
  }, text);
}

/**
 * The answer first: one sentence per number, written by the core (`selfCheckAnswers`), with its
 * next step as a link to the part of the page that helps.
 * @param {Array<{number:string, level:string, sentence:string, next:{text:string,target:string}|null}>} answers
 */
export function renderAnswers(answers) {
  return h(
    'section',
    { class: 'panel answers', id: 'answers', tabindex: '-1', 'aria-labelledby': 'answers-heading' },
    h('h2', { id: 'answers-heading' }, 'Your numbers at a glance'),
    h(
      'ul',
      { class: 'answers__list' },
      answers.map((a) =>
        h(
          'li',
          { class: `answer answer--${a.level}`, dataset: { number: a.number, level: a.level } },
          h('strong', { class: 'answer__number' }, formatNumber(a.number)),
          ': ',
          a.sentence,
          a.next && TARGET_ID[a.next.target] ? ['; ', sectionLink(TARGET_ID[a.next.target], a.next.text), '.'] : '.',
        ),
      ),
    ),
  );
}

/** One sentence over everything that was checked. */
export function renderOverview(summary, { numbers, cancelled, attempted, asOfCall = false, rows = [] }) {
  const all = [...summary.numbers, summary.other];
  const sum = (k) => all.reduce((a, g) => a + g[k], 0);
  const mine = summary.numbers.reduce((a, g) => a + g.calls, 0);
  const valid = sum('valid');
  const invalid = sum('failed');
  const unverified = sum('unverified');
  const unsigned = sum('unsigned');
  const unreadable = sum('unreadable');
  return h(
    'div',
    { class: `panel overview${cancelled ? ' overview--stopped' : ''}` },
    cancelled
      ? h('p', { class: 'warning-text' }, `Stopped: ${summary.total} of ${attempted} calls were checked. The results below cover those only.`)
      : null,
    h(
      'p',
      { class: 'overview__line' },
      h('strong', null, plural(summary.total, 'call')),
      ` checked for ${plural(numbers.length, 'number')}: `,
      `${valid} valid, ${invalid} not valid, `,
      unverified ? `${unverified} could not be checked, ` : '',
      `${unsigned} without a signature`,
      unreadable ? `, ${plural(unreadable, 'line')} with nothing readable (not counted as calls of a level)` : '',
      '. ',
      `${mine} showed one of your numbers, ${summary.other.calls} showed other numbers.`,
    ),
    asOfCall ? asOfCallNote(rows) : null,
  );
}

/** "As of each call" is only true for calls whose signing time could be read; say which were not. */
function asOfCallNote(rows) {
  const noIat = rows.filter((r) => r.status !== 'no-identity' && r.outcome !== 'unreadable' && typeof r.iat !== 'number').length;
  return h(
    'p',
    { class: 'help' },
    'Each call was checked as of the time it was signed (its iat)',
    noIat ? `, except ${plural(noIat, 'call')} whose signing time could not be read: ${noIat === 1 ? 'it was' : 'they were'} checked as of now.` : '.',
  );
}

function levelHeader(level) {
  const info = attestationInfo(level);
  return h('th', { scope: 'col', class: 'num level' }, level, srOnly(` (${info.name})`));
}

function numberRow(g, { other = false } = {}) {
  const num = (v, cls = '') => h('td', { class: `num ${cls}`.trim() }, String(v));
  return h(
    'tr',
    { dataset: { number: g.number } },
    h('th', { scope: 'row', class: 'number' }, other ? (g.number ? formatNumber(g.number) : h('span', { class: 'muted' }, 'no number found')) : formatNumber(g.number)),
    num(g.attest.A, 'attest-A'),
    num(g.attest.B, 'attest-B'),
    num(g.attest.C, 'attest-C'),
    num(g.failed, g.failed ? 'bad' : ''),
    num(g.unverified),
    num(g.unsigned),
    num(g.unreadable),
    num(g.calls),
    num(g.signed),
    num(g.valid),
    other ? null : h('td', { class: 'num' }, g.signed ? `${g.origMatched} of ${g.signed}` : '–'),
  );
}

function tableHead(other) {
  return h(
    'thead',
    null,
    h(
      'tr',
      null,
      h('th', { scope: 'col' }, 'Number'),
      levelHeader('A'),
      levelHeader('B'),
      levelHeader('C'),
      h('th', { scope: 'col', class: 'num' }, 'Not valid'),
      h('th', { scope: 'col', class: 'num' }, 'Could not check'),
      h('th', { scope: 'col', class: 'num' }, 'No signature'),
      h('th', { scope: 'col', class: 'num' }, 'Unreadable'),
      h('th', { scope: 'col', class: 'num' }, 'Calls'),
      h('th', { scope: 'col', class: 'num' }, 'Signed'),
      h('th', { scope: 'col', class: 'num' }, 'Valid'),
      other ? null : h('th', { scope: 'col', class: 'num' }, 'orig matched'),
    ),
  );
}

/** A table in a horizontally scrollable, keyboard-focusable box (the page itself never scrolls sideways). */
function scrollBox(label, table) {
  return [
    h('p', { class: 'help scroll-hint', 'aria-hidden': 'true' }, 'Swipe the table sideways for all columns →'),
    h('div', { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': label }, table),
  ];
}

/** The per-number table: one row per entered number (zero rows included: no calls is an answer too). */
export function renderNumberTable(summary) {
  return h(
    'section',
    { class: 'panel per-number', 'aria-labelledby': 'per-number-heading' },
    h('h2', { id: 'per-number-heading' }, 'Your numbers'),
    h(
      'p',
      { class: 'help' },
      'A, B and C count valid calls only: a level in a header that did not verify proves nothing. ',
      '“Could not check”: the signer’s certificate could not be obtained. “Unreadable”: pasted lines with no readable PASSporT. ',
      '“orig matched”: signed calls whose signed calling number (orig) is the number the call showed.',
    ),
    scrollBox(
      'Your numbers (table, scrolls sideways)',
      h('table', { class: 'data-table', id: 'per-number-table' }, h('caption', { class: 'sr-only' }, 'Calls per number'), tableHead(false), h('tbody', null, summary.numbers.map((g) => numberRow(g)))),
    ),
  );
}

/** Who signed the valid calls of each number (SPC and company from the certificate), and at which level. */
export function renderSigners(summary) {
  const groups = [...summary.numbers, ...(summary.other.calls ? [summary.other] : [])];
  const rows = groups.flatMap((g) =>
    [...g.signers.values()].map((s, i) =>
      h(
        'tr',
        { dataset: { number: g.number, spc: s.spc ?? '' } },
        i === 0 ? h('th', { scope: 'row', class: 'number', rowspan: String(g.signers.size) }, formatNumber(g.number)) : null,
        h('td', null, s.spc ? s.spc : h('span', { class: 'muted' }, 'unknown')),
        h('td', null, s.organization ?? h('span', { class: 'muted' }, 'not named in the certificate')),
        h('td', { class: 'num' }, String(s.calls)),
        h('td', { class: 'num attest-A' }, String(s.attest.A)),
        h('td', { class: 'num attest-B' }, String(s.attest.B)),
        h('td', { class: 'num attest-C' }, String(s.attest.C)),
      ),
    ),
  );
  const withoutSigner = summary.numbers.filter((g) => g.signers.size === 0).map((g) => formatNumber(g.number));
  return h(
    'section',
    { class: 'panel signers', 'aria-labelledby': 'signers-heading' },
    h('h2', { id: 'signers-heading' }, 'Who signed your calls'),
    h('p', { class: 'help' }, 'The carrier named in the certificate of each valid call: its Service Provider Code (SPC) and company.'),
    rows.length
      ? scrollBox(
          'Who signed your calls (table, scrolls sideways)',
          h(
            'table',
            { class: 'data-table', id: 'signers-table' },
            h('caption', { class: 'sr-only' }, 'Signers per number'),
            h(
              'thead',
              null,
              h(
                'tr',
                null,
                h('th', { scope: 'col' }, 'Number'),
                h('th', { scope: 'col' }, 'SPC'),
                h('th', { scope: 'col' }, 'Company'),
                h('th', { scope: 'col', class: 'num' }, 'Valid calls'),
                levelHeader('A'),
                levelHeader('B'),
                levelHeader('C'),
              ),
            ),
            h('tbody', null, rows),
          ),
        )
      : null,
    withoutSigner.length ? h('p', { class: 'muted' }, `No valid signed call for: ${withoutSigner.join(', ')}.`) : null,
  );
}

/** Calls whose number is not one of the customer's, one row per number seen. */
export function renderOtherNumbers(summary) {
  if (summary.other.calls === 0) return null;
  return h(
    'section',
    { class: 'panel other-numbers', 'aria-labelledby': 'other-heading' },
    h('h2', { id: 'other-heading' }, `Other numbers (${plural(summary.other.calls, 'call')})`),
    h(
      'p',
      { class: 'help' },
      'These calls neither showed nor signed one of your numbers. If you expected them under your ' +
        'numbers, the number was changed on the way or signed for another number (orig mismatch); ' +
        'check how your numbers are presented.',
    ),
    scrollBox(
      'Other numbers (table, scrolls sideways)',
      h('table', { class: 'data-table', id: 'other-numbers-table' }, h('caption', { class: 'sr-only' }, 'Calls per other number'), tableHead(true), h('tbody', null, summary.others.map((g) => numberRow(g, { other: true })))),
    ),
  );
}

/**
 * The two charts: attestation mix per number (stacked) and failure reasons.
 * @param {number} width pixels available
 */
export function renderCharts(summary, width) {
  const groups = [...summary.numbers, ...(summary.other.calls ? [summary.other] : [])];
  const describe = (g) => {
    const parts = segments(g).filter((s) => s.value).map((s) => `${s.value} ${s.label}`);
    return `${formatNumber(g.number)}: ${plural(g.calls, 'call')}${parts.length ? ` (${parts.join(', ')})` : ''}`;
  };
  const mix = stackedBarChart({
    title: 'Attestation mix per number',
    description: `Calls per number by outcome. ${groups.map(describe).join('. ')}.`,
    categories: groups.map((g) => ({ id: g.number, label: formatNumber(g.number), segments: segments(g) })),
    series: SERIES,
    width,
    categoryHeader: 'Number',
  });
  mix.dataset.chart = 'attestation';
  const children = [mix];
  if (summary.failures.length) {
    const fail = barChart({
      title: 'Why calls failed',
      description: `Calls that did not verify, by the first failing check. ${summary.failures.map((f) => `${checkName(f.id)} (${f.id}): ${plural(f.count, 'call')}`).join('. ')}.`,
      bars: summary.failures.map((f) => ({ id: f.id, label: `${checkName(f.id)} (${f.id})`, value: f.count })),
      width,
      labelHeader: 'Failing check',
    });
    fail.dataset.chart = 'failures';
    children.push(fail);
  } else {
    children.push(h('p', { class: 'help' }, 'No call failed verification, so there is no failure chart.'));
  }
  return h('section', { class: 'panel charts', 'aria-labelledby': 'charts-heading' }, h('h2', { id: 'charts-heading' }, 'Charts'), children);
}

/** Failures grouped by the first failing check, with the distinct reasons and the numbers affected. */
export function renderFailures(summary) {
  if (summary.failures.length === 0) return null;
  const MAX_REASONS = 5;
  return h(
    'section',
    { class: 'panel failures', id: 'failures', tabindex: '-1', 'aria-labelledby': 'failures-heading' },
    h('h2', { id: 'failures-heading' }, 'Failures by reason'),
    h('p', { class: 'help' }, 'Each call is counted under the first check it failed, in the order a verifier applies them.'),
    summary.failures.map((f) => {
      const details = [...f.details.entries()].sort((a, b) => b[1] - a[1]);
      return h(
        'section',
        { class: 'failure', dataset: { check: f.id } },
        h('h3', null, `${checkName(f.id)} — ${plural(f.count, 'call')} `, h('code', null, f.id)),
        h('p', { class: 'muted' }, 'Numbers: ', [...f.numbers.entries()].map(([n, c]) => `${formatNumber(n)} (${c})`).join(', ')),
        h(
          'ul',
          { class: 'failure__reasons' },
          details.slice(0, MAX_REASONS).map(([d, c]) => h('li', null, c > 1 ? `${c}× ` : '', d)),
          details.length > MAX_REASONS ? h('li', { class: 'muted' }, `and ${details.length - MAX_REASONS} other reasons (see the export)`) : null,
        ),
      );
    }),
  );
}

/**
 * "What to do to reach A", driven by what the calls of the customer's own numbers show. Steps come
 * from the core's advisor for the scenario each observed level points to.
 */
export function renderReachA(summary, rows, core) {
  // Lines with nothing readable are a copy problem, not calls at some level: left out here.
  const mine = rows.filter((r) => r.number !== OTHER && r.outcome !== 'unreadable');
  const items = [];
  const byLevel = { B: new Map(), C: new Map() };
  for (const r of mine) {
    if (r.status !== 'valid' || !(r.attest in byLevel)) continue;
    const label = r.organization || r.spc ? `${r.spc ? `SPC ${r.spc}` : 'unknown SPC'}${r.organization ? ` (${r.organization})` : ''}` : 'an unknown signer';
    const e = byLevel[r.attest].get(label) ?? { calls: 0, numbers: new Set() };
    e.calls += 1;
    e.numbers.add(r.number);
    byLevel[r.attest].set(label, e);
  }
  for (const level of ['B', 'C']) {
    const signers = byLevel[level];
    if (signers.size === 0) continue;
    let advice = null;
    try {
      advice = adviseWith(core, scenarioForObserved(level));
    } catch {
      /* the advisor is optional here; the counts still help */
    }
    items.push(
      h(
        'section',
        { class: 'reach-a__item', dataset: { level } },
        h('h3', null, `Calls signed ${level}`),
        h(
          'ul',
          null,
          [...signers.entries()].map(([label, e]) =>
            h('li', null, `${label} signed ${plural(e.calls, 'call')} ${level} for ${[...e.numbers].map(formatNumber).join(', ')}.`),
          ),
        ),
        level === 'B'
          ? h('p', null, 'B means the signing carrier knows you as its customer but has not verified that you may use the number.')
          : h('p', null, 'C means the signer could not identify who placed the call: usually it was not your own carrier but a gateway or a carrier further along the path.'),
        advice
          ? h(
              'details',
              { class: 'reach-a__steps', open: items.length === 0 },
              h('summary', null, `Steps to reach A (${advice.to_reach_a.length})`),
              h('p', { class: 'muted' }, level === 'C' ? `The advisor, if the signer was a gateway: ${advice.why}` : `The advisor: ${advice.why}`),
              h('ol', { class: 'advice__steps' }, advice.to_reach_a.map((s) => h('li', null, s))),
            )
          : null,
      ),
    );
  }
  const invalid = mine.filter((r) => r.status === 'invalid');
  if (invalid.length) {
    const checks = [...new Set(invalid.map((r) => r.failed_check ?? 'unknown'))];
    items.push(
      h(
        'section',
        { class: 'reach-a__item', dataset: { level: 'invalid' } },
        h('h3', null, `${plural(invalid.length, 'call')} did not verify`),
        h(
          'p',
          null,
          `Failing checks: ${checks.map((c) => `${checkName(c)} (${c})`).join(', ')}. `,
          'A terminating carrier treats such a call like an unsigned one, whatever level it claims. ',
          'Send the exported rows to the carrier that signs your calls and ask it to fix the signing (certificate, number format, or what alters the header on the way).',
        ),
      ),
    );
  }
  const mismatch = mine.filter((r) => r.orig_match === 'no');
  if (mismatch.length) {
    items.push(
      h(
        'section',
        { class: 'reach-a__item', dataset: { level: 'mismatch' } },
        h('h3', null, `${plural(mismatch.length, 'call')} signed another number than the one shown`),
        h('p', null, 'Present each number the same way in P-Asserted-Identity and From, in full international form, so the signed number (orig) is the one the call shows.'),
      ),
    );
  }
  const unsigned = mine.filter((r) => r.status === 'no-identity');
  if (unsigned.length) {
    items.push(
      h(
        'section',
        { class: 'reach-a__item', dataset: { level: 'unsigned' } },
        h('h3', null, `${plural(unsigned.length, 'call')} carried no signature`),
        h(
          'p',
          null,
          'No Identity header: the call was not signed, or a network on the way dropped the header before the point where it was captured. ',
          'Ask the carrier that originates your calls whether it signs them, and capture test calls as close to the called party as you can.',
        ),
      ),
    );
  }
  const a = mine.filter((r) => r.attest === 'A').length;
  let lead;
  if (mine.length === 0) lead = 'None of the pasted calls showed one of your numbers, so there is nothing to advise on yet.';
  else if (items.length === 0) lead = `All ${plural(a, 'call')} of your numbers were valid and signed A. Keep the evidence for your numbers current and check again now and then.`;
  else lead = `${a} of ${plural(mine.length, 'call')} of your numbers reached A. What to change for the others:`;
  return h(
    'section',
    { class: 'panel reach-a', id: 'reach-a', tabindex: '-1', 'aria-labelledby': 'reach-a-heading' },
    h('h2', { id: 'reach-a-heading' }, 'What to do to reach A'),
    h('p', null, lead),
    items,
    h('p', { class: 'help' }, 'For your own situation, answer the questions in the ', sectionLink('advisor', 'attestation advisor'), '.'),
  );
}

/** Export buttons and the CSV column list. */
export function renderExport({ onCsv, onJson }) {
  return h(
    'section',
    { class: 'panel export', 'aria-labelledby': 'export-heading' },
    h('h2', { id: 'export-heading' }, 'Export'),
    h(
      'div',
      { class: 'controls' },
      h('button', { type: 'button', id: 'sc-export-csv', onclick: onCsv }, 'Download CSV'),
      h('button', { type: 'button', id: 'sc-export-json', onclick: onJson }, 'Download JSON'),
    ),
    h('p', { class: 'help' }, 'Files are made in this browser; nothing is uploaded. Text that a spreadsheet would run as a formula gets a leading apostrophe.'),
    h(
      'details',
      null,
      h('summary', null, 'CSV columns'),
      h('dl', { class: 'facts csv-columns' }, CSV_COLUMNS.map(([name, what]) => [h('dt', null, h('code', null, name)), h('dd', null, what)])),
    ),
  );
}
