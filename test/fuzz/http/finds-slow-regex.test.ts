// The HTTP fuzzer finds a regular expression that holds the event loop in a deliberately
// broken app (broken-app.ts), and shrinks it to the run of digits that makes it slow.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findIn } from './find-in-broken.js';

test('the fuzzer finds a regular expression that holds the event loop', async () => {
  const f = await findIn('/broken/regex', 'loop-blocked');
  // The query holds the run of 25 digits or more that makes the regex slow.
  const slow = (bytes: string) => /[01]{25}/.test(bytes) || Number(/"[01]"\.repeat\((\d+)\)/.exec(bytes)?.[1]) >= 25;
  assert.ok(
    f.exchanges.some((e) => slow(e.bytes)),
    f.report,
  );
});
