import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { createApp, type AppOptions } from '../../src/index.js';
import { resolveSettings } from '../../src/app/config.js';
import { auditApp, auditSettings, parseFinding } from '../../src/cli/check.js';
import { estimateSecretBits } from '../../src/security/secret-key.js';
import { cspReportHandler, CSP_REPORT_ROUTE } from '../../src/security/csp-report.js';
import { FIXTURES, runCli, SECRET } from './fixtures/spawn-cli.js';
import { PROTECTIONS } from '../../src/util/symbols.js';

const ids = (fs: readonly { id: string }[]) => fs.map((f) => f.id);
const PROD: AppOptions = { env: 'production', secretKey: SECRET, allowedHosts: ['example.com'], https: true, logger: false };

test('auditSettings: deployment findings only with deploy', () => {
  const dev = resolveSettings({ env: 'development' }, {});
  assert.deepEqual(ids(auditSettings(dev, [])), []);
  assert.deepEqual(ids(auditSettings(dev, [], { deploy: true })), ['debug-mode', 'secret-missing', 'insecure-cookies', 'allowed-hosts']);
  assert.deepEqual(ids(auditSettings(resolveSettings(PROD, {}), [], { deploy: true })), []);
  const proxied = resolveSettings({ ...PROD, https: false, trustProxy: true }, {});
  assert.deepEqual(ids(auditSettings(proxied, [], { deploy: true })), []);
  const plain = resolveSettings({ ...PROD, https: false }, {});
  assert.deepEqual(ids(auditSettings(plain, [], { deploy: true })), ['insecure-cookies']);
});

test('auditSettings: weak secrets and raised limits in every mode', () => {
  for (const weak of ['a'.repeat(40), 'my-secret-key-for-the-palisade-app!', 'changeme'.repeat(5), 'abababababababababababababababababab']) {
    assert.deepEqual(ids(auditSettings(resolveSettings({ env: 'test', secretKey: weak }, {}), [])), ['secret-weak'], weak);
  }
  for (const strong of [SECRET, '3f9a1c7e5b2d4f6a8c0e1b3d5f7a9c2e4b6d8f0a1c3e5b7d', 'Zx8Qm2Lr7Vt4Np9Ks6Hb1Wc3Fd5Gj0Ye']) {
    assert.deepEqual(ids(auditSettings(resolveSettings({ env: 'test', secretKey: strong }, {}), [])), [], strong);
  }
  assert.ok(estimateSecretBits(SECRET) > 150);
  assert.deepEqual(ids(auditSettings(resolveSettings({ env: 'test', maxBodySize: 100 * 1024 * 1024 }, {}), [])), ['body-limit']);
});

test('auditApp on a safe app: nothing, with and without --deploy', () => {
  const app = createApp(PROD);
  app.get('/', () => 'hi');
  app.post('/notes', () => 'ok');
  app.post('/csp-report', cspReportHandler(), CSP_REPORT_ROUTE); // exempt by design: not listed
  assert.deepEqual(auditApp(app), []);
  assert.deepEqual(auditApp(app, { deploy: true }), []);
});

test('auditApp on an unsafe app: each problem once, from settings, routes and protections', () => {
  const app = createApp({
    env: 'test',
    logger: false,
    allowedHosts: ['*'],
    headers: { csp: false, frameOptions: false },
    csrf: { enabled: false } as never,
  });
  app.get('/api/items', () => [1], { allowTopLevelArray: true });
  app.get('/api/more', () => [2], { allowTopLevelArray: true });
  const findings = auditApp(app);
  const found = ids(findings);
  for (const id of ['json-top-level-array', 'hosts-any', 'csp-off', 'clickjacking']) assert.ok(found.includes(id), `${id} in ${found}`);
  assert.ok(
    findings.some((f) => f.id.startsWith('csrf') && /switched off/.test(f.message)),
    'CSRF switched off is reported',
  );
  assert.ok(
    findings.every((f) => f.fix !== ''),
    'every finding has a fix',
  );
  assert.equal(found.filter((i) => i === 'json-top-level-array').length, 2);
  assert.deepEqual(
    ids(auditApp(app, { ignore: ['json-top-level-array', 'csp-off'] })).filter((i) => i === 'json-top-level-array' || i === 'csp-off'),
    [],
  );
  assert.ok(ids(auditApp(createApp({ env: 'test', headers: false }))).includes('headers-off'));
});

test('several workers: process-local state is reported', () => {
  const app = createApp({ env: 'test', logger: false });
  const fake = {
    settings: app.settings,
    routes: app.routes,
    [PROTECTIONS]: [...app[PROTECTIONS], { name: 'cache', phases: {}, processLocal: 'the page cache' }],
  };
  assert.deepEqual(ids(auditApp(fake, { workers: 1 })), []);
  assert.deepEqual(ids(auditApp(fake, { workers: 4 })), ['workers-local-state']);
});

test('parseFinding splits "id: message Fix: fix"', () => {
  assert.deepEqual(parseFinding('csp-off: The CSP is off. Fix: remove it.'), { id: 'csp-off', message: 'The CSP is off.', fix: 'Remove it.' });
  assert.equal(parseFinding('csrf: POST /x is exempt.').fix.length > 0, true);
  assert.equal(parseFinding('Something odd').id, 'audit');
});

const safe = join(FIXTURES, 'safe-app.ts');
const unsafe = join(FIXTURES, 'unsafe-app.ts');

test('palisade check: exit 0 on a safe app, 1 with a fix per finding on an unsafe one', async () => {
  const ok = await runCli(['check', safe], { PALISADE_ENV: 'test' });
  assert.equal(ok.code, 0, ok.stderr);
  assert.match(ok.stdout, /no problems found/);

  const bad = await runCli(['check', unsafe], { PALISADE_ENV: 'test' });
  assert.equal(bad.code, 1, bad.stderr);
  for (const id of ['secret-weak', 'hosts-any', 'body-limit', 'json-top-level-array', 'csrf', 'csp-off', 'clickjacking', 'hsts-off']) {
    assert.match(bad.stdout, new RegExp(`✗ ${id}: `), id);
  }
  assert.match(bad.stdout, /POST \/webhook/);
  assert.equal(bad.stdout.match(/✗ /g)!.length, bad.stdout.match(/ fix: /g)!.length);

  const json = await runCli(['check', '--json', unsafe], { PALISADE_ENV: 'test' });
  const parsed = JSON.parse(json.stdout) as { findings: { id: string }[] };
  const all = [...new Set(parsed.findings.map((f) => f.id))];
  const ignored = await runCli(['check', '--ignore', all.join(','), unsafe], { PALISADE_ENV: 'test' });
  assert.equal(ignored.code, 0, ignored.stdout);
});

test('palisade check without --deploy and without a mode loads the app in test mode: no secret or hosts needed', async () => {
  const res = await runCli(['check', safe]);
  assert.equal(res.code, 0, res.stdout + res.stderr);
  assert.match(res.stdout, /no problems found/);
  assert.doesNotMatch(res.stderr, /development mode/);
});

test('palisade check --deploy: production settings, or the reason the app will not start', async () => {
  const prod = { PALISADE_SECRET_KEY: SECRET, PALISADE_ALLOWED_HOSTS: 'example.com', PALISADE_HTTPS: '1' };
  const ok = await runCli(['check', '--deploy', safe], prod);
  assert.equal(ok.code, 0, ok.stdout + ok.stderr);

  const noSecret = await runCli(['check', '--deploy', safe]);
  assert.equal(noSecret.code, 1);
  assert.match(noSecret.stdout, /✗ config: The app does not start: .*CONFIG_SECRET_MISSING/);

  const devMode = await runCli(['check', '--deploy', safe], { ...prod, PALISADE_ENV: 'development', PALISADE_HTTPS: '0' });
  assert.equal(devMode.code, 1);
  assert.match(devMode.stdout, /✗ debug-mode: /);
  assert.match(devMode.stdout, /✗ insecure-cookies: /);
});

test('palisade check: usage errors exit 2', async () => {
  const notApp = await runCli(['check', join(FIXTURES, 'not-an-app.ts')], { PALISADE_ENV: 'test' });
  assert.equal(notApp.code, 2);
  assert.match(notApp.stderr, /does not export a Palisade app/);
  const missing = await runCli(['check', 'nope.ts'], { PALISADE_ENV: 'test' });
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /No app file at nope\.ts/);
  const badFlag = await runCli(['check', '--deplyo', safe], { PALISADE_ENV: 'test' });
  assert.equal(badFlag.code, 2);
  const unknown = await runCli(['frobnicate']);
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /unknown command "frobnicate"/);
});

test('docs/examples/deployment/app.ts passes palisade check --deploy with its environment', async () => {
  const env = { PALISADE_SECRET_KEY: SECRET, PALISADE_ALLOWED_HOSTS: 'notes.example.com', PALISADE_TRUST_PROXY: '1' };
  const res = await runCli(['check', '--deploy', 'docs/examples/deployment/app.ts'], env);
  assert.equal(res.code, 0, res.stdout + res.stderr);
  const bare = await runCli(['check', '--deploy', 'docs/examples/deployment/app.ts'], { ...env, PALISADE_TRUST_PROXY: '0' });
  assert.equal(bare.code, 1);
  assert.match(bare.stdout, /✗ insecure-cookies: /);
  const { app } = await import('../../docs/examples/deployment/app.js');
  assert.deepEqual((await app.test().get('/health')).json(), { ok: true });
});

test('auditApp lists POST forms that will get no CSRF field, and templates that do not compile', async () => {
  const { mkdtempSync, writeFileSync, mkdirSync, rmSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const dir = mkdtempSync(join(tmpdir(), 'palisade-check-'));
  try {
    mkdirSync(join(dir, 'notes'));
    // Fields: none of these is reported.
    writeFileSync(
      join(dir, 'ok.html'),
      `<form method="post" action="{{ url_for('logout') }}"></form><form method="post" action="/notes/{{ id }}"></form><form method="get" action="{{ u }}"></form>`,
    );
    writeFileSync(join(dir, 'own-field.html'), `<form method="post" action="{{ next }}">{{ csrf_field() }}</form>`);
    // No field: each is reported with its place.
    writeFileSync(join(dir, 'notes/delete.html'), `<p>x</p>\n<form method="post" action="{{ next }}"><button>Delete</button></form>`);
    writeFileSync(join(dir, 'notes/off-site.html'), `<form method=post action="https://pay.example/">\n</form>`);
    writeFileSync(join(dir, 'broken.html'), `<a href="{{ u }}`);
    const app = createApp({ ...PROD, templates: { dir } });
    const found = auditApp(app).filter((f) => f.id === 'form-without-csrf' || f.id === 'template-error');
    assert.deepEqual(
      found.map((f) => `${f.id} ${f.message.split(': ')[0]}`),
      ['template-error broken.html:1:17', 'form-without-csrf notes/delete.html:2:40', 'form-without-csrf notes/off-site.html:1:48'],
    );
    assert.ok(found.every((f) => f.fix !== ''));
    assert.match(found[1]!.message, /no CSRF field/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
