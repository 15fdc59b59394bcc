/**
 * Formatting of times and values for people. Kept apart from the renderers so the verdict page and the
 * self-check page say dates and ages the same way.
 */

// Made on first use: building it loads ICU data, 35-100 ms that would otherwise delay "verifier ready".
let relative = null;
const UNITS = [
  ['year', 365 * 24 * 3600],
  ['month', 30 * 24 * 3600],
  ['week', 7 * 24 * 3600],
  ['day', 24 * 3600],
  ['hour', 3600],
  ['minute', 60],
  ['second', 1],
];

/** True for a finite number of unix seconds the Date object can represent. */
export function isUnixTime(value) {
  return typeof value === 'number' && Number.isFinite(value) && Math.abs(value) < 8.64e12;
}

/** Local date and time with the time zone, e.g. "29 Oct 2021, 13:50:19 CET". */
export function formatDate(unixSeconds) {
  if (!isUnixTime(unixSeconds)) return 'unknown';
  // dateStyle/timeStyle cannot be combined with timeZoneName, hence the explicit fields.
  return new Date(unixSeconds * 1000).toLocaleString('en-GB', {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    timeZoneName: 'short',
  });
}

/** Only the day, for certificate validity ranges ("12 Mar 2040"). */
export function formatDay(unixSeconds) {
  if (!isUnixTime(unixSeconds)) return 'unknown';
  return new Date(unixSeconds * 1000).toLocaleDateString('en-GB', { dateStyle: 'medium' });
}

/** ISO-8601 UTC, for tooltips and machine-readable <time datetime>. */
export function isoDate(unixSeconds) {
  return isUnixTime(unixSeconds) ? new Date(unixSeconds * 1000).toISOString() : '';
}

/**
 * How long ago (or ahead) a time is, in the largest whole unit: "3 minutes ago", "in 2 hours", "now".
 * @param {number} unixSeconds
 * @param {number} [nowSeconds] defaults to the browser clock
 */
export function formatAge(unixSeconds, nowSeconds = Date.now() / 1000) {
  if (!isUnixTime(unixSeconds)) return 'unknown';
  const delta = unixSeconds - nowSeconds;
  const abs = Math.abs(delta);
  if (abs < 5) return 'just now';
  for (const [unit, size] of UNITS) {
    if (abs >= size) return (relative ??= new Intl.RelativeTimeFormat('en', { numeric: 'auto' })).format(Math.trunc(delta / size), unit);
  }
  return 'just now';
}

/** Pretty JSON for display; never throws (cyclic or exotic values fall back to String()). */
export function prettyJson(value) {
  try {
    return JSON.stringify(value, null, 2) ?? String(value);
  } catch {
    return String(value);
  }
}

/** "+1 202-555-0142" for a NANP number, "+<digits>" for other international ones, else as given. */
export function formatNumber(n) {
  if (!n) return 'no number';
  const m = /^1(\d{3})(\d{3})(\d{4})$/.exec(n);
  if (m) return `+1 ${m[1]}-${m[2]}-${m[3]}`;
  // E.164 shape only: no country code starts with 0, so a national number such as 01256500600
  // (UK style, as some signers send it) is shown as signed, never as a made-up "+0…".
  return /^[1-9]\d{7,14}$/.test(n) ? `+${n}` : String(n);
}

/** A length of time in its largest whole unit: "12 seconds", "3 minutes", "4 years". */
export function formatDuration(seconds) {
  if (typeof seconds !== 'number' || !Number.isFinite(seconds)) return 'unknown';
  const abs = Math.abs(seconds);
  for (const [unit, size] of UNITS) {
    if (abs >= size) {
      const n = Math.trunc(abs / size);
      return `${n} ${unit}${n === 1 ? '' : 's'}`;
    }
  }
  return '0 seconds';
}
