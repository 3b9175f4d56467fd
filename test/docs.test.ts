// Docs examples are real files: every fenced block that starts with `// file: <path>`
// must equal that file, and the example files are run by the tests of their area.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';

const docs = readdirSync('docs').filter((f) => f.endsWith('.md'));

test('doc code blocks that name a file match it exactly', () => {
  let checked = 0;
  for (const f of docs) {
    const text = readFileSync(join('docs', f), 'utf8');
    for (const m of text.matchAll(/```(?:(?:ts|js|html|jinja)\n\/\/|(?:ini|dockerfile|nginx)\n#) file: (\S+)\n([\s\S]*?)```/g)) {
      const [, path, body] = m;
      assert.ok(existsSync(path!), `${f} names ${path}, which does not exist`);
      assert.equal(body, readFileSync(path!, 'utf8'), `${f}: the block for ${path} differs from the file`);
      checked++;
    }
  }
  assert.ok(checked >= 5);
});

test('doc code blocks that quote part of a file are found in it verbatim', () => {
  let checked = 0;
  for (const f of docs) {
    const text = readFileSync(join('docs', f), 'utf8');
    for (const m of text.matchAll(/```(?:ts|js|html|jinja)\n\/\/ from: (\S+)\n([\s\S]*?)```/g)) {
      const [, path, body] = m;
      assert.ok(existsSync(path!), `${f} names ${path}, which does not exist`);
      assert.ok(readFileSync(path!, 'utf8').includes(body!), `${f}: a block quoted from ${path} is not in the file:\n${body}`);
      checked++;
    }
  }
  assert.ok(checked >= 5);
});

test('docs examples import Palisade as an app does: by its package name, never by a path into the repository', () => {
  // docs/ is shipped in the package and src/ is not: a path out of docs/examples breaks
  // in every installed copy (docs/installing.md#from-git-or-from-a-checkout).
  const files = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
      e.isDirectory() ? files(join(dir, e.name)) : /\.[cm]?[jt]s$/.test(e.name) ? [join(dir, e.name)] : [],
    );
  const outside: string[] = [];
  let palisade = 0;
  for (const file of files('docs/examples')) {
    for (const m of readFileSync(file, 'utf8').matchAll(/(?:\bfrom\s+|\bimport\s*\(\s*|^import\s+)['"]([^'"]+)['"]/gm)) {
      const spec = m[1]!;
      if (spec === 'palisade' || spec.startsWith('palisade/')) palisade++;
      else if (spec.startsWith('.') && !resolve(dirname(file), spec).startsWith(resolve('docs/examples') + sep)) outside.push(`${file}: ${spec}`);
    }
  }
  assert.deepEqual(outside, []);
  assert.ok(palisade >= 10, `${palisade}`);
});

test('quickstart example', async () => {
  const { app } = await import('../docs/examples/quickstart/app.js');
  const c = app.test();
  assert.equal((await c.get('/')).text, 'Hello, World!');
  assert.equal((await c.get('/hello/Ada')).text, 'Hello, Ada!');
  assert.deepEqual((await c.get('/api/status')).json(), { ok: true });
});

test('logging example', async () => {
  const { app } = await import('../docs/examples/deployment/logging.js');
  assert.equal(app.isLogging('warn'), true);
  assert.equal(app.isLogging('info'), false);
  assert.equal(app.isLogging('debug'), false);
  assert.equal((await app.test().get('/report')).text, '3 rows');
  assert.equal(app.logger.level, 'warn');
  const quiet = (await import('../src/index.js')).createApp({ logger: false });
  assert.equal(quiet.isLogging('error'), false);
  assert.equal(quiet.logger.level, 'silent');
});

test('setup example: everything is declared before the first request; a late declaration is refused', async () => {
  const { buildApp } = await import('../docs/examples/routing/setup.js');
  const app = buildApp();
  const c = app.test();
  assert.deepEqual((await c.get('/notes/')).json(), { notes: ['Groceries'] });
  assert.equal((await c.get('/nowhere')).text, 'Nothing here.');
  assert.throws(() => app.get('/late', () => 'late'), /CONFIG_SETUP_FINISHED/);
});

test('request scope example', async () => {
  const { app } = await import('../docs/examples/routing/scope.js');
  const c = app.test();
  const note = await c.get('/api/notes/7');
  assert.equal(note.status, 200, note.text);
  assert.equal(note.json<{ title: string }>().title, 'Note 7');
  assert.match(note.json<{ csrf: string }>().csrf, /^[\w-]{20,}/);
  assert.match((await c.get('/api/token')).json<{ csrf: string }>().csrf, /^[\w-]{20,}/);
});

test('headers example', async () => {
  const { app } = await import('../docs/examples/routing/headers.js');
  const c = app.test();
  assert.equal((await c.get('/greet', { query: { name: 'Zoë\r\nSet-Cookie: a=1' } })).header('x-greeting-for'), 'Zo%C3%AB%0D%0ASet-Cookie%3A%20a%3D1');
  const raw = await c.get('/greet-raw', { query: { name: 'Zoë' }, headers: { accept: 'application/json' } });
  assert.equal(raw.status, 500);
  assert.equal(raw.json<{ error: { code: string } }>().error.code, 'HTTP_INVALID_HEADER');
  assert.equal((await c.get('/go', { query: { next: '/café' } })).location, '/caf%C3%A9');
  assert.equal((await c.get('/go', { query: { next: '/€ x' } })).location, '/%E2%82%AC%20x');
  assert.equal((await c.get('/go', { query: { next: '/\r\nx' } })).location, '/');
  assert.equal((await c.get('/go', { query: { next: '//evil.example' } })).location, '/');
});

test('routing example', async () => {
  const { app } = await import('../docs/examples/routing/app.js');
  const c = app.test();
  assert.equal((await c.get('/notes/7')).text, 'Note 7');
  assert.equal((await c.get('/notes/7')).header('x-served-by'), 'palisade');
  assert.deepEqual((await c.get('/api/notes/7')).json(), { id: 7 });
  assert.equal((await c.get('/notes/7?maintenance=1')).status, 503);
  const missing = await c.get('/missing');
  assert.equal(missing.status, 404);
  assert.equal(missing.text, 'That note does not exist.');
  assert.equal((await c.get('/nowhere')).text, 'Nothing here.');
  assert.equal(app.urlFor('note', { id: 'a/b' }), '/notes/a%2Fb');
  assert.equal(app.urlFor('note', { id: 3 }, { tab: 'x y' }), '/notes/3?tab=x+y');
  const created = await c.post('/notes', { form: { title: 'abc' } });
  assert.equal(created.status, 303);
  assert.equal(created.location, '/notes/3');
});
