// The examples of docs/templates.md are rendered and compared with the output the page
// shows. A ```jinja block may start with `{# context: JSON -#}` (the data) or
// `{# file: NAME[, context: JSON] -#}` (a file for the loader); the ```html block that
// follows a ```jinja block is its exact output. Both comments are template comments, so
// every example is a valid template as printed. Examples render inside a request whose
// url_for gives `/NAME` and whose CSRF token is written `…`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTemplates, renderString } from '../../src/templates/index.js';
import { runInScope } from '../../src/http/context.js';

const SCOPE = { request: null, urlFor: (name: string) => `/${name}`, csrfToken: () => '…' };

const text = readFileSync('docs/templates.md', 'utf8');
const blocks = [...text.matchAll(/```(\w+)\n([\s\S]*?)```/g)].map((m) => ({ lang: m[1]!, body: m[2]! }));
const HEAD = /^\{# (?:context: (.*)|file: ([^,\s]+)(?:, context: (.*))?) -#\}\n/;

test('every template example in docs/templates.md renders to the output shown', () => {
  const dir = mkdtempSync(join(tmpdir(), 'palisade-docs-'));
  let checked = 0;
  try {
    for (const b of blocks) {
      const m = HEAD.exec(b.body);
      if (b.lang === 'jinja' && m?.[2] !== undefined) writeFileSync(join(dir, m[2]), b.body);
    }
    const templates = createTemplates({ dir, mode: 'test' });
    for (let i = 0; i < blocks.length; i++) {
      const b = blocks[i]!;
      if (b.lang !== 'jinja') continue;
      const m = HEAD.exec(b.body);
      const next = blocks[i + 1];
      const context = JSON.parse(m?.[1] ?? m?.[3] ?? '{}') as Record<string, unknown>;
      const file = m?.[2];
      if (next?.lang !== 'html') {
        // No output shown: it must still compile (a file is compiled by the loader).
        if (file === undefined) renderString(b.body, context, { strict: true });
        else templates.get(file);
        continue;
      }
      const out = runInScope(SCOPE, () => (file !== undefined ? templates.render(file, context).toString() : renderString(b.body, context, { strict: true })));
      assert.equal(out.replace(/\n$/, ''), next.body.replace(/\n$/, ''), `example ${checked + 1}:\n${b.body}`);
      checked++;
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  assert.ok(checked >= 10, `only ${checked} examples checked`);
});
