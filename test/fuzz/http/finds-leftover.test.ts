// The HTTP fuzzer finds a temporary file left behind by a deliberately broken app
// (broken-app.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findIn } from './find-in-broken.js';

test('the fuzzer finds a temporary file left behind', async () => {
  const f = await findIn('/broken/leak', 'temp-file-left');
  assert.ok(
    f.exchanges.some((e) => e.bytes.includes('filename=')),
    f.report,
  );
});
