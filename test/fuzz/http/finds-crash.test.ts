// The HTTP fuzzer finds an exception thrown from a timer in a deliberately broken app
// (broken-app.ts), shrinks it, and its seed and path replay it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BROKEN, findIn } from './find-in-broken.js';
import { runHttpFuzz } from './run.js';

test('the fuzzer finds an exception thrown from a timer, shrinks it and replays it', async () => {
  const f = await findIn('/broken/timer', 'crash');
  assert.match(f.detail, /thrown from a timer/);
  const replay = await runHttpFuzz({ app: BROKEN, paths: ['/broken/timer'], kinds: ['crash'], seed: f.seed, path: f.path, log: () => {} });
  assert.deepEqual(
    replay.failures.map((x) => x.signature),
    [f.signature],
    'the seed and path replay it',
  );
});
