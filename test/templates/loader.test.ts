// The file loader: layouts with blocks and super(), includes, imports, subfolders,
// caching, reloading in development, and refusing names outside the folder.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TemplateError, createTemplates } from '../../src/templates/index.js';
import { Markup } from '../../src/escape/markup.js';

let dir = '';
const write = (name: string, text: string, mtime?: Date): void => {
  const p = join(dir, name);
  mkdirSync(join(p, '..'), { recursive: true });
  writeFileSync(p, text);
  if (mtime) utimesSync(p, mtime, mtime);
};

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'palisade-templates-'));
  write(
    'layout.html',
    '<!doctype html><title>{% block title %}Site{% endblock %}</title>\n<main>{% block content %}{% endblock %}</main><script>var page = {% block data %}null{% endblock %};</script>',
  );
  write(
    'page.html',
    '{% extends "layout.html" %}{% from "macros.html" import badge %}{% block title %}{{ name }} - {{ super() }}{% endblock %}{% block content %}{{ badge(name) }}{% include "partials/footer.html" %}{% endblock %}{% block data %}{{ {"n": name}|tojson }}{% endblock %}',
  );
  write('macros.html', '{% macro badge(t) %}<b class="badge">{{ t }}</b>{% endmacro %}');
  write('partials/footer.html', '<footer>{{ name }}</footer>');
  write('import.html', '{% import "macros.html" as m %}{{ m.badge(x) }}');
  write('bad-block.html', '{% extends "layout.html" %}{% block content %}<b title="{% endblock %}');
});
after(() => rmSync(dir, { recursive: true, force: true }));

test('extends, blocks in RCDATA and script contexts, super(), from-import, include', () => {
  const t = createTemplates({ dir, mode: 'test' });
  const out = t.render('page.html', { name: '<Ann>' });
  assert.ok(out instanceof Markup);
  assert.equal(
    out.toString(),
    '<!doctype html><title>&lt;Ann&gt; - Site</title>\n<main><b class="badge">&lt;Ann&gt;</b><footer>&lt;Ann&gt;</footer></main><script>var page = {"n":"\\u003cAnn\\u003e"};</script>',
  );
});

test('import as a namespace', () => {
  assert.equal(createTemplates({ dir, mode: 'test' }).render('import.html', { x: 1 }).toString(), '<b class="badge">1</b>');
});

test('a block must end in the context of the block it overrides', () => {
  assert.throws(
    () => createTemplates({ dir, mode: 'test' }).render('bad-block.html'),
    (e: unknown) => {
      assert.ok(e instanceof TemplateError);
      assert.equal(e.code, 'TEMPLATE_BLOCK_CONTEXT');
      assert.deepEqual([e.file, e.line, e.column], ['bad-block.html', 1, 31]);
      return true;
    },
  );
});

test('names outside the folder and missing templates are TEMPLATE_NOT_FOUND', () => {
  const t = createTemplates({ dir, mode: 'test' });
  for (const name of ['../etc/passwd', '/etc/passwd', 'a/../../x.html', 'nope.html', 'partials\\footer.html', '']) {
    assert.throws(
      () => t.render(name),
      (e: unknown) => e instanceof TemplateError && e.code === 'TEMPLATE_NOT_FOUND',
      name,
    );
  }
});

test('hidden files in the folder are never templates, even when a value names them', () => {
  write('.env', 'SECRET_KEY=k3y');
  write('.git/config', '[remote] url=secret');
  write('dyn.html', '{% include page %}');
  const t = createTemplates({ dir, mode: 'test' });
  for (const page of ['.env', '.git/config', 'partials/.footer.html']) {
    assert.throws(
      () => t.render('dyn.html', { page }),
      (e: unknown) => e instanceof TemplateError && e.code === 'TEMPLATE_NOT_FOUND',
      page,
    );
    assert.throws(
      () => t.render(page),
      (e: unknown) => e instanceof TemplateError && /hidden file/.test(e.message),
      page,
    );
  }
  assert.equal(t.render('dyn.html', { page: 'partials/footer.html', name: 'Ann' }).toString(), '<footer>Ann</footer>');
});

test('development mode reloads changed files, and templates that extend them', () => {
  write('dev.html', 'one {{ x }}', new Date(2000, 1, 1));
  write('dev-child.html', '{% extends "dev-layout.html" %}{% block b %}child{% endblock %}');
  write('dev-layout.html', 'v1 {% block b %}{% endblock %}', new Date(2000, 1, 1));
  const t = createTemplates({ dir, mode: 'development' });
  assert.equal(t.render('dev.html', { x: 1 }).toString(), 'one 1');
  assert.equal(t.render('dev-child.html').toString(), 'v1 child');
  write('dev.html', 'two {{ x }}', new Date(2001, 1, 1));
  write('dev-layout.html', 'v2 {% block b %}{% endblock %}', new Date(2001, 1, 1));
  assert.equal(t.render('dev.html', { x: 1 }).toString(), 'two 1');
  assert.equal(t.render('dev-child.html').toString(), 'v2 child');
});

test('production mode compiles once and keeps the cache', () => {
  write('prod.html', 'one', new Date(2000, 1, 1));
  const t = createTemplates({ dir, mode: 'production' });
  assert.equal(t.render('prod.html').toString(), 'one');
  write('prod.html', 'two', new Date(2001, 1, 1));
  assert.equal(t.render('prod.html').toString(), 'one');
  assert.equal(t.get('prod.html'), t.get('prod.html'));
});

test('mode decides strictness', () => {
  write('undef.html', '[{{ nope }}]');
  assert.equal(createTemplates({ dir, mode: 'production' }).render('undef.html').toString(), '[]');
  assert.throws(() => createTemplates({ dir, mode: 'development' }).render('undef.html'), /undef\.html:1:5: "nope" is not defined/);
});

test('precompile compiles every .html file under the folder and reports the first error', () => {
  const sub = mkdtempSync(join(tmpdir(), 'palisade-pre-'));
  try {
    writeFileSync(join(sub, 'a.html'), 'a');
    mkdirSync(join(sub, 'x'));
    writeFileSync(join(sub, 'x', 'b.html'), '{{ b }}');
    writeFileSync(join(sub, 'x', 'note.txt'), '{{');
    assert.deepEqual(createTemplates({ dir: sub, mode: 'test' }).precompile(), ['a.html', 'x/b.html']);
    writeFileSync(join(sub, 'x', 'c.html'), '<p {{ n }}>');
    assert.throws(() => createTemplates({ dir: sub, mode: 'test' }).precompile(), /x\/c\.html:1:4: .*TEMPLATE_VALUE_IN_TAG/);
  } finally {
    rmSync(sub, { recursive: true, force: true });
  }
});
