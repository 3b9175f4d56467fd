// The control run of e2e/templates-fidelity.test.ts: the same pages with escaping switched
// off (`unsafeDisableEscaping`, a compile option used only in tests). In every case some
// attack must then succeed (a script runs, the DOM changes, or a script URL gets in), which
// proves that the checks can fail.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ALL_CASES } from './templates-fidelity-cases.js';
import { loadAll, render, useBrowser } from './templates-fidelity-harness.js';

useBrowser();

// Nothing ends a <plaintext>: no value can attack it, escaped or not, so no control exists.
const CONTROL_EXEMPT = new Set(['raw-plaintext']);

describe('control: without escaping the attacks succeed', () => {
  for (const c of ALL_CASES.filter((x) => !CONTROL_EXEMPT.has(x.id))) {
    test(c.id, async () => {
      const data = c.data ?? ((v: string) => ({ v }));
      const seen = await loadAll(
        ['x', ...c.attacks.map((p) => p.value)].map((v) => ({ html: render(c.template, data(v), true) })),
        c.read,
        { scripting: !c.noScripting },
      );
      const baseline = seen[0]!.shape;
      const succeeded = c.attacks.filter((_, i) => {
        const o = seen[1 + i]!;
        return o.hits.length > 0 || o.shape !== baseline || (c.dangerous?.(o.value) ?? false);
      });
      assert.ok(succeeded.length > 0, `${c.id}: no attack succeeded without escaping, so the check cannot fail`);
    });
  }
});
