// Resource isolation: cross-site subresource loads are refused before the handler runs,
// JSON responses carry CORP, and the XSSI prefix is added where asked. Each refusal has a
// control showing the same request served when the protection is off or opted out.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createApp, jsonify, type AppOptions } from '../../src/index.js';
import { SUBRESOURCE_DESTS } from '../../src/security/resource-isolation.js';
import { XSSI_PREFIX } from '../../src/json/jsonify.js';
import { ConfigError } from '../../src/errors.js';
import { PROTECTIONS } from '../../src/util/symbols.js';

// The headers protection (another module) sets an app-wide CORP; switch it off where these
// tests look at the JSON default on its own.
const NO_HEADERS = { headers: false } as unknown as AppOptions;

const crossSite = (dest: string) => ({ headers: { 'sec-fetch-site': 'cross-site', 'sec-fetch-dest': dest, 'sec-fetch-mode': 'no-cors' } });

function makeApp(opts: AppOptions = {}) {
  const app = createApp({ env: 'test', ...opts });
  const calls: string[] = [];
  const warnings: unknown[] = [];
  app.logger.warn = ((obj: unknown) => {
    warnings.push(obj);
  }) as typeof app.logger.warn;
  app.get('/api/notes', () => {
    calls.push('notes');
    return { notes: ['secret'] };
  });
  app.get(
    '/api/tags',
    () => {
      calls.push('tags');
      return ['a', 'b'];
    },
    { allowTopLevelArray: true },
  );
  app.get(
    '/avatar.png',
    () => {
      calls.push('avatar');
      return new Uint8Array([1, 2, 3]);
    },
    { crossSiteLoad: true },
  );
  app.get('/api/prefixed', () => ({ ok: true }), { xssiPrefix: true });
  app.get('/api/built', () => jsonify({ ok: 1 }, { xssiPrefix: true }), { xssiPrefix: true });
  app.get('/page', () => 'text');
  return { app, calls, warnings };
}

test('every subresource destination loaded cross-site is refused before the handler', async () => {
  const { app, calls, warnings } = makeApp();
  const c = app.test();
  for (const dest of SUBRESOURCE_DESTS) {
    const res = await c.get('/api/notes', crossSite(dest));
    assert.equal(res.status, 403, dest);
    assert.match(res.text, /JSON_CROSS_SITE_LOAD/);
    assert.ok(!res.text.includes('secret'));
  }
  assert.deepEqual(calls, [], 'the handler never ran');
  assert.equal(warnings.length, SUBRESOURCE_DESTS.size, 'each refusal is logged');
  assert.deepEqual(
    { ...(warnings[0] as object), referer: undefined },
    { code: 'JSON_CROSS_SITE_LOAD', method: 'GET', path: '/api/notes', dest: 'audio', site: 'cross-site', referer: undefined },
  );
});

test('the refusal applies to any route, JSON or not, and names the opt-out', async () => {
  const { app } = makeApp();
  const res = await app.test().get('/page', { headers: { ...crossSite('script').headers, accept: 'text/html' } });
  assert.equal(res.status, 403);
  assert.match(res.text, /JSON_CROSS_SITE_LOAD/);
  assert.match(res.text, /crossSiteLoad: true/);
});

test('same-origin, same-site, navigations, fetch() and browsers without Fetch Metadata are served', async () => {
  const { app, calls } = makeApp();
  const c = app.test();
  const cases: Record<string, string>[] = [
    { 'sec-fetch-site': 'same-origin', 'sec-fetch-dest': 'script' },
    { 'sec-fetch-site': 'same-site', 'sec-fetch-dest': 'script' },
    { 'sec-fetch-site': 'none', 'sec-fetch-dest': 'document' },
    { 'sec-fetch-site': 'cross-site', 'sec-fetch-dest': 'document', 'sec-fetch-mode': 'navigate' },
    { 'sec-fetch-site': 'cross-site', 'sec-fetch-dest': 'iframe' },
    { 'sec-fetch-site': 'cross-site', 'sec-fetch-dest': 'empty', 'sec-fetch-mode': 'cors' },
    {},
  ];
  for (const headers of cases) {
    const res = await c.get('/api/notes', { headers });
    assert.equal(res.status, 200, JSON.stringify(headers));
  }
  assert.equal(calls.length, cases.length);
});

test('control: with isolation off, or on a crossSiteLoad route, the same load is served', async () => {
  const off = makeApp({ json: { isolation: false } });
  const res = await off.app.test().get('/api/tags', crossSite('script'));
  assert.equal(res.status, 200);
  assert.equal(res.text, '["a","b"]', 'a <script src> would have received and run the array');
  assert.deepEqual(off.warnings, []);

  const on = makeApp();
  const avatar = await on.app.test().get('/avatar.png', crossSite('image'));
  assert.equal(avatar.status, 200);
  assert.equal(avatar.header('cross-origin-resource-policy'), 'cross-origin');
  assert.deepEqual(on.calls, ['avatar']);
});

test('JSON responses get Cross-Origin-Resource-Policy: same-origin; other responses are left alone', async () => {
  const { app } = makeApp(NO_HEADERS);
  const c = app.test();
  assert.equal((await c.get('/api/notes')).header('cross-origin-resource-policy'), 'same-origin');
  assert.equal((await c.get('/api/tags')).header('cross-origin-resource-policy'), 'same-origin');
  assert.equal((await c.get('/page')).header('cross-origin-resource-policy'), undefined);
  // JSON error pages count too.
  const missing = await c.get('/nope', { headers: { accept: 'application/json' } });
  assert.equal(missing.header('cross-origin-resource-policy'), 'same-origin');

  const site = makeApp({ ...NO_HEADERS, json: { resourcePolicy: 'same-site' } });
  assert.equal((await site.app.test().get('/api/notes')).header('cross-origin-resource-policy'), 'same-site');
  const none = makeApp({ ...NO_HEADERS, json: { resourcePolicy: false } });
  assert.equal((await none.app.test().get('/api/notes')).header('cross-origin-resource-policy'), undefined);
});

test('a CORP the handler set itself is kept', async () => {
  const app = createApp({ env: 'test', ...NO_HEADERS });
  app.get('/x', () => {
    const res = jsonify({ a: 1 });
    res.setHeader('Cross-Origin-Resource-Policy', 'same-site');
    return res;
  });
  assert.equal((await app.test().get('/x')).header('cross-origin-resource-policy'), 'same-site');
});

test('XSSI prefix: per route, per app, once, and off per route', async () => {
  const { app } = makeApp();
  const c = app.test();
  const res = await c.get('/api/prefixed');
  assert.equal(res.text, `${XSSI_PREFIX}{"ok":true}`);
  assert.deepEqual(JSON.parse(res.text.slice(res.text.indexOf('\n') + 1)), { ok: true });
  assert.equal((await c.get('/api/built')).text, `${XSSI_PREFIX}{"ok":1}`, 'not added twice');
  assert.equal((await c.get('/api/notes')).text, '{"notes":["secret"]}');

  const all = createApp({ env: 'test', json: { xssiPrefix: true } });
  all.get('/a', () => ({ a: 1 }));
  all.get('/b', () => ({ b: 1 }), { xssiPrefix: false });
  all.get('/t', () => 'plain');
  assert.equal((await all.test().get('/a')).text, `${XSSI_PREFIX}{"a":1}`);
  assert.equal((await all.test().get('/b')).text, '{"b":1}');
  assert.equal((await all.test().get('/t')).text, 'plain');
});

test('the prefixed body does not run as a script', () => {
  assert.throws(() => new Function(`${XSSI_PREFIX}["a","b"]`), SyntaxError);
  // control: without the prefix the array is a valid script
  assert.doesNotThrow(() => new Function('["a","b"]'));
});

test('json settings are checked', () => {
  for (const json of [{ isolation: 'yes' }, { resourcePolicy: 'cross-origin' }, { xssi: true }, []]) {
    assert.throws(
      () => createApp({ env: 'test', json: json as never }),
      (e: unknown) => e instanceof ConfigError && e.code === 'CONFIG_INVALID',
    );
  }
});

test('palisade check lists isolation off, top-level arrays and embeddable routes', () => {
  const { app } = makeApp({ json: { isolation: false, resourcePolicy: false } });
  const p = app[PROTECTIONS].find((x) => x.name === 'json-isolation')!;
  const findings = p.audit!(app.routes);
  assert.ok(findings.some((f) => f.startsWith('json-isolation-off:')));
  assert.ok(findings.some((f) => f.startsWith('json-corp-off:')));
  assert.ok(findings.some((f) => f.includes('GET /api/tags') && f.startsWith('json-top-level-array:')));
  assert.ok(findings.some((f) => f.includes('GET /avatar.png') && f.startsWith('json-cross-site-load:')));
  const quiet = makeApp().app;
  assert.deepEqual(quiet[PROTECTIONS].find((x) => x.name === 'json-isolation')!.audit!(quiet.routes).length, 1);
});
