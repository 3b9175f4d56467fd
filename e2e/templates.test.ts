// Every context × payload of test/escape/cases.ts, rendered by the template engine and
// loaded in Chromium: no injected script may run (payloads call __pwned), the DOM must keep
// the shape it has with a harmless value (no element or attribute added), URL slots must
// not hold javascript:/data: URLs, and benign values must read back unchanged.
// e2e/templates-control.test.ts proves these checks able to fail.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ATTACKS, CONTEXTS } from '../test/escape/cases.js';
import { benignFor, expected, loadAll, render, useBrowser } from './templates-harness.js';

useBrowser();

describe('contextual escaping in the browser', () => {
  for (const ctx of CONTEXTS) {
    test(ctx.id, async () => {
      const benign = benignFor(ctx);
      const all = await loadAll(
        ['x', ...ATTACKS.map((p) => p.value), ...benign.map((p) => p.value)].map((v) => ({ html: render(ctx, v, false), v })),
        ctx.read,
      );
      const baseline = all[0]!.shape;
      const attacks = all.slice(1, 1 + ATTACKS.length);
      ATTACKS.forEach((p, i) => {
        const o = attacks[i]!;
        assert.deepEqual(o.hits, [], `${ctx.id} × ${p.id}: injected script ran`);
        assert.equal(o.shape, baseline, `${ctx.id} × ${p.id}: the DOM changed`);
        assert.equal(o.dangerousURL, false, `${ctx.id} × ${p.id}: a javascript: or data: URL got through`);
      });
      const seen = all.slice(1 + ATTACKS.length);
      for (const [i, p] of benign.entries()) {
        const o = seen[i]!;
        assert.equal(o.shape, baseline, `${ctx.id} × ${p.id}: the DOM changed`);
        const want = expected(ctx, p.value, o);
        if (want !== undefined) assert.deepEqual(o.value, want, `${ctx.id} × ${p.id}: the value did not arrive unchanged`);
      }
    });
  }
});
