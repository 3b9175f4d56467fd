// Two app processes share a Redis session store, as two workers behind one load
// balancer would: a login through one is seen by the other, a token from one page is
// accepted by the other, and a session destroyed through one is refused by the other.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { redisMissing, startRedis } from './redis-helper.js';

const SECRET = 'two-process-secret-'.padEnd(40, 'x');

async function startApp(redisUrl: string): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/fixtures/redis-session-app.ts'], {
    env: { ...process.env, REDIS_URL: redisUrl, PALISADE_SECRET_KEY: SECRET, PALISADE_ENV: 'test' },
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

/** A tiny browser: one cookie jar for both processes (they share an origin in production). */
class Browser {
  cookie = '';
  async send(url: string, method: string, form?: Record<string, string>): Promise<{ status: number; body: Record<string, unknown> }> {
    const headers: Record<string, string> = { accept: 'application/json', 'sec-fetch-site': 'same-origin' };
    if (this.cookie) headers.cookie = this.cookie;
    let body: string | undefined;
    if (form) {
      body = new URLSearchParams(form).toString();
      headers['content-type'] = 'application/x-www-form-urlencoded';
    }
    const res = await fetch(url, { method, headers, body, redirect: 'manual' });
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const [name, value] = pair!.split('=');
      if (name !== 'session') continue;
      this.cookie = /Max-Age=0/i.test(line) ? '' : `session=${value}`;
    }
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  }
}

test('two processes sharing a Redis session store', { skip: redisMissing }, async () => {
  const redis = await startRedis();
  const procs: ChildProcess[] = [];
  try {
    const [one, two] = await Promise.all([startApp(redis.url), startApp(redis.url)]);
    procs.push(one.child, two.child);
    const b = new Browser();

    // Log in through process one, with the login page's token.
    const loginPage = await b.send(`${one.url}/page`, 'GET');
    const login = await b.send(`${one.url}/login`, 'POST', { user: 'ada', csrf_token: String(loginPage.body.token) });
    assert.equal(login.status, 200);

    // The next page comes from process one; the form on it posts to process two.
    const page = await b.send(`${one.url}/page`, 'GET');
    assert.equal(page.body.user, 'ada');
    const posted = await b.send(`${two.url}/transfer`, 'POST', { csrf_token: String(page.body.token) });
    assert.equal(posted.status, 200, JSON.stringify(posted.body));
    assert.equal(posted.body.user, 'ada');
    assert.notEqual(posted.body.pid, page.body.pid, 'served by the other process');

    // Control: without the token, process two refuses.
    const noToken = await b.send(`${two.url}/transfer`, 'POST', {});
    assert.equal(noToken.status, 403);

    // Destroy the session through process two; process one then refuses the old cookie and token.
    const stolenCookie = b.cookie;
    const token = String((await b.send(`${one.url}/page`, 'GET')).body.token);
    const logout = await b.send(`${two.url}/logout`, 'POST', { csrf_token: token });
    assert.equal(logout.status, 200);
    assert.equal(b.cookie, '', 'the browser was told to drop the cookie');
    b.cookie = stolenCookie; // replay the old cookie, as a thief would
    const after = await b.send(`${one.url}/transfer`, 'POST', { csrf_token: token });
    assert.equal(after.status, 403);
    assert.equal((after.body.error as { code: string }).code, 'CSRF_TOKEN_INVALID');
  } finally {
    await Promise.all(procs.map(stop));
    await redis.stop();
  }
});
