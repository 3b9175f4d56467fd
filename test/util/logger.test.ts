// The `logger` setting: pino's options (redact, serializers, transport…) or a pino logger
// of your own; readable lines in development on a terminal, JSON otherwise; every line
// about a request carries its id.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { createApp } from '../../src/index.js';
import { formatLogLine } from '../../src/util/log-pretty.js';

const INDEX = new URL('../../src/index.ts', import.meta.url).href;

/** A pino logger writing into an array of parsed lines. */
function collecting(level = 'info'): { logger: ReturnType<typeof pino>; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      for (const l of String(chunk).split('\n')) if (l !== '') lines.push(JSON.parse(l) as Record<string, unknown>);
      done();
    },
  });
  return { logger: pino({ level }, stream), lines };
}

/** Runs a module body in a child process (production mode unless env says otherwise); returns its stdout. */
function child(body: string, env: Record<string, string> = {}): string {
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', `import { createApp } from ${JSON.stringify(INDEX)};\n${body}`], {
    encoding: 'utf8',
    env: {
      ...process.env,
      PALISADE_ENV: 'production',
      PALISADE_SECRET_KEY: 'kq3Vb8yTzN1wR5pX0cL7hJ2mF9sD4gA6eU3iO8tY1rQ',
      PALISADE_ALLOWED_HOSTS: 'localhost',
      ...env,
    },
  });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout;
}

test('a pino logger of your own is used as it is, and every request line carries the request id', async () => {
  const { logger, lines } = collecting();
  const app = createApp({ env: 'test', logger });
  assert.equal(app.logger, logger);
  app.post('/notes', (req) => {
    req.log.info({ title: 'Milk' }, 'note saved');
    return { id: req.id };
  });
  app.get('/boom', () => {
    throw new Error('kaput');
  });
  const c = app.test();
  const res = await c.post('/notes');
  const id = res.json<{ id: string }>().id;
  assert.equal(res.header('x-request-id'), id);
  await c.get('/boom');
  const saved = lines.find((l) => l.msg === 'note saved')!;
  assert.deepEqual([saved.title, saved.reqId], ['Milk', id]);
  const done = lines.find((l) => l.path === '/notes' && l.status === 200)!;
  assert.equal(done.reqId, id, 'the request line');
  const failed = lines.find((l) => l.msg === 'request failed')!;
  assert.equal(typeof failed.reqId, 'string');
  assert.equal((failed.err as { message: string }).message, 'kaput');
  assert.equal(lines.find((l) => l.path === '/boom' && l.status === 500)!.reqId, failed.reqId);
});

test('pino options: redact and serializers apply; production writes JSON lines to stdout', () => {
  const out = child(`
    const app = createApp({ logger: { level: 'debug', redact: ['card'], serializers: { user: (u) => u.name } } });
    app.get('/', (req) => { req.log.debug({ card: '4111 1111', user: { name: 'ada', password: 'x' } }, 'paid'); return 'ok'; });
    await app.test().get('/');
  `);
  const line = out
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>)
    .find((l) => l.msg === 'paid')!;
  assert.equal(line.card, '[Redacted]');
  assert.equal(line.user, 'ada');
  assert.equal(typeof line.reqId, 'string');
});

test('a transport writes the lines (pino/file)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'palisade-log-'));
  try {
    const file = join(dir, 'app.log');
    child(`
      const app = createApp({ logger: { transport: { target: 'pino/file', options: { destination: ${JSON.stringify(file)} } } } });
      app.get('/', () => 'ok');
      await app.test().get('/');
      await new Promise((r) => setTimeout(r, 300));
    `);
    const line = JSON.parse(readFileSync(file, 'utf8').split('\n')[0]!) as Record<string, unknown>;
    assert.deepEqual([line.method, line.path, line.status], ['GET', '/', 200]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('development: readable lines when stdout is a terminal, JSON when it is not; pretty overrides', () => {
  const json = child(`const app = createApp({ env: 'development' }); app.get('/', () => 'ok'); await app.test().get('/');`);
  assert.match(json, /^\{"level":30,.*"method":"GET","path":"\/","status":200/m);
  const forced = child(`const app = createApp({ env: 'development', logger: { pretty: true } }); app.get('/', () => 'ok'); await app.test().get('/');`, {
    NO_COLOR: '1',
  });
  assert.match(forced, /^\d\d:\d\d:\d\d\.\d{3} INFO  GET \/ 200 [\d.]+ms reqId=[\w-]+$/m);
  // stdout a terminal (as node reports it to the app): readable, coloured.
  const tty = child(
    `Object.defineProperty(process.stdout, 'isTTY', { value: true }); const app = createApp({ env: 'development' }); app.get('/', () => 'ok'); await app.test().get('/');`,
    { NO_COLOR: '' },
  );
  assert.match(tty, /^\d\d:\d\d:\d\d\.\d{3} \x1b\[32mINFO \x1b\[0m GET \/ 200 /m);
  // Production on a terminal stays JSON: log collectors read it.
  const prod = child(
    `Object.defineProperty(process.stdout, 'isTTY', { value: true }); const app = createApp(); app.get('/', () => 'ok'); await app.test().get('/');`,
  );
  assert.match(prod, /^\{"level":30,/m);
});

test('the readable format: message, fields, and an error stack below', () => {
  const t = Date.UTC(2026, 0, 2, 3, 4, 5, 6);
  const line = formatLogLine(
    JSON.stringify({
      level: 50,
      time: t,
      msg: 'request failed',
      method: 'GET',
      path: '/a b',
      err: { type: 'Error', message: 'x', stack: 'Error: x\n    at f (a.ts:1:2)', code: 'HTTP_INTERNAL' },
    }),
  );
  assert.match(line, /^\d\d:\d\d:\d\d\.006 ERROR request failed method=GET path="\/a b"\n    \[HTTP_INTERNAL\] Error: x\n        at f \(a\.ts:1:2\)\n$/);
  assert.equal(formatLogLine('not json'), 'not json\n');
});

test('a logger setting that cannot work is CONFIG_INVALID', () => {
  assert.throws(() => createApp({ env: 'test', logger: 'debug' as never }), {
    code: 'CONFIG_INVALID',
    message: /"logger" must be false, pino options or a pino logger/,
  });
  assert.throws(() => createApp({ env: 'test', logger: { level: 3 as never } }), { code: 'CONFIG_INVALID', message: /"logger\.level"/ });
  assert.throws(() => createApp({ env: 'test', logger: { pretty: 'yes' as never } }), { code: 'CONFIG_INVALID', message: /"logger\.pretty"/ });
});

test('a pino logger with custom levels is taken too (it type-checks, and the app logs with it)', async () => {
  const lines: string[] = [];
  const audit = pino({ customLevels: { audit: 35 }, level: 'info' }, { write: (l: string) => void lines.push(l) });
  const app = createApp({ env: 'test', logger: audit });
  app.get('/', (req) => {
    (req.log as unknown as typeof audit).audit('seen');
    return 'ok';
  });
  await app.test().get('/');
  assert.equal(lines.filter((l) => /"level":35,.*"reqId".*"msg":"seen"/.test(l)).length, 1);
});
