import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { createApp } from '../../src/index.js';
import { formatRoutes, routeRows } from '../../src/cli/routes.js';
import { FIXTURES, runCli } from './fixtures/spawn-cli.js';
import { PROTECTIONS } from '../../src/util/symbols.js';

test('routeRows: protections per route, switched-off ones marked, HEAD twins left out', () => {
  const app = createApp({ env: 'test', logger: false });
  app.get('/', () => 'hi', { name: 'index' });
  app.post('/hook', () => 'ok', { csrf: false, name: 'hook' });
  app.get('/list', () => [1], { allowTopLevelArray: true });
  app.ws('/chat', () => undefined);
  app.get('/big', () => 'x', { compress: true });
  app.get('/valid', () => 'x', { schema: { query: { '~standard': { version: 1, vendor: 't', validate: (value: unknown) => ({ value }) } } } });
  const rows = routeRows(app);
  assert.deepEqual(
    rows.map((r) => `${r.method} ${r.path}`),
    ['GET /', 'POST /hook', 'GET /list', 'WS /chat', 'GET /big', 'GET /valid'],
  );
  const all = app[PROTECTIONS].map((p) => p.name);
  // The open-redirect check, the HTML guard and the response basics are on every route and
  // cannot be switched off, so the table leaves them out. The rest come in the order of
  // their checks, then of their finishes, then of their begins.
  const always = ['open-redirect', 'html-guard', 'response-basics'];
  assert.ok(always.every((n) => all.includes(n)));
  const names = all.filter((n) => !always.includes(n));
  assert.equal(names[0], 'hosts');
  assert.deepEqual(names.slice(-3), ['headers', 'compress', 'trust-guard']);
  assert.deepEqual(
    rows[0]!.protections,
    names.filter((n) => n !== 'csrf' && n !== 'cors' && n !== 'compress' && n !== 'schema'),
  );
  assert.ok(rows[3]!.protections.includes('csrf'), 'a handshake passes the origin check');
  assert.ok(rows[4]!.protections.includes('compress'), 'compression is listed where a route asks for it');
  assert.ok(rows[5]!.protections.includes('schema'), 'validation is listed where a route declares a schema');
  assert.ok(rows[1]!.protections.includes('-csrf'));
  assert.deepEqual(rows[2]!.notes, ['json-array']);
  const text = formatRoutes(rows);
  assert.match(text, /^METHOD +PATH +NAME +PROTECTIONS\n/);
  assert.match(text, /\nPOST +\/hook +hook +hosts .*-csrf/);
});

test('palisade routes prints the table; --json the rows', async () => {
  const file = join(FIXTURES, 'unsafe-app.ts');
  const res = await runCli(['routes', file], { PALISADE_ENV: 'test' });
  assert.equal(res.code, 0, res.stderr);
  const [table, phases] = res.stdout.split('\n\n');
  const lines = table!.trim().split('\n');
  assert.match(lines[0]!, /^METHOD\s+PATH\s+NAME\s+PROTECTIONS$/);
  assert.equal(lines.length, 5);
  assert.match(phases!, /^PHASES\nbegin .*\ncheck   host: hosts → .*csrf: csrf.*\nfinish  guard: html-guard, open-redirect → .*basics: response-basics\n$/);
  assert.match(res.stdout, /POST\s+\/webhook\s+webhook\s+hosts.*-csrf.*headers/);
  assert.match(res.stdout, /GET\s+\/api\/items\s+hosts.*\(json-array\)/);
  const json = await runCli(['routes', '--json', file], { PALISADE_ENV: 'test' });
  const rows = JSON.parse(json.stdout) as { method: string; path: string }[];
  assert.deepEqual(
    rows.map((r) => r.path),
    ['/', '/webhook', '/api/items', '/upload'],
  );
});
