// Ifs and loops inside a start tag: right after the tag name, between attributes, after an
// attribute name, at the end of an unquoted value (static, or one Palisade quotes because it
// starts with a value), with else branches, nested, and loops writing attributes. Each
// template compiles, and parse5 (the HTML Standard's parser) reads back the attributes the
// taken path wrote, with their values; attacker-chosen values and names add nothing. What
// is really ambiguous (a value or text that continues a name or a value written on one path
// only) is still refused, with its code, line and column.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseFragment } from 'parse5';
import { renderString } from '../../src/templates/index.js';
import { assertCompileError } from './compile-error.js';

type El = { nodeName: string; attrs?: { name: string; value: string }[]; childNodes?: El[] };

/** The elements of a fragment, as the browser's parser builds them: `name[attr=value,…]`. */
function elements(html: string): string[] {
  const out: string[] = [];
  const walk = (n: El): void => {
    if (n.attrs !== undefined) out.push(`${n.nodeName}[${n.attrs.map((a) => `${a.name}=${a.value}`).join(',')}]`);
    for (const c of n.childNodes ?? []) walk(c);
  };
  walk(parseFragment(html) as unknown as El);
  return out;
}

const r = (src: string, ctx: Record<string, unknown>): string => renderString(src, ctx, { strict: true });

const ACCEPTED: [string, string, Record<string, unknown>, string][] = [
  // [name, template, data, the first element as parsed]
  ['if right after the tag name', '<input{% if on %} checked{% endif %} name=n>', { on: true }, 'input[checked=,name=n]'],
  ['if right after the tag name, not taken', '<input{% if on %} checked{% endif %} name=n>', { on: false }, 'input[name=n]'],
  ['|attrname in an if right after the tag name', '<input{% if on %} {{ a|attrname }}{% endif %} name=n>', { on: true, a: 'data-x' }, 'input[data-x=,name=n]'],
  ['if with an else right after the tag name', '<input{% if on %} checked{% else %} disabled{% endif %}>', { on: false }, 'input[disabled=]'],
  ['nested ifs', '<input{% if a %} checked{% if b %} disabled{% endif %}{% endif %}/>', { a: true, b: true }, 'input[checked=,disabled=]'],
  ['if then a self-closing slash', '<br{% if a %} class="x"{% endif %}/>', { a: true }, 'br[class=x]'],
  ['loop of |attrname right after the tag name', '<input{% for a in names %} {{ a|attrname }}{% endfor %}>', { names: ['p', 'q'] }, 'input[p=,q=]'],
  ['loop of names with values', '<p{% for k in names %} {{ k|attrname }}="{{ k }}!"{% endfor %}>', { names: ['p', 'q'] }, 'p[p=p!,q=q!]'],
  [
    'between attributes, space inside the if',
    '<input type=checkbox {% if on %}checked {% endif %}name=n>',
    { on: true },
    'input[type=checkbox,checked=,name=n]',
  ],
  [
    'loop ending after a name and a space',
    '<input {% for a in names %}{{ a|attrname }} {% endfor %}name=n>',
    { names: ['data-x', 'y'] },
    'input[data-x=,y=,name=n]',
  ],
  ['after a quoted value', '<option value="{{ v }}"{% if sel %} selected{% endif %}>', { v: 'a"b', sel: true }, 'option[value=a"b,selected=]'],
  ['after a static unquoted value', '<input type=checkbox{% if on %} checked{% endif %}>', { on: true }, 'input[type=checkbox,checked=]'],
  ['after a static unquoted value, not taken', '<input type=checkbox{% if on %} checked{% endif %}>', { on: false }, 'input[type=checkbox]'],
  ['after a value Palisade quotes', '<option value={{ v }}{% if sel %} selected{% endif %}>x</option>', { v: 'a b', sel: true }, 'option[value=a b,selected=]'],
  [
    'after a value Palisade quotes, not taken',
    '<option value={{ v }}{% if sel %} selected{% endif %}>x</option>',
    { v: 'a b', sel: false },
    'option[value=a b]',
  ],
  [
    'after a value Palisade quotes, with an else',
    '<option value={{ v }}{% if sel %} selected{% else %} class=o{% endif %}>x</option>',
    { v: '', sel: false },
    'option[value=,class=o]',
  ],
  [
    'loop after a value Palisade quotes',
    '<option value={{ v }}{% for a in names %} {{ a|attrname }}{% endfor %}>x</option>',
    { v: 'v', names: ['p', 'q'] },
    'option[value=v,p=,q=]',
  ],
  ['a URL Palisade quotes, then an if', '<a href={{ u }}{% if t %} title={{ t }}{% endif %}>x</a>', { u: '/a b', t: 'T' }, 'a[href=/a%20b,title=T]'],
  ['script tag with an if keeps its nonce place', '<script{% if a %} async{% endif %}>1</script>', { a: true }, 'script[async=]'],
];

for (const [name, src, ctx, want] of ACCEPTED) {
  test(`accepted: ${name}`, () => assert.equal(elements(r(src, ctx))[0], want, r(src, ctx)));
}

test('accepted forms keep their CSP nonce and CSRF field', async () => {
  const { runInScope } = await import('../../src/http/context.js');
  const out = runInScope({ request: null, nonce: 'n1', csrfToken: () => 't' }, () =>
    r('<script{% if a %} async{% endif %}>1</script><form method=post{% if a %} class=f{% endif %}>', { a: true }),
  );
  assert.ok(out.startsWith('<script async nonce="n1">1</script>'), out);
});

// Attacks: names and values chosen by an attacker inside these branches add nothing.
const ATTACK_NAMES = ['onclick', 'x onclick=alert(1)', 'style', 'href', '"><script>alert(1)</script>', 'a=b', 'srcdoc'];
const ATTACK_VALUES = ['x onmouseover=alert(1)', '"><img src=x onerror=alert(1)>', "' autofocus onfocus=alert(1) '", '', ' '];

test('attacks: names through |attrname and values in these forms add no attribute or element', () => {
  for (const a of ATTACK_NAMES) {
    for (const src of ['<input{% if on %} {{ a|attrname }}{% endif %} name=n>', '<input{% for x in [a] %} {{ x|attrname }}{% endfor %} name=n>']) {
      const els = elements(r(src, { on: true, a }));
      assert.deepEqual(els, ['input[data-palisade-unsafe=,name=n]'], `${src} with ${JSON.stringify(a)}`);
    }
  }
  for (const v of ATTACK_VALUES) {
    for (const sel of [true, false]) {
      const els = elements(r('<option value={{ v }}{% if sel %} selected{% endif %} id=o>x</option>', { v, sel }));
      assert.deepEqual(els, [`option[value=${v},${sel ? 'selected=,' : ''}id=o]`], JSON.stringify(v));
    }
  }
});

const REFUSED: [string, string, string, number, number][] = [
  // [name, template, code, line, column]
  ['text continues the tag name', '<input{% if a %}x{% endif %}>', 'TEMPLATE_PARTIAL_NAME', 1, 17],
  ['a value continues the tag name', '<input{% if a %}{{ v }}{% endif %}>', 'TEMPLATE_PARTIAL_NAME', 1, 17],
  ['a value right after part of a tag name', '<in{{ v }}>', 'TEMPLATE_PARTIAL_NAME', 1, 4],
  ['a tag name finished by an if', '<scr{% if x %}ipt{% endif %}>', 'TEMPLATE_PARTIAL_NAME', 1, 15],
  ['an end tag name finished by an if', 'x</scr{% if x %}ipt{% endif %}>', 'TEMPLATE_PARTIAL_NAME', 1, 17],
  ['a value for a name one path wrote', '<input{% if a %} checked{% endif %}=1>', 'TEMPLATE_PARTIAL_NAME', 1, 36],
  ['a value for a name one path wrote, after a space', '<input {% if a %}checked {% endif %}= x>', 'TEMPLATE_PARTIAL_NAME', 1, 37],
  ['a name glued to a name one path wrote', '<input{% if a %} checked{% endif %}{{ n|attrname }}>', 'TEMPLATE_PARTIAL_NAME', 1, 36],
  ['a slash that continues an unquoted value', '<input type=checkbox{% if a %} checked{% endif %}/>', 'TEMPLATE_PARTIAL_NAME', 1, 50],
  ['an unquoted value that ends on one path only', '<br{% if a %} class=a{% endif %}/>', 'TEMPLATE_PARTIAL_NAME', 1, 33],
  ['a quoted-by-Palisade value that goes on in one path', '<a href={{ u }}{% if a %} title=x{% else %}/b{% endif %}>', 'TEMPLATE_PARTIAL_NAME', 1, 44],
  ['an attribute opened in one branch', '<p {% if x %}title="{% else %}id="a"{% endif %}>', 'TEMPLATE_BRANCH_CONTEXT', 1, 7],
];

for (const [name, source, code, line, column] of REFUSED) {
  test(`refused: ${name}`, () => {
    assertCompileError(source, code, line, column);
  });
}

test('a URL value Palisade quotes may still go on inside an if', () => {
  assert.equal(r('<a href={{ u }}{% if a %}/b{% endif %}>', { u: '/x', a: true }), '<a href="/x/b">');
});

test('a path that ends inside a value Palisade quotes gets its closing quote', () => {
  const src = '<a href={{ u }}{% if t %} title={{ t }}{% elif c %} class={{ c }}{% endif %}>x</a>';
  assert.deepEqual(elements(r(src, { u: '/a', t: 'a b', c: '' })), ['a[href=/a,title=a b]']);
  assert.deepEqual(elements(r(src, { u: '/a', t: '', c: 'k l' })), ['a[href=/a,class=k l]']);
  assert.deepEqual(elements(r(src, { u: '/a', t: '', c: '' })), ['a[href=/a]']);
  const loop = '<p{% for k in names %} {{ k|attrname }}={{ k }}{% endfor %} id=x>';
  assert.deepEqual(elements(r(loop, { names: ['a', 'b'] })), ['p[a=a,b=b,id=x]']);
  assert.deepEqual(elements(r(loop, { names: [] })), ['p[id=x]']);
});
