/**
 * The escapers a hole's chain can name, and what the compiler knows about them, as data
 * (Go's html/template keeps the same facts as tables in escape.go: `equivEscapers`,
 * `redundantFuncs`). hole-plan.ts picks chains from these names; hole-escapers.ts maps
 * each name to its function; the output pass (output-pass.ts) and the `html` tag consult
 * the tables to write a chain with fewer calls. Nothing here runs while a page renders.
 */

/** Names of the escaping functions a hole can need, in the order hole-plan.ts chooses from. */
export const ESCAPER_NAMES = [
  'text',
  'rcdata',
  'rawtext',
  'attr',
  'attrUnquoted',
  'refStart',
  'url',
  'urlPart',
  'srcset',
  'srcsetURL',
  'srcsetDescriptor',
  'jsValue',
  'jsString',
  'jsTemplate',
  'jsRegexp',
  'cssValue',
  'cssString',
  'cssURL',
  'edgeHTML',
  'edgeJS',
  'edgeCSS',
  'edgeURL',
  'refresh',
  'refreshURL',
  'animValues',
  'urlFilter',
  'foreignText',
  'cdata',
  'sameOriginURL',
] as const;
export type EscaperName = (typeof ESCAPER_NAMES)[number];

/** Escapers that do the work of a two-step chain in one call (FUSED). */
export type FusedEscaperName = 'urlPartAttr' | 'urlAttr';

/**
 * Two steps written as one function with the same result: `FUSED[first][second]`. A URL
 * in a quoted attribute is filtered and escaped for the attribute in one pass over it.
 */
const FUSED: Readonly<Partial<Record<EscaperName, Readonly<Partial<Record<EscaperName, FusedEscaperName>>>>>> = {
  urlPart: { attr: 'urlPartAttr' },
  url: { attr: 'urlAttr' },
};

/**
 * Steps that change nothing after certain others: `REDUNDANT_AFTER[second]` holds the
 * escapers whose output it leaves as it is. A quoted attribute value escapes `& < > " '`
 * (HTML §13.1.2.3), which JS and CSS string escapers and the srcset descriptor filter never
 * write (escape/js.ts, escape/css.ts, escape/url.ts).
 */
const REDUNDANT_AFTER: Readonly<Partial<Record<EscaperName, ReadonlySet<EscaperName>>>> = {
  attr: new Set<EscaperName>(['jsString', 'jsTemplate', 'jsRegexp', 'cssString', 'srcsetDescriptor']),
};

/**
 * Escapers that write the same text for every string, by a shared name (Go's
 * `equivEscapers`): HTML text and a quoted attribute both run escapeHTML on a string; they
 * differ on Markup. Any escaper not listed is its own name.
 */
const SAME_FOR_STRINGS: Readonly<Partial<Record<EscaperName | FusedEscaperName, string>>> = {
  text: 'html',
  attr: 'html',
  foreignText: 'html',
};

/**
 * The chain to run for a hole: the same result as `chain`, with fewer calls. Only the first
 * two steps are looked up; a longer chain (a value in an `srcdoc` document) keeps the rest.
 */
export function fuseChain(chain: readonly EscaperName[]): (EscaperName | FusedEscaperName)[] {
  const [a, b] = chain;
  if (a !== undefined && b !== undefined) {
    if (REDUNDANT_AFTER[b]?.has(a) === true) return [a, ...chain.slice(2)];
    const fused = FUSED[a]?.[b];
    if (fused !== undefined) return [fused, ...chain.slice(2)];
  }
  return [...chain];
}

/**
 * What an escaper writes for a string, as a name: escapers with the same name write the
 * same text for every string (SAME_FOR_STRINGS). The output pass reuses escaped text
 * between holes by it.
 */
export function stringEscaper(name: EscaperName | FusedEscaperName): string {
  return SAME_FOR_STRINGS[name] ?? name;
}
