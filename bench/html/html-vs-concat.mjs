#!/usr/bin/env node
/**
 * The `html` tag against hand-written string concatenation with `escape-html`, the way
 * HTML is built without a template engine. Each shape is measured twice, as Go pairs its
 * escaper benchmarks: with values that need escaping and with clean values (the fast
 * path). The concatenation only HTML-escapes; `html` also picks the escaper per context,
 * filters URLs (`javascript:` becomes a sentinel) and wraps the result in Markup, so the
 * URL row compares more work with less. Target: `html` within 1.5× of concatenation.
 *
 * Palisade comes from ../../dist (run `npm run build` at the repository root first).
 *
 *   node html/html-vs-concat.mjs [--seconds 0.4] [--windows 8]
 */
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(join(here, '..', 'package.json'));
const escapeHtml = require('escape-html');
const { html } = await import('../../dist/html.js');

const args = process.argv.slice(2);
const opt = (name, d) => {
  const i = args.indexOf(`--${name}`);
  return i === -1 ? d : Number(args[i + 1]);
};
const SECONDS = opt('seconds', 0.4);
const WINDOWS = opt('windows', 8);

const DIRTY = { cls: 'note "hot"', title: 'Tom & Jerry <3', body: `It's <b>fine</b> & "quoted"`, url: '/notes/42?q=a&b=<c>' };
const CLEAN = { cls: 'note hot', title: 'Tom and Jerry', body: 'It is fine and plain text here', url: '/notes/42?q=ab' };
const rows = (v) => Array.from({ length: 20 }, (_, i) => ({ id: i, title: `${v.title} ${i}`, cls: v.cls }));

// Each shape: the same HTML built both ways; `check` compares outputs once before timing.
const SHAPES = [
  {
    name: 'card (text and attributes)',
    tag: (v) => html`<div class="${v.cls}"><h2 title="${v.title}">${v.title}</h2><p>${v.body}</p></div>`.toString(),
    concat: (v) => '<div class="' + escapeHtml(v.cls) + '"><h2 title="' + escapeHtml(v.title) + '">' + escapeHtml(v.title) + '</h2><p>' + escapeHtml(v.body) + '</p></div>',
  },
  {
    name: 'list of 20 nested rows',
    prepare: rows,
    tag: (rs) => html`<ul>${rs.map((r) => html`<li class="${r.cls}">${r.title}</li>`)}</ul>`.toString(),
    concat: (rs) => {
      let s = '<ul>';
      for (const r of rs) s += '<li class="' + escapeHtml(r.cls) + '">' + escapeHtml(r.title) + '</li>';
      return s + '</ul>';
    },
  },
  {
    name: 'link (URL filtered by html only)',
    exact: false, // html also percent-encodes what a URL may not hold
    tag: (v) => html`<a href="${v.url}">${v.title}</a>`.toString(),
    concat: (v) => '<a href="' + escapeHtml(v.url) + '">' + escapeHtml(v.title) + '</a>',
  },
];

/** Calls per second in one timed window. */
function window(fn, input, seconds) {
  const end = process.hrtime.bigint() + BigInt(Math.round(seconds * 1e9));
  let n = 0;
  let sink = 0;
  const start = process.hrtime.bigint();
  let now = start;
  while (now < end) {
    for (let k = 0; k < 200; k++) sink += fn(input).length;
    n += 200;
    now = process.hrtime.bigint();
  }
  if (sink === 0) throw new Error('no output');
  return n / (Number(now - start) / 1e9);
}

const cases = [];
for (const s of SHAPES) {
  for (const [label, v] of [['escaping', DIRTY], ['clean', CLEAN]]) {
    const input = s.prepare ? s.prepare(v) : v;
    const a = s.tag(input);
    const b = s.concat(input);
    // escape-html writes &quot; and &#39;, Palisade &#34; and &#39;: compare modulo that.
    if (s.exact !== false && a.replaceAll('&#34;', '&quot;') !== b) throw new Error(`${s.name} (${label}): outputs differ\n${a}\n${b}`);
    cases.push({ name: `${s.name}, ${label}`, input, tag: s.tag, concat: s.concat });
  }
}

for (const c of cases) for (let i = 0; i < 20000; i++) (c.tag(c.input), c.concat(c.input));
const best = cases.map(() => ({ tag: 0, concat: 0 }));
for (let w = 0; w < WINDOWS; w++) {
  cases.forEach((c, i) => {
    best[i].tag = Math.max(best[i].tag, window(c.tag, c.input, SECONDS));
    best[i].concat = Math.max(best[i].concat, window(c.concat, c.input, SECONDS));
  });
}

const version = JSON.parse(readFileSync(join(here, '..', 'node_modules', 'escape-html', 'package.json'), 'utf8')).version;
console.log(`node ${process.version}; escape-html ${version}; best of ${WINDOWS} windows of ${SECONDS} s; target: html within 1.50× of concatenation`);
console.log('| shape | html calls/s | concat calls/s | time html ÷ concat |');
console.log('|---|---:|---:|---:|');
for (const [i, c] of cases.entries()) {
  const r = best[i].concat / best[i].tag;
  console.log(`| ${c.name} | ${Math.round(best[i].tag).toLocaleString('en-US')} | ${Math.round(best[i].concat).toLocaleString('en-US')} | ${r.toFixed(2)}× |`);
}
