/**
 * `palisade check [--deploy] [app.ts]`: lists every unsafe setting of an app, each with a
 * one-line fix, and exits 1 when there is any (like Django's `check --deploy`).
 *
 * Findings come from three places: the core settings (`auditSettings`, a pure function),
 * the routes, and each protection's own `audit(routes)`. Without `--deploy` only choices
 * that are unsafe anywhere are reported (CSRF exemptions, CSP off, top-level JSON arrays…);
 * `--deploy` adds what matters once the app faces the internet (development mode, the
 * secret, HTTPS cookies, allowed hosts, several workers with process-local state).
 *
 * ```sh
 * PALISADE_ENV=production palisade check --deploy app.ts
 * ```
 * See docs/deployment.md#palisade-check.
 */
import { parseArgs } from 'node:util';
import type { App } from '../create-app.js';
import type { Settings } from '../app/config.js';
import type { Protection } from '../app/protection.js';
import type { MountedRoute } from '../app/route-table.js';
import { PalisadeError } from '../errors.js';
import { isCspReportHandler } from '../security/csp-report.js';
import { secretKeyProblem } from '../security/secret-key.js';
import { CliError, loadApp, resolveAppFile } from './load-app.js';
import { PROTECTIONS } from '../util/symbols.js';

/** One unsafe setting: a stable id (for `--ignore`), what is wrong, and how to fix it. */
export interface Finding {
  readonly id: string;
  readonly message: string;
  readonly fix: string;
}

/** What to check for. */
export interface AuditOptions {
  /** Also check what matters in deployment (mode, secret, HTTPS, hosts, workers). */
  deploy?: boolean;
  /** Number of worker processes the app will run with (`palisade run --workers`). */
  workers?: number;
  /** Finding ids to leave out. */
  ignore?: readonly string[];
}

/** Largest body limit (app or route) accepted without a finding: 16 MiB. */
export const BODY_LIMIT_BOUND = 16 * 1024 * 1024;

/**
 * The findings that follow from the core settings and the routes alone. Pure: tests and
 * tools can call it without loading an app.
 *
 * ```ts
 * auditSettings(app.settings, app.routes, { deploy: true }) // [{ id: 'insecure-cookies', … }]
 * ```
 */
export function auditSettings(settings: Settings, routes: readonly MountedRoute[], opts: AuditOptions = {}): Finding[] {
  const out: Finding[] = [];
  const add = (id: string, message: string, fix: string) => out.push({ id, message, fix });
  const deploy = opts.deploy === true;

  if (deploy && settings.env !== 'production') {
    add(
      'debug-mode',
      `The app runs in ${settings.env} mode: error pages show stack traces and internals.`,
      'Set PALISADE_ENV=production (and do not pass env in createApp).',
    );
  }
  if (deploy && settings.secretGenerated) {
    add(
      'secret-missing',
      'No secret key is set; a random one is made per process, so sessions die on restart and differ between workers.',
      'Set PALISADE_SECRET_KEY to 32 random bytes (base64url).',
    );
  }
  // The same rule that production start-up enforces (src/security/secret-key.ts).
  settings.secretKeys.forEach((key, i) => {
    if (settings.secretGenerated) return;
    const problem = secretKeyProblem(key, settings.secretKeys.length > 1 ? `Secret key #${i + 1}` : 'The secret key');
    if (problem !== undefined) add('secret-weak', problem.message, problem.fix);
  });
  if (deploy && !settings.https && !settings.trustProxy) {
    add(
      'insecure-cookies',
      'The app is not configured for HTTPS (https: false, no trustProxy), so session and CSRF cookies go out without Secure and no HSTS is sent.',
      'Serve over HTTPS and set PALISADE_HTTPS=1, or PALISADE_TRUST_PROXY=1 behind a TLS proxy that sets X-Forwarded-Proto.',
    );
  }
  if (deploy && settings.allowedHosts.length === 0) {
    add(
      'allowed-hosts',
      'allowedHosts is empty: outside development the app would refuse to start, and nothing pins the Host used in absolute URLs.',
      'Set PALISADE_ALLOWED_HOSTS=example.com (".example.com" for subdomains).',
    );
  }
  if (settings.maxBodySize > BODY_LIMIT_BOUND) {
    add(
      'body-limit',
      `maxBodySize is ${mib(settings.maxBodySize)} for every route, above the ${mib(BODY_LIMIT_BOUND)} bound: any client can make the app buffer that much.`,
      'Keep the app limit small and raise maxBodySize only on the upload routes that need it.',
    );
  }
  for (const r of routes) {
    if (r.implicitHead) continue;
    const limit = r.options.maxBodySize;
    if (typeof limit === 'number' && limit > BODY_LIMIT_BOUND) {
      add(
        'body-limit',
        `${r.method} ${r.path} accepts bodies up to ${mib(limit)}, above the ${mib(BODY_LIMIT_BOUND)} bound.`,
        "Lower the route's maxBodySize, or stream the upload to storage with a per-file limit.",
      );
    }
    if (r.options.allowTopLevelArray === true) {
      add(
        'json-top-level-array',
        `${r.method} ${r.path} may answer with a top-level JSON array (allowTopLevelArray).`,
        'Wrap the array in an object ({ items: [...] }) unless the data is public.',
      );
    }
  }
  return out;
}

// Fixes for protection findings that state none themselves.
const FALLBACK_FIX: Readonly<Record<string, string>> = {
  csrf: 'Make sure the route authenticates its caller another way (a signed webhook), or remove `csrf: false`.',
  session: 'Use a shared store: session: { store: { redis: process.env.REDIS_URL } }.',
  cors: 'Keep the list to the origins of your own front ends.',
};

/** A protection's finding line (`"id: message Fix: fix"`) as a Finding. */
export function parseFinding(line: string): Finding {
  const m = /^([a-z0-9][a-z0-9_.-]*): (.*)$/s.exec(line);
  const id = m ? m[1]! : 'audit';
  const rest = m ? m[2]! : line;
  const at = rest.lastIndexOf(' Fix: ');
  if (at === -1) {
    const fix = /switched off/.test(rest) ? 'Remove the setting that switches it off (named above).' : (FALLBACK_FIX[id] ?? '');
    return { id, message: rest, fix };
  }
  const fix = rest.slice(at + 6);
  return { id, message: rest.slice(0, at), fix: fix.charAt(0).toUpperCase() + fix.slice(1) };
}

/** The part of an app `auditApp` reads (`templates` when it has a templates folder). */
export type AuditableApp = Pick<App, 'settings' | 'routes' | typeof PROTECTIONS> & Partial<Pick<App, 'templates'>>;

/**
 * Every finding for an app: settings, routes and each protection's audit, without
 * duplicates, minus ignored ids.
 */
export function auditApp(app: AuditableApp, opts: AuditOptions = {}): Finding[] {
  const routes = app.routes;
  const findings = auditSettings(app.settings, routes, opts);
  const names = new Set(app[PROTECTIONS].map((p) => p.name));
  if (!names.has('csrf')) {
    findings.push({
      id: 'csrf-off',
      message: 'CSRF protection is switched off for the whole app.',
      fix: 'Remove `csrf: { enabled: false }`; exempt single routes with { csrf: false } instead.',
    });
  }
  if (!names.has('headers')) {
    findings.push({
      id: 'headers-off',
      message: 'Security headers (CSP, frame options, HSTS…) are switched off (headers: false).',
      fix: 'Remove `headers: false`; switch off single headers instead.',
    });
  }
  const reportRoutes = new Set(routes.filter((r) => isCspReportHandler(r.handler)).map((r) => `${r.method} ${r.path}`));
  for (const p of app[PROTECTIONS]) {
    for (const line of p.audit?.(routes) ?? []) {
      const f = parseFinding(line);
      // The CSP report endpoint is exempt from CSRF by design: browsers send no token.
      if (f.id === 'csrf' && [...reportRoutes].some((k) => f.message.includes(`${k} `))) continue;
      findings.push(f);
    }
  }
  // Templates: one that does not compile, and a POST form a browser would have refused (403).
  for (const p of app.templates?.check() ?? []) {
    findings.push(
      p.id === 'template-error'
        ? {
            id: p.id,
            message: `${p.where}: the template does not compile: ${p.message}.`,
            fix: "Fix the template (see the error code's page in docs/errors/).",
          }
        : {
            id: p.id,
            message: `${p.where}: ${p.message}.`,
            fix: "Write the action as {{ url_for('…') }} or a path on this site, or put {{ csrf_field() }} in the form if it posts elsewhere on purpose.",
          },
    );
  }
  const workers = opts.workers ?? 1;
  if (workers > 1) {
    for (const p of app[PROTECTIONS]) {
      const local = (p as Protection & { processLocal?: string }).processLocal;
      if (typeof local === 'string') {
        findings.push({
          id: 'workers-local-state',
          message: `${workers} workers, but ${local} is kept in each process's memory, so workers do not share it.`,
          fix: 'Use a shared store: Redis, e.g. session: { store: { redis: process.env.REDIS_URL } } or rateLimit: { store: { redis: process.env.REDIS_URL } }.',
        });
      }
    }
  }
  const seen = new Set<string>();
  const ignore = new Set(opts.ignore ?? []);
  return findings.filter((f) => {
    const key = `${f.id}|${routeKey(f.message) ?? f.message}`;
    if (seen.has(key) || ignore.has(f.id)) return false;
    seen.add(key);
    return true;
  });
}

function routeKey(message: string): string | undefined {
  return /\b(?:GET|HEAD|POST|PUT|PATCH|DELETE|OPTIONS) \/\S*/.exec(message)?.[0];
}

/** The report printed by `palisade check`. */
export function formatFindings(findings: readonly Finding[], header: string): string {
  if (findings.length === 0) return `${header}: no problems found.\n`;
  const lines = [`${header}: ${findings.length} problem${findings.length === 1 ? '' : 's'} found.`, ''];
  for (const f of findings) {
    lines.push(`  ✗ ${f.id}: ${f.message}`);
    if (f.fix) lines.push(`      fix: ${f.fix}`);
  }
  lines.push('', 'Silence a finding you accept with --ignore <id>.');
  return lines.join('\n') + '\n';
}

const USAGE = 'usage: palisade check [--deploy] [--workers N] [--ignore id,…] [--json] [app.ts]';

/** Runs `palisade check`; returns the exit code (0 clean, 1 findings, 2 usage). */
export async function checkCommand(argv: readonly string[], out: NodeJS.WritableStream = process.stdout): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      deploy: { type: 'boolean', default: false },
      workers: { type: 'string' },
      ignore: { type: 'string', multiple: true },
      json: { type: 'boolean', default: false },
    },
  });
  if (positionals.length > 1) throw new CliError(USAGE);
  const file = resolveAppFile(positionals[0]);
  // --deploy checks the app as `palisade run` would start it: in production mode. Without
  // it, only choices unsafe in every mode are checked, and the app is loaded in test mode,
  // which needs no secret key or hosts (and, unlike development, announces nothing).
  if (!process.env.PALISADE_ENV) process.env.PALISADE_ENV = values.deploy ? 'production' : 'test';
  const workers = values.workers === undefined ? Number(process.env.PALISADE_WORKERS ?? 1) : Number(values.workers);
  if (!Number.isInteger(workers) || workers < 1) throw new CliError('--workers must be a positive whole number.');
  const ignore = (values.ignore ?? [])
    .flatMap((s) => s.split(','))
    .map((s) => s.trim())
    .filter(Boolean);

  let findings: Finding[];
  let app: App | undefined;
  try {
    app = await loadApp(file);
    findings = auditApp(app, { deploy: values.deploy, workers, ignore });
  } catch (err) {
    if (!(err instanceof PalisadeError)) throw err;
    // A setting that stops the app from starting is the first thing to fix.
    findings = [{ id: 'config', message: `The app does not start: ${err.message}`, fix: `See ${err.docs}.` }];
  } finally {
    await app?.close();
  }
  if (values.json) out.write(JSON.stringify({ findings }, null, 2) + '\n');
  else out.write(formatFindings(findings, `palisade check${values.deploy ? ' --deploy' : ''} ${positionals[0] ?? file}`));
  return findings.length === 0 ? 0 : 1;
}

function mib(n: number): string {
  return `${+(n / 1024 / 1024).toFixed(1)} MiB`;
}
