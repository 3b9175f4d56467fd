// The cases of the fidelity browser tests (e2e/templates-fidelity.test.ts and its control):
// srcdoc documents (every kind of srcdoc × inner contexts), srcset candidates, raw text
// elements, <noscript> with scripting on and off, and ifs and loops inside start tags. Each
// case is a template with `{{ v }}`, a reader that runs in the page, what a benign value
// must read back as, and the attacks it must withstand.
import { escapeHTML, escapeHTMLUnquoted } from '../src/escape/html.js';
import { ATTACKS, BENIGN, BENIGN_URLS, HOLE, type Payload } from '../test/escape/cases.js';
import type { Reader } from './templates-fidelity-harness.js';

export interface FidelityCase {
  readonly id: string;
  /** A page fragment with HOLE where `v` goes. */
  readonly template: string;
  /** The template's data for a value (default: `{ v }`). */
  readonly data?: (v: string) => Record<string, unknown>;
  readonly read: Reader;
  readonly benign: readonly Payload[];
  /** What a benign value must read back as, given what was read (for the base URL). */
  readonly expect: (v: string, seen: unknown) => unknown;
  readonly attacks: readonly Payload[];
  /** Loaded with scripting off (the <noscript> case). */
  readonly noScripting?: boolean;
  /** True when what was read shows a script URL that got through. */
  readonly dangerous?: (seen: unknown) => boolean;
}

const isDangerousURL = (u: string): boolean => /^\s*(javascript|data|vbscript):/i.test(u);

/** The URL a benign value must resolve to against `base` (see test/templates/srcset.test.ts for srcset's trailing commas). */
export function resolved(v: string, base: string, srcset = false): string {
  let u = v;
  if (srcset)
    u = u
      .replace(/^[\0-\x20]+|[\0-\x20]+$/g, '')
      .replace(/[\t\n\r]/g, '')
      .replace(/,+$/, (m) => '%2C'.repeat(m.length));
  try {
    return new URL(u, base).href;
  } catch {
    return 'invalid';
  }
}

/** What the parser makes of text in raw text: CR and CRLF become LF, NUL becomes U+FFFD. */
const parsedRaw = (v: string): string => v.replace(/\r\n?/g, '\n').replace(/\0/g, '\ufffd');

const EXTRA_TEXT: readonly Payload[] = [
  { id: 'markup-to-show', value: '<p class="a">Tom &amp; Jerry</p>\n<br/> </b> </xmpl>' },
  { id: 'entities-as-text', value: '&amp; &lt; &#60; &quot; &nbsp' },
];

export const EXTRA_URLS: readonly Payload[] = [
  { id: 'quotes-amp', value: `/img/it's "x" & y.png` },
  { id: 'spaces', value: '/img/a b  c.png' },
  { id: 'percent', value: '/img/100%25 %zz %.png' },
  { id: 'non-ascii', value: '/картинка/😀.png?q=שלום' },
  { id: 'commas', value: '/img/a,b,,c.png?x=1,2' },
  { id: 'leading-comma', value: ',a.png' },
  { id: 'trailing-commas', value: '/a.png,,' },
  { id: 'descriptor-like', value: '/a.png 2x, /b.png 1x' },
];

/** Attacks on raw text and <noscript>: end the element, then run a script. */
export const RAW_ATTACKS: readonly Payload[] = [
  ...['xmp', 'iframe', 'noembed', 'noframes', 'noscript'].map((el, i) => ({ id: `close-${el}`, value: `</${el}><img src=x onerror=__pwned(${101 + i})>` })),
  { id: 'close-xmp-upper', value: '</XMP\t><img src=x onerror=__pwned(106)>' },
];

// ---- srcdoc documents ---------------------------------------------------------------------

// Each inner document first defines __pwned, forwarding to the page that records it.
const FORWARD = '<script>window.__pwned = function (n) { parent.__pwned(n); };</script>';

interface Inner {
  readonly id: string;
  readonly doc: string;
  /** An expression over `t` (the element #t) and `d` (its document). */
  readonly read: string;
  readonly kind: 'text' | 'url' | 'srcset';
}

const INNER: readonly Inner[] = [
  { id: 'text', doc: `<p id="t">${HOLE}</p>`, read: 't.textContent', kind: 'text' },
  { id: 'attr-dq', doc: `<p id="t" title="${HOLE}">x</p>`, read: "t.getAttribute('title')", kind: 'text' },
  { id: 'attr-unquoted', doc: `<p id="t" title=${HOLE} class="k">x</p>`, read: "t.getAttribute('title')", kind: 'text' },
  { id: 'url', doc: `<a id="t" href="${HOLE}">x</a>`, read: '({ url: t.href, base: d.baseURI })', kind: 'url' },
  { id: 'js-string', doc: `<script>window.__v = "${HOLE}";</script><p id="t">x</p>`, read: 'd.defaultView.__v', kind: 'text' },
  { id: 'js-expression', doc: `<script>window.__v = ${HOLE};</script><p id="t">x</p>`, read: 'd.defaultView.__v', kind: 'text' },
  {
    id: 'srcset',
    doc: `<img id="t" alt="" srcset="${HOLE} 1x">`,
    read: "({ url: t.currentSrc, base: d.baseURI, srcset: t.getAttribute('srcset') })",
    kind: 'srcset',
  },
  { id: 'textarea', doc: `<textarea id="t">${HOLE}</textarea>`, read: 't.value', kind: 'text' },
  { id: 'xmp', doc: `<xmp id="t">${HOLE}</xmp>`, read: 't.textContent', kind: 'text' },
];

/** The inner document written into an attribute with delimiter `q`, HOLE kept as it is. */
function asValue(doc: string, q: '"' | "'" | ''): string {
  const esc = q === '' ? escapeHTMLUnquoted : escapeHTML;
  return doc.split(HOLE).map(esc).join(HOLE);
}

// Every inner context in a double-quoted srcdoc and in an srcdoc inside one; the other
// delimiters (which change only the last escaping step) with a few contexts each, to keep
// the run short (test/templates/srcdoc.test.ts crosses them all without a browser).
const FEW = new Set(['text', 'attr-unquoted', 'url', 'js-expression']);
const OUTERS: readonly { id: string; path: readonly string[]; wrap: (doc: string) => string; inner: readonly Inner[] }[] = [
  { id: 'dq', path: ['f'], wrap: (doc) => `<iframe id="f" srcdoc="${asValue(doc, '"')}"></iframe>`, inner: INNER },
  { id: 'sq', path: ['f'], wrap: (doc) => `<iframe id="f" srcdoc='${asValue(doc, "'")}'></iframe>`, inner: INNER.filter((i) => FEW.has(i.id)) },
  { id: 'unquoted', path: ['f'], wrap: (doc) => `<iframe id="f" srcdoc=${asValue(doc, '')} title="k"></iframe>`, inner: INNER.filter((i) => FEW.has(i.id)) },
  {
    id: 'nested',
    path: ['f', 'g'],
    wrap: (doc) => `<iframe id="f" srcdoc="${asValue(FORWARD + `<iframe id="g" srcdoc="${asValue(doc, '"')}"></iframe>`, '"')}"></iframe>`,
    inner: INNER,
  },
];

export const SRCDOC_CASES: readonly FidelityCase[] = OUTERS.flatMap((o) =>
  o.inner.map((inner): FidelityCase => ({
    id: `srcdoc-${o.id}-${inner.id}`,
    template: o.wrap(FORWARD + inner.doc),
    read: `(w) => { let d = w.document; for (const id of ${JSON.stringify(o.path)}) d = d.getElementById(id).contentDocument; const t = d.getElementById('t'); return ${inner.read}; }`,
    benign: inner.kind === 'text' ? [...BENIGN, ...EXTRA_TEXT] : BENIGN_URLS,
    expect: (v, seen) => {
      if (inner.kind === 'text') return inner.id === 'xmp' ? parsedRaw(v) : inner.id === 'textarea' ? v.replace(/\r\n?/g, '\n') : v;
      const s = seen as { base: string; srcset?: string };
      return inner.kind === 'url' ? { url: resolved(v, s.base), base: s.base } : { url: resolved(v, s.base, true), base: s.base, srcset: s.srcset };
    },
    attacks: ATTACKS,
    dangerous: (seen) => {
      const s = seen as { url?: string; srcset?: string } | null;
      return typeof s === 'object' && s !== null && (isDangerousURL(s.url ?? '') || (s.srcset ?? '').split(',').some((c) => isDangerousURL(c.trim())));
    },
  })),
);

// ---- srcset candidates ----------------------------------------------------------------------

const SRCSET_READ =
  "(w) => { const t = w.document.getElementById('t'); return { url: t.currentSrc, base: w.document.baseURI, srcset: (t.parentElement.querySelector('source') || t).getAttribute('srcset') }; }";

export const SRCSET_CASES: readonly FidelityCase[] = [
  ['value-then-descriptor', '<img id="t" alt="" srcset="{{ v }} 1x">'],
  ['second-candidate', '<img id="t" alt="" srcset="a.png 2x, {{ v }} 1x">'],
  ['single-quoted-then-candidate', '<img id="t" alt="" srcset=\'{{ v }} 1x, b.png 2x\'>'],
  ['picture-source', '<picture><source srcset="{{ v }} 1x, b.png 2x"><img id="t" alt="" src="fallback.png"></picture>'],
].map(([id, template]): FidelityCase => ({
  id: `srcset-${id}`,
  template: template!,
  read: SRCSET_READ,
  benign: [...BENIGN_URLS, ...EXTRA_URLS],
  expect: (v, seen) => {
    const s = seen as { base: string; srcset: string };
    return { url: resolved(v, s.base, true), base: s.base, srcset: s.srcset };
  },
  attacks: ATTACKS,
  dangerous: (seen) => (seen as { srcset: string | null }).srcset?.split(',').some((c) => isDangerousURL(c.trim())) ?? false,
}));

// ---- raw text and <noscript> ----------------------------------------------------------------

/** What the harness writes after every fragment; <plaintext> takes it in as text. */
export const PAGE_TAIL = '</div><p id="end">end</p></body></html>';

export const RAW_CASES: readonly FidelityCase[] = [
  ...['xmp', 'iframe', 'noembed', 'noframes'].map((el): FidelityCase => ({
    id: `raw-${el}`,
    template: `<${el} id="t">{{ v }}</${el}>`,
    read: "(w) => w.document.getElementById('t').textContent",
    benign: [...BENIGN, ...EXTRA_TEXT],
    expect: (v) => parsedRaw(v),
    attacks: [...ATTACKS, ...RAW_ATTACKS],
  })),
  {
    // A `<` of the template right before the value: the value cannot make an end tag with it.
    id: 'raw-xmp-after-lt',
    template: '<xmp id="t">a<{{ v }}</xmp>',
    read: "(w) => w.document.getElementById('t').textContent",
    benign: [...BENIGN, ...EXTRA_TEXT],
    expect: (v) => (v === '' ? 'a<\u200b' : 'a<\u200b' + parsedRaw(v)),
    attacks: [...ATTACKS, { id: 'end-tag-rest', value: '/xmp><img src=x onerror=__pwned(107)>' }],
  },
  {
    id: 'raw-plaintext',
    template: '<plaintext id="t">{{ v }}',
    read: "(w) => w.document.getElementById('t').textContent",
    benign: [...BENIGN, ...EXTRA_TEXT],
    expect: (v) => parsedRaw(v) + PAGE_TAIL,
    attacks: [...ATTACKS, ...RAW_ATTACKS],
  },
  {
    // Scripting on: the content is raw text, never shown; only the attacks matter.
    id: 'noscript-scripting-on',
    template: '<noscript id="t"><p title={{ v }} class="k">{{ v }}</p></noscript>',
    read: '(w) => null',
    benign: BENIGN,
    expect: () => null,
    attacks: [...ATTACKS, ...RAW_ATTACKS],
  },
  {
    // Scripting off: the content is HTML and shown; values read back exactly.
    id: 'noscript-scripting-off',
    template: '<noscript><p id="t" title={{ v }} class="k">{{ v }}</p></noscript>',
    read: "(w) => { const t = w.document.getElementById('t'); return [t.textContent, t.getAttribute('title')]; }",
    benign: [...BENIGN, ...EXTRA_TEXT],
    expect: (v) => [v.replace(/\r\n?/g, '\n'), v],
    attacks: [...ATTACKS, ...RAW_ATTACKS],
    noScripting: true,
  },
];

// ---- ifs and loops inside start tags ----------------------------------------------------------

const ATTRS =
  "(w) => { const t = w.document.getElementById('t'); return { attrs: [...t.attributes].map((a) => [a.name, a.value]), checked: t.checked, selected: t.selected, value: t.value }; }";

export const TAG_CASES: readonly FidelityCase[] = [
  {
    id: 'tag-if-after-tag-name',
    template: '<input id="t"{% if on %} checked{% endif %} name={{ v }}>',
    data: (v) => ({ v, on: true }),
    read: ATTRS,
    benign: BENIGN,
    expect: (v) => ({
      attrs: [
        ['id', 't'],
        ['checked', ''],
        ['name', v.replace(/\0/g, '\ufffd')],
      ],
      checked: true,
      selected: undefined,
      value: '',
    }),
    attacks: ATTACKS,
  },
  {
    id: 'tag-if-after-quoted-by-palisade',
    template: '<select><option id="t" value={{ v }}{% if on %} selected{% endif %}>x</option><option>y</option></select>',
    data: (v) => ({ v, on: true }),
    read: ATTRS,
    benign: BENIGN,
    expect: (v) => ({
      attrs: [
        ['id', 't'],
        ['value', v.replace(/\0/g, '\ufffd')],
        ['selected', ''],
      ],
      checked: undefined,
      selected: true,
      value: v.replace(/\0/g, '\ufffd'),
    }),
    attacks: ATTACKS,
  },
  {
    id: 'tag-if-after-static-unquoted',
    template: '<input id="t" type=checkbox{% if on %} checked{% endif %} title="{{ v }}">',
    data: (v) => ({ v, on: true }),
    read: ATTRS,
    benign: BENIGN,
    expect: (v) => ({
      attrs: [
        ['id', 't'],
        ['type', 'checkbox'],
        ['checked', ''],
        ['title', v.replace(/\0/g, '\ufffd')],
      ],
      checked: true,
      selected: undefined,
      value: 'on',
    }),
    attacks: ATTACKS,
  },
  {
    id: 'tag-loop-of-names',
    template: '<p id="t"{% for k in names %} {{ k|attrname }}={{ v }}{% endfor %}>x</p>',
    data: (v) => ({ v, names: ['data-a', 'data-b'] }),
    read: ATTRS,
    benign: BENIGN,
    expect: (v) => ({
      attrs: [
        ['id', 't'],
        ['data-a', v.replace(/\0/g, '\ufffd')],
        ['data-b', v.replace(/\0/g, '\ufffd')],
      ],
      checked: undefined,
      selected: undefined,
      value: undefined,
    }),
    attacks: ATTACKS,
  },
];

export const ALL_CASES: readonly FidelityCase[] = [...SRCDOC_CASES, ...SRCSET_CASES, ...RAW_CASES, ...TAG_CASES];
