/**
 * Mounting: the route table built from the declarations of an app and of the blueprints
 * it holds (prefixes, names, route defaults, and each route's hooks and error handlers
 * resolved once), and the moment it is fixed.
 *
 * While the setup is open the table is rebuilt whenever a declaration was made since it
 * was last built, so `app.routes` and `app.urlFor` follow every declaration. When the app
 * handles its first request or starts to listen, the setup is fixed (`fix`): the table is
 * built one last time, and a declaration after that is a ConfigError
 * (CONFIG_SETUP_FINISHED, src/app/routes.ts). A request then costs one comparison, not a
 * recount of the declarations.
 */
import type { Blueprint } from './blueprint.js';
import { Router } from './router.js';
import type { RouteCollector, RouteOptions } from './routes.js';

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
    let n = this.#app.declarations + this.#blueprints.length;
    for (const { bp } of this.#blueprints) n += bp.declarations;
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
    for (const { bp } of this.#blueprints) bp.fixSetup(`an app it is registered with ${why.replace(/^the app /, '')}`);
    this.#built = -1;
    return router;
  }
}

/** Builds the route table from the app's and blueprints' declarations. */
function mount(app: RouteCollector, blueprints: readonly { bp: Blueprint; prefix: string }[]): Router {
  const router = new Router();
  const add = (
    decls: RouteCollector['routeDecls'],
    prefix: string,
    namePrefix: string,
    defaults: RouteOptions,
    before: RouteCollector['beforeHooks'],
    after: RouteCollector['afterHooks'],
    errorHandlers: RouteCollector['errorHandlers'],
  ) => {
    const explicitHead = new Set(decls.filter((d) => d.method === 'HEAD').map((d) => prefix + d.path));
    for (const d of decls) {
      const options = { ...defaults, ...d.options };
      const path = prefix + d.path === '' ? '/' : prefix + d.path;
      const name = options.name === undefined ? undefined : namePrefix + options.name;
      const route = { method: d.method, path, name, handler: d.handler, options, before, after, errorHandlers, implicitHead: false, websocket: d.websocket };
      router.add(route);
      if (d.method === 'GET' && d.websocket === undefined && !explicitHead.has(path)) router.add({ ...route, method: 'HEAD', implicitHead: true });
    }
  };
  add(app.routeDecls, '', '', {}, app.beforeHooks, app.afterHooks, app.errorHandlers);
  for (const { bp, prefix } of blueprints) {
    add(
      bp.routeDecls,
      prefix + bp.prefix,
      `${bp.name}.`,
      bp.routeDefaults,
      [...app.beforeHooks, ...bp.beforeHooks],
      [...bp.afterHooks, ...app.afterHooks],
      [...bp.errorHandlers, ...app.errorHandlers],
    );
  }
  return router;
}
