// The request stages of bench/profile.mjs (bench/lib/stages.mjs): a sample is credited to
// the innermost frame of dist/ on its stack; what a stage's code calls outside dist/ (an
// HMAC in node:crypto) is that stage's, except under the adapter and dispatch, whose
// callees (the socket write) are node's work.
import { test } from 'node:test';
import assert from 'node:assert/strict';
// @ts-expect-error: plain JavaScript of the bench, without types
import { stageTimes } from '../../bench/lib/stages.mjs';

const frame = (id: number, functionName: string, url: string, children: number[] = []) => ({ id, callFrame: { functionName, url }, children });
const D = 'file:///app/node_modules/palisade/dist/';

// (root) → listener (adapter) → check (csrf.js) → hmac (node:crypto)
//                             → end (node:_http_outgoing) → writev (native)
const profile = {
  nodes: [
    frame(1, '(root)', '', [2, 7]),
    frame(2, 'listener', D + 'adapters/node.js', [3, 5]),
    frame(3, 'check', D + 'security/csrf.js', [4]),
    frame(4, 'digest', 'node:internal/crypto/hash'),
    frame(5, 'end', 'node:_http_outgoing', [6]),
    frame(6, 'writev', ''),
    frame(7, '(idle)', ''),
  ],
  startTime: 0,
  endTime: 70,
  // One sample per node from 2 on, 10 µs each.
  samples: [2, 3, 4, 5, 6, 7, 7],
  timeDeltas: [10, 10, 10, 10, 10, 10, 10],
};

test('a callee outside dist/ counts to the stage that called it; the adapter counts its own code only', () => {
  const t: Map<string, number> = stageTimes(profile);
  assert.equal(t.get('CSRF token: unmask, HMAC, compare, mask'), 20);
  assert.equal(t.get('request, response, dispatch, adapter'), 10);
  assert.equal(t.get('node:http, sockets, event loop, GC'), 20);
  assert.equal(t.get('idle'), 20);
});

test('only the last seconds of the profile count', () => {
  // endTime 70 µs; the last 25 µs hold the samples at 50, 60 and 70: writev and two idles.
  const t: Map<string, number> = stageTimes(profile, { lastSeconds: 25e-6 });
  assert.deepEqual([...t.entries()].sort(), [
    ['idle', 20],
    ['node:http, sockets, event loop, GC', 10],
  ]);
});
