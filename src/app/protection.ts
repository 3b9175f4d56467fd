/**
 * A protection is one of the app's default defences (host check, CSRF, sessions, security
 * headers…), built from settings when the app is created. Dispatch runs every `begin`
 * first, every `check` before hooks and the handler, and every `finish` on every
 * response, errors included.
 *
 * Each step runs in a named phase, the way Fastify names the hooks of its lifecycle: a
 * protection says in `phases` which phase each of its steps belongs to, and the app runs
 * the phases in the order of the lists below (phase-order.ts computes it once, at setup).
 * Protections that share a phase do not depend on each other; they run in the order of
 * their names. See docs/architecture.md#protection-phases.
 */
import type { Logger } from 'pino';
import type { RequestScope } from '../http/context.js';
import type { Request } from '../http/request.js';
import type { Response } from '../http/response.js';
import type { Settings } from './settings.js';
import type { MountedRoute } from './route-table.js';

/**
 * The phases of `begin`, in the order they run: `record` (note the request for checks that
 * happen later, outside the pipeline: the trust guard), `values` (per-request values every
 * answer needs, the CSP nonce among them).
 */
export const BEGIN_PHASES = ['record', 'values'] as const;

/**
 * The phases of `check`, in the order they run: `host` (refuse a foreign Host before
 * anything else looks at the request), `preflight` (answer a CORS preflight before routing
 * would 404 or 405 it), `files` (serve the static folder; bind upload storage before
 * anything reads a multipart body), `isolation` (refuse cross-site subresource loads),
 * `session` (give the request its session), `limits` (count it against the route's rate
 * limits; a key may read the session), `csrf` (the origin check and the session-bound
 * token), `forms` (flashed messages for templates, once the session is there), `auth` (the
 * current user, loginRequired), `validation` (the route's schema, once every refusal above
 * had its say).
 */
export const CHECK_PHASES = ['host', 'preflight', 'files', 'isolation', 'session', 'limits', 'csrf', 'forms', 'auth', 'validation'] as const;

/**
 * The phases of `finish`, in the order they run: `guard` (refuse a response that must not go
 * out — a redirect to another host, a plain string sent as HTML — before anything is added
 * to it), `cleanup` (release what the request held: its temporary uploads), `flash` (flashed
 * messages a template read leave the session), `session` (write the session and its
 * cookie), `route-headers` (headers the route decides: CORS, the resource policy, rate
 * limits), `headers` (the app's security headers, where nothing set them), `compress`
 * (encode the finished body), `basics` (nosniff, the request id and the Set-Cookie lines of
 * every cookie set before).
 */
export const FINISH_PHASES = ['guard', 'cleanup', 'flash', 'session', 'route-headers', 'headers', 'compress', 'basics'] as const;

export type BeginPhase = (typeof BEGIN_PHASES)[number];
export type CheckPhase = (typeof CHECK_PHASES)[number];
export type FinishPhase = (typeof FINISH_PHASES)[number];

/** The phase of each step a protection has. A step without its phase is refused at setup. */
export interface ProtectionPhases {
  readonly begin?: BeginPhase;
  readonly check?: CheckPhase;
  readonly finish?: FinishPhase;
}

export interface Protection {
  /** Shown by `palisade routes` and `palisade check`. */
  readonly name: string;
  /**
   * The phase each of its steps runs in. A phase may be named for a step the protection
   * leaves out under its settings (resource isolation's check when isolation is off).
   */
  readonly phases: ProtectionPhases;
  /**
   * Applies only to routes that ask for it with the route option of its name (`{ compress:
   * true }`): `palisade routes` lists it for those routes only.
   */
  readonly optIn?: boolean;
  /**
   * Runs on every response and cannot be switched off (the open-redirect check, the HTML
   * guard, the response basics): `palisade routes` leaves it out of each route's list.
   */
  readonly always?: boolean;
  /**
   * Runs first for every request, before any protection's check, and cannot refuse it:
   * for per-request values every answer needs, such as the CSP nonce an error page uses.
   */
  begin?(req: Request, scope: RequestScope): void;
  /**
   * Runs before hooks and the handler (route is null for 404/405). Returning a Response
   * answers the request; throwing an HttpError answers with its error page.
   */
  check?(req: Request, route: MountedRoute | null, scope: RequestScope): void | Response | Promise<void | Response>;
  /** Runs on every response before it is sent; may add headers or cookies. */
  finish?(req: Request, res: Response, scope: RequestScope): void | Promise<void>;
  /** Findings for `palisade check`: unsafe settings this protection knows of. */
  audit?(routes: readonly MountedRoute[]): string[];
  /** State kept in each process's memory (a memory store), reported by `palisade check --workers N`. */
  readonly processLocal?: string | undefined;
  /** Runs when the server shuts down (closing store connections…). */
  close?(): void | Promise<void>;
}

/** What a protection factory receives. */
export interface ProtectionContext {
  readonly settings: Settings;
  /** The options object given to createApp, for feature sections (`session`, `csrf`…). */
  readonly options: Readonly<Record<string, unknown>>;
  /** The app's logger, for refusals worth a warning (4xx errors are not logged otherwise). */
  readonly logger: Logger;
  /**
   * The route that would serve `method` on `path`, or null. For checks that must answer
   * for another method than the request's own, like a CORS preflight (OPTIONS) asking
   * about a later PUT.
   */
  findRoute(method: string, path: string): MountedRoute | null;
}
