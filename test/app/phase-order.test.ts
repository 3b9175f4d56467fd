import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createApp } from '../../src/index.js';
import { formatPhases } from '../../src/cli/routes.js';
import { orderProtections } from '../../src/app/phase-order.js';
import { CHECK_PHASES, FINISH_PHASES, type Protection } from '../../src/app/protection.js';
import { PROTECTIONS } from '../../src/util/symbols.js';

const noop = (): undefined => undefined;

test('the phases of a default app are the ones docs/architecture.md shows', () => {
  const docs = readFileSync(new URL('../../docs/architecture.md', import.meta.url), 'utf8');
  const block = /## Protection phases[\s\S]*?```text\n([\s\S]*?)```/.exec(docs);
  assert.ok(block, 'docs/architecture.md has a text block under "Protection phases"');
  assert.equal(formatPhases(createApp({ env: 'test', logger: false })[PROTECTIONS]), block[1]);
});

test('forms is one protection: its check after CSRF, its finish before the session is written', () => {
  const all = createApp({ env: 'test', logger: false })[PROTECTIONS];
  const forms = all.filter((p) => p.name === 'forms' || p.name === 'flash');
  assert.deepEqual(
    forms.map((p) => p.name),
    ['forms'],
  );
  const order = orderProtections(all);
  const checks = order.check.map((p) => p.name);
  const finishes = order.finish.map((p) => p.name);
  assert.ok(checks.indexOf('csrf') < checks.indexOf('forms') && checks.indexOf('forms') < checks.indexOf('login'));
  assert.ok(finishes.indexOf('forms') < finishes.indexOf('session'));
  assert.deepEqual([finishes[0], finishes[1], finishes.at(-1)], ['html-guard', 'open-redirect', 'response-basics']);
});

test('the order comes from the phases, not from the order of the list', () => {
  const all = createApp({ env: 'test', logger: false })[PROTECTIONS];
  const names = (ps: readonly Protection[]) => ps.map((p) => p.name);
  const once = orderProtections(all);
  const reversed = orderProtections([...all].reverse());
  for (const step of ['begin', 'check', 'finish'] as const) assert.deepEqual(names(reversed[step]), names(once[step]), step);
  // Each step's protections are in phase order.
  const rank = (phases: readonly string[], step: 'check' | 'finish') => once[step].map((p) => phases.indexOf(p.phases[step]!));
  for (const [phases, step] of [
    [CHECK_PHASES, 'check'],
    [FINISH_PHASES, 'finish'],
  ] as const) {
    const r = rank(phases, step);
    assert.ok(
      r.every((x, i) => x >= 0 && (i === 0 || x >= r[i - 1]!)),
      `${step}: ${r.join(',')}`,
    );
  }
});

test('a declaration that cannot be followed is an error that names the protection and the fix', () => {
  const cases: [string, Protection[], RegExp][] = [
    [
      'unknown check phase',
      [{ name: 'probe', phases: { check: 'later' as never }, check: noop }],
      /"probe" runs its check in the phase "later", which is not a check phase; the check phases are, in order: host, preflight/,
    ],
    [
      'a finish phase given to check',
      [{ name: 'probe', phases: { check: 'compress' as never }, check: noop }],
      /"probe" runs its check in the phase "compress"/,
    ],
    [
      'unknown phase for a step it leaves out',
      [{ name: 'probe', phases: { finish: 'afterwards' as never } }],
      /"probe" runs its finish in the phase "afterwards"/,
    ],
    [
      'a step with no phase',
      [{ name: 'probe', phases: {}, finish: noop }],
      /"probe" has a finish step but no phase for it: give it phases: \{ finish: '…' \}, one of guard, cleanup/,
    ],
    [
      'two with one name',
      [
        { name: 'probe', phases: { check: 'host' }, check: noop },
        { name: 'probe', phases: { check: 'csrf' }, check: noop },
      ],
      /Two protections are named "probe"/,
    ],
  ];
  for (const [what, list, message] of cases) assert.throws(() => orderProtections(list), message, what);
});

test('protections that share a phase run in the order of their names', () => {
  const p = (name: string): Protection => ({ name, phases: { finish: 'route-headers' }, finish: noop });
  assert.deepEqual(
    orderProtections([p('zeta'), p('alpha'), p('mid')]).finish.map((x) => x.name),
    ['alpha', 'mid', 'zeta'],
  );
});
