import { test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { join } from 'node:path';
import { exited, FIXTURES, runCli, SECRET, startCli, waitForOutput } from './fixtures/spawn-cli.js';

const PROD = { PALISADE_SECRET_KEY: SECRET, PALISADE_ALLOWED_HOSTS: '127.0.0.1' };
const app = join(FIXTURES, 'safe-app.ts');

/** GET over a fresh connection (no keep-alive), so the cluster may hand it to any worker. */
function get(url: string): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent: false, headers: { connection: 'close' } }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

test('palisade run serves the app in production mode and stops on SIGTERM', async () => {
  const child = startCli(['run', app, '--port', '0'], PROD);
  try {
    const [, url, mode] = await waitForOutput(child, /serving .* on (http:\/\/127\.0\.0\.1:\d+) \((\w+) mode/);
    assert.equal(mode, 'production');
    const res = await get(`${url}/pid`);
    assert.equal(res.status, 200);
    assert.deepEqual(JSON.parse(res.body), { pid: child.pid });
    assert.match(String(res.headers['content-security-policy']), /'nonce-/);
    assert.equal(res.headers['x-frame-options'], 'SAMEORIGIN');
  } finally {
    child.kill('SIGTERM');
  }
  assert.equal(await exited(child), 0);
});

test('palisade run refuses to start without production settings, naming the fix', async () => {
  const res = await runCli(['run', app, '--port', '0']);
  assert.equal(res.code, 1);
  assert.match(res.stderr, /CONFIG_SECRET_MISSING/);
  const noHosts = await runCli(['run', app, '--port', '0'], { PALISADE_SECRET_KEY: SECRET });
  assert.equal(noHosts.code, 1);
  assert.match(noHosts.stderr, /CONFIG_ALLOWED_HOSTS_MISSING/);
  const badPort = await runCli(['run', app, '--port', 'http']);
  assert.equal(badPort.code, 2);
});

test('palisade run --workers 2: two processes answer on one port; a dead worker is replaced', async () => {
  const child = startCli(['run', app, '--port', '0', '--workers', '2'], PROD);
  let workers: number[] = [];
  try {
    const [, url, pidList] = await waitForOutput(child, /on (http:\/\/127\.0\.0\.1:\d+) with 2 workers \(pids (\d+, \d+)\)/);
    const pids = new Set(pidList!.split(', ').map(Number));
    assert.equal(pids.size, 2);
    assert.ok(!pids.has(child.pid!), 'the primary does not serve');
    const seen = new Set<number>();
    for (let i = 0; i < 40 && seen.size < 2; i++) {
      const res = await get(`${url}/pid`);
      assert.equal(res.status, 200);
      seen.add((JSON.parse(res.body) as { pid: number }).pid);
    }
    assert.deepEqual([...seen].sort(), [...pids].sort(), 'both workers answered on the one port');

    const [victim] = pids;
    process.kill(victim!, 'SIGKILL');
    const [, replacement] = await waitForOutput(child, new RegExp(`worker ${victim} exited[^]*worker (\\d+) started`));
    const after = new Set<number>();
    for (let i = 0; i < 40 && after.size < 2; i++) {
      const res = await get(`${url}/pid`);
      after.add((JSON.parse(res.body) as { pid: number }).pid);
    }
    assert.ok(!after.has(victim!), 'the killed worker no longer answers');
    assert.ok(after.has(Number(replacement)), `the replacement worker ${replacement} answers: ${[...after]}`);
    assert.equal(after.size, 2);
    workers = [...after];
  } finally {
    child.kill('SIGTERM');
  }
  assert.equal(await exited(child), 0);
  for (const pid of workers) assert.throws(() => process.kill(pid, 0), { code: 'ESRCH' }, `worker ${pid} stopped with the primary`);
});
