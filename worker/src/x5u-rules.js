// The x5u URL rules (CHECKLIST row `x5u.url`, DESIGN "Worker HTTP API"): which certificate
// URLs the worker is willing to fetch. They exist to stop server-side request forgery: an attacker
// controls the x5u of a PASSporT they send us, so without them the worker could be made to call
// internal services. Applied before every fetch and again to every redirect target.
//
// Hostnames that resolve to private addresses are not caught here (that needs DNS); the runtime's
// egress does that (workerd `network = (allow = ["public"])`; Cloudflare's fetch cannot reach
// private networks). This module rejects what can be rejected from the URL text alone.

/** Ports a SHAKEN certificate repository may use (ATIS-1000080 practice: 443, or 8443). */
export const ALLOWED_PORTS = new Set(['', '443', '8443']);

/**
 * Checks an x5u URL.
 * @param {string} raw the URL exactly as it appeared in the PASSporT / request
 * @returns {{ ok: true, url: URL } | { ok: false, reason: string, why: string }}
 *   `reason` is the full sentence; `why` the bare cause (for composing, e.g. after a redirect).
 */
export function checkX5uUrl(raw) {
  if (typeof raw !== 'string' || raw.length === 0) return refuse('the URL is empty');
  if (raw.length > 2048) return refuse('the URL is longer than 2048 characters');
  let url;
  try {
    url = new URL(raw);
  } catch {
    return refuse('it is not a valid absolute URL');
  }
  if (url.protocol !== 'https:') return refuse(`only https URLs are fetched (got ${url.protocol.slice(0, -1)})`);
  // Checked on the raw text too: `https://a/b?` parses to an empty search but still had a query.
  if (url.username || url.password || /^[a-z]+:\/\/[^/]*@/i.test(raw)) {
    return refuse('URLs with user credentials (userinfo) are not allowed');
  }
  if (url.search || raw.includes('?')) return refuse('URLs with a query string are not allowed');
  if (url.hash || raw.includes('#')) return refuse('URLs with a fragment are not allowed');
  if (!ALLOWED_PORTS.has(url.port)) return refuse(`port ${url.port} is not allowed (only 443 and 8443)`);
  const hostProblem = checkHost(url.hostname);
  if (hostProblem) return refuse(hostProblem);
  return { ok: true, url };
}

function refuse(why) {
  return { ok: false, reason: `x5u URL refused: ${why}`, why };
}

/** Returns why a (URL-normalised) hostname may not be fetched, or null. */
function checkHost(host) {
  if (!host) return 'the URL has no host';
  if (host.startsWith('[')) {
    const v6 = parseIPv6(host.slice(1, -1));
    if (!v6) return 'the IPv6 address is not valid';
    const why = specialIPv6(v6);
    return why ? `the host ${host} is ${why}` : null;
  }
  // The WHATWG parser already turned every IPv4 spelling (hex, octal, 2130706433) into dotted quad.
  if (/^\d+\.\d+\.\d+\.\d+$/.test(host)) {
    const why = specialIPv4(host.split('.').map(Number));
    return why ? `the host ${host} is ${why}` : null;
  }
  const name = host.endsWith('.') ? host.slice(0, -1) : host;
  if (name === 'localhost' || name.endsWith('.localhost')) return `the host ${host} is a loopback name`;
  if (!name.includes('.')) return `the host ${host} is not a fully qualified domain name`;
  return null;
}

/**
 * IPv4 special-purpose ranges (IANA IPv4 Special-Purpose Address Registry, RFC 6890 and updates),
 * plus multicast and the reserved 240/4. Every one of them is refused as an x5u host.
 */
const V4_SPECIAL = [
  ['0.0.0.0', 8, '"this network" (0.0.0.0/8)'],
  ['10.0.0.0', 8, 'a private address (10.0.0.0/8)'],
  ['100.64.0.0', 10, 'a shared address (100.64.0.0/10)'],
  ['127.0.0.0', 8, 'a loopback address (127.0.0.0/8)'],
  ['169.254.0.0', 16, 'a link-local address (169.254.0.0/16)'],
  ['172.16.0.0', 12, 'a private address (172.16.0.0/12)'],
  ['192.0.0.0', 24, 'an IETF protocol assignment (192.0.0.0/24)'],
  ['192.0.2.0', 24, 'a documentation address (192.0.2.0/24)'],
  ['192.31.196.0', 24, 'an AS112 address (192.31.196.0/24)'],
  ['192.52.193.0', 24, 'an AMT address (192.52.193.0/24)'],
  ['192.88.99.0', 24, 'a 6to4 relay address (192.88.99.0/24)'],
  ['192.168.0.0', 16, 'a private address (192.168.0.0/16)'],
  ['192.175.48.0', 24, 'an AS112 address (192.175.48.0/24)'],
  ['198.18.0.0', 15, 'a benchmarking address (198.18.0.0/15)'],
  ['198.51.100.0', 24, 'a documentation address (198.51.100.0/24)'],
  ['203.0.113.0', 24, 'a documentation address (203.0.113.0/24)'],
  ['224.0.0.0', 4, 'a multicast address (224.0.0.0/4)'],
  ['240.0.0.0', 4, 'a reserved address (240.0.0.0/4)'],
].map(([net, bits, why]) => [v4ToInt(net.split('.').map(Number)), bits, why]);

function v4ToInt(o) {
  return ((o[0] << 24) | (o[1] << 16) | (o[2] << 8) | o[3]) >>> 0;
}

function specialIPv4(octets) {
  const ip = v4ToInt(octets);
  for (const [net, bits, why] of V4_SPECIAL) {
    const mask = bits === 0 ? 0 : (~0 << (32 - bits)) >>> 0;
    if (((ip & mask) >>> 0) === net) return why;
  }
  return null;
}

/** Parses an IPv6 literal (as the URL parser normalised it) into 8 16-bit groups, or null. */
export function parseIPv6(text) {
  let s = text;
  const zone = s.indexOf('%');
  if (zone >= 0) s = s.slice(0, zone);
  // An embedded dotted IPv4 tail (::ffff:1.2.3.4) becomes two groups.
  const m = s.match(/^(.*:)(\d+\.\d+\.\d+\.\d+)$/);
  if (m) {
    const o = m[2].split('.').map(Number);
    if (o.some((x) => x > 255)) return null;
    s = `${m[1]}${((o[0] << 8) | o[1]).toString(16)}:${((o[2] << 8) | o[3]).toString(16)}`;
  }
  const halves = s.split('::');
  if (halves.length > 2) return null;
  const parse = (part) => (part === '' ? [] : part.split(':'));
  const head = parse(halves[0]);
  const tail = halves.length === 2 ? parse(halves[1]) : [];
  const fill = 8 - head.length - tail.length;
  if (halves.length === 1 ? head.length !== 8 : fill < 1) return null;
  const groups = [...head, ...Array(halves.length === 2 ? fill : 0).fill('0'), ...tail];
  const out = groups.map((g) => (/^[0-9a-f]{1,4}$/i.test(g) ? parseInt(g, 16) : NaN));
  return out.some(Number.isNaN) ? null : out;
}

/** Why an IPv6 address is special-purpose (IANA IPv6 Special-Purpose Registry), or null. */
function specialIPv6(g) {
  const zeroUpTo = (n) => g.slice(0, n).every((x) => x === 0);
  if (zeroUpTo(8)) return 'the unspecified address (::)';
  if (zeroUpTo(7) && g[7] === 1) return 'a loopback address (::1)';
  // IPv4-mapped (::ffff:0:0/96) and IPv4-compatible (::/96): judge the embedded IPv4 address.
  if (zeroUpTo(5) && (g[5] === 0xffff || g[5] === 0)) {
    const inner = specialIPv4([g[6] >> 8, g[6] & 255, g[7] >> 8, g[7] & 255]);
    return inner ? `an IPv4-mapped form of ${inner}` : 'an IPv4-mapped address (::ffff:0:0/96)';
  }
  if (g[0] === 0x64 && g[1] === 0xff9b) return 'a NAT64 address (64:ff9b::/96)';
  if (g[0] === 0x100 && g[1] === 0 && g[2] === 0 && g[3] === 0) return 'a discard-only address (100::/64)';
  if (g[0] === 0x2001 && g[1] < 0x200) return 'an IETF protocol assignment (2001::/23)';
  if (g[0] === 0x2001 && g[1] === 0xdb8) return 'a documentation address (2001:db8::/32)';
  if (g[0] === 0x2002) return 'a 6to4 address (2002::/16)';
  if (g[0] === 0x3fff && g[1] < 0x1000) return 'a documentation address (3fff::/20)';
  if ((g[0] & 0xfe00) === 0xfc00) return 'a unique-local (private) address (fc00::/7)';
  if ((g[0] & 0xffc0) === 0xfe80) return 'a link-local address (fe80::/10)';
  if ((g[0] & 0xffc0) === 0xfec0) return 'a site-local address (fec0::/10)';
  if ((g[0] & 0xff00) === 0xff00) return 'a multicast address (ff00::/8)';
  return null;
}
