// Every built-in filter, with Jinja's behaviour and the exact output.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderString } from '../../src/templates/index.js';
import { FILTERS } from '../../src/templates/filters.js';

const r = (src: string, ctx: Record<string, unknown> = {}): string => renderString(src, ctx, { strict: true });

const CASES: [string, string, Record<string, unknown>, string][] = [
  ['default', '{{ x|default("d") }}|{{ none|default("d") }}|{{ 0|default("d", true) }}|{{ x|default(default_value="k") }}', {}, 'd|None|d|k'],
  ['length', '{{ "abc"|length }} {{ [1, 2]|length }} {{ {"a": 1}|length }} {{ xs|count }}', { xs: new Set([1]) }, '3 2 1 1'],
  ['upper lower', '{{ "aB"|upper }} {{ "aB"|lower }}', {}, 'AB ab'],
  ['title capitalize', '{{ "hello big-world"|title }} {{ "hELLO"|capitalize }}', {}, 'Hello Big-World Hello'],
  ['trim', '[{{ "  a  "|trim }}] [{{ "xxaxx"|trim("x") }}]', {}, '[a] [a]'],
  ['trim with characters a regex class would read', '[{{ "^-]a]-^"|trim("]^-") }}] [{{ "aba"|trim("") }}]', {}, '[a] [aba]'],
  ['join', '{{ [1, 2, 3]|join(", ") }} {{ users|join("/", attribute="n") }}', { users: [{ n: 'a' }, { n: 'b' }] }, '1, 2, 3 a/b'],
  [
    'join writes items as Jinja prints them (undefined as empty)',
    '{{ [1, none, u, "a<", x, true, [2, "b"]]|join("-") }}',
    { x: {}, u: [undefined][0] },
    '1-None--a&lt;-{}-True-[2, &#39;b&#39;]',
  ],
  [
    'join in text and attributes, separators changing between calls',
    '{% for d in [", ", "; ", "<>", ", "] %}{{ xs|join(d) }}|<p title="{{ xs|join(d) }}">{% endfor %}',
    { xs: ['a&', 1, null, '"b"'] },
    'a&amp;, 1, None, &#34;b&#34;|<p title="a&amp;, 1, None, &#34;b&#34;">a&amp;; 1; None; &#34;b&#34;|<p title="a&amp;; 1; None; &#34;b&#34;">a&amp;&lt;&gt;1&lt;&gt;None&lt;&gt;&#34;b&#34;|<p title="a&amp;&lt;&gt;1&lt;&gt;None&lt;&gt;&#34;b&#34;">a&amp;, 1, None, &#34;b&#34;|<p title="a&amp;, 1, None, &#34;b&#34;">',
  ],
  ['join escapes items when one is Markup', '{{ [m, "<"]|join }}', {}, ''],
  ['replace', '{{ "aaa"|replace("a", "b") }} {{ "aaa"|replace("a", "b", 2) }}', {}, 'bbb bba'],
  [
    'truncate',
    '{{ "foo bar baz qux"|truncate(9) }}|{{ "foo bar baz qux"|truncate(9, true) }}|{{ "short"|truncate(9) }}|{{ "foo bar baz qux"|truncate(11, end="…", leeway=0) }}',
    {},
    'foo...|foo ba...|short|foo bar…',
  ],
  ['first last', '{{ [1, 2, 3]|first }}{{ [1, 2, 3]|last }}{{ "ab"|first }}{{ "ab"|last }}', {}, '13ab'],
  [
    'sort',
    '{{ [3, 1, 2]|sort|join }} {{ ["b", "A", "c"]|sort|join }} {{ [3, 1, 2]|sort(reverse=true)|join }} {{ us|sort(attribute="a")|map(attribute="a")|join }}',
    { us: [{ a: 2 }, { a: 1 }] },
    '123 Abc 321 12',
  ],
  [
    'sort by several attributes',
    '{{ us|sort(attribute="a,b")|map(attribute="n")|join }} {{ us|sort(attribute="b, a", reverse=true)|map(attribute="n")|join }}',
    {
      us: [
        { n: 'x', a: 2, b: 1 },
        { n: 'y', a: 1, b: 2 },
        { n: 'z', a: 1, b: 1 },
      ],
    },
    'zyx yxz',
  ],
  ['reverse', '{{ [1, 2]|reverse|join }} {{ "abc"|reverse }}', {}, '21 cba'],
  ['round', '{{ 2.5|round }} {{ 3.14159|round(2) }} {{ 2.1|round(0, "ceil") }} {{ 2.9|round(method="floor") }} {{ -2.5|round }}', {}, '3 3.14 3 2 -3'],
  [
    'int float',
    '{{ "42"|int }} {{ "x"|int }} {{ "x"|int(7) }} {{ 3.9|int }} {{ "0x1f"|int(base=16) }} {{ "2.5"|float }} {{ "y"|float }}',
    {},
    '42 0 7 3 31 2.5 0',
  ],
  ['urlencode', '{{ "a b/c&d"|urlencode }} {{ {"q": "x y", "n": 1}|urlencode }}', {}, 'a%20b/c%26d q=x+y&amp;n=1'],
  ['urlencode in a URL is not encoded twice', '<a href="/s?{{ {"q": "x y&z"}|urlencode }}">', {}, '<a href="/s?q=x+y%26z">'],
  ['striptags', '{{ "<p>a &amp; <b>b</b></p>\n  c"|striptags }}', {}, 'a &amp; b c'],
  ['wordcount', '{{ "one two, three"|wordcount }}', {}, '3'],
  ['tojson in text is escaped text', '{{ {"a": "</x>"}|tojson }}', {}, '{&#34;a&#34;:&#34;\\u003c\\/x\\u003e&#34;}'],
  ['tojson in script is a value', '<script>var d = {{ {"a": [1, "\'"]}|tojson }};</script>', {}, '<script>var d = {"a":[1,"\\u0027"]};</script>'],
  ['tojson indent', '{{ [1]|tojson(indent=2)|safe }}', {}, '[\n  1\n]'],
  ['safe', '{{ "<b>"|safe }}', {}, '<b>'],
  ['escape / e', '{{ "<b>"|e }} {{ "<b>"|escape|safe }}', {}, '&lt;b&gt; &lt;b&gt;'],
  ['abs list string', '{{ -3|abs }} {{ "ab"|list|join("-") }} {{ 5|string ~ "!" }}', {}, '3 a-b 5!'],
  [
    'map select reject',
    '{{ ["a", "b"]|map("upper")|join }} {{ [1, 2, 3, 4]|select("even")|join }} {{ [1, 2, 3]|reject("odd")|join }} {{ [0, 1, ""]|select|list|length }}',
    {},
    'AB 24 2 1',
  ],
  [
    'selectattr rejectattr',
    '{{ us|selectattr("on")|map(attribute="n")|join }} {{ us|rejectattr("on")|map(attribute="n")|join }} {{ us|selectattr("n", "eq", "b")|map(attribute="n")|join }}',
    {
      us: [
        { n: 'a', on: true },
        { n: 'b', on: false },
      ],
    },
    'a b b',
  ],
  [
    'sum min max unique',
    '{{ [1, 2, 3]|sum }} {{ [3, 1, 2]|min }} {{ [3, 1, 2]|max }} {{ ["a", "A", "b"]|unique|join }} {{ us|sum(attribute="v") }}',
    { us: [{ v: 2 }, { v: 3 }] },
    '6 1 3 ab 5',
  ],
  ['items batch', '{% for k, v in {"a": 1}|items %}{{ k }}{{ v }}{% endfor %} {{ [1, 2, 3]|batch(2)|map("join")|join("|") }}', {}, 'a1 12|3'],
  [
    'attrname',
    '<p {{ "data-x"|attrname }}="1" {{ "onclick"|attrname }}="2" {{ "a b"|attrname }}="3" {{ "href"|attrname }}="4">',
    {},
    '<p data-x="1" data-palisade-unsafe="2" data-palisade-unsafe="3" data-palisade-unsafe="4">',
  ],
  [
    'dictsort',
    '{{ d|dictsort|join(",") }}|{{ d|dictsort(by="value", reverse=true)|map("first")|join }}|{{ d|dictsort }}',
    { d: { b: 1, A: 3, c: 2 } },
    '(&#39;A&#39;, 3),(&#39;b&#39;, 1),(&#39;c&#39;, 2)|Acb|[(&#39;A&#39;, 3), (&#39;b&#39;, 1), (&#39;c&#39;, 2)]',
  ],
  [
    'groupby',
    '{% for g in us|groupby("city") %}{{ g.grouper }}: {{ g.list|map(attribute="n")|join("/") }};{% endfor %}{% for city, items in us|groupby("city", case_sensitive=true) %}{{ city }}{{ items|length }}{% endfor %}',
    {
      us: [
        { n: 'a', city: 'NY' },
        { n: 'b', city: 'LA' },
        { n: 'c', city: 'ny' },
      ],
    },
    'LA: b;NY: a/c;LA1NY1ny1',
  ],
  ['slice', '{{ [1, 2, 3, 4, 5]|slice(2)|list }} {{ [1, 2, 3]|slice(2, "x")|list }}', {}, '[[1, 2, 3], [4, 5]] [[1, 2], [3, &#39;x&#39;]]'],
  [
    'center indent wordwrap',
    '[{{ "ab"|center(6) }}] {{ "a\nb\n\nc"|indent(2) }}|{{ "a\nb"|indent("> ", true) }}|{{ "one two three"|wordwrap(7) }}',
    {},
    '[  ab  ] a\n  b\n\n  c|&gt; a\n&gt; b|one two\nthree',
  ],
  [
    'filesizeformat',
    '{{ 1|filesizeformat }} {{ 999|filesizeformat }} {{ 1500|filesizeformat }} {{ 2048|filesizeformat(true) }} {{ 3000000000|filesizeformat }}',
    {},
    '1 Byte 999 Bytes 1.5 kB 2.0 KiB 3.0 GB',
  ],
  [
    'format',
    '{{ "%s-%d-%.2f-%5s-%-3s|-%x-%%-%r"|format("a", 4.7, 3.14159, "b", "c", 255, "q") }} {{ "%(a)s/%(b)s"|format(a=1, b="<") }}',
    {},
    'a-4-3.14-    b-c  |-ff-%-&#39;q&#39; 1/&lt;',
  ],
  ['pprint', '{{ {"b": [1, none], "a": true}|pprint }} {{ (1,)|pprint }}', {}, '{&#39;b&#39;: [1, None], &#39;a&#39;: True} (1,)'],
  ['forceescape', '{{ m|forceescape }}', {}, ''],
  ['random', '{{ [7, 7]|random }}', {}, '7'],
  [
    'xmlattr',
    '<p{{ {"class": "a b", "title": "\\"<", "onclick": "x()", "href": "javascript:x", "data-n": 1, "hidden": none}|xmlattr }}>',
    {},
    '<p class="a b" title="&#34;&lt;" data-palisade-unsafe="x()" data-palisade-unsafe="javascript:x" data-n="1">',
  ],
  [
    'urlize',
    '{{ "see www.example.org, mail a@b.io or javascript:alert(1) <x>"|urlize }}|{{ "http://e.com/a_long_path"|urlize(10, nofollow=false, target="_blank") }}',
    {},
    'see <a href="https://www.example.org" rel="nofollow noopener">www.example.org</a>, mail <a href="mailto:a@b.io">a@b.io</a> or javascript:alert(1) &lt;x&gt;|<a href="http://e.com/a_long_path" rel="noopener" target="_blank">http://e.c...</a>',
  ],
  ['custom filter', '{{ "x"|shout }}', {}, 'X!'],
];

for (const [name, src, ctx, out] of CASES) {
  test(`filter ${name}`, async () => {
    if (name === 'custom filter') {
      assert.equal(renderString(src, ctx, { strict: true, filters: { shout: (v: string) => `${v.toUpperCase()}!` } }), out);
      return;
    }
    if (name === 'forceescape') {
      const { Markup } = await import('../../src/escape/markup.js');
      assert.equal(r(src, { m: Markup.unsafeTrust('<b>&amp;') }), '&lt;b&gt;&amp;amp;');
      return;
    }
    if (name.startsWith('join escapes')) {
      const { Markup } = await import('../../src/escape/markup.js');
      assert.equal(r(src, { m: Markup.unsafeTrust('<b>') }), '<b>&lt;');
      return;
    }
    assert.equal(r(src, ctx), out);
  });
}

test('every built-in filter has a case above', () => {
  const src = CASES.map((c) => c[1]).join(' ');
  for (const name of Object.keys(FILTERS)) assert.ok(new RegExp(`\\|\\s*${name}\\b`).test(src), `no test for |${name}`);
});
