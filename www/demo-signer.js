/**
 * "Make a known-good demo header": generate a throw-away DEMO key and certificate in this browser
 * (core `demoPki` from 32 bytes of `crypto.getRandomValues`), sign a SHAKEN PASSporT for the orig,
 * dest and attestation the agent chooses (core `sign`), show the header with a copy button, and
 * verify it against the demo trust store only.
 *
 * Why: an agent investigating a header can put a header that is known to be right next to it. The
 * demo root is trusted for this panel's own verification only (passed as `trust` for that call);
 * the page's trust store never includes it, so a demo header pasted in the main box fails the chain
 * check, as it must. Everything is labelled DEMO; nothing leaves the browser.
 *
 * "Issue a demo delegate certificate for my client's numbers" makes the standards route for a
 * call center that presents its clients' numbers (RFC 9060, ATIS-1000092): the demo root issues a
 * demo STI-SCA (the number holder's provider, with its SPC), which issues a delegate certificate
 * for the numbers and range typed here, optionally limited to attestation A by a claim
 * constraint (RFC 9118). The core builds and checks everything (`demoPki` option `delegate`);
 * this panel only collects the numbers.
 *
 * "Branded call" adds Rich Call Data (RFC 9795): a name, a call reason (`crn`) and a logo drawn in
 * the page (demo-logo.js), signed with `rcdi` digests by the core (`sign` options `rcd` and
 * `rcdResources`). The logo bytes are handed to the verifier as `resources`, like the demo chain
 * as `certs`; "tamper with the logo" hands it other bytes, which the digest must catch, and
 * "wrong digest for the name" has the core sign a wrong `/nam` digest (`rcd.tamper`).
 */
import { h, replaceChildren } from './dom.js';
import { renderBanner, renderErrorBanner } from './render-verdict.js';
import { copyText } from './render-json.js';
import { canonicalNumber } from './selfcheck-records.js';
import { DEMO_DEST, DEMO_ORIG } from './examples.js';
import { renderDelegation } from './render-delegation.js';
import { bytesToBase64, makeDemoLogo } from './demo-logo.js';

/** Random hex, for a per-browser x5u path (the chain is handed to the core directly, never fetched). */
function randomHex(bytes) {
  return [...crypto.getRandomValues(new Uint8Array(bytes))].map((b) => b.toString(16).padStart(2, '0')).join('');
}

function field(id, label, control, help) {
  return h(
    'div',
    { class: 'demo-signer__field' },
    h('label', { for: id }, label),
    control,
    help ? h('p', { class: 'help', id: `${id}-help` }, help) : null,
  );
}

/**
 * Build the panel in `container`.
 * @param {HTMLElement} container
 * @param {{ core: object, session: { verify: (text: string, options: object) => Promise<object> } }} deps
 * @returns {boolean} false (and nothing shown) when the core has no `demoPki`
 */
export function mountDemoSigner(container, { core, session }) {
  if (typeof core?.demoPki !== 'function' || typeof core?.sign !== 'function') {
    container.hidden = true;
    return false;
  }
  /** the generated credentials, kept for this page view: { rootPem, chainPem, keyPem, spc, x5u } */
  let pki = null;
  let header = '';
  /** the branded call's content as signed, and as a tamperer would serve it: { url, signed, tampered } */
  let rcdContent = null;

  const orig = h('input', { id: 'demo-orig', type: 'text', inputmode: 'tel', autocomplete: 'off', value: DEMO_ORIG, 'aria-describedby': 'demo-orig-help' });
  const dest = h('input', { id: 'demo-dest', type: 'text', inputmode: 'tel', autocomplete: 'off', value: DEMO_DEST });
  const attest = h(
    'select',
    { id: 'demo-attest' },
    h('option', { value: 'A' }, 'A — full attestation'),
    h('option', { value: 'B' }, 'B — partial attestation'),
    h('option', { value: 'C' }, 'C — gateway attestation'),
  );
  const message = h('p', { class: 'help', role: 'status', id: 'demo-message' });
  const certInfo = h('p', { class: 'help', id: 'demo-cert' });
  const output = h('textarea', { id: 'demo-header', rows: '5', readonly: true, spellcheck: 'false', 'aria-describedby': 'demo-header-help' });
  const copyStatus = h('span', { class: 'copy-status', role: 'status' });
  const copyButton = h('button', { type: 'button', id: 'demo-copy', disabled: true }, 'Copy header');
  const verifyButton = h('button', { type: 'button', id: 'demo-verify', disabled: true }, 'Verify it (DEMO trust store)');
  const result = h('div', { class: 'demo-signer__result', id: 'demo-result', 'aria-live': 'polite' });
  const pems = h('div', { class: 'demo-signer__pems' });

  // Delegate certificate controls (hidden until the box is ticked).
  const delegateOn = h('input', { id: 'demo-delegate', type: 'checkbox' });
  const clientName = h('input', { id: 'demo-client', type: 'text', autocomplete: 'off', value: 'Example BPO' });
  const clientTns = h('input', { id: 'demo-client-tns', type: 'text', inputmode: 'tel', autocomplete: 'off', value: DEMO_ORIG, 'aria-describedby': 'demo-client-tns-help' });
  const rangeStart = h('input', { id: 'demo-range-start', type: 'text', inputmode: 'tel', autocomplete: 'off', value: '', 'aria-describedby': 'demo-range-help' });
  const rangeCount = h('input', { id: 'demo-range-count', type: 'number', min: '2', step: '1', value: '100' });
  const onlyA = h('input', { id: 'demo-only-a', type: 'checkbox' });
  const delegateFields = h(
    'fieldset',
    { class: 'demo-signer__delegate', id: 'demo-delegate-fields', hidden: true },
    h('legend', null, 'Delegate certificate for your client’s numbers'),
    field('demo-client', 'Who holds it (your call center)', clientName),
    field('demo-client-tns', 'Client numbers', clientTns, 'Digits with country code, separated by commas.'),
    field('demo-range-start', 'Client number range: first number (optional)', rangeStart),
    field('demo-range-count', 'How many numbers in the range', rangeCount),
    h('p', { class: 'help', id: 'demo-range-help' }, 'For example 12025550100 and 100 covers 12025550100 to 12025550199.'),
    h('div', { class: 'demo-signer__check' }, onlyA, h('label', { for: 'demo-only-a' }, ' Only allow attestation A (a claim constraint in the certificate)')),
  );
  // Branded call (Rich Call Data) controls, hidden until the box is ticked.
  const rcdOn = h('input', { id: 'demo-rcd', type: 'checkbox' });
  const rcdName = h('input', { id: 'demo-rcd-name', type: 'text', autocomplete: 'off', value: 'Example Dental (DEMO)' });
  const rcdCrn = h('input', { id: 'demo-rcd-crn', type: 'text', autocomplete: 'off', value: 'Appointment reminder' });
  const rcdTamper = h('input', { id: 'demo-rcd-tamper', type: 'checkbox', 'aria-describedby': 'demo-rcd-tamper-help' });
  const rcdBadNam = h('input', { id: 'demo-rcd-bad-nam', type: 'checkbox' });
  const rcdPreview = h('div', { class: 'demo-signer__rcd-preview', id: 'demo-rcd-preview' });
  const rcdFields = h(
    'fieldset',
    { class: 'demo-signer__delegate demo-signer__rcd', id: 'demo-rcd-fields', hidden: true },
    h('legend', null, 'Branded call: name, logo and call reason (Rich Call Data, RFC 9795)'),
    field('demo-rcd-name', 'Name shown to the callee (nam)', rcdName),
    field('demo-rcd-crn', 'Call reason (crn)', rcdCrn),
    h('p', { class: 'help' }, 'The logo is drawn in this browser from the name; its URL is made up and never fetched: the bytes go to the verifier directly, with a digest (rcdi) in the signed header.'),
    rcdPreview,
    h(
      'div',
      { class: 'demo-signer__check' },
      rcdTamper,
      h('label', { for: 'demo-rcd-tamper' }, ' Tamper with the logo: the verifier gets other logo bytes than the ones signed'),
      h('p', { class: 'help', id: 'demo-rcd-tamper-help' }, 'Shows what a swapped logo looks like: the call still verifies, the brand does not.'),
    ),
    h('div', { class: 'demo-signer__check' }, rcdBadNam, h('label', { for: 'demo-rcd-bad-nam' }, ' Sign a wrong digest for the name (/nam in rcdi); applies when you sign')),
  );
  rcdOn.addEventListener('change', () => (rcdFields.hidden = !rcdOn.checked));

  delegateOn.addEventListener('change', () => {
    delegateFields.hidden = !delegateOn.checked;
    const button = container.querySelector('#demo-new-cert');
    if (button) button.textContent = delegateOn.checked ? 'Issue demo delegate certificate' : 'New demo certificate';
  });

  /** The `delegate` option for `demoPki`, or undefined for an ordinary SPC certificate. */
  function delegateOption() {
    if (!delegateOn.checked) return undefined;
    const tns = clientTns.value.split(',').map((t) => t.trim()).filter(Boolean);
    const ranges = [];
    if (rangeStart.value.trim()) ranges.push({ start: rangeStart.value.trim(), count: Number(rangeCount.value) });
    const option = { tns, ranges, client: clientName.value };
    if (onlyA.checked) option.constraints = { permittedValues: [{ claim: 'attest', values: ['A'] }] };
    return option;
  }

  function newPki() {
    const seed = crypto.getRandomValues(new Uint8Array(32));
    const delegate = delegateOption();
    const made = core.demoPki(seed, delegate ? { delegate } : undefined);
    const get = (k) => (made instanceof Map ? made.get(k) : made[k]);
    pki = {
      rootPem: get('rootPem'),
      chainPem: get('chainPem'),
      keyPem: get('keyPem'),
      spc: get('spc'),
      x5u: `https://certs.example.com/stircheck-demo/browser-${randomHex(8)}.pem`,
      delegate: Boolean(delegate),
    };
    certInfo.textContent = delegate
      ? `Demo delegate certificate made in this browser for ${clientName.value.trim() || 'Example BPO'}, issued by the demo STI-SCA of SPC ${pki.spc}; certificate URL ${pki.x5u} (not served anywhere; the chain is handed to the verifier directly).`
      : `Demo certificate made in this browser: SPC ${pki.spc}, certificate URL ${pki.x5u} (not served anywhere; the chain is handed to the verifier directly).`;
    replaceChildren(
      pems,
      h(
        'details',
        null,
        h('summary', null, 'Demo root and certificate (PEM)'),
        h('p', { class: 'help' }, 'To check the header elsewhere: the certificate is what its x5u would serve; the root is the only trust anchor that accepts it.'),
        h('label', { for: 'demo-chain-pem' }, 'Certificate (x5u chain)'),
        h('textarea', { id: 'demo-chain-pem', rows: '4', readonly: true, value: pki.chainPem }),
        h('label', { for: 'demo-root-pem' }, 'Demo root (trust store)'),
        h('textarea', { id: 'demo-root-pem', rows: '4', readonly: true, value: pki.rootPem }),
      ),
    );
  }

  /** The logo for the current name, signed and tampered versions, shown as a preview. */
  async function makeRcdContent(name) {
    const [signed, tampered] = await Promise.all([makeDemoLogo(name), makeDemoLogo(name, { variant: 1 })]);
    const url = `https://logos.example.com/stircheck-demo/brand-${randomHex(8)}.png`;
    const preview = URL.createObjectURL(new Blob([signed], { type: 'image/png' }));
    const img = h('img', { src: preview, alt: `Demo logo for ${name}`, width: '48', height: '48' });
    img.addEventListener('load', () => URL.revokeObjectURL(preview), { once: true });
    replaceChildren(rcdPreview, img, h('span', { class: 'help' }, `Demo logo (${signed.length} bytes PNG), signed as ${url}`));
    return { url, signed: bytesToBase64(signed), tampered: bytesToBase64(tampered) };
  }

  async function signHeader(event) {
    event?.preventDefault();
    result.replaceChildren();
    const o = canonicalNumber(orig.value, { nanp: false });
    const d = canonicalNumber(dest.value, { nanp: false });
    if (!o || !d) {
      message.textContent = `Enter the ${!o ? 'calling (orig)' : 'called (dest)'} number as digits (with country code), for example ${!o ? DEMO_ORIG : DEMO_DEST}.`;
      return;
    }
    try {
      // A new certificate when there is none yet or the delegate box changed since.
      if (!pki || pki.delegate !== delegateOn.checked) newPki();
      const options = { keyPem: pki.keyPem, x5u: pki.x5u, attest: attest.value, orig: o, dest: [d], iat: Math.floor(Date.now() / 1000) };
      if (crypto.randomUUID) options.origid = crypto.randomUUID();
      rcdContent = null;
      if (rcdOn.checked) {
        const name = rcdName.value.trim() || 'Example Dental (DEMO)';
        rcdContent = await makeRcdContent(name);
        options.rcd = { nam: name, icn: rcdContent.url };
        if (rcdCrn.value.trim()) options.rcd.crn = rcdCrn.value.trim();
        if (rcdBadNam.checked) options.rcd.tamper = 'nam';
        options.rcdResources = { [rcdContent.url]: rcdContent.signed };
      }
      header = core.sign(options);
      output.value = header;
      copyButton.disabled = false;
      verifyButton.disabled = false;
      message.textContent = `DEMO header signed now with attestation ${attest.value} for ${o} → ${d}${rcdContent ? ', as a branded call' : ''}. It is fresh for about a minute; sign again for a new one.`;
    } catch (error) {
      message.textContent = `The demo header could not be made: ${error?.message ?? error}`;
    }
  }

  async function verifyHeader() {
    if (!header || !pki) return;
    verifyButton.disabled = true;
    result.setAttribute('aria-busy', 'true');
    try {
      // The demo root is the whole trust store for this one verification.
      const options = { trust: [pki.rootPem], certs: { [pki.x5u]: pki.chainPem } };
      // The logo as the verifier would have fetched it: the signed bytes, or other ones if tampered.
      if (rcdContent) options.resources = { [rcdContent.url]: rcdTamper.checked ? rcdContent.tampered : rcdContent.signed };
      const verdict = await session.verify(header, options);
      const delegation = renderDelegation(verdict.signer);
      replaceChildren(
        result,
        renderBanner(verdict, { demo: true, rcdSlot: 'demo' }),
        delegation.length > 0 ? h('dl', { class: 'facts demo-signer__delegation', id: 'demo-delegation' }, delegation) : null,
        h('p', { class: 'help' }, 'Checked against the demo root generated above only — never against the real trust store.'),
      );
    } catch (error) {
      replaceChildren(result, renderErrorBanner(`The demo header could not be verified: ${error?.message ?? error}`));
    } finally {
      result.removeAttribute('aria-busy');
      verifyButton.disabled = false;
    }
  }

  copyButton.addEventListener('click', async () => {
    const ok = await copyText(header, output);
    copyStatus.textContent = ok ? 'Copied' : 'Copy failed: select the text and copy it';
    setTimeout(() => (copyStatus.textContent = ''), 2500);
  });
  verifyButton.addEventListener('click', verifyHeader);

  replaceChildren(
    container,
    h('h2', { id: 'demo-signer-heading' }, 'Make a known-good demo header ', h('span', { class: 'demo-tag' }, 'DEMO')),
    h(
      'p',
      { class: 'help' },
      'Signs a header in this browser with a throw-away demo certificate, to compare with the header you are investigating. ' +
        'It is trusted only by its own demo root: it says nothing about a real carrier, and the main check above rejects it.',
    ),
    h(
      'form',
      { class: 'demo-signer__form', id: 'demo-form', onsubmit: signHeader },
      field('demo-orig', 'Calling number (orig)', orig, 'Digits with country code; +, spaces and dashes are dropped.'),
      field('demo-dest', 'Called number (dest)', dest),
      field('demo-attest', 'Attestation', attest),
      h('div', { class: 'demo-signer__check' }, delegateOn, h('label', { for: 'demo-delegate' }, ' Issue a demo delegate certificate for my client’s numbers')),
      delegateFields,
      h('div', { class: 'demo-signer__check' }, rcdOn, h('label', { for: 'demo-rcd' }, ' Branded call (name, logo and call reason)')),
      rcdFields,
      h(
        'div',
        { class: 'controls' },
        h('button', { type: 'submit', class: 'primary', id: 'demo-sign' }, 'Sign demo header'),
        h(
          'button',
          {
            type: 'button',
            id: 'demo-new-cert',
            onclick: () => {
              try {
                newPki();
              } catch (error) {
                pki = null;
                const why = String(error?.message ?? error);
                message.textContent = `${why[0].toUpperCase()}${why.slice(1)}.`;
                return;
              }
              if (pki.delegate) {
                const first = clientTns.value.split(',').map((t) => t.trim()).find(Boolean) ?? rangeStart.value.trim();
                if (first) orig.value = first;
              }
              header = '';
              output.value = '';
              copyButton.disabled = true;
              verifyButton.disabled = true;
              result.replaceChildren();
              message.textContent = pki.delegate
                ? 'Demo delegate certificate made for your client’s numbers; the calling number is set to the first of them. Sign a header with it.'
                : 'New demo certificate made; sign a header with it.';
            },
          },
          'New demo certificate',
        ),
      ),
    ),
    message,
    certInfo,
    h('label', { for: 'demo-header', class: 'field-label' }, 'Demo Identity header'),
    h('p', { class: 'help', id: 'demo-header-help' }, 'DEMO — not from a real carrier.'),
    output,
    h('div', { class: 'controls' }, copyButton, copyStatus, verifyButton),
    result,
    pems,
  );
  container.hidden = false;
  return true;
}
