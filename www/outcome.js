/**
 * The Verdict's `outcome` (verified | failed | unverified | unsigned), which the core decides
 * (docs/js-api.md). Pure, shared by the banner and the self-check rows.
 */

export const OUTCOMES = Object.freeze(['verified', 'failed', 'unverified', 'unsigned']);

/**
 * The verdict's outcome. A verdict from a core older than `outcome` is read by its status only
 * (such a core cannot say "could not check", so nothing is guessed here).
 */
export function outcomeOf(verdict) {
  if (OUTCOMES.includes(verdict?.outcome)) return verdict.outcome;
  return { valid: 'verified', 'no-identity': 'unsigned' }[verdict?.status] ?? 'failed';
}
