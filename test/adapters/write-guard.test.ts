// "No request can stop the process": request data written into a response head (redirect
// targets, header names and values, cookie options, the status) or a body that fails, sent
// to a real server in a child process. Before the fix, the first of these made node throw
// ERR_INVALID_CHAR out of writeHead and the process exited. Each case must get its answer,
// the server must keep serving, and the process must never see an uncaught exception or
// an unhandled rejection (either would end it). The test client must give the same
// answers, since it is meant to show what the server does.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validateHeaderName, validateHeaderValue } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { rawExchange, startChild, statusOf } from '../faults/net-helpers.js';
import { app } from '../fixtures/header-app.js';

interface Case {
  path: string;
  status: number;
  code?: string;
  location?: string;
  /** The raw value node would be asked to write without the guard (the control). */
  raw?: { name: string; value: string };
}

const enc = encodeURIComponent;
const CASES: Case[] = [
  // Redirects: browsers' encoding for text, a 400 for control characters.
  { path: `/go?next=${enc('/€')}`, status: 302, location: '/%E2%82%AC', raw: { name: 'location', value: '/€' } },
  { path: `/go?next=${enc('/é?q=ü#ß')}`, status: 302, location: '/%C3%A9?q=%C3%BC#%C3%9F' },
  { path: `/go?next=${enc('/a b')}`, status: 302, location: '/a%20b' },
  { path: `/go-async?next=${enc('/€')}`, status: 303, location: '/%E2%82%AC', raw: { name: 'location', value: '/€' } },
  ...['\x7f', '\x01', '\x0b', '\r\nSet-Cookie: a=1', '\0', '\x1b'].flatMap((c): Case[] => [
    { path: `/go?next=${enc(`/${c}`)}`, status: 400, code: 'HTTP_OPEN_REDIRECT', raw: { name: 'location', value: `/${c}` } },
    { path: `/go-async?next=${enc(`/x${c}y`)}`, status: 400, code: 'HTTP_OPEN_REDIRECT', raw: { name: 'location', value: `/x${c}y` } },
    { path: `/early?next=${enc(`/${c}`)}`, status: 400, code: 'HTTP_OPEN_REDIRECT', raw: { name: 'location', value: `/${c}` } },
  ]),
  // A tab does not crash node, but browsers drop it from URLs (`/\t/evil.example` is `//evil.example`).
  { path: `/go?next=${enc('/\t/evil.example')}`, status: 400, code: 'HTTP_OPEN_REDIRECT' },
  { path: `/go-fallback?next=${enc('/\r\n')}`, status: 302, location: '/' },
  // Header values: non-Latin-1, Latin-1, control characters, through every way of setting one.
  ...['€', 'é', '\x01', '\r\nX-Injected: 1', '\x7f', '😀'].flatMap((v): Case[] => [
    { path: `/header?v=${enc(v)}`, status: 500, code: 'HTTP_INVALID_HEADER' },
    { path: `/header-async?v=${enc(v)}`, status: 500, code: 'HTTP_INVALID_HEADER' },
    { path: `/header-init?v=${enc(v)}`, status: 500, code: 'HTTP_INVALID_HEADER' },
    { path: `/location?v=${enc(`/${v}`)}`, status: 500, code: 'HTTP_INVALID_HEADER' },
    { path: `/after?after=${enc(v)}`, status: 500, code: 'HTTP_INVALID_HEADER' },
    { path: `/boom?v=${enc(v)}`, status: 500, code: 'HTTP_INVALID_HEADER' },
  ]),
  // Written straight into res.headers, past setHeader: node's own rules decide (Latin-1 passes).
  ...['€', '\x01', '\r\nX-Injected: 1', '😀'].map((v): Case => ({
    path: `/raw-header?v=${enc(v)}`,
    status: 500,
    code: 'HTTP_INVALID_HEADER',
    raw: { name: 'x-value', value: v },
  })),
  ...['a b', 'a:b', '', 'é', '(x)'].flatMap((n): Case[] => [
    { path: `/header-name?n=${enc(n)}`, status: 500, code: 'HTTP_INVALID_HEADER' },
    { path: `/raw-header-name?n=${enc(n)}`, status: 500, code: 'HTTP_INVALID_HEADER', raw: { name: n, value: 'v' } },
  ]),
  // Cookies: the value is encoded; options that cannot be written are refused.
  { path: `/cookie-path?p=${enc('/a;b')}`, status: 500, code: 'HTTP_INVALID_HEADER' },
  { path: `/cookie-path?p=${enc('/\x01')}`, status: 500, code: 'HTTP_INVALID_HEADER' },
  { path: `/cookie-value?v=${enc('€\r\n')}`, status: 200 },
  // The status.
  ...['1000', '99', 'abc', '150', '600', '200.5'].flatMap((s): Case[] => [
    { path: `/status?s=${s}`, status: 500, code: 'HTTP_INVALID_STATUS' },
    { path: `/status-raw?s=${s}`, status: 500, code: 'HTTP_INVALID_STATUS' },
  ]),
  { path: '/body-raw', status: 500, code: 'HTTP_BAD_RETURN' },
];

function codeOf(text: string): string | undefined {
  return /"code":"([A-Z_]+)"/.exec(text)?.[1];
}

test('control: node itself refuses every raw value these cases would write (they are real crashes, not harmless input)', () => {
  for (const c of CASES) {
    if (c.raw === undefined) continue;
    assert.throws(
      () => {
        validateHeaderName(c.raw!.name);
        validateHeaderValue(c.raw!.name, c.raw!.value);
      },
      /ERR_INVALID_CHAR|ERR_INVALID_HTTP_TOKEN|Invalid character|must be a valid HTTP token/,
      c.path,
    );
  }
});

test('request data in a response head or a failing body never stops the server (real sockets, child process)', async () => {
  const child = await startChild('test/fixtures/header-app.ts');
  try {
    for (const c of CASES) {
      const r = await rawExchange(child.port, [`GET ${c.path} HTTP/1.1\r\nHost: localhost\r\nAccept: application/json\r\nConnection: close\r\n\r\n`]);
      if (statusOf(r.data) === undefined) {
        const gone = await Promise.race([child.exited, sleep(500).then(() => undefined)]);
        if (gone !== undefined) assert.fail(`the server died on ${c.path} (exit ${gone.code}): ${gone.stderr.trim().split('\n').slice(-12).join('\n')}`);
      }
      assert.equal(statusOf(r.data), c.status, `${c.path}: ${r.data.slice(0, 300)}`);
      if (c.code !== undefined) assert.equal(codeOf(r.data), c.code, c.path);
      if (c.location !== undefined) assert.match(r.data, new RegExp(`\r\nlocation: ${c.location.replace(/[?]/g, '\\?')}\r\n`, 'i'), c.path);
      assert.doesNotMatch(r.data, /\r\nx-injected:/i, c.path);
      assert.match(r.data, /\r\nx-content-type-options: nosniff\r\n/i, c.path);
    }
    // A body that fails after the headers went: the connection is cut, the server lives on.
    const mid = await rawExchange(child.port, ['GET /stream-throws HTTP/1.1\r\nHost: localhost\r\n\r\n']);
    assert.equal(statusOf(mid.data), 200);
    assert.match(mid.data, /first part;/);
    assert.doesNotMatch(mid.data, /\r\n0\r\n\r\n$/, 'a failed body must not look complete');
    const early = await rawExchange(child.port, ['GET /readable-errors HTTP/1.1\r\nHost: localhost\r\n\r\n']);
    assert.ok(early.closed);
    const head = await rawExchange(child.port, ['HEAD /stream-throws-on-close HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n']);
    assert.equal(statusOf(head.data), 200);
    const health = await rawExchange(child.port, ['GET /health HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n']);
    assert.equal(statusOf(health.data), 200, 'still serving');
    if (child.child.exitCode !== null) assert.fail(`the server died: ${(await child.exited).stderr.slice(-800)}`);
  } finally {
    child.child.kill('SIGKILL');
  }
  const { stderr } = await child.exited;
  assert.doesNotMatch(stderr, /uncaught|unhandled|ERR_INVALID_CHAR/i);
});

test('the test client answers each case as the server does', async () => {
  const c = app.test();
  for (const k of CASES) {
    const r = await c.get(k.path, { headers: { accept: 'application/json' } });
    assert.equal(r.status, k.status, `${k.path}: ${r.text.slice(0, 200)}`);
    if (k.code !== undefined) assert.equal(r.json<{ error: { code: string } }>().error.code, k.code, k.path);
    if (k.location !== undefined) assert.equal(r.location, k.location, k.path);
    assert.equal(r.header('x-content-type-options'), 'nosniff', k.path);
  }
  await assert.rejects(c.get('/stream-throws'), /the stream failed mid-way/);
});
