// Password hashing: scrypt's own test vectors through the stored-hash format, round trips,
// parameters kept in the hash (needsRehash), refused inputs, and the event loop kept free
// while a hash is computed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { scryptSync } from 'node:crypto';
import { createHook } from 'node:async_hooks';
import { createApp, hashPassword, verifyPassword, needsRehash, PalisadeError, MAX_PASSWORD_BYTES, PASSWORD_DEFAULTS } from '../../src/index.js';

const b64 = (b: Buffer): string => b.toString('base64').replace(/=+$/, '');
const phc = (ln: number, r: number, p: number, salt: string, keyHex: string): string =>
  `$scrypt$ln=${ln},r=${r},p=${p}$${b64(Buffer.from(salt))}$${b64(Buffer.from(keyHex, 'hex'))}`;

// RFC 7914 §12 (the scrypt test vectors; the same values are in CPython's
// Lib/test/test_hashlib.py). Vector 1 has an empty salt, which the PHC string here always
// has, and vector 4 needs 1 GiB, past the memory a stored hash may ask for.
const RFC7914 = [
  {
    password: 'password',
    salt: 'NaCl',
    ln: 10,
    r: 8,
    p: 16,
    key: 'fdbabe1c9d3472007856e7190d01e9fe7c6ad7cbc8237830e77376634b3731622eaf30d92e22a3886ff109279d9830dac727afb94a83ee6d8360cbdfa2cc0640',
  },
  {
    password: 'pleaseletmein',
    salt: 'SodiumChloride',
    ln: 14,
    r: 8,
    p: 1,
    key: '7023bdcb3afd7348461c06cd81fd38ebfda8fbba904f8e3ea9b543f6545da1f2d5432955613f0fcf62d49705242a9af9e61e85dc0d651e40dfcf017b45575887',
  },
];

test('RFC 7914 test vectors verify through the PHC string format, and one changed byte does not', async () => {
  for (const v of RFC7914) {
    const hash = phc(v.ln, v.r, v.p, v.salt, v.key);
    assert.equal(await verifyPassword(v.password, hash), true, v.password);
    assert.equal(await verifyPassword(`${v.password}x`, hash), false);
    const flipped = v.key.slice(0, -2) + (v.key.endsWith('40') ? '41' : '40');
    assert.equal(await verifyPassword(v.password, phc(v.ln, v.r, v.p, v.salt, flipped)), false);
  }
});

test('hashPassword: a PHC string with the default parameters, a fresh salt each time, and verifies', async () => {
  assert.deepEqual(PASSWORD_DEFAULTS, { ln: 17, r: 8, p: 1 });
  const [a, b] = [await hashPassword('correct horse'), await hashPassword('correct horse')];
  assert.match(a, /^\$scrypt\$ln=17,r=8,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/);
  assert.notEqual(a, b, 'salted');
  assert.equal(await verifyPassword('correct horse', a), true);
  assert.equal(await verifyPassword('correct horsf', a), false);
  assert.equal(await verifyPassword('', a), false);
  assert.equal(needsRehash(a), false);
});

test('parameters live in the hash: a hash made with other ones verifies and needs a rehash', async () => {
  const weak = await hashPassword('pw', { ln: 10, r: 8, p: 1 });
  assert.match(weak, /^\$scrypt\$ln=10,r=8,p=1\$/);
  assert.equal(await verifyPassword('pw', weak), true);
  assert.equal(needsRehash(weak), true);
  assert.equal(needsRehash(weak, { ln: 10 }), false);
  assert.equal(needsRehash('$2b$12$legacybcrypthashxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx'), true, 'another algorithm');
});

/** How many scrypt computations `run` started (node's async resource SCRYPTREQUEST): hashing observed, not timed. */
async function scryptRuns(run: () => Promise<unknown>): Promise<number> {
  let n = 0;
  const hook = createHook({ init: (_id, type) => void (type === 'SCRYPTREQUEST' && n++) }).enable();
  try {
    await run();
  } finally {
    hook.disable();
  }
  return n;
}

test('scryptRuns sees a hash (control for the checks below)', async () => {
  assert.equal(await scryptRuns(() => hashPassword('pw', { ln: 8 })), 1);
});

test('Unicode: a password typed in another normalization form (NFD, a ligature) is the same password', async () => {
  const h = await hashPassword('café ﬁsh', { ln: 8 });
  assert.equal(await verifyPassword('cafe\u0301 fish', h), true);
});

test('a password over 1024 bytes is a 400 (AUTH_PASSWORD_TOO_LONG) at once, before any hashing; 1024 is fine', async () => {
  const h = await hashPassword('x'.repeat(MAX_PASSWORD_BYTES), { ln: 8 });
  assert.equal(await verifyPassword('x'.repeat(MAX_PASSWORD_BYTES), h), true);
  for (const pw of ['x'.repeat(MAX_PASSWORD_BYTES + 1), 'é'.repeat(513), 'x'.repeat(1 << 20), 'ﬃ'.repeat(400) /* 1200 bytes: fits before NFKC, 1200 after */]) {
    for (const run of [() => hashPassword(pw), () => verifyPassword(pw, h)]) {
      const n = await scryptRuns(() =>
        assert.rejects(run(), (e: unknown) => e instanceof PalisadeError && e.code === 'AUTH_PASSWORD_TOO_LONG' && e.status === 400),
      );
      assert.equal(n, 0, `refused without hashing (${pw.length} chars)`);
    }
  }
});

test('over HTTP: a JSON login with a 1 MB password gets a clear 400, and the app goes on serving', async () => {
  const app = createApp({ env: 'test', maxBodySize: 2 * 1024 * 1024, csrf: { enabled: false } });
  const stored = await hashPassword('secret', { ln: 8 });
  app.post('/api/login', async (req) => ({ ok: await verifyPassword((await req.json<{ password: string }>()).password, stored) }));
  app.get('/ping', () => 'pong');
  const server = await app.listen({ port: 0, handleSignals: false });
  try {
    const res = await fetch(`${server.url}/api/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ password: 'p'.repeat(1 << 20) }),
    });
    assert.equal(res.status, 400);
    assert.equal(((await res.json()) as { error: { code: string } }).error.code, 'AUTH_PASSWORD_TOO_LONG');
    assert.equal(await (await fetch(`${server.url}/ping`)).text(), 'pong');
    const ok = await fetch(`${server.url}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"password":"secret"}' });
    assert.deepEqual(await ok.json(), { ok: true });
  } finally {
    await server.close();
  }
});

test('a stored hash that is not ours, or asks for too much, is AUTH_HASH_INVALID (a 500), never a wrong password', async () => {
  const good = await hashPassword('pw', { ln: 8 });
  const bad = [
    '',
    'plain',
    'scrypt$abc$def',
    good.replace('$scrypt$', '$argon2id$'),
    good.replace('ln=8', 'ln=0'),
    good.replace('ln=8', 'ln=21') /* 256 MiB at r=8 is the most: 2^21 · 1 KiB = 2 GiB */,
    good.replace('ln=8,r=8,p=1', 'ln=14,r=8,p=999'),
    good.replace(/\$[^$]+$/, '$AAAA'),
    good.replace(/\$[^$]+(\$[^$]+)$/, '$$AB$1'),
    good + '=',
    good.replace(/\$[^$]+$/, '$' + '#'.repeat(43)),
    'x'.repeat(100_000),
  ];
  for (const h of bad) {
    const n = await scryptRuns(() =>
      assert.rejects(verifyPassword('pw', h), (e: unknown) => e instanceof PalisadeError && e.code === 'AUTH_HASH_INVALID' && e.status === 500, h.slice(0, 60)),
    );
    assert.equal(n, 0, `refused before hashing: ${h.slice(0, 60)}`);
    assert.equal(needsRehash(h), true);
  }
  await assert.rejects(verifyPassword('pw', null as unknown as string), (e: unknown) => e instanceof PalisadeError && e.code === 'AUTH_HASH_INVALID');
  await assert.rejects(hashPassword(undefined as unknown as string), TypeError);
  await assert.rejects(hashPassword('pw', { ln: 25 }), TypeError);
  await assert.rejects(hashPassword('pw', { ln: 20, r: 16 }), /MiB/);
});

test('hashing runs off the event loop: timers keep firing while a hash is computed (control: scryptSync stops them)', async () => {
  const ticksDuring = async (work: () => Promise<unknown> | unknown): Promise<{ ticks: number; ms: number }> => {
    let ticks = 0;
    const timer = setInterval(() => ticks++, 2);
    const started = performance.now();
    await work();
    const ms = performance.now() - started;
    clearInterval(timer);
    return { ticks, ms };
  };
  const async = await ticksDuring(() => hashPassword('pw', { ln: 15 }));
  assert.ok(async.ms > 30, `the hash took ${async.ms} ms`);
  assert.ok(async.ticks >= 5, `${async.ticks} timer ticks in ${async.ms.toFixed(0)} ms of hashing`);
  const sync = await ticksDuring(() => scryptSync('pw', 'saltsaltsaltsalt', 32, { N: 2 ** 15, r: 8, p: 1, maxmem: 64 * 2 ** 20 }));
  assert.equal(sync.ticks, 0, 'the control blocks the loop for the whole hash');
});

test('at most two hashes run at once; the others wait their turn and all finish', async () => {
  const started = performance.now();
  const hashes = await Promise.all(Array.from({ length: 6 }, (_, i) => hashPassword(`pw${i}`, { ln: 12 })));
  assert.equal(new Set(hashes).size, 6);
  for (let i = 0; i < 6; i++) assert.equal(await verifyPassword(`pw${i}`, hashes[i]!), true);
  assert.ok(performance.now() - started < 60_000);
});
