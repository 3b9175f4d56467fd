import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolveSettings } from '../../src/app/config.js';
import { ConfigError } from '../../src/errors.js';

const code = (fn: () => unknown): string => {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof ConfigError, String(e));
    return e.code;
  }
  assert.fail('expected a ConfigError');
};

test('production refuses to start without a strong secret', () => {
  assert.equal(
    code(() => resolveSettings({ env: 'production' }, {})),
    'CONFIG_SECRET_MISSING',
  );
  assert.equal(
    code(() => resolveSettings({ env: 'production', secretKey: 'short' }, {})),
    'CONFIG_SECRET_WEAK',
  );
  assert.equal(
    code(() => resolveSettings({}, { PALISADE_ENV: 'production', PALISADE_SECRET_KEY: 'x'.repeat(31) })),
    'CONFIG_SECRET_WEAK',
  );
  const [a, b] = ['kq3Vb8yTzN1wR5pX0cL7hJ2mF9sD4gA6eU3iO8tY1rQ', 'Zx8Qm2Lr7Vt4Np9Ks6Hb1Wc3Fd5Gj0Ye'];
  const s = resolveSettings({}, { PALISADE_ENV: 'production', PALISADE_SECRET_KEY: `${a},${b}` });
  assert.deepEqual(s.secretKeys, [a, b]);
  assert.equal(s.secretGenerated, false);
});

test('development generates a random secret', () => {
  const a = resolveSettings({ env: 'development' }, {});
  const b = resolveSettings({}, { PALISADE_ENV: 'development' });
  assert.equal(a.env, 'development');
  assert.ok(a.secretGenerated);
  assert.notEqual(a.secretKeys[0], b.secretKeys[0]);
  assert.ok(a.secretKeys[0]!.length >= 32);
});

test('environment variables fill what options leave out', () => {
  const s = resolveSettings(
    { maxBodySize: 10 },
    {
      PALISADE_ENV: 'test',
      PALISADE_HTTPS: 'true',
      PALISADE_TRUST_PROXY: '2',
      PALISADE_MAX_BODY_SIZE: '99',
      PALISADE_ALLOWED_HOSTS: 'a.example, b.example',
      PALISADE_ORIGIN: 'https://a.example',
    },
  );
  assert.equal(s.env, 'test');
  assert.equal(s.https, true);
  assert.equal(s.trustProxy, 2);
  assert.equal(s.maxBodySize, 10);
  assert.deepEqual(s.allowedHosts, ['a.example', 'b.example']);
  assert.equal(s.origin, 'https://a.example');
});

test('bad settings are start-up errors that name the setting', () => {
  const cases: [Record<string, unknown>, Record<string, string>, RegExp][] = [
    [{ env: 'prod' }, {}, /"env/],
    [{}, { PALISADE_ENV: 'staging' }, /PALISADE_ENV/],
    [{ maxBodySize: -1 }, {}, /maxBodySize/],
    [{ maxBodySize: '1mb' }, {}, /maxBodySize/],
    [{}, { PALISADE_MAX_BODY_SIZE: '1mb' }, /PALISADE_MAX_BODY_SIZE/],
    [{}, { PALISADE_HTTPS: 'maybe' }, /PALISADE_HTTPS/],
    [{ trustProxy: 'yes' }, {}, /trustProxy/],
    [{ origin: 'https://a.example/path' }, {}, /origin/],
    [{ origin: 'ftp://a.example' }, {}, /origin/],
    [{ allowedHosts: 'a.example' }, {}, /allowedHosts/],
    [{ secretkey: 'x' }, {}, /Unknown setting "secretkey" \(did you mean "secretKey"\?\)/],
    [{ server: { headersTimeout: 0 } }, {}, /server.headersTimeout/],
    [{ server: { nope: 1 } }, {}, /server.nope/],
  ];
  for (const [opts, env, re] of cases) {
    assert.throws(
      () => resolveSettings(opts as never, { PALISADE_ENV: 'test', ...env }),
      (e: unknown) => e instanceof ConfigError && re.test(e.message),
      JSON.stringify(opts),
    );
  }
});
