/**
 * For the finds-*.test.ts files: runs the HTTP fuzzer against one broken route of
 * broken-app.ts, pursuing failures of one kind (the framework's own, if any, are another
 * test's business), and checks that it found one and shrank it.
 */
import assert from 'node:assert/strict';
import type { FailureKind } from './judge.js';
import { runHttpFuzz, summary, type HttpFuzzFailure } from './run.js';

export const BROKEN = new URL('./broken-app.ts', import.meta.url).pathname;

export async function findIn(path: string, kind: FailureKind): Promise<HttpFuzzFailure> {
  const lines: string[] = [];
  const r = await runHttpFuzz({ app: BROKEN, paths: [path], kinds: [kind], runs: 300, maxSeconds: 60, seed: 19, shrinkSeconds: 15, log: (l) => lines.push(l) });
  console.log(summary(r));
  assert.equal(r.failures.length, 1, `no failure found on ${path}:\n${lines.join('\n')}`);
  const f = r.failures[0]!;
  console.log(
    f.report
      .split('\n')
      .filter((l) => !l.includes("node -e '"))
      .map((l) => `# ${l}`)
      .join('\n'),
  );
  assert.equal(f.kind, kind);
  // Shrinking has a time budget, and a loaded machine may leave a connection or two more.
  assert.ok(f.exchanges.length <= 2, `shrunk to ${f.exchanges.length} connections`);
  assert.ok(
    f.exchanges.some((e) => e.bytes.includes(path)),
    f.report,
  );
  return f;
}
