/**
 * The certificate panel: for each x5u the input names, where its chain came from, and — when it could
 * not be obtained — a box to paste it, with the reason a browser page cannot simply download it.
 */
import { h } from './dom.js';

const ORIGIN_TEXT = {
  service: 'downloaded through this site’s stircheck service',
  bundled: 'demo certificate shipped with this page',
  pasted: 'pasted by you',
  failed: 'could not be obtained',
};

let uid = 0;

function pasteBox(url, pastedPem, onChain) {
  const id = `chain-${++uid}`;
  const textarea = h('textarea', {
    id,
    class: 'chain-input',
    rows: '6',
    spellcheck: 'false',
    autocomplete: 'off',
    placeholder: '-----BEGIN CERTIFICATE-----\n…\n-----END CERTIFICATE-----',
  });
  textarea.value = pastedPem ?? '';
  return h(
    'div',
    { class: 'paste-chain' },
    h('label', { for: id }, 'Certificate chain for this URL (PEM: the signer’s certificate first, then the CA certificates)'),
    textarea,
    h(
      'div',
      { class: 'controls' },
      h('button', { type: 'button', class: 'primary', onclick: () => onChain(url, textarea.value) }, 'Verify with this chain'),
      pastedPem ? h('button', { type: 'button', onclick: () => onChain(url, '') }, 'Forget pasted chain') : null,
    ),
  );
}

/**
 * @param {Array<{url:string, origin:string, error?:string}>} status from CertSource.gather
 * @param {{ worker: boolean, pasted: Map<string,string>, onChain: (url:string, pem:string) => void }} ctx
 * @returns {HTMLElement | null}
 */
export function renderCerts(status, { worker, pasted, onChain }) {
  if (!Array.isArray(status) || status.length === 0) return null;
  const anyFailed = status.some((s) => s.origin === 'failed');
  return h(
    'section',
    { class: `panel certs${anyFailed ? ' certs--failed' : ''}`, id: 'certificates', tabindex: '-1' },
    h('h2', null, 'Certificates'),
    anyFailed
      ? h(
          'p',
          null,
          // With the service, its own reason (under each address) is the answer; CORS only explains
          // why a page without the service cannot download the chain itself.
          worker
            ? 'The stircheck service could not download a certificate (why is shown under its address). Paste the chain below — for example the output of '
            : 'This page is not served by the stircheck service, so it cannot download certificates itself: ' +
              'certificate repositories usually send no CORS headers, which means browsers do not let a web ' +
              'page read them. Paste the chain below — for example the output of ',
          h('code', null, 'curl -s <certificate URL>'),
          ' in a terminal, or the file your SBC cached.',
        )
      : null,
    h(
      'ul',
      { class: 'cert-list' },
      status.map((s) =>
        h(
          'li',
          { class: `cert cert--${s.origin}`, dataset: { origin: s.origin } },
          h('code', { class: 'url' }, s.url),
          h('p', null, h('strong', null, ORIGIN_TEXT[s.origin] ?? s.origin), s.error ? `: ${s.error}` : ''),
          s.origin === 'failed' || s.origin === 'pasted'
            ? pasteBox(s.url, pasted.get(s.url), onChain)
            : h(
                'details',
                null,
                h('summary', null, 'Paste a different chain for this URL'),
                pasteBox(s.url, '', onChain),
              ),
        ),
      ),
    ),
  );
}
