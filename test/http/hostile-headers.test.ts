// Every request header that Palisade reads by hand is read in time linear in its length:
// each one, filled with the shapes that make careless parsers backtrack (long runs of
// spaces between the parts a regex looks for, runs of separators, quotes, escapes), is
// answered with a non-5xx status in time that grows with the value's length, not with its
// square. The test client sets no cap on header size, so the largest values here are four
// times what node:http lets through (16 KiB by default).
//
// Growth, not speed, is what is asserted: each value is sent at 8 KiB and at 64 KiB, the
// fastest of three tries of each is kept, and a parser is super-linear when the 64 KiB
// value takes more than 20 times as long as the 8 KiB one (linear: about 8; quadratic:
// about 64) and more than 50 ms. A loaded machine slows both sizes alike.
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

/** Shapes of about `n` characters that make a backtracking parser slow: its separators with long runs between them. */
function shapesOf(prefix: string, seps: string[], n: number): string[] {
  const half = n / 2;
  const out = [prefix + ' '.repeat(half) + '-' + ' '.repeat(half) + 'x', prefix + '\t'.repeat(n) + '!', prefix + 'a'.repeat(n) + '\u0000'];
  for (const s of seps) {
    out.push(prefix + s.repeat(Math.floor(n / s.length)));
    out.push(prefix + (s + ' ').repeat(Math.floor(n / (s.length + 1))) + '\u00ff');
    out.push(prefix + ('a' + s).repeat(Math.floor(n / (s.length + 1))) + '"');
  }
  return out;
}
const SMALL = 8 * 1024;
const LARGE = 64 * 1024;
/** The same shapes at both sizes, paired. */
const shapes = (prefix: string, seps: string[]): [string, string][] => {
  const small = shapesOf(prefix, seps, SMALL);
  const large = shapesOf(prefix, seps, LARGE);
  return small.map((v, i) => [v, large[i]!]);
};

/** The fastest of three runs of `f`, in ms. */
async function fastest(f: () => unknown): Promise<number> {
  let best = Infinity;
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now();
    await f();
    best = Math.min(best, performance.now() - t0);
  }
  return best;
}
const GROWTH = 20;
const FLOOR_MS = 50;
/** Why the pair of timings shows super-linear growth, or null. */
const superLinear = (small: number, large: number): string | null =>
  large > FLOOR_MS && large > GROWTH * Math.max(small, 0.05) ? `${small.toFixed(1)} ms at 8 KiB, ${large.toFixed(1)} ms at 64 KiB` : null;

// header → the request that makes Palisade read it, and the values to send.
const TABLE: [header: string, method: string, path: string, values: [string, string][]][] = [
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

for (const [header, method, path, values] of TABLE) {
  test(`${header} on ${method} ${path}: ${values.length} hostile values read in linear time, none answered 5xx`, async () => {
    const slow: string[] = [];
    for (const pair of values) {
      const send = async (value: string) => {
        const headers: Record<string, string> = { [header]: value };
        if (header === 'if-range') headers['range'] = 'bytes=0-1'; // If-Range is read only with a Range
        if (header !== 'origin') headers['origin'] = header === 'host' ? 'http://x' : 'http://localhost';
        if (method === 'OPTIONS') {
          headers['origin'] = header === 'origin' ? value : 'https://app.example.com';
          headers['access-control-request-method'] = 'GET';
        }
        if (header !== 'content-type' && method === 'POST')
          headers['content-type'] = path === '/json' ? 'application/json' : 'application/x-www-form-urlencoded';
        const body = method === 'POST' && header !== 'content-length' ? (path === '/json' ? '{"a":1}' : 'a=1') : undefined;
        const res = await client.request(method, path, { headers, ...(body === undefined ? {} : { body }), csrf: header !== 'x-csrf-token' });
        assert.ok(res.status < 500, `${header}: ${JSON.stringify(value.slice(0, 40))}… answered ${res.status}: ${res.text.slice(0, 200)}`);
      };
      const why = superLinear(await fastest(() => send(pair[0])), await fastest(() => send(pair[1])));
      if (why !== null) slow.push(`${why} for ${JSON.stringify(pair[1].slice(0, 30))}…`);
    }
    assert.deepEqual(slow, [], `${header} is read in super-linear time:\n${slow.join('\n')}`);
  });
}

test('control: the same growth check catches a backtracking parser', async () => {
  // The Range regex this project once had: adjacent \s* let a run of spaces be split
  // between them in every way before the match fails. Sizes 1/64 of the table's keep it short.
  const quadratic = (h: string) => /^\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*$/i.exec(h);
  const at = (n: number) => `bytes=${' '.repeat(n / 2)}-${' '.repeat(n / 2)}x`;
  const small = await fastest(() => quadratic(at(SMALL / 64)));
  const large = await fastest(() => quadratic(at(LARGE / 64)));
  assert.ok(superLinear(small, large) !== null, `not caught: ${small.toFixed(1)} ms, ${large.toFixed(1)} ms`);
  // and a linear reading of the same values is not flagged
  const linear = (h: string) => h.trim().split('=');
  assert.equal(superLinear(await fastest(() => linear(at(SMALL))), await fastest(() => linear(at(LARGE)))), null);
});
