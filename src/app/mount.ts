/**
 * Mounting: the route table built from the declarations of an app and of the blueprints
 * it holds (prefixes, names, route defaults, and each route's hooks and error handlers
 * resolved once), and the moment it is fixed.
 *
 * While the setup is open the table is rebuilt whenever a declaration was made since it
 * was last built, so `app.routes` and `app.urlFor` follow every declaration. When the app
 * handles its first request or starts to listen, the setup is fixed (`fix`): the table is
 * built one last time, and a declaration after that is a ConfigError
 * (CONFIG_SETUP_FINISHED, src/app/route-collector.ts). A request then costs one comparison, not a
 * recount of the declarations.
 */
import type { Blueprint } from './blueprint.js';
import { Router } from './route-table.js';
import type { Declared, RouteCollector, RouteOptions } from './route-collector.js';
import { DECLARATIONS, DECLARED, FIX_SETUP } from '../util/symbols.js';

export class Mounting {
  readonly #app: RouteCollector;
  readonly #blueprints: { bp: Blueprint; prefix: string }[] = [];
  #router = new Router();
  /** The declarations the table was built from; -1 once the setup is fixed. */
  #built = 0;

  constructor(app: RouteCollector) {
    this.#app = app;
  }

  /** True once the setup is fixed. */
  get fixed(): boolean {
    return this.#built === -1;
  }

  /** Mounts a blueprint under `prefix` (normalized); the caller has checked the setup is open. */
  add(bp: Blueprint, prefix: string): void {
    this.#blueprints.push({ bp, prefix });
  }

  /** The route table, rebuilt first while the setup is open if a declaration was made since. */
  table(): Router {
    if (this.#built === -1) return this.#router;
    let n = this.#app[DECLARATIONS] + this.#blueprints.length;
    for (const { bp } of this.#blueprints) n += bp[DECLARATIONS];
    if (n !== this.#built) {
      this.#router = mount(this.#app, this.#blueprints);
      this.#built = n;
    }
    return this.#router;
  }

  /**
   * Builds the table one last time and fixes the setup of the blueprints (`why` ends a later
   * declaration's message; the app fixes its own); returns the table.
   */
  fix(why: string): Router {
    if (this.#built === -1) return this.#router;
    const router = this.table();
    for (const { bp } of this.#blueprints) bp[FIX_SETUP](`an app it is registered with ${why.replace(/^the app /, '')}`);
    this.#built = -1;
    return router;
  }
}

/** Builds the route table from the app's and blueprints' declarations. */
function mount(app: RouteCollector, blueprints: readonly { bp: Blueprint; prefix: string }[]): Router {
  const router = new Router();
  const add = (
    d: Declared,
    prefix: string,
    namePrefix: string,
    defaults: RouteOptions,
    before: Declared['beforeHooks'],
    after: Declared['afterHooks'],
    errorHandlers: Declared['errorHandlers'],
  ) => {
    const explicitHead = new Set(d.routes.filter((r) => r.method === 'HEAD').map((r) => prefix + r.path));
    for (const r of d.routes) {
      const options = { ...defaults, ...r.options };
      const path = prefix + r.path === '' ? '/' : prefix + r.path;
      const name = options.name === undefined ? undefined : namePrefix + options.name;
      const route = { method: r.method, path, name, handler: r.handler, options, before, after, errorHandlers, implicitHead: false, websocket: r.websocket };
      router.add(route);
      if (r.method === 'GET' && r.websocket === undefined && !explicitHead.has(path)) router.add({ ...route, method: 'HEAD', implicitHead: true });
    }
  };
  const own = app[DECLARED];
  add(own, '', '', {}, own.beforeHooks, own.afterHooks, own.errorHandlers);
  for (const { bp, prefix } of blueprints) {
    const d = bp[DECLARED];
    add(
      d,
      prefix + bp.prefix,
      `${bp.name}.`,
      bp.routeDefaults,
      [...own.beforeHooks, ...d.beforeHooks],
      [...d.afterHooks, ...own.afterHooks],
      [...d.errorHandlers, ...own.errorHandlers],
    );
  }
  return router;
}
