// An app with a Redis session store does not keep `node --test` from exiting: a test file
// that never calls app.close() ends when its tests do (the store's idle connection and its
// reconnection timer do not hold the process). It used to hang until killed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { freePort, redisMissing, startRedis } from './redis-helper.js';

const CHILD = fileURLToPath(new URL('../fixtures/redis-no-close.test.ts', import.meta.url));
const LIMIT_MS = 30_000;

test('node --test exits after a test file that used a Redis store without closing the app', { skip: redisMissing }, async () => {
  const redis = await startRedis();
  const down = await freePort();
  try {
    // A runner of its own, as `node --test file` from a shell (NODE_TEST_CONTEXT would make it report to ours).
    const { NODE_TEST_CONTEXT: _, ...env } = process.env;
    const child = spawn(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=tap', CHILD], {
      env: { ...env, PALISADE_ENV: 'test', REDIS_URL: redis.url, DOWN_URL: `redis://127.0.0.1:${down}` },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    const started = Date.now();
    const code = await new Promise<number | string>((resolve) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        resolve('still running');
      }, LIMIT_MS);
      child.once('exit', (c, sig) => {
        clearTimeout(timer);
        resolve(c ?? String(sig));
      });
    });
    assert.equal(code, 0, `the test file did not exit by itself within ${LIMIT_MS} ms:\n${out}`);
    assert.match(out, /# pass 2/);
    console.log(`# exited ${Date.now() - started} ms after it started`);
  } finally {
    await redis.stop();
  }
});
