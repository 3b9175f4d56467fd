// The escaper's choices, as a table of template, data and exact output (in the manner of
// Go's escape_test.go), plus the request-scope inserts: CSP nonces and the CSRF field.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderString } from '../../src/templates/index.js';
import { type CompileOptions, compileTemplate } from '../../src/templates/compile.js';
import { Markup, SafeScript, SafeStyle, SafeURL } from '../../src/escape/markup.js';
import { runInScope, type RequestScope } from '../../src/http/context.js';

const r = (src: string, ctx: Record<string, unknown> = {}): string => renderString(src, ctx, { strict: true });
const inScope = <T>(scope: Partial<RequestScope>, fn: () => T): T => runInScope({ request: null, ...scope }, fn);

const CASES: [string, string, Record<string, unknown>, string][] = [
  ['unquoted attribute gets quotes', '<input value={{ v }} name=q>', { v: 'a b' }, '<input value="a b" name=q>'],
  ['unquoted empty value stays one attribute', '<input value={{ v }} name=q>', { v: '' }, '<input value="" name=q>'],
  ['unquoted value ending the tag', '<input value={{ v }}>', { v: 'x' }, '<input value="x">'],
  ['unquoted value with text after the value', '<input value={{ v }}-x name=q>', { v: 'a' }, '<input value="a-x" name=q>'],
  ['entity-encoded quotes in an event handler', '<b onclick="f(&quot;{{ v }}&quot;)">', { v: '");g("' }, '<b onclick="f(&quot;\\u0022);g(\\u0022&quot;)">'],
  ['event handler expression', '<b onclick="f({{ v }})">', { v: { a: 1 } }, '<b onclick="f({&#34;a&#34;:1})">'],
  ['regexp after return', '<script>function f() { return /{{ v }}/; }</script>', { v: 'a.b' }, '<script>function f() { return /a\\.b/; }</script>'],
  ['division after a name is a value', '<script>var x = a / {{ v }};</script>', { v: 2 }, '<script>var x = a / 2;</script>'],
  ['negative number after minus', '<script>var x = 1-{{ v }};</script>', { v: -1 }, '<script>var x = 1- -1;</script>'],
  [
    'string in template literal substitution in template literal',
    '<script>var x = `a${ `{{ v }}` }b`;</script>',
    { v: '${x}' },
    '<script>var x = `a${ `\\u0024{x}` }b`;</script>',
  ],
  ['value after a template literal closes', '<script>var x = `${1}` + {{ v }};</script>', { v: 'y' }, '<script>var x = `${1}` + "y";</script>'],
  ['JS line comment drops the value', '<script>// {{ v }}\nvar a = 1;</script>', { v: '\nalert(1)' }, '<script>// \nvar a = 1;</script>'],
  ['JS block comment drops the value', '<script>/* {{ v }} */</script>', { v: '*/alert(1)/*' }, '<script>/*  */</script>'],
  ['HTML comment drops the value', '<!-- {{ v }} -->', { v: '--><script>' }, '<!--  -->'],
  ['CSS comment drops the value', '<style>/* {{ v }} */</style>', { v: '*/x{}' }, '<style>/*  */</style>'],
  [
    'JSON script block',
    '<script type="application/ld+json">{"name": "{{ v }}", "n": {{ n }}}</script>',
    { v: '"</script>', n: 2 },
    '<script type="application/ld+json">{"name": "\\u0022\\u003c\\/script\\u003e", "n": 2}</script>',
  ],
  [
    'text/json is a JSON MIME type (MIME Sniffing §4.6), not a data block',
    '<script type="text/json">{"a": "x{{ v }}y"}</script>',
    { v: 'it\'s "q" <b>' },
    '<script type="text/json">{"a": "xit\\u0027s \\u0022q\\u0022 \\u003cb\\u003ey"}</script>',
  ],
  [
    'data block script is text',
    '<script type="text/template"><p>{{ v }}</p></script>',
    { v: '</script><x>' },
    '<script type="text/template"><p>&lt;/script&gt;&lt;x&gt;</p></script>',
  ],
  ['CSS unquoted url()', '<style>p { background: url({{ u }}) }</style>', { u: '/a b(1).png' }, '<style>p { background: url(/a%20b%281%29.png) }</style>'],
  ['CSS url() part after the start', '<p style="background: url(/img/{{ u }})">', { u: 'a b' }, '<p style="background: url(/img/a%20b)">'],
  [
    'CSS value keeps a color, refuses the rest',
    '<p style="color: {{ a }}; background: {{ b }}">',
    { a: '#fff', b: 'url(x)' },
    '<p style="color: #fff; background: palisadeUnsafe">',
  ],
  [
    'srcset list',
    '<img srcset="{{ s }}">',
    { s: '/a.png 1x, javascript:x 2x, /c.png bogus' },
    '<img srcset="/a.png 1x, about:invalid#palisade-unsafe 2x, /c.png">',
  ],
  [
    'srcset candidate parts',
    '<img srcset="/img/{{ a }} 1x, {{ b }} {{ d }}">',
    { a: 'x y.png', b: '/b.png', d: '2x' },
    '<img srcset="/img/x%20y.png 1x, /b.png 2x">',
  ],
  [
    'URL after a static scheme is a part',
    '<a href="https://example.com/{{ p }}?q={{ q }}">',
    { p: 'a/b', q: 'c&d' },
    '<a href="https://example.com/a%2Fb?q=c%26d">',
  ],
  ['URL part after a whole-URL value', '<a href="{{ base }}/x?q={{ q }}">', { base: 'https://e.com', q: 'a b' }, '<a href="https://e.com/x?q=a%20b">'],
  ['leading whitespace keeps the URL at its start', '<a href=" {{ u }}">', { u: 'javascript:x' }, '<a href=" about:invalid#palisade-unsafe">'],
  [
    'data- URL attribute',
    '<div data-src="{{ u }}" data-name="{{ u }}">',
    { u: 'javascript:x' },
    '<div data-src="about:invalid#palisade-unsafe" data-name="javascript:x">',
  ],
  ['xlink:href', '<svg><a xlink:href="{{ u }}"></a></svg>', { u: 'javascript:x' }, '<svg><a xlink:href="about:invalid#palisade-unsafe"></a></svg>'],
  ['formaction', '<button formaction="{{ u }}">', { u: 'JAVASCRIPT:x' }, '<button formaction="about:invalid#palisade-unsafe">'],
  [
    'srcdoc holds an escaped document',
    '<iframe srcdoc="{{ v }}"></iframe>',
    { v: '<b>"x"</b>' },
    '<iframe srcdoc="&amp;lt;b&amp;gt;&amp;#34;x&amp;#34;&amp;lt;/b&amp;gt;"></iframe>',
  ],
  [
    'srcdoc takes Markup as the inner document',
    '<iframe srcdoc="{{ v }}"></iframe>',
    { v: Markup.unsafeTrust('<b class="c">x</b>') },
    '<iframe srcdoc="&lt;b class=&#34;c&#34;&gt;x&lt;/b&gt;"></iframe>',
  ],
  ['textarea keeps a leading newline', '<textarea>{{ v }}</textarea>', { v: '\nx' }, '<textarea>\n&#10;x</textarea>'],
  ['pre keeps a leading newline', '<pre>{{ v }}</pre>', { v: '\nx' }, '<pre>\n\nx</pre>'],
  ['pre with static text first', '<pre>a{{ v }}</pre>', { v: '\nx' }, '<pre>a\nx</pre>'],
  ['textarea in a loop', '<textarea>{% for l in ls %}{{ l }}\n{% endfor %}</textarea>', { ls: ['a', 'b'] }, '<textarea>a\nb\n</textarea>'],
  ['title is RCDATA', '<title>{{ v }}</title>', { v: '</title><b>' }, '<title>&lt;/title&gt;&lt;b&gt;</title>'],
  ['Markup in title is its text', '<title>{{ v }}</title>', { v: Markup.unsafeTrust('<b>A &amp; B</b>') }, '<title>A &amp; B</title>'],
  ['Markup in an attribute is its text', '<p title="{{ v }}">', { v: Markup.unsafeTrust('<i>x</i> &lt;') }, '<p title="x &lt;">'],
  ['Markup in a JS string is a string', '<script>var s = "{{ v }}";</script>', { v: Markup.unsafeTrust('<b>') }, '<script>var s = "\\u003cb\\u003e";</script>'],
  ['Markup in a URL is a string', '<a href="{{ v }}">', { v: Markup.unsafeTrust('javascript:x') }, '<a href="about:invalid#palisade-unsafe">'],
  ['SafeURL is trusted in a URL', '<a href="{{ v }}">', { v: SafeURL.unsafeTrust('javascript:void(0)') }, '<a href="javascript:void(0)">'],
  ['SafeURL in text is text', '<p>{{ v }}</p>', { v: SafeURL.unsafeTrust('<x>') }, '<p>&lt;x&gt;</p>'],
  ['SafeScript is trusted in a JS expression', '<script>{{ v }}</script>', { v: SafeScript.unsafeTrust('f(1)') }, '<script>f(1)</script>'],
  ['SafeScript in a JS string is a string', '<script>var s = "{{ v }}";</script>', { v: SafeScript.unsafeTrust('"') }, '<script>var s = "\\u0022";</script>'],
  ['SafeStyle is trusted in CSS', '<p style="{{ v }}">', { v: SafeStyle.unsafeTrust('color: red; margin: 0') }, '<p style="color: red; margin: 0">'],
  ['SafeStyle in text is text', '<p>{{ v }}</p>', { v: SafeStyle.unsafeTrust('<') }, '<p>&lt;</p>'],
  ['if branches joined in a URL', '<a href="/x?{% if a %}a={{ a }}{% else %}b=1{% endif %}&c={{ c }}">', { a: '1 2', c: '&' }, '<a href="/x?a=1%202&c=%26">'],
  ['attribute chosen by a branch', '<p {% if a %}title{% else %}id{% endif %}="{{ v }}">', { a: true, v: '"' }, '<p title="&#34;">'],
  ['an attribute written by an if', '<input {% if a %}checked{% endif %} name="{{ n }}">', { a: true, n: '"' }, '<input checked name="&#34;">'],
  ['an attribute written by an if, not taken', '<input {% if a %}checked{% endif %}>', { a: false }, '<input >'],
  ['an attribute name from |attrname, then its value', '<p {{ n|attrname }}="{{ v }}">', { n: 'data-x', v: '"<' }, '<p data-x="&#34;&lt;">'],
  [
    'literal values are escaped at compile time',
    '<a href="{{ \'javascript:x\' }}" title="{{ \'<\' }}">',
    {},
    '<a href="about:invalid#palisade-unsafe" title="&lt;">',
  ],
  ['bogus comment and doctype', '<!DOCTYPE html><?x {{ v }} ?><p>{{ v }}</p>', { v: '<' }, '<!DOCTYPE html><?x  ?><p>&lt;</p>'],
  ['script end tag is case-insensitive', '<SCRIPT>var a = "{{ v }}";</SCRIPT ><p>{{ v }}</p>', { v: '<' }, '<SCRIPT>var a = "\\u003c";</SCRIPT ><p>&lt;</p>'],
  ['less-than in text is text', '<p>1 < 2 and {{ v }}</p>', { v: '<' }, '<p>1 < 2 and &lt;</p>'],
];

for (const [name, src, ctx, out] of CASES) test(name, () => assert.equal(r(src, ctx), out));

test('CSP nonce on every <script> and <style> start tag, when the request has one', () => {
  const src = '<script>a()</script><style>p{}</style><script src="/x.js" nonce="own"></script><SCRIPT\ntype="module">b()</SCRIPT>';
  assert.equal(
    inScope({ nonce: 'n0nce"' }, () => r(src)),
    '<script nonce="n0nce&#34;">a()</script><style nonce="n0nce&#34;">p{}</style><script src="/x.js" nonce="own"></script><SCRIPT\ntype="module" nonce="n0nce&#34;">b()</SCRIPT>',
  );
  assert.equal(r(src), src, 'no scope: no nonce');
  assert.equal(
    inScope({}, () => r(src)),
    src,
    'a scope without a nonce: no nonce',
  );
  assert.equal(
    inScope({ nonce: 'k' }, () => r('<script src={{ u }}></script>', { u: '/a.js' })),
    '<script src="/a.js" nonce="k"></script>',
  );
});

test('CSRF field after same-origin POST forms', () => {
  const field = '<input type="hidden" name="csrf_token" value="tok&amp;en">';
  const scope = { csrfToken: () => 'tok&en' };
  const cases: [string, boolean][] = [
    ['<form method="post">', true],
    ['<FORM METHOD=POST>', true],
    ['<form method="post" action="">', true],
    ['<form method="post" action="/notes/1">', true],
    ['<form method="post" action="save">', true],
    ['<form action="/x" method=\'Post\'>', true],
    ['<form method="post" action>', true],
    ['<form method="get">', false],
    ['<form>', false],
    ['<form method="post" action="https://evil.example/">', false],
    ['<form method="post" action="//evil.example/">', false],
    ['<form method="post" action="/\\evil.example/">', false],
    ['<form method="post" action="javascript:x">', false],
    ['<form method="post" action="{{ u }}">', false],
    // A value after a static start that already fixes the origin keeps the field.
    ['<form method="post" action="/notes/{{ u }}/delete">', true],
    ['<form method="post" action="edit/{{ u }}">', true],
    ['<form method="post" action="?id={{ u }}">', true],
    ['<form method="post" action="/{{ u }}">', false],
    ['<form method="post" action="https://evil.example/{{ u }}">', false],
    ['<form method="post" action="//evil.example/{{ u }}">', false],
    ['<form method="post" action="javascript:{{ u }}">', false],
    ['<form method="{{ m }}">', false],
  ];
  for (const [tag, expectField] of cases) {
    const out = inScope(scope, () => r(`${tag}<input name=a></form>`, { u: '/x', m: 'post' }));
    assert.equal(out.includes(field), expectField, `${tag} → ${out}`);
    if (expectField) assert.ok(out.includes(`>${field}<input name=a>`), 'right after the start tag');
  }
  assert.equal(r('<form method="post"></form>'), '<form method="post"></form>', 'no scope: no field');
  assert.equal(
    inScope({}, () => r('<form method="post"></form>')),
    '<form method="post"></form>',
    'no token: no field',
  );
});

test('a url_for() call as the whole action of a POST form keeps the CSRF field; other values do not', () => {
  const field = '<input type="hidden" name="csrf_token" value="tok">';
  const scope = { csrfToken: () => 'tok', urlFor: (name: string) => `/${name}` };
  const cases: [string, boolean][] = [
    [`<form method="post" action="{{ url_for('logout') }}">`, true],
    [`<form method=post action={{ url_for('logout') }}>`, true],
    [`<form method="post" action='{{ url_for("logout", next=n) }}' class="x">`, true],
    [`<form action="{{ url_for('logout') }}" method="post">`, true],
    [`<form method="post" action="{{ url_for('logout') }} ">`, true],
    [`<iframe srcdoc="<form method=post action='{{ url_for('logout') }}'>x</form>"></iframe><form method="post">`, true],
    // Anything but one url_for() call that is the whole action keeps today's rule.
    [`<form method="post" action="{{ u }}">`, false],
    [`<form method="post" action={{ u }}>`, false],
    [`<form method="post" action="{{ url_for('logout') ~ u }}">`, false],
    [`<form method="post" action="{{ url_for('logout') }}{{ u }}">`, false],
    [`<form method="post" action="{{ url_for('logout') }}/more">`, false],
    [`<form method="post" action="{{ u }}{{ url_for('logout') }}">`, false],
    [`<form method="post" action="//evil.example{{ url_for('logout') }}">`, false],
    [`<form method="post" action="https://evil.example/" action="{{ url_for('logout') }}">`, false],
    [`<form method="post" action="{% if u %}{% endif %}{{ url_for('logout') }}">`, true],
    [`<form method="post" action="{% if u %}/a{% else %}/b{% endif %}{{ url_for('logout') }}">`, false],
    [`<form method="post" {% if u %}action="{{ u }}"{% else %}action="{{ url_for('logout') }}"{% endif %}>`, false],
    [`<form method="post" action="{{ url_for('logout') }}" formaction="{{ u }}">`, true],
    [`<form method="get" action="{{ url_for('logout') }}">`, false],
  ];
  for (const [tag, expectField] of cases) {
    const out = inScope(scope, () => r(`${tag}<input name=a></form>`, { u: '//evil.example/', n: '/x' }));
    assert.equal(out.split(field).length - 1, expectField ? 1 : 0, `${tag} → ${out}`);
  }
  assert.equal(
    inScope(scope, () => r(`<form method="post" action="{{ url_for('logout') }}"></form>`)),
    `<form method="post" action="/logout">${field}</form>`,
  );
});

test('a url_for() that leaves the site writes the URL sentinel, so the CSRF field is not sent there', () => {
  // A template can be handed another function named url_for, or a route that builds `//host`:
  // the field stays, and the form posts nowhere. The control (escaping off) sends it off-site.
  const src = `<form method="post" action="{{ url_for('x') }}"></form>`;
  const field = '<input type="hidden" name="csrf_token" value="tok">';
  for (const off of ['//evil.example/steal', '/\\evil.example/', 'https://evil.example/', ' JavaScript:alert(1)']) {
    const scope = { csrfToken: () => 'tok', urlFor: () => off };
    assert.equal(
      inScope(scope, () => r(src)),
      `<form method="post" action="about:invalid#palisade-unsafe">${field}</form>`,
      off,
    );
    assert.equal(
      inScope({ csrfToken: () => 'tok' }, () => r(src, { url_for: () => off })),
      `<form method="post" action="about:invalid#palisade-unsafe">${field}</form>`,
      `${off} from a context value named url_for`,
    );
    const control = inScope(scope, () =>
      compileTemplate(src, { strict: true, unsafeDisableEscaping: true } as CompileOptions)
        .render()
        .toString(),
    );
    assert.equal(control, `<form method="post" action="${off}">${field}</form>`, 'control: without the filter the field would go off-site');
  }
  for (const ok of ['/a', '/a?b=//c', 'edit', '', '?x=1']) {
    assert.equal(
      inScope({ csrfToken: () => 'tok', urlFor: () => ok }, () => r(src)),
      `<form method="post" action="${ok}">${field}</form>`,
    );
  }
});

test('csrf_token(), csrf_field(), url_for() and request globals come from the request scope', () => {
  const scope = {
    csrfToken: () => 't<1>',
    urlFor: (name: string, params?: Record<string, unknown>) => `/${name}/${String(params?.id ?? '')}`,
    globals: { user: 'ann' },
  };
  assert.equal(
    inScope(scope, () => r('{{ csrf_token() }}|{{ csrf_field() }}|<a href="{{ url_for("note", id=3) }}">|{{ user }}')),
    't&lt;1&gt;|<input type="hidden" name="csrf_token" value="t&lt;1&gt;">|<a href="/note/3">|ann',
  );
});
