// The html tag in Chromium: every context × payload of test/escape/cases.ts (except the
// |tojson contexts, which are template syntax), rendered by `html` and checked exactly as
// e2e/templates.test.ts checks the template engine: no injected script runs, the DOM keeps
// its shape, no javascript:/data: URL gets through, benign values read back unchanged.
// The control builds the same pages by plain string concatenation, the thing `html`
// replaces, and must see attacks succeed in every context.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { html } from '../src/html.js';
import { ATTACKS, CONTEXTS, HOLE, type ContextCase } from '../test/escape/cases.js';
import { benignFor, expected, loadAll, useBrowser } from './templates-harness.js';

useBrowser();

const sites = new Map<string, TemplateStringsArray>();
/** One template object per case template, as one call site would have. */
function viaTag(ctx: ContextCase, v: string): string {
  let s = sites.get(ctx.id);
  if (s === undefined) {
    const parts = ctx.template.split(HOLE);
    s = Object.freeze(Object.assign([...parts], { raw: Object.freeze([...parts]) })) as unknown as TemplateStringsArray;
    sites.set(ctx.id, s);
  }
  return html(s, v).toString();
}

const concat = (ctx: ContextCase, v: string): string => ctx.template.split(HOLE).join(v);

const shared = CONTEXTS.filter((c) => !c.templateOnly);

describe('the html tag in the browser', () => {
  for (const ctx of shared) {
    test(ctx.id, async () => {
      const benign = benignFor(ctx);
      const all = await loadAll(
        ['x', ...ATTACKS.map((p) => p.value), ...benign.map((p) => p.value)].map((v) => ({ html: viaTag(ctx, v), v })),
        ctx.read,
      );
      const baseline = all[0]!.shape;
      ATTACKS.forEach((p, i) => {
        const o = all[1 + i]!;
        assert.deepEqual(o.hits, [], `${ctx.id} × ${p.id}: injected script ran`);
        assert.equal(o.shape, baseline, `${ctx.id} × ${p.id}: the DOM changed`);
        assert.equal(o.dangerousURL, false, `${ctx.id} × ${p.id}: a javascript: or data: URL got through`);
      });
      benign.forEach((p, i) => {
        const o = all[1 + ATTACKS.length + i]!;
        assert.equal(o.shape, baseline, `${ctx.id} × ${p.id}: the DOM changed`);
        const want = expected(ctx, p.value, o);
        if (want !== undefined) assert.deepEqual(o.value, want, `${ctx.id} × ${p.id}: the value did not arrive unchanged`);
      });
    });
  }
});

describe('control: the same pages built by string concatenation are attacked successfully', () => {
  for (const ctx of shared) {
    test(ctx.id, async () => {
      const all = await loadAll(
        ['x', ...ATTACKS.map((p) => p.value)].map((v) => ({ html: concat(ctx, v), v })),
        ctx.read,
      );
      const baseline = all[0]!.shape;
      const seen = all.slice(1);
      const succeeded = ATTACKS.filter((_, i) => seen[i]!.hits.length > 0 || seen[i]!.shape !== baseline || seen[i]!.dangerousURL);
      assert.ok(succeeded.length > 0, `${ctx.id}: no attack succeeded without escaping, so the check cannot fail`);
    });
  }
});
