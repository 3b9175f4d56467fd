// The escaper fuzzer must be able to fail: fed a broken escaper, it has to find a failure,
// and quickly. Three breaks: escaping switched off (the compile option the control suite
// uses), an attribute escaper that forgets `'`, and a URL filter that only refuses
// `javascript:` written in lower case at the very start.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { ESCAPERS } from '../../src/templates/hole-escapers.js';
import { escapeHTML } from '../../src/escape/html.js';
import { Judge } from './judge.js';
import { runEscaperFuzz } from './run.js';
import { recheck } from './recheck.js';
import type { FuzzCase } from './cases.js';
import type { FailureKind } from './verdict.js';

let judge: Judge;
before(async () => {
  judge = await Judge.start();
});
after(async () => {
  await judge?.close();
});

type Escaper = (v: unknown) => string;
/**
 * Runs `fn` with some of the template runtime's escapers replaced (templates compiled
 * meanwhile use them); `fn` gets functions that put the real ones back and the broken ones again.
 */
async function withEscapers<T>(swap: Record<string, Escaper>, fn: (restore: () => void, reapply: () => void) => Promise<T>): Promise<T> {
  const table = ESCAPERS as Record<string, Escaper>;
  const saved = Object.fromEntries(Object.keys(swap).map((k) => [k, table[k]!]));
  const restore = (): void => void Object.assign(table, saved);
  const reapply = (): void => void Object.assign(table, swap);
  reapply();
  try {
    return await fn(restore, reapply);
  } finally {
    restore();
  }
}

const str = (v: unknown): string => (v == null ? '' : String(v));

/** New only if the real escaper, with escaping on, does not fail the same way on the case. */
const realEscaperPasses =
  (restore: () => void, reapply: () => void) =>
  async (c: FuzzCase, v: string, benign: boolean, kind: FailureKind): Promise<boolean> => {
    restore();
    try {
      return (await recheck(judge, c, v, benign, kind, {})) === null;
    } finally {
      reapply();
    }
  };

test('escaping switched off: found within 60 templates', async () => {
  const r = await runEscaperFuzz({
    seed: 1,
    cases: 60,
    judge,
    render: { unsafeDisableEscaping: true },
    engines: ['template'],
    stopAfter: 1,
    fidelity: false,
    shrinkMs: 20_000,
    isNew: realEscaperPasses(
      () => {},
      () => {},
    ),
  });
  const f = r.failures.find((x) => x.kind !== 'fidelity');
  assert.ok(f, 'no failure found with escaping off');
  console.log(`found after ${r.templates} templates: ${f.row}`);
  // The shrunk case is small enough to read.
  assert.ok(f.shrunk !== null && f.shrunk.case.main.length + f.shrunk.value.length < 200, `not shrunk: ${f.row}`);
});

test('an attribute escaper that forgets single quotes: found', async () => {
  const attr: Escaper = (v) => escapeHTML(str(v)).replace(/&#39;/g, "'");
  const r = await withEscapers({ attr }, (restore, reapply) =>
    runEscaperFuzz({
      seed: 2,
      cases: 1500,
      judge,
      stopAfter: 1,
      fidelity: false,
      shrink: false,
      engines: ['template'],
      isNew: realEscaperPasses(restore, reapply),
    }),
  );
  const f = r.failures.find((x) => x.kind !== 'fidelity');
  assert.ok(f, `no failure found in ${r.templates} templates`);
  console.log(`found after ${r.templates} templates: ${f.kind}: ${f.row}`);
});

test('a URL filter fooled by case, white space and entities: found', async () => {
  const naive = (s: string): string => (s.startsWith('javascript:') ? 'about:invalid#x' : s);
  const url: Escaper = (v) => naive(str(v));
  const urlAttr: Escaper = (v) => escapeHTML(naive(str(v)));
  const r = await withEscapers({ url, urlAttr }, (restore, reapply) =>
    runEscaperFuzz({
      seed: 3,
      cases: 1500,
      judge,
      stopAfter: 1,
      fidelity: false,
      shrink: false,
      engines: ['template'],
      isNew: realEscaperPasses(restore, reapply),
    }),
  );
  const f = r.failures.find((x) => x.kind !== 'fidelity');
  assert.ok(f, `no failure found in ${r.templates} templates`);
  console.log(`found after ${r.templates} templates: ${f.kind}: ${f.row}`);
});
