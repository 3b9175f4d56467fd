// The HTTP fuzzer finds a 500 that the handler did not mean in a deliberately broken app
// (broken-app.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findIn } from './find-in-broken.js';

test('the fuzzer finds a 500 that the handler did not mean', async () => {
  const f = await findIn('/broken/500', 'server-error');
  assert.ok(
    f.exchanges.some((e) => e.bytes.includes('__proto__')),
    f.report,
  );
});
