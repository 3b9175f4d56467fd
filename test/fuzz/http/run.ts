/**
 * The HTTP crash fuzzer: fast-check generates cases (a few connections, each with one to
 * three requests: requests.ts, headers.ts, bodies.ts) for the targets of an app that runs
 * in a child process (child.ts, app.ts), sends them over real sockets, and judges every
 * answer (judge.ts) and the process after every case: it must still run, with no
 * exception at the top, no event-loop stretch of `blockThresholdMs` (default 500 ms) or
 * more, no handler left running and no temporary file left behind.
 *
 * A failure is shrunk by fast-check and printed with its seed and path, and with each
 * connection's bytes ready to paste. Other failures with the same signature are not
 * reported twice; the run goes on looking for different ones until its budget is spent.
 *
 *   npm run fuzz -- http --minutes 10
 *   node --import tsx test/fuzz/http/run.ts --minutes 10 [--seed N]
 *   node --import tsx test/fuzz/http/run.ts --seed N --path P     # replay one case
 *
 * HTTP_FUZZ_DEBUG=1 prints how long each case took to send and to check.
 *
 * See docs/reliability.md#the-http-fuzzer.
 */
import { resolve } from 'node:path';
import fc from 'fast-check';
import { rawExchange, send } from '../../faults/net-helpers.js';
import { AppProcess, type Exit } from './app-process.js';
import { judgeExchange, type Finding } from './judge.js';
import { parseResponses } from './response-parser.js';
import { caseFor, exchangeText, type Credentials, type Exchange } from './requests.js';
import { textBytes, toJSExpression, type Text } from './text.js';

export interface HttpFuzzOptions {
  /** Time budget in minutes (default 1), unless `runs` is given. */
  minutes?: number;
  /** A fixed number of cases instead of a time budget (what `npm test` runs). */
  runs?: number;
  /** With `runs`: stop generating after this many seconds all the same (a slow machine). */
  maxSeconds?: number;
  /** fast-check seed (default: random, printed). */
  seed?: number;
  /** Replays the case at this fast-check path (with `seed`) instead of searching. */
  path?: string;
  log?: (line: string) => void;
  /** The app module child.ts serves (default test/fuzz/http/app.ts). */
  app?: string;
  /** Fuzz only the targets with these paths (say, a route under suspicion). */
  paths?: readonly string[];
  /** Pursue only failures of these kinds (the others are seen, and let pass). */
  kinds?: readonly Finding['kind'][];
  /** An event-loop stretch this long (ms of the main thread's CPU) is a failure. Default 500. */
  blockThresholdMs?: number;
  /** Stop at the first failure (default: with `runs`, yes; with `minutes`, no). */
  stopOnFirst?: boolean;
  /** Time allowed to shrink one failure, in seconds (default 120). */
  shrinkSeconds?: number;
}

export interface HttpFuzzFailure {
  kind: Finding['kind'];
  detail: string;
  signature: string;
  /** Replay with these (options `seed` and `path`, or `--seed` and `--path`). */
  seed: number;
  path: string;
  /**
   * The bytes of the connection that fails alone (else of each connection of the case), as
   * `Buffer.from(<expr>, 'latin1')` arguments, and how they were sent.
   */
  exchanges: { bytes: string; how: string }[];
  /** The whole report, as printed. */
  report: string;
}

export interface HttpFuzzResult {
  seed: number;
  cases: number;
  requests: number;
  seconds: number;
  requestsPerSecond: number;
  failures: HttpFuzzFailure[];
  /** Failures that depend on time and did not show again once shrunk (not in `failures`). */
  unconfirmed: HttpFuzzFailure[];
  statuses: Record<string, number>;
  errorCodes: Record<string, number>;
  /** The longest event-loop stretch seen in a case that passed. */
  maxBusyMs: number;
  /** Times the app process was started (1 + restarts after crashes and stuck loops). */
  starts: number;
}

/** Thrown by the property when the run's time is up. */
class BudgetSpent extends Error {}

interface CaseVerdict {
  findings: Finding[];
  requests: number;
}

const DEFAULT_APP = new URL('./app.ts', import.meta.url).pathname;
/** How long a client waits for an answer before it gives up (the app's timeouts are 3–4 s). */
const GIVE_UP_MS = 15_000;
/** A client with nothing more to send half-closes after the server is silent this long. */
const IDLE_END_MS = 600;
/** Findings that depend on time, checked twice. */
const TIMING = new Set<Finding['kind']>(['loop-blocked', 'no-answer', 'handler-stuck', 'cut-response', 'temp-file-left']);
/** The app process must answer the fuzzer's questions within this (its event loop is free). */
const UNRESPONSIVE_MS = 10_000;

/** Runs the HTTP fuzzer. See the file comment and docs/reliability.md. */
export async function runHttpFuzz(opts: HttpFuzzOptions = {}): Promise<HttpFuzzResult> {
  const log = opts.log ?? ((line: string) => console.log(line));
  const seed0 = opts.seed ?? (Date.now() ^ (Math.random() * 0x100000000)) | 0;
  const threshold = opts.blockThresholdMs ?? 500;
  const stopOnFirst = opts.stopOnFirst ?? opts.runs !== undefined;
  const started = Date.now();
  const deadline = started + (opts.runs !== undefined ? (opts.maxSeconds ?? Infinity) * 1000 : (opts.minutes ?? 1) * 60_000);
  const proc = new AppProcess(opts.app ?? DEFAULT_APP);
  const statuses: Record<string, number> = {};
  const errorCodes: Record<string, number> = {};
  const failures: HttpFuzzFailure[] = [];
  const unconfirmed: HttpFuzzFailure[] = [];
  const known = new Set<string>();
  let cases = 0;
  let requests = 0;
  let maxBusyMs = 0;
  try {
    await proc.ensure();
    const targets = (await proc.targets()).filter((t) => opts.paths === undefined || opts.paths.includes(t.path));
    if (targets.length === 0) throw new Error(`the app has no target among ${JSON.stringify(opts.paths)}`);
    const creds = await credentials(proc.port);
    log(`# http fuzz: ${targets.length} targets, seed ${seed0}, ${opts.runs !== undefined ? `${opts.runs} cases` : `${opts.minutes ?? 1} min`}`);

    /** Sends one case and judges it. `tally` counts it in the run's figures. */
    const runCase = async (exchanges: Exchange[], tally: boolean): Promise<CaseVerdict> => {
      await proc.ensure();
      // What the last case left running (a request pipelined behind a response that closed
      // the connection is still handled) is not this case's: wait for it, and start afresh.
      await proc.stats(true, UNRESPONSIVE_MS).catch(() => undefined);
      const port = proc.port;
      const sent = exchanges.map((e) => ({ e, ...exchangeText(e, creds) }));
      const t0 = Date.now();
      const times: number[] = [];
      const outcomes = await Promise.all(
        sent.map(({ e, text, methods }, i) => exchange(port, e, text, methods).then((r) => ((times[i] = Date.now() - t0), r))),
      );
      const t1 = Date.now();
      const findings: Finding[] = [];
      let n = 0;
      for (let i = 0; i < outcomes.length; i++) {
        const v = judgeExchange({ methods: sent[i]!.methods, finish: exchanges[i]!.send.finish, result: outcomes[i]! });
        n += sent[i]!.methods.length;
        for (const f of v.findings) findings.push({ ...f, detail: `connection ${i + 1}: ${f.detail}` });
        if (tally) {
          for (const s of v.statuses) statuses[s] = (statuses[s] ?? 0) + 1;
          for (const c of v.codes) errorCodes[c] = (errorCodes[c] ?? 0) + 1;
        }
      }
      const after = await checkProcess(proc, threshold);
      if (process.env.HTTP_FUZZ_DEBUG)
        log(
          `# case: send ${t1 - t0} ms, check ${Date.now() - t1} ms; ${outcomes.map((o, i) => `${o.complete ? 'complete' : o.halfClosed ? 'half-closed' : o.gaveUp ? 'gave up' : 'closed'} ${times[i]} ms`).join(', ')}`,
        );
      if (after.busyMs !== undefined && tally && after.findings.length === 0) maxBusyMs = Math.max(maxBusyMs, after.busyMs);
      // A crash or a stuck loop explains whatever the connections saw: report it alone.
      const worst = after.findings.filter((f) => f.kind === 'crash' || f.kind === 'loop-blocked');
      return { findings: worst.length > 0 ? worst : [...after.findings, ...findings], requests: n };
    };

    let focus: string | undefined;
    let last: { value: Exchange[]; findings: Finding[] } | undefined;
    // The budget is kept here, not by fast-check's interruptAfterTimeLimit: that one leaves
    // the running case going in the background, where it would meet the next one.
    let phaseEnd = deadline;
    const property = fc.asyncProperty(caseFor(targets), async (exchanges) => {
      if (Date.now() > phaseEnd && opts.path === undefined) {
        if (focus === undefined) throw new BudgetSpent();
        return; // shrinking is over: every smaller case passes
      }
      const tally = focus === undefined;
      let v = await runCase(exchanges, tally);
      if (tally) {
        cases++;
        requests += v.requests;
      }
      // What depends on time (a stretch just over the line, an answer that came late) may be
      // the machine's load, not the app: it counts only if the case shows it again, while
      // searching and while shrinking (else noise could lead the shrinking astray).
      const timed = (f: Finding) =>
        TIMING.has(f.kind) && (focus === undefined ? !known.has(f.signature) && (opts.kinds?.includes(f.kind) ?? true) : f.signature === focus);
      if (v.findings.some(timed) && !v.findings.some((f) => f.kind === 'crash')) {
        const again = await runCase(exchanges, false);
        const kinds = new Set(again.findings.map((f) => f.kind));
        // A crash the second time (two failures in one case, racing) says nothing about the first.
        const dropped = kinds.has('crash') ? [] : v.findings.filter((f) => timed(f) && !kinds.has(f.kind));
        if (dropped.length > 0) log(`# not seen again, so not counted: ${dropped.map((f) => f.detail).join('; ')}`);
        v = { ...v, findings: v.findings.filter((f) => !dropped.includes(f)) };
      }
      const counted = v.findings.filter((f) =>
        focus === undefined ? !known.has(f.signature) && (opts.kinds?.includes(f.kind) ?? true) : f.signature === focus,
      );
      if (counted.length > 0) {
        last = { value: exchanges, findings: counted };
        throw new Error(counted.map((f) => `${f.kind}: ${f.detail}`).join('\n'));
      }
    });

    let seed = seed0;
    for (let round = 0; opts.path !== undefined || (Date.now() < deadline && (opts.runs === undefined || cases < opts.runs)); round++) {
      focus = undefined;
      last = undefined;
      phaseEnd = deadline;
      const search = await fc.check(property, {
        seed,
        path: opts.path,
        // (With `runs`, the cases of earlier rounds count.)
        numRuns: opts.path !== undefined ? 1 : opts.runs !== undefined ? opts.runs - cases : 1e9,
        endOnFailure: true,
      });
      if (!search.failed || last === undefined) break;
      const found = last as { value: Exchange[]; findings: Finding[] };
      focus = found.findings[0]!.signature;
      log(`# found ${focus} at case ${search.numRuns}; shrinking`);
      phaseEnd = Date.now() + (opts.shrinkSeconds ?? 120) * 1000;
      const shrink = await fc.check(property, { seed, path: search.counterexamplePath ?? undefined });
      const best = (last ?? found) as { value: Exchange[]; findings: Finding[] };
      const path = shrink.counterexamplePath ?? search.counterexamplePath ?? '';
      // fast-check drops connections from the front of a case, and cannot drop the first of
      // pipelined requests: try each connection alone, then each of its requests.
      const failsAlone = async (e: Exchange) => {
        const v = await runCase([e], false);
        if (process.env.HTTP_FUZZ_DEBUG) log(`# alone: ${v.findings.map((f) => f.detail).join('; ') || 'passed'}`);
        return v.findings.some((f) => f.signature === focus);
      };
      const timing = TIMING.has(best.findings[0]!.kind);
      const alone = await isolate(best.value, async (e) => (await failsAlone(e)) && (!timing || (await failsAlone(e))));
      // A failure that depends on time must show once more in the shrunk case (the one
      // connection found alone has just shown it); else it is reported apart, as unconfirmed.
      const confirmed = !timing || alone !== undefined || (await runCase(best.value, false)).findings.some((f) => f.signature === focus);
      const replay = [
        `node --import tsx test/fuzz/http/run.ts --seed ${seed} --path ${path}`,
        ...(opts.app === undefined ? [] : [`--app ${opts.app}`]),
        ...(opts.paths === undefined ? [] : [`--paths ${opts.paths.join(',')}`]),
      ].join(' ');
      const failure = describe(best.value, alone, best.findings, seed, path, replay, creds, proc.port);
      known.add(focus);
      if (confirmed) {
        failures.push(failure);
        log(failure.report);
      } else {
        unconfirmed.push(failure);
        log(`# not counted: the shrunk case did not fail again (it may depend on the machine's load)\n${failure.report}`);
      }
      if ((confirmed && stopOnFirst) || opts.path !== undefined) break;
      seed = (seed + 0x9e3779b9 * (round + 1)) | 0;
    }
    const seconds = (Date.now() - started) / 1000;
    return {
      seed: seed0,
      cases,
      requests,
      seconds,
      requestsPerSecond: Math.round((requests / seconds) * 10) / 10,
      failures,
      unconfirmed,
      statuses,
      errorCodes,
      maxBusyMs: Math.round(maxBusyMs),
      starts: proc.starts,
    };
  } finally {
    await proc.close();
  }
}

/** A session cookie and a CSRF token that belongs to it, from the app's /csrf route. */
async function credentials(port: number): Promise<Credentials> {
  try {
    const r = await send(port, 'GET', '/csrf', { headers: { host: '127.0.0.1', accept: 'application/json' } });
    const cookie = [r.headers['set-cookie'] ?? []].flat()[0]?.split(';')[0];
    const token = (JSON.parse(r.body) as { token?: string }).token;
    if (cookie !== undefined && token !== undefined) return { sessionCookie: cookie, csrfToken: token };
  } catch {
    // An app without /csrf: requests carry stand-ins that are simply wrong.
  }
  return { sessionCookie: 'session=none', csrfToken: 'none' };
}

/** Sends one exchange as its plan says and collects what came back. */
function exchange(port: number, e: Exchange, text: Text, methods: string[]) {
  const bytes = textBytes(text);
  const cuts = [...new Set(e.send.cuts.map((c) => Math.floor(c * bytes.length)))].filter((c) => c > 0 && c < bytes.length).sort((a, b) => a - b);
  const chunks = [...cuts, bytes.length].map((to, i, all) => bytes.subarray(i === 0 ? 0 : all[i - 1]!, to));
  const expected = Math.max(1, methods.length);
  return rawExchange(port, chunks, {
    gapMs: e.send.gapMs,
    end: e.send.finish === 'half-close',
    destroyAfterWrite: e.send.finish === 'abort',
    giveUpMs: GIVE_UP_MS,
    idleEndMs: e.send.finish === 'wait' ? IDLE_END_MS : undefined,
    until: (data) => {
      const p = parseResponses(data, methods, false);
      return p.error === null && p.partial === null && p.finals >= expected;
    },
  });
}

/**
 * The smallest part of a failing case that fails on its own, if one does: one connection
 * (sent plainly, in one write and waited on, when that still fails), then one request of it.
 */
async function isolate(value: Exchange[], fails: (e: Exchange) => Promise<boolean>): Promise<Exchange | undefined> {
  const plain = (e: Exchange): Exchange => ({ ...e, send: { cuts: [], gapMs: 0, finish: 'wait' } });
  const isPlain = (e: Exchange) => e.send.cuts.length === 0 && e.send.gapMs === 0 && e.send.finish === 'wait';
  const firstFailing = async (es: Exchange[]): Promise<Exchange | undefined> => {
    for (const e of es) for (const v of isPlain(e) ? [e] : [plain(e), e]) if (await fails(v)) return v;
    return undefined;
  };
  const found = await firstFailing(value);
  if (found === undefined || found.requests.length < 2) return found;
  return (await firstFailing(found.requests.map((r) => ({ ...found, requests: [r] })))) ?? found;
}

/** After a case: the process is up, its loop was not held, its handlers ended, no file is left. */
async function checkProcess(proc: AppProcess, threshold: number): Promise<{ findings: Finding[]; busyMs?: number }> {
  let stats;
  try {
    stats = await proc.stats(true, UNRESPONSIVE_MS);
  } catch (err) {
    const exit = await proc.waitExit(2000);
    if (exit !== undefined) return { findings: [crashFinding(exit)] };
    await proc.kill();
    const detail = `the app process did not answer (${(err as Error).message}): its event loop is stuck; killed`;
    return { findings: [{ kind: 'loop-blocked', detail, signature: 'loop-blocked' }] };
  }
  const findings: Finding[] = [];
  let busy = stats.maxBusyMs;
  // Handlers still running: give them the app's handler timeout to end. (Responses node
  // leaves open are not counted: after a request it cannot parse, node frees the pipelined
  // responses behind it with the socket, without closing them.)
  const until = Date.now() + 6000;
  while (stats.handlersPending > 0 && Date.now() < until) {
    await new Promise((r) => setTimeout(r, 20));
    stats = await proc.stats(true, UNRESPONSIVE_MS).catch(() => stats!);
    busy = Math.max(busy, stats.maxBusyMs);
  }
  if (!proc.alive) return { findings: [crashFinding((await proc.waitExit(2000))!)] };
  if (stats.handlersPending > 0) {
    findings.push({ kind: 'handler-stuck', detail: `${stats.handlersPending} handlers still running 6 s after the case`, signature: 'handler-stuck' });
  }
  if (busy >= threshold) {
    findings.push({
      kind: 'loop-blocked',
      detail: `the event loop was busy for ${Math.round(busy)} ms at a stretch (the limit is ${threshold} ms)`,
      signature: 'loop-blocked',
    });
  }
  // Temporary files are deleted as a request ends; give that 1.5 s.
  let left = proc.leftovers();
  for (let i = 0; left.length > 0 && i < 75; i++) {
    await new Promise((r) => setTimeout(r, 20));
    left = proc.leftovers();
  }
  if (left.length > 0) {
    findings.push({ kind: 'temp-file-left', detail: `temporary files left: ${left.slice(0, 3).join(', ')}`, signature: 'temp-file-left' });
    proc.clearLeftovers(); // else every case after this one would fail too
  }
  return { findings, busyMs: busy };
}

function crashFinding(exit: Exit): Finding {
  const c = exit.crash;
  const frame =
    c?.stack
      ?.split('\n')
      .find((l) => l.includes('/src/'))
      ?.trim()
      .replace(/^at .*?\(?(\/.*\/src\/)/, 'src/')
      .replace(/\)$/, '') ?? '';
  const what = c === undefined ? `exit code ${exit.code} signal ${exit.signal}` : `${c.origin}: ${c.name}${c.code ? ` [${c.code}]` : ''}: ${c.message}`;
  const stack = c?.stack?.split('\n').slice(1, 6).join('\n') ?? exit.stderr.slice(-800);
  // The same throw for another header is another way in: the header's name is part of the
  // signature (the fixture's x-echo-<name> headers count as one).
  const header = /\["([\s\S]*)"\]$/.exec(c?.message ?? '')?.[1]?.replace(/^x-echo[\s\S]*/, 'x-echo…');
  return { kind: 'crash', detail: `the app process died. ${what}\n${stack}`, signature: `crash:${c?.code ?? c?.name ?? exit.code}:${header ?? ''}:${frame}` };
}

/**
 * The report of a failure: what broke, the seed and path that replay the case, and the
 * bytes of each connection (of the one that fails `alone`, when one does).
 */
function describe(
  value: Exchange[],
  alone: Exchange | undefined,
  findings: Finding[],
  seed: number,
  path: string,
  replay: string,
  creds: Credentials,
  port: number,
): HttpFuzzFailure {
  const shown = alone === undefined ? value : [alone];
  const exchanges = shown.map((e) => {
    const { text } = exchangeText(e, creds);
    const how = [
      ...(e.corpus === null ? [] : [`(request ${e.corpus} of test/faults/malformed.ts)`]),
      e.send.cuts.length > 0 ? `in ${e.send.cuts.length + 1} pieces ${e.send.gapMs} ms apart` : 'in one write',
      e.send.finish === 'wait'
        ? `then waited (half-closed after ${IDLE_END_MS} ms of silence)`
        : e.send.finish === 'half-close'
          ? 'then half-closed'
          : 'then dropped the connection',
    ].join(', ');
    return { bytes: toJSExpression(text), how };
  });
  const f = findings[0]!;
  const lines = [
    `HTTP fuzz failure: ${f.kind}`,
    ...findings.map((x) => `  ${x.detail.replaceAll('\n', '\n  ')}`),
    `  seed ${seed}, path ${path}`,
    `  replay: ${replay}${value.length > 1 ? ` (its ${value.length} connections)` : ''}`,
    ...exchanges.flatMap((x, i) => [
      alone !== undefined ? `  this connection alone does it, sent ${x.how}:` : `  connection ${i + 1} of ${exchanges.length}, sent ${x.how}:`,
      `    Buffer.from(${x.bytes}, 'latin1')`,
      `    node -e 'const s=require("net").connect(${port},"127.0.0.1",()=>s.end(Buffer.from(${x.bytes},"latin1")));s.pipe(process.stdout)'`,
    ]),
  ];
  return { kind: f.kind, detail: f.detail, signature: f.signature, seed, path, exchanges, report: lines.join('\n') };
}

/** Figures of a run, for people. */
export function summary(r: HttpFuzzResult): string {
  const top = (m: Record<string, number>) =>
    Object.entries(m)
      .sort((a, b) => b[1] - a[1])
      .map(([k, n]) => `${k}×${n}`)
      .join(' ');
  return [
    `# http fuzz: ${r.requests} requests in ${r.cases} cases, ${r.seconds.toFixed(1)} s (${r.requestsPerSecond} requests/s), seed ${r.seed}, app started ${r.starts}×`,
    `# statuses: ${top(r.statuses)}`,
    `# error codes: ${top(r.errorCodes)}`,
    `# longest event-loop stretch in a passing case: ${r.maxBusyMs} ms`,
    `# failures: ${r.failures.length === 0 ? 'none' : r.failures.map((f) => f.signature).join(', ')}`,
    ...(r.unconfirmed.length === 0 ? [] : [`# seen once, not confirmed: ${r.unconfirmed.map((f) => f.signature).join(', ')}`]),
  ].join('\n');
}

// Run directly: node --import tsx test/fuzz/http/run.ts [--minutes N] [--runs N] [--seed N] [--path P] [--app module] [--paths /a,/b]
if (process.argv[1] !== undefined && import.meta.url === new URL(`file://${process.argv[1]}`).href) {
  const arg = (name: string) => {
    const i = process.argv.indexOf(`--${name}`);
    return i === -1 ? undefined : process.argv[i + 1];
  };
  const num = (name: string) => (arg(name) === undefined ? undefined : Number(arg(name)));
  const app = arg('app');
  const r = await runHttpFuzz({
    minutes: num('minutes'),
    runs: num('runs'),
    seed: num('seed'),
    path: arg('path'),
    app: app === undefined ? undefined : resolve(app),
    paths: arg('paths')?.split(','),
  });
  console.log(summary(r));
  process.exitCode = r.failures.length > 0 ? 1 : 0;
}
