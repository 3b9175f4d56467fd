/**
 * `palisade routes [app.ts]`: every route with its method, path, name and the protections
 * that guard it (switched-off ones shown as `-name`), then the phases the protections'
 * steps run in.
 *
 * ```text
 * METHOD  PATH        NAME    PROTECTIONS
 * GET     /           index   hosts session headers
 * POST    /webhook    hook    hosts session -csrf headers
 * WS      /chat               hosts session csrf headers
 *
 * PHASES
 * begin   values: headers
 * check   host: hosts → session: session → csrf: csrf
 * finish  guard: html-guard, open-redirect → session: session → headers: headers → basics: response-basics
 * ```
 * See docs/deployment.md#the-palisade-command.
 */
import { parseArgs } from 'node:util';
import type { App } from '../create-app.js';
import type { Protection } from '../app/protection.js';
import type { MountedRoute } from '../app/route-table.js';
import { describePhases } from '../app/phase-order.js';
import { CliError, loadApp, resolveAppFile } from './load-app.js';
import { PROTECTIONS } from '../util/symbols.js';

/** One line of the routes table. */
export interface RouteRow {
  readonly method: string;
  readonly path: string;
  readonly name: string;
  /** Protection names in the order they run; `-name` when the route switches one off. */
  readonly protections: readonly string[];
  /** Route options worth seeing: `json-array`, `body≤N`. */
  readonly notes: readonly string[];
}

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Which protections apply to a route, as shown by `palisade routes`. */
export function routeProtections(route: MountedRoute, protections: readonly Protection[]): string[] {
  const out: string[] = [];
  for (const p of protections) {
    if (p.always === true) continue; // on every route, and cannot be switched off
    const opt = (route.options as Readonly<Record<string, unknown>>)[p.name]; // a protection's own option, by its name
    if (opt === false) out.push(`-${p.name}`);
    else if (p.name === 'csrf' && SAFE.has(route.method) && route.websocket === undefined)
      continue; // only unsafe methods and handshakes are checked
    else if (p.name === 'cors' && (opt === undefined || opt === null))
      continue; // CORS is per route, opt-in
    else if (p.optIn === true && (opt === undefined || opt === null))
      continue; // listed where the route sets its option
    else out.push(p.name);
  }
  return out;
}

/** The rows of the routes table (implicit HEAD twins of GET routes left out). */
export function routeRows(app: Pick<App, 'routes' | typeof PROTECTIONS>): RouteRow[] {
  return app.routes
    .filter((r) => !r.implicitHead)
    .map((r) => {
      const notes: string[] = [];
      if (r.options.allowTopLevelArray === true) notes.push('json-array');
      if (r.options.uploads === true) notes.push('uploads');
      if (typeof r.options.maxBodySize === 'number') notes.push(`body≤${r.options.maxBodySize}`);
      return {
        method: r.websocket !== undefined ? 'WS' : r.method,
        path: r.path,
        name: r.name ?? '',
        protections: routeProtections(r, app[PROTECTIONS]),
        notes,
      };
    });
}

/** The rows as an aligned text table. */
export function formatRoutes(rows: readonly RouteRow[]): string {
  const table = [
    ['METHOD', 'PATH', 'NAME', 'PROTECTIONS'],
    ...rows.map((r) => [r.method, r.path, r.name, [...r.protections, ...r.notes.map((n) => `(${n})`)].join(' ')]),
  ];
  const widths = [0, 1, 2].map((i) => Math.max(...table.map((row) => row[i]!.length)));
  return (
    table
      .map((row) =>
        row
          .map((cell, i) => (i < 3 ? cell.padEnd(widths[i]!) : cell))
          .join('  ')
          .trimEnd(),
      )
      .join('\n') + '\n'
  );
}

/** The phases of each step, with the protections that run in each, as text. */
export function formatPhases(protections: readonly Protection[]): string {
  const phases = describePhases(protections);
  const lines = ['PHASES'];
  for (const step of ['begin', 'check', 'finish'] as const) {
    const rows = phases[step];
    if (rows.length > 0) lines.push(`${step.padEnd(6)}  ${rows.map((r) => `${r.phase}: ${r.protections.join(', ')}`).join(' → ')}`);
  }
  return lines.join('\n') + '\n';
}

/** Runs `palisade routes`; returns the exit code. */
export async function routesCommand(argv: readonly string[], out: NodeJS.WritableStream = process.stdout): Promise<number> {
  const { values, positionals } = parseArgs({ args: [...argv], allowPositionals: true, options: { json: { type: 'boolean', default: false } } });
  if (positionals.length > 1) throw new CliError('usage: palisade routes [--json] [app.ts]');
  const app = await loadApp(resolveAppFile(positionals[0]));
  try {
    const rows = routeRows(app);
    out.write(values.json ? JSON.stringify(rows, null, 2) + '\n' : `${formatRoutes(rows)}\n${formatPhases(app[PROTECTIONS])}`);
  } finally {
    await app.close();
  }
  return 0;
}
