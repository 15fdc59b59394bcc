/**
 * Self-check history loader: the calls stircheck's worker received on a test number (its CPaaS
 * webhooks, worker/README.md "Set up a test number"), fetched with the tenant's read token and
 * shown through the same per-number report, charts and exports as pasted calls.
 *
 * The worker stores the core's CallRecord per call (src/webhook.rs), not whole verdicts; each
 * record is turned back into the few verdict fields the report reads, and fed to the report's
 * own `rowFromVerdict`, so history and pasted calls are counted by one path.
 *
 * The read token is typed by the user and kept in sessionStorage (this tab only, gone when it
 * closes); it is sent only to this site's `/api/history`, as a bearer token.
 */
import { h, replaceChildren } from './dom.js';
import { rowFromVerdict } from './selfcheck-report.js';
import { QUESTIONS, scenarioForObserved } from './advisor.js';
import { formatNumber } from './selfcheck-render.js';

export const TOKEN_KEY = 'stircheck.historyReadToken';

/**
 * The verdict fields the self-check report reads, rebuilt from a stored CallRecord.
 * @param {object} rec CallRecord (src/webhook.rs)
 */
export function verdictFromRecord(rec) {
  const claims = rec.passport
    ? {
        orig: rec.orig ? { tn: rec.orig } : undefined,
        dest: { tn: Array.isArray(rec.dest) ? rec.dest : [] },
        attest: rec.attest ?? rec.claimed_attest ?? undefined,
      }
    : null;
  return {
    status: rec.status,
    outcome: rec.outcome,
    attest: rec.attest,
    verstat: rec.verstat,
    sip_code: rec.sip_code,
    reason: rec.reason,
    checks: rec.failed_check ? [{ id: rec.failed_check, outcome: 'fail', detail: rec.failure_detail ?? rec.reason }] : [],
    identities: claims ? [{ role: 'shaken', claims, x5u: rec.x5u, iat: rec.iat }] : [],
    signer: rec.spc || rec.organization ? { spc: rec.spc, organization: rec.organization } : null,
    summary: { headline: rec.headline, action: rec.action, signer: rec.signer },
    call: { orig_tn: rec.number },
  };
}

/**
 * Report rows from `/api/history` calls, oldest first across numbers.
 * @param {Record<string, object[]>} calls number -> records (newest first, as the worker sends them)
 * @param {string[]} numbers the customer's canonical numbers
 */
export function rowsFromHistory(calls, numbers, opts) {
  const all = Object.values(calls).flat().sort((a, b) => a.received_at - b.received_at);
  return all.map((rec, i) => ({
    ...rowFromVerdict({ record: i + 1, line: null }, verdictFromRecord(rec), numbers, opts),
    received_at: rec.received_at,
    provider: rec.provider,
  }));
}

/**
 * The level to take advice from: the most frequent of B and C among verified calls (the calls
 * that did not reach A), else "A" when every verified call reached A; null when none verified.
 */
export function observedLevel(records) {
  const count = { A: 0, B: 0, C: 0 };
  for (const r of records) if (r.outcome === 'verified' && count[r.attest] !== undefined) count[r.attest] += 1;
  if (count.B + count.C > 0) return count.C > count.B ? 'C' : 'B';
  return count.A > 0 ? 'A' : null;
}

/** The advisor's address, pre-filled with the scenario that explains `level` (advisor.js reads it). */
export function advisorHref(level) {
  const s = scenarioForObserved(level ?? 'B');
  const q = new URLSearchParams(QUESTIONS.map((question) => [question.field, s[question.field]]));
  return `self-check.html?${q}#advisor`;
}

function prefillAdvisor(level) {
  const s = scenarioForObserved(level ?? 'B');
  let filled = false;
  for (const q of QUESTIONS) {
    const select = document.getElementById(`advisor-${q.field}`);
    if (!select) continue;
    select.value = s[q.field];
    select.dispatchEvent(new Event('change'));
    filled = true;
  }
  const section = document.getElementById('advisor');
  section?.scrollIntoView({ block: 'start' });
  section?.focus?.({ preventScroll: true });
  return filled;
}

function levelWords(records) {
  const verified = records.filter((r) => r.outcome === 'verified').length;
  if (!records.length) return 'No calls received yet.';
  const latest = records[0];
  const when = new Date(latest.received_at * 1000).toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC');
  const levels = ['A', 'B', 'C'].map((l) => [l, records.filter((r) => r.outcome === 'verified' && r.attest === l).length]).filter(([, c]) => c);
  const shown = levels.length ? ` (${levels.map(([l, c]) => `${c} at ${l}`).join(', ')})` : '';
  return `${records.length} call${records.length === 1 ? '' : 's'} received, ${verified} verified${shown}. Latest (${when}): ${latest.headline}.`;
}

/**
 * Mount the history panel.
 * @param {HTMLElement} container
 * @param {object} o
 * @param {() => { numbers: string[] }} o.numbers the numbers the user typed (canonical)
 * @param {(numbers: string[]) => void} o.setNumbers fill the numbers box (when none were typed)
 * @param {() => { nanp: boolean }} o.options number options, as for pasted calls
 * @param {(rows: object[], numbers: string[]) => void} o.show render rows through the report
 * @param {typeof fetch} [o.fetch]
 */
export function mountHistory(container, { numbers, setNumbers, options, show, fetch = globalThis.fetch.bind(globalThis) }) {
  const input = h('input', {
    id: 'history-token', type: 'password', autocomplete: 'off', spellcheck: 'false', size: 40,
    'aria-describedby': 'history-token-help history-status',
  });
  input.value = sessionStorage.getItem(TOKEN_KEY) ?? '';
  const status = h('p', { id: 'history-status', class: 'status-line', role: 'status', 'aria-live': 'polite' });
  const perNumber = h('div', { id: 'history-numbers' });
  const load = h('button', { type: 'submit', id: 'history-load' }, 'Load call history');
  const forget = h('button', { type: 'button', id: 'history-forget', hidden: !input.value }, 'Forget token');

  const ask = (text) => {
    status.textContent = text;
    input.setAttribute('aria-invalid', 'true');
    input.focus();
  };

  async function run(event) {
    event?.preventDefault();
    const token = input.value.trim();
    if (!token) {
      ask('Enter the read token of your stircheck test number first: without it no call history can be read.');
      return;
    }
    input.removeAttribute('aria-invalid');
    const auth = { headers: { authorization: `Bearer ${token}` } };
    load.disabled = true;
    status.textContent = 'Loading the calls stircheck received…';
    try {
      let wanted = numbers().numbers;
      if (wanted.length === 0) {
        const list = await getJson(fetch, '/api/history', auth);
        wanted = list.numbers.map((n) => n.number);
        if (wanted.length === 0) {
          status.textContent = 'No calls have been received for this token yet. Call your test number from the lines you want to check.';
          return;
        }
        setNumbers(wanted);
      }
      const q = wanted.map((n) => `number=${encodeURIComponent(n)}`).join('&');
      const got = await getJson(fetch, `/api/history?${q}`, auth);
      sessionStorage.setItem(TOKEN_KEY, token);
      forget.hidden = false;
      const rows = rowsFromHistory(got.calls, wanted, options());
      renderNumbers(got.calls, wanted);
      status.textContent = `Loaded ${rows.length} call${rows.length === 1 ? '' : 's'} for ${wanted.length} number${wanted.length === 1 ? '' : 's'} (kept: the last ${got.max_calls} per number, ${got.retention_days} days).`;
      show(rows, wanted);
    } catch (error) {
      if (error.status === 401 || error.status === 403) {
        sessionStorage.removeItem(TOKEN_KEY);
        ask('This read token was refused. Check it with the operator of your stircheck test number.');
      } else {
        status.textContent = `The call history could not be loaded: ${error.message}`;
      }
    } finally {
      load.disabled = false;
    }
  }

  function renderNumbers(calls, wanted) {
    replaceChildren(
      perNumber,
      h(
        'ul',
        { class: 'history-numbers' },
        wanted.map((n) => {
          const records = calls[n] ?? [];
          const level = observedLevel(records);
          return h(
            'li',
            null,
            h('strong', null, formatNumber(n)),
            ': ',
            levelWords(records),
            ' ',
            level === 'A'
              ? null
              : h(
                  'a',
                  {
                    href: advisorHref(level),
                    class: 'history-advisor',
                    dataset: { number: n },
                    onclick: (e) => {
                      if (prefillAdvisor(level)) e.preventDefault();
                    },
                  },
                  level ? `How to reach A (advisor, from level ${level})` : 'Which level should these calls get? (advisor)',
                ),
          );
        }),
      ),
    );
  }

  forget.addEventListener('click', () => {
    sessionStorage.removeItem(TOKEN_KEY);
    input.value = '';
    forget.hidden = true;
    status.textContent = 'The read token was removed from this tab.';
  });

  replaceChildren(
    container,
    h(
      'form',
      { id: 'history-form', novalidate: true, onsubmit: run },
      h('label', { for: 'history-token', class: 'field-label' }, 'Read token of your stircheck test number'),
      h(
        'p',
        { id: 'history-token-help', class: 'help' },
        'If your calls are sent to a stircheck test number (a CPaaS number whose webhook points at this site), ',
        'enter the read token you were given to see every call it verified, per number. The token stays in this tab.',
      ),
      input,
      h('div', { class: 'controls' }, load, forget),
    ),
    status,
    perNumber,
  );
  return { run };
}

async function getJson(fetch, url, init) {
  const res = await fetch(url, init);
  let body = null;
  try {
    body = await res.json();
  } catch {
    /* not JSON */
  }
  if (!res.ok) {
    const e = new Error(body?.error ?? `HTTP ${res.status}`);
    e.status = res.status;
    throw e;
  }
  return body;
}
