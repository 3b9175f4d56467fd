/**
 * The output pass: how the code generator's `$o += …` statements are written. codegen.ts
 * leaves each one as an Append, a list of parts: static text, code, and holes (a value with
 * the escaper chain hole-plan.ts chose for it). When a function's body is complete, this
 * pass writes its Appends as JS. Plainly, every hole is `($p = pos, $e_last(…$e_first(value)))`
 * and every piece of text its own string. With the optimisations on (the default), the
 * same output comes with less work at render time:
 *
 * 1. **Known values escaped at compile time.** A literal (`{{ 'a' }}`) is escaped now, by the
 *    same functions, and joins the text around it; `'a' if test else 'b'` becomes a choice
 *    between two escaped strings. Adjacent text is one string literal.
 * 2. **Fused chains.** A chain is written with fewer calls by the tables of escaper-table.ts:
 *    a pair done by one function (`url` + `attr` is `urlAttr`), a step redundant after the
 *    one before it (`attr` after `jsString`).
 * 3. **Escaped filter results.** A filter that can write its result escaped for HTML
 *    (FilterDef.html, `join`) does so, so no unescaped string is built only to be scanned again.
 * 4. **Reuse of escaped text.** Templates often write one value twice, in places whose
 *    escapers agree on strings: `<a title="{{ t }}">{{ t }}</a>` escapes the title for a
 *    quoted attribute and for HTML text, the same text for a string. The second hole still
 *    evaluates its expression (getters and calls run, as in Jinja); when the value is the
 *    identical string it takes the text the first escaped. Anything else (another value, a
 *    number, Markup, whose escapers differ by context) is escaped as usual. The reuse is
 *    decided at run time by comparing values, so it never depends on the expression being pure.
 *
 * The internal compile option `optimizeOutput: false` switches all of them off; the
 * differential test (test/templates/output-pass.test.ts) renders generated templates both
 * ways and requires the same text.
 */
import type { EscaperName, FusedEscaperName } from './escaper-table.js';
import { fuseChain, stringEscaper } from './escaper-table.js';
import { ESCAPERS } from './hole-escapers.js';

/** A value known when the template is compiled. */
export type Known =
  | { readonly kind: 'literal'; readonly value: unknown }
  /** `'a' if test else 'b'`: `test` is the JS code of the condition. */
  | { readonly kind: 'choice'; readonly test: string; readonly then: unknown; readonly else_: unknown };

/** A value written through its escaper chain. */
export interface Hole {
  readonly chain: readonly EscaperName[];
  /** The index of its position in the position table (`$p`, for errors). */
  readonly pos: number;
  /** The JS code of the value. */
  readonly value: string;
  readonly known: Known | null;
  /** The code of the filter call writing its result escaped by `escaper` (FilterDef.html), when it has that form. */
  readonly escapedForm: ((escaper: string) => string) | null;
}

export type Part = { readonly s: string } | { readonly code: string } | { readonly hole: Hole };

/** `$o += part + part + …;`, before this pass writes it. */
export class Append {
  constructor(readonly parts: readonly Part[]) {}
}

/** A line of generated code, or an Append still to be written. */
export type Line = string | Append;

/** What the pass needs from the code generator. */
export interface PassHost {
  /** A fresh variable name, unique in the module. */
  temp(prefix: string): string;
  /** Records that the module uses the escaper `name` (hoisted as `$e_name`). */
  useEscaper(name: EscaperName | FusedEscaperName): void;
}

const js = (s: string): string => JSON.stringify(s);

/**
 * Writes the Appends of one function's lines, from index `from` (the Appends of functions
 * nested in it are written already), and returns the variables it must declare.
 */
export function writeAppends(lines: Line[], from: number, optimize: boolean, host: PassHost): string[] {
  const appends: number[] = [];
  for (let i = from; i < lines.length; i++) if (lines[i] instanceof Append) appends.push(i);
  const call = (chain: readonly (EscaperName | FusedEscaperName)[], value: string): string => {
    let code = value;
    for (const name of chain) {
      host.useEscaper(name);
      code = `$e_${name}(${code})`;
    }
    return code;
  };
  if (!optimize) {
    for (const i of appends) {
      const parts = (lines[i] as Append).parts.map((p) =>
        'hole' in p ? `($p = ${p.hole.pos}, ${call(p.hole.chain, p.hole.value)})` : 's' in p ? js(p.s) : p.code,
      );
      lines[i] = `$o += ${parts.join(' + ')};`;
    }
    return [];
  }
  const reuse = new Reuse(host, call);
  // Every hole is lowered before any is written: reuse must know which keys come twice.
  const written = appends.map((i) => (lines[i] as Append).parts.map((p): Written => ('hole' in p ? lower(p.hole, reuse, host) : p)));
  const empty: number[] = [];
  appends.forEach((i, k) => {
    const parts: string[] = [];
    let text = '';
    for (const p of written[k]!) {
      if (typeof p !== 'function' && 's' in p) {
        text += p.s;
        continue;
      }
      if (text !== '') parts.push(js(text));
      text = '';
      parts.push(typeof p === 'function' ? p() : p.code);
    }
    if (text !== '') parts.push(js(text));
    if (parts.length > 0) lines[i] = `$o += ${parts.join(' + ')};`;
    else empty.push(i); // only text that escaped to nothing (`{{ '' }}`)
  });
  for (const i of empty.reverse()) lines.splice(i, 1);
  return reuse.vars();
}

/** Joins lines the pass has written; an Append left means a function was never finished. */
export function joinLines(lines: readonly Line[]): string {
  return lines
    .map((l) => {
      if (typeof l !== 'string') throw new Error('generated code with an output statement the output pass did not write');
      return l;
    })
    .join('\n');
}

/** A part once its hole is lowered: text, code, or code written once every hole is seen (reuse). */
type Written = { readonly s: string } | { readonly code: string } | (() => string);

type Call = (chain: readonly (EscaperName | FusedEscaperName)[], value: string) => string;

/** A hole written with the optimisations. */
function lower(h: Hole, reuse: Reuse, host: PassHost): Written {
  if (h.known?.kind === 'literal') return { s: escapeKnown(h.chain, h.known.value) };
  if (h.known?.kind === 'choice') {
    return { code: `($p = ${h.pos}, ${h.known.test} ? ${js(escapeKnown(h.chain, h.known.then))} : ${js(escapeKnown(h.chain, h.known.else_))})` };
  }
  const chain = fuseChain(h.chain);
  if (h.escapedForm !== null && chain.length === 1 && stringEscaper(chain[0]!) === 'html') {
    host.useEscaper(chain[0]!);
    return { code: `($p = ${h.pos}, ${h.escapedForm(`$e_${chain[0]}`)})` };
  }
  const write = reuse.hole(chain, h.value);
  return () => `($p = ${h.pos}, ${write()})`;
}

/** A known value's output, escaped at compile time by the hole's chain (the same as at run time). */
function escapeKnown(chain: readonly EscaperName[], value: unknown): string {
  let v = value;
  for (const name of chain) v = ESCAPERS[name](v);
  return v as string;
}

/** The reuse table of one function (optimisation 4). */
class Reuse {
  private readonly uses = new Map<string, number>();
  private readonly temps = new Map<string, readonly [string, string]>();

  constructor(
    private readonly host: PassHost,
    private readonly call: Call,
  ) {}

  /**
   * Registers a hole that escapes `value` with `chain`; returns the function that writes
   * its code once every hole of the function is registered. The key is the chain by what
   * it writes for a string, and the value's code without its source positions (`$W, n`),
   * which differ between two places.
   */
  hole(chain: readonly (EscaperName | FusedEscaperName)[], value: string): () => string {
    const key = `${chain.map(stringEscaper).join('>')}|${value.replace(/\$W, \d+/g, '$W')}`;
    const nth = this.uses.get(key) ?? 0;
    this.uses.set(key, nth + 1);
    return () => {
      if (this.uses.get(key) === 1) return this.call(chain, value);
      let t = this.temps.get(key);
      if (t === undefined) this.temps.set(key, (t = [this.host.temp('$h'), this.host.temp('$c')]));
      const [h, c] = t;
      if (nth === 0) return `($r = ${value}, ${c} = ${this.call(chain, '$r')}, ${h} = $r, ${c})`;
      return `(($r = ${value}) === ${h} && typeof $r === 'string' ? ${c} : (${c} = ${this.call(chain, '$r')}, ${h} = $r, ${c}))`;
    };
  }

  /** The variables the function must declare (none when nothing was reused). */
  vars(): string[] {
    const vars = [...this.temps.values()].flat();
    return vars.length === 0 ? [] : ['$r', ...vars];
  }
}
