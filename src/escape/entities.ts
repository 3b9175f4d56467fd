/**
 * Decoding of HTML character references.
 *
 * Rule: the context analysis reads attribute values the way the browser does, after
 * character references are decoded (HTML Living Standard §13.2.5.72, "character
 * reference state"), so `onclick="f(&quot;{{ x }}&quot;)"` is known to put the value
 * inside a JS string. `striptags` uses the same decoder to turn markup into text.
 *
 * Numeric references are decoded fully (§13.2.5.80, with the replacement table for C1
 * code points and U+FFFD for invalid ones). Named references are decoded for the ASCII
 * punctuation and whitespace names, plus the common Latin-1 names: those are the ones
 * that can change a parser state (quotes, brackets, slashes, colons). An unknown name is
 * left as it is, which is what the context analysis needs: a name it does not know decodes
 * to a character that does not change the state it tracks.
 */

const NAMED: Record<string, string> = {
  amp: '&',
  AMP: '&',
  lt: '<',
  LT: '<',
  gt: '>',
  GT: '>',
  quot: '"',
  QUOT: '"',
  apos: "'",
  nbsp: '\u00a0',
  Tab: '\t',
  NewLine: '\n',
  excl: '!',
  num: '#',
  dollar: '$',
  percnt: '%',
  lpar: '(',
  rpar: ')',
  ast: '*',
  midast: '*',
  plus: '+',
  comma: ',',
  period: '.',
  sol: '/',
  colon: ':',
  semi: ';',
  equals: '=',
  quest: '?',
  commat: '@',
  lsqb: '[',
  lbrack: '[',
  bsol: '\\',
  rsqb: ']',
  rbrack: ']',
  Hat: '^',
  lowbar: '_',
  UnderBar: '_',
  grave: '`',
  DiacriticalGrave: '`',
  lcub: '{',
  lbrace: '{',
  verbar: '|',
  vert: '|',
  VerticalLine: '|',
  rcub: '}',
  rbrace: '}',
  copy: '\u00a9',
  COPY: '\u00a9',
  reg: '\u00ae',
  REG: '\u00ae',
  hellip: '\u2026',
  mdash: '\u2014',
  ndash: '\u2013',
  lsquo: '\u2018',
  rsquo: '\u2019',
  ldquo: '\u201c',
  rdquo: '\u201d',
  laquo: '\u00ab',
  raquo: '\u00bb',
  middot: '\u00b7',
  times: '\u00d7',
  divide: '\u00f7',
  deg: '\u00b0',
  euro: '\u20ac',
  pound: '\u00a3',
  yen: '\u00a5',
  cent: '\u00a2',
  sect: '\u00a7',
  para: '\u00b6',
  trade: '\u2122',
  bull: '\u2022',
};

// §13.2.5.80: numeric references to these C1 code points mean the windows-1252 character.
const C1_REPLACEMENTS: Record<number, number> = {
  0x80: 0x20ac,
  0x82: 0x201a,
  0x83: 0x0192,
  0x84: 0x201e,
  0x85: 0x2026,
  0x86: 0x2020,
  0x87: 0x2021,
  0x88: 0x02c6,
  0x89: 0x2030,
  0x8a: 0x0160,
  0x8b: 0x2039,
  0x8c: 0x0152,
  0x8e: 0x017d,
  0x91: 0x2018,
  0x92: 0x2019,
  0x93: 0x201c,
  0x94: 0x201d,
  0x95: 0x2022,
  0x96: 0x2013,
  0x97: 0x2014,
  0x98: 0x02dc,
  0x99: 0x2122,
  0x9a: 0x0161,
  0x9b: 0x203a,
  0x9c: 0x0153,
  0x9e: 0x017e,
  0x9f: 0x0178,
};

const REFERENCE = /&(?:#[xX]([0-9a-fA-F]+);?|#([0-9]+);?|([A-Za-z][A-Za-z0-9]*);)/g;

function fromCodePoint(cp: number): string {
  if (cp === 0 || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return '\ufffd';
  return String.fromCodePoint(C1_REPLACEMENTS[cp] ?? cp);
}

function decodeOne(whole: string, hex: string | undefined, dec: string | undefined, name: string | undefined): string {
  if (hex !== undefined) return fromCodePoint(parseInt(hex.slice(0, 8), 16));
  if (dec !== undefined) return fromCodePoint(parseInt(dec.slice(0, 8), 10));
  const v = NAMED[name!];
  return v ?? whole;
}

/** Decodes the character references in `s` (see the module comment for which names). */
export function decodeEntities(s: string): string {
  if (s.indexOf('&') === -1) return s;
  return s.replace(REFERENCE, decodeOne);
}

/**
 * decodeEntities, with where each decoded character came from: `at[k]` is the offset in
 * `s` of the text that gave character `k` (the start of its reference), and
 * `at[text.length]` is `s.length`. The context analysis reads an `srcdoc` value decoded,
 * and writes its inserts (nonces, quotes) back at these offsets.
 */
export function decodeEntitiesMapped(s: string): { readonly text: string; readonly at: readonly number[] } {
  const at: number[] = [];
  let text = '';
  let last = 0;
  const plain = (to: number): void => {
    for (let k = last; k < to; k++) at.push(k);
    text += s.slice(last, to);
  };
  for (const m of s.matchAll(REFERENCE)) {
    plain(m.index);
    const d = decodeOne(m[0], m[1], m[2], m[3]);
    for (let k = 0; k < d.length; k++) at.push(m.index);
    text += d;
    last = m.index + m[0].length;
  }
  plain(s.length);
  at.push(s.length);
  return { text, at };
}
