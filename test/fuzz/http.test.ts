// The HTTP crash fuzzer's fixed-budget run (test/fuzz/http/run.ts): generated requests
// over real sockets against an app that uses every feature (test/fuzz/http/app.ts), in a
// child process. No request may crash the process, hold its event loop for 500 ms, get a
// 5xx the handler did not mean, a malformed or cut response, or leave a temporary file.
//
// The seed is fixed (FUZZ_SEED, test/fuzz/fuzz-options.ts); HTTP_FUZZ_RUNS changes the
// number of cases. Longer hunts: `npm run fuzz -- http --minutes 10`. See
// docs/reliability.md#the-http-fuzzer.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FUZZ_SEED } from './fuzz-options.js';
import { runHttpFuzz, summary } from './http/run.js';

const RUNS = Number(process.env.HTTP_FUZZ_RUNS ?? 400);

// (At most 45 s of cases and 35 s of shrinking: the test runner gives a file 120 s.)
test(`the HTTP fuzzer: ${RUNS} cases (at most 45 s) against the fixture app`, async () => {
  const r = await runHttpFuzz({ runs: RUNS, maxSeconds: 45, seed: FUZZ_SEED, shrinkSeconds: 35, log: () => {} });
  console.log(summary(r));
  assert.ok(r.requests > 0, 'requests were sent');
  assert.equal(r.failures.length, 0, `\n${r.failures.map((f) => f.report).join('\n\n')}\n`);
});
