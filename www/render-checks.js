/**
 * Renders a list of verification checks ({ id, outcome, detail, spec }) as grouped rows.
 *
 * Why grouped: an agent needs the failure first. Failures, then other warnings, then passes; the
 * certificate-profile lints (which real certificates fail often and which never fail a call) get
 * their own group so they are not mistaken for problems with the call; checks that could not be
 * evaluated go last. Used for the call-deciding identity and for each div/rcd identity.
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

const GROUPS = [
  { key: 'fail', title: 'Failed', test: (c) => c.outcome === 'fail' },
  { key: 'warn', title: 'Warnings', test: (c) => c.outcome === 'warn' && !isProfile(c) },
  { key: 'pass', title: 'Passed', test: (c) => c.outcome === 'pass' },
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
  return h(
    'section',
    { class: 'checks' },
    h(`h${level}`, null, heading),
    h('p', { class: 'help' }, summarizeChecks(checks)),
    groups.map((group) =>
      h(
        'div',
        { class: `check-group check-group--${group.key}`, dataset: { group: group.key } },
        h(`h${level + 1}`, { class: 'check-group__title' }, `${group.title} (${group.checks.length})`),
        h('ul', { class: 'check-list' }, group.checks.map(renderCheck)),
      ),
    ),
  );
}
