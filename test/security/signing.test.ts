import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Signer, deriveKey } from '../../src/security/signing.js';

const A = 'a'.repeat(32);
const B = 'b'.repeat(32);
const T0 = Date.UTC(2026, 0, 1);

test('sign then unsign gives the value back', () => {
  const s = new Signer([A], { purpose: 'test' });
  for (const v of ['', 'x', 'user:42', 'a.b.c', 'ünïcode', '.'.repeat(10)]) {
    const r = s.unsign(s.sign(v));
    assert.equal(r.ok, true, v);
    if (r.ok) assert.equal(r.value, v);
  }
});

test('any change to a signed value is refused', () => {
  const s = new Signer([A], { purpose: 'test' });
  const tok = s.sign('user:42', T0);
  const tampered = [
    tok.replace('user:42', 'user:43'),
    tok.replace('user:42', 'admin'),
    tok.slice(0, -1) + (tok.endsWith('A') ? 'B' : 'A'),
    tok.replace(/\.([0-9a-z]+)\./, (_m, ts: string) => `.${(parseInt(ts, 36) + 1).toString(36)}.`),
  ];
  for (const t of tampered) {
    const r = s.unsign(t, { now: T0 });
    assert.equal(r.ok, false, t);
    assert.ok(!r.ok && (r.reason === 'bad-signature' || r.reason === 'malformed'), t);
  }
  // Every one-character change of the MAC is refused (including the last character's unused bits).
  const macStart = tok.lastIndexOf('.') + 1;
  for (let i = macStart; i < tok.length; i++) {
    for (const ch of ['A', 'B', 'Q', '_']) {
      if (tok[i] === ch) continue;
      const t = tok.slice(0, i) + ch + tok.slice(i + 1);
      assert.equal(s.unsign(t, { now: T0 }).ok, false, t);
    }
  }
});

test('malformed input is refused without throwing', () => {
  const s = new Signer([A], { purpose: 'test' });
  const good = s.sign('v');
  const cases: unknown[] = [
    '',
    '.',
    '..',
    'v',
    'v.1',
    good + 'x',
    good.slice(0, -2),
    'v.!!.' + 'A'.repeat(43),
    'v.' + 'z'.repeat(20) + '.' + 'A'.repeat(43),
    42,
    null,
  ];
  for (const c of cases) {
    const r = s.unsign(c as string);
    assert.equal(r.ok, false, String(c));
  }
});

test('a value signed for one purpose never verifies for another', () => {
  const session = new Signer([A], { purpose: 'session' });
  const csrf = new Signer([A], { purpose: 'csrf' });
  assert.deepEqual(csrf.unsign(session.sign('x')), { ok: false, reason: 'bad-signature' });
  assert.notDeepEqual(deriveKey(A, 'session'), deriveKey(A, 'csrf'));
  assert.notDeepEqual(deriveKey(A, 'session'), Buffer.from(A)); // the secret itself is never the key
});

test('key rotation: the first key signs, every key verifies', () => {
  const old = new Signer([A], { purpose: 'p' });
  const rotated = new Signer([B, A], { purpose: 'p' });
  const fresh = new Signer([B], { purpose: 'p' });
  const r = rotated.unsign(old.sign('v'));
  assert.ok(r.ok && r.value === 'v' && r.oldKey === true);
  const r2 = old.unsign(rotated.sign('v'));
  assert.equal(r2.ok, false, 'new signatures use the new key');
  assert.equal(fresh.unsign(old.sign('v')).ok, false, 'a dropped key no longer verifies');
  const r3 = rotated.unsign(rotated.sign('v'));
  assert.ok(r3.ok && r3.oldKey === false);
});

test('max age: older values are refused as expired, future ones too', () => {
  const s = new Signer([A], { purpose: 'p', maxAge: 60 });
  const tok = s.sign('v', T0);
  assert.equal(s.unsign(tok, { now: T0 + 59_000 }).ok, true);
  assert.deepEqual(s.unsign(tok, { now: T0 + 61_000 }), { ok: false, reason: 'expired' });
  assert.equal(s.unsign(tok, { now: T0 + 61_000, maxAge: 3600 }).ok, true, 'per-call maxAge wins');
  assert.deepEqual(s.unsign(tok, { now: T0 - 3600_000 }), { ok: false, reason: 'expired' }, 'signed an hour in the future');
  assert.equal(s.unsign(tok, { now: T0 - 60_000 }).ok, true, 'small clock skew is tolerated');
});

test('bad settings are refused', () => {
  assert.throws(() => new Signer([], { purpose: 'p' }), /at least one secret/);
  assert.throws(() => new Signer([A], { purpose: '' }), /purpose/);
  assert.throws(() => new Signer([A], { purpose: 'p', maxAge: -1 }), /maxAge/);
});

test('with a cache, a remembered token is still checked for age, and tampering still fails', () => {
  const s = new Signer([A], { purpose: 'p', maxAge: 60, cacheSize: 2 });
  const tok = s.sign('v', T0);
  assert.equal(s.unsign(tok, { now: T0 }).ok, true);
  assert.equal(s.unsign(tok, { now: T0 + 1000 }).ok, true, 'cached hit');
  assert.deepEqual(s.unsign(tok, { now: T0 + 61_000 }), { ok: false, reason: 'expired' }, 'cached, but too old');
  assert.equal(s.unsign(tok.replace('v.', 'w.'), { now: T0 }).ok, false);
  // More tokens than the cache holds: every one still verifies.
  const many = ['a', 'b', 'c', 'd'].map((x) => s.sign(x, T0));
  for (let round = 0; round < 2; round++) for (const t of many) assert.equal(s.unsign(t, { now: T0 }).ok, true);
});
