// listen() that cannot listen says why in one line, with the fix (CONFIG_LISTEN_FAILED),
// through the API and through `palisade run`: never node's raw EADDRINUSE stack.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:net';
import { createApp, ConfigError } from '../../src/index.js';
import { FIXTURES, runCli, SECRET } from '../cli/fixtures/spawn-cli.js';

function occupy(): Promise<{ server: Server; port: number }> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => resolve({ server, port: (server.address() as { port: number }).port }));
  });
}

test('a busy port: app.listen() rejects with one line naming the port and how to pick another', async () => {
  const { server, port } = await occupy();
  try {
    const app = createApp({ env: 'test' });
    const err = await app.listen({ port }).then(
      () => assert.fail('listened on a busy port'),
      (e: unknown) => e,
    );
    assert.ok(err instanceof ConfigError, String(err));
    assert.equal(err.code, 'CONFIG_LISTEN_FAILED');
    assert.match(
      err.message,
      new RegExp(`^Port ${port} on 127\\.0\\.0\\.1 is already in use: .*PORT=8000 palisade run app\\.ts, or app\\.listen\\(\\{ port: 8000 \\}\\)\\.`),
    );
    assert.doesNotMatch(err.message, /\n/);
    assert.deepEqual(err.details, { host: '127.0.0.1', port, errno: 'EADDRINUSE' });
  } finally {
    server.close();
  }
});

test('a host that is not this machine, and a port that is not a port', async () => {
  const app = createApp({ env: 'test' });
  // 192.0.2.0/24 is TEST-NET-1 (RFC 5737): never an address of this machine.
  await assert.rejects(app.listen({ host: '192.0.2.1', port: 0 }), (e: ConfigError) => {
    assert.equal(e.code, 'CONFIG_LISTEN_FAILED');
    assert.match(e.message, /^Cannot listen on 192\.0\.2\.1:0: 192\.0\.2\.1 is not an address of this machine\./);
    return true;
  });
  await assert.rejects(app.listen({ port: 70000 }), {
    code: 'CONFIG_INVALID',
    message: /^Cannot listen on port 70000: a port is a whole number from 0 to 65535/,
  });
  const before = process.env.PORT;
  process.env.PORT = 'eighty';
  try {
    await assert.rejects(app.listen(), { code: 'CONFIG_INVALID', message: /^Cannot listen on PORT=eighty:/ });
  } finally {
    if (before === undefined) delete process.env.PORT;
    else process.env.PORT = before;
  }
});

test('palisade run on a busy port prints one line and exits 1, without a stack', async () => {
  const { server, port } = await occupy();
  try {
    const r = await runCli(['run', `${FIXTURES}safe-app.ts`, '--port', String(port)], {
      PALISADE_SECRET_KEY: SECRET,
      PALISADE_ALLOWED_HOSTS: 'localhost',
    });
    assert.equal(r.code, 1, r.stderr);
    const lines = r.stderr.trim().split('\n');
    assert.equal(lines.length, 1, r.stderr);
    assert.match(lines[0]!, new RegExp(`^palisade: Port ${port} on 127\\.0\\.0\\.1 is already in use: .* PORT=8000 .*\\[CONFIG_LISTEN_FAILED\\]`));
    assert.doesNotMatch(r.stderr, /EADDRINUSE|\n\s+at /);
  } finally {
    server.close();
  }
});
