// Rate limits in Redis: two app processes share one count, and a burst of concurrent
// requests split between them gets exactly the limit through (the Lua script counts
// atomically). The control runs the same burst against two processes that count in their
// own memory: each lets the limit through, twice the limit in all.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { redisMissing, startRedis } from '../redis-helper.js';
import { RedisRateLimitStore } from '../../../src/security/rate-limit/redis-store.js';

async function startApp(env: Record<string, string>): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/fixtures/rate-limit-app.ts'], {
    env: { ...process.env, ...env, PALISADE_ENV: 'test' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  for await (const chunk of child.stdout!) {
    out += String(chunk);
    const m = /LISTENING (\d+)/.exec(out);
    if (m) return { url: `http://127.0.0.1:${m[1]}`, child };
  }
  throw new Error(`app process ended before listening: ${out}`);
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  child.kill('SIGTERM');
  await once(child, 'exit');
}

/** 30 concurrent login attempts for one username, alternating between the two processes. */
async function burst(urls: string[], username: string): Promise<{ allowed: number; refused: number }> {
  const results = await Promise.all(
    Array.from({ length: 30 }, async (_, i) => {
      const res = await fetch(`${urls[i % 2]}/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'sec-fetch-site': 'same-origin', accept: 'application/json' },
        body: new URLSearchParams({ username, password: `guess${i}` }).toString(),
      });
      await res.arrayBuffer();
      return { status: res.status };
    }),
  );
  return {
    allowed: results.filter((r) => r.status === 200).length,
    refused: results.filter((r) => r.status === 429).length,
  };
}

test('two processes sharing one Redis: a burst for one username gets exactly its limit through', { skip: redisMissing }, async () => {
  const redis = await startRedis();
  const procs: ChildProcess[] = [];
  try {
    const [one, two] = await Promise.all([startApp({ REDIS_URL: redis.url }), startApp({ REDIS_URL: redis.url })]);
    procs.push(one.child, two.child);
    const r = await burst([one.url, two.url], 'ada');
    assert.equal(r.allowed, 10, 'the username limit, across both processes');
    assert.equal(r.refused, 20);
    // Each process refuses ada now, whichever took her ten attempts.
    for (const u of [one.url, two.url]) assert.equal((await burst([u, u], 'ada')).allowed, 0);
    // The address limit is shared too: 25 in all, 10 already used by ada's attempts.
    const other = await burst([one.url, two.url], 'bob');
    assert.equal(other.allowed, 10);
    const third = await burst([one.url, two.url], 'carl');
    assert.equal(third.allowed, 5, 'the address rule: 25 allowed across both processes');
  } finally {
    for (const p of procs) await stop(p);
    await redis.stop();
  }
});

test('control: two processes counting in their own memory let twice the limit through', async () => {
  const procs: ChildProcess[] = [];
  try {
    const [one, two] = await Promise.all([startApp({ RATE_STORE: 'memory' }), startApp({ RATE_STORE: 'memory' })]);
    procs.push(one.child, two.child);
    const r = await burst([one.url, two.url], 'ada');
    assert.equal(r.allowed, 20);
  } finally {
    for (const p of procs) await stop(p);
  }
});

test("the Redis store: sliding windows by Redis's clock, keys that expire, and a 503-able failure while Redis is down", { skip: redisMissing }, async () => {
  const redis = await startRedis();
  const store = new RedisRateLimitStore({ redis: redis.url, prefix: 't:' });
  try {
    const q = { windowMs: 2000, limit: 3, sliding: true };
    const seen: import('../../../src/index.js').WindowCounts[] = [];
    for (let i = 0; i < 4; i++) seen.push(await store.hit('k', q));
    assert.deepEqual(
      seen.map((c) => c.allowed),
      [true, true, true, false],
    );
    assert.equal(seen[3]!.current, 3, 'the refused request was not counted');
    const drift = Math.abs(seen[0]!.now - Date.now());
    assert.ok(drift < 5000, `Redis's clock (${drift} ms off)`);
    const { createConnection } = await import('node:net');
    const ttl = await new Promise<string>((resolve) => {
      const s = createConnection(redis.port, '127.0.0.1', () => s.write(`PTTL t:{k}:${Math.floor(seen[0]!.now / 2000)}\r\n`));
      s.once('data', (d) => {
        resolve(String(d));
        s.destroy();
      });
    });
    const ms = Number(/:(-?\d+)/.exec(ttl)![1]);
    assert.ok(ms > 0 && ms <= 4000, `the counter expires two windows later (${ms} ms)`);
    redis.signal('SIGSTOP');
    await assert.rejects(store.hit('k', q));
  } finally {
    await store.close().catch(() => {});
    await redis.stop();
  }
});
