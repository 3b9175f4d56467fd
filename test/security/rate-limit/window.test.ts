// The counting rule (window.ts) as a table, the memory store under a moving clock, its
// bound, and the client address rule (IPv6 counted by /64).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { allows, verdict, type WindowQuery } from '../../../src/security/rate-limit/window.js';
import { MemoryRateLimitStore } from '../../../src/security/rate-limit/memory-store.js';
import { addressKey } from '../../../src/security/rate-limit/client-key.js';

const fixed: WindowQuery = { windowMs: 60_000, limit: 10, sliding: false };
const sliding: WindowQuery = { windowMs: 60_000, limit: 10, sliding: true };

test('allows: the table', () => {
  const rows: [WindowQuery, number, number, number, boolean][] = [
    // query, previous, current, elapsed ms, allowed
    [fixed, 100, 9, 0, true], // fixed windows ignore the one before
    [fixed, 0, 10, 59_999, false],
    [sliding, 10, 0, 0, false], // the whole previous window still counts
    [sliding, 10, 0, 6_000, true], // 9 of it counts: one more fits
    [sliding, 10, 4, 30_000, true], // 5 + 4 = 9
    [sliding, 10, 5, 30_000, false], // 5 + 5 = 10
    [sliding, 0, 9, 1, true],
    [sliding, 0, 10, 59_999, false],
  ];
  for (const [q, p, c, e, want] of rows) assert.equal(allows(q, p, c, e), want, JSON.stringify([q.sliding, p, c, e]));
});

test('verdict: remaining, reset and Retry-After in whole seconds', () => {
  assert.deepEqual(verdict(fixed, { allowed: true, current: 4, previous: 0, now: 60_000 * 5 + 15_000 }), {
    allowed: true,
    remaining: 6,
    reset: 45,
    retryAfter: 0,
  });
  assert.deepEqual(verdict(fixed, { allowed: false, current: 10, previous: 0, now: 60_000 * 5 + 15_000 }), {
    allowed: false,
    remaining: 0,
    reset: 45,
    retryAfter: 45,
  });
  // Sliding, the current window full: the next window, then until its weight falls to 9 of 10.
  assert.equal(verdict(sliding, { allowed: false, current: 10, previous: 3, now: 60_000 * 5 + 15_000 }).retryAfter, 45 + 6);
  // Sliding, the previous window's weight in the way: until enough of it has slid out.
  // 10 · (1 − e/60) + 4 ≤ 9  ⇔  e ≥ 30 s; now is 15 s in.
  assert.equal(verdict(sliding, { allowed: false, current: 4, previous: 10, now: 60_000 * 5 + 15_000 }).retryAfter, 15);
});

test('memory store: fixed windows start from zero; sliding ones weigh the window before; refused requests are not counted', () => {
  let now = 1_000 * 60_000; // the start of a window
  const store = new MemoryRateLimitStore({ now: () => now });
  const q3 = { windowMs: 60_000, limit: 3, sliding: false };
  const hits = (q: WindowQuery, key: string, n: number): boolean[] => Array.from({ length: n }, () => store.hit(key, q).allowed);
  assert.deepEqual(hits(q3, 'f', 5), [true, true, true, false, false]);
  now += 60_000;
  assert.deepEqual(hits(q3, 'f', 4), [true, true, true, false], 'a new fixed window');
  const s3 = { ...q3, sliding: true };
  now = 2_000 * 60_000 + 59_000;
  assert.deepEqual(hits(s3, 's', 4), [true, true, true, false]);
  now += 2_000; // 1 s into the next window: the 3 before still weigh 2.95
  assert.deepEqual(hits(s3, 's', 1), [false], 'a burst at the edge cannot pass twice the limit');
  now += 29_000; // 30 s in: they weigh 1.5
  assert.deepEqual(hits(s3, 's', 2), [true, false]);
  const c = store.hit('s', s3);
  assert.equal(c.current, 1, 'refusals were not counted');
  now += 120_000;
  assert.deepEqual(hits(s3, 's', 3), [true, true, true], 'two windows later it is forgotten');
});

test('memory store: bounded — many keys keep at most maxKeys, expired ones go first', () => {
  let now = 0;
  const store = new MemoryRateLimitStore({ maxKeys: 1000, now: () => now });
  const q = { windowMs: 1000, limit: 5, sliding: true };
  for (let i = 0; i < 50_000; i++) store.hit(`k${i}`, q);
  assert.equal(store.size, 1000);
  assert.equal(store.hit('k49999', q).current, 2, 'the most recent keys are kept');
  now = 10_000;
  for (let i = 0; i < 100; i++) store.hit(`n${i}`, q);
  assert.ok(store.size < 1000, `expired keys were dropped as new ones came (${store.size})`);
});

test('addressKey: IPv4 as it is, IPv4-mapped IPv6 as IPv4, IPv6 by its /64, anything else as it is', () => {
  const rows: [string, string][] = [
    ['192.0.2.1', '192.0.2.1'],
    ['::ffff:192.0.2.1', '192.0.2.1'],
    ['2001:db8:1:2:3:4:5:6', '2001:db8:1:2::/64'],
    ['2001:db8:1:2:ffff::1', '2001:db8:1:2::/64'],
    ['2001:0DB8:0001:0002::', '2001:db8:1:2::/64'],
    ['2001:db8::1', '2001:db8:0:0::/64'],
    ['::1', '0:0:0:0::/64'],
    ['fe80::1%eth0', 'fe80:0:0:0::/64'],
    ['::ffff:1.2.3.4:5', '::ffff:1.2.3.4:5'],
    ['', ''],
  ];
  for (const [ip, want] of rows) assert.equal(addressKey(ip), want, ip);
});
