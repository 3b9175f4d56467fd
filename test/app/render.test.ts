import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp, render } from '../../src/index.js';
import { ConfigError } from '../../src/errors.js';

function templatesDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'palisade-render-'));
  mkdirSync(join(dir, 'notes'));
  writeFileSync(join(dir, 'base.html'), '<!doctype html><title>{% block title %}{% endblock %}</title>{% block body %}{% endblock %}');
  writeFileSync(
    join(dir, 'notes', 'show.html'),
    '{% extends "base.html" %}{% block title %}{{ note.title }}{% endblock %}{% block body %}<a href="{{ note.link }}">{{ note.title }}</a><form method="post"></form>{% endblock %}',
  );
  return dir;
}

test('render() in a handler uses the app templates, escapes, and answers HTML', async () => {
  const app = createApp({ env: 'test', templates: { dir: templatesDir() } });
  app.get('/n', () => render('notes/show.html', { note: { title: '<b>"hi"</b>', link: 'javascript:alert(1)' } }));
  const r = await app.test().get('/n');
  assert.equal(r.status, 200);
  assert.equal(r.header('content-type'), 'text/html; charset=utf-8');
  assert.ok(r.text.includes('<title>&lt;b&gt;&#34;hi&#34;&lt;/b&gt;</title>'), r.text);
  assert.ok(r.text.includes('href="about:invalid#palisade-unsafe"'), r.text);
  assert.match(r.text, /<form method="post"><input type="hidden" name="csrf_token" value="[^"]+">/);
  assert.equal(app.render('base.html').toString().startsWith('<!doctype html>'), true);
});

test('render() outside a request or without templates says what to do', async () => {
  assert.throws(() => render('x.html'), /while a request is handled/);
  const app = createApp({ env: 'test', templates: false });
  app.get('/', () => render('x.html'));
  const r = await app.test().get('/', { headers: { accept: 'application/json' } });
  assert.equal(r.status, 500);
  assert.throws(() => app.render('x.html'), /no templates/);
  assert.throws(() => createApp({ env: 'test', templates: { dir: '/nonexistent/dir' } }), ConfigError);
});
