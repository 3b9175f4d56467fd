/**
 * The shared table of escaping cases: every context a value can land in, crossed with
 * malicious and benign payloads. The template engine runs it (test/escape/cases.test.ts,
 * e2e/templates.test.ts); the `html` tagged template will run the same table by splitting
 * each `template` on HOLE.
 *
 * Malicious payloads call `__pwned(id)`; the browser test fails if any such call happens or
 * if the DOM gains an element or attribute. Benign payloads must read back unchanged.
 */

/** The hole in every template below. */
export const HOLE = '{{ v }}';

/** How the browser reads the value back; see e2e/templates.test.ts. */
export type Reader =
  | { kind: 'text' }
  | { kind: 'attr'; name: string; prefix?: string }
  | { kind: 'attr-json'; name: string }
  | { kind: 'href' }
  | { kind: 'query'; name: string }
  | { kind: 'path'; prefix: string }
  | { kind: 'srcset' }
  | { kind: 'js' }
  | { kind: 'regexp' }
  | { kind: 'click-js' }
  | { kind: 'json' }
  | { kind: 'css-quotes' }
  | { kind: 'css-color' }
  | { kind: 'css-url' }
  | { kind: 'title' }
  | { kind: 'textarea' }
  | { kind: 'srcdoc' }
  | { kind: 'none' };

export interface ContextCase {
  readonly id: string;
  /** A page fragment with one HOLE; the element that carries the value has id="t". */
  readonly template: string;
  readonly read: Reader;
  /**
   * Which benign values must read back exactly: `text` (every benign string), `url` (the
   * benign URLs, compared after URL resolution), `css` (the benign CSS values, compared
   * as computed styles), `none` (the value is dropped).
   */
  readonly fidelity: 'text' | 'url' | 'css' | 'none';
  /** Uses template syntax beyond one hole (a filter), so only the template engine runs it. */
  readonly templateOnly?: boolean;
}

export const CONTEXTS: readonly ContextCase[] = [
  { id: 'html-text', template: '<p id="t">{{ v }}</p>', read: { kind: 'text' }, fidelity: 'text' },
  { id: 'attr-dq', template: '<p id="t" title="{{ v }}">x</p>', read: { kind: 'attr', name: 'title' }, fidelity: 'text' },
  { id: 'attr-sq', template: '<p id="t" title=\'{{ v }}\'>x</p>', read: { kind: 'attr', name: 'title' }, fidelity: 'text' },
  { id: 'attr-unquoted', template: '<p id="t" title={{ v }} class=k>x</p>', read: { kind: 'attr', name: 'title' }, fidelity: 'text' },
  { id: 'attr-unquoted-after-text', template: '<p id="t" title=a{{ v }} class=k>x</p>', read: { kind: 'attr', name: 'title', prefix: 'a' }, fidelity: 'text' },
  { id: 'url-href', template: '<a id="t" href="{{ v }}">x</a>', read: { kind: 'href' }, fidelity: 'url' },
  { id: 'url-unquoted', template: '<a id="t" href={{ v }}>x</a>', read: { kind: 'href' }, fidelity: 'url' },
  { id: 'url-query', template: '<a id="t" href="/search?q={{ v }}&amp;page=1">x</a>', read: { kind: 'query', name: 'q' }, fidelity: 'text' },
  { id: 'url-path', template: '<a id="t" href="/users/{{ v }}/edit">x</a>', read: { kind: 'path', prefix: '/users/' }, fidelity: 'text' },
  { id: 'srcset', template: '<img id="t" alt="" srcset="{{ v }}">', read: { kind: 'srcset' }, fidelity: 'url' },
  { id: 'js-dq-string', template: '<script>window.__v = "{{ v }}";</script><p id="t">x</p>', read: { kind: 'js' }, fidelity: 'text' },
  { id: 'js-sq-string', template: '<script>window.__v = \'{{ v }}\';</script><p id="t">x</p>', read: { kind: 'js' }, fidelity: 'text' },
  { id: 'js-template-literal', template: '<script>window.__v = `{{ v }}`;</script><p id="t">x</p>', read: { kind: 'js' }, fidelity: 'text' },
  { id: 'js-string-in-substitution', template: '<script>window.__v = `${"{{ v }}"}`;</script><p id="t">x</p>', read: { kind: 'js' }, fidelity: 'text' },
  { id: 'js-expression', template: '<script>window.__v = {{ v }};</script><p id="t">x</p>', read: { kind: 'js' }, fidelity: 'text' },
  { id: 'js-regexp', template: '<script>window.__r = /{{ v }}/;</script><p id="t">x</p>', read: { kind: 'regexp' }, fidelity: 'text' },
  { id: 'onclick-sq-string', template: '<button id="t" onclick="window.__v = \'{{ v }}\'">x</button>', read: { kind: 'click-js' }, fidelity: 'text' },
  { id: 'onclick-expression', template: '<button id="t" onclick="window.__v = {{ v }}">x</button>', read: { kind: 'click-js' }, fidelity: 'text' },
  { id: 'script-json', template: '<script id="t" type="application/json">{{ v }}</script>', read: { kind: 'json' }, fidelity: 'text' },
  { id: 'style-string', template: '<style>#t { quotes: "{{ v }}" "x"; }</style><q id="t">x</q>', read: { kind: 'css-quotes' }, fidelity: 'text' },
  { id: 'style-attr-string', template: '<q id="t" style="quotes: \'{{ v }}\' \'x\'">x</q>', read: { kind: 'css-quotes' }, fidelity: 'text' },
  { id: 'style-value', template: '<style>#t { color: {{ v }}; }</style><p id="t">x</p>', read: { kind: 'css-color' }, fidelity: 'css' },
  { id: 'style-attr-value', template: '<p id="t" style="color: {{ v }}">x</p>', read: { kind: 'css-color' }, fidelity: 'css' },
  { id: 'style-attr-url', template: '<p id="t" style="background-image: url(\'{{ v }}\')">x</p>', read: { kind: 'css-url' }, fidelity: 'url' },
  { id: 'rcdata-title', template: '<title>{{ v }}</title><p id="t">x</p>', read: { kind: 'title' }, fidelity: 'text' },
  { id: 'rcdata-textarea', template: '<textarea id="t">{{ v }}</textarea>', read: { kind: 'textarea' }, fidelity: 'text' },
  { id: 'html-comment', template: '<!-- {{ v }} --><p id="t">x</p>', read: { kind: 'none' }, fidelity: 'none' },
  { id: 'srcdoc', template: '<iframe id="t" srcdoc="{{ v }}"></iframe>', read: { kind: 'srcdoc' }, fidelity: 'text' },
  // Inside SVG and MathML, where title, xmp and their kind hold markup (templates/foreign.ts).
  { id: 'svg-text', template: '<svg><text id="t">{{ v }}</text></svg>', read: { kind: 'text' }, fidelity: 'text' },
  { id: 'svg-xmp', template: '<svg><xmp id="t">{{ v }}</xmp></svg>', read: { kind: 'text' }, fidelity: 'text' },
  { id: 'svg-cdata', template: '<svg><text id="t"><![CDATA[{{ v }}]]></text></svg>', read: { kind: 'text' }, fidelity: 'text' },
  { id: 'svg-title-link', template: '<svg><title><a id="t" href="{{ v }}">x</a></title></svg>', read: { kind: 'href' }, fidelity: 'url' },
  { id: 'svg-foreignobject-text', template: '<svg><foreignObject><p id="t">{{ v }}</p></foreignObject></svg>', read: { kind: 'text' }, fidelity: 'text' },
  {
    id: 'math-title-attr-unquoted',
    template: '<math><title><p id="t" title={{ v }} class=k>x</p></title></math>',
    read: { kind: 'attr', name: 'title' },
    fidelity: 'text',
  },
  { id: 'tojson-script', template: '<script>window.__v = {{ v|tojson }};</script><p id="t">x</p>', read: { kind: 'js' }, fidelity: 'text', templateOnly: true },
  { id: 'tojson-attr', template: '<p id="t" data-v="{{ v|tojson }}">x</p>', read: { kind: 'attr-json', name: 'data-v' }, fidelity: 'text', templateOnly: true },
];

export interface Payload {
  readonly id: string;
  readonly value: string;
}

/** Attacks: each calls __pwned(n) if it ever runs, or tries to add markup. */
export const ATTACKS: readonly Payload[] = [
  { id: 'script-tag', value: '<script>__pwned(1)</script>' },
  { id: 'img-onerror', value: '"><img src=x onerror=__pwned(2)>' },
  { id: 'sq-img-onerror', value: "'><img src=x onerror=__pwned(3)>" },
  { id: 'sq-attr', value: "' onmouseover=__pwned(4) x='" },
  { id: 'unquoted-attr', value: 'x onmouseover=__pwned(5) y' },
  { id: 'javascript-url', value: 'javascript:__pwned(6)' },
  { id: 'javascript-url-case', value: 'JaVaScRiPt:__pwned(7)' },
  { id: 'javascript-url-space', value: ' \t javascript:__pwned(8)' },
  { id: 'javascript-url-newline', value: 'java\nscript:__pwned(9)' },
  { id: 'javascript-url-control', value: '\x01javascript:__pwned(10)' },
  { id: 'javascript-url-entity', value: 'javascript&#58;__pwned(11)' },
  { id: 'javascript-url-entity-tab', value: 'java&#x09;script:__pwned(12)' },
  { id: 'data-url', value: 'data:text/html,<script>__pwned(13)</script>' },
  { id: 'close-script', value: '</script><script>__pwned(14)</script>' },
  { id: 'close-script-upper', value: '</SCRIPT ><script>__pwned(15)</script>' },
  { id: 'close-style', value: '</style><script>__pwned(16)</script>' },
  { id: 'close-title', value: '</title><script>__pwned(17)</script>' },
  { id: 'close-textarea', value: '</textarea><script>__pwned(18)</script>' },
  { id: 'close-comment', value: '--><script>__pwned(19)</script><!--' },
  { id: 'dq-string', value: '"; __pwned(20); "' },
  { id: 'sq-string', value: "'; __pwned(21); '" },
  { id: 'backslash-quote', value: '\\"; __pwned(22); //' },
  { id: 'backslash-sq', value: "\\'; __pwned(23); //" },
  { id: 'template-substitution', value: '${__pwned(24)}' },
  { id: 'template-end', value: '`; __pwned(25); `' },
  { id: 'line-separator', value: '\u2028__pwned(26); //\u2029' },
  { id: 'html-comment-in-script', value: '<!--<script>' },
  { id: 'regexp-end', value: '/; __pwned(27); /' },
  { id: 'js-expression', value: '1; __pwned(28)' },
  { id: 'css-expression', value: 'expression(__pwned(29))' },
  { id: 'css-url-js', value: 'red; background: url(javascript:__pwned(30))' },
  { id: 'css-break-rule', value: 'red } body { display: none' },
  { id: 'css-escape', value: '\\3c/style\\3e<script>__pwned(31)</script>' },
  { id: 'srcdoc-script', value: '<script>parent.__pwned(32)</script>' },
  { id: 'srcdoc-entity', value: '&lt;script&gt;parent.__pwned(33)&lt;/script&gt;' },
  { id: 'close-cdata', value: ']]><img src=x onerror=__pwned(34)>' },
];

/** Benign text: must read back unchanged in every `text` fidelity context. */
export const BENIGN: readonly Payload[] = [
  { id: 'plain', value: 'hello world' },
  { id: 'quotes-amp-lt', value: `Tom & Jerry's "show" <3 a<b>c` },
  { id: 'emoji-rtl', value: 'emoji 😀👍🏽 and RTL שלום عربي' },
  { id: 'newlines-tabs', value: 'line1\nline2\n\ttabbed\n' },
  { id: 'backslashes', value: 'C:\\path\\to\\file \\n \\u0041' },
  { id: 'empty', value: '' },
  { id: 'spaces', value: '  leading and trailing  ' },
  { id: 'code-like', value: 'a = b / c; /* x */ // y ${z} `t` {}' },
  { id: 'markup-like', value: '<b>bold</b> &amp; &lt;tags&gt;' },
  { id: 'css-like', value: 'url(x); color: red } @import' },
];

/** Benign URLs: must resolve to the same URL in URL contexts. */
export const BENIGN_URLS: readonly Payload[] = [
  { id: 'https', value: 'https://example.com/a/b?c=1&d=two#frag' },
  { id: 'relative', value: '/notes/42?sort=new&q=a b' },
  { id: 'mailto', value: 'mailto:someone@example.com?subject=Hi there' },
  { id: 'unicode', value: 'https://example.com/пример/😀?q=שלום' },
  { id: 'upper-scheme', value: 'HTTPS://EXAMPLE.COM/X' },
  { id: 'path-relative', value: 'page.html?x="quoted"' },
];

/** Benign CSS values: must arrive unchanged in CSS value contexts. */
export const BENIGN_CSS: readonly Payload[] = [
  { id: 'name', value: 'red' },
  { id: 'hex', value: '#00ff00' },
  { id: 'important', value: 'blue !important' },
];

/**
 * Exact output for some (context, value) pairs: what the template engine writes. Read
 * `[contextId, value, output]`.
 */
export const EXACT: readonly (readonly [string, string, string])[] = [
  ['html-text', '<script>__pwned(1)</script>', '<p id="t">&lt;script&gt;__pwned(1)&lt;/script&gt;</p>'],
  ['html-text', `Tom & Jerry's "show" <3`, '<p id="t">Tom &amp; Jerry&#39;s &#34;show&#34; &lt;3</p>'],
  ['html-text', 'emoji 😀 שלום', '<p id="t">emoji 😀 שלום</p>'],
  ['attr-dq', '"><img src=x onerror=__pwned(2)>', '<p id="t" title="&#34;&gt;&lt;img src=x onerror=__pwned(2)&gt;">x</p>'],
  ['attr-sq', "' onmouseover=__pwned(4) x='", '<p id="t" title=\'&#39; onmouseover=__pwned(4) x=&#39;\'>x</p>'],
  ['attr-unquoted', 'x onmouseover=__pwned(5) y', '<p id="t" title="x onmouseover=__pwned(5) y" class=k>x</p>'],
  ['attr-unquoted', '', '<p id="t" title="" class=k>x</p>'],
  ['attr-unquoted-after-text', 'x onmouseover=y', '<p id="t" title=ax&#32;onmouseover&#61;y class=k>x</p>'],
  ['url-href', 'javascript:__pwned(6)', '<a id="t" href="about:invalid#palisade-unsafe">x</a>'],
  ['url-href', 'JaVaScRiPt:__pwned(7)', '<a id="t" href="about:invalid#palisade-unsafe">x</a>'],
  ['url-href', ' \t javascript:__pwned(8)', '<a id="t" href="about:invalid#palisade-unsafe">x</a>'],
  ['url-href', 'java\nscript:__pwned(9)', '<a id="t" href="about:invalid#palisade-unsafe">x</a>'],
  ['url-href', '\x01javascript:__pwned(10)', '<a id="t" href="about:invalid#palisade-unsafe">x</a>'],
  ['url-href', 'javascript&#58;__pwned(11)', '<a id="t" href="javascript&amp;#58;__pwned(11)">x</a>'],
  ['url-href', 'data:text/html,x', '<a id="t" href="about:invalid#palisade-unsafe">x</a>'],
  ['url-href', 'https://example.com/a b?c=1&d="2"', '<a id="t" href="https://example.com/a%20b?c=1&amp;d=%222%22">x</a>'],
  ['url-href', 'mailto:a@example.com', '<a id="t" href="mailto:a@example.com">x</a>'],
  ['url-unquoted', '/a b', '<a id="t" href="/a%20b">x</a>'],
  ['url-query', 'a&b=c d/é', '<a id="t" href="/search?q=a%26b%3Dc%20d%2F%C3%A9&amp;page=1">x</a>'],
  ['url-path', '../admin', '<a id="t" href="/users/..%2Fadmin/edit">x</a>'],
  ['srcset', 'javascript:x 1x, /ok.png 2x', '<img id="t" alt="" srcset="about:invalid#palisade-unsafe 1x, /ok.png 2x">'],
  ['js-dq-string', '"; __pwned(20); "', '<script>window.__v = "\\u0022; __pwned(20); \\u0022";</script><p id="t">x</p>'],
  ['js-dq-string', '</script><script>', '<script>window.__v = "\\u003c\\/script\\u003e\\u003cscript\\u003e";</script><p id="t">x</p>'],
  ['js-sq-string', "\\'; x", '<script>window.__v = \'\\u005c\\u0027; x\';</script><p id="t">x</p>'],
  ['js-template-literal', '${__pwned(24)}`', '<script>window.__v = `\\u0024{__pwned(24)}\\u0060`;</script><p id="t">x</p>'],
  ['js-expression', '1; __pwned(28)', '<script>window.__v = "1; __pwned(28)";</script><p id="t">x</p>'],
  ['js-expression', '\u2028', '<script>window.__v = "\\u2028";</script><p id="t">x</p>'],
  ['js-regexp', '/; __pwned(27); /', '<script>window.__r = /\\/\\u003b\\u0020__pwned\\(27\\)\\u003b\\u0020\\//;</script><p id="t">x</p>'],
  ['js-regexp', '', '<script>window.__r = /(?:)/;</script><p id="t">x</p>'],
  ['onclick-sq-string', "'; __pwned(21); '", '<button id="t" onclick="window.__v = \'\\u0027; __pwned(21); \\u0027\'">x</button>'],
  ['onclick-expression', 'a"b', '<button id="t" onclick="window.__v = &#34;a\\u0022b&#34;">x</button>'],
  ['script-json', '</script>', '<script id="t" type="application/json">"\\u003c\\/script\\u003e"</script>'],
  ['style-string', '</style><x>', '<style>#t { quotes: "\\3c \\2f style\\3e \\3c x\\3e " "x"; }</style><q id="t">x</q>'],
  ['style-value', 'red } body { display: none', '<style>#t { color: palisadeUnsafe; }</style><p id="t">x</p>'],
  ['style-value', 'expression(__pwned(29))', '<style>#t { color: palisadeUnsafe; }</style><p id="t">x</p>'],
  ['style-attr-value', '#00ff00', '<p id="t" style="color: #00ff00">x</p>'],
  ['style-attr-url', 'javascript:__pwned(30)', '<p id="t" style="background-image: url(\'about:invalid#palisade-unsafe\')">x</p>'],
  ['rcdata-title', '</title><script>', '<title>&lt;/title&gt;&lt;script&gt;</title><p id="t">x</p>'],
  ['rcdata-textarea', '\nfirst line kept', '<textarea id="t">\n&#10;first line kept</textarea>'],
  ['html-text', 'a\r\nb', '<p id="t">a&#13;\nb</p>'],
  ['html-comment', '--><script>__pwned(19)</script>', '<!--  --><p id="t">x</p>'],
  ['srcdoc', '<script>parent.__pwned(32)</script>', '<iframe id="t" srcdoc="&amp;lt;script&amp;gt;parent.__pwned(32)&amp;lt;/script&amp;gt;"></iframe>'],
  ['tojson-script', '</script>', '<script>window.__v = "\\u003c\\/script\\u003e";</script><p id="t">x</p>'],
  ['tojson-attr', `a"b'`, '<p id="t" data-v="&#34;a\\&#34;b\\u0027&#34;">x</p>'],
];
