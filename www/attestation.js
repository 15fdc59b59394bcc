/**
 * Plain-words meaning of the SHAKEN attestation levels, for agents who are not STIR/SHAKEN experts.
 * Source: ../shared/specs/attestation.md (ATIS-1000074 definitions), rewritten for this page.
 * Shared with the self-check page, so both explain a level the same way.
 */

export const ATTESTATION = Object.freeze({
  A: Object.freeze({
    level: 'A',
    name: 'full attestation',
    meaning:
      'The signing carrier states that it knows the customer who placed this call and has checked ' +
      'that this customer is allowed to use the calling number.',
  }),
  B: Object.freeze({
    level: 'B',
    name: 'partial attestation',
    meaning:
      'The signing carrier states that it knows the customer who placed this call, but it has not ' +
      'checked that the customer is allowed to use the calling number.',
  }),
  C: Object.freeze({
    level: 'C',
    name: 'gateway attestation',
    meaning:
      'The signing carrier only let the call into its network (for example from abroad or from a ' +
      'network without call signing) and cannot say who placed it.',
  }),
});

/** What a valid signature does and does not prove; shown under every valid verdict. */
export const WHAT_VALID_MEANS =
  'A valid signature proves which carrier made this statement and that nothing was changed on the ' +
  'way. It does not prove the statement is true.';

/** Look up a level; unknown values (bad claims) give null instead of throwing. */
export function attestationInfo(level) {
  return Object.hasOwn(ATTESTATION, level) ? ATTESTATION[level] : null;
}
