// Helpers of the fidelity tests (raw text, srcset, srcdoc): render a one-hole case through
// the template engine and the `html` tag (which must agree byte for byte), and read the
// output back the way the browser's parser does, with parse5.
import assert from 'node:assert/strict';
import { parse, parseFragment } from 'parse5';
import { html } from '../../src/html.js';
import { renderString } from '../../src/templates/index.js';

/** The hole of every case template. */
export const HOLE = '{{ v }}';

const sites = new Map<string, TemplateStringsArray>();

/** Renders `template` with `v` in its holes, through the engine and the tag; they must agree. */
export function renderBoth(template: string, v: unknown): string {
  const out = renderString(template, { v }, { strict: true });
  let site = sites.get(template);
  if (site === undefined) {
    const parts = template.split(HOLE);
    site = Object.freeze(Object.assign([...parts], { raw: Object.freeze([...parts]) })) as unknown as TemplateStringsArray;
    sites.set(template, site);
  }
  const values = Array.from({ length: site.length - 1 }, () => v);
  assert.equal(html(site, ...values).toString(), out, `the html tag disagrees on ${template}`);
  return out;
}

export interface P5 {
  nodeName: string;
  tagName?: string;
  value?: string;
  attrs?: { name: string; value: string }[];
  childNodes?: P5[];
  content?: P5;
}

/** A document as the browser parses it (scripting on unless told). */
export function parseDoc(source: string, scripting = true): P5 {
  return parse(source, { scriptingEnabled: scripting }) as unknown as P5;
}

/** A fragment parsed in a <body>. */
export function parseBody(source: string): P5 {
  return parseFragment(source) as unknown as P5;
}

/** The first element with `id`, or undefined. */
export function byId(root: P5, id: string): P5 | undefined {
  if (root.attrs?.some((a) => a.name === 'id' && a.value === id)) return root;
  for (const c of [...(root.childNodes ?? []), ...(root.content ? [root.content] : [])]) {
    const found = byId(c, id);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** The text of a node, as textContent. */
export function textOf(n: P5): string {
  if (n.nodeName === '#text') return n.value!;
  return (n.childNodes ?? []).map(textOf).join('');
}

/** An attribute's value, or undefined. */
export function attrOf(n: P5, name: string): string | undefined {
  return n.attrs?.find((a) => a.name === name)?.value;
}

/** Elements and attribute names, in document order: what a value must never change. */
export function shape(n: P5, out: string[] = []): string[] {
  if (n.attrs !== undefined)
    out.push(
      `${n.nodeName}[${n.attrs
        .map((a) => a.name)
        .sort()
        .join(',')}]`,
    );
  for (const c of n.childNodes ?? []) shape(c, out);
  if (n.content) shape(n.content, out);
  return out;
}
