/**
 * What the HTTP fuzzer may aim at: the app's own routes, read from `app.routes`, with the
 * hints each route gives in its `fuzz` option (which query keys it reads, which bodies
 * it parses). The app under test sends this list to the fuzzer when it starts, so a new
 * route is fuzzed without anyone listing it twice.
 */
import type { App } from '../../../src/index.js';

export type BodyKind = 'form' | 'json' | 'multipart' | 'text' | 'bytes';

/** The `fuzz` route option: what the handler reads from the request. */
export interface FuzzHints {
  /** Query keys the handler reads. */
  query?: readonly string[];
  /** Bodies the handler parses. */
  body?: readonly BodyKind[];
  /** The route answers with a file (ETags, ranges). */
  file?: boolean;
}

declare module '../../../src/app/route-collector.js' {
  interface RouteOptions {
    /** What the handler reads, for the HTTP fuzzer (an option of this app's own, declared by merging). */
    fuzz?: FuzzHints;
  }
}

/** One place to send requests to. */
export interface Target {
  method: string;
  /** A route path; `:name` segments are filled by the fuzzer. */
  path: string;
  query: readonly string[];
  body: readonly BodyKind[];
  /** The route checks CSRF (an unsafe method that is not exempt). */
  csrf: boolean;
  /** A file served with ETags and ranges: the fuzzer adds conditional and Range headers. */
  file: boolean;
}

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The targets of an app: every declared route (not the implicit HEADs), then `extra`. */
export function targetsOf(app: App, extra: readonly Target[] = []): Target[] {
  const out: Target[] = [];
  for (const r of app.routes) {
    if (r.implicitHead) continue;
    const hints = r.options.fuzz ?? {};
    out.push({
      method: r.method,
      path: r.path,
      query: [...(hints.query ?? [])],
      body: [...(hints.body ?? [])],
      csrf: !SAFE.has(r.method) && r.options.csrf !== false,
      file: hints.file === true,
    });
  }
  return [...out, ...extra];
}
