// Every escaper must be exact: what it writes decodes, in its language, back to the input.
// Go's html_test.go pushes every ASCII character through its escapers; so do these, using
// parse5 (the HTML Standard's parser) to decode HTML, and the JS/JSON/URL decoders.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseFragment, parse } from 'parse5';
import { escapeHTML, escapeHTMLUnquoted, escapeRCDATA } from '../../src/escape/html.js';
import { escapeJSRegexp, escapeJSString, escapeJSTemplate, jsValue } from '../../src/escape/js.js';
import { escapeURLComponent } from '../../src/escape/url.js';
import { escapeCSSString } from '../../src/escape/css.js';
import { toJSONForScript } from '../../src/escape/json.js';

const ASCII = Array.from({ length: 128 }, (_, i) => String.fromCharCode(i));
// NUL is replaced by U+FFFD by design (the parser would drop or replace it too).
const SAMPLES = [...ASCII.filter((c) => c !== '\0').map((c) => `a${c}b`), ASCII.slice(1).join(''), '😀 שלום \u2028\u2029'];

type N = { nodeName: string; value?: string; attrs?: { name: string; value: string }[]; childNodes?: N[] };
const textOf = (n: N): string => (n.nodeName === '#text' ? n.value! : (n.childNodes ?? []).map(textOf).join(''));

test('escapeHTML round-trips through the HTML parser in text and quoted attributes', () => {
  for (const s of SAMPLES) {
    const frag = parseFragment(`<p>${escapeHTML(s)}</p>`) as unknown as N;
    assert.equal(textOf(frag), s, JSON.stringify(s));
    for (const q of ['"', "'"]) {
      const el = (parseFragment(`<p title=${q}${escapeHTML(s)}${q}></p>`) as unknown as N).childNodes![0]!;
      assert.equal(el.attrs![0]!.value, s, `${q} ${JSON.stringify(s)}`);
    }
  }
});

test('escapeHTMLUnquoted round-trips in an unquoted attribute and never ends it', () => {
  for (const s of SAMPLES) {
    const el = (parseFragment(`<p title=x${escapeHTMLUnquoted(s)} id=y></p>`) as unknown as N).childNodes![0]!;
    assert.deepEqual(
      el.attrs!.map((a) => a.name),
      ['title', 'id'],
      JSON.stringify(s),
    );
    assert.equal(el.attrs![0]!.value, 'x' + s, JSON.stringify(s));
  }
});

test('escapeRCDATA round-trips in textarea and title, leading newline included', () => {
  for (const s of [...SAMPLES, '\nleading', '\r\nx\ry']) {
    // The compiler writes a newline after <textarea> before a value (the parser drops it).
    const doc = parse(`<title>${escapeRCDATA(s)}</title><textarea>\n${escapeRCDATA(s)}</textarea>`) as unknown as N;
    const html = doc.childNodes!.find((n) => n.nodeName === 'html')!;
    const head = html.childNodes![0]!;
    const body = html.childNodes![1]!;
    assert.equal(textOf(head), s, JSON.stringify(s));
    assert.equal(textOf(body), s, JSON.stringify(s));
  }
});

test('JS string, template and regexp escapers round-trip through the JS parser', () => {
  for (const s of SAMPLES) {
    for (const q of ['"', "'"]) assert.equal(new Function(`return ${q}${escapeJSString(s)}${q}`)(), s, JSON.stringify(s));
    assert.equal(new Function(`return \`${escapeJSTemplate(s)}\``)(), s, JSON.stringify(s));
    const re = new Function(`return /${escapeJSRegexp(s)}/`)() as RegExp;
    assert.equal(re.exec(s)?.[0], s, `regexp ${JSON.stringify(s)}`);
    const reU = new Function(`return /${escapeJSRegexp(s)}/u`)() as RegExp;
    assert.equal(reU.exec(s)?.[0], s, `unicode regexp ${JSON.stringify(s)}`);
    assert.equal(new Function(`return ${jsValue(s)}`)(), s);
    assert.equal(JSON.parse(`"${escapeJSString(s)}"`), s, 'a JSON string too');
    for (const out of [escapeJSString(s), escapeJSTemplate(s), escapeJSRegexp(s), jsValue(s)]) {
      assert.ok(!/[<>&\n\r\u2028\u2029]/.test(out), `no raw < > & or line break: ${out}`);
    }
  }
});

test("toJSONForScript and jsValue keep values and never contain < > & ' U+2028", () => {
  const values: unknown[] = [{ a: '</script><!--', b: [1, -2.5, true, null], "c'": '\u2028&' }, -1, 'x', [], {}, null];
  for (const v of values) {
    const j = toJSONForScript(v);
    assert.deepEqual(JSON.parse(j), v);
    assert.ok(!/[<>&'\u2028\u2029]/.test(j), j);
    assert.deepEqual(new Function(`return ${jsValue(v)}`)(), v);
  }
  assert.equal(jsValue(-1), ' -1', 'a leading minus gets a space, so a-{{ n }} is not a--1');
  assert.equal(jsValue(undefined), 'null');
});

test('URL component escaping round-trips through decodeURIComponent', () => {
  for (const s of SAMPLES) {
    const e = escapeURLComponent(s);
    assert.match(e, /^[A-Za-z0-9\-._~%]*$/);
    assert.equal(decodeURIComponent(e), s);
  }
});

// A CSS string decoder per CSS Syntax §4.3.5/§4.3.7, enough for the escaper's output.
function decodeCSSString(s: string): string {
  return s.replace(/\\([0-9a-fA-F]{1,6})[ \t\n]?|\\([\s\S])/g, (_, hex: string | undefined, ch: string | undefined) =>
    hex !== undefined ? String.fromCodePoint(parseInt(hex, 16)) : ch!,
  );
}

test('escapeCSSString round-trips and never writes a quote, newline, < or >', () => {
  for (const s of SAMPLES) {
    const e = escapeCSSString(s);
    assert.ok(!/["'<>\n\r\f;{}()]/.test(e), e);
    assert.equal(decodeCSSString(e), s, JSON.stringify(s));
  }
});

test('escapeHTML: short and long strings, each special character at each position', () => {
  const ref = (s: string): string =>
    s.replace(/[&<>"'\0\r]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&#34;', "'": '&#39;', '\0': '\ufffd', '\r': '&#13;' })[c]!);
  for (const c of ['&', '<', '>', '"', "'", '\0', '\r', 'é', '😀', '=']) {
    for (let n = 1; n <= 12; n++) {
      for (let at = 0; at < n; at++) {
        const s = 'abcdefghijkl'.slice(0, at) + c + 'mnopqrstuvwx'.slice(0, n - at - 1);
        assert.equal(escapeHTML(s), ref(s), JSON.stringify(s));
        assert.equal(escapeHTML(s + c), ref(s + c), JSON.stringify(s + c));
      }
    }
  }
  assert.equal(escapeHTML(''), '');
});
