/**
 * A protection is one of the app's default defences (host check, CSRF, sessions, security
 * headers…), built from settings when the app is created. Dispatch runs every `check`
 * before hooks and the handler, and every `finish` on every response, errors included.
 */
import type { Logger } from 'pino';
import type { RequestScope } from '../http/context.js';
import type { Request } from '../http/request.js';
import type { Response } from '../http/response.js';
import type { Settings } from './settings.js';
import type { MountedRoute } from './router.js';

export interface Protection {
  /** Shown by `palisade routes` and `palisade check`. */
  readonly name: string;
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
