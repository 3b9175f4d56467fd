/**
 * Template constructs that carry a value from where it is computed to where it is written,
 * often across contexts: `if`/`else` (also around static text, moving the context), `for`
 * (also recursive), macros, `call` blocks, `include`, `import`, `extends` with blocks (also
 * several levels, `super()`, and two blocks with one name), `filter` blocks, `set` captures,
 * `with`, and the `html` tag with nested results and lists. Each takes a slot (see slot.ts)
 * and returns the sources of one fuzz case.
 */
import type { Rng } from './rng.js';
import type { Slot } from './slot.js';

/** How the written text relates to the value, for reading it back (null: not checked). */
export type Transform = 'id' | 'upper' | 'lower' | 'markup';

/** An `html` tag call: static parts and, between them, the value, a nested call, a list, a string or null. */
export interface HtmlRecipe {
  readonly parts: readonly string[];
  readonly holes: readonly HtmlHole[];
}
export type HtmlHole = 'v' | null | { readonly text: string } | HtmlRecipe | readonly HtmlHole[];

/** The sources of a case, before values are chosen. */
export interface Sources {
  readonly engine: 'template' | 'html';
  /** The template rendered (engine `template`), or the html call written as code (for messages). */
  readonly main: string;
  /** Other templates, for include, import and extends. */
  readonly files: Readonly<Record<string, string>>;
  readonly html?: HtmlRecipe;
  readonly transform: Transform | null;
  readonly construct: string;
  readonly expr: string;
}

interface Expr {
  readonly code: (name: string) => string;
  readonly t: Transform | null;
  readonly label: string;
}

const EXPRS: readonly (readonly [number, Expr])[] = [
  [20, { code: (n) => n, t: 'id', label: 'v' }],
  [2, { code: (n) => `${n}|upper`, t: 'upper', label: 'upper' }],
  [1, { code: (n) => `${n}|lower`, t: 'lower', label: 'lower' }],
  [2, { code: (n) => `${n}|e`, t: 'markup', label: 'e' }],
  [1, { code: (n) => `${n}|string`, t: 'id', label: 'string' }],
  [1, { code: (n) => `${n} ~ ""`, t: 'id', label: 'concat' }],
  [1, { code: (n) => `"<" ~ ${n}`, t: null, label: 'lt-concat' }],
  [1, { code: (n) => `[${n}]|join("")`, t: 'id', label: 'join' }],
  [1, { code: (n) => `${n}|replace("a", "A")`, t: null, label: 'replace' }],
  [1, { code: (n) => `${n}|trim`, t: null, label: 'trim' }],
  [1, { code: (n) => `${n}|striptags`, t: null, label: 'striptags' }],
  [1, { code: (n) => `${n}|urlencode`, t: null, label: 'urlencode' }],
  [1, { code: (n) => `${n}|tojson`, t: null, label: 'tojson' }],
  [1, { code: (n) => `${n}|truncate(12)`, t: null, label: 'truncate' }],
  [1, { code: (n) => `(${n}|e)|replace("&amp;", "&")`, t: null, label: 'markup-replace' }],
  [1, { code: (n) => `${n}|e|upper`, t: null, label: 'e-upper' }],
  [1, { code: (n) => `${n}|title`, t: null, label: 'title' }],
  // Not `if c`: an imported macro does not see the importer's names.
  [1, { code: (n) => `${n} if ${n} is string else "x"`, t: 'id', label: 'conditional' }],
];

/** The transform of an expression whose result is Markup when the slot reads Markup as text. */
function markupT(slot: Slot, t: Transform | null): Transform | null {
  return t === 'markup' && !slot.markupText ? null : t;
}

const FILTER_BLOCKS: readonly (readonly [string, Transform | null])[] = [
  ['upper', null],
  ['lower', null],
  ['trim', null],
  ['e', 'markup'],
  ['string', 'markup'],
  ['striptags', null],
  ['title', null],
  ['replace("a", "b")', null],
  ['replace("&lt;", "<")', null],
  ['replace("&amp;", "&")', null],
  ['replace("&#34;", "\\"")', null],
  ['truncate(8)', null],
  ['truncate(30, true)', null],
  ['urlencode', null],
  ['tojson', null],
  ['upper|lower', null],
  ['default("x")', 'markup'],
  ['reverse', null],
  ['capitalize', null],
  ['e|upper', null],
  ['replace("<", "&lt;")', null],
];

/** Static text that moves the context when an `if` branch has it and the other does not. */
const MOVERS = [
  '"',
  "'",
  ' ',
  '>',
  '<b>',
  '<!--',
  ' title=',
  '=',
  '/',
  ')',
  '(',
  '//',
  '/*',
  '`',
  '${',
  '<script>',
  '</script>',
  'x',
  ' x="y"',
  '\n',
  '&',
  '\\',
  '}',
  '{',
  ';',
  'url(',
];

const hole = (rng: Rng, code: string): string => (rng.chance(0.1) ? `{{- ${code} -}}` : `{{ ${code} }}`);

/** A random cut of a string into two. */
function cut(rng: Rng, s: string): [string, string] {
  const k = rng.int(0, s.length);
  return [s.slice(0, k), s.slice(k)];
}

function ifAlt(rng: Rng, s: string): string {
  switch (rng.int(0, 4)) {
    case 0:
      return s;
    case 1:
      return '';
    case 2: {
      const k = rng.int(0, Math.max(0, s.length - 1));
      return s.slice(0, k) + s.slice(k + 1);
    }
    case 3:
      return s + rng.pick(MOVERS);
    default:
      return rng.pick(MOVERS);
  }
}

type Build = (rng: Rng, s: Slot, e: Expr) => Omit<Sources, 'engine' | 'expr'>;

const tpl = (main: string, construct: string, transform: Transform | null, files: Record<string, string> = {}): Omit<Sources, 'engine' | 'expr'> => ({
  main,
  files,
  transform,
  construct,
});

const BUILDS: readonly (readonly [number, Build])[] = [
  [12, (rng, s, e) => tpl(s.before + hole(rng, e.code('v')) + s.after, 'plain', markupT(s, e.t))],
  [
    3,
    (rng, s, e) => {
      const [kind, body] = rng.pick([
        ['if', `{% if c %}${hole(rng, e.code('v'))}{% endif %}`],
        ['if-else', `{% if d %}x{% else %}${hole(rng, e.code('v'))}{% endif %}`],
        ['if-elif', `{% if d %}{% elif c %}${hole(rng, e.code('v'))}{% else %}y{% endif %}`],
      ] as const);
      return tpl(s.before + body + s.after, kind, markupT(s, e.t));
    },
  ],
  [
    6,
    (rng, s, e) => {
      // An if around static text: the branches may end in different contexts.
      const inBefore = rng.chance(0.6);
      const [p, q] = cut(rng, inBefore ? s.before : s.after);
      const body = `{% if c %}${q}{% else %}${ifAlt(rng, q)}{% endif %}`;
      const v = hole(rng, e.code('v'));
      return tpl(inBefore ? p + body + v + s.after : s.before + v + p + body, inBefore ? 'if-static-before' : 'if-static-after', markupT(s, e.t));
    },
  ],
  [
    2,
    (rng, s, e) => {
      const empty = rng.chance(0.3);
      const [p, q] = cut(rng, s.before);
      return tpl(
        p + (empty ? '{% if c %}{% endif %}' : `{% if d %}${rng.pick(MOVERS)}{% endif %}`) + q + hole(rng, e.code('v')) + s.after,
        'if-inserted',
        markupT(s, e.t),
      );
    },
  ],
  [
    4,
    (rng, s, e) => {
      const [kind, body] = rng.pick([
        ['for', `{% for x in xs %}${hole(rng, e.code('v'))}{% endfor %}`],
        ['for-two', `{% for x in two %}${hole(rng, e.code('v'))}{% if not loop.last %}${rng.pick([', ', ' ', '-', ''])}{% endif %}{% endfor %}`],
        ['for-var', `{% for x in [v] %}${hole(rng, e.code('x'))}{% endfor %}`],
        ['for-items', `{% for k, x in {"k": v}.items() %}${hole(rng, e.code('x'))}{% endfor %}`],
        ['for-else', `{% for x in [] %}y{% else %}${hole(rng, e.code('v'))}{% endfor %}`],
      ] as const);
      return tpl(s.before + body + s.after, kind, markupT(s, e.t));
    },
  ],
  [
    3,
    (rng, s, e) => {
      const [b1, b2] = cut(rng, s.before);
      const [a1, a2] = cut(rng, s.after);
      return tpl(`${b1}{% for x in ${rng.pick(['xs', 'two'])} %}${b2}${hole(rng, e.code('v'))}${a1}{% endfor %}${a2}`, 'for-around', markupT(s, e.t));
    },
  ],
  [
    2,
    (rng, s, e) =>
      tpl(
        `{% for n in tree recursive %}${s.before}${hole(rng, e.code('n.v'))}${s.after}{% if n.kids %}{{ loop(n.kids) }}{% endif %}{% endfor %}`,
        'for-recursive',
        markupT(s, e.t),
      ),
  ],
  [
    4,
    (rng, s, e) => {
      const call = rng.pick(['m(v)', 'm(a=v)', 'm(v, "z")']);
      const wrap = rng.pick(['X', '<div>X</div>']);
      return tpl(
        `{% macro m(a, b="y") %}${s.before}${hole(rng, e.code('a'))}${s.after}{% endmacro %}${wrap.replace('X', `{{ ${call} }}`)}`,
        'macro-slot',
        markupT(s, e.t),
      );
    },
  ],
  [
    4,
    (rng, s, e) => {
      const [mp, mq] = rng.pick([
        ['', ''],
        ['', ''],
        ['<b>', '</b>'],
        ['<i title="t">', '</i>'],
      ] as const);
      const after = rng.pick(['', '', '|upper', '|e', '|string', '|striptags']);
      const t: Transform | null = after === '' || after === '|e' || after === '|string' ? 'markup' : null;
      return tpl(
        `{% macro m(a) %}${mp}${hole(rng, e.code('a'))}${mq}{% endmacro %}${s.before}{{ m(v)${after} }}${s.after}`,
        'macro-value',
        e.t === 'id' ? markupT(s, t) : null,
      );
    },
  ],
  [
    3,
    (rng, s, e) => {
      const args = rng.chance(0.5);
      return args
        ? tpl(
            `{% macro m() %}${s.before}{{ caller(v) }}${s.after}{% endmacro %}{% call(p) m() %}${hole(rng, e.code('p'))}{% endcall %}`,
            'call-args-value',
            e.t === 'id' ? markupT(s, 'markup') : null,
          )
        : tpl(
            `{% macro m() %}${s.before}{{ caller() }}${s.after}{% endmacro %}{% call m() %}${hole(rng, e.code('v'))}{% endcall %}`,
            'call-value',
            e.t === 'id' ? markupT(s, 'markup') : null,
          );
    },
  ],
  [
    2,
    (rng, s, e) =>
      tpl(
        `{% macro m() %}<div>{{ caller() }}</div>{% endmacro %}{% call m() %}${s.before}${hole(rng, e.code('v'))}${s.after}{% endcall %}`,
        'call-slot',
        markupT(s, e.t),
      ),
  ],
  [
    3,
    (rng, s, e) => {
      const inc = rng.pick(['{% include "inc.html" %}', '{% include ["missing.html", "inc.html"] %}', '{% include "inc.html" ignore missing %}']);
      return tpl(rng.pick(['', '<div>']) + inc + rng.pick(['', '<p>after</p>']), 'include', markupT(s, e.t), {
        'inc.html': s.before + hole(rng, e.code('v')) + s.after,
      });
    },
  ],
  [
    2,
    (rng, s, e) => {
      const from = rng.chance(0.5);
      const lib = { 'lib.html': `{% macro m(a) %}${s.before}${hole(rng, e.code('a'))}${s.after}{% endmacro %}` };
      return tpl(from ? '{% from "lib.html" import m %}<div>{{ m(v) }}</div>' : '{% import "lib.html" as lib %}{{ lib.m(v) }}', 'import', markupT(s, e.t), lib);
    },
  ],
  [
    2,
    (rng, s, e) =>
      tpl(`{% from "lib.html" import m %}${s.before}{{ m(v) }}${s.after}`, 'import-value', e.t === 'id' ? markupT(s, 'markup') : null, {
        'lib.html': `{% macro m(a) %}${hole(rng, e.code('a'))}{% endmacro %}`,
      }),
  ],
  [
    5,
    (rng, s, e) => {
      const [b1, b2] = cut(rng, s.before);
      const [a1, a2] = cut(rng, s.after);
      const v = hole(rng, e.code('v'));
      const layout = `${b1}{% block b %}${b2}${rng.chance(0.5) ? v : 'd'}${a1}{% endblock %}${a2}`;
      const [kind, child] = rng.pick([
        ['extends', `${b2}${v}${a1}`],
        ['extends-super', '{{ super() }}'],
        ['extends-super-first', `{{ super() }}${v}`],
        ['extends-value-only', v],
      ] as const);
      const main = `{% extends "layout.html" %}{% block b %}${child}{% endblock %}`;
      if (rng.chance(0.3)) {
        // Three levels: base.html ← layout.html ← the page.
        return tpl(main, `${kind}-3`, kind === 'extends-super' ? null : markupT(s, e.t), {
          'base.html': layout,
          'layout.html': `{% extends "base.html" %}{% block b %}${rng.pick(['{{ super() }}', child])}{% endblock %}`,
        });
      }
      return tpl(main, kind, kind === 'extends-super' ? null : markupT(s, e.t), { 'layout.html': layout });
    },
  ],
  [
    2,
    (rng, s, e) => {
      // Two blocks with one name in different places of the layout.
      const other = rng.pick([
        '<p>{% block b %}{% endblock %}</p>',
        '<title>{% block b %}{% endblock %}</title>',
        '<script>x = "{% block b %}{% endblock %}";</script>',
        '<a href="{% block b %}{% endblock %}">x</a>',
        '<p title="{% block b %}{% endblock %}">x</p>',
      ]);
      const first = rng.chance(0.5);
      const mine = `${s.before}{% block b %}{% endblock %}${s.after}`;
      return tpl(`{% extends "layout.html" %}{% block b %}${hole(rng, e.code('v'))}{% endblock %}`, 'extends-duplicate-block', markupT(s, e.t), {
        'layout.html': first ? mine + other : other + mine,
      });
    },
  ],
  [
    4,
    (rng, s, e) => {
      const [f, t] = rng.pick(FILTER_BLOCKS);
      const [kind, body] = rng.pick([
        ['filter-value', hole(rng, e.code('v'))],
        ['filter-value-markup', `<b>${hole(rng, e.code('v'))}</b>`],
        ['filter-value-own-slot', `<a href="/x?q=${hole(rng, e.code('v'))}">y</a>`],
      ] as const);
      return tpl(`${s.before}{% filter ${f} %}${body}{% endfilter %}${s.after}`, kind, kind === 'filter-value-own-slot' || e.t !== 'id' ? null : markupT(s, t));
    },
  ],
  [
    3,
    (rng, s, e) => {
      const [f, t] = rng.pick(FILTER_BLOCKS);
      return tpl(`{% filter ${f} %}${s.before}${hole(rng, e.code('v'))}${s.after}{% endfilter %}`, 'filter-slot', t === 'markup' ? markupT(s, e.t) : null);
    },
  ],
  [
    3,
    (rng, s, e) => {
      const body = rng.pick([hole(rng, e.code('v')), `<b>${hole(rng, e.code('v'))}</b>`]);
      return tpl(`{% set w %}${body}{% endset %}${s.before}{{ w }}${s.after}`, 'set-capture-value', e.t === 'id' ? markupT(s, 'markup') : null);
    },
  ],
  [
    2,
    (rng, s, e) =>
      tpl(
        `{% set w %}${s.before}${hole(rng, e.code('v'))}${s.after}{% endset %}${rng.pick(['{{ w }}', '<div>{{ w }}</div>'])}`,
        'set-capture-slot',
        markupT(s, e.t),
      ),
  ],
  [2, (rng, s, e) => tpl(`{% set w = ${e.code('v')} %}${s.before}{{ w }}${s.after}`, 'set-expr', markupT(s, e.t))],
  [2, (rng, s, e) => tpl(`{% with w = ${e.code('v')} %}${s.before}${hole(rng, 'w')}${s.after}{% endwith %}`, 'with', markupT(s, e.t))],
];

const V: HtmlHole = 'v';

function htmlBuilds(rng: Rng, s: Slot): Pick<Sources, 'html' | 'transform' | 'construct'> {
  return rng.weighted<() => Pick<Sources, 'html' | 'transform' | 'construct'>>([
    [6, () => ({ html: { parts: [s.before, s.after], holes: [V] }, transform: 'id', construct: 'html-plain' })],
    [
      2,
      () => {
        const [p, q] = rng.pick([
          ['', ''],
          ['<b>', '</b>'],
        ] as const);
        return {
          html: { parts: [s.before, s.after], holes: [{ parts: [p, q], holes: [V] }] },
          transform: s.markupText ? 'markup' : null,
          construct: 'html-nested-value',
        };
      },
    ],
    [2, () => ({ html: { parts: ['<div>', '</div>'], holes: [{ parts: [s.before, s.after], holes: [V] }] }, transform: 'id', construct: 'html-nested-slot' })],
    [
      1,
      () => ({
        html: { parts: ['<ul>', '</ul>'], holes: [[{ parts: ['<li>x</li>'], holes: [] }, { parts: [s.before, s.after], holes: [V] }, null]] },
        transform: 'id',
        construct: 'html-list-of-slots',
      }),
    ],
    [1, () => ({ html: { parts: [s.before, s.after], holes: [[V, { text: 'x' }]] }, transform: null, construct: 'html-list-value' })],
  ])();
}

/** The sources of one case around `carrier` (the slot read back) and `extras` (other slots writing the same value). */
export function construct(rng: Rng, carrier: Slot, extras: readonly Slot[], engine: 'template' | 'html'): Sources {
  if (engine === 'html') {
    const built = htmlBuilds(rng, carrier);
    let recipe = built.html!;
    for (const x of extras) {
      // Extra slots, before or after, in the same call.
      const own: HtmlRecipe = { parts: [x.before, x.after], holes: [V] };
      recipe = rng.chance(0.5) ? { parts: ['', '', ''], holes: [recipe, own] } : { parts: ['', '', ''], holes: [own, recipe] };
    }
    return { engine, main: htmlSource(recipe), files: {}, html: recipe, transform: built.transform, construct: built.construct, expr: 'v' };
  }
  const e = rng.weighted(EXPRS);
  const b = rng.weighted(BUILDS)(rng, carrier, e);
  let main = b.main;
  for (const x of extras) {
    const own = x.before + hole(rng, rng.chance(0.7) ? e.code('v') : 'v') + x.after;
    // In a child template only blocks are written: extra slots go into the layout.
    if (main.startsWith('{% extends')) continue;
    main = rng.chance(0.5) ? own + main : main + own;
  }
  return { engine, main, files: b.files, transform: b.transform, construct: b.construct, expr: e.label };
}

/** The code of an html call, for messages and table rows. */
export function htmlSource(r: HtmlRecipe): string {
  let out = 'html`';
  r.parts.forEach((p, i) => {
    out += p.replace(/[`\\]|\$\{/g, (c) => '\\' + c);
    if (i < r.holes.length) out += '${' + holeSource(r.holes[i]!) + '}';
  });
  return out + '`';
}

/** Array.isArray, which does not narrow a readonly array. */
export function isHoleList(h: HtmlHole): h is readonly HtmlHole[] {
  return Array.isArray(h);
}

function holeSource(h: HtmlHole): string {
  if (h === 'v') return 'v';
  if (h === null) return 'null';
  if (isHoleList(h)) return '[' + h.map(holeSource).join(', ') + ']';
  if ('text' in h) return JSON.stringify(h.text);
  return htmlSource(h);
}
