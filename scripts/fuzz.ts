/**
 * `npm run fuzz`: the long runs of Palisade's two fuzzers, the escaper fuzzer (templates
 * judged in Chromium, e2e/fuzz/run.ts) and the HTTP crash fuzzer (requests over real
 * sockets, test/fuzz/http/run.ts). Without a name both run, one after the other, each for
 * the given time.
 *
 *   npm run fuzz -- --minutes 10                 # both, 10 minutes each
 *   npm run fuzz -- escaper --minutes 30 [--seed N] [--cases N] [--no-shrink]
 *   npm run fuzz -- http --minutes 10 [--seed N]
 *
 * Exit code 1 when a fuzzer found a failure (or is missing when named). See
 * docs/security-model.md#how-it-is-tested and docs/reliability.md.
 */
import { existsSync } from 'node:fs';
import { randomSeed } from '../e2e/fuzz/rng.js';

const args = process.argv.slice(2);
const which = args[0] !== undefined && !args[0].startsWith('--') ? args.shift()! : 'both';

function option(name: string): string | undefined {
  const i = args.indexOf(`--${name}`);
  return i === -1 ? undefined : args[i + 1];
}
function numberOption(name: string): number | undefined {
  const v = option(name);
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n)) {
    console.error(`--${name} needs a number, got ${JSON.stringify(v)}`);
    process.exit(2);
  }
  return n;
}

if (!['both', 'escaper', 'http'].includes(which)) {
  console.error(`unknown fuzzer "${which}": use escaper, http, or no name for both`);
  process.exit(2);
}
const minutes = numberOption('minutes') ?? 1;
const seed = numberOption('seed');
const log = (line: string): void => console.log(line);

async function escaper(): Promise<boolean> {
  const { runEscaperFuzz, summary } = await import('../e2e/fuzz/run.js');
  const s = seed ?? randomSeed();
  console.log(`escaper fuzzer: seed ${s}, ${minutes} min (replay: npm run fuzz -- escaper --seed ${s} --minutes ${minutes})`);
  const cases = numberOption('cases');
  // Shrinking costs judge time: at most 15 s per failure and 25 failures, so a long run keeps searching.
  const r = await runEscaperFuzz({
    seed: s,
    minutes,
    ...(cases === undefined ? {} : { cases }),
    shrink: !args.includes('--no-shrink'),
    shrinkMs: 15_000,
    maxShrinks: 25,
    log,
  });
  console.log(summary(r));
  return r.failures.length === 0;
}

/** What this script reads of the HTTP fuzzer's result. */
interface HttpResult {
  seed: number;
  cases: number;
  requests: number;
  seconds: number;
  failures: { report?: string; kind?: string; detail?: string }[];
}

const HTTP_FUZZER = new URL('../test/fuzz/http/run.ts', import.meta.url);

async function http(): Promise<boolean | null> {
  if (!existsSync(HTTP_FUZZER)) {
    console.log('http fuzzer: test/fuzz/http/run.ts is not there yet (it will export runHttpFuzz({ minutes, seed, log })); skipped.');
    return null;
  }
  // Imported by URL, lazily: the escaper fuzzer runs without it.
  const mod = (await import(HTTP_FUZZER.href)) as { runHttpFuzz?: (o: object) => Promise<HttpResult> };
  if (typeof mod.runHttpFuzz !== 'function') {
    console.log('http fuzzer: test/fuzz/http/run.ts does not export runHttpFuzz yet; skipped.');
    return null;
  }
  console.log(`http fuzzer: ${minutes} min${seed === undefined ? '' : `, seed ${seed}`}`);
  const r = await mod.runHttpFuzz({ minutes, ...(seed === undefined ? {} : { seed }), log });
  console.log(`http fuzzer: seed ${r.seed}, ${r.cases} cases, ${r.requests} requests in ${Math.round(r.seconds)} s, ${r.failures.length} failures`);
  for (const f of r.failures) console.log(f.report ?? `${f.kind}: ${f.detail}`);
  return r.failures.length === 0;
}

let ok = true;
if (which === 'escaper' || which === 'both') ok = (await escaper()) && ok;
if (which === 'http' || which === 'both') {
  const r = await http();
  if (r === null && which === 'http') ok = false;
  if (r === false) ok = false;
}
process.exit(ok ? 0 : 1);
