// The secret key rule (src/security/secret-key.ts): one rule for production start-up and
// `palisade check`. Guessable keys are refused, random keys of every common encoding pass.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { resolveSettings } from '../../src/app/config.js';
import { auditSettings } from '../../src/cli/check.js';
import { ConfigError } from '../../src/errors.js';
import { estimateSecretBits, MIN_SECRET_BITS, secretKeyProblem } from '../../src/security/secret-key.js';

const PROD = { PALISADE_ENV: 'production', PALISADE_ALLOWED_HOSTS: 'example.com' };

// Keys people deploy: long enough to pass a length check, easy to guess.
const GUESSABLE = [
  'changeme'.repeat(5),
  'change-me-change-me-change-me-change-me',
  'a'.repeat(40),
  'abababababababababababababababababab',
  'my-secret-key-for-the-palisade-app!',
  'qwertyuiopasdfghjklzxcvbnm123456',
  'Password123!Password123!Password123!',
  'abcdefghijklmnopqrstuvwxyz0123456789',
  'bench-secret-key-0123456789abcdef-0123456789ABCDEF',
  'super-secret-development-key-1234567890',
];
const RANDOM = [
  'kq3Vb8yTzN1wR5pX0cL7hJ2mF9sD4gA6eU3iO8tY1rQ',
  '3f9a1c7e5b2d4f6a8c0e1b3d5f7a9c2e',
  'Zx8Qm2Lr7Vt4Np9Ks6Hb1Wc3Fd5Gj0Ye',
  '0b9c6f1e-2d44-4c1a-9e57-83c2d9a0f6b1',
];

test('production refuses a guessable key at start-up, naming the rule and how to make a key', () => {
  for (const key of GUESSABLE) {
    assert.ok(key.length >= 32, key);
    let err: unknown;
    try {
      resolveSettings({}, { ...PROD, PALISADE_SECRET_KEY: key });
    } catch (e) {
      err = e;
    }
    assert.ok(err instanceof ConfigError, `${key}: refused`);
    assert.equal(err.code, 'CONFIG_SECRET_WEAK', key);
    assert.match(err.message, new RegExp(`at least ${MIN_SECRET_BITS}`), key);
    assert.match(err.message, /randomBytes\(32\)/, key);
    assert.equal(err.details.rule, 'entropy');
  }
  // One bad key in a rotation list is enough, and the message says which.
  assert.throws(() => resolveSettings({}, { ...PROD, PALISADE_SECRET_KEY: `${RANDOM[0]},${'changeme'.repeat(5)}` }), /Secret key #2/);
});

test('control: the same keys start in development and test, and random keys start in production', () => {
  for (const key of GUESSABLE) {
    assert.equal(resolveSettings({ env: 'development', secretKey: key }, {}).secretKeys[0], key);
    assert.equal(resolveSettings({ env: 'test', secretKey: key }, {}).secretKeys[0], key);
  }
  for (const key of RANDOM) assert.equal(resolveSettings({}, { ...PROD, PALISADE_SECRET_KEY: key }).secretKeys[0], key);
});

test('palisade check applies the same rule in every mode', () => {
  for (const key of GUESSABLE) {
    const findings = auditSettings(resolveSettings({ env: 'test', secretKey: key }, {}), []);
    assert.deepEqual(
      findings.map((f) => f.id),
      ['secret-weak'],
      key,
    );
    assert.equal(findings[0]!.message, secretKeyProblem(key)!.message);
  }
  for (const key of RANDOM) assert.deepEqual(auditSettings(resolveSettings({ env: 'test', secretKey: key }, {}), []), [], key);
});

test('too short is refused in every mode', () => {
  for (const env of ['development', 'test', 'production'] as const) {
    assert.throws(
      () => resolveSettings({ env, secretKey: RANDOM[0]!.slice(0, 31) }, {}),
      (e: Error & { code?: string }) => e.code === 'CONFIG_SECRET_WEAK',
      env,
    );
  }
});

test('random keys of every common encoding pass with room to spare', () => {
  const makers: Record<string, () => string> = {
    'hex, 16 bytes': () => randomBytes(16).toString('hex'),
    'hex, 32 bytes': () => randomBytes(32).toString('hex'),
    'base64, 24 bytes': () => randomBytes(24).toString('base64'),
    'base64url, 32 bytes': () => randomBytes(32).toString('base64url'),
    uuid: () => randomUUID(),
  };
  for (const [name, make] of Object.entries(makers)) {
    let least = Infinity;
    for (let i = 0; i < 2000; i++) {
      const key = make();
      least = Math.min(least, estimateSecretBits(key));
      assert.equal(secretKeyProblem(key), undefined, `${name}: ${key}`);
    }
    assert.ok(least >= MIN_SECRET_BITS + 8, `${name}: least ${least.toFixed(1)} bits`);
  }
});

test('the estimate counts repeats, runs and words for little', () => {
  assert.ok(estimateSecretBits('changeme'.repeat(5)) < 30);
  assert.ok(estimateSecretBits('x'.repeat(200)) < 20);
  assert.ok(estimateSecretBits('0123456789'.repeat(4)) < 40);
  // Longer random text only scores higher, and a long key is read quickly.
  const long = randomBytes(4096).toString('base64url');
  const started = performance.now();
  assert.ok(estimateSecretBits(long) > 1000);
  assert.ok(performance.now() - started < 500);
  assert.equal(estimateSecretBits(''), 0);
});
