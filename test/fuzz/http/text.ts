/**
 * Text for the HTTP fuzzer: strings with symbolic runs, so that a 15,000-space header
 * costs fast-check one integer (and shrinks by halving it), plus the mutations every
 * grammar in headers.ts and requests.ts applies to the values it builds.
 *
 * A Text is sent as bytes: a character up to U+00FF is one byte (what node reads back as
 * latin1), a character above is its UTF-8 bytes (what a client sends for non-Latin-1
 * text). See docs/reliability.md#the-http-fuzzer.
 */
import fc from 'fast-check';

/** A piece of text: literal characters, or one string repeated `n` times. */
export type Piece = string | { readonly run: string; readonly n: number };
export type Text = readonly Piece[];

/** The characters a Text stands for. */
export function expand(t: Text): string {
  let s = '';
  for (const p of t) s += typeof p === 'string' ? p : p.run.repeat(p.n);
  return s;
}

/** Its length in characters, without building it. */
export function textLength(t: Text): number {
  let n = 0;
  for (const p of t) n += typeof p === 'string' ? p.length : p.run.length * p.n;
  return n;
}

const NOT_LATIN1 = /[^\x00-\xff]/;

/** The bytes a string is sent as: latin1 for U+0000–U+00FF, UTF-8 for the rest. */
export function toBytes(s: string): Buffer {
  if (!NOT_LATIN1.test(s)) return Buffer.from(s, 'latin1');
  const out: Buffer[] = [];
  let latin = '';
  for (const ch of s) {
    if (ch.charCodeAt(0) <= 0xff) latin += ch;
    else {
      if (latin !== '') out.push(Buffer.from(latin, 'latin1'));
      latin = '';
      out.push(Buffer.from(ch, 'utf8'));
    }
  }
  if (latin !== '') out.push(Buffer.from(latin, 'latin1'));
  return Buffer.concat(out);
}

/**
 * The bytes a Text is sent as: each piece on its own (a run is its unit's bytes repeated),
 * so that a lone surrogate at a piece's edge never pairs with its neighbour's.
 */
export function textBytes(t: Text): Buffer {
  return Buffer.concat(t.map((p) => (typeof p === 'string' ? toBytes(p) : Buffer.from(toBytes(p.run).toString('latin1').repeat(p.n), 'latin1'))));
}

/**
 * A JavaScript expression for the bytes of `t` (textBytes) as a latin1 string, ready to paste into
 * `Buffer.from(<expr>, 'latin1')`: long runs are written `"x".repeat(n)`, every byte that
 * is not printable ASCII (and `'`, so the expression survives shell quoting) as `\xHH`.
 */
export function toJSExpression(t: Text): string {
  const parts: string[] = [];
  let lit = '';
  const flush = () => {
    if (lit !== '') parts.push(`"${lit}"`);
    lit = '';
  };
  for (const p of t) {
    if (typeof p === 'string') lit += escapeBytes(toBytes(p));
    else if (p.n < 8) lit += escapeBytes(toBytes(p.run)).repeat(p.n);
    else {
      flush();
      parts.push(`"${escapeBytes(toBytes(p.run))}".repeat(${p.n})`);
    }
  }
  flush();
  return parts.length === 0 ? '""' : parts.join(' + ');
}

function escapeBytes(b: Buffer): string {
  let s = '';
  for (const c of b) {
    if (c === 0x0d) s += '\\r';
    else if (c === 0x0a) s += '\\n';
    else if (c === 0x09) s += '\\t';
    else if (c === 0x22 || c === 0x5c) s += `\\${String.fromCharCode(c)}`;
    else if (c < 0x20 || c >= 0x7f || c === 0x27) s += `\\x${c.toString(16).padStart(2, '0')}`;
    else s += String.fromCharCode(c);
  }
  return s;
}

/** Control characters: everything node refuses in a header value, and more. */
export const CONTROL = [...Array.from({ length: 32 }, (_, i) => String.fromCharCode(i)), '\x7f'];
/** Characters above U+00FF: sent as UTF-8, read back by node as several latin1 characters. */
export const NON_LATIN1 = ['€', 'ā', 'ſ', 'K', '中', '😀', '\u2028', '\ufeff', '\u0130', '\ud800'];
/** Bytes 0x80–0xFF: obs-text in a header, invalid UTF-8 on their own. */
export const HIGH_LATIN1 = ['é', '\xa0', '\xff', '\x80', '\x85', '\xc0', '\xe2'];
/** Delimiters that header and body syntaxes give meaning to. */
export const DELIMITERS = [
  '"',
  "'",
  '\\',
  ';',
  ',',
  '=',
  ':',
  '/',
  '?',
  '#',
  '%',
  '&',
  '<',
  '>',
  '(',
  ')',
  '[',
  ']',
  '{',
  '}',
  '@',
  ' ',
  '\t',
  '*',
  '+',
  '-',
  '.',
];
/** Percent-encodings that decode to something a parser or a header may choke on. */
export const PERCENT = [
  '%00',
  '%01',
  '%0d%0a',
  '%0A',
  '%09',
  '%7f',
  '%E2%82%AC',
  '%C4%81',
  '%F0%9F%98%80',
  '%ff',
  '%C0%AE',
  '%zz',
  '%',
  '%2',
  '%2f',
  '%2F',
  '%2e%2e',
  '%5c',
  '%u0041',
  '%20',
  '+',
  '%25',
  '%3B',
  '%22',
];
/**
 * What a run is made of: whitespace, digits and letters (what `\s*`, `\d+` and `\w+` loop
 * over, so they come up most), then the delimiters of header and body syntaxes.
 */
export const RUN_UNITS = [' ', ' ', '\t', ' \t', '0', '1', '1', 'a', 'a', ',', ', ', ';', '=', '-', '%', '/', '.', '[', '{', '"', '\\', 'é', '€', '\r\n '];

/** A run of one unit, up to `max` times (biased to short, sometimes very long). */
export const run = (max = 16_000, units: readonly string[] = RUN_UNITS): fc.Arbitrary<Piece> =>
  fc.record({
    run: fc.constantFrom(...units),
    n:
      max <= 64
        ? fc.integer({ min: 2, max })
        : fc.oneof({ weight: 3, arbitrary: fc.integer({ min: 2, max: 64 }) }, { weight: 2, arbitrary: fc.integer({ min: 65, max }) }),
  });

/** One hostile character or short sequence. */
export const oddPiece: fc.Arbitrary<Piece> = fc.oneof(
  fc.constantFrom(...CONTROL),
  fc.constantFrom(...NON_LATIN1),
  fc.constantFrom(...HIGH_LATIN1),
  fc.constantFrom(...DELIMITERS),
  fc.constantFrom(...PERCENT),
);

/**
 * The shape that makes a backtracking regular expression slow: a long run, then a
 * character that makes the match fail at the very end.
 */
export const slowShape = (max = 16_000): fc.Arbitrary<Text> => fc.tuple(run(max), oddPiece).map(([r, p]): Text => [r, p]);

/** Literal pieces from an alphabet: short strings that keep shrinking readable. */
export const word = (alphabet: readonly string[], maxLength = 12): fc.Arbitrary<string> =>
  fc.array(fc.constantFrom(...alphabet), { maxLength }).map((a) => a.join(''));

/** A mutation applied to a Text: insert a piece, cut it, double it or change its case. */
export type Mutation =
  | { readonly op: 'insert'; readonly at: number; readonly piece: Piece }
  | { readonly op: 'cut'; readonly at: number }
  | { readonly op: 'double' }
  | { readonly op: 'upper' };

/** Where a mutation lands: at the start, at the end (where anchors are), or anywhere. */
const position = fc.oneof(fc.constant(0), fc.constant(1), fc.double({ min: 0, max: 1, noNaN: true }));

export const mutation = (maxRun = 16_000): fc.Arbitrary<Mutation> =>
  fc.oneof(
    { weight: 6, arbitrary: fc.record({ op: fc.constant('insert' as const), at: position, piece: fc.oneof(oddPiece, run(maxRun)) }) },
    { weight: 1, arbitrary: fc.record({ op: fc.constant('cut' as const), at: position }) },
    { weight: 1, arbitrary: fc.record({ op: fc.constant('double' as const) }) },
    { weight: 1, arbitrary: fc.record({ op: fc.constant('upper' as const) }) },
  );

/** Applies mutations in order. Positions are fractions of the text's pieces and characters. */
export function mutate(t: Text, ms: readonly Mutation[]): Text {
  let out: Piece[] = [...t];
  for (const m of ms) {
    if (m.op === 'double') out = [...out, ...out];
    else if (m.op === 'upper') out = out.map((p) => (typeof p === 'string' ? p.toUpperCase() : p));
    else {
      const flat = splitAt(out, m.at);
      out = m.op === 'insert' ? [...flat.before, m.piece, ...flat.after] : flat.before;
    }
  }
  return out;
}

/** Splits at a fraction of the text: inside a literal piece, or before or after a run. */
function splitAt(t: Piece[], at: number): { before: Piece[]; after: Piece[] } {
  const len = (p: Piece) => (typeof p === 'string' ? p.length : 1);
  let pos = Math.floor(at * t.reduce((n, p) => n + len(p), 0));
  for (let i = 0; i < t.length; i++) {
    const p = t[i]!;
    if (pos < len(p)) {
      if (typeof p !== 'string' || pos === 0) return { before: t.slice(0, i), after: t.slice(i) };
      return { before: [...t.slice(0, i), p.slice(0, pos)], after: [p.slice(pos), ...t.slice(i + 1)] };
    }
    pos -= len(p);
  }
  return { before: t, after: [] };
}

/**
 * A Text from a grammar, mutated now and then: `rate` is the weight of the mutated
 * branch against 10 for the clean one.
 */
export const mutated = (base: fc.Arbitrary<Text>, rate = 4, maxRun = 16_000): fc.Arbitrary<Text> =>
  fc.oneof(
    { weight: 10, arbitrary: base },
    { weight: rate, arbitrary: fc.tuple(base, fc.array(mutation(maxRun), { minLength: 1, maxLength: 3 })).map(([t, ms]) => mutate(t, ms)) },
  );

/** A Text made of a sequence of Texts. */
export const seq = (...parts: (fc.Arbitrary<Text | string> | string)[]): fc.Arbitrary<Text> =>
  fc.tuple(...parts.map((p) => (typeof p === 'string' ? fc.constant(p) : p))).map((ps) => ps.flatMap((p): Piece[] => (typeof p === 'string' ? [p] : [...p])));

/** A literal Text. */
export const lit = (s: string): Text => [s];
