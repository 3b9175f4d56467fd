import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createApp, Response, type AppOptions } from '../../src/index.js';
import { ConfigError } from '../../src/errors.js';
import { currentScope } from '../../src/http/context.js';
import { auditHeaders, compileHeaders } from '../../src/security/headers.js';
import { compileCsp, createNonce, cspRenderer, NONCE } from '../../src/security/csp.js';
import { CSP_REPORT_ROUTE, cspReportHandler } from '../../src/security/csp-report.js';

const SECRET = 'kq3Vb8yTzN1wR5pX0cL7hJ2mF9sD4gA6eU3iO8tY1rQ';
const NONCE_RE = /'nonce-([A-Za-z0-9+/]{24})'/g;
const HAS_NONCE = /'nonce-([A-Za-z0-9+/]{24})'/;

function app(opts: AppOptions = {}) {
  const a = createApp({ env: 'test', logger: false, ...opts });
  a.get('/', () => `nonce=${currentScope()?.nonce ?? ''}`);
  a.get('/boom', () => {
    throw new Error('boom');
  });
  a.get('/sandboxed', () => {
    const res = Response.text('user file');
    res.setHeader('content-security-policy', 'sandbox');
    res.setHeader('x-frame-options', 'DENY');
    return res;
  });
  return a;
}

/** The security headers of a response, with nonces replaced by N. */
function securityHeaders(h: Readonly<Record<string, string | string[]>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of Object.keys(h).sort()) {
    if (k === 'content-type' || k === 'content-length' || k === 'x-request-id') continue; // not security headers
    out[k] = String(h[k]).replace(NONCE_RE, "'nonce-N'");
  }
  return out;
}

const DEFAULT_CSP =
  "default-src 'self'; script-src 'nonce-N' 'strict-dynamic'; style-src 'self' 'nonce-N'; img-src 'self' data:; " +
  "object-src 'none'; base-uri 'none'; frame-ancestors 'self'; form-action 'self'";
const DEFAULT_HTTP = {
  'content-security-policy': DEFAULT_CSP,
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'referrer-policy': 'strict-origin-when-cross-origin',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'SAMEORIGIN',
};
const DEFAULT_HTTPS = { ...DEFAULT_HTTP, 'strict-transport-security': 'max-age=31536000' };

test('the default header set is the same in every mode; HSTS only over HTTPS', async () => {
  for (const env of ['development', 'test', 'production'] as const) {
    const a = app({ env, secretKey: SECRET, allowedHosts: ['localhost'] });
    const plain = await a.test().get('/');
    assert.deepEqual(securityHeaders(plain.headers), DEFAULT_HTTP, `${env} over http`);
    const tls = await a.test({ baseUrl: 'https://localhost' }).get('/');
    assert.deepEqual(securityHeaders(tls.headers), DEFAULT_HTTPS, `${env} over https`);
  }
});

test('every default header is on 404s, 405s, 500s and HEAD answers too', async () => {
  const pairs = compileHeaders({}).plain;
  const c = app().test();
  for (const [method, path] of [
    ['GET', '/nope'],
    ['POST', '/'],
    ['GET', '/boom'],
    ['HEAD', '/'],
  ] as const) {
    const res = await c.request(method, path);
    for (let i = 0; i < pairs.length; i += 2) assert.equal(res.header(pairs[i]!), pairs[i + 1], `${method} ${path}: ${pairs[i]}`);
    assert.match(res.header('content-security-policy') ?? '', HAS_NONCE, `${method} ${path}: CSP`);
  }
});

test('HSTS follows req.secure: X-Forwarded-Proto counts only with trustProxy', async () => {
  const xfp = { headers: { 'x-forwarded-proto': 'https' } };
  assert.equal((await app().test().get('/', xfp)).header('strict-transport-security'), undefined);
  assert.equal((await app({ trustProxy: true }).test().get('/', xfp)).header('strict-transport-security'), 'max-age=31536000');
  assert.equal((await app({ https: true }).test().get('/')).header('strict-transport-security'), 'max-age=31536000');
  const full = app({ https: true, headers: { hsts: { maxAge: 63_072_000, includeSubDomains: true, preload: true } } });
  assert.equal((await full.test().get('/')).header('strict-transport-security'), 'max-age=63072000; includeSubDomains; preload');
});

test('a fresh nonce per request, the one in currentScope(), in script-src and style-src', async () => {
  const c = app().test();
  const seen = new Set<string>();
  for (let i = 0; i < 50; i++) {
    const res = await c.get('/');
    const inHeader = [...(res.header('content-security-policy') ?? '').matchAll(NONCE_RE)].map((m) => m[1]);
    assert.equal(inHeader.length, 2);
    assert.equal(inHeader[0], inHeader[1]);
    assert.equal(res.text, `nonce=${inHeader[0]}`);
    seen.add(inHeader[0]!);
  }
  assert.equal(seen.size, 50);
});

test('the error page of a 404 carries the nonce of its own policy', async () => {
  const res = await app()
    .test()
    .get('/missing', { headers: { accept: 'text/html' } });
  const nonce = HAS_NONCE.exec(res.header('content-security-policy') ?? '')?.[1];
  assert.ok(nonce);
  assert.ok(res.text.includes(`<style nonce="${nonce}">`), res.text.slice(0, 200));
});

test('createNonce: 24 base64 characters, never repeated', () => {
  const seen = new Set<string>();
  for (let i = 0; i < 5000; i++) {
    const n = createNonce();
    assert.match(n, /^[A-Za-z0-9+/]{24}$/);
    seen.add(n);
  }
  assert.equal(seen.size, 5000);
});

test("a header the handler set itself wins (an upload's sandbox CSP)", async () => {
  const res = await app().test().get('/sandboxed');
  assert.equal(res.header('content-security-policy'), 'sandbox');
  assert.equal(res.header('x-frame-options'), 'DENY');
  assert.equal(res.header('referrer-policy'), 'strict-origin-when-cross-origin');
});

test('each header can be switched off or changed', async () => {
  const cases: [AppOptions['headers'], Record<string, string | undefined>][] = [
    [{ csp: false }, { 'content-security-policy': undefined, 'x-frame-options': 'SAMEORIGIN' }],
    [{ frameOptions: 'DENY' }, { 'x-frame-options': 'DENY' }],
    [{ frameOptions: 'DENY', csp: { directives: { 'frame-ancestors': "'self' https://partner.example" } } }, { 'x-frame-options': 'DENY' }],
    [{ frameOptions: false }, { 'x-frame-options': undefined }],
    [{ referrerPolicy: 'no-referrer' }, { 'referrer-policy': 'no-referrer' }],
    [{ referrerPolicy: false }, { 'referrer-policy': undefined }],
    [{ crossOriginOpenerPolicy: false }, { 'cross-origin-opener-policy': undefined }],
    [{ crossOriginResourcePolicy: 'same-site' }, { 'cross-origin-resource-policy': 'same-site' }],
    [{ hsts: false }, { 'strict-transport-security': undefined }],
    [false, { 'content-security-policy': undefined, 'x-frame-options': undefined, 'referrer-policy': undefined, 'x-content-type-options': 'nosniff' }],
  ];
  for (const [headers, expected] of cases) {
    const res = await app({ headers, https: true }).test().get('/');
    for (const [k, v] of Object.entries(expected)) assert.equal(res.header(k), v, `${JSON.stringify(headers)}: ${k}`);
  }
});

test("frameOptions: 'DENY' also makes frame-ancestors 'none' unless the policy says otherwise", async () => {
  const csp = async (headers: AppOptions['headers']) => (await app({ headers }).test().get('/')).header('content-security-policy')!;
  assert.match(await csp({ frameOptions: 'DENY' }), /; frame-ancestors 'none'; /);
  assert.match(
    await csp({ frameOptions: 'DENY', csp: { directives: { 'frame-ancestors': "'self' https://partner.example" } } }),
    /; frame-ancestors 'self' https:\/\/partner\.example; /,
  );
  assert.match(await csp({}), /; frame-ancestors 'self'; /);
});

test('without a nonce in the policy, no nonce is handed to templates', async () => {
  const off = await app({ headers: { csp: false } })
    .test()
    .get('/');
  assert.equal(off.text, 'nonce=');
  const noNonce = await app({ headers: { csp: { directives: { 'script-src': "'self'", 'style-src': "'self'" } } } })
    .test()
    .get('/');
  assert.equal(noNonce.text, 'nonce=');
  assert.doesNotMatch(noNonce.header('content-security-policy')!, /nonce/);
});

test('CSP options: merged directives, removal, report-only, reports, trusted types', async () => {
  const res = await app({
    headers: {
      csp: {
        directives: { 'img-src': ["'self'", 'https://img.example'], 'form-action': false, 'connect-src': ["'self'", NONCE] },
        reportOnly: true,
        reportUri: '/csp-report',
        reportTo: { group: 'csp', url: 'https://example.com/csp-report' },
        trustedTypes: true,
      },
    },
  })
    .test()
    .get('/');
  assert.equal(res.header('content-security-policy'), undefined);
  const csp = res.header('content-security-policy-report-only')!.replace(NONCE_RE, "'nonce-N'");
  assert.equal(
    csp,
    "default-src 'self'; script-src 'nonce-N' 'strict-dynamic'; style-src 'self' 'nonce-N'; img-src 'self' https://img.example; " +
      "object-src 'none'; base-uri 'none'; frame-ancestors 'self'; connect-src 'self' 'nonce-N'; " +
      "require-trusted-types-for 'script'; report-uri /csp-report; report-to csp",
  );
  assert.equal(res.header('reporting-endpoints'), 'csp="https://example.com/csp-report"');
});

test('the policy is split once around its nonces', () => {
  const { parts } = compileCsp({});
  assert.equal(parts.length, 3);
  const render = cspRenderer(parts);
  assert.equal(render('X'), parts.join('X'));
  assert.equal(cspRenderer(['a'])('X'), 'a');
  assert.equal(cspRenderer(['a', 'b', 'c', 'd'])('X'), 'aXbXcXd');
});

test('bad headers settings are start-up errors naming the setting', () => {
  const bad: unknown[] = [
    { cps: {} },
    { csp: { directive: {} } },
    { csp: { directives: { 'script-src': "'self'; object-src *" } } },
    { csp: { directives: { 'Script-Src': "'self'" } } },
    { csp: { directives: { 'script-src': ["'self'", 'a b'] } } },
    { csp: { reportUri: 'a b' } },
    { csp: { reportTo: { group: 'x y', url: 'https://e.x' } } },
    { frameOptions: 'ALLOW-FROM x' },
    { referrerPolicy: 'always' },
    { hsts: { maxAge: -1 } },
    { hsts: { preload: true } },
    'on',
  ];
  for (const headers of bad) {
    assert.throws(
      () => createApp({ env: 'test', headers: headers as never }),
      (e: unknown) => {
        assert.ok(e instanceof ConfigError, String(e));
        assert.equal(e.code, 'CONFIG_INVALID');
        assert.match(e.message, /headers/);
        return true;
      },
      JSON.stringify(headers),
    );
  }
});

test('a request refused before the headers check still gets a policy', async () => {
  const res = await app()
    .test()
    .get('/', { headers: { host: 'evil.example' } });
  assert.equal(res.status, 400);
  assert.match(res.header('content-security-policy') ?? '', HAS_NONCE);
  assert.equal(res.header('x-frame-options'), 'SAMEORIGIN');
});

test('audit lists what is off or weakened', () => {
  const ids = (o: unknown) => auditHeaders(compileHeaders(o)).map((s) => s.split(':')[0]);
  assert.deepEqual(ids({}), []);
  assert.deepEqual(ids({ csp: false, frameOptions: false, hsts: false }), ['csp-off', 'clickjacking', 'hsts-off']);
  assert.deepEqual(ids({ frameOptions: false }), []); // frame-ancestors still guards
  assert.deepEqual(ids({ csp: { reportOnly: true } }), ['csp-report-only']);
  assert.deepEqual(ids({ csp: { directives: { 'script-src': ["'self'", "'unsafe-inline'", "'unsafe-eval'"] } } }), ['csp-unsafe-inline', 'csp-unsafe-eval']);
  assert.deepEqual(ids({ csp: { directives: { 'script-src': [NONCE, "'unsafe-inline'"] } } }), []); // ignored by CSP2+ browsers when a nonce is present
  assert.deepEqual(ids({ csp: { directives: { 'script-src': ['https:'], 'base-uri': false } } }), ['csp-wide-script-src', 'csp-base-uri']);
  assert.deepEqual(ids({ referrerPolicy: 'unsafe-url' }), ['referrer-policy']);
});

test('the CSP report endpoint logs reports, refuses other bodies, and needs no CSRF token', async () => {
  const reports: unknown[] = [];
  const a = createApp({ env: 'test', logger: false, headers: { csp: { reportUri: '/csp-report' } } });
  a.post('/csp-report', cspReportHandler({ onReport: (r) => void reports.push(r) }), CSP_REPORT_ROUTE);
  const c = a.test();
  const report = { 'csp-report': { 'document-uri': 'http://localhost/', 'violated-directive': 'script-src-elem', 'blocked-uri': 'inline' } };
  const ok = await c.post('/csp-report', { body: JSON.stringify(report), headers: { 'content-type': 'application/csp-report' } });
  assert.equal(ok.status, 204);
  assert.deepEqual(reports, [report]);
  const reportsJson = await c.post('/csp-report', {
    body: JSON.stringify([{ type: 'csp-violation', body: {} }]),
    headers: { 'content-type': 'application/reports+json' },
  });
  assert.equal(reportsJson.status, 204);
  assert.equal((await c.post('/csp-report', { body: 'x=1', headers: { 'content-type': 'application/x-www-form-urlencoded' } })).status, 415);
  assert.equal((await c.post('/csp-report', { body: '{"a":', headers: { 'content-type': 'application/csp-report' } })).status, 400);
  const big = JSON.stringify({ 'csp-report': { 'script-sample': 'x'.repeat(20_000) } });
  assert.equal((await c.post('/csp-report', { body: big, headers: { 'content-type': 'application/csp-report' } })).status, 413);
  assert.equal(reports.length, 2);
});

test("templates put this response's nonce on every <script> and <style> they write", async () => {
  const { compileTemplate } = await import('../../src/templates/index.js');
  const page = compileTemplate('<style>p{color:red}</style><p>{{ who }}</p><script>var x = 1;</script><script src="/app.js"></script>');
  const a = createApp({ env: 'test', logger: false });
  a.get('/page', () => page.render({ who: 'Ada' }));
  const c = a.test();
  const nonces = new Set<string>();
  for (let i = 0; i < 3; i++) {
    const res = await c.get('/page');
    const nonce = HAS_NONCE.exec(res.header('content-security-policy') ?? '')![1]!;
    nonces.add(nonce);
    const tags = res.text.match(/<(script|style)\b[^>]*>/g)!;
    assert.equal(tags.length, 3);
    for (const tag of tags) assert.ok(tag.includes(` nonce="${nonce}"`), `${tag} carries ${nonce}`);
  }
  assert.equal(nonces.size, 3);
  // Control: with the CSP off there is no nonce to add.
  const off = createApp({ env: 'test', logger: false, headers: { csp: false } });
  off.get('/page', () => page.render({ who: 'Ada' }));
  assert.doesNotMatch((await off.test().get('/page')).text, /nonce=/);
});

test('docs/examples/headers/app.ts', async () => {
  const { app: example } = await import('../../docs/examples/headers/app.js');
  const c = example.test();
  const res = await c.get('/');
  const csp = res.header('content-security-policy')!;
  const nonce = HAS_NONCE.exec(csp)![1]!;
  assert.match(csp, /img-src 'self' data: https:\/\/images\.example\.com; /);
  assert.match(csp, /; frame-ancestors 'none'; .*; report-uri \/csp-report$/);
  assert.equal(res.header('x-frame-options'), 'DENY');
  assert.ok(res.text.includes(`<style nonce="${nonce}">`) && res.text.includes(`<script nonce="${nonce}">`), res.text);
  assert.equal((await c.get('/raw.txt')).header('content-security-policy'), 'sandbox');
  const report = await c.post('/csp-report', { body: '{"csp-report":{}}', headers: { 'content-type': 'application/csp-report' } });
  assert.equal(report.status, 204);
});
