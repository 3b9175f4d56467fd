// Route options: a misspelt Palisade option is refused when the route is declared
// (CONFIG_ROUTE, with the option meant), not ignored — `{ crsf: false }` used to leave the
// webhook under CSRF protection with nothing said. An app's own options pass.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Blueprint, createApp, type ConfigError } from '../../src/index.js';
import { ROUTE_OPTION_KEYS } from '../../src/app/route-collector.js';

const handler = () => 'ok';

test('a misspelt route option is CONFIG_ROUTE naming the option meant', () => {
  const app = createApp({ env: 'test', logger: false });
  const cases: [Record<string, unknown>, string][] = [
    [{ crsf: false }, 'csrf'],
    [{ CSRF: false }, 'csrf'],
    [{ maxBodySise: 1 }, 'maxBodySize'],
    [{ maxbodysize: 1 }, 'maxBodySize'],
    [{ upload: true }, 'uploads'],
    [{ allowTopLevelArrays: true }, 'allowTopLevelArray'],
    [{ crossSiteLoads: true }, 'crossSiteLoad'],
    [{ jsonMaxDeph: 2 }, 'jsonMaxDepth'],
    [{ nme: 'x' }, 'name'],
  ];
  for (const [options, meant] of cases) {
    const [key] = Object.keys(options);
    assert.throws(
      () => app.post('/hook', handler, options as never),
      (e: ConfigError) => {
        assert.equal(e.code, 'CONFIG_ROUTE');
        assert.match(e.message, new RegExp(`^POST /hook has an unknown option "${key}" \\(did you mean "${meant}"\\?\\)`));
        return true;
      },
      key,
    );
  }
  assert.throws(() => app.get('/x', handler, null as never), { code: 'CONFIG_ROUTE', message: /options of GET \/x must be an object/ });
  assert.throws(() => new Blueprint('api', { routeDefaults: { crsf: false } as never }), {
    code: 'CONFIG_ROUTE',
    message: /routeDefaults of blueprint "api" has an unknown option "crsf"/,
  });
});

test("the options declared mean what they say; an app's own options are kept for it", async () => {
  const app = createApp({ env: 'test', logger: false });
  app.post('/hook', handler, { csrf: false, audit: 'log' } as never);
  app.post('/form', handler);
  app.get('/opts', (req) => ({ audit: (req.route!.options as { audit?: string }).audit ?? null }), { audit: 'skip' } as never);
  const c = app.test();
  assert.equal((await c.post('/hook', { csrf: false })).status, 200);
  assert.equal((await c.post('/form', { csrf: false })).status, 403);
  assert.deepEqual((await c.get('/opts')).json(), { audit: 'skip' });
});

test('ROUTE_OPTION_KEYS lists every option src/ declares on RouteOptions, and nothing else', () => {
  const declared = new Set<string>();
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (p.endsWith('.ts')) {
        for (const m of readFileSync(p, 'utf8').matchAll(/interface RouteOptions \{\n([\s\S]*?)\n *\}\n/g)) {
          for (const k of m[1]!.matchAll(/^\s*(\w+)\?:/gm)) declared.add(k[1]!);
        }
      }
    }
  };
  walk('src');
  assert.deepEqual([...declared].sort(), [...ROUTE_OPTION_KEYS].sort());
});
