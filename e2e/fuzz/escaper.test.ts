// The escaper fuzzer's fixed-budget run in the browser suite: generated templates and
// values, each render judged in Chromium against a reference render (e2e/fuzz/run.ts).
// Two runs: a fixed seed, the same every time, and a new seed printed before it starts, so
// that any failure can be replayed:
//
//   FUZZ_ESCAPER_SEED=<seed> node scripts/run-tests.mjs e2e fuzz/escaper
//   npm run fuzz -- escaper --seed <seed> --minutes 5
//
// FUZZ_ESCAPER_CASES sets the templates per run (default 1500). A failure is printed shrunk,
// as a row for e2e/fuzz/found.ts.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { Judge } from './judge.js';
import { runEscaperFuzz, summary, type EscaperFuzzReport } from './run.js';
import { randomSeed } from './rng.js';

const CASES = Number(process.env.FUZZ_ESCAPER_CASES ?? 1500);
const FIXED_SEED = 0x5eed;

let judge: Judge;
before(async () => {
  judge = await Judge.start();
});
after(async () => {
  await judge?.close();
});

function check(r: EscaperFuzzReport): void {
  console.log(summary(r));
  // The run must have done its work: templates compiled, contexts reached, values read back.
  const refused = Object.values(r.refused).reduce((a, b) => a + b, 0);
  assert.ok(r.templates - refused > CASES / 2, `only ${r.templates - refused} of ${r.templates} templates compiled`);
  assert.ok(Object.keys(r.contexts).length > 30, `only ${Object.keys(r.contexts).length} escaper contexts reached`);
  assert.ok(r.fidelityChecks > CASES / 10, `only ${r.fidelityChecks} benign values read back`);
  assert.equal(r.dirtyReferences, 0, 'a reference render ran the canary: the grammar wrote a case that attacks itself');
  assert.deepEqual(
    r.failures.map((f) => `${f.kind}: ${f.row}`),
    [],
    `seed ${r.seed}: the escaper fuzzer found ${r.failures.length} failures (rows above, for e2e/fuzz/found.ts)`,
  );
}

test(`escaper fuzzer, fixed seed ${FIXED_SEED}`, { timeout: 30 * 60_000 }, async () => {
  check(
    await runEscaperFuzz({ seed: Number(process.env.FUZZ_ESCAPER_SEED ?? FIXED_SEED), cases: CASES, judge, maxShrinks: 4, shrinkMs: 10_000, log: console.log }),
  );
});

test('escaper fuzzer, a new seed', { timeout: 30 * 60_000, skip: process.env.FUZZ_ESCAPER_SEED !== undefined }, async () => {
  const seed = randomSeed();
  console.log(`escaper fuzzer seed ${seed} (replay: FUZZ_ESCAPER_SEED=${seed} node scripts/run-tests.mjs e2e fuzz/escaper)`);
  check(await runEscaperFuzz({ seed, cases: CASES, judge, maxShrinks: 4, shrinkMs: 10_000, log: console.log }));
});
