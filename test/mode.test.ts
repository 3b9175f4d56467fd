// The mode (src/mode.ts): production unless development or test is asked for by name, the
// same for the app, its templates, loose template loaders and the CSP report log; error
// details reach clients only in development; development says so once at start-up.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createApp, type AppOptions } from '../src/index.js';
import { ConfigError } from '../src/errors.js';
import { resolveMode } from '../src/mode.js';

const KEY = 'kq3Vb8yTzN1wR5pX0cL7hJ2mF9sD4gA6eU3iO8tY1rQ';
const CHILD = fileURLToPath(new URL('./fixtures/mode-child.ts', import.meta.url));

/** Runs `fn` with PALISADE_ENV unset, as on a machine where nobody set it. */
function withoutEnv<T>(fn: () => T): T {
  const saved = process.env.PALISADE_ENV;
  delete process.env.PALISADE_ENV;
  try {
    return fn();
  } finally {
    process.env.PALISADE_ENV = saved;
  }
}

function child(args: string[], env: Record<string, string | undefined>): { stdout: string; stderr: string; out: Record<string, unknown> } {
  const base: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('PALISADE_')) base[k] = v;
  for (const [k, v] of Object.entries(env)) if (v !== undefined) base[k] = v;
  const r = spawnSync(process.execPath, ['--import', 'tsx', CHILD, ...args], { env: base, encoding: 'utf8', timeout: 60_000 });
  assert.equal(r.status, 0, r.stderr);
  const last =
    r.stdout
      .trim()
      .split('\n')
      .filter((l) => l.startsWith('{"'))
      .at(-1) ?? '{}';
  return { stdout: r.stdout, stderr: r.stderr, out: JSON.parse(last) as Record<string, unknown> };
}

test('resolveMode: the setting, else PALISADE_ENV, else production', () => {
  assert.equal(resolveMode(undefined, {}), 'production');
  assert.equal(resolveMode(undefined, { PALISADE_ENV: '' }), 'production');
  assert.equal(resolveMode(undefined, { PALISADE_ENV: 'test' }), 'test');
  assert.equal(resolveMode('test', { PALISADE_ENV: 'production' }), 'test');
  assert.equal(resolveMode('production', { PALISADE_ENV: 'development' }), 'production');
  for (const bad of ['prod', 'dev', 'Development', 42]) {
    assert.throws(
      () => resolveMode(bad, {}),
      (e: unknown) => e instanceof ConfigError && e.code === 'CONFIG_INVALID',
      String(bad),
    );
  }
});

/** An app whose handler fails with a message that must not leave the server. */
function failingApp(opts: AppOptions) {
  const app = createApp({ secretKey: KEY, allowedHosts: ['localhost'], logger: false, ...opts });
  app.get('/boom', () => {
    throw new Error('connect ECONNREFUSED db-primary.internal:5432 (user=billing)');
  });
  return app;
}

test('attack: a failing handler shows nothing of the error to a client unless development was asked for', async () => {
  const app = withoutEnv(() => failingApp({}));
  assert.equal(app.settings.env, 'production');
  const c = app.test();
  for (const accept of ['text/html', 'application/json']) {
    const res = await c.get('/boom', { headers: { accept } });
    assert.equal(res.status, 500);
    assert.doesNotMatch(res.text, /ECONNREFUSED|db-primary|billing/, accept);
    assert.doesNotMatch(res.text, /mode\.test\.ts|at .*\(/, `${accept}: no stack`);
    assert.match(res.text, /HTTP_INTERNAL/);
  }
  // Test mode hides it too.
  assert.doesNotMatch((await failingApp({ env: 'test' }).test().get('/boom')).text, /ECONNREFUSED/);
  // Control: the same attack shows the message and the stack once development is asked for.
  for (const dev of [() => failingApp({ env: 'development' }), () => withoutEnv(() => ((process.env.PALISADE_ENV = 'development'), failingApp({})))]) {
    const res = await dev()
      .test()
      .get('/boom', { headers: { accept: 'application/json' } });
    assert.equal(res.status, 500);
    assert.match(res.text, /ECONNREFUSED db-primary\.internal/);
    assert.match(res.json<{ error: { stack: string } }>().error.stack, /mode\.test\.ts/);
  }
});

test('without a mode, an app needs what production needs, and says how to ask for development', () => {
  assert.throws(
    () => withoutEnv(() => createApp({ allowedHosts: ['localhost'] })),
    (e: unknown) => e instanceof ConfigError && e.code === 'CONFIG_SECRET_MISSING' && /palisade dev/.test(e.message),
  );
});

test('one mode for the app, its templates, other loaders and template strictness; the development notice once', () => {
  const none = child(['modes', '-'], {});
  assert.deepEqual(none.out, { app: 'production', appTemplates: 'production', templates: 'production', strict: false });
  assert.doesNotMatch(none.stderr, /development mode/);

  const byEnv = child(['modes', '-'], { PALISADE_ENV: 'development' });
  assert.deepEqual(byEnv.out, { app: 'development', appTemplates: 'development', templates: 'development', strict: true });
  const notices = byEnv.stderr.split('\n').filter((l) => l.includes('development mode'));
  assert.equal(notices.length, 1, byEnv.stderr);
  assert.match(notices[0]!, /^palisade: development mode \(PALISADE_ENV=development\): error pages show exception messages and stack traces/);

  // The setting wins over PALISADE_ENV, and the notice names it.
  const bySetting = child(['modes', 'development'], { PALISADE_ENV: 'test' });
  assert.equal(bySetting.out.app, 'development');
  assert.equal(bySetting.out.templates, 'test', 'a loose loader follows PALISADE_ENV');
  assert.match(bySetting.stderr, /development mode \(the env setting is "development"\)/);

  assert.doesNotMatch(child(['modes', '-'], { PALISADE_ENV: 'test' }).stderr, /development mode/);
});

test("a CSP report is logged with the app's logger (its mode and logger setting), not by PALISADE_ENV", () => {
  const logged = child(['csp', 'development'], { PALISADE_ENV: 'test' });
  assert.equal(logged.out.status, 204);
  assert.match(logged.stdout, /CSP violation/);
  assert.match(logged.stdout, /evil\.example/);
  const quiet = child(['csp', 'development', 'quiet'], { PALISADE_ENV: 'test' });
  assert.equal(quiet.out.status, 204);
  assert.doesNotMatch(quiet.stdout, /CSP violation/);
  assert.doesNotMatch(child(['csp', 'test'], {}).stdout, /CSP violation/);
});
