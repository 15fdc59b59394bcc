// worker/src/http.js helpers that stand in for the platform's own parsing must agree with it.
import test from 'node:test';
import assert from 'node:assert/strict';
import { pathnameOf } from '../src/http.js';

test('pathnameOf gives new URL(url).pathname for plain and odd request URLs alike', () => {
  const hosts = ['http://127.0.0.1:8787', 'https://stircheck.example', 'http://[::1]:8787', 'HTTPS://A.Example'];
  const paths = [
    '', '/', '/api/verify', '/stir/v1/verification', '/api//x', '/a_b-c/9', '/./api', '/a/../b', '/%61pi',
    '/a%2fb', '/a\\b', '/ä', '/a b', '/a;b', '/a.html', '/api/verify?view=compact', '/x#frag', '/?q=1',
    '/api/x5u?url=https://a.example/c.pem', '/@x',
  ];
  for (const h of hosts) {
    for (const p of paths) {
      const url = h + p;
      assert.equal(pathnameOf(url), new URL(url).pathname, url);
    }
  }
  assert.equal(pathnameOf('http://u:p@h.example/a'), new URL('http://u:p@h.example/a').pathname);
});
