// Go's html/template escaping tests, ported to Palisade's Jinja syntax: TestEscape,
// TestEscapeSet and TestErrors of golang/go src/html/template/escape_test.go at commit
// 7b4ecaa902f1afad6093f6b6b2ea913505f91b7b (the inputs, outputs and error texts below are
// Go's, quoted as test vectors). Each row gives Go's template and result, the same template
// in Jinja syntax, and Palisade's result: SAME when it is Go's, otherwise Palisade's output
// or error code with the reason it is equally safe. Go's `{{define}}`/`{{template}}` become
// macros; `{{with}}` becomes `{% with %}` or `{% if %}`; `{{.}}` becomes a named value.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TemplateError, renderString } from '../../src/templates/index.js';
import { Markup } from '../../src/escape/markup.js';

const SAME = Symbol('same as Go');
const OK = Symbol('compiles and renders');
type Want = string | { code: string } | typeof SAME;
interface EscapeRow {
  name: string;
  go: string;
  goOut: string;
  jinja: string;
  v?: string;
  want: Want;
  why?: string;
}
interface SetRow {
  name: string;
  go: Record<string, string>;
  goOut: string;
  jinja: string;
  want: Want;
  why?: string;
}
interface ErrorRow {
  go: string;
  goErr: string;
  jinja: string | null;
  want: { code: string } | typeof OK | null;
  why?: string;
}

// TestEscape's data: Go's struct fields as template values.
const DATA: Record<string, unknown> = {
  F: false,
  T: true,
  C: '<Cincinnati>',
  G: '<Goodbye>',
  H: '<Hello>',
  A: ['<a>', '<b>'],
  E: [],
  N: 42,
  // badMarshaler and goodMarshaler: JSON that fails, and JSON with HTML specials.
  B: {
    toJSON() {
      throw new Error('json: error calling MarshalJSON');
    },
  },
  M: {
    toJSON() {
      return { '<foo>': "O'Reilly" };
    },
  },
  // Go's untyped nil is JS undefined (both write nothing); a typed nil pointer is null.
  U: undefined,
  Z: null,
  W: Markup.unsafeTrust(`&iexcl;<b class="foo">Hello</b>, <textarea>O'World</textarea>!`),
  I: '${ asd `` }',
};
// TestEscapeSet's data.
const SET_DATA = { data: { Children: [{ X: 'foo' }, { X: '<bar>' }, { Children: [{ X: 'baz' }] }] } };
// TestErrors renders with no data; these stand in for the fields its templates name.
const ERROR_DATA = { Items: [{ K: 'a', V: 'b', X: 1 }], Cond: true, X: 'x', H: '<Hello>', F: false, x: 'x', list: { Head: 'a', Tail: { Head: 'b' } } };

const ESCAPE: readonly EscapeRow[] = [
  { name: 'if', go: '{{if .T}}Hello{{end}}, {{.C}}!', goOut: 'Hello, &lt;Cincinnati&gt;!', jinja: '{% if T %}Hello{% endif %}, {{ C }}!', want: SAME },
  { name: 'else', go: '{{if .F}}{{.H}}{{else}}{{.G}}{{end}}!', goOut: '&lt;Goodbye&gt;!', jinja: '{% if F %}{{ H }}{% else %}{{ G }}{% endif %}!', want: SAME },
  { name: 'overescaping1', go: 'Hello, {{.C | html}}!', goOut: 'Hello, &lt;Cincinnati&gt;!', jinja: 'Hello, {{ C|e }}!', want: SAME },
  { name: 'overescaping2', go: 'Hello, {{html .C}}!', goOut: 'Hello, &lt;Cincinnati&gt;!', jinja: 'Hello, {{ C|escape }}!', want: SAME },
  {
    name: 'overescaping3',
    go: '{{with .C}}{{$msg := .}}Hello, {{$msg}}!{{end}}',
    goOut: 'Hello, &lt;Cincinnati&gt;!',
    jinja: '{% with msg = C %}Hello, {{ msg }}!{% endwith %}',
    want: SAME,
  },
  { name: 'assignment', go: '{{if $x := .H}}{{$x}}{{end}}', goOut: '&lt;Hello&gt;', jinja: '{% set x = H %}{% if x %}{{ x }}{% endif %}', want: SAME },
  { name: 'withBody', go: '{{with .H}}{{.}}{{end}}', goOut: '&lt;Hello&gt;', jinja: '{% with x = H %}{{ x }}{% endwith %}', want: SAME },
  { name: 'withElse', go: '{{with .E}}{{.}}{{else}}{{.H}}{{end}}', goOut: '&lt;Hello&gt;', jinja: '{% if E %}{{ E }}{% else %}{{ H }}{% endif %}', want: SAME },
  { name: 'rangeBody', go: '{{range .A}}{{.}}{{end}}', goOut: '&lt;a&gt;&lt;b&gt;', jinja: '{% for x in A %}{{ x }}{% endfor %}', want: SAME },
  {
    name: 'rangeElse',
    go: '{{range .E}}{{.}}{{else}}{{.H}}{{end}}',
    goOut: '&lt;Hello&gt;',
    jinja: '{% for x in E %}{{ x }}{% else %}{{ H }}{% endfor %}',
    want: SAME,
  },
  {
    name: 'nonStringValue',
    go: '{{.T}}',
    goOut: 'true',
    jinja: '{{ T }}',
    want: 'True',
    why: "Palisade writes values as Jinja does, as Python's str(): `True`, `None`, `[1, 'a']` (docs/templates.md, printing values).",
  },
  { name: 'untypedNilValue', go: '{{.U}}', goOut: '', jinja: '{{ U }}', want: SAME },
  {
    name: 'typedNilValue',
    go: '{{.Z}}',
    goOut: '&lt;nil&gt;',
    jinja: '{{ Z }}',
    want: 'None',
    why: 'Palisade writes null as Jinja writes None, `None`; Go prints a typed nil pointer as `<nil>`.',
  },
  {
    name: 'constant',
    go: '<a href="/search?q={{"\'a<b\'"}}">',
    goOut: '<a href="/search?q=%27a%3cb%27">',
    jinja: '<a href="/search?q={{ "\'a<b\'" }}">',
    want: '<a href="/search?q=%27a%3Cb%27">',
    why: 'Palisade writes percent-encodings in upper case (RFC 3986 §2.1 recommends it); both decode to the same bytes.',
  },
  {
    name: 'multipleAttrs',
    go: '<a b=1 c={{.H}}>',
    goOut: '<a b=1 c=&lt;Hello&gt;>',
    jinja: '<a b=1 c={{ H }}>',
    want: '<a b=1 c="&lt;Hello&gt;">',
    why: 'Palisade quotes an unquoted attribute value that starts with a value (docs/templates.md), so an empty value or one with spaces stays one attribute.',
  },
  {
    name: 'urlStartRel',
    go: '<a href=\'{{"/foo/bar?a=b&c=d"}}\'>',
    goOut: "<a href='/foo/bar?a=b&amp;c=d'>",
    jinja: '<a href=\'{{ "/foo/bar?a=b&c=d" }}\'>',
    want: SAME,
  },
  {
    name: 'urlStartAbsOk',
    go: '<a href=\'{{"http://example.com/foo/bar?a=b&c=d"}}\'>',
    goOut: "<a href='http://example.com/foo/bar?a=b&amp;c=d'>",
    jinja: '<a href=\'{{ "http://example.com/foo/bar?a=b&c=d" }}\'>',
    want: SAME,
  },
  {
    name: 'protocolRelativeURLStart',
    go: '<a href=\'{{"//example.com:8000/foo/bar?a=b&c=d"}}\'>',
    goOut: "<a href='//example.com:8000/foo/bar?a=b&amp;c=d'>",
    jinja: '<a href=\'{{ "//example.com:8000/foo/bar?a=b&c=d" }}\'>',
    want: SAME,
  },
  {
    name: 'pathRelativeURLStart',
    go: '<a href="{{"/javascript:80/foo/bar"}}">',
    goOut: '<a href="/javascript:80/foo/bar">',
    jinja: '<a href="{{ "/javascript:80/foo/bar" }}">',
    want: SAME,
  },
  {
    name: 'dangerousURLStart',
    go: '<a href=\'{{"javascript:alert(%22pwned%22)"}}\'>',
    goOut: "<a href='#ZgotmplZ'>",
    jinja: '<a href=\'{{ "javascript:alert(%22pwned%22)" }}\'>',
    want: "<a href='about:invalid#palisade-unsafe'>",
    why: "Palisade's sentinel for a refused value is `about:invalid#palisade-unsafe` in URLs, `palisadeUnsafe` in CSS and `data-palisade-unsafe` for an attribute name, where Go writes `ZgotmplZ`; both are inert.",
  },
  {
    name: 'dangerousURLStart2',
    go: '<a href=\'  {{"javascript:alert(%22pwned%22)"}}\'>',
    goOut: "<a href='  #ZgotmplZ'>",
    jinja: '<a href=\'  {{ "javascript:alert(%22pwned%22)" }}\'>',
    want: "<a href='  about:invalid#palisade-unsafe'>",
    why: "Palisade's sentinel for a refused value is `about:invalid#palisade-unsafe` in URLs, `palisadeUnsafe` in CSS and `data-palisade-unsafe` for an attribute name, where Go writes `ZgotmplZ`; both are inert.",
  },
  {
    name: 'nonHierURL',
    go: '<a href={{"mailto:Muhammed \\"The Greatest\\" Ali <m.ali@example.com>"}}>',
    goOut: '<a href=mailto:Muhammed%20%22The%20Greatest%22%20Ali%20%3cm.ali@example.com%3e>',
    jinja: '<a href={{ "mailto:Muhammed \\"The Greatest\\" Ali <m.ali@example.com>" }}>',
    want: '<a href="mailto:Muhammed%20%22The%20Greatest%22%20Ali%20%3Cm.ali@example.com%3E">',
    why: 'Palisade quotes an unquoted attribute value that starts with a value (docs/templates.md), so an empty value or one with spaces stays one attribute. Palisade writes percent-encodings in upper case (RFC 3986 §2.1 recommends it); both decode to the same bytes.',
  },
  {
    name: 'urlPath',
    go: '<a href=\'http://{{"javascript:80"}}/foo\'>',
    goOut: "<a href='http://javascript:80/foo'>",
    jinja: '<a href=\'http://{{ "javascript:80" }}/foo\'>',
    want: "<a href='http://javascript%3A80/foo'>",
    why: 'After the start of a URL Palisade percent-encodes a value as one component (all but RFC 3986 unreserved characters), so the `:` is encoded; the scheme is already `http`.',
  },
  {
    name: 'urlQuery',
    go: "<a href='/search?q={{.H}}'>",
    goOut: "<a href='/search?q=%3cHello%3e'>",
    jinja: "<a href='/search?q={{ H }}'>",
    want: "<a href='/search?q=%3CHello%3E'>",
    why: 'Palisade writes percent-encodings in upper case (RFC 3986 §2.1 recommends it); both decode to the same bytes.',
  },
  {
    name: 'urlFragment',
    go: "<a href='/faq#{{.H}}'>",
    goOut: "<a href='/faq#%3cHello%3e'>",
    jinja: "<a href='/faq#{{ H }}'>",
    want: "<a href='/faq#%3CHello%3E'>",
    why: 'Palisade writes percent-encodings in upper case (RFC 3986 §2.1 recommends it); both decode to the same bytes.',
  },
  {
    name: 'urlBranch',
    go: '<a href="{{if .F}}/foo?a=b{{else}}/bar{{end}}">',
    goOut: '<a href="/bar">',
    jinja: '<a href="{% if F %}/foo?a=b{% else %}/bar{% endif %}">',
    want: SAME,
  },
  {
    name: 'urlBranchConflictMoot',
    go: '<a href="{{if .T}}/foo?a={{else}}/bar#{{end}}{{.C}}">',
    goOut: '<a href="/foo?a=%3cCincinnati%3e">',
    jinja: '<a href="{% if T %}/foo?a={% else %}/bar#{% endif %}{{ C }}">',
    want: '<a href="/foo?a=%3CCincinnati%3E">',
    why: 'Palisade writes percent-encodings in upper case (RFC 3986 §2.1 recommends it); both decode to the same bytes.',
  },
  {
    name: 'jsStrValue',
    go: "<button onclick='alert({{.H}})'>",
    goOut: "<button onclick='alert(&#34;\\u003cHello\\u003e&#34;)'>",
    jinja: "<button onclick='alert({{ H }})'>",
    want: SAME,
  },
  {
    name: 'jsNumericValue',
    go: "<button onclick='alert({{.N}})'>",
    goOut: "<button onclick='alert( 42 )'>",
    jinja: "<button onclick='alert({{ N }})'>",
    want: "<button onclick='alert(42)'>",
    why: 'Palisade writes a JS value without padding spaces; a number or `true` is the same value. (`typeof{{ x }}` reads `typeofnull`, a name: a ReferenceError, not injected code; write `typeof {{ x }}`.)',
  },
  {
    name: 'jsBoolValue',
    go: "<button onclick='alert({{.T}})'>",
    goOut: "<button onclick='alert( true )'>",
    jinja: "<button onclick='alert({{ T }})'>",
    want: "<button onclick='alert(true)'>",
    why: 'Palisade writes a JS value without padding spaces; a number or `true` is the same value. (`typeof{{ x }}` reads `typeofnull`, a name: a ReferenceError, not injected code; write `typeof {{ x }}`.)',
  },
  {
    name: 'jsNilValueTyped',
    go: "<button onclick='alert(typeof{{.Z}})'>",
    goOut: "<button onclick='alert(typeof null )'>",
    jinja: "<button onclick='alert(typeof{{ Z }})'>",
    want: "<button onclick='alert(typeof null)'>",
    why: 'Palisade writes a space before a JS value only where the script before it ends with a name (`typeof`, `return`), where the value would otherwise continue the name; Go pads every value with spaces.',
  },
  {
    name: 'jsNilValueUntyped',
    go: "<button onclick='alert(typeof{{.U}})'>",
    goOut: "<button onclick='alert(typeof null )'>",
    jinja: "<button onclick='alert(typeof{{ U }})'>",
    want: "<button onclick='alert(typeof null)'>",
    why: 'Palisade writes a space before a JS value only where the script before it ends with a name (`typeof`, `return`), where the value would otherwise continue the name; Go pads every value with spaces.',
  },
  {
    name: 'jsObjValue',
    go: "<button onclick='alert({{.A}})'>",
    goOut: "<button onclick='alert([&#34;\\u003ca\\u003e&#34;,&#34;\\u003cb\\u003e&#34;])'>",
    jinja: "<button onclick='alert({{ A }})'>",
    want: SAME,
  },
  {
    name: 'jsObjValueScript',
    go: '<script>alert({{.A}})</script>',
    goOut: '<script>alert(["\\u003ca\\u003e","\\u003cb\\u003e"])</script>',
    jinja: '<script>alert({{ A }})</script>',
    want: SAME,
  },
  {
    name: 'jsObjValueNotOverEscaped',
    go: "<button onclick='alert({{.A | html}})'>",
    goOut: "<button onclick='alert([&#34;\\u003ca\\u003e&#34;,&#34;\\u003cb\\u003e&#34;])'>",
    jinja: "<button onclick='alert({{ A|e }})'>",
    want: "<button onclick='alert(&#34;[\\u0026#39;\\u0026lt;a\\u0026gt;\\u0026#39;, \\u0026#39;\\u0026lt;b\\u0026gt;\\u0026#39;]&#34;)'>",
    why: "`|e` makes Markup (HTML text) of the list as Jinja writes it, `['<a>', '<b>']`; in a script Markup is a JS string of its HTML, never code. Go treats `html` there as a no-op.",
  },
  {
    name: 'jsStr',
    go: "<button onclick='alert(&quot;{{.H}}&quot;)'>",
    goOut: "<button onclick='alert(&quot;\\u003cHello\\u003e&quot;)'>",
    jinja: "<button onclick='alert(&quot;{{ H }}&quot;)'>",
    want: SAME,
  },
  {
    name: 'badMarshaler',
    go: "<button onclick='alert(1/{{.B}}in numbers)'>",
    goOut:
      "<button onclick='alert(1/ /* json: error calling MarshalJSON for type *template.badMarshaler: invalid character &#39;f&#39; looking for beginning of object key string */null in numbers)'>",
    jinja: "<button onclick='alert(1/{{ B }}in numbers)'>",
    want: { code: 'TEMPLATE_RUNTIME' },
    why: 'A value that cannot be JSON is a render error (TEMPLATE_RUNTIME) in Palisade, where Go writes a comment and `null`.',
  },
  {
    name: 'jsMarshaler',
    go: "<button onclick='alert({{.M}})'>",
    goOut: "<button onclick='alert({&#34;\\u003cfoo\\u003e&#34;:&#34;O&#39;Reilly&#34;})'>",
    jinja: "<button onclick='alert({{ M }})'>",
    want: "<button onclick='alert({&#34;\\u003cfoo\\u003e&#34;:&#34;O\\u0027Reilly&#34;})'>",
    why: "Palisade writes `'` in JSON as `\\u0027` (a JSON escape) where Go writes `&#39;`; the attribute and the JS both read `'`.",
  },
  {
    name: 'jsStrNotUnderEscaped',
    go: "<button onclick='alert({{.C | urlquery}})'>",
    goOut: "<button onclick='alert(&#34;%3CCincinnati%3E&#34;)'>",
    jinja: "<button onclick='alert({{ C|urlencode }})'>",
    want: SAME,
  },
  {
    name: 'jsRe',
    go: '<button onclick=\'alert(/{{"foo+bar"}}/.test(""))\'>',
    goOut: '<button onclick=\'alert(/foo\\u002bbar/.test(""))\'>',
    jinja: '<button onclick=\'alert(/{{ "foo+bar" }}/.test(""))\'>',
    want: '<button onclick=\'alert(/foo\\+bar/.test(""))\'>',
    why: 'Palisade escapes regexp syntax characters with a backslash (`\\+`) and other specials as `\\uXXXX`; both match `+` literally.',
  },
  {
    name: 'jsReBlank',
    go: '<script>alert(/{{""}}/.test(""));</script>',
    goOut: '<script>alert(/(?:)/.test(""));</script>',
    jinja: '<script>alert(/{{ "" }}/.test(""));</script>',
    want: SAME,
  },
  {
    name: 'jsReAmbigOk',
    go: '<script>{{if true}}var x = 1{{end}}</script>',
    goOut: '<script>var x = 1</script>',
    jinja: '<script>{% if true %}var x = 1{% endif %}</script>',
    want: SAME,
  },
  { name: 'styleBidiKeywordPassed', go: '<p style="dir: {{"ltr"}}">', goOut: '<p style="dir: ltr">', jinja: '<p style="dir: {{ "ltr" }}">', want: SAME },
  {
    name: 'styleBidiPropNamePassed',
    go: '<p style="border-{{"left"}}: 0; border-{{"right"}}: 1in">',
    goOut: '<p style="border-left: 0; border-right: 1in">',
    jinja: '<p style="border-{{ "left" }}: 0; border-{{ "right" }}: 1in">',
    want: SAME,
  },
  {
    name: 'styleExpressionBlocked',
    go: '<p style="width: {{"expression(alert(1337))"}}">',
    goOut: '<p style="width: ZgotmplZ">',
    jinja: '<p style="width: {{ "expression(alert(1337))" }}">',
    want: '<p style="width: palisadeUnsafe">',
    why: "Palisade's sentinel for a refused value is `about:invalid#palisade-unsafe` in URLs, `palisadeUnsafe` in CSS and `data-palisade-unsafe` for an attribute name, where Go writes `ZgotmplZ`; both are inert.",
  },
  {
    name: 'styleTagSelectorPassed',
    go: '<style>{{"p"}} { color: pink }</style>',
    goOut: '<style>p { color: pink }</style>',
    jinja: '<style>{{ "p" }} { color: pink }</style>',
    want: SAME,
  },
  {
    name: 'styleIDPassed',
    go: '<style>p{{"#my-ID"}} { font: Arial }</style>',
    goOut: '<style>p#my-ID { font: Arial }</style>',
    jinja: '<style>p{{ "#my-ID" }} { font: Arial }</style>',
    want: SAME,
  },
  {
    name: 'styleClassPassed',
    go: '<style>p{{".my_class"}} { font: Arial }</style>',
    goOut: '<style>p.my_class { font: Arial }</style>',
    jinja: '<style>p{{ ".my_class" }} { font: Arial }</style>',
    want: SAME,
  },
  {
    name: 'styleQuantityPassed',
    go: '<a style="left: {{"2em"}}; top: {{0}}">',
    goOut: '<a style="left: 2em; top: 0">',
    jinja: '<a style="left: {{ "2em" }}; top: {{ 0 }}">',
    want: SAME,
  },
  { name: 'stylePctPassed', go: '<table style=width:{{"100%"}}>', goOut: '<table style=width:100%>', jinja: '<table style=width:{{ "100%" }}>', want: SAME },
  {
    name: 'styleColorPassed',
    go: '<p style="color: {{"#8ff"}}; background: {{"#000"}}">',
    goOut: '<p style="color: #8ff; background: #000">',
    jinja: '<p style="color: {{ "#8ff" }}; background: {{ "#000" }}">',
    want: SAME,
  },
  {
    name: 'styleObfuscatedExpressionBlocked',
    go: '<p style="width: {{"  e\\\\78preS\\x00Sio/**/n(alert(1337))"}}">',
    goOut: '<p style="width: ZgotmplZ">',
    jinja: '<p style="width: {{ v }}">',
    v: '  e\\78preS\u0000Sio/**/n(alert(1337))',
    want: '<p style="width: palisadeUnsafe">',
    why: "Palisade's sentinel for a refused value is `about:invalid#palisade-unsafe` in URLs, `palisadeUnsafe` in CSS and `data-palisade-unsafe` for an attribute name, where Go writes `ZgotmplZ`; both are inert.",
  },
  {
    name: 'styleMozBindingBlocked',
    go: '<p style="{{"-moz-binding(alert(1337))"}}: ...">',
    goOut: '<p style="ZgotmplZ: ...">',
    jinja: '<p style="{{ "-moz-binding(alert(1337))" }}: ...">',
    want: '<p style="palisadeUnsafe: ...">',
    why: "Palisade's sentinel for a refused value is `about:invalid#palisade-unsafe` in URLs, `palisadeUnsafe` in CSS and `data-palisade-unsafe` for an attribute name, where Go writes `ZgotmplZ`; both are inert.",
  },
  {
    name: 'styleObfuscatedMozBindingBlocked',
    go: '<p style="{{"  -mo\\\\7a-B\\x00I/**/nding(alert(1337))"}}: ...">',
    goOut: '<p style="ZgotmplZ: ...">',
    jinja: '<p style="{{ v }}: ...">',
    v: '  -mo\\7a-B\u0000I/**/nding(alert(1337))',
    want: '<p style="palisadeUnsafe: ...">',
    why: "Palisade's sentinel for a refused value is `about:invalid#palisade-unsafe` in URLs, `palisadeUnsafe` in CSS and `data-palisade-unsafe` for an attribute name, where Go writes `ZgotmplZ`; both are inert.",
  },
  {
    name: 'styleFontNameString',
    go: '<p style=\'font-family: "{{"Times New Roman"}}"\'>',
    goOut: '<p style=\'font-family: "Times New Roman"\'>',
    jinja: '<p style=\'font-family: "{{ "Times New Roman" }}"\'>',
    want: SAME,
  },
  {
    name: 'styleFontNameString (two)',
    go: '<p style=\'font-family: "{{"Times New Roman"}}", "{{"sans-serif"}}"\'>',
    goOut: '<p style=\'font-family: "Times New Roman", "sans-serif"\'>',
    jinja: '<p style=\'font-family: "{{ "Times New Roman" }}", "{{ "sans-serif" }}"\'>',
    want: SAME,
  },
  {
    name: 'styleFontNameUnquoted',
    go: '<p style=\'font-family: {{"Times New Roman"}}\'>',
    goOut: "<p style='font-family: Times New Roman'>",
    jinja: '<p style=\'font-family: {{ "Times New Roman" }}\'>',
    want: SAME,
  },
  {
    name: 'styleURLQueryEncoded',
    go: '<p style="background: url(/img?name={{"O\'Reilly Animal(1)<2>.png"}})">',
    goOut: '<p style="background: url(/img?name=O%27Reilly%20Animal%281%29%3c2%3e.png)">',
    jinja: '<p style="background: url(/img?name={{ "O\'Reilly Animal(1)<2>.png" }})">',
    want: '<p style="background: url(/img?name=O%27Reilly%20Animal%281%29%3C2%3E.png)">',
    why: 'Palisade writes percent-encodings in upper case (RFC 3986 §2.1 recommends it); both decode to the same bytes.',
  },
  {
    name: 'styleQuotedURLQueryEncoded',
    go: '<p style="background: url(\'/img?name={{"O\'Reilly Animal(1)<2>.png"}}\')">',
    goOut: '<p style="background: url(\'/img?name=O%27Reilly%20Animal%281%29%3c2%3e.png\')">',
    jinja: '<p style="background: url(\'/img?name={{ "O\'Reilly Animal(1)<2>.png" }}\')">',
    want: '<p style="background: url(\'/img?name=O%27Reilly%20Animal%281%29%3C2%3E.png\')">',
    why: 'Palisade writes percent-encodings in upper case (RFC 3986 §2.1 recommends it); both decode to the same bytes.',
  },
  {
    name: 'styleStrQueryEncoded',
    go: '<p style="background: \'/img?name={{"O\'Reilly Animal(1)<2>.png"}}\'">',
    goOut: '<p style="background: \'/img?name=O%27Reilly%20Animal%281%29%3c2%3e.png\'">',
    jinja: '<p style="background: \'/img?name={{ "O\'Reilly Animal(1)<2>.png" }}\'">',
    want: '<p style="background: \'/img?name=O\\27 Reilly Animal\\28 1\\29 \\3c 2\\3e .png\'">',
    why: 'A CSS string is text in Palisade: after static text its value is CSS-escaped, not percent-encoded; the scheme is fixed by the static start (`/img?…`), so the value cannot make it unsafe.',
  },
  {
    name: 'styleURLBadProtocolBlocked',
    go: '<a style="background: url(\'{{"javascript:alert(1337)"}}\')">',
    goOut: '<a style="background: url(\'#ZgotmplZ\')">',
    jinja: '<a style="background: url(\'{{ "javascript:alert(1337)" }}\')">',
    want: '<a style="background: url(\'about:invalid#palisade-unsafe\')">',
    why: "Palisade's sentinel for a refused value is `about:invalid#palisade-unsafe` in URLs, `palisadeUnsafe` in CSS and `data-palisade-unsafe` for an attribute name, where Go writes `ZgotmplZ`; both are inert.",
  },
  {
    name: 'styleStrBadProtocolBlocked',
    go: '<a style="background: \'{{"vbscript:alert(1337)"}}\'">',
    goOut: '<a style="background: \'#ZgotmplZ\'">',
    jinja: '<a style="background: \'{{ "vbscript:alert(1337)" }}\'">',
    want: '<a style="background: \'about:invalid#palisade-unsafe\'">',
    why: "Palisade's sentinel for a refused value is `about:invalid#palisade-unsafe` in URLs, `palisadeUnsafe` in CSS and `data-palisade-unsafe` for an attribute name, where Go writes `ZgotmplZ`; both are inert.",
  },
  {
    name: 'styleStrEncodedProtocolEncoded',
    go: '<a style="background: \'{{"javascript\\\\3a alert(1337)"}}\'">',
    goOut: '<a style="background: \'javascript\\\\3a alert\\28 1337\\29 \'">',
    jinja: '<a style="background: \'{{ "javascript\\\\3a alert(1337)" }}\'">',
    want: '<a style="background: \'javascript\\5c 3a alert\\28 1337\\29 \'">',
    why: 'Palisade writes every special character of a CSS string as `\\HEX ` (with the space that ends the escape, CSS Syntax §4.3.7) and does not escape `:`; the string CSS reads is the same. The backslash is `\\5c ` where Go writes `\\\\`; either way the string holds a backslash, not a colon.',
  },
  {
    name: 'styleURLGoodProtocolPassed',
    go: '<a style="background: url(\'{{"http://oreilly.com/O\'Reilly Animals(1)<2>;{}.html"}}\')">',
    goOut: '<a style="background: url(\'http://oreilly.com/O%27Reilly%20Animals%281%29%3c2%3e;%7b%7d.html\')">',
    jinja: '<a style="background: url(\'{{ "http://oreilly.com/O\'Reilly Animals(1)<2>;{}.html" }}\')">',
    want: '<a style="background: url(\'http:\\2f \\2f oreilly.com\\2f O\\27 Reilly%20Animals\\28 1\\29 %3C2%3E\\3b \\7b \\7d .html\')">',
    why: 'Palisade filters and normalizes the URL (spaces, `<`, `>` percent-encoded) and then CSS-escapes it for the quoted url(); Go percent-encodes more. The URL the browser loads is the same.',
  },
  {
    name: 'styleStrGoodProtocolPassed',
    go: '<a style="background: \'{{"http://oreilly.com/O\'Reilly Animals(1)<2>;{}.html"}}\'">',
    goOut: '<a style="background: \'http\\3a\\2f\\2foreilly.com\\2fO\\27Reilly Animals\\28 1\\29\\3c 2\\3e\\3b\\7b\\7d.html\'">',
    jinja: '<a style="background: \'{{ "http://oreilly.com/O\'Reilly Animals(1)<2>;{}.html" }}\'">',
    want: '<a style="background: \'http:\\2f \\2f oreilly.com\\2f O\\27 Reilly Animals\\28 1\\29 \\3c 2\\3e \\3b \\7b \\7d .html\'">',
    why: 'Palisade writes every special character of a CSS string as `\\HEX ` (with the space that ends the escape, CSS Syntax §4.3.7) and does not escape `:`; the string CSS reads is the same.',
  },
  {
    name: 'styleURLEncodedForHTMLInAttr',
    go: '<a style="background: url(\'{{"/search?img=foo&size=icon"}}\')">',
    goOut: '<a style="background: url(\'/search?img=foo&amp;size=icon\')">',
    jinja: '<a style="background: url(\'{{ "/search?img=foo&size=icon" }}\')">',
    want: '<a style="background: url(\'\\2f search?img=foo\\26 size=icon\')">',
    why: 'Palisade CSS-escapes `/` and `&` inside a quoted url() (`\\2f `, `\\26 `), so no HTML reference is needed; CSS decodes them to the same URL.',
  },
  {
    name: 'styleURLNotEncodedForHTMLInCdata',
    go: '<style>body { background: url(\'{{"/search?img=foo&size=icon"}}\') }</style>',
    goOut: "<style>body { background: url('/search?img=foo&size=icon') }</style>",
    jinja: '<style>body { background: url(\'{{ "/search?img=foo&size=icon" }}\') }</style>',
    want: "<style>body { background: url('\\2f search?img=foo\\26 size=icon') }</style>",
    why: 'Palisade CSS-escapes `/` and `&` inside a quoted url(); CSS decodes them to the same URL.',
  },
  {
    name: 'styleURLMixedCase',
    go: '<p style="background: URL(#{{.H}})">',
    goOut: '<p style="background: URL(#%3cHello%3e)">',
    jinja: '<p style="background: URL(#{{ H }})">',
    want: '<p style="background: URL(#%3CHello%3E)">',
    why: 'Palisade writes percent-encodings in upper case (RFC 3986 §2.1 recommends it); both decode to the same bytes.',
  },
  {
    name: 'stylePropertyPairPassed',
    go: '<a style=\'{{"color: red"}}\'>',
    goOut: "<a style='color: red'>",
    jinja: '<a style=\'{{ "color: red" }}\'>',
    want: "<a style='palisadeUnsafe'>",
    why: 'A value in a CSS value position is never a whole declaration in Palisade (`:` is refused); a trusted declaration goes through SafeStyle.unsafeTrust().',
  },
  {
    name: 'styleStrSpecialsEncoded',
    go: '<a style="font-family: \'{{"/**/\'\\";:// \\\\"}}\', &quot;{{"/**/\'\\";:// \\\\"}}&quot;">',
    goOut: '<a style="font-family: \'\\2f**\\2f\\27\\22\\3b\\3a\\2f\\2f  \\\\\', &quot;\\2f**\\2f\\27\\22\\3b\\3a\\2f\\2f  \\\\&quot;">',
    jinja: '<a style="font-family: \'{{ v }}\', &quot;{{ v }}&quot;">',
    v: '/**/\'";:// \\',
    want: '<a style="font-family: \'\\2f **\\2f \\27 \\22 \\3b :\\2f \\2f  \\5c \', &quot;\\2f **\\2f \\27 \\22 \\3b :\\2f \\2f  \\5c &quot;">',
    why: 'Palisade writes every special character of a CSS string as `\\HEX ` (with the space that ends the escape, CSS Syntax §4.3.7) and does not escape `:`; the string CSS reads is the same.',
  },
  {
    name: 'styleURLSpecialsEncoded',
    go: '<a style="border-image: url({{"/**/\'\\";:// \\\\"}}), url(&quot;{{"/**/\'\\";:// \\\\"}}&quot;), url(\'{{"/**/\'\\";:// \\\\"}}\'), \'http://www.example.com/?q={{"/**/\'\\";:// \\\\"}}\'\'">',
    goOut:
      "<a style=\"border-image: url(/**/%27%22;://%20%5c), url(&quot;/**/%27%22;://%20%5c&quot;), url('/**/%27%22;://%20%5c'), 'http://www.example.com/?q=%2f%2a%2a%2f%27%22%3b%3a%2f%2f%20%5c''\">",
    jinja: "<a style=\"border-image: url({{ v }}), url(&quot;{{ v }}&quot;), url('{{ v }}'), 'http://www.example.com/?q={{ v }}''\">",
    v: '/**/\'";:// \\',
    want: "<a style=\"border-image: url(/**/%27%22;://%20%5C), url(&quot;\\2f **\\2f \\27 %22\\3b :\\2f \\2f %20\\5c &quot;), url('\\2f **\\2f \\27 %22\\3b :\\2f \\2f %20\\5c '), 'http://www.example.com/?q=\\2f **\\2f \\27 \\22 \\3b :\\2f \\2f  \\5c ''\">",
    why: 'Palisade writes percent-encodings in upper case (RFC 3986 §2.1 recommends it); both decode to the same bytes. In quoted url() and in a CSS string after static text, Palisade CSS-escapes the value instead of percent-encoding it; CSS reads the same characters, and the URL start is static.',
  },
  {
    name: 'HTML comment',
    go: '<b>Hello, <!-- name of world -->{{.C}}</b>',
    goOut: '<b>Hello, &lt;Cincinnati&gt;</b>',
    jinja: '<b>Hello, <!-- name of world -->{{ C }}</b>',
    want: '<b>Hello, <!-- name of world -->&lt;Cincinnati&gt;</b>',
    why: 'Palisade keeps the comments the template author wrote (static text is written as it is); a value inside a comment is dropped, as in Go.',
  },
  {
    name: 'HTML comment not first < in text node.',
    go: '<<!-- -->!--',
    goOut: '&lt;!--',
    jinja: '<<!-- -->!--',
    want: '<<!-- -->!--',
    why: "Palisade does not rewrite the template's static text: the browser reads it as written, and no value is involved.",
  },
  {
    name: 'HTML normalization 1',
    go: 'a < b',
    goOut: 'a &lt; b',
    jinja: 'a < b',
    want: 'a < b',
    why: "Palisade does not rewrite the template's static text: the browser reads it as written, and no value is involved.",
  },
  {
    name: 'HTML normalization 2',
    go: 'a << b',
    goOut: 'a &lt;&lt; b',
    jinja: 'a << b',
    want: 'a << b',
    why: "Palisade does not rewrite the template's static text: the browser reads it as written, and no value is involved.",
  },
  {
    name: 'HTML normalization 3',
    go: 'a<<!-- --><!-- -->b',
    goOut: 'a&lt;b',
    jinja: 'a<<!-- --><!-- -->b',
    want: 'a<<!-- --><!-- -->b',
    why: "Palisade does not rewrite the template's static text: the browser reads it as written, and no value is involved.",
  },
  {
    name: 'HTML doctype not normalized',
    go: '<!DOCTYPE html>Hello, World!',
    goOut: '<!DOCTYPE html>Hello, World!',
    jinja: '<!DOCTYPE html>Hello, World!',
    want: SAME,
  },
  {
    name: 'HTML doctype not case-insensitive',
    go: '<!doCtYPE htMl>Hello, World!',
    goOut: '<!doCtYPE htMl>Hello, World!',
    jinja: '<!doCtYPE htMl>Hello, World!',
    want: SAME,
  },
  {
    name: 'No doctype injection',
    go: '<!{{"DOCTYPE"}}',
    goOut: '&lt;!DOCTYPE',
    jinja: '<!{{ "DOCTYPE" }}',
    want: { code: 'TEMPLATE_UNTERMINATED' },
    why: 'Palisade drops a value inside `<!…>` (a bogus comment, HTML §13.2.5.41) and refuses the template because it ends there (TEMPLATE_UNTERMINATED); Go escapes the `<`.',
  },
  {
    name: 'Split HTML comment',
    go: '<b>Hello, <!-- name of {{if .T}}city -->{{.C}}{{else}}world -->{{.W}}{{end}}</b>',
    goOut: '<b>Hello, &lt;Cincinnati&gt;</b>',
    jinja: '<b>Hello, <!-- name of {% if T %}city -->{{ C }}{% else %}world -->{{ W }}{% endif %}</b>',
    want: '<b>Hello, <!-- name of city -->&lt;Cincinnati&gt;</b>',
    why: 'Palisade keeps the comments the template author wrote (static text is written as it is); a value inside a comment is dropped, as in Go.',
  },
  {
    name: 'JS line comment',
    go: '<script>for (;;) { if (c()) break// foo not a label\nfoo({{.T}});}</script>',
    goOut: '<script>for (;;) { if (c()) break\nfoo( true );}</script>',
    jinja: '<script>for (;;) { if (c()) break// foo not a label\nfoo({{ T }});}</script>',
    want: '<script>for (;;) { if (c()) break// foo not a label\nfoo(true);}</script>',
    why: 'Palisade keeps the comments the template author wrote (static text is written as it is); a value inside a comment is dropped, as in Go. Palisade writes a JS value without padding spaces; a number or `true` is the same value. (`typeof{{ x }}` reads `typeofnull`, a name: a ReferenceError, not injected code; write `typeof {{ x }}`.)',
  },
  {
    name: 'JS multiline block comment',
    go: '<script>for (;;) { if (c()) break/* foo not a label\n */foo({{.T}});}</script>',
    goOut: '<script>for (;;) { if (c()) break\nfoo( true );}</script>',
    jinja: '<script>for (;;) { if (c()) break/* foo not a label\n */foo({{ T }});}</script>',
    want: '<script>for (;;) { if (c()) break/* foo not a label\n */foo(true);}</script>',
    why: 'Palisade keeps the comments the template author wrote (static text is written as it is); a value inside a comment is dropped, as in Go. Palisade writes a JS value without padding spaces; a number or `true` is the same value. (`typeof{{ x }}` reads `typeofnull`, a name: a ReferenceError, not injected code; write `typeof {{ x }}`.)',
  },
  {
    name: 'JS single-line block comment',
    go: '<script>for (;;) {\nif (c()) break/* foo a label */foo;x({{.T}});}</script>',
    goOut: '<script>for (;;) {\nif (c()) break foo;x( true );}</script>',
    jinja: '<script>for (;;) {\nif (c()) break/* foo a label */foo;x({{ T }});}</script>',
    want: '<script>for (;;) {\nif (c()) break/* foo a label */foo;x(true);}</script>',
    why: 'Palisade keeps the comments the template author wrote (static text is written as it is); a value inside a comment is dropped, as in Go. Palisade writes a JS value without padding spaces; a number or `true` is the same value. (`typeof{{ x }}` reads `typeofnull`, a name: a ReferenceError, not injected code; write `typeof {{ x }}`.)',
  },
  {
    name: 'JS block comment flush with mathematical division',
    go: '<script>var a/*b*//c\nd</script>',
    goOut: '<script>var a /c\nd</script>',
    jinja: '<script>var a/*b*//c\nd</script>',
    want: '<script>var a/*b*//c\nd</script>',
    why: 'Palisade keeps the comments the template author wrote (static text is written as it is); a value inside a comment is dropped, as in Go.',
  },
  {
    name: 'JS mixed comments',
    go: '<script>var a/*b*///c\nd</script>',
    goOut: '<script>var a \nd</script>',
    jinja: '<script>var a/*b*///c\nd</script>',
    want: '<script>var a/*b*///c\nd</script>',
    why: 'Palisade keeps the comments the template author wrote (static text is written as it is); a value inside a comment is dropped, as in Go.',
  },
  {
    name: 'JS HTML-like comments',
    go: '<script>before <!-- beep\nbetween\nbefore-->boop\n</script>',
    goOut: '<script>before \nbetween\nbefore\n</script>',
    jinja: '<script>before <!-- beep\nbetween\nbefore-->boop\n</script>',
    want: '<script>before <!-- beep\nbetween\nbefore-->boop\n</script>',
    why: 'Palisade keeps the comments the template author wrote (static text is written as it is); a value inside a comment is dropped, as in Go.',
  },
  {
    name: 'JS hashbang comment',
    go: '<script>#! beep\n</script>',
    goOut: '<script>\n</script>',
    jinja: '<script>#! beep\n</script>',
    want: '<script>#! beep\n</script>',
    why: 'Palisade keeps the comments the template author wrote (static text is written as it is); a value inside a comment is dropped, as in Go.',
  },
  {
    name: 'Special tags in <script> string literals',
    go: '<script>var a = "asd < 123 <!-- 456 < fgh <script jkl < 789 </script"</script>',
    goOut: '<script>var a = "asd < 123 \\x3C!-- 456 < fgh \\x3Cscript jkl < 789 \\x3C/script"</script>',
    jinja: '<script>var a = "asd < 123 <!-- 456 < fgh <script jkl < 789 </script"</script>',
    want: { code: 'TEMPLATE_UNTERMINATED' },
    why: 'Palisade does not rewrite the script; as written, `<!--` then `<script` put the browser in the double-escaped script state (HTML §13.2.5.22), where `</script>` does not end the element, so the script never ends and Palisade refuses the template (TEMPLATE_UNTERMINATED) instead of writing it.',
  },
  {
    name: 'Special tags in <script> string literals (mixed case)',
    go: '<script>var a = "<!-- <ScripT </ScripT"</script>',
    goOut: '<script>var a = "\\x3C!-- \\x3CScripT \\x3C/ScripT"</script>',
    jinja: '<script>var a = "<!-- <ScripT </ScripT"</script>',
    want: { code: 'TEMPLATE_UNTERMINATED' },
    why: 'As above: the browser would not end this script, so Palisade refuses it (TEMPLATE_UNTERMINATED).',
  },
  {
    name: 'Special tags in <script> regex literals (mixed case)',
    go: '<script>var a = /<!-- <ScripT </ScripT/</script>',
    goOut: '<script>var a = /\\x3C!-- \\x3CScripT \\x3C/ScripT/</script>',
    jinja: '<script>var a = /<!-- <ScripT </ScripT/</script>',
    want: '<script>var a = /<!-- <ScripT </ScripT/</script>',
    why: 'Palisade does not rewrite the script: the browser leaves the double-escaped state at `</ScripT/` and ends the script at the last `</script>`, which is where Palisade ends it too (raw-text.ts).',
  },
  {
    name: 'CSS comments',
    go: '<style>p// paragraph\n{border: 1px/* color */{{"#00f"}}}</style>',
    goOut: '<style>p\n{border: 1px #00f}</style>',
    jinja: '<style>p// paragraph\n{border: 1px/* color */{{ "#00f" }}}</style>',
    want: '<style>p// paragraph\n{border: 1px/* color */#00f}</style>',
    why: 'Palisade keeps the comments the template author wrote (static text is written as it is); a value inside a comment is dropped, as in Go. (`//` is not a CSS comment, CSS Syntax §4.3.2.)',
  },
  {
    name: 'JS attr block comment',
    go: '<a onclick="f(&quot;&quot;); /* alert({{.H}}) */">',
    goOut: '<a onclick="f(&quot;&quot;); /* alert() */">',
    jinja: '<a onclick="f(&quot;&quot;); /* alert({{ H }}) */">',
    want: SAME,
  },
  {
    name: 'JS attr line comment',
    go: '<a onclick="// alert({{.G}})">',
    goOut: '<a onclick="// alert()">',
    jinja: '<a onclick="// alert({{ G }})">',
    want: SAME,
  },
  {
    name: 'CSS attr block comment',
    go: '<a style="/* color: {{.H}} */">',
    goOut: '<a style="/* color:  */">',
    jinja: '<a style="/* color: {{ H }} */">',
    want: SAME,
  },
  {
    name: 'CSS attr line comment',
    go: '<a style="// color: {{.G}}">',
    goOut: '<a style="// color: ">',
    jinja: '<a style="// color: {{ G }}">',
    want: '<a style="// color: palisadeUnsafe">',
    why: '`//` is not a comment in CSS (CSS Syntax §4.3.2); Palisade reads the value as a CSS value and refuses `<Goodbye>` there (palisadeUnsafe).',
  },
  {
    name: 'HTML substitution commented out',
    go: '<p><!-- {{.H}} --></p>',
    goOut: '<p></p>',
    jinja: '<p><!-- {{ H }} --></p>',
    want: '<p><!--  --></p>',
    why: 'Palisade keeps the comments the template author wrote (static text is written as it is); a value inside a comment is dropped, as in Go.',
  },
  {
    name: 'Comment ends flush with start',
    go: "<!--{{.}}--><script>/*{{.}}*///{{.}}\n</script><style>/*{{.}}*///{{.}}\n</style><a onclick='/*{{.}}*///{{.}}' style='/*{{.}}*///{{.}}'>",
    goOut: "<script> \n</script><style> \n</style><a onclick='/**///' style='/**///'>",
    jinja:
      "<!--{{ H }}--><script>/*{{ H }}*///{{ H }}\n</script><style>/*{{ H }}*///{{ H }}\n</style><a onclick='/*{{ H }}*///{{ H }}' style='/*{{ H }}*///{{ H }}'>",
    want: "<!----><script>/**///\n</script><style>/**///palisadeUnsafe\n</style><a onclick='/**///' style='/**///palisadeUnsafe'>",
    why: 'Palisade keeps the comments the template author wrote (static text is written as it is); a value inside a comment is dropped, as in Go. `//` is not a CSS comment (CSS Syntax §4.3.2), so in the style the value after it is a CSS value and is filtered.',
  },
  { name: 'typed HTML in text', go: '{{.W}}', goOut: '&iexcl;<b class="foo">Hello</b>, <textarea>O\'World</textarea>!', jinja: '{{ W }}', want: SAME },
  {
    name: 'typed HTML in attribute',
    go: '<div title="{{.W}}">',
    goOut: '<div title="&iexcl;Hello, O&#39;World!">',
    jinja: '<div title="{{ W }}">',
    want: SAME,
  },
  {
    name: 'typed HTML in script',
    go: '<button onclick="alert({{.W}})">',
    goOut:
      '<button onclick="alert(&#34;\\u0026iexcl;\\u003cb class=\\&#34;foo\\&#34;\\u003eHello\\u003c/b\\u003e, \\u003ctextarea\\u003eO&#39;World\\u003c/textarea\\u003e!&#34;)">',
    jinja: '<button onclick="alert({{ W }})">',
    want: '<button onclick="alert(&#34;\\u0026iexcl;\\u003cb class=\\u0022foo\\u0022\\u003eHello\\u003c\\/b\\u003e, \\u003ctextarea\\u003eO\\u0027World\\u003c\\/textarea\\u003e!&#34;)">',
    why: 'In a script Palisade writes Markup as a JSON string of its HTML: `"` as `\\u0022`, `/` as `\\/`, `\'` as `\\u0027`; the same string.',
  },
  {
    name: 'typed HTML in RCDATA',
    go: '<textarea>{{.W}}</textarea>',
    goOut: '<textarea>&iexcl;&lt;b class=&#34;foo&#34;&gt;Hello&lt;/b&gt;, &lt;textarea&gt;O&#39;World&lt;/textarea&gt;!</textarea>',
    jinja: '<textarea>{{ W }}</textarea>',
    want: '<textarea>\n&iexcl;Hello, O&#39;World!</textarea>',
    why: 'Markup in RCDATA contributes its text (tags removed, references kept), as in an attribute; Go writes its escaped source. Palisade also writes the newline a `<textarea>` drops after its start tag.',
  },
  {
    name: 'range in textarea',
    go: '<textarea>{{range .A}}{{.}}{{end}}</textarea>',
    goOut: '<textarea>&lt;a&gt;&lt;b&gt;</textarea>',
    jinja: '<textarea>{% for x in A %}{{ x }}{% endfor %}</textarea>',
    want: SAME,
  },
  {
    name: 'No tag injection',
    go: '{{"10$"}}<{{"script src,evil.org/pwnd.js"}}...',
    goOut: '10$&lt;script src,evil.org/pwnd.js...',
    jinja: '{{ "10$" }}<{{ "script src,evil.org/pwnd.js" }}...',
    want: { code: 'TEMPLATE_PARTIAL_NAME' },
    why: 'Palisade refuses a value right after `<` in HTML text, where it would be a tag name (TEMPLATE_PARTIAL_NAME), instead of escaping the `<`.',
  },
  {
    name: 'No comment injection',
    go: '<{{"!--"}}',
    goOut: '&lt;!--',
    jinja: '<{{ "!--" }}',
    want: { code: 'TEMPLATE_PARTIAL_NAME' },
    why: 'Palisade refuses a value right after `<` in HTML text (TEMPLATE_PARTIAL_NAME), instead of escaping the `<`.',
  },
  {
    name: 'No RCDATA end tag injection',
    go: '<textarea><{{"/textarea "}}...</textarea>',
    goOut: '<textarea>&lt;/textarea ...</textarea>',
    jinja: '<textarea><{{ "/textarea " }}...</textarea>',
    want: '<textarea><&#47;textarea ...</textarea>',
    why: "Palisade escapes the first character of a value that follows `<` in RCDATA (`&#47;`) instead of the template's `<`; the textarea reads `</textarea ...` either way and is not closed.",
  },
  {
    name: 'optional attrs',
    go: '<img class="{{"iconClass"}}"{{if .T}} id="{{"<iconId>"}}"{{end}} src={{if .T}}"?{{"<iconPath>"}}"{{else}}"images/cleardot.gif"{{end}}{{if .T}}title="{{"<title>"}}"{{end}} alt="{{if .T}}{{"<alt>"}}{{else}}{{if .F}}{{"<title>"}}{{end}}{{end}}">',
    goOut: '<img class="iconClass" id="&lt;iconId&gt;" src="?%3ciconPath%3e"title="&lt;title&gt;" alt="&lt;alt&gt;">',
    jinja:
      '<img class="{{ "iconClass" }}"{% if T %} id="{{ "<iconId>" }}"{% endif %} src={% if T %}"?{{ "<iconPath>" }}"{% else %}"images/cleardot.gif"{% endif %}{% if T %}title="{{ "<title>" }}"{% endif %} alt="{% if T %}{{ "<alt>" }}{% else %}{% if F %}{{ "<title>" }}{% endif %}{% endif %}">',
    want: '<img class="iconClass" id="&lt;iconId&gt;" src="?%3CiconPath%3E"title="&lt;title&gt;" alt="&lt;alt&gt;">',
    why: 'Palisade writes percent-encodings in upper case (RFC 3986 §2.1 recommends it); both decode to the same bytes.',
  },
  {
    name: 'conditional valueless attr name',
    go: '<input{{if .T}} checked{{end}} name=n>',
    goOut: '<input checked name=n>',
    jinja: '<input{% if T %} checked{% endif %} name=n>',
    want: SAME,
  },
  {
    name: 'conditional dynamic valueless attr name 1',
    go: '<input{{if .T}} {{"checked"}}{{end}} name=n>',
    goOut: '<input checked name=n>',
    jinja: '<input{% if T %} {{ "checked"|attrname }}{% endif %} name=n>',
    want: SAME,
  },
  {
    name: 'conditional dynamic valueless attr name 2',
    go: '<input {{if .T}}{{"checked"}} {{end}}name=n>',
    goOut: '<input checked name=n>',
    jinja: '<input {% if T %}{{ "checked"|attrname }} {% endif %}name=n>',
    want: SAME,
  },
  {
    name: 'dynamic attribute name',
    go: '<img on{{"load"}}="alert({{"loaded"}})">',
    goOut: '<img onload="alert(&#34;loaded&#34;)">',
    jinja: '<img on{{ "load" }}="alert({{ "loaded" }})">',
    want: { code: 'TEMPLATE_PARTIAL_NAME' },
    why: 'Palisade refuses a value that continues an attribute name (TEMPLATE_PARTIAL_NAME): `on{{ x }}` could name any handler.',
  },
  {
    name: 'bad dynamic attribute name 1',
    go: '<input {{"onchange"}}="{{"doEvil()"}}">',
    goOut: '<input ZgotmplZ="doEvil()">',
    jinja: '<input {{ "onchange"|attrname }}="{{ "doEvil()" }}">',
    want: '<input data-palisade-unsafe="doEvil()">',
    why: "Palisade's sentinel for a refused value is `about:invalid#palisade-unsafe` in URLs, `palisadeUnsafe` in CSS and `data-palisade-unsafe` for an attribute name, where Go writes `ZgotmplZ`; both are inert. (`|attrname` is how a value becomes an attribute name in Palisade.)",
  },
  {
    name: 'bad dynamic attribute name 2',
    go: '<div {{"sTyle"}}="{{"color: expression(alert(1337))"}}">',
    goOut: '<div ZgotmplZ="color: expression(alert(1337))">',
    jinja: '<div {{ "sTyle"|attrname }}="{{ "color: expression(alert(1337))" }}">',
    want: '<div data-palisade-unsafe="color: expression(alert(1337))">',
    why: "Palisade's sentinel for a refused value is `about:invalid#palisade-unsafe` in URLs, `palisadeUnsafe` in CSS and `data-palisade-unsafe` for an attribute name, where Go writes `ZgotmplZ`; both are inert.",
  },
  {
    name: 'bad dynamic attribute name 3',
    go: '<img {{"src"}}="{{"javascript:doEvil()"}}">',
    goOut: '<img ZgotmplZ="javascript:doEvil()">',
    jinja: '<img {{ "src"|attrname }}="{{ "javascript:doEvil()" }}">',
    want: '<img data-palisade-unsafe="javascript:doEvil()">',
    why: "Palisade's sentinel for a refused value is `about:invalid#palisade-unsafe` in URLs, `palisadeUnsafe` in CSS and `data-palisade-unsafe` for an attribute name, where Go writes `ZgotmplZ`; both are inert.",
  },
  {
    name: 'bad dynamic attribute name 4',
    go: '<input checked {{""}}="Whose value am I?">',
    goOut: '<input checked ZgotmplZ="Whose value am I?">',
    jinja: '<input checked {{ ""|attrname }}="Whose value am I?">',
    want: '<input checked data-palisade-unsafe="Whose value am I?">',
    why: "Palisade's sentinel for a refused value is `about:invalid#palisade-unsafe` in URLs, `palisadeUnsafe` in CSS and `data-palisade-unsafe` for an attribute name, where Go writes `ZgotmplZ`; both are inert.",
  },
  {
    name: 'dynamic element name',
    go: '<h{{3}}><table><t{{"head"}}>...</h{{3}}>',
    goOut: '<h3><table><thead>...</h3>',
    jinja: '<h{{ 3 }}><table><t{{ "head" }}>...</h{{ 3 }}>',
    want: { code: 'TEMPLATE_PARTIAL_NAME' },
    why: 'Palisade refuses a value in a tag name (TEMPLATE_PARTIAL_NAME).',
  },
  {
    name: 'bad dynamic element name',
    go: '<{{"script"}}>{{"doEvil()"}}</{{"script"}}>',
    goOut: '&lt;script>doEvil()&lt;/script>',
    jinja: '<{{ "script" }}>{{ "doEvil()" }}</{{ "script" }}>',
    want: { code: 'TEMPLATE_PARTIAL_NAME' },
    why: 'Palisade refuses a value in a tag name (TEMPLATE_PARTIAL_NAME).',
  },
  {
    name: 'srcset bad URL in second position',
    go: '<img srcset="{{"/not-an-image#,javascript:alert(1)"}}">',
    goOut: '<img srcset="/not-an-image#,#ZgotmplZ">',
    jinja: '<img srcset="{{ "/not-an-image#,javascript:alert(1)" }}">',
    want: '<img srcset="/not-an-image#,javascript:alert(1)">',
    why: 'By the HTML srcset parser (§4.8.4.3.10) a comma inside a URL does not split it: this is one relative URL, which Palisade keeps as it is (only a comma that starts or ends a URL is changed); Go splits it in two.',
  },
  {
    name: 'srcset buffer growth',
    go: '<img srcset={{",,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,"}}>',
    goOut: '<img srcset=,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,>',
    jinja: '<img srcset={{ ",,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,," }}>',
    want: '<img srcset="">',
    why: 'Palisade quotes an unquoted attribute value that starts with a value (docs/templates.md), so an empty value or one with spaces stays one attribute. Only commas make no candidate, so Palisade writes none.',
  },
  {
    name: 'unquoted empty attribute value (plaintext)',
    go: '<p name={{.U}}>',
    goOut: '<p name=ZgotmplZ>',
    jinja: '<p name={{ U }}>',
    want: '<p name="">',
    why: 'Palisade quotes an unquoted attribute value that starts with a value (docs/templates.md), so an empty value or one with spaces stays one attribute. Go refuses an empty unquoted value instead.',
  },
  {
    name: 'unquoted empty attribute value (url)',
    go: '<p href={{.U}}>',
    goOut: '<p href=ZgotmplZ>',
    jinja: '<p href={{ U }}>',
    want: '<p href="">',
    why: 'Palisade quotes an unquoted attribute value that starts with a value (docs/templates.md), so an empty value or one with spaces stays one attribute. Go refuses an empty unquoted value instead.',
  },
  { name: 'quoted empty attribute value', go: '<p name="{{.U}}">', goOut: '<p name="">', jinja: '<p name="{{ U }}">', want: SAME },
  {
    name: 'JS template lit special characters',
    go: '<script>var a = `{{.I}}`</script>',
    goOut: '<script>var a = `\\u0024\\u007b asd \\u0060\\u0060 \\u007d`</script>',
    jinja: '<script>var a = `{{ I }}`</script>',
    want: '<script>var a = `\\u0024{ asd \\u0060\\u0060 }`</script>',
    why: 'In a template literal only `` ` ``, `$`, `\\` and the characters that matter to HTML need escaping; `{` without `$` opens nothing, so Palisade leaves `{` and `}`.',
  },
  {
    name: 'JS template lit special characters, nested lit',
    go: '<script>var a = `${ `{{.I}}` }`</script>',
    goOut: '<script>var a = `${ `\\u0024\\u007b asd \\u0060\\u0060 \\u007d` }`</script>',
    jinja: '<script>var a = `${ `{{ I }}` }`</script>',
    want: '<script>var a = `${ `\\u0024{ asd \\u0060\\u0060 }` }`</script>',
    why: 'As above: `{` and `}` are left as they are.',
  },
  {
    name: 'JS template lit, nested JS',
    go: '<script>var a = `${ var a = "{{"a \\" d"}}" }`</script>',
    goOut: '<script>var a = `${ var a = "a \\u0022 d" }`</script>',
    jinja: '<script>var a = `${ var a = "{{ "a \\" d" }}" }`</script>',
    want: SAME,
  },
];

const SETS: readonly SetRow[] = [
  { name: 'the trivial set', go: { main: '' }, goOut: '', jinja: '', want: SAME },
  {
    name: 'a template called in the start context',
    go: { main: 'Hello, {{template "helper"}}!', helper: '{{"<World>"}}' },
    goOut: 'Hello, &lt;World&gt;!',
    jinja: '{% macro helper() %}{{ "<World>" }}{% endmacro %}Hello, {{ helper() }}!',
    want: SAME,
  },
  {
    name: 'a template called in a context other than the start',
    go: { main: '<a onclick=\'a = {{template "helper"}};\'>', helper: '{{"<a>"}}<b' },
    goOut: "<a onclick='a = &#34;\\u003ca\\u003e&#34;<b;'>",
    jinja: '{% macro helper() %}{{ "<a>" }}<b{% endmacro %}<a onclick=\'a = {{ helper() }};\'>',
    want: { code: 'TEMPLATE_UNTERMINATED' },
    why: 'A Palisade macro must end in HTML text (its result is Markup); this helper ends inside a tag, so the template does not compile. Go escapes the helper again for the calling context.',
  },
  {
    name: 'a recursive template that ends in its start context',
    go: { main: '{{range .Children}}{{template "main" .}}{{else}}{{.X}} {{end}}' },
    goOut: 'foo &lt;bar&gt; baz ',
    jinja: '{% macro main(d) %}{% for c in d.Children %}{{ main(c) }}{% else %}{{ d.X }} {% endfor %}{% endmacro %}{{ main(data) }}',
    want: SAME,
  },
  {
    name: 'a recursive helper template that ends in its start context',
    go: { main: '{{template "helper" .}}', helper: '{{if .Children}}<ul>{{range .Children}}<li>{{template "main" .}}</li>{{end}}</ul>{{else}}{{.X}}{{end}}' },
    goOut: '<ul><li>foo</li><li>&lt;bar&gt;</li><li><ul><li>baz</li></ul></li></ul>',
    jinja:
      '{% macro helper(d) %}{% if d.Children %}<ul>{% for c in d.Children %}<li>{{ main(c) }}</li>{% endfor %}</ul>{% else %}{{ d.X }}{% endif %}{% endmacro %}{% macro main(d) %}{{ helper(d) }}{% endmacro %}{{ main(data) }}',
    want: SAME,
  },
  {
    name: 'co-recursive templates that end in their start context',
    go: {
      main: '<blockquote>{{range .Children}}{{template "helper" .}}{{end}}</blockquote>',
      helper: '{{if .Children}}{{template "main" .}}{{else}}{{.X}}<br>{{end}}',
    },
    goOut: '<blockquote>foo<br>&lt;bar&gt;<br><blockquote>baz<br></blockquote></blockquote>',
    jinja:
      '{% macro main(d) %}<blockquote>{% for c in d.Children %}{{ helper(c) }}{% endfor %}</blockquote>{% endmacro %}{% macro helper(d) %}{% if d.Children %}{{ main(d) }}{% else %}{{ d.X }}<br>{% endif %}{% endmacro %}{{ main(data) }}',
    want: SAME,
  },
  {
    name: 'a template that is called in two different contexts',
    go: { main: '<button onclick="title=\'{{template "helper"}}\'; ...">{{template "helper"}}</button>', helper: '{{11}} of {{"<100>"}}' },
    goOut: '<button onclick="title=\'11 of \\u003c100\\u003e\'; ...">11 of &lt;100&gt;</button>',
    jinja: '{% macro helper() %}{{ 11 }} of {{ "<100>" }}{% endmacro %}<button onclick="title=\'{{ helper() }}\'; ...">{{ helper() }}</button>',
    want: '<button onclick="title=\'11 of \\u0026lt;100\\u0026gt;\'; ...">11 of &lt;100&gt;</button>',
    why: 'A Palisade macro returns HTML (Markup), escaped for where it is called; Go re-escapes a template for each calling context. In a script, Markup is one JS string of its HTML, so it cannot become code. Here the JS string holds `11 of &lt;100&gt;`.',
  },
  {
    name: 'a non-recursive template that ends in a different context',
    go: { main: '<script>var x={{template "helper"}}/{{"42"}};</script>', helper: '{{126}}' },
    goOut: '<script>var x= 126 /"42";</script>',
    jinja: '{% macro helper() %}{{ 126 }}{% endmacro %}<script>var x={{ helper() }}/{{ "42" }};</script>',
    want: '<script>var x="126"/"42";</script>',
    why: 'A Palisade macro returns HTML (Markup), escaped for where it is called; Go re-escapes a template for each calling context. In a script, Markup is one JS string of its HTML, so it cannot become code.',
  },
  {
    name: 'a recursive template that ends in a similar context',
    go: { main: '<script>var x=[{{template "countdown" 4}}];</script>', countdown: '{{.}}{{if .}},{{template "countdown" . | pred}}{{end}}' },
    goOut: '<script>var x=[ 4 , 3 , 2 , 1 , 0 ];</script>',
    jinja: '{% macro countdown(n) %}{{ n }}{% if n %},{{ countdown(n - 1) }}{% endif %}{% endmacro %}<script>var x=[{{ countdown(4) }}];</script>',
    want: '<script>var x=["4,3,2,1,0"];</script>',
    why: 'A Palisade macro returns HTML (Markup), escaped for where it is called; Go re-escapes a template for each calling context. In a script, Markup is one JS string of its HTML, so it cannot become code.',
  },
];

const ERRORS: readonly ErrorRow[] = [
  { go: '{{if .Cond}}<a>{{else}}<b>{{end}}', goErr: '', jinja: '{% if Cond %}<a>{% else %}<b>{% endif %}', want: OK },
  { go: '{{if .Cond}}<a>{{end}}', goErr: '', jinja: '{% if Cond %}<a>{% endif %}', want: OK },
  { go: '{{if .Cond}}{{else}}<b>{{end}}', goErr: '', jinja: '{% if Cond %}{% else %}<b>{% endif %}', want: OK },
  { go: '{{with .Cond}}<div>{{end}}', goErr: '', jinja: '{% if Cond %}<div>{% endif %}', want: OK },
  { go: '{{range .Items}}<a>{{end}}', goErr: '', jinja: '{% for i in Items %}<a>{% endfor %}', want: OK },
  {
    go: "<a href='/foo?{{range .Items}}&{{.K}}={{.V}}{{end}}'>",
    goErr: '',
    jinja: "<a href='/foo?{% for i in Items %}&{{ i.K }}={{ i.V }}{% endfor %}'>",
    want: OK,
  },
  { go: '{{range .Items}}<a{{if .X}}{{end}}>{{end}}', goErr: '', jinja: '{% for i in Items %}<a{% if i.X %}{% endif %}>{% endfor %}', want: OK },
  {
    go: '{{range .Items}}<a{{if .X}}{{end}}>{{continue}}{{end}}',
    goErr: '',
    jinja: null,
    want: null,
    why: "Palisade has no {% continue %} or {% break %} (Jinja's loopcontrols extension).",
  },
  {
    go: '{{range .Items}}<a{{if .X}}{{end}}>{{break}}{{end}}',
    goErr: '',
    jinja: null,
    want: null,
    why: "Palisade has no {% continue %} or {% break %} (Jinja's loopcontrols extension).",
  },
  {
    go: '{{range .Items}}<a{{if .X}}{{end}}>{{if .X}}{{break}}{{end}}{{end}}',
    goErr: '',
    jinja: null,
    want: null,
    why: "Palisade has no {% continue %} or {% break %} (Jinja's loopcontrols extension).",
  },
  { go: '<script>var a = `${a+b}`</script>`', goErr: '', jinja: '<script>var a = `${a+b}`</script>`', want: OK },
  { go: '<script>var tmpl = `asd`;</script>', goErr: '', jinja: '<script>var tmpl = `asd`;</script>', want: OK },
  { go: '<script>var tmpl = `${1}`;</script>', goErr: '', jinja: '<script>var tmpl = `${1}`;</script>', want: OK },
  { go: '<script>var tmpl = `${return ``}`;</script>', goErr: '', jinja: '<script>var tmpl = `${return ``}`;</script>', want: OK },
  { go: '<script>var tmpl = `${return {{.}} }`;</script>', goErr: '', jinja: '<script>var tmpl = `${return {{ x }} }`;</script>', want: OK },
  { go: '<script>var tmpl = `${ let a = {1:1} {{.}} }`;</script>', goErr: '', jinja: '<script>var tmpl = `${ let a = {1:1} {{ x }} }`;</script>', want: OK },
  { go: '<script>var tmpl = `asd ${return "{"}`;</script>', goErr: '', jinja: '<script>var tmpl = `asd ${return "{"}`;</script>', want: OK },
  { go: '{{if .Cond}}<a{{end}}', goErr: 'z:1:5: {{if}} branches', jinja: '{% if Cond %}<a{% endif %}', want: { code: 'TEMPLATE_BRANCH_CONTEXT' } },
  {
    go: '{{if .Cond}}\n{{else}}\n<a{{end}}',
    goErr: 'z:1:5: {{if}} branches',
    jinja: '{% if Cond %}\n{% else %}\n<a{% endif %}',
    want: { code: 'TEMPLATE_BRANCH_CONTEXT' },
  },
  {
    go: '{{if .Cond}}<a href="foo">{{else}}<a href="bar>{{end}}',
    goErr: 'z:1:5: {{if}} branches',
    jinja: '{% if Cond %}<a href="foo">{% else %}<a href="bar>{% endif %}',
    want: { code: 'TEMPLATE_BRANCH_CONTEXT' },
  },
  {
    go: "<a {{if .Cond}}href='{{else}}title='{{end}}{{.X}}'>",
    goErr: 'z:1:8: {{if}} branches',
    jinja: "<a {% if Cond %}href='{% else %}title='{% endif %}{{ X }}'>",
    want: { code: 'TEMPLATE_BRANCH_CONTEXT' },
  },
  { go: '\n{{with .X}}<a{{end}}', goErr: 'z:2:7: {{with}} branches', jinja: '\n{% if X %}<a{% endif %}', want: { code: 'TEMPLATE_BRANCH_CONTEXT' } },
  {
    go: '\n{{with .X}}<a>{{else}}<a{{end}}',
    goErr: 'z:2:7: {{with}} branches',
    jinja: '\n{% if X %}<a>{% else %}<a{% endif %}',
    want: { code: 'TEMPLATE_BRANCH_CONTEXT' },
  },
  {
    go: '{{range .Items}}<a{{end}}',
    goErr: 'z:1: on range loop re-entry: "<" in attribute name: "<a"',
    jinja: '{% for i in Items %}<a{% endfor %}',
    want: { code: 'TEMPLATE_PARTIAL_NAME' },
  },
  {
    go: "\n{{range .Items}} x='<a{{end}}",
    goErr: 'z:2:8: on range loop re-entry: {{range}} branches',
    jinja: "\n{% for i in Items %} x='<a{% endfor %}",
    want: { code: 'TEMPLATE_LOOP_CONTEXT' },
  },
  {
    go: '{{range .Items}}<a{{if .X}}{{break}}{{end}}>{{end}}',
    goErr: 'z:1:29: at range loop break: {{range}} branches end in different contexts',
    jinja: null,
    want: null,
    why: "Palisade has no {% continue %} or {% break %} (Jinja's loopcontrols extension).",
  },
  {
    go: '{{range .Items}}<a{{if .X}}{{continue}}{{end}}>{{end}}',
    goErr: 'z:1:29: at range loop continue: {{range}} branches end in different contexts',
    jinja: null,
    want: null,
    why: "Palisade has no {% continue %} or {% break %} (Jinja's loopcontrols extension).",
  },
  {
    go: '{{range .Items}}{{if .X}}{{break}}{{end}}<a{{if .Y}}{{continue}}{{end}}>{{if .Z}}{{continue}}{{end}}{{end}}',
    goErr: 'z:1:54: at range loop continue: {{range}} branches end in different contexts',
    jinja: null,
    want: null,
    why: "Palisade has no {% continue %} or {% break %} (Jinja's loopcontrols extension).",
  },
  {
    go: '<a b=1 c={{.H}}',
    goErr: 'z: ends in a non-text context: {stateAttr delimSpaceOrTagEnd',
    jinja: '<a b=1 c={{ H }}',
    want: { code: 'TEMPLATE_UNTERMINATED' },
  },
  { go: '<script>foo();', goErr: 'z: ends in a non-text context: {stateJS', jinja: '<script>foo();', want: { code: 'TEMPLATE_UNTERMINATED' } },
  {
    go: '<a href="{{if .F}}/foo?a={{else}}/bar/{{end}}{{.H}}">',
    goErr: 'z:1:47: {{.H}} appears in an ambiguous context within a URL',
    jinja: '<a href="{% if F %}/foo?a={% else %}/bar/{% endif %}{{ H }}">',
    want: OK,
    why: 'Palisade encodes every value after the start of a URL as one component, which is right in a path and in a query alike, so both branches leave the value in the same context.',
  },
  {
    go: '<a onclick="alert(\'Hello \\',
    goErr: 'unfinished escape sequence in JS string: "Hello \\\\"',
    jinja: '<a onclick="alert(\'Hello \\',
    want: { code: 'TEMPLATE_UNTERMINATED' },
  },
  {
    go: '<a onclick=\'alert("Hello\\, World\\',
    goErr: 'unfinished escape sequence in JS string: "Hello\\\\, World\\\\"',
    jinja: '<a onclick=\'alert("Hello\\, World\\',
    want: { code: 'TEMPLATE_UNTERMINATED' },
  },
  {
    go: "<a onclick='alert(/x+\\",
    goErr: 'unfinished escape sequence in JS string: "x+\\\\"',
    jinja: "<a onclick='alert(/x+\\",
    want: { code: 'TEMPLATE_UNTERMINATED' },
  },
  { go: '<a onclick="/foo[\\]/', goErr: 'unfinished JS regexp charset: "foo[\\\\]/"', jinja: '<a onclick="/foo[\\]/', want: { code: 'TEMPLATE_UNTERMINATED' } },
  {
    go: '<script>{{if false}}var x = 1{{end}}/-{{"1.5"}}/i.test(x)</script>',
    goErr: '\'/\' could start a division or regexp: "/-"',
    jinja: '<script>{% if false %}var x = 1{% endif %}/-{{ "1.5" }}/i.test(x)</script>',
    want: { code: 'TEMPLATE_AMBIGUOUS_JS_SLASH' },
  },
  { go: '{{template "foo"}}', goErr: 'z:1:11: no such template "foo"', jinja: '{% include "foo" %}', want: { code: 'TEMPLATE_NOT_FOUND' } },
  {
    go: '<div{{template "y"}}>{{define "y"}} foo<b{{end}}',
    goErr: '"<" in attribute name: " foo<b"',
    jinja: '{% macro y() %} foo<b{% endmacro %}<div{{ y() }}>',
    want: { code: 'TEMPLATE_UNTERMINATED' },
  },
  {
    go: '<script>reverseList = [{{template "t"}}]</script>{{define "t"}}{{if .Tail}}{{template "t" .Tail}}{{end}}{{.Head}}",{{end}}',
    goErr: ': cannot compute output context for template t$htmltemplate_stateJS_elementScript',
    jinja: '{% macro t(d) %}{% if d.Tail %}{{ t(d.Tail) }}{% endif %}{{ d.Head }}",{% endmacro %}<script>reverseList = [{{ t(list) }}]</script>',
    want: OK,
    why: 'The macro is HTML text, so its unbalanced `"` cannot open a JS string: called in the script it is one JS string value.',
  },
  {
    go: '<input type=button value=onclick=>',
    goErr: 'html/template:z: "=" in unquoted attr: "onclick="',
    jinja: '<input type=button value=onclick=>',
    want: OK,
    why: "Static markup is the author's: the browser keeps `=` in an unquoted value (a parse error it recovers from), and no value is involved.",
  },
  {
    go: '<input type=button value= onclick=>',
    goErr: 'html/template:z: "=" in unquoted attr: "onclick="',
    jinja: '<input type=button value= onclick=>',
    want: OK,
    why: "Static markup is the author's, as above.",
  },
  {
    go: '<input type=button value= 1+1=2>',
    goErr: 'html/template:z: "=" in unquoted attr: "1+1=2"',
    jinja: '<input type=button value= 1+1=2>',
    want: OK,
    why: "Static markup is the author's, as above.",
  },
  {
    go: '<a class=`foo>',
    goErr: 'html/template:z: "`" in unquoted attr: "`foo"',
    jinja: '<a class=`foo>',
    want: OK,
    why: "Static markup is the author's, as above.",
  },
  {
    go: "<a style=font:'Arial'>",
    goErr: 'html/template:z: "\'" in unquoted attr: "font:\'Arial\'"',
    jinja: "<a style=font:'Arial'>",
    want: OK,
    why: "Static markup is the author's, as above.",
  },
  {
    go: '<a=foo>',
    goErr: ': expected space, attr name, or end of tag, but got "=foo>"',
    jinja: '<a=foo>',
    want: OK,
    why: "Static markup is the author's: the tokenizer reads `=foo` as an attribute name (HTML §13.2.5.32), and no value is involved.",
  },
  {
    go: 'Hello, {{. | urlquery | print}}!',
    goErr: 'predefined escaper "urlquery" disallowed in template',
    jinja: 'Hello, {{ x|urlencode|string }}!',
    want: OK,
    why: 'Escaping in Palisade is not a pipeline stage a template can reorder: `|urlencode` and `|e` are ordinary filters whose results are typed (SafeURL, Markup), and the result is still escaped for where it lands.',
  },
  {
    go: 'Hello, {{. | html | print}}!',
    goErr: 'predefined escaper "html" disallowed in template',
    jinja: 'Hello, {{ x|e|string }}!',
    want: OK,
    why: 'As above: `|e` is an ordinary filter.',
  },
  {
    go: 'Hello, {{html . | print}}!',
    goErr: 'predefined escaper "html" disallowed in template',
    jinja: 'Hello, {{ x|escape|string }}!',
    want: OK,
    why: 'As above: `|escape` is an ordinary filter.',
  },
  {
    go: '<div class={{. | html}}>Hello<div>',
    goErr: 'predefined escaper "html" disallowed in template',
    jinja: '<div class={{ x|e }}>Hello<div>',
    want: OK,
    why: 'As above; the unquoted value is also quoted by Palisade.',
  },
  {
    go: 'Hello, {{. | urlquery | html}}!',
    goErr: 'predefined escaper "urlquery" disallowed in template',
    jinja: 'Hello, {{ x|urlencode|e }}!',
    want: OK,
    why: 'As above.',
  },
];

const render = (jinja: string, data: Record<string, unknown>): string => renderString(jinja, data, { strict: false, name: 'z' });

function check(jinja: string, data: Record<string, unknown>, want: string | { code: string }): void {
  if (typeof want === 'string') {
    assert.equal(render(jinja, data), want);
    return;
  }
  assert.throws(
    () => render(jinja, data),
    (e: unknown) => e instanceof TemplateError && e.code === want.code,
  );
}

describe('TestEscape', () => {
  for (const row of ESCAPE) {
    test(row.name, () => {
      const want = row.want === SAME ? row.goOut : row.want;
      assert.equal(row.why === undefined, row.want === SAME, 'a row differs from Go exactly when it says why');
      if (typeof row.want === 'string') assert.notEqual(row.want, row.goOut, 'a row equal to Go is written SAME');
      check(row.jinja, { ...DATA, v: row.v }, want);
    });
  }
});

describe('TestEscapeSet', () => {
  for (const row of SETS) {
    test(row.name, () => {
      assert.equal(row.why === undefined, row.want === SAME, 'a row differs from Go exactly when it says why');
      check(row.jinja, SET_DATA, row.want === SAME ? row.goOut : row.want);
    });
  }
});

describe('TestErrors', () => {
  for (const row of ERRORS) {
    test(row.go, () => {
      if (row.jinja === null || row.want === null) {
        assert.ok(row.why, 'a row that is not ported says why');
        return;
      }
      const agreesWithGo = row.goErr === '' ? row.want === OK : row.want !== OK;
      if (!agreesWithGo) assert.ok(row.why, 'a row whose outcome differs from Go says why');
      if (row.want === OK) assert.doesNotThrow(() => render(row.jinja!, ERROR_DATA));
      else check(row.jinja, ERROR_DATA, row.want);
    });
  }
});
