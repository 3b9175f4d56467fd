// The cases the escaper fuzzer found (found.ts), judged in Chromium as the fuzzer judges:
// the value must do nothing its reference render does not do, and a benign value must read
// back. A row fails until the hole it shows is closed.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Judge } from './judge.js';
import { fixedCase } from './cases.js';
import { judgeCases } from './recheck.js';
import { FOUND } from './found.js';

let judge: Judge;
before(async () => {
  judge = await Judge.start();
});
after(async () => {
  await judge?.close();
});

describe('cases the escaper fuzzer found', () => {
  for (const row of FOUND) {
    test(row.id, async () => {
      const c = fixedCase({ ...row, template: row.template ?? '', ...(row.html === undefined ? {} : { html: row.html }) });
      const [findings] = await judgeCases(judge, [{ c, value: row.value }], row.read !== undefined, {});
      if (findings === null) return; // refused at compile time: closed that way
      assert.deepEqual(findings, [], `${row.id}: ${row.kind} (found as: ${row.saw})`);
    });
  }
});
