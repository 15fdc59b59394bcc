/**
 * Attestation advisor: questions about how a call center's calls are placed, in call-center words
 * ("our CPaaS", "our carrier", "our BPO's trunk"), answered live by the core's `advise()`
 * (src/advise.rs): the level a careful signing carrier would give, why, the steps towards A, the
 * caveats, what the 2025–2026 rules mean here (proposals labelled), and what the chosen provider
 * documents. The form and the answer sit side by side (stacked on phones).
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
    label: 'Who signs your calls?',
    help:
      'Whoever adds the caller-ID signature (Identity header) to your calls. Your carrier, your CPaaS or your ' +
      'BPO’s trunk provider puts the calls onto its network itself. If your provider does not sign, the next ' +
      'carrier must; calls from agents abroad enter through a gateway; forwarded calls are signed by the forwarder.',
    options: [
      ['our-carrier', 'Our carrier (we buy our lines or SIP trunk from it)'],
      ['our-cpaas', 'Our CPaaS (Twilio, Telnyx, SignalWire, Plivo, Vonage …)'],
      ['our-bpo-trunk', 'Our BPO’s trunk provider (a BPO calls for us)'],
      ['originating', 'Another provider that puts our calls on its network'],
      ['next-carrier', 'The next carrier: our provider does not sign'],
      ['gateway', 'A gateway: our agents call from abroad'],
      ['intermediate', 'A carrier further along the path'],
      ['forwarding', 'The carrier that forwards our calls'],
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
  {
    field: 'delegate_certificate',
    label: 'Do you sign your calls with a delegate certificate?',
    help:
      'A certificate your client’s number provider (or an STI-SCA it runs) issues for the client’s numbers ' +
      '(RFC 9060, ATIS-1000092): the standards route for a call center presenting its clients’ numbers.',
    options: [
      ['', 'No'],
      ['true', 'Yes, for the numbers we present'],
    ],
  },
  {
    field: 'provider',
    label: 'Who is your provider?',
    help: 'Shows what that provider documents about signing; check with it, rules change.',
    options: [
      ['', 'Not saying'],
      ['twilio', 'Twilio'],
      ['telnyx', 'Telnyx'],
      ['signalwire', 'SignalWire'],
      ['plivo', 'Plivo'],
      ['vonage', 'Vonage'],
      ['other', 'Another carrier or CPaaS'],
    ],
  },
  {
    field: 'signing_certificate',
    label: 'Whose certificate are your calls signed with?',
    help: 'Since 18 September 2025 (FCC 24-120) it must be the originating provider’s own, even when a signing service signs.',
    options: [
      ['', 'Don’t know'],
      ['provider-own', 'Our provider’s own certificate'],
      ['third-party', 'A signing service’s or another carrier’s'],
    ],
  },
]);

/** Where the page starts: the common call-center case (client's numbers, nothing verified yet). */
export const DEFAULT_SCENARIO = Object.freeze({
  role: 'our-carrier',
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
    renderProviderRules(advice.provider_rules),
    Array.isArray(advice.changes) && advice.changes.length
      ? [
          h('h3', null, 'What changed in 2025–2026'),
          h(
            'ul',
            { class: 'advice__changes' },
            advice.changes.map((c) =>
              h(
                'li',
                { dataset: { change: c.id, status: c.status } },
                c.status === 'proposed' ? h('strong', null, 'PROPOSED ') : null,
                c.text,
              ),
            ),
          ),
        ]
      : null,
  );
}

/** What the chosen provider documents, labelled as its own rule to check with it. */
function renderProviderRules(rules) {
  if (!rules) return null;
  return h(
    'div',
    { class: 'advice__provider', dataset: { provider: rules.provider } },
    h('h3', null, `What ${rules.provider} documents`),
    h('p', null, rules.documents),
    h('p', null, rules.for_you),
    h('p', { class: 'help' }, rules.check),
  );
}

/** The scenario from the form's values: empty optional answers are left out. */
function scenarioFrom(selects) {
  const scenario = {};
  for (const q of QUESTIONS) {
    const value = selects[q.field].value;
    if (value === '') continue;
    scenario[q.field] = q.field === 'delegate_certificate' ? value === 'true' : value;
  }
  return scenario;
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
    select.value = DEFAULT_SCENARIO[q.field] ?? '';
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
    const scenario = scenarioFrom(selects);
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
