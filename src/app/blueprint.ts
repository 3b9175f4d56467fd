/**
 * Blueprint: a group of routes, hooks and error handlers mounted under a prefix, like
 * Flask's. Route names inside it are prefixed with its name: `notes.show`.
 *
 * ```ts
 * const notes = new Blueprint('notes', { prefix: '/notes' });
 * notes.get('/:id', show, { name: 'show' });
 * app.register(notes);
 * app.urlFor('notes.show', { id: 3 }); // '/notes/3'
 * ```
 * See docs/routing.md.
 */
import { ConfigError } from '../errors.js';
import { checkRouteOptions, RouteCollector, type RouteOptions } from './route-collector.js';

/** What `new Blueprint(name, options)` takes. */
export interface BlueprintOptions {
  /** Path prefix for every route, e.g. `/api`. */
  prefix?: string;
  /** Options applied to every route of the blueprint (a route's own options win). */
  routeDefaults?: RouteOptions;
}

/**
 * A group of routes (and their hooks and error handlers) registered on an app together,
 * under a name that prefixes their route names (`admin.index`) and an optional path
 * prefix. Register it with `app.register(bp)` (docs/routing.md#blueprints).
 */
export class Blueprint extends RouteCollector {
  readonly name: string;
  readonly prefix: string;
  readonly routeDefaults: RouteOptions;
  protected readonly setupName: string;

  constructor(name: string, options: BlueprintOptions = {}) {
    super();
    if (!/^[A-Za-z_][\w-]*$/.test(name)) throw new TypeError(`blueprint name must be an identifier: ${JSON.stringify(name)}`);
    this.name = name;
    this.setupName = `blueprint ${JSON.stringify(name)}`;
    this.prefix = normalizePrefix(options.prefix ?? '');
    if (options.routeDefaults !== undefined) checkRouteOptions(options.routeDefaults, `the routeDefaults of blueprint "${name}"`);
    for (const k of ['schema', 'operationId'] as const) {
      if (options.routeDefaults?.[k] !== undefined) {
        throw new ConfigError(
          'CONFIG_ROUTE',
          `The routeDefaults of blueprint "${name}" set "${k}", which belongs to one route (a schema types that route's handler; an operation id names one operation). Give it to each route.`,
          { option: k },
        );
      }
    }
    this.routeDefaults = options.routeDefaults ?? {};
  }
}

export function normalizePrefix(p: string): string {
  if (p === '' || p === '/') return '';
  if (!p.startsWith('/')) throw new TypeError(`prefix must start with "/": ${JSON.stringify(p)}`);
  return p.endsWith('/') ? p.slice(0, -1) : p;
}
