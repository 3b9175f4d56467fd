// Fidelity in Chromium: benign text reads back exactly inside srcdoc documents (every kind
// of srcdoc, every inner context, nested), as a srcset candidate's currentSrc, as the text of
// raw text elements and of <noscript> with scripting off, and as attributes written by ifs
// and loops in start tags; attacks there run no script, change no DOM (the srcdoc documents
// included) and get no script URL in. e2e/templates-fidelity-control.test.ts proves these
// checks able to fail. Also: srcdoc documents inherit the page's CSP, so the nonce Palisade
// adds to their scripts is what lets them run.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ALL_CASES } from './templates-fidelity-cases.js';
import { loadAll, render, useBrowser } from './templates-fidelity-harness.js';

useBrowser();

describe('fidelity in the browser', () => {
  for (const c of ALL_CASES) {
    test(c.id, async () => {
      const data = c.data ?? ((v: string) => ({ v }));
      const values = ['x', ...c.attacks.map((p) => p.value), ...c.benign.map((p) => p.value)];
      const seen = await loadAll(
        values.map((v) => ({ html: render(c.template, data(v), false) })),
        c.read,
        { scripting: !c.noScripting },
      );
      const baseline = seen[0]!.shape;
      c.attacks.forEach((p, i) => {
        const o = seen[1 + i]!;
        assert.deepEqual(o.hits, [], `${c.id} × ${p.id}: injected script ran`);
        assert.equal(o.shape, baseline, `${c.id} × ${p.id}: the DOM changed`);
        assert.equal(c.dangerous?.(o.value) ?? false, false, `${c.id} × ${p.id}: a script URL got through`);
      });
      c.benign.forEach((p, i) => {
        const o = seen[1 + c.attacks.length + i]!;
        assert.equal(o.shape, baseline, `${c.id} × ${p.id}: the DOM changed`);
        assert.deepEqual(o.value, c.expect(p.value, o.value), `${c.id} × ${p.id}: the value did not arrive unchanged`);
      });
    });
  }
});

describe('srcdoc documents and the CSP', () => {
  const csp = "script-src 'nonce-n0nce'";
  const template = '<iframe id="f" srcdoc="<script>parent.__ran = (parent.__ran || 0) + 1;</script><p id=t>{{ v }}</p>"></iframe>';
  const read = '(w) => w.__ran === undefined ? 0 : w.__ran';

  test("an srcdoc document inherits the page's CSP: its script runs with the nonce Palisade adds", async () => {
    const [o] = await loadAll([{ html: render(template, { v: 'x' }, false, 'n0nce'), csp, nonce: 'n0nce' }], read);
    assert.equal(o!.value, 1);
  });

  test('control: the same script without the nonce is blocked by the inherited CSP', async () => {
    const [o] = await loadAll([{ html: render(template, { v: 'x' }, false), csp, nonce: 'n0nce' }], read);
    assert.equal(o!.value, 0);
  });

  test('a value injected into an srcdoc document gets no nonce and cannot run, even unescaped', async () => {
    const v = '<script>parent.__pwned(1)</script><img src=x onerror="parent.__pwned(2)">';
    const [escaped, raw] = await loadAll(
      [false, true].map((control) => ({ html: render(template, { v }, control, 'n0nce'), csp, nonce: 'n0nce' })),
      read,
    );
    assert.deepEqual(escaped!.hits, []);
    assert.deepEqual(raw!.hits, [], 'the CSP blocks the unescaped injection too: the nonce is not in the value');
  });
});
