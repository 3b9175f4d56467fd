// Raw text elements (HTML §13.2.5.3 RAWTEXT, §13.2.5.5 PLAINTEXT): <xmp>, <iframe>,
// <noembed>, <noframes> and <plaintext> have no character references, so a value is written
// as it is and reads back exactly (parse5, the HTML Standard's parser, is the judge); only an
// end tag is broken. <noscript> is raw text with scripting on and HTML with scripting off:
// its values read back exactly where it is shown (scripting off) and end nothing in either
// parse. The template engine and the `html` tag give the same output for every case.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Markup } from '../../src/escape/markup.js';
import { renderString } from '../../src/templates/index.js';
import { ATTACKS, BENIGN } from '../escape/cases.js';
import { byId, parseDoc, renderBoth, shape, textOf } from './read-back.js';

const RAW = ['xmp', 'iframe', 'noembed', 'noframes'] as const;

// What the parser itself changes in any text: CR and CRLF become LF (§13.2.3.5), NUL
// becomes U+FFFD in raw text. A value cannot keep these in raw text; everything else it can.
const parsed = (v: string): string => v.replace(/\r\n?/g, '\n').replace(/\0/g, '\ufffd');

const ASCII = Array.from({ length: 128 }, (_, i) => String.fromCharCode(i)).join('');
const EXTRA = [
  { id: 'ascii', value: ASCII },
  { id: 'end-tag-lookalikes', value: '</xmpl> </ iframe> <\\/noembed> </p> </b>' },
  { id: 'markup-to-show', value: '<p class="a">Tom &amp; Jerry</p>\n<br/>' },
  { id: 'entities-as-text', value: '&amp; &lt; &#60; &quot; &nbsp' },
  { id: 'leading-newline', value: '\nfirst' },
];

test('raw text elements: benign text reads back exactly', () => {
  for (const el of RAW) {
    const template = `<${el} id="t">{{ v }}</${el}><p id="after">x</p>`;
    for (const p of [...BENIGN, ...EXTRA]) {
      const doc = parseDoc(renderBoth(template, p.value));
      assert.equal(textOf(byId(doc, 't')!), parsed(p.value), `${el} × ${p.id}`);
      assert.ok(byId(doc, 'after'), `${el} × ${p.id}: the element ended early or late`);
    }
  }
});

test('plaintext: benign text reads back exactly, and a template may end inside it', () => {
  for (const p of [...BENIGN, ...EXTRA]) {
    const doc = parseDoc(renderBoth('<p>a</p><plaintext id="t">{{ v }}', p.value));
    assert.equal(textOf(byId(doc, 't')!), parsed(p.value), p.id);
  }
  assert.equal(renderString('<plaintext>{{ v }}</plaintext>', { v: '<b>' }), '<plaintext><b></plaintext>');
});

test('raw text: an end tag in a value is broken, not written', () => {
  for (const el of RAW) {
    // A space after the hole: a value ending in `</xmp` would end the element with it.
    const template = `<${el} id="t">{{ v }} </${el}><p id="after">x</p>`;
    const Z = '\u200b'; // U+200B ZERO WIDTH SPACE, after the `<` of each end tag
    const cases: [string, string][] = [
      [`a</${el}><script>alert(1)</script>`, `a<${Z}/${el}><script>alert(1)<${Z}/script> `],
      [`a</${el.toUpperCase()} ><b>`, `a<${Z}/${el.toUpperCase()} ><b> `],
      [`a</${el}\t/`, `a<${Z}/${el}\t/ `],
      [`a</${el}`, `a<${Z}/${el} `],
      [`a</noscript>`, `a<${Z}/noscript> `],
      [`a</${el}x>`, `a</${el}x> `],
    ];
    for (const [v, want] of cases) {
      const doc = parseDoc(renderBoth(template, v));
      assert.equal(textOf(byId(doc, 't')!), want, `${el} × ${JSON.stringify(v)}`);
      assert.ok(byId(doc, 'after'), `${el}: ended early`);
    }
  }
});

test('raw text: a tag the template starts right before a value, or a value ends, is broken too', () => {
  const Z = '\u200b';
  for (const el of RAW) {
    const close = `/${el}><img src=x onerror=alert(1)>`;
    const cases: [string, string, string][] = [
      // [template, value, text of #t]
      [`<${el} id="t">a<{{ v }}</${el}><p id="after">x</p>`, close, `a<${Z}${close}`],
      [`<${el} id="t">a</{{ v }}</${el}><p id="after">x</p>`, close.slice(1), `a</${Z}${close.slice(1)}`],
      [`<${el} id="t">{{ v }}/${el}><p id="x">x</p></${el}><p id="after">x</p>`, '<', `<${Z}/${el}><p id="x">x</p>`],
      [`<${el} id="t">{{ v }}${el}></${el}><p id="after">x</p>`, '</', `<${Z}/${el}>`],
      [`<${el} id="t">a<{{ v }}</${el}><p id="after">x</p>`, 'b', `a<${Z}b`],
    ];
    for (const [template, v, want] of cases) {
      const out = renderBoth(template, v);
      const doc = parseDoc(out);
      assert.equal(textOf(byId(doc, 't')!), want, `${template} × ${JSON.stringify(v)}: ${out}`);
      assert.ok(byId(doc, 'after') && !byId(doc, 'x'), `${el}: ended early: ${out}`);
      assert.deepEqual(
        shape(doc).filter((x) => x.startsWith('img')),
        [],
        out,
      );
    }
  }
  assert.throws(() => renderString('<xmp>a<{% if v %}{% endif %}/xmp></xmp>', { v: 1 }), /TEMPLATE_PARTIAL_NAME/);
});

test('raw text, noscript and plaintext: no attack adds an element or an attribute', () => {
  for (const el of RAW) {
    const template = `<${el} id="t">{{ v }}</${el}><p id="after">x</p>`;
    for (const scripting of [true, false]) {
      const baseline = shape(parseDoc(renderBoth(template, 'x'), scripting)).join(' ');
      for (const p of [
        ...ATTACKS,
        ...EXTRA,
        { id: 'close', value: `</${el}><img src=x onerror=alert(1)>` },
        { id: 'close-noscript', value: '</noscript><img src=x onerror=alert(1)>' },
      ]) {
        const out = renderBoth(template, p.value);
        assert.equal(shape(parseDoc(out, scripting)).join(' '), baseline, `${el} (scripting ${scripting}) × ${p.id}: ${out}`);
      }
    }
  }
});

test('Markup: its text in raw text', () => {
  const m = Markup.unsafeTrust('<b>Tom &amp; Jerry</b> &lt;3');
  assert.equal(renderBoth('<xmp>{{ v }}</xmp>', m), '<xmp>Tom & Jerry <3</xmp>');
});

test('exact outputs', () => {
  assert.equal(renderBoth('<xmp>{{ v }}</xmp>', `Tom & Jerry's "show" <3`), `<xmp>Tom & Jerry's "show" <3</xmp>`);
  assert.equal(renderBoth('<xmp>{{ v }}</xmp>', 'a</XMP>b'), '<xmp>a<\u200b/XMP>b</xmp>');
  assert.equal(renderBoth('<iframe>{{ v }}</iframe>', '</noscript>'), '<iframe><\u200b/noscript></iframe>');
  assert.equal(renderBoth('<plaintext>{{ v }}', '</plaintext>'), '<plaintext></plaintext>');
  // A script data block's content is usually HTML a script inserts: values stay escaped.
  assert.equal(renderBoth('<script type="text/template">{{ v }}</script>', '<b>&'), '<script type="text/template">&lt;b&gt;&amp;</script>');
});
