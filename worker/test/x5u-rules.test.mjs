// Unit tests of the x5u URL rules (no wasm, no network).
import test from 'node:test';
import assert from 'node:assert/strict';
import { checkX5uUrl, parseIPv6 } from '../src/x5u-rules.js';

const allowed = [
  'https://cr.example.com/sti/cert.pem',
  'https://cr.example.com:443/cert.pem',
  'https://cr.example.com:8443/cert.pem',
  'https://certs.stircheck.test:8443/x/chain.pem',
  'https://8.8.8.8/cert.pem', // a public IP literal is not special-purpose
  'https://[2606:4700::1111]/cert.pem',
];

const refused = [
  ['http://cr.example.com/cert.pem', /only https/],
  ['ftp://cr.example.com/cert.pem', /only https/],
  ['https://127.0.0.1/cert.pem', /loopback/],
  ['https://127.1/cert.pem', /loopback/], // WHATWG parsing normalises short forms
  ['https://2130706433/cert.pem', /loopback/],
  ['https://0x7f.0.0.1/cert.pem', /loopback/],
  ['https://10.0.0.1/cert.pem', /private/],
  ['https://172.16.5.4/cert.pem', /private/],
  ['https://192.168.1.1/cert.pem', /private/],
  ['https://169.254.169.254/latest/meta-data', /link-local/],
  ['https://100.64.0.1/cert.pem', /shared/],
  ['https://0.0.0.0/cert.pem', /this network/],
  ['https://224.0.0.1/cert.pem', /multicast/],
  ['https://255.255.255.255/cert.pem', /reserved/],
  ['https://[::1]/cert.pem', /loopback/],
  ['https://[::]/cert.pem', /unspecified/],
  ['https://[::ffff:127.0.0.1]/cert.pem', /IPv4-mapped form of a loopback/],
  ['https://[::ffff:8.8.8.8]/cert.pem', /IPv4-mapped/],
  ['https://[fe80::1]/cert.pem', /link-local/],
  ['https://[fd00::1]/cert.pem', /unique-local/],
  ['https://[2001:db8::1]/cert.pem', /documentation/],
  ['https://localhost/cert.pem', /loopback name/],
  ['https://certs.localhost/cert.pem', /loopback name/],
  ['https://intranet/cert.pem', /fully qualified/],
  ['https://user:pw@cr.example.com/cert.pem', /userinfo/],
  ['https://user@cr.example.com/cert.pem', /userinfo/],
  ['https://cr.example.com:22/cert.pem', /port 22/],
  ['https://cr.example.com:80/cert.pem', /port 80/],
  ['https://cr.example.com/cert.pem?x=1', /query/],
  ['https://cr.example.com/cert.pem?', /query/],
  ['https://cr.example.com/cert.pem#frag', /fragment/],
  ['not a url', /not a valid absolute URL/],
  ['', /empty/],
  ['https://cr.example.com/' + 'a'.repeat(3000), /longer than 2048/],
];

test('allowed x5u URLs pass', () => {
  for (const u of allowed) assert.equal(checkX5uUrl(u).ok, true, u);
});

test('special-purpose, non-https, userinfo, odd ports, query and fragment are refused with a reason', () => {
  for (const [u, why] of refused) {
    const r = checkX5uUrl(u);
    assert.equal(r.ok, false, `${u} should be refused`);
    assert.match(r.reason, /^x5u URL refused: /, u);
    assert.match(r.reason, why, u);
  }
});

test('non-string input is refused, not thrown', () => {
  for (const v of [undefined, null, 42, {}]) assert.equal(checkX5uUrl(v).ok, false);
});

test('IPv6 parsing', () => {
  assert.deepEqual(parseIPv6('::1'), [0, 0, 0, 0, 0, 0, 0, 1]);
  assert.deepEqual(parseIPv6('2001:db8::'), [0x2001, 0xdb8, 0, 0, 0, 0, 0, 0]);
  assert.deepEqual(parseIPv6('::ffff:7f00:1'), [0, 0, 0, 0, 0, 0xffff, 0x7f00, 1]);
  assert.deepEqual(parseIPv6('::ffff:127.0.0.1'), [0, 0, 0, 0, 0, 0xffff, 0x7f00, 1]);
  assert.equal(parseIPv6('1::2::3'), null);
  assert.equal(parseIPv6('1:2:3'), null);
  assert.equal(parseIPv6('g::1'), null);
});
