// Reuse of escaped text between two holes that write the same expression (output-pass.ts):
// the output must be exactly what escaping each hole on its own gives, whatever the value.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileTemplate, renderString } from '../../src/templates/index.js';
import { ESCAPERS } from '../../src/templates/hole-escapers.js';
import { Markup } from '../../src/escape/markup.js';

const r = (src: string, ctx: Record<string, unknown> = {}): string => renderString(src, ctx, { strict: true });

/** An object whose `v` reads as the next of `values` each time. */
function changing(...values: unknown[]): { readonly v: unknown } {
  let i = 0;
  return {
    get v() {
      return values[i++];
    },
  };
}

const CASES: [string, string, Record<string, unknown>, string][] = [
  [
    'attribute then text, a string with specials',
    '<a title="{{ t }}">{{ t }}</a>',
    { t: 'a "b" & <c>' },
    '<a title="a &#34;b&#34; &amp; &lt;c&gt;">a &#34;b&#34; &amp; &lt;c&gt;</a>',
  ],
  [
    'Markup: the attribute gets its text, the text its tags',
    '<a title="{{ m }}">{{ m }}</a>',
    { m: Markup.unsafeTrust('<b>x</b> &amp; "y"') },
    '<a title="x &amp; &#34;y&#34;"><b>x</b> &amp; "y"</a>',
  ],
  [
    'Markup first, then a string of the same text',
    '<a title="{{ o.v }}">{{ o.v }}</a>',
    { o: changing(Markup.unsafeTrust('<i>'), '<i>') },
    '<a title="">&lt;i&gt;</a>',
  ],
  [
    'a getter that changes between the reads',
    '<p title="{{ o.v }}">{{ o.v }}|{{ o.v }}</p>',
    { o: changing('a<', 'b>', 'b>') },
    '<p title="a&lt;">b&gt;|b&gt;</p>',
  ],
  ['numbers', '<p data-n="{{ n }}">{{ n }}</p>', { n: 1.5 }, '<p data-n="1.5">1.5</p>'],
  ['none and undefined', '<p title="{{ x }}">{{ x }}</p>{{ o.u }}<b title="{{ o.u }}">', { x: null, o: {} }, '<p title="None">None</p><b title="">'],
  [
    'different escapers for strings are not shared',
    '<a href="{{ u }}" title="{{ u }}">{{ u }}</a>',
    { u: 'javascript:alert(1)' },
    '<a href="about:invalid#palisade-unsafe" title="javascript:alert(1)">javascript:alert(1)</a>',
  ],
  ['a URL part and text', '<a href="/n/{{ s }}">{{ s }}</a>', { s: 'a b&c' }, '<a href="/n/a%20b%26c">a b&amp;c</a>'],
  [
    'in a loop, each row its own value',
    '{% for x in xs %}<p title="{{ x }}">{{ x }}</p>{% endfor %}',
    { xs: ['<', '<', '>', 1, '&'] },
    '<p title="&lt;">&lt;</p><p title="&lt;">&lt;</p><p title="&gt;">&gt;</p><p title="1">1</p><p title="&amp;">&amp;</p>',
  ],
  [
    'the first hole in a branch not taken',
    '{% for x in xs %}{% if loop.first %}<b title="{{ x }}">{% endif %}{{ x }};{% endfor %}',
    { xs: ['a<', 'b>'] },
    '<b title="a&lt;">a&lt;;b&gt;;',
  ],
  [
    'calls run each time',
    '<p title="{{ f() }}">{{ f() }}</p>',
    {
      f: (() => {
        let n = 0;
        return () => `<${n++}>`;
      })(),
    },
    '<p title="&lt;0&gt;">&lt;1&gt;</p>',
  ],
  [
    'a macro writes its own holes',
    '{% macro m(v) %}<i title="{{ v }}">{{ v }}</i>{% endmacro %}<p title="{{ v }}">{{ m(v) }}{{ m("&") }}{{ v }}</p>',
    { v: '"' },
    '<p title="&#34;"><i title="&#34;">&#34;</i><i title="&amp;">&amp;</i>&#34;</p>',
  ],
  [
    'a recursive loop',
    '{% for n in xs recursive %}<i title="{{ n.v }}">{{ n.v }}{{ loop(n.kids) }}</i>{% endfor %}',
    { xs: [{ v: '<a>', kids: [{ v: '&', kids: [] }] }] },
    '<i title="&lt;a&gt;">&lt;a&gt;<i title="&amp;">&amp;</i></i>',
  ],
];

for (const [name, src, ctx, out] of CASES) {
  test(`reuse: ${name}`, () => {
    assert.equal(r(src, ctx), out);
  });
}

test('reuse: the second hole does not escape the same string again', () => {
  const text = ESCAPERS.text;
  let calls = 0;
  (ESCAPERS as Record<string, (v: unknown) => string>).text = (v) => {
    calls++;
    return text(v);
  };
  try {
    const t = compileTemplate('<a title="{{ t }}">{{ t }}</a>{{ other }}');
    assert.equal(t.render({ t: 'x<y', other: 'z' }).toString(), '<a title="x&lt;y">x&lt;y</a>z');
    assert.equal(calls, 1, 'only {{ other }} went through the text escaper');
    calls = 0;
    assert.equal(t.render({ t: Markup.unsafeTrust('<b>'), other: 'z' }).toString(), '<a title=""><b></a>z');
    assert.equal(calls, 2, 'Markup is escaped for each context');
  } finally {
    (ESCAPERS as Record<string, (v: unknown) => string>).text = text;
  }
});
