// The example of docs/testing.md, run: its tests are registered here by importing it.
// Below, what the page says expectStatus prints for the broken template.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import '../../docs/examples/testing/app.test.js';
import { app } from '../../docs/examples/testing/app.js';

test('docs/testing.md: expectStatus shows the template error with its file, line and stack', async () => {
  const res = await app.test().get('/notes/last');
  assert.throws(
    () => res.expectStatus(200),
    (e: Error) => {
      assert.match(
        e.message,
        /^GET \/notes\/last answered 500, expected 200\.\nThe error behind it: TemplateError: last\.html:3:8: "note" is not defined \[TEMPLATE_UNDEFINED\]\n {4}at /,
      );
      return true;
    },
  );
});
