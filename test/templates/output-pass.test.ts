// The output pass (output-pass.ts) changes how generated code writes values, never what
// it writes: for generated templates and random values, hostile strings among them, the
// page rendered with its optimisations on is the page rendered with them off. Two
// generators: the escaper fuzzer's grammar (e2e/fuzz: every context, carried through ifs,
// loops, macros, call blocks, includes, imports and layouts), and a small one here for what
// that grammar does not write — literals, `'a' if c else 'b'`, `|join`, one value written
// in several places, and values that are not strings (numbers, Markup, typed URLs, lists,
// a getter that changes between reads).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { TemplateError } from '../../src/errors.js';
import { BaseEnv, type Template, compileWith, translate } from '../../src/templates/compile.js';
import { RenderFault } from '../../src/templates/render-errors.js';
import { Markup, SafeURL } from '../../src/escape/markup.js';
import { generateCase } from '../../e2e/fuzz/cases.js';
import { renderData } from '../../e2e/fuzz/render.js';
import { Rng } from '../../e2e/fuzz/rng.js';
import { attackValue, benignText, benignURL } from '../../e2e/fuzz/values.js';
import { anyString, check } from '../fuzz/fuzz-options.js';

/** Templates held in memory (for include, import, extends), compiled with the pass on or off. */
class Files extends BaseEnv {
  readonly #cache = new Map<string, Template>();
  constructor(
    readonly files: Readonly<Record<string, string>>,
    optimizeOutput: boolean,
    strict: boolean,
  ) {
    super({ strict, optimizeOutput });
  }
  override load(name: string): Template {
    let t = this.#cache.get(name);
    if (t !== undefined) return t;
    const src = Object.hasOwn(this.files, name) ? this.files[name] : undefined;
    if (src === undefined) throw new RenderFault('TEMPLATE_NOT_FOUND', `template "${name}" not found`);
    t = compileWith(src, name, this, null);
    this.#cache.set(name, t);
    return t;
  }
}

type Outcome = { page: string } | { error: string };

/** The page, or the error's code and message: either must be the same both ways. */
function outcome(f: () => string): Outcome {
  try {
    return { page: f() };
  } catch (e) {
    if (!(e instanceof TemplateError)) throw e;
    return { error: `${e.code}: ${e.message}` };
  }
}

/** Compiles `main` (with `files`) both ways; null when the template is refused (both ways alike). */
function compileBoth(main: string, files: Readonly<Record<string, string>>, strict: boolean): [Template, Template] | null {
  const both = [true, false].map((optimize) => {
    const env = new Files(files, optimize, strict);
    return outcome(() => {
      for (const name of Object.keys(files)) env.load(name);
      return compileWith(main, 'main.html', env, null) as unknown as string;
    });
  });
  if ('error' in both[0]!) {
    assert.deepEqual(both[1], both[0], `refused one way only: ${main}`);
    return null;
  }
  assert.ok('page' in both[1]!, `refused without the optimisations only: ${main}`);
  return [both[0].page as unknown as Template, both[1].page as unknown as Template];
}

function assertSame(on: Template, off: Template, data: () => Record<string, unknown>, what: string): void {
  const a = outcome(() => on.render(data()).toString());
  const b = outcome(() => off.render(data()).toString());
  assert.deepEqual(a, b, what);
}

// ---- the escaper fuzzer's grammar ----------------------------------------------------------

/** A value for a fuzz case: an attack built for it, benign text or a URL, or any string at all. */
const fuzzValue = (seed: number, hints: readonly string[]): fc.Arbitrary<string> =>
  fc.oneof(fc.constant(attackValue(new Rng(seed), 1, hints)), fc.constant(benignText(new Rng(seed))), fc.constant(benignURL(new Rng(seed))), anyString(40));

test('output pass: templates of the escaper fuzzer render the same with the optimisations on and off', () => {
  check(
    fc.property(
      fc.integer({ min: 1, max: 0xffffffff }).chain((seed) => {
        const c = generateCase(seed, ['template']);
        return fc.tuple(fc.constant(c), fc.array(fuzzValue(seed, c.hints), { minLength: 1, maxLength: 3 }));
      }),
      ([c, values]) => {
        const both = compileBoth(c.main, c.files, true);
        if (both === null) return;
        for (const v of values) assertSame(both[0], both[1], () => renderData(v), `${c.main} with ${JSON.stringify(v)}`);
      },
    ),
  );
});

// ---- a generator for what the pass rewrites ---------------------------------------------

/** Places in a page, each with a hole `@` (written twice in some, for reuse across contexts). */
const PLACES = [
  '<p>@</p>',
  '<p title="@">@</p>',
  "<p title='@'>",
  '<p title=@>',
  '<p class="a @ b">',
  '<title>@</title>',
  '<textarea>@</textarea>',
  '<a href="@">x</a>',
  '<a href="/n/@?q=@">@</a>',
  '<img srcset="@ 2x">',
  '<a href="@" title="@">@</a>',
  '<script>var x = @;</script>',
  '<script>var s = "@", t = \'@\';</script>',
  '<script>var t = `a@b`;</script>',
  '<button onclick="f(@)">x</button>',
  '<style>p { color: @ }</style>',
  '<p style="color: @">',
  '<style>p { font-family: "@" }</style>',
  '<style>p { background: url(@) }</style>',
  '<iframe srcdoc="<p title=&quot;@&quot;>@</p>"></iframe>',
  '<!-- @ -->',
  '<xmp>@</xmp>',
  '<svg><text>@</text></svg>',
];

/** Expressions a hole writes: names of every kind of value, literals, choices between literals, filters. */
const EXPRS = [
  's',
  's',
  't',
  'n',
  'm',
  'u',
  'xs',
  'o.v',
  'o.v',
  'none',
  'x',
  'f()',
  "'<b>\"&amp;\\' x'",
  "'javascript:alert(1)'",
  '42',
  '-1.5',
  'none',
  'true',
  "''",
  "'<i>' if s else 'a&b'",
  "'x' if n else none",
  "'' if t else '\"'",
  'xs|join(", ")',
  'xs|join(s)',
  's|upper',
  's ~ t',
  'm ~ s',
];

const Z = fc.constantFrom(...EXPRS);

/** One place, its holes filled (a second hole repeats the first expression half the time). */
const place = fc.tuple(fc.constantFrom(...PLACES), Z, Z, fc.boolean()).map(([p, a, b, same]) => {
  let k = 0;
  return p.replace(/@/g, () => `{{ ${k++ === 0 || same ? a : b} }}`);
});

const body = fc.array(place, { minLength: 1, maxLength: 5 }).map((xs) => xs.join(''));

/** The body inside a construct; the files it needs. */
const page = fc
  .tuple(body, body, fc.constantFrom('plain', 'if', 'for', 'macro', 'call', 'include', 'extends', 'set'))
  .map(([a, b, kind]): [string, Record<string, string>] => {
    switch (kind) {
      case 'if':
        return [`${a}{% if s %}${b}{% else %}${a}{% endif %}`, {}];
      case 'for':
        return [`{% for x in xs %}${a}{% if not loop.last %}${b}{% endif %}{% endfor %}`, {}];
      case 'macro':
        return [`{% macro g(s, t='<') %}${a}{% endmacro %}${b}{{ g(s) }}{{ g(t, s) }}<p title="{{ g(s) }}">`, {}];
      case 'call':
        return [`{% macro g() %}<div>{{ caller() }}</div>${b}{% endmacro %}{% call g() %}${a}{% endcall %}`, {}];
      case 'include':
        return [`${a}{% include "inc.html" %}`, { 'inc.html': b }];
      case 'extends':
        return [
          '{% extends "layout.html" %}{% block b %}' + a + '{{ super() }}{% endblock %}',
          { 'layout.html': `<main>{% block b %}${b}{% endblock %}</main>` },
        ];
      case 'set':
        return [`{% set w %}${a}{% endset %}${b}<p title="{{ w }}">{{ w }}</p>`, {}];
      default:
        return [a + b, {}];
    }
  });

/** A getter that returns the next of `values` at each read, as reuse must not assume an expression is pure. */
function changing(values: readonly unknown[]): { readonly v: unknown } {
  let i = 0;
  return {
    get v() {
      return values[i++ % values.length];
    },
  };
}

const scalar = fc.oneof(anyString(24), fc.constantFrom('<', '&amp;', '"', "'", 'javascript:alert(1)', ' ', '', '</script>', '-->', '\\', '${x}'));
const value = fc.oneof(
  scalar,
  fc.double(),
  fc.integer(),
  fc.constantFrom(null, undefined, true, false),
  scalar.map((s) => Markup.unsafeTrust(s)),
  scalar.map((s) => SafeURL.unsafeTrust(s)),
  fc.array(
    fc.oneof(
      scalar,
      fc.integer(),
      scalar.map((s) => Markup.unsafeTrust(s)),
    ),
    { maxLength: 3 },
  ),
);

test('output pass: literals, choices, filters and repeated values render the same with the optimisations on and off', () => {
  check(
    fc.property(
      page,
      fc.record({ s: value, t: value, n: value, m: value, u: value, xs: value, x: value }),
      fc.array(value, { minLength: 1, maxLength: 3 }),
      fc.boolean(),
      ([main, files], vals, reads, strict) => {
        const both = compileBoth(main, files, strict);
        if (both === null) return;
        let calls = 0;
        const data = (): Record<string, unknown> => {
          calls = 0;
          return { ...vals, o: changing(reads), f: () => `<${calls++}>` };
        };
        assertSame(
          both[0],
          both[1],
          data,
          `${main} ${JSON.stringify(files)} with ${String(Object.entries(vals).map(([k, v]) => `${k}=${JSON.stringify(v)}`))}`,
        );
      },
    ),
  );
});

test('output pass: on by default, and each optimisation shows in the generated code only when on', () => {
  // The properties above compare two different programs: they would prove nothing if the option were ignored.
  const src = '<a title="{{ s }}">{{ s }}</a>{{ "<" }}{{ xs|join(",") }}<a href="{{ u }}">';
  const [on, off] = [true, false].map((optimizeOutput) => translate(src, 'x.html', new Files({}, optimizeOutput, false), null).code);
  assert.equal(new BaseEnv({}).optimizeOutput, true);
  const shows = [/<\/a>&lt;/, /\$fh_join\(\$e_text, /, /\$e_urlAttr\(/, /=== \$h\d+ && typeof \$r === 'string'/];
  for (const re of shows) {
    assert.match(on!, re);
    assert.doesNotMatch(off!, re);
  }
  assert.match(off!, /\$e_attr\(\$e_url\(/);
});
