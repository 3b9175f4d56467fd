// Redis faults under load, over real sockets: Redis stopped mid-run, Redis frozen
// (SIGSTOP), Redis back on the same port. Requests that need the session get a clear 503
// (SESSION_STORE_UNAVAILABLE) within a bounded time, never a 500 or a hang; requests that
// do not need it keep working throughout; sessions work again once Redis is back, without
// restarting the app.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { createApp } from '../../src/index.js';
import { freePort, redisMissing as missing, startRedis } from '../security/redis-helper.js';
import { keepAliveAgent, send, type SimpleResponse } from './net-helpers.js';

interface Tally {
  sessionOk: number;
  session503: number;
  plainOk: number;
  bad: string[];
  slowest503: number;
}

test('Redis stopped, frozen and restarted under load: 503 for session requests only, recovery without a restart', { skip: missing }, async () => {
  const port = await freePort();
  let redis = await startRedis(port);
  const app = createApp({ env: 'test', logger: false, session: { store: { redis: `redis://127.0.0.1:${port}` } } });
  app.get('/count', async (req) => {
    const n = ((await req.session.get<number>('n')) ?? 0) + 1;
    await req.session.set('n', n);
    return { n };
  });
  app.get('/plain', () => ({ ok: true }));
  const server = await app.listen({ port: 0 });
  const tally: Tally = { sessionOk: 0, session503: 0, plainOk: 0, bad: [], slowest503: 0 };
  let stop = false;

  /** One client: a keep-alive connection, its own session cookie; clients 0–1 use the session, 2–3 do not. */
  const client = async (c: number) => {
    const agent = keepAliveAgent(1);
    let cookie = '';
    for (let i = 0; !stop; i++) {
      const path = c < 2 ? '/count' : '/plain';
      const t0 = Date.now();
      let r: SimpleResponse;
      try {
        r = await send(server.port, 'GET', path, { agent, headers: { accept: 'application/json', ...(cookie ? { cookie } : {}) }, timeoutMs: 10_000 });
      } catch (err) {
        tally.bad.push(`client ${c} ${path}: ${(err as Error).message}`);
        continue;
      }
      const set = r.headers['set-cookie'];
      if (set) cookie = set[0]!.split(';', 1)[0]!;
      if (path === '/plain') {
        if (r.status === 200) tally.plainOk++;
        else tally.bad.push(`/plain → ${r.status} ${r.body.slice(0, 100)}`);
      } else if (r.status === 200) tally.sessionOk++;
      else if (r.status === 503 && (JSON.parse(r.body) as { error: { code: string } }).error.code === 'SESSION_STORE_UNAVAILABLE') {
        tally.session503++;
        tally.slowest503 = Math.max(tally.slowest503, Date.now() - t0);
      } else tally.bad.push(`/count → ${r.status} ${r.body.slice(0, 120)}`);
      await sleep(5);
    }
    agent.destroy();
  };

  try {
    const clients = Array.from({ length: 4 }, (_, c) => client(c));
    const phase = async (name: string, ms: number) => {
      const before = { ...tally, bad: tally.bad.length };
      await sleep(ms);
      const d = {
        sessionOk: tally.sessionOk - before.sessionOk,
        session503: tally.session503 - before.session503,
        plainOk: tally.plainOk - before.plainOk,
        bad: tally.bad.length - before.bad,
      };
      console.log(`# redis ${name}: session ok ${d.sessionOk}, session 503 ${d.session503}, plain ok ${d.plainOk}, other ${d.bad}`);
      return d;
    };

    const up = await phase('up', 600);
    assert.ok(up.sessionOk > 0 && up.session503 === 0, 'sessions work while Redis is up');

    await redis.stop();
    const down = await phase('stopped', 2500);
    assert.ok(down.session503 > 0, 'session requests are refused with 503 while Redis is down');
    assert.ok(down.plainOk > 0, 'requests without a session keep working while Redis is down');

    redis = await startRedis(port);
    // ioredis reconnects with a back-off of at most 2 s: sessions come back on their own.
    const deadline = Date.now() + 15_000;
    const okBefore = tally.sessionOk;
    while (tally.sessionOk < okBefore + 8 && Date.now() < deadline) await sleep(50);
    const back = await phase('restarted', 600);
    assert.ok(back.sessionOk > 0 && back.session503 === 0, 'sessions work again after Redis came back, without restarting the app');

    // Frozen Redis: connections stay open but nothing answers; the command timeout bounds it.
    redis.signal('SIGSTOP');
    // Long enough for the 2 s command timeout to answer at least once even on a loaded machine.
    const frozen = await phase('frozen', 5000);
    redis.signal('SIGCONT');
    assert.ok(frozen.plainOk > 0, 'requests without a session keep working while Redis is frozen');
    assert.ok(frozen.session503 > 0, 'session requests get a 503 within the command timeout while Redis is frozen');
    const deadline2 = Date.now() + 15_000;
    const ok2 = tally.sessionOk;
    while (tally.sessionOk < ok2 + 8 && Date.now() < deadline2) await sleep(50);
    const thawed = await phase('thawed', 600);
    assert.ok(thawed.sessionOk > 0, 'sessions work again after Redis was frozen');

    stop = true;
    await Promise.all(clients);
    console.log(`# redis totals: session ok ${tally.sessionOk}, session 503 ${tally.session503} (slowest ${tally.slowest503} ms), plain ok ${tally.plainOk}`);
    assert.deepEqual(tally.bad.slice(0, 10), [], `${tally.bad.length} requests got something other than 200 or a SESSION_STORE_UNAVAILABLE 503`);
  } finally {
    stop = true;
    await server.close();
    await redis.stop();
  }
});
