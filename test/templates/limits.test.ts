// Numbers from the data that set how much a template builds: `range(n)`, `'-' * n`,
// `[x] * n`, a slice step, `|batch`, `|slice`, `|center`, `|indent` and the widths of
// `|format`. Each hostile number must fail the render with TEMPLATE_RUNTIME at once; before
// the bounds, `[0] * 10**9` and `s[::0]` ended the process (out of memory) and `|batch(0)`,
// `|slice(10**8)` and `s[::1e-7]` held it. The cases run in a child process with a small
// heap, so that a regression fails this test instead of ending the test runner. The
// control renders the largest sizes the bounds allow, and ordinary ones.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const CHILD = fileURLToPath(new URL('../fixtures/template-limits-child.ts', import.meta.url));

interface Outcome {
  i: number;
  code: string | undefined;
  length: number;
  ms: number;
}

function run(cases: [string, Record<string, unknown>][]): Outcome[] {
  const r = spawnSync(process.execPath, ['--max-old-space-size=256', '--import', 'tsx', CHILD], {
    input: JSON.stringify(cases),
    encoding: 'utf8',
    timeout: 60_000,
    env: { ...process.env, PALISADE_ENV: 'test' },
  });
  const out = r.stdout
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as Outcome);
  if (out.length < cases.length) {
    const stuck = cases[out.length]!;
    assert.fail(
      `the render of ${stuck[0]} with ${JSON.stringify(stuck[1])} ${r.error !== undefined ? 'held the process past 60 s' : `ended the process (${r.signal ?? `exit ${r.status}`}): ${r.stderr.split('\n').find((l) => /error/i.test(l)) ?? ''}`}`,
    );
  }
  return out;
}

const HOSTILE: [string, Record<string, unknown>][] = [
  ['{{ "*" * n }}', { n: 5e8 }],
  ['{{ "<" * n }}', { n: 1e8 }],
  ['{{ [0] * n }}', { n: 1e9 }],
  ['{{ ([1, 2, 3] * n)|length }}', { n: 3e7 }],
  ['{{ s[::n] }}', { s: 'abc', n: 0 }],
  ['{{ s[::n] }}', { s: 'abc', n: 1e-7 }],
  ['{{ items[::n]|length }}', { items: [1, 2, 3], n: 0 }],
  ['{{ range(n)|length }}', { n: 1e9 }],
  ['{{ range(0, n, 0.5)|length }}', { n: 1e9 }],
  ['{{ items|batch(n)|list }}', { items: [1, 2], n: 0 }],
  ['{{ items|batch(n)|list }}', { items: [1, 2], n: -1 }],
  ['{{ items|batch(n, "x")|list|length }}', { items: [1, 2], n: 1e8 }],
  ['{{ items|slice(n)|list|length }}', { items: [1, 2], n: 1e8 }],
  ['{{ "x"|center(n) }}', { n: 5e8 }],
  ['{{ "x"|indent(n, true) }}', { n: 5e8 }],
  ['{{ text|indent(pad)|length }}', { text: 'a\n'.repeat(1e5), pad: ' '.repeat(1e4) }],
  ['{{ "%*s"|format(n, "x") }}', { n: 3e8 }],
  ['{{ f|format(1) }}', { f: '%500000000d' }],
];

test('a number from the data cannot make a render build without bound: TEMPLATE_RUNTIME, at once', () => {
  const out = run(HOSTILE);
  for (const [k, o] of out.entries()) {
    const [template, data] = HOSTILE[k]!;
    assert.equal(o.code, 'TEMPLATE_RUNTIME', `${template} with ${JSON.stringify(data)}: ${o.code ?? `rendered ${o.length} characters`}`);
    assert.ok(o.ms < 1000, `${template} with ${JSON.stringify(data)} took ${o.ms} ms`);
  }
});

test('control: sizes up to the bounds render as before', () => {
  const ok: [string, Record<string, unknown>, number][] = [
    ['{{ "-" * n }}', { n: 1_000_000 }, 1_000_000],
    ['{{ ([0] * n)|length }}', { n: 100_000 }, 6],
    ['{{ range(n)|length }}', { n: 100_000 }, 6],
    ['{{ s[::-1] }}{{ s[::2] }}', { s: 'abcd' }, 6],
    ['{{ items|batch(2, 0)|list }}', { items: [1, 2, 3] }, '[[1, 2], [3, 0]]'.length],
    ['{{ items|slice(3)|list|length }}', { items: [1, 2] }, 1],
    ['{{ "x"|center(n) }}', { n: 1_000_001 }, 1_000_001],
    ['{{ "%*s"|format(n, "x") }}', { n: 1_000_000 }, 1_000_000],
    ['{{ text|indent(8, blank=true)|length }}', { text: '\n'.repeat(200_000) }, 7],
  ];
  const out = run(ok.map(([t, d]) => [t, d]));
  for (const [k, o] of out.entries()) {
    const [template, data, length] = ok[k]!;
    assert.equal(o.code, undefined, `${template} with ${JSON.stringify(data)}`);
    assert.equal(o.length, length, template);
  }
});

test('a template named by a value that names itself fails with TEMPLATE_RUNTIME, at once; nesting short of the bound renders', async () => {
  const { mkdtempSync, rmSync, writeFileSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const { createTemplates } = await import('../../src/templates/index.js');
  const dir = mkdtempSync(join(tmpdir(), 'palisade-nesting-'));
  try {
    writeFileSync(join(dir, 'page.html'), '{% extends layout %}{% block b %}x{% endblock %}');
    writeFileSync(join(dir, 'inc.html'), '<p>{% include n %}</p>');
    writeFileSync(join(dir, 'base.html'), 'L{% block b %}{% endblock %}');
    writeFileSync(join(dir, 'count.html'), '{% if depth > 0 %}{% set depth = depth - 1 %}{% include "count.html" %}{% endif %}.');
    const t = createTemplates({ dir, mode: 'production' });
    for (const [name, ctx] of [
      ['page.html', { layout: 'page.html' }],
      ['inc.html', { n: 'inc.html' }],
    ] as const) {
      const t0 = performance.now();
      // Before the bound: a stack overflow after about a fifth of a second, an error without a code.
      assert.throws(
        () => t.render(name, ctx),
        (e: unknown) => (e as { code?: string }).code === 'TEMPLATE_RUNTIME' && /nest more than 100/.test(String(e)),
        name,
      );
      assert.ok(performance.now() - t0 < 1000);
    }
    // Control: a layout named by a value, and includes nested 99 deep.
    assert.equal(t.render('page.html', { layout: 'base.html' }).toString(), 'Lx');
    assert.equal(t.render('count.html', { depth: 99 }).toString(), '.'.repeat(100));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
