/**
 * Renders a list of verification checks ({ id, outcome, detail, spec }) as grouped rows.
 *
 * Why grouped: an agent needs the failure first. Failures and warnings about the call stay open;
 * passed checks, the revocation note ("revocation not checked", on nearly every call), the
 * certificate-profile lints (which real certificates fail often and which never fail a call) and
 * checks that could not be evaluated are folded under one summary line, so the default view is
 * short. Used for the call-deciding identity and for each div/rcd identity.
 */
import { h, srOnly } from './dom.js';

const OUTCOME = {
  fail: { icon: '✗', label: 'Failed' },
  warn: { icon: '!', label: 'Warning' },
  pass: { icon: '✓', label: 'Passed' },
  skip: { icon: '–', label: 'Skipped' },
};

/** Profile lints are reported by checks whose id starts with this (CHECKLIST `cert.profile`). */
const PROFILE_PREFIX = 'cert.profile';
/** The revocation check: its warning is a note (no CRL obtainable), shown folded with the passes. */
const REVOCATION = 'cert.revocation';

const GROUPS = [
  { key: 'fail', title: 'Failed', test: (c) => c.outcome === 'fail' },
  { key: 'warn', title: 'Warnings', test: (c) => c.outcome === 'warn' && !isProfile(c) && !isNote(c) },
  { key: 'pass', title: 'Passed', test: (c) => c.outcome === 'pass' },
  { key: 'note', title: 'Notes', test: (c) => c.outcome === 'warn' && isNote(c) },
  {
    key: 'profile',
    title: 'Certificate profile warnings (common in real certificates; they do not fail the call)',
    test: (c) => c.outcome === 'warn' && isProfile(c),
  },
  { key: 'skip', title: 'Not evaluated', test: (c) => !['fail', 'warn', 'pass'].includes(c.outcome) },
];

function isProfile(check) {
  return String(check.id).startsWith(PROFILE_PREFIX);
}

function isNote(check) {
  return String(check.id) === REVOCATION;
}

/** Groups shown open; the others are folded under one summary line. */
const OPEN = new Set(['fail', 'warn']);

/**
 * Split checks into display groups, keeping the core's order inside each group.
 * @param {Array<{id:string,outcome:string,detail:string,spec:string}>} checks
 * @returns {Array<{key:string,title:string,checks:Array}>} non-empty groups in display order
 */
export function groupChecks(checks) {
  const list = Array.isArray(checks) ? checks.filter((c) => c && typeof c === 'object') : [];
  return GROUPS.map((g) => ({ key: g.key, title: g.title, checks: list.filter(g.test) })).filter(
    (g) => g.checks.length > 0,
  );
}

/** One-line count, e.g. "14 checks: 1 failed, 10 passed, 2 warnings, 1 not evaluated". */
export function summarizeChecks(checks) {
  const list = Array.isArray(checks) ? checks : [];
  const count = (outcome) => list.filter((c) => c?.outcome === outcome).length;
  const parts = [
    `${count('fail')} failed`,
    `${count('pass')} passed`,
    `${count('warn')} warning${count('warn') === 1 ? '' : 's'}`,
    `${list.length - count('fail') - count('pass') - count('warn')} not evaluated`,
  ];
  return `${list.length} check${list.length === 1 ? '' : 's'}: ${parts.join(', ')}`;
}

function renderCheck(check) {
  const outcome = OUTCOME[check.outcome] ?? OUTCOME.skip;
  const kind = OUTCOME[check.outcome] ? check.outcome : 'skip';
  return h(
    'li',
    { class: `check check--${kind}`, dataset: { checkId: String(check.id), outcome: kind } },
    h('span', { class: 'check__icon', 'aria-hidden': 'true' }, outcome.icon),
    h('span', { class: 'check__outcome' }, outcome.label),
    h('code', { class: 'check__id' }, String(check.id ?? '?')),
    h('p', { class: 'check__detail' }, String(check.detail ?? '')),
    check.spec ? h('p', { class: 'check__spec' }, srOnly('Specification: '), String(check.spec)) : null,
  );
}

/**
 * @param {Array} checks
 * @param {{ heading?: string, level?: number }} [opts] heading text and level (h2/h3)
 * @returns {HTMLElement}
 */
export function renderChecks(checks, { heading = 'Checks', level = 2 } = {}) {
  const groups = groupChecks(checks);
  const group = (g) =>
    h(
      'div',
      { class: `check-group check-group--${g.key}`, dataset: { group: g.key } },
      h(`h${level + 1}`, { class: 'check-group__title' }, `${g.title} (${g.checks.length})`),
      h('ul', { class: 'check-list' }, g.checks.map(renderCheck)),
    );
  const shown = groups.filter((g) => OPEN.has(g.key));
  const folded = groups.filter((g) => !OPEN.has(g.key));
  return h(
    'section',
    { class: 'checks' },
    h(`h${level}`, null, heading),
    h('p', { class: 'help' }, summarizeChecks(checks)),
    shown.map(group),
    folded.length
      ? h(
          'details',
          { class: 'checks__more' },
          h('summary', null, `Show ${folded.map((g) => `${g.title.replace(/ \(.*$/, '').toLowerCase()} (${g.checks.length})`).join(', ')}`),
          folded.map(group),
        )
      : null,
  );
}
