// Every request header that Palisade reads by hand is read in time linear in its length:
// each one, filled with the shapes that make careless parsers backtrack (long runs of
// spaces between the parts a regex looks for, runs of separators, quotes, escapes), is
// answered quickly, whatever the answer. The test client sets no cap on header size, so
// the values here are four times what node:http lets through (16 KiB by default).
//
// The static regex check (test/regexps.test.ts) catches a backtracking regex before it
// lands; this table checks the parsers as they run, regexes or not.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createApp } from '../../src/index.js';
import { freshTmp, removeDir } from '../files/helpers.js';

const root = freshTmp();
after(() => removeDir(root));
mkdirSync(join(root, 'static'));
writeFileSync(join(root, 'static', 'style.css'), 'body { color: #222 }\n'.repeat(100));

const app = createApp({
  env: 'test',
  trustProxy: true,
  static: { dir: join(root, 'static') },
  cors: { origins: ['https://app.example.com'] },
  logger: false,
});
app.get('/who', (req) => ({ ip: req.ip, host: req.host, protocol: req.protocol, cookies: Object.keys(req.cookies).length }));
app.post('/form', async (req) => ({ n: (await req.form()).size }));
app.post('/json', async (req) => ({ v: await req.json() }));
const client = app.test();

const N = 64 * 1024;
const half = N / 2;
/** Shapes that make a backtracking parser slow: its separators with long runs between them. */
function shapes(prefix: string, seps: string[]): string[] {
  const out = [
    prefix + ' '.repeat(half) + '-' + ' '.repeat(half) + 'x',
    prefix + '\t'.repeat(N) + '!',
    prefix + 'a'.repeat(N) + '\u0000',
  ];
  for (const s of seps) {
    out.push(prefix + s.repeat(N / s.length));
    out.push(prefix + (s + ' ').repeat(N / (s.length + 1)) + '\u00ff');
    out.push(prefix + ('a' + s).repeat(N / (s.length + 1)) + '"');
  }
  return out;
}

// header → the request that makes Palisade read it, and the values to send.
const TABLE: [header: string, method: string, path: string, values: string[]][] = [
  ['range', 'GET', '/static/style.css', [...shapes('bytes=', ['-', ',', '=', '0-', '0']), ...shapes('', ['bytes=', ' = '])]],
  ['if-range', 'GET', '/static/style.css', shapes('', ['"', 'W/', ',', ' GMT'])],
  ['if-none-match', 'GET', '/static/style.css', shapes('', ['"', 'W/', ',', 'W/"x",', '*'])],
  ['if-modified-since', 'GET', '/static/style.css', shapes('', [' ', ',', ':', 'Mon, 01 Jan 2024 ', '0'])],
  ['accept', 'GET', '/no-such-page', shapes('', ['application/json', 'text/html', ',', ';q=0.9'])],
  ['content-type', 'POST', '/form', shapes('application/x-www-form-urlencoded', [';', '; a=', '="', '\\', ';a="\\"'])],
  ['content-type', 'POST', '/json', shapes('application/json', [';', '; charset="', '+json', '/'])],
  ['cookie', 'GET', '/who', shapes('', [';', '=', '; a=', '"', '%', 'session='])],
  ['x-forwarded-for', 'GET', '/who', shapes('', [',', ', ', '1.2.3.4,', ':'])],
  ['x-forwarded-proto', 'GET', '/who', shapes('', [',', 'https,', ' '])],
  ['x-forwarded-host', 'GET', '/who', shapes('', [',', 'localhost,', ':', '.'])],
  ['host', 'GET', '/who', shapes('', ['.', 'a.', ':', '[', '-'])],
  ['origin', 'POST', '/form', shapes('https://', [':', '/', '.', 'app.example.com'])],
  ['origin', 'OPTIONS', '/who', shapes('https://', [':', '/', '.'])],
  ['access-control-request-headers', 'OPTIONS', '/who', shapes('', [',', ', ', 'x-a,'])],
  ['sec-fetch-site', 'POST', '/form', shapes('', ['-', 'same-'])],
  ['x-csrf-token', 'POST', '/form', shapes('', ['.', '-', '_', '='])],
  ['content-length', 'POST', '/form', shapes('', ['0', ' '])],
];

// A linear parser reads 64 KiB in well under a millisecond; a quadratic one needs seconds.
// The budget leaves room for a loaded machine and the request's own work.
const BUDGET_MS = 300;

for (const [header, method, path, values] of TABLE) {
  test(`${header} on ${method} ${path}: ${values.length} hostile values of 64 KiB, each answered in under ${BUDGET_MS} ms`, async () => {
    const slow: string[] = [];
    for (const value of values) {
      const headers: Record<string, string> = { [header]: value };
      if (header === 'if-range') headers['range'] = 'bytes=0-1'; // If-Range is read only with a Range
      if (header !== 'origin') headers['origin'] = header === 'host' ? 'http://x' : 'http://localhost';
      if (method === 'OPTIONS') {
        headers['origin'] = header === 'origin' ? value : 'https://app.example.com';
        headers['access-control-request-method'] = 'GET';
      }
      if (header !== 'content-type' && method === 'POST') headers['content-type'] = path === '/json' ? 'application/json' : 'application/x-www-form-urlencoded';
      const body = method === 'POST' && header !== 'content-length' ? (path === '/json' ? '{"a":1}' : 'a=1') : undefined;
      const t0 = performance.now();
      const res = await client.request(method, path, { headers, ...(body === undefined ? {} : { body }), csrf: header !== 'x-csrf-token' });
      const ms = performance.now() - t0;
      assert.ok(res.status < 500, `${header}: ${JSON.stringify(value.slice(0, 40))}… answered ${res.status}: ${res.text.slice(0, 200)}`);
      if (ms > BUDGET_MS) slow.push(`${Math.round(ms)} ms for ${JSON.stringify(value.slice(0, 30))}… (${res.status})`);
    }
    assert.deepEqual(slow, [], `${header} is read in super-linear time:\n${slow.join('\n')}`);
  });
}

test('control: the same budget catches a backtracking parser on the same input', () => {
  // The Range regex this project once had: adjacent \s* let a run of spaces be split
  // between them in every way before the match fails.
  const quadratic = (h: string) => /^\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*$/i.exec(h);
  const value = `bytes=${' '.repeat(800)}-${' '.repeat(800)}x`; // 1.6 KiB, not 64
  const t0 = performance.now();
  quadratic(value);
  assert.ok(performance.now() - t0 > BUDGET_MS, 'a backtracking parser finished 1.6 KiB inside the budget');
});
