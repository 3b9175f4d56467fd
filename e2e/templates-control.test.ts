// The control run: the pages of e2e/templates.test.ts rendered with escaping switched off
// (`unsafeDisableEscaping`, a compile option used only here). The same checks must see the
// attacks succeed, which proves they can fail.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ATTACKS, CONTEXTS } from '../test/escape/cases.js';
import { loadAll, render, useBrowser } from './templates-harness.js';

useBrowser();

// Contexts where the protection is the filter itself (tojson encodes JSON), which the
// control switch does not turn off, so no attack can succeed there even in the control.
const CONTROL_EXEMPT = new Set(['tojson-script']);

describe('control: the same pages without escaping are attacked successfully', () => {
  for (const ctx of CONTEXTS.filter((c) => !CONTROL_EXEMPT.has(c.id))) {
    test(ctx.id, async () => {
      const all = await loadAll(
        ['x', ...ATTACKS.map((p) => p.value)].map((v) => ({ html: render(ctx, v, true), v })),
        ctx.read,
      );
      const baseline = all[0]!.shape;
      const seen = all.slice(1);
      const succeeded = ATTACKS.filter((_, i) => seen[i]!.hits.length > 0 || seen[i]!.shape !== baseline || seen[i]!.dangerousURL);
      assert.ok(succeeded.length > 0, `${ctx.id}: no attack succeeded without escaping, so the check cannot fail`);
    });
  }
});
