// The `server` settings are checked when the app is created (CONFIG_SERVER_TIMEOUTS), not
// left to node at listen(): whatever createApp accepts, node's server takes as it is —
// no RangeError at listen, no timeout silently cut to 1 ms.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import fc from 'fast-check';
import { createApp, ConfigError, type ServerOptions } from '../../src/index.js';

const create = (server: ServerOptions) => createApp({ env: 'test', logger: false, server });

test('a request timeout shorter than the headers timeout is refused at createApp, naming both', () => {
  assert.throws(
    () => create({ requestTimeout: 1500 }),
    (e: ConfigError) => {
      assert.equal(e.code, 'CONFIG_SERVER_TIMEOUTS');
      assert.match(e.message, /"server\.headersTimeout" \(10000 ms by default\) is longer than "server\.requestTimeout" \(1500 ms\)/);
      assert.match(e.message, /server: \{ headersTimeout: 1500, requestTimeout: 1500 \}/);
      return true;
    },
  );
  // The control: node itself refuses the same pair, at createServer (what listen() used to hit).
  assert.throws(() => createServer({ headersTimeout: 10_000, requestTimeout: 1500 }), { code: 'ERR_OUT_OF_RANGE' });
  assert.ok(create({ requestTimeout: 1500, headersTimeout: 1500 }));
});

test("timeouts longer than node's timers can wait are refused; the header size is bounded", () => {
  for (const k of ['headersTimeout', 'requestTimeout', 'keepAliveTimeout', 'handlerTimeout', 'shutdownTimeout'] as const) {
    const big = { [k]: 2 ** 31, ...(k === 'headersTimeout' ? { requestTimeout: 2 ** 31 - 1 } : {}) };
    assert.throws(
      () => create(big),
      { code: 'CONFIG_SERVER_TIMEOUTS', message: new RegExp(`"server\\.${k}" is 2147483648 ms, longer than node's timers can wait`) },
      k,
    );
  }
  assert.throws(() => create({ maxHeaderSize: 2 ** 32 }), { code: 'CONFIG_INVALID' });
  assert.throws(() => create({ keepAliveTimeOut: 5 } as ServerOptions), {
    code: 'CONFIG_INVALID',
    message: /"server\.keepAliveTimeOut" \(did you mean "server\.keepAliveTimeout"\?\)/,
  });
});

test('whatever createApp accepts, listen() serves without a RangeError or a timer overflow', async () => {
  const warnings: string[] = [];
  const onWarning = (w: Error) => warnings.push(`${w.name}: ${w.message}`);
  process.on('warning', onWarning);
  try {
    const ms = fc.oneof(fc.integer({ min: 1, max: 120_000 }), fc.integer({ min: 1, max: 2 ** 32 }));
    const opts = fc.record({ headersTimeout: ms, requestTimeout: ms, keepAliveTimeout: ms, handlerTimeout: ms, shutdownTimeout: ms }, { requiredKeys: [] });
    await fc.assert(
      fc.asyncProperty(opts, async (o) => {
        let app;
        try {
          app = create(o);
        } catch (e) {
          if (e instanceof ConfigError && e.code === 'CONFIG_SERVER_TIMEOUTS') return;
          throw e;
        }
        const server = await app.listen({ port: 0 });
        await server.close();
      }),
      { numRuns: 40, seed: 21 },
    );
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(warnings, []);
  } finally {
    process.off('warning', onWarning);
  }
});
