/**
 * The child-process entry of the HTTP fuzzer: loads the app module named by
 * HTTP_FUZZ_APP (it exports `app`, and may export `extraTargets`), serves it on a free
 * port, prints the port on the first line of stdout (test/faults/net-helpers.ts
 * startChild), and answers the fuzzer over IPC:
 *
 * - `{ t: 'targets' }` → the app's targets (targets.ts);
 * - `{ t: 'stats', reset }` → the longest stretch the event loop was kept busy since the
 *   last reset, and the handlers still running.
 *
 * An exception that reaches the top is written to stderr behind CRASH_MARK before node's
 * default handling ends the process, so the fuzzer sees what crashed it.
 */
import { existsSync, readFileSync, writeSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { App } from '../../../src/index.js';
import { counters, CRASH_MARK } from './monitor.js';
import { targetsOf, type Target } from './targets.js';

process.on('uncaughtExceptionMonitor', (err: unknown, origin) => {
  const e = err as { name?: string; code?: string; message?: string; stack?: string } | null;
  writeSync(2, `${CRASH_MARK}${JSON.stringify({ origin, name: e?.name, code: e?.code, message: String(e?.message ?? err), stack: e?.stack })}\n`);
});

const mod = (await import(pathToFileURL(resolve(process.env.HTTP_FUZZ_APP ?? 'test/fuzz/http/app.ts')).href)) as { app: App; extraTargets?: Target[] };
const running = await mod.app.listen({ port: 0, handleSignals: false });

// The event loop's longest busy stretch: the gap between two ticks of a 10 ms timer,
// counted only as far as the main thread used the CPU in it. A gap the OS scheduler made
// on a loaded machine is not the app's doing, nor is CPU that the garbage collector's and
// compiler's own threads used meanwhile (process.cpuUsage counts them).
const TICK_MS = 10;
const THREAD_STAT = `/proc/self/task/${process.pid}/stat`;
const threadCpu = (process as { threadCpuUsage?: () => NodeJS.CpuUsage }).threadCpuUsage;
/** CPU time of the main thread, in ms (the whole process's where the OS cannot say). */
function mainThreadCpuMs(): number {
  if (threadCpu !== undefined) {
    const u = threadCpu.call(process);
    return (u.user + u.system) / 1000;
  }
  if (existsSync(THREAD_STAT)) {
    // proc(5): utime and stime, fields 14 and 15, in clock ticks (100 a second on Linux).
    const fields = readFileSync(THREAD_STAT, 'latin1').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  }
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}
let last = performance.now();
let lastCpu = mainThreadCpuMs();
let maxBusyMs = 0;
let maxGapMs = 0;
function tick(): void {
  const now = performance.now();
  const cpu = mainThreadCpuMs();
  const gap = now - last - TICK_MS;
  const busy = Math.min(gap, cpu - lastCpu);
  if (gap > maxGapMs) maxGapMs = gap;
  if (busy > maxBusyMs) maxBusyMs = busy;
  last = now;
  lastCpu = cpu;
}
setInterval(tick, TICK_MS);

process.on('message', (m: { id: number; t: string; reset?: boolean }) => {
  if (m.t === 'targets') process.send!({ id: m.id, targets: targetsOf(mod.app, mod.extraTargets ?? []) });
  else if (m.t === 'stats') {
    tick(); // a busy stretch that just ended, before the timer has seen it
    process.send!({ id: m.id, maxBusyMs, maxGapMs, handlersPending: counters.handlersPending, handled: counters.handled });
    if (m.reset) maxBusyMs = maxGapMs = 0;
  }
});

// The fuzzer went away (stopped, killed): so does its app.
process.on('disconnect', () => process.exit(0));

writeSync(1, `${running.port}\n`);
