import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compileTemplate, createApp, createTemplates, render, type RenderEnv } from '../../src/index.js';

const PAGE =
  '<script>go()</script><form method="post" action="/save"><button>Save</button></form>' +
  "<a href=\"{{ url_for('note', {'id': 3}) }}\">{{ current_user }}</a><i>{{ csrf_token()|length > 0 }}</i>";

const env: RenderEnv = {
  nonce: 'n0nce',
  csrfToken: () => 'tok3n',
  urlFor: (name, params) => `/${name}/${String(params?.id)}`,
  globals: { current_user: 'ada' },
};

test('a template rendered with an explicit render environment, outside any request, gets its nonce, CSRF field, url_for and globals', () => {
  const out = compileTemplate(PAGE, { strict: true }).render({}, env).toString();
  assert.equal(
    out,
    '<script nonce="n0nce">go()</script><form method="post" action="/save"><input type="hidden" name="csrf_token" value="tok3n"><button>Save</button></form>' +
      '<a href="/note/3">ada</a><i>True</i>',
  );
  // Without one, outside a request: no nonce, no field, and url_for() says what it needs.
  assert.equal(compileTemplate('<script>go()</script>').render().toString(), '<script>go()</script>');
  assert.throws(() => compileTemplate('{{ url_for("note") }}').render(), /url_for\(\) needs a request/);
});

test('includes, macros and forms rendered inside the template read the same environment', () => {
  const dir = mkdtempSync(join(tmpdir(), 'render-env-'));
  writeFileSync(join(dir, 'page.html'), '{% import "m.html" as m %}{% include "part.html" %}{{ m.tag() }}');
  writeFileSync(join(dir, 'part.html'), '<style>p{}</style>');
  writeFileSync(join(dir, 'm.html'), '{% macro tag() %}<script>{{ 1 }}</script>{% endmacro %}');
  const templates = createTemplates({ dir, mode: 'test' });
  assert.equal(templates.render('page.html', {}, { nonce: 'abc' }).toString(), '<style nonce="abc">p{}</style><script nonce="abc">1</script>');
});

test("the app's render() passes the request's environment; an explicit one wins over the request's", async () => {
  const dir = mkdtempSync(join(tmpdir(), 'render-env-app-'));
  writeFileSync(join(dir, 'p.html'), '<script>go()</script>{{ url_for("p") }}');
  const app = createApp({ env: 'test', templates: { dir } });
  app.get('/p', () => render('p.html'), { name: 'p' });
  app.get('/explicit', () => app.templates!.render('p.html', {}, { nonce: 'mine', urlFor: () => '/elsewhere' }));
  const client = app.test();
  const res = await client.get('/p');
  const nonce = /'nonce-([^']+)'/.exec(res.header('content-security-policy') ?? '')![1]!;
  assert.equal(res.text, `<script nonce="${nonce}">go()</script>/p`);
  assert.equal((await client.get('/explicit')).text, '<script nonce="mine">go()</script>/elsewhere');
});
