/**
 * Reuse of escaped text within one compiled function.
 *
 * Templates often write one value twice, in places whose escapers agree on strings:
 * `<a title="{{ note.title }}">{{ note.title }}</a>` escapes the title for a quoted
 * attribute and for HTML text, which is the same text for a string. The second hole still
 * evaluates its expression as written (getters and calls run, as in Jinja), and when the
 * value is the identical string it takes the text the first hole escaped instead of
 * escaping it again. Anything else (another value, a number, Markup, whose escapers
 * differ by context) is escaped as usual, and the pair is updated.
 *
 * The reuse is decided at run time by comparing values, so it never depends on the
 * expression being pure. The first hole does not know at its emission whether a second
 * will follow, so it is written as a marker and settled by finish().
 */

interface First {
  readonly marker: string;
  readonly plain: string;
  readonly store: string;
  readonly temps: readonly [string, string];
  reused: boolean;
}

// A marker never occurs in generated code otherwise: every literal is written by
// JSON.stringify, which escapes NUL.
const MARKER = /\0([^\0]+)\0/g;

/** The reuse table of one compiled function (a template body, a block, a macro). */
export class EscapedReuse {
  private readonly firsts = new Map<string, First>();
  // By marker text; markers hold a temp name, unique in the module, so nested functions'
  // tables never settle each other's.
  private readonly byMarker = new Map<string, First>();

  constructor(private readonly temp: (prefix: string) => string) {}

  /**
   * The code of a hole that escapes `value` with `escape`. `key` names the value's
   * expression and the escaper's result for strings; two holes with the same key may
   * share escaped text.
   */
  hole(key: string, value: string, escape: (arg: string) => string): string {
    const first = this.firsts.get(key);
    if (first === undefined) {
      const h = this.temp('$h');
      const c = this.temp('$c');
      const marker = `\0${h}\0`;
      const f: First = {
        marker,
        plain: escape(value),
        store: `($r = ${value}, ${c} = ${escape('$r')}, ${h} = $r, ${c})`,
        temps: [h, c],
        reused: false,
      };
      this.firsts.set(key, f);
      this.byMarker.set(marker, f);
      return marker;
    }
    first.reused = true;
    const [h, c] = first.temps;
    return `(($r = ${value}) === ${h} && typeof $r === 'string' ? ${c} : (${c} = ${escape('$r')}, ${h} = $r, ${c}))`;
  }

  /**
   * Settles the markers in `lines` from index `from`, and returns the variables the
   * function must declare (empty when nothing was reused).
   */
  finish(lines: string[], from: number): string[] {
    if (this.byMarker.size === 0) return [];
    for (let i = from; i < lines.length; i++) {
      if (lines[i]!.includes('\0')) {
        lines[i] = lines[i]!.replace(MARKER, (m: string) => {
          const f = this.byMarker.get(m);
          return f === undefined ? m : f.reused ? f.store : f.plain;
        });
      }
    }
    const vars = [...this.byMarker.values()].filter((f) => f.reused).flatMap((f) => f.temps);
    return vars.length === 0 ? [] : ['$r', ...vars];
  }
}

/**
 * The key of a hole for reuse: its escaper chain (by what it writes for a string) and its
 * expression's code without the source positions (`$W, n`), which differ between the two
 * places.
 */
export function reuseKey(chainKey: string, valueCode: string): string {
  return `${chainKey}|${valueCode.replace(/\$W, \d+/g, '$W')}`;
}
