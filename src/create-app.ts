/**
 * The App an application makes: the core (src/app/app-base.ts) with its three ways in —
 * `listen()` (the node:http server), `fetch()` (a web Request in, a web Response out) and
 * `test()` (the in-process test client). Those live in src/adapters and src/testing and
 * depend on the core; the core imports none of them. See docs/architecture.md.
 *
 * ```ts
 * const app = createApp();
 * app.get('/hello/:name', (req) => `Hello, ${req.params.name}!`);
 * await app.listen({ port: 8000 });
 * ```
 * See docs/quickstart.md and docs/routing.md.
 */
import { fetchAdapter } from './adapters/fetch.js';
import { listenNode, type ListenOptions, type RunningServer } from './adapters/node.js';
import { AppBase } from './app/app-base.js';
import type { AppOptions } from './app/config.js';
import { TestClient, type TestClientOptions } from './testing/client.js';

/**
 * A Palisade application: its routes, hooks, blueprints and settings, made by `createApp()`.
 * Serve it with `listen()` (node:http) or `fetch` (any runtime with web-standard
 * Request/Response); test it with `test()` (docs/testing.md).
 */
export class App extends AppBase {
  /** Serves the app on node:http. Binds 127.0.0.1 unless told otherwise. Fixes the setup. */
  listen(opts: ListenOptions = {}): Promise<RunningServer> {
    return listenNode(this, opts);
  }

  /** Handles a fetch-API Request, for fetch-style runtimes and tests. */
  fetch(request: globalThis.Request): Promise<globalThis.Response> {
    return fetchAdapter(this, request);
  }

  /** An in-process test client with a cookie jar (no sockets). See docs/testing.md. */
  test(opts?: TestClientOptions): TestClient {
    return new TestClient(this, opts);
  }
}

/** Creates an app. See docs/quickstart.md. */
export function createApp(options: AppOptions = {}): App {
  return new App(options);
}
