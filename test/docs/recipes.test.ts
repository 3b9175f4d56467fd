// The deployment recipes of docs/deployment.md#recipes, read and put to work: the systemd
// unit's settings pass `palisade check --deploy` and its command line is one `palisade run`
// accepts; the container runs the same command as an unprivileged user; the headers the
// nginx site sends make the app see the visitor's address, HTTPS and host through
// trustProxy, and the proxy and the app agree on where the app listens.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createApp } from '../../src/index.js';
import { parseRunArgs } from '../../src/cli/run.js';
import { resolveSettings } from '../../src/app/config.js';

const DIR = 'docs/examples/deployment/recipes';
const unit = readFileSync(`${DIR}/bookshelf.service`, 'utf8');
const dockerfile = readFileSync(`${DIR}/Dockerfile`, 'utf8');
const nginx = readFileSync(`${DIR}/nginx.conf`, 'utf8');

const lines = (key: string): string[] => [...unit.matchAll(new RegExp(`^${key}=(.*)$`, 'gm'))].map((m) => m[1]!);
const unitEnv = Object.fromEntries(lines('Environment').map((l) => l.split(/=(.*)/s).slice(0, 2) as [string, string]));
/** The arguments after `palisade run` in a command line. */
const runArgs = (cmd: readonly string[]): string[] => {
  const at = cmd.findIndex((w, i) => /(^|\/)palisade$/.test(w) && cmd[i + 1] === 'run');
  assert.notEqual(at, -1, `no palisade run in ${cmd.join(' ')}`);
  // The built app of the recipe is dist/app.js; here the example app stands in for it.
  return cmd.slice(at + 2).map((w) => (w === 'dist/app.js' ? 'docs/examples/deployment/app.ts' : w));
};

test('systemd: the unit\'s settings pass palisade check --deploy; its command line parses', () => {
  assert.deepEqual(Object.keys(unitEnv).sort(), ['PALISADE_ALLOWED_HOSTS', 'PALISADE_ENV', 'PALISADE_TRUST_PROXY']);
  assert.deepEqual(lines('EnvironmentFile'), ['/etc/bookshelf/secret.env']); // the secret, kept out of the unit
  const env = { ...process.env, ...unitEnv, PALISADE_SECRET_KEY: randomBytes(32).toString('base64url') };
  const check = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/index.ts', 'check', '--deploy', 'docs/examples/deployment/app.ts'], { env, encoding: 'utf8' });
  assert.equal(check.status, 0, check.stdout + check.stderr);
  // Without the secret the same check fails: the check is a real gate for ExecStartPre.
  const { PALISADE_SECRET_KEY: _, ...noSecret } = env;
  assert.equal(spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/index.ts', 'check', '--deploy', 'docs/examples/deployment/app.ts'], { env: noSecret }).status, 1);

  const [exec] = lines('ExecStart');
  const opts = parseRunArgs(runArgs(exec!.split(/\s+/)), {});
  assert.deepEqual([opts.host, opts.port], ['127.0.0.1', 8000]);
  assert.ok(opts.workers >= 1);
  assert.match(lines('ExecStartPre')[0]!, /palisade check --deploy dist\/app\.js$/);
  // systemd must wait longer than the app's graceful shutdown before it kills.
  const shutdown = resolveSettings({ env: 'test' }, {}).server.shutdownTimeout;
  assert.ok(Number(lines('TimeoutStopSec')[0]) * 1000 > shutdown, `TimeoutStopSec must pass ${shutdown} ms`);
  assert.deepEqual(lines('KillSignal'), ['SIGTERM']);
});

test('container: production dependencies only, an unprivileged user, the same palisade run', () => {
  const stages = dockerfile.split(/^FROM /m).slice(1);
  assert.equal(stages.length, 2);
  const run = stages[1]!;
  assert.match(run, /^ENV PALISADE_ENV=production$/m);
  assert.match(run, /^RUN npm ci --omit=dev/m);
  assert.match(run, /^USER node$/m);
  assert.doesNotMatch(run, /PALISADE_SECRET_KEY/); // never baked into the image
  const cmd = JSON.parse(/^CMD (\[.*\])$/m.exec(run)![1]!) as string[];
  const opts = parseRunArgs(runArgs(cmd), {});
  assert.equal(opts.port, Number(/^EXPOSE (\d+)$/m.exec(run)![1]));
});

/** The request headers nginx sends for a visitor at `addr` who sent `sent`, per the site's proxy_set_header lines. */
function proxied(conf: string, addr: string, sent: Record<string, string>): Record<string, string> {
  const vars: Record<string, string> = {
    $host: 'bookshelf.example.com',
    $scheme: 'https',
    $proxy_add_x_forwarded_for: sent['x-forwarded-for'] === undefined ? addr : `${sent['x-forwarded-for']}, ${addr}`,
    $http_upgrade: '',
    $connection_upgrade: 'close',
  };
  const out: Record<string, string> = { ...sent, host: 'bookshelf.example.com' };
  for (const [, name, value] of conf.matchAll(/^\s*proxy_set_header\s+(\S+)\s+(\S+);/gm)) {
    const v = vars[value!] ?? value!;
    if (v === '') delete out[name!.toLowerCase()];
    else out[name!.toLowerCase()] = v;
  }
  return out;
}

async function seenBehind(conf: string): Promise<{ ip: string; secure: boolean; host: string; status: number }> {
  const app = createApp({
    env: 'production',
    secretKey: randomBytes(32).toString('base64url'),
    allowedHosts: unitEnv.PALISADE_ALLOWED_HOSTS!.split(','),
    trustProxy: Number(unitEnv.PALISADE_TRUST_PROXY),
    logger: false,
  });
  app.get('/whoami', (req) => ({ ip: req.ip, secure: req.secure, host: req.host }));
  // The visitor forges a forwarded address and scheme; nginx (on 127.0.0.1) sends the rest.
  const headers = proxied(conf, '203.0.113.7', { 'x-forwarded-for': '6.6.6.6', 'x-forwarded-proto': 'http' });
  const res = await app.test().get('http://bookshelf.example.com/whoami', { headers });
  return { status: res.status, ...(res.status === 200 ? res.json<{ ip: string; secure: boolean; host: string }>() : { ip: '', secure: false, host: '' }) };
}

test('nginx: behind the site, the app sees the visitor\'s address, HTTPS and its public host', async () => {
  assert.deepEqual(await seenBehind(nginx), { status: 200, ip: '203.0.113.7', secure: true, host: 'bookshelf.example.com' });
  // Control: without the X-Forwarded-Proto line the visitor's own forged "http" is what
  // arrives, and the app does not know it is served over HTTPS (no Secure cookies, no HSTS).
  const noProto = nginx.replace(/^\s*proxy_set_header X-Forwarded-Proto.*$/m, '');
  assert.equal((await seenBehind(noProto)).secure, false);
  // The proxy sends to where the unit and the container listen.
  assert.match(nginx, /proxy_pass http:\/\/127\.0\.0\.1:8000;/);
  const [, size, unitSuffix] = /client_max_body_size (\d+)([km]?);/.exec(nginx)!;
  assert.ok(Number(size) * (unitSuffix === 'm' ? 2 ** 20 : unitSuffix === 'k' ? 1024 : 1) >= resolveSettings({ env: 'test' }, {}).maxBodySize);
});
