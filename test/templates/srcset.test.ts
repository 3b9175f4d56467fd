// srcset (img, source, link imagesrcset): a value at the start of a candidate followed by a
// descriptor or another candidate is one URL. It must stay one candidate and resolve to the
// URL it means, whatever it holds (spaces, commas, quotes, `&`, `%`, non-ASCII), and keep
// the scheme filter. A value that is the whole attribute is a list of candidates, each
// filtered. The judge is the HTML Standard's "parse a srcset attribute" algorithm
// (§4.8.4.3.10), written out below, run on what parse5 reads from the attribute.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SafeURL } from '../../src/escape/markup.js';
import { ATTACKS, BENIGN_URLS } from '../escape/cases.js';
import { attrOf, byId, parseDoc, renderBoth, shape } from './read-back.js';

interface Candidate {
  url: string;
  descriptors: string[];
}

const isWS = (c: string | undefined): boolean => c === ' ' || c === '\t' || c === '\n' || c === '\f' || c === '\r';

/** HTML §4.8.4.3.10 "parse a srcset attribute", steps 1–8 (candidates before validation). */
function parseSrcset(input: string): Candidate[] {
  const out: Candidate[] = [];
  let pos = 0;
  for (;;) {
    while (pos < input.length && (isWS(input[pos]) || input[pos] === ',')) pos++;
    if (pos >= input.length) return out;
    const start = pos;
    while (pos < input.length && !isWS(input[pos])) pos++;
    let url = input.slice(start, pos);
    const descriptors: string[] = [];
    if (url.endsWith(',')) {
      url = url.replace(/,+$/, '');
    } else {
      while (pos < input.length && isWS(input[pos])) pos++;
      let current = '';
      let state: 'in' | 'parens' | 'after' = 'in';
      for (;;) {
        const c = input[pos];
        if (state === 'in') {
          if (isWS(c)) {
            if (current !== '') {
              descriptors.push(current);
              current = '';
              state = 'after';
            }
          } else if (c === ',') {
            pos++;
            if (current !== '') descriptors.push(current);
            break;
          } else if (c === '(') {
            current += c;
            state = 'parens';
          } else if (c === undefined) {
            if (current !== '') descriptors.push(current);
            break;
          } else current += c;
        } else if (state === 'parens') {
          if (c === ')') {
            current += c;
            state = 'in';
          } else if (c === undefined) {
            descriptors.push(current);
            break;
          } else current += c;
        } else if (!isWS(c)) {
          if (c === undefined) break;
          state = 'in';
          continue;
        }
        pos++;
      }
    }
    out.push({ url, descriptors });
  }
}

const BASE = 'https://example.com/dir/page';
const resolve = (u: string): string => new URL(u, BASE).href;

/**
 * The URL a value must resolve to: itself, but for commas at its very end, which cannot end
 * a srcset URL and are percent-encoded (what the URL parser strips from the ends goes first).
 */
const expectedURL = (v: string): string =>
  resolve(
    v
      .replace(/^[\0-\x20]+|[\0-\x20]+$/g, '')
      .replace(/[\t\n\r]/g, '')
      .replace(/,+$/, (m) => '%2C'.repeat(m.length)),
  );

const SINGLE: [string, string, string][] = [
  // [id, template, descriptor of the value's candidate]
  ['img, value then descriptor', '<img id="t" srcset="{{ v }} 1x">', '1x'],
  ['img, second candidate', '<img id="t" srcset="a.png 1x, {{ v }} 2x">', '2x'],
  ['img, single-quoted', '<img id="t" srcset=\'{{ v }} 3x, b.png 1x\'>', '3x'],
  ['img, value then another candidate', '<img id="t" srcset="{{ v }}, b.png 2x">', ''],
  ['source', '<picture><source id="t" srcset="{{ v }} 480w, b.png 960w"><img src="c.png"></picture>', '480w'],
  ['link imagesrcset', '<link id="t" rel="preload" as="image" imagesrcset="{{ v }} 2x">', '2x'],
];

const EXTRA_URLS = [
  { id: 'quotes-amp', value: `/img/it's "x" & y.png` },
  { id: 'spaces', value: '/img/a b  c.png' },
  { id: 'percent', value: '/img/100%25 %zz %.png' },
  { id: 'non-ascii', value: '/картинка/😀.png?q=שלום' },
  { id: 'commas', value: '/img/a,b,,c.png?x=1,2' },
  { id: 'leading-comma', value: ',a.png' },
  { id: 'trailing-commas', value: '/a.png,,' },
  { id: 'tab-newline', value: '/a\tb\nc.png' },
  { id: 'descriptor-like', value: '/a.png 2x, /b.png 1x' },
  { id: 'parens', value: '/a(1).png (x)' },
];

const attrName = (template: string): string => (template.includes('imagesrcset') ? 'imagesrcset' : 'srcset');

test('srcset: a value that starts a candidate is one candidate and resolves to the same URL', () => {
  let n = 0;
  for (const [id, template, descriptor] of SINGLE) {
    const count = parseSrcset(attrOf(byId(parseDoc(renderBoth(template, 'x.png')), 't')!, attrName(template))!).length;
    for (const p of [...BENIGN_URLS, ...EXTRA_URLS]) {
      const out = renderBoth(template, p.value);
      const value = attrOf(byId(parseDoc(out), 't')!, attrName(template))!;
      const candidates = parseSrcset(value);
      assert.equal(candidates.length, count, `${id} × ${p.id}: the value split the candidates: ${out}`);
      const mine = candidates.find((c) => (c.descriptors[0] ?? '') === descriptor && c.url !== 'a.png' && c.url !== 'b.png');
      assert.ok(mine, `${id} × ${p.id}: no candidate with ${descriptor}: ${out}`);
      assert.equal(resolve(mine.url), expectedURL(p.value), `${id} × ${p.id}: ${out}`);
      n++;
    }
  }
  assert.ok(n >= 90, `ran ${n}`);
});

test('srcset: attacks stay one candidate, add nothing, and never get a script URL in', () => {
  for (const [id, template] of SINGLE) {
    const baseOut = renderBoth(template, 'x.png');
    const baseShape = shape(parseDoc(baseOut)).join(' ');
    const count = parseSrcset(attrOf(byId(parseDoc(baseOut), 't')!, attrName(template))!).length;
    for (const p of [...ATTACKS, { id: 'list', value: '/ok.png 1x, javascript:alert(1) 2x' }, { id: 'comma-scheme', value: ',javascript:alert(1)' }]) {
      const out = renderBoth(template, p.value);
      const doc = parseDoc(out);
      assert.equal(shape(doc).join(' '), baseShape, `${id} × ${p.id}: ${out}`);
      const candidates = parseSrcset(attrOf(byId(doc, 't')!, attrName(template))!);
      assert.equal(candidates.length, count, `${id} × ${p.id}: ${out}`);
      for (const c of candidates) assert.doesNotMatch(resolve(c.url), /^(javascript|data|vbscript):/i, `${id} × ${p.id}: ${out}`);
    }
  }
});

test('srcset: a value that is the whole attribute is a list, each candidate filtered', () => {
  for (const template of ['<img id="t" srcset="{{ v }}">', '<img id="t" srcset={{ v }}>', '<img id="t" srcset=" {{ v }} ">']) {
    const out = renderBoth(template, '/a.png 1x, javascript:alert(1) 2x,/c,d.png 480w, /e.png bogus');
    const candidates = parseSrcset(attrOf(byId(parseDoc(out), 't')!, 'srcset')!);
    assert.deepEqual(
      candidates,
      [
        { url: '/a.png', descriptors: ['1x'] },
        { url: 'about:invalid#palisade-unsafe', descriptors: ['2x'] },
        { url: '/c,d.png', descriptors: ['480w'] },
        { url: '/e.png', descriptors: [] },
      ],
      out,
    );
  }
});

test('srcset: exact outputs', () => {
  assert.equal(renderBoth('<img srcset="{{ v }} 1x">', `/a b,c"'&é%20.png`), '<img srcset="/a%20b,c%22&#39;&amp;é%20.png 1x">');
  assert.equal(renderBoth('<img srcset="a.png 1x, {{ v }} 2x">', ',b.png,'), '<img srcset="a.png 1x, ./,b.png%2C 2x">');
  assert.equal(renderBoth('<img srcset="{{ v }} 1x">', ' JAVASCRIPT:alert(1)'), '<img srcset="about:invalid#palisade-unsafe 1x">');
  assert.equal(renderBoth('<img srcset="{{ v }} 1x">', SafeURL.unsafeTrust('tel:a b')), '<img srcset="tel:a%20b 1x">');
  assert.equal(renderBoth('<img srcset="/img/{{ v }} 1x">', 'a b,c.png'), '<img srcset="/img/a%20b%2Cc.png 1x">');
  assert.equal(renderBoth('<img srcset="a.png {{ v }}">', '2x, javascript:alert(1)'), '<img srcset="a.png ">');
});
