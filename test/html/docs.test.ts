// The examples of docs/templates.md for the html tag: each ```ts block in the sections
// "HTML without templates" and "Trusting HTML" that is followed by an ```html block is run
// (imports removed; its last line is the value) and must give that output exactly.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { html } from '../../src/html.js';
import { Markup } from '../../src/escape/markup.js';

const text = readFileSync('docs/templates.md', 'utf8');
const start = text.indexOf('## HTML without templates: the html tag');
const section = text.slice(start);
const blocks = [...section.matchAll(/```(\w*)\n([\s\S]*?)```/g)].map((m) => ({ lang: m[1]!, body: m[2]! }));

test('every html tag example in docs/templates.md gives the output shown', () => {
  assert.ok(start !== -1, 'section missing');
  let checked = 0;
  for (let i = 0; i + 1 < blocks.length; i++) {
    const b = blocks[i]!;
    if (b.lang !== 'ts' || blocks[i + 1]!.lang !== 'html') continue;
    const lines = b.body
      .trimEnd()
      .split('\n')
      .filter((l) => !l.startsWith('import '));
    const last = lines.pop()!;
    const run = new Function('html', 'Markup', `${lines.join('\n')}\nreturn ${last};`) as (h: typeof html, m: typeof Markup) => unknown;
    assert.equal(String(run(html, Markup)), blocks[i + 1]!.body.trimEnd(), `example ${checked + 1}:\n${b.body}`);
    checked++;
  }
  assert.equal(checked, 3);
});

test('the error line shown in the docs has the shape html errors have', () => {
  const shown = /```\n(src\/views\.ts:\d+:\d+: html`…`[^\n]*)\n```/.exec(section)?.[1];
  assert.ok(shown);
  let message = '';
  try {
    html`<a href="${'x'}`;
  } catch (e) {
    message = (e as Error).message;
  }
  assert.equal(message.replace(/^[^:]+:\d+:\d+: /, ''), shown.replace(/^[^:]+:\d+:\d+: /, ''));
});
