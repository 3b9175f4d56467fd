// The escaping holes of issue 18, and those of foreign content (SVG, MathML), attacked in Chromium. Each attack page is rendered twice:
// by Palisade, where no payload may succeed, and with escaping switched off (the control),
// where at least one payload must succeed, which proves the check able to fail. A payload
// succeeds when it runs script (it posts "pwned:<id>" to the top page), or when the page's
// own check finds the context ended early or a dangerous URL where CSS reads one.
//
// Script-context pages are served as an app serves them: with a strict CSP
// (`script-src 'nonce-…'`) and the nonce on every <script> the template writes, so injected
// code could only run inside a script that already carries the nonce. The same attacks
// are rows of test/templates/holes.test.ts, with exact outputs.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser } from './browser.js';
import { BaseEnv, compileWith } from '../src/templates/compile.js';
import { Templates } from '../src/templates/loader.js';
import { TemplateError } from '../src/errors.js';
import { runInScope } from '../src/http/context.js';
import { html } from '../src/html.js';

const NONCE = 'h0les-n0nce';
const CSP = `script-src 'nonce-${NONCE}'`;

/**
 * Script that reports success for attack `id`, as JS source without quotes (an escaper that
 * writes quotes as `\uXXXX` must not be what stops it).
 */
const chars = (s: string): string => `String.fromCharCode(${[...s].map((c) => c.charCodeAt(0)).join(',')})`;
const pwn = (id: string): string => `parent.postMessage(${chars(`pwned:${id}`)},${chars('*')})`;

interface Attack {
  readonly id: string;
  /** A template source, or a page that extends layouts (files in a folder). */
  readonly template: string | { readonly files: Record<string, string>; readonly page: string };
  /** The value or values each payload gives (`v` unless named). */
  readonly payloads: readonly Record<string, unknown>[];
  /** Serve with the strict CSP and render with its nonce. */
  readonly csp?: boolean;
  /** Click `#t` after the page has loaded. */
  readonly click?: boolean;
  /** JS run in the page: true when the payload ended its context or put a dangerous URL in CSS. */
  readonly broke?: (v: Record<string, unknown>) => string;
}

const dangerous = (expr: string): string => `/^\\s*(url\\(|image-set\\()*\\s*["']?\\s*(javascript|data|vbscript):/i.test(${expr})`;

const ATTACKS: readonly Attack[] = [
  // 1. A regular expression after `)`: the value landed in a regexp the escaper took for a division.
  ...(['if (s)', 'while (!s)', 'for (;!s;)'] as const).map((head, i): Attack => ({
    id: `slash-${i}`,
    template: `<script>var s = location.pathname; ${head} /{{ q }}/.test(s);</script>`,
    payloads: [{ q: `/;${pwn(`slash-${i}`)};//` }, { q: `x/;${pwn(`slash-${i}`)};/x` }],
    csp: true,
  })),
  // 2. A block name used twice: the page's value is escaped for where the layout writes it.
  {
    id: 'block-script',
    template: {
      files: {
        'layout.html': '<script>function track() {} track({% block page %}"home"{% endblock %})</script>\n<h1>{% block title %}Home{% endblock %}</h1>',
      },
      page: '{% extends "layout.html" %}{% block page %}{{ v }}{% endblock %}{% block title %}{{ v }}{% endblock %}',
    },
    payloads: [{ v: pwn('block-script') }],
    csp: true,
  },
  {
    id: 'block-href',
    template: {
      files: { 'layout.html': '<a id="t" href="{% block link %}/{% endblock %}">home</a><p>{% block text %}{% endblock %}</p>' },
      page: '{% extends "layout.html" %}{% block link %}{{ v }}{% endblock %}{% block text %}{{ v }}{% endblock %}',
    },
    payloads: [{ v: `javascript:${pwn('block-href')}` }],
    click: true,
  },
  // 3. An end tag made of the template's `<` and a value.
  {
    id: 'rcdata-textarea',
    template: '<textarea id="t"><{{ v }}…</textarea>',
    payloads: [{ v: '/textarea ' }],
    broke: (d) => `document.getElementById('t').value !== ${JSON.stringify(`<${String(d.v)}…`)}`,
  },
  {
    id: 'rcdata-title',
    template: '<title><{{ v }}…</title>',
    payloads: [{ v: '/title ' }],
    broke: (d) => `document.title !== ${JSON.stringify(`<${String(d.v)}…`)}`,
  },
  ...(
    [
      ['script-string', '"<{{ v }}"'],
      ['script-template', '`<{{ v }}`'],
      ['script-scrip', '"</scrip{{ v }}"'],
    ] as const
  ).map(([id, lit]): Attack => ({
    id,
    template: `<script>window.__v = ${lit};</script>`,
    payloads: [{ v: id === 'script-scrip' ? 't ' : '/script ' }],
    csp: true,
    broke: (d) => `window.__v !== ${JSON.stringify((id === 'script-scrip' ? '</scrip' : '<') + String(d.v))}`,
  })),
  {
    id: 'style-string',
    template: '<style>#t::after { content: "</styl{{ v }}" }</style><p id="t">x</p>',
    payloads: [{ v: 'e ' }],
    broke: () => `getComputedStyle(document.getElementById('t'), '::after').content !== '"</style "'`,
  },
  {
    id: 'escaped-script',
    template: '<script><!--\nwindow.__v = "<{{ v }}";\n</script><p id="t">x</p>',
    payloads: [{ v: 'script ' }],
    csp: true,
    broke: () => `document.getElementById('t') === null`,
  },
  // Raw text decodes no references: the value is written as it is, after a U+200B.
  {
    id: 'rawtext-xmp',
    template: '<xmp id="t"><{{ v }}…</xmp>',
    payloads: [{ v: '/xmp ' }],
    broke: (d) => `document.getElementById('t').textContent !== ${JSON.stringify(`<\u200b${String(d.v)}…`)}`,
  },
  // <noscript> is raw text with scripting on, whatever its HTML holds (an attribute value here).
  {
    id: 'noscript-attr',
    template: '<noscript id="t"><p title="<{{ v }}">x</p></noscript>',
    payloads: [{ v: '/noscript >' }],
    broke: () => `!document.getElementById('t').textContent.endsWith('x</p>')`,
  },
  // 4. <meta http-equiv="refresh"> URLs (Chromium refuses javascript: here, and follows data:).
  ...(
    [
      ['refresh', 'content="0; url={{ v }}"'],
      ['refresh-space-eq', 'content="0; url ={{ v }}"'],
      ['refresh-tab-eq', 'content="0; url\t={{ v }}"'],
      ['refresh-eq-space', 'content="0;url= {{ v }}"'],
      ['refresh-quoted', 'content="0; URL=\'{{ v }}\'"'],
    ] as const
  ).map(([id, content]): Attack => ({
    id,
    template: `<meta http-equiv="refresh" ${content}>`,
    payloads: [{ v: `data:text/html,<script>${pwn(id)}</script>` }, { v: `javascript:${pwn(id)}` }],
  })),
  {
    id: 'refresh-whole',
    template: '<meta http-equiv="refresh" content="{{ v }}">',
    payloads: [{ v: `0;url=data:text/html,<script>${pwn('refresh-whole')}</script>` }],
  },
  // 5. SVG animation of an href; clicked once the animation has set it.
  ...(
    [
      ['svg-values', '<animate attributeName="href" values="{{ v }}" dur="10s" fill="freeze"/>'],
      ['svg-to', '<animate attributeName="href" to="{{ v }}" dur="0.01s" fill="freeze"/>'],
      ['svg-set', '<set attributeName="href" to="{{ v }}"/>'],
    ] as const
  ).map(([id, anim]): Attack => ({
    id,
    template: `<svg width="100" height="40"><a id="t">${anim}<text y="20">go</text></a></svg>`,
    payloads: [{ v: `javascript:${pwn(id)}` }],
    click: true,
  })),
  // 6. CSS strings read as URLs: a data: style sheet, and image URLs.
  {
    id: 'css-import',
    template: '<style>@import "{{ v }}";</style><p id="t">x</p>',
    payloads: [{ v: 'data:text/css,%23t{color:rgb(1,2,3)}' }],
    broke: () => `getComputedStyle(document.getElementById('t')).color === 'rgb(1, 2, 3)'`,
  },
  {
    id: 'css-image-set',
    template: '<p id="t" style="background-image: image-set(\'{{ v }}\' 1x)">x</p>',
    payloads: [{ v: 'javascript:x' }, { v: 'data:image/gif,x' }],
    broke: () => dangerous(`getComputedStyle(document.getElementById('t')).backgroundImage`),
  },
  {
    id: 'css-custom-property',
    template: '<p id="t" style="--img: \'{{ v }}\'; background-image: image-set(var(--img) 1x)">x</p>',
    payloads: [{ v: 'javascript:x' }, { v: 'data:image/gif,x' }],
    broke: () => dangerous(`getComputedStyle(document.getElementById('t')).backgroundImage`),
  },
  // 7. Foreign content: inside <svg> and <math>, title, xmp, iframe… hold markup, not raw text
  // (an SVG title is an HTML integration point; <img>, <p> leave foreign content).
  {
    id: 'svg-title-link',
    template: '<svg><title><a id="t" href="{{ v }}">go</a></title></svg>',
    payloads: [{ v: `javascript:${pwn('svg-title-link')}` }],
    click: true,
  },
  { id: 'svg-xmp-handler', template: "<svg><xmp><img src=x onerror='x = [{{ v }}][0];'></xmp></svg>", payloads: [{ v: pwn('svg-xmp-handler') }] },
  {
    id: 'math-title-unquoted',
    template: '<math><title><p id="t" title={{ v }}>x</p></title></math>',
    payloads: [{ v: `x onclick=${pwn('math-title-unquoted')}` }, { v: `x"><img src=x onerror=${pwn('math-title-unquoted')}>` }],
    click: true,
  },
  ...(
    [
      ['svg-iframe', '<svg><iframe>{{ v }}</iframe></svg>'],
      ['math-annotation-xmp', '<math><annotation-xml><xmp>{{ v }}</xmp></annotation-xml></math>'],
      ['svg-cdata', '<svg><text><![CDATA[ {{ v }} ]]></text></svg>'],
    ] as const
  ).map(([id, template]): Attack => ({
    id,
    template,
    payloads: [{ v: `<img src=x onerror=${pwn(id)}>` }, { v: `]]><img src=x onerror=${pwn(id)}>` }],
  })),
  // 8. A `$` right before a value in a template literal: a value starting with `{` opened a
  // substitution (found by the escaper fuzzer). In a script and in an event handler.
  { id: 'tmpl-dollar', template: '<script>var price = `Price: ${{ v }}`;</script>', payloads: [{ v: `{${pwn('tmpl-dollar')}}` }], csp: true },
  {
    id: 'tmpl-dollar-handler',
    template: '<p id="t" onclick="var price = `${{ v }}`;">x</p>',
    payloads: [{ v: `{${pwn('tmpl-dollar-handler')}}` }],
    click: true,
  },
  {
    // A macro's raw text, written into SVG as Markup.
    id: 'svg-macro-xmp',
    template: '{% macro code(c) %}<xmp>{{ c }}</xmp>{% endmacro %}<svg><text>{{ code(v) }}</text></svg>',
    payloads: [{ v: `<img src=x onerror=${pwn('svg-macro-xmp')}>` }],
  },
];

// ---- rendering ----------------------------------------------------------------------------

let dir = '';
const envs = { palisade: new BaseEnv({ strict: true }), control: new BaseEnv({ strict: true, unsafeDisableEscaping: true }) };
const loaders = new Map<string, Templates>();

/** The attack page through the html tag, for a template whose holes are all `{{ name }}`. */
function viaTag(template: string, data: Record<string, unknown>): string {
  const pieces = template.split(/\{\{ (\w+) \}\}/);
  const parts = pieces.filter((_, i) => i % 2 === 0);
  const site = Object.freeze(Object.assign([...parts], { raw: Object.freeze([...parts]) })) as unknown as TemplateStringsArray;
  return html(site, ...pieces.filter((_, i) => i % 2 === 1).map((n) => data[n])).toString();
}

const tagged = (a: Attack): boolean => typeof a.template === 'string' && !/\{%/.test(a.template);

function render(a: Attack, data: Record<string, unknown>, control: boolean | 'html'): string {
  const run = (): string => {
    if (control === 'html') return viaTag(a.template as string, data);
    if (typeof a.template === 'string')
      return compileWith(a.template, a.id, control ? envs.control : envs.palisade, null)
        .render(data)
        .toString();
    const key = `${a.id}:${control}`;
    let t = loaders.get(key);
    if (t === undefined) {
      const folder = join(dir, `${a.id}-${String(control)}`);
      mkdirp(folder, { ...a.template.files, 'page.html': a.template.page });
      loaders.set(key, (t = new Templates({ dir: folder, mode: 'test', unsafeDisableEscaping: control })));
    }
    return t.render('page.html', data).toString();
  };
  return a.csp === true ? runInScope({ request: null, nonce: NONCE }, run) : run();
}

function mkdirp(folder: string, files: Record<string, string>): void {
  rmSync(folder, { recursive: true, force: true });
  mkdirSync(folder, { recursive: true });
  for (const [name, text] of Object.entries(files)) writeFileSync(join(folder, name), text);
}

// ---- the browser ----------------------------------------------------------------------------

const pages = new Map<string, { body: string; csp: boolean }>();
let server: Server;
let base = '';
let browser: Browser;
let page: Page;
let counter = 0;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'palisade-e2e-holes-'));
  server = createServer((req, res) => {
    const p = pages.get(req.url ?? '');
    if (p === undefined) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    const headers: Record<string, string> = { 'content-type': 'text/html; charset=utf-8' };
    if (p.csp) headers['content-security-policy'] = CSP;
    res.writeHead(200, headers).end(p.body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await launchBrowser();
  page = await browser.newPage();
  page.on('dialog', (d) => void d.dismiss());
});

after(async () => {
  await browser?.close();
  await new Promise<void>((r) => server.close(() => r()));
  rmSync(dir, { recursive: true, force: true });
});

interface Outcome {
  attack: Attack;
  payload: Record<string, unknown>;
  succeeded: boolean;
  detail: string;
}

/** Loads every attack × payload, rendered by Palisade or the control, each in its own frame. */
async function attackAll(control: boolean | 'html'): Promise<Outcome[]> {
  const attacks = control === 'html' ? ATTACKS.filter(tagged) : ATTACKS;
  const items = attacks.flatMap((attack) => attack.payloads.map((payload) => ({ attack, payload })));
  const paths = items.map(({ attack, payload }) => {
    const path = `/p/${counter++}`;
    const head = `<!doctype html><html><head><meta charset="utf-8"></head><body>`;
    pages.set(path, { body: head + render(attack, payload, control) + '</body></html>', csp: attack.csp === true });
    return path;
  });
  const top = `/top/${counter++}`;
  pages.set(top, {
    body:
      '<!doctype html><body><script>window.__msgs = []; addEventListener("message", function (e) { window.__msgs.push(String(e.data)); });</script>' +
      paths.map((p, i) => `<iframe name="f${i}" src="${p}"></iframe>`).join(''),
    csp: false,
  });
  await page.goto(base + top, { waitUntil: 'load' });
  await page.waitForTimeout(300); // animations apply, refreshes navigate
  const out: Outcome[] = [];
  for (const [i, { attack, payload }] of items.entries()) {
    const frame = page.frame({ name: `f${i}` });
    assert.ok(frame, `frame ${i} did not load`);
    let broke = false;
    if (attack.click === true)
      await frame.evaluate(() => document.getElementById('t')?.dispatchEvent(new MouseEvent('click', { bubbles: true, cancelable: true })));
    if (attack.broke !== undefined) broke = (await frame.evaluate(attack.broke(payload))) === true;
    out.push({ attack, payload, succeeded: broke, detail: broke ? 'the page check failed' : '' });
  }
  await page.waitForTimeout(300); // clicked javascript: URLs run
  const msgs = await page.evaluate(() => (window as unknown as { __msgs: string[] }).__msgs);
  for (const o of out) {
    if (msgs.includes(`pwned:${o.attack.id}`)) {
      o.succeeded = true;
      o.detail = 'injected script ran';
    }
  }
  for (const p of [...paths, top]) pages.delete(p);
  return out;
}

describe('issue 18 holes in Chromium', () => {
  test('Palisade: no attack succeeds', async () => {
    const failed = (await attackAll(false)).filter((o) => o.succeeded);
    assert.deepEqual(
      failed.map((o) => `${o.attack.id} ${JSON.stringify(o.payload)}: ${o.detail}`),
      [],
    );
  });

  test('the html tag, which shares the analysis: no attack succeeds', async () => {
    const outcomes = await attackAll('html');
    assert.ok(outcomes.length >= 20, `only ${outcomes.length} pages`);
    assert.deepEqual(
      outcomes.filter((o) => o.succeeded).map((o) => `${o.attack.id} ${JSON.stringify(o.payload)}: ${o.detail}`),
      [],
    );
  });

  test('control: with escaping off, every attack succeeds with at least one payload', async () => {
    const outcomes = await attackAll(true);
    const missed = ATTACKS.filter((a) => !outcomes.some((o) => o.attack === a && o.succeeded)).map((a) => a.id);
    assert.deepEqual(missed, [], 'attacks that cannot be seen to succeed prove nothing');
  });

  test('a string escape cut by a template tag: the page it made ran the value as script; the template no longer compiles', async () => {
    // `"a\` + `{% if %}` + `" + {{ v }}`: the analysis read the `"` after the tag as the
    // string's end, the browser reads `\"`, so the value was written as code inside a
    // string. The page below is what Palisade wrote for it before (test/templates/code-tail.test.ts).
    const template = '<script>var s = "a\\{% if a %}" + {{ v }} + "{% endif %} // ";</script>';
    const v = `+${pwn('cut-escape')}+`;
    const before = `<script nonce="${NONCE}">var s = "a\\" + "${v}" + " // ";</script>`;
    const path = `/p/${counter++}`;
    pages.set(path, { body: `<!doctype html><body>${before}</body>`, csp: true });
    const top = `/top/${counter++}`;
    pages.set(top, {
      body: `<!doctype html><body><script>window.__msgs = []; addEventListener("message", function (e) { window.__msgs.push(String(e.data)); });</script><iframe src="${path}"></iframe>`,
      csp: false,
    });
    await page.goto(base + top, { waitUntil: 'load' });
    await page.waitForTimeout(200);
    assert.deepEqual(
      await page.evaluate(() => (window as unknown as { __msgs: string[] }).__msgs),
      ['pwned:cut-escape'],
      'the control: the old output runs the value',
    );
    for (const env of [envs.palisade, envs.control]) {
      assert.throws(
        () => compileWith(template, 'cut.html', env, null),
        (e: unknown) => e instanceof TemplateError && e.code === 'TEMPLATE_PARTIAL_NAME',
      );
    }
  });

  /**
   * Serves `body` (no CSP) in a frame, dispatches `event` on its element #t, and returns the
   * messages the frame posted to the top page (what an injected handler would send).
   */
  async function messagesAfter(body: string, event: 'click' | 'mouseover'): Promise<string[]> {
    const path = `/p/${counter++}`;
    pages.set(path, { body: `<!doctype html><body>${body}</body>`, csp: false });
    const top = `/top/${counter++}`;
    pages.set(top, {
      body: `<!doctype html><body><script>window.__msgs = []; addEventListener("message", function (e) { window.__msgs.push(String(e.data)); });</script><iframe name="u" src="${path}"></iframe>`,
      csp: false,
    });
    await page.goto(base + top, { waitUntil: 'load' });
    await page
      .frame({ name: 'u' })!
      .evaluate((type) => document.getElementById('t')?.dispatchEvent(new MouseEvent(type, { bubbles: true, cancelable: true })), event);
    await page.waitForTimeout(200);
    return page.evaluate(() => (window as unknown as { __msgs: string[] }).__msgs);
  }

  test('|urlize on Markup: a URL in an attribute value made a link there ran the value as an event handler; now only text gets links', async () => {
    // `{% filter urlize %}` (or a macro's result |urlize) once linked every word of the
    // Markup, also one in an attribute value: the link's quote ended the value, and the rest
    // of the URL became attributes of the element. `before` is what Palisade wrote for it.
    const template = '{% filter urlize %}<p id="t" title="{{ v }}">hi</p>{% endfilter %}';
    const v = `see http://a.org/onclick=${pwn('urlize-attr')}//`;
    const before = `<p id="t" title="see <a href="http://a.org/onclick=${pwn('urlize-attr')}//">hi</p" rel="nofollow noopener">http://a.org/onclick=${pwn('urlize-attr')}//">hi</p</a>>`;
    const now = compileWith(template, 'urlize.html', envs.palisade, null).render({ v }).toString();
    const ran = [await messagesAfter(before, 'click'), await messagesAfter(now, 'click')];
    assert.deepEqual(ran[0], ['pwned:urlize-attr'], 'the control: the old output runs the value');
    assert.deepEqual(ran[1], [], `Palisade now: ${now}`);
  });

  test('|trim(">") on Markup: the tag it left open took the next value as its attributes; now a trim stops at the tag', async () => {
    // `{{ link()|trim('>') }}` trimmed the whole of the Markup, as Jinja's Markup.strip does,
    // so `<a href="/x">` lost its `>` and the text written after it (where a space and `=`
    // are plain text) became attributes of the link. `before` is what Palisade wrote for it.
    const template = '{% macro link() %}<a id="t" href="#x">{% endmacro %}{{ link()|trim(">") }}{{ v }}>go</a>';
    const v = ` onmouseover=${pwn('trim-tag')} x=`;
    const before = `<a id="t" href="#x"${v.replace(/'/g, '&#39;')}>go</a>`;
    const now = compileWith(template, 'trim.html', envs.palisade, null).render({ v }).toString();
    const ran = [await messagesAfter(before, 'mouseover'), await messagesAfter(now, 'mouseover')];
    assert.deepEqual(ran[0], ['pwned:trim-tag'], `the control: the old output runs the value: ${before}`);
    assert.deepEqual(ran[1], [], `Palisade now: ${now}`);
  });

  test('the layout that writes one block in a script and in text does not compile, escaping on or off', () => {
    for (const env of [envs.palisade, envs.control]) {
      assert.throws(
        () =>
          compileWith('<script>track({% block page %}"home"{% endblock %})</script>\n<h1>{% block page %}Home{% endblock %}</h1>', 'layout.html', env, null),
        (e: unknown) => e instanceof TemplateError && e.code === 'TEMPLATE_DUPLICATE_BLOCK',
      );
    }
  });
});
