// Fuzz: session cookies (src/security/session*.ts) through the test client. Any cookie
// value — random text, a tampered real cookie, even a correctly signed cookie with a
// hostile payload — is served without a 500, never yields someone else's data, and never
// pollutes a prototype.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { createApp, Signer } from '../../src/index.js';
import { anyString, check, piecesOf, prototypeKeys } from './fuzz-options.js';

const SECRET = 'sessions-fuzz-secret-0123456789-abcdefgh';

function sessionApp(store: 'cookie' | 'memory') {
  const app = createApp({ env: 'test', secretKey: SECRET, session: { store } });
  app.get('/read', async (req) => ({ n: (await req.session.get<number>('n')) ?? null, isNew: await req.session.isNew() }));
  app.post(
    '/inc',
    async (req) => {
      const n = ((await req.session.get<number>('n')) ?? 0) + 1;
      await req.session.set('n', n);
      return { n };
    },
    { csrf: false },
  );
  app.post('/keys', async (req) => ({ keys: Object.keys(await req.session.toObject()), proto: (await req.session.get('__proto__')) !== undefined }), {
    csrf: false,
  });
  return app;
}

const HOSTILE = ['.', '..', '=', '%', '%zz', '"', ' ', 'A'.repeat(43), 'eyJ', '==', '-', '_', '\u00e9', '\ud800', '0', 'z'];
const cookieValue = fc.oneof(anyString(120), piecesOf(HOSTILE, 20), fc.base64String({ maxLength: 200 })).map((s) => s.replace(/[\r\n\0;]/g, ''));

for (const store of ['cookie', 'memory'] as const) {
  test(`${store} store: any session cookie value is served (never a 500) as a new, empty session`, async () => {
    const app = sessionApp(store);
    const before = prototypeKeys();
    await check(
      fc.asyncProperty(cookieValue, async (v) => {
        const client = app.test();
        const r = await client.get('/read', { headers: { cookie: `session=${v}` } });
        assert.equal(r.status, 200, `session=${JSON.stringify(v)} → ${r.status} ${r.text.slice(0, 200)}`);
        assert.deepEqual(r.json(), { n: null, isNew: true });
        const w = await client.post('/inc', { headers: { cookie: `session=${v}` } });
        assert.equal(w.status, 200);
        assert.deepEqual(w.json(), { n: 1 });
        assert.equal(prototypeKeys(), before);
      }),
      { scale: 0.5 },
    );
  });

  test(`${store} store: a real session cookie with any one character changed is refused (fresh session)`, async () => {
    const app = sessionApp(store);
    const owner = app.test();
    await owner.post('/inc');
    await owner.post('/inc');
    const real = owner.cookies['session']!;
    assert.ok(real);
    assert.deepEqual((await owner.get('/read')).json(), { n: 2, isNew: false }, 'control: the real cookie works');
    await check(
      fc.asyncProperty(fc.nat(), fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.+/='), async (at, c) => {
        const i = at % real.length;
        if (real[i] === c) return;
        const forged = real.slice(0, i) + c + real.slice(i + 1);
        const r = await app.test().get('/read', { headers: { cookie: `session=${forged}` } });
        assert.equal(r.status, 200);
        assert.deepEqual(r.json(), { n: null, isNew: true }, `forged cookie (position ${i} → ${c}) accepted: ${forged}`);
      }),
      { scale: 1 },
    );
  });
}

test('cookie store: a correctly signed cookie with a hostile payload is served (never a 500) and pollutes nothing', async () => {
  const app = sessionApp('cookie');
  const signer = new Signer([SECRET], { purpose: 'palisade.session.cookie' });
  const id = 'A'.repeat(43);
  const before = prototypeKeys();
  const payloadJSON = fc.oneof(
    fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
    fc.jsonValue({ maxDepth: 3 }).map((d) => JSON.stringify({ i: id, d })),
    fc.constantFrom(
      `{"i":"${id}","d":{"__proto__":{"polluted":"yes"}}}`,
      `{"i":"${id}","d":{"constructor":{"prototype":{"polluted":"yes"}}}}`,
      `{"i":"${id}","d":{"n":"not a number"}}`,
      `{"i":"${id}","d":{"n":1e999}}`,
      `{"i":"../../etc","d":{}}`,
      `{"i":"${id}","d":null}`,
      '{"i":1}',
      '',
    ),
  );
  await check(
    fc.asyncProperty(payloadJSON, fc.boolean(), async (json, raw) => {
      const payload = raw ? json : Buffer.from(json).toString('base64url');
      const cookie = `session=${signer.sign(payload)}`;
      for (const [method, path] of [
        ['GET', '/read'],
        ['POST', '/keys'],
        ['POST', '/inc'],
      ] as const) {
        const r = await app.test().request(method, path, { headers: { cookie } });
        assert.equal(r.status, 200, `${method} ${path} with signed ${JSON.stringify(json)} → ${r.status} ${r.text.slice(0, 200)}`);
      }
      assert.equal(prototypeKeys(), before);
    }),
    { scale: 0.5 },
  );
});
