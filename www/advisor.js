/**
 * Attestation advisor: four questions about how a call center's calls are placed, answered live by
 * the core's `advise()` (src/advise.rs): the level a careful signing carrier would give, why, the
 * steps towards A, and the caveats. The form and the answer sit side by side (stacked on phones).
 *
 * Also exports the scenario the self-check uses for "what to do to reach A", so both parts of the
 * page give the same advice from the same table.
 */
import { h, replaceChildren, srOnly } from './dom.js';
import { toPlain } from './api.js';
import { attestationInfo } from './attestation.js';

/** The four questions; values are the core's Scenario values (src/advise.rs). */
export const QUESTIONS = Object.freeze([
  {
    field: 'role',
    label: 'Which carrier signs your calls?',
    help:
      'The carrier that adds the caller-ID signature (Identity header). Your own carrier puts your calls ' +
      'onto its network; a gateway receives them from abroad or from a network without STIR/SHAKEN; an ' +
      'intermediate carrier receives them from another carrier; a forwarding carrier gets them as forwarded calls.',
    options: [
      ['originating', 'My own carrier'],
      ['gateway', 'A gateway'],
      ['intermediate', 'An intermediate carrier'],
      ['forwarding', 'A forwarding carrier'],
    ],
  },
  {
    field: 'relationship',
    label: 'Does that carrier know you as its customer?',
    help: 'A direct, authenticated relationship: you have an account and it has checked who you are.',
    options: [
      ['direct', 'Yes, I am its direct customer'],
      ['none', 'No'],
    ],
  },
  {
    field: 'number',
    label: 'Which number do your calls show?',
    help: 'The calling number presented (P-Asserted-Identity / From). A call center calling for a client usually shows the client’s number.',
    options: [
      ['assigned-by-signer', 'A number it assigned to me'],
      ['client-number', 'My client’s number'],
      ['unknown', 'Not its number, owner unclear'],
    ],
  },
  {
    field: 'verification',
    label: 'How has the carrier checked your right to that number?',
    help:
      'Evidence the carrier itself has checked, not only what you hold: a letter of authorization (LOA) ' +
      'from the number holder, the number holder’s carrier or RespOrg records, a central TN database or the ' +
      'toll-free registry, or a delegate certificate covering the number that your calls are signed with.',
    options: [
      ['none', 'Not checked'],
      ['loa-checked', 'Letter of authorization (LOA)'],
      ['carrier-records', 'Carrier / RespOrg records'],
      ['tn-database', 'TN database / toll-free registry'],
      ['delegate-certificate', 'Delegate certificate'],
    ],
  },
]);

/** Where the page starts: the common call-center case (client's numbers, nothing verified yet). */
export const DEFAULT_SCENARIO = Object.freeze({
  role: 'originating',
  relationship: 'direct',
  number: 'client-number',
  verification: 'none',
});

/**
 * The scenario that most likely explains a level seen on real calls of the customer's numbers:
 * B from a signer = it knows the caller but not the number; C = the signer was not the originator.
 */
export function scenarioForObserved(level) {
  if (level === 'C') return { role: 'gateway', relationship: 'none', number: 'client-number', verification: 'none' };
  return { ...DEFAULT_SCENARIO };
}

/** Run the core's advisor; returns a plain Advice object. Throws the core's message on bad input. */
export function adviseWith(core, scenario) {
  return toPlain(core.advise(scenario));
}

/** The answer panel for one Advice. */
export function renderAdvice(advice) {
  const info = attestationInfo(advice.attest);
  return h(
    'div',
    { class: 'advice', dataset: { attest: advice.attest, rule: advice.rule } },
    h(
      'div',
      { class: 'advice__head' },
      h(
        'span',
        { class: `badge badge--${advice.attest}` },
        h('span', { 'aria-hidden': 'true' }, advice.attest),
        srOnly(`Expected attestation ${advice.attest}${info ? `, ${info.name}` : ''}`),
      ),
      h(
        'p',
        { class: 'advice__level' },
        'A careful carrier would sign these calls ',
        h('strong', null, `${advice.attest}${info ? ` — ${info.name}` : ''}`),
      ),
    ),
    h('p', { class: 'advice__why' }, advice.why),
    advice.to_reach_a.length
      ? [h('h3', null, 'To reach A'), h('ol', { class: 'advice__steps' }, advice.to_reach_a.map((s) => h('li', null, s)))]
      : h('p', { class: 'advice__done' }, 'Nothing to change for A; keep the evidence current and check real calls now and then.'),
    h('h3', null, 'Keep in mind'),
    h('ul', { class: 'advice__caveats' }, advice.caveats.map((c) => h('li', null, c))),
  );
}

/**
 * Build the advisor form in `container` and answer on every change.
 * @param {HTMLElement} container
 * @param {object} core the loaded wasm module
 */
export function mountAdvisor(container, core) {
  const selects = {};
  const answer = h('div', { class: 'advisor__answer', id: 'advisor-answer', 'aria-live': 'polite', 'aria-atomic': 'true' });
  const fields = QUESTIONS.map((q) => {
    const id = `advisor-${q.field}`;
    const select = h(
      'select',
      { id, name: q.field, 'aria-describedby': `${id}-help` },
      q.options.map(([value, label]) => h('option', { value }, label)),
    );
    select.value = DEFAULT_SCENARIO[q.field];
    // Pre-filled from the address (?role=…&number=…#advisor, as www/history.js links it).
    const asked = new URLSearchParams(globalThis.location?.search ?? '').get(q.field);
    if (asked && q.options.some(([value]) => value === asked)) select.value = asked;
    select.addEventListener('change', update);
    selects[q.field] = select;
    return h(
      'div',
      { class: 'advisor__field' },
      h('label', { for: id }, q.label),
      select,
      h('p', { class: 'help', id: `${id}-help` }, q.help),
    );
  });

  function update() {
    const scenario = Object.fromEntries(QUESTIONS.map((q) => [q.field, selects[q.field].value]));
    try {
      replaceChildren(answer, renderAdvice(adviseWith(core, scenario)));
    } catch (error) {
      replaceChildren(answer, h('p', { class: 'warning-text' }, `The advisor could not answer: ${error?.message ?? error}`));
    }
  }

  replaceChildren(
    container,
    h(
      'div',
      { class: 'advisor' },
      h('form', { class: 'advisor__form', 'aria-label': 'Your situation', onsubmit: (e) => e.preventDefault() }, fields),
      answer,
    ),
  );
  update();
  return { update, selects };
}
