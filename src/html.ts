/**
 * The `html` tagged template: HTML built in code with the template engine's contextual
 * escaping.
 *
 * ```ts
 * const link = html`<a href="${url}" title="${title}">${name}</a>`;
 * ```
 *
 * Each call site's static strings are analysed once, by the same context analysis the
 * template engine runs (`templates/analyze.ts`; this module has no scanner of its own),
 * and compiled into a function that only concatenates the static text with the escaper
 * chosen for each hole (`templates/hole-escapers.ts`). A `TemplateStringsArray` is the same
 * frozen object on every evaluation of a call site, so it keys the cache. A template
 * whose context cannot be known raises the template engine's errors, with the file, line
 * and column of the call site, the first time it runs. See docs/templates.md#html-without-templates-the-html-tag.
 */
import { fileURLToPath } from 'node:url';
import { ERROR_CODES, TemplateError, type ErrorCode } from './errors.js';
import { type Markup, SafeScript, SafeStyle, SafeURL, isMarkup, markupFromSafe } from './escape/markup.js';
import { escapeHTML } from './escape/html.js';
import { AnalysisError, analyze, endsDocument, type HolePlan } from './templates/analyze.js';
import { formatContext } from './templates/context.js';
import { ESCAPERS } from './templates/hole-escapers.js';
import { fuseChain } from './templates/escaper-table.js';
import { csrfFieldHTML, nonceAttr, renderEnv } from './templates/render-env.js';
import { markRenderedFor, scopeOfRender } from './http/context.js';

type Render = (values: readonly unknown[]) => string;

// One entry per call site: its compiled function, or the error it raised, raised again on
// every later call. Keys are template objects, which live as long as their code does.
const sites = new WeakMap<object, Render | TemplateError>();

/**
 * `html` builds Markup from a template literal, escaping every `${value}` for the place it
 * lands in, exactly as a template does: HTML text, quoted and unquoted attributes, URLs
 * (`javascript:` and other unsafe schemes become `about:invalid#palisade-unsafe`),
 * `<script>`, `<style>`, `style=""`, `on*=""`, `<title>`, `<textarea>`, `srcdoc`. A CSP
 * nonce is added to `<script>`/`<style>` and the CSRF field to same-origin POST forms, as
 * in templates.
 *
 * Nested `html` results (and arrays of them) are written as HTML in text and escaped
 * elsewhere; `null`, `undefined` and `false` write nothing. A handler can return the
 * result: it answers `text/html; charset=utf-8`.
 *
 * ```ts
 * const rows = notes.map((n) => html`<li><a href="/notes/${n.id}">${n.title}</a></li>`);
 * return html`<ul class="${cls}">${rows}</ul>${empty && html`<p>No notes.</p>`}`;
 * ```
 *
 * Only a template object (what a tagged template passes: a frozen array with a frozen
 * `raw`) is taken as markup; calling `html(someString)` or `html(parsedJSON)` throws a
 * TypeError. See docs/templates.md#html-without-templates-the-html-tag.
 */
export function html(strings: TemplateStringsArray, ...values: unknown[]): Markup {
  let site = sites.get(strings);
  if (site === undefined) site = compileSite(strings);
  if (typeof site !== 'function') throw site;
  const out = markupFromSafe(site(values));
  // The request whose token and nonce this HTML holds, or whose HTML it contains (src/http/context.ts).
  const scope = scopeOfRender(renderEnv(), values);
  if (scope !== undefined) markRenderedFor(out, scope);
  return out;
}

/** True for what JS passes as the first argument of a tag: a frozen array with a frozen `raw`. */
function isTemplateObject(s: unknown): s is TemplateStringsArray {
  if (!Array.isArray(s) || !Object.isFrozen(s)) return false;
  const raw = (s as unknown as { raw?: unknown }).raw;
  return Array.isArray(raw) && Object.isFrozen(raw) && raw.length === s.length;
}

function compileSite(strings: TemplateStringsArray): Render | TemplateError {
  if (!isTemplateObject(strings)) {
    // Not cached: only template objects are keys.
    throw new TypeError(
      'html must be used as a tag, html`<p>${value}</p>`: its first argument was not a template strings array ' +
        '(a frozen array with a frozen raw array), so it is not trusted as markup. To write text, put it in a hole: html`${text}`.',
    );
  }
  let site: Render | TemplateError;
  try {
    site = build(strings);
  } catch (e) {
    if (!(e instanceof AnalysisError) && !(e instanceof SiteError)) throw e;
    site = siteError(e, strings);
  }
  sites.set(strings, site);
  return site;
}

/** A refusal found by this module (not by the analysis). */
class SiteError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly reason: string,
    readonly part: number,
    readonly offset: number,
  ) {
    super(reason);
  }
}

function where(strings: TemplateStringsArray, part: number, offset: number): string {
  if (offset === -1) return `at the value \${…} number ${part + 1}`;
  const s = strings[part] ?? '';
  const near = s.slice(Math.max(0, offset - 20), offset + 10);
  return `in the static text ${part === 0 ? 'before the first value' : `after value ${part}`}, near ${JSON.stringify(near)}`;
}

function siteError(e: AnalysisError | SiteError, strings: TemplateStringsArray): TemplateError {
  const code = (Object.hasOwn(ERROR_CODES, e.code) ? e.code : 'TEMPLATE_SYNTAX') as ErrorCode;
  const detail = e instanceof AnalysisError ? `${e.reason} (context ${formatContext(e.ctx)})` : e.reason;
  return new TemplateError(code, `html\`…\` ${where(strings, e.part, e.offset)}: ${detail}`, callSite());
}

/** The file, line and column of the code that called `html`, from the stack. */
function callSite(): { file: string; line: number; column: number } {
  const holder: { stack?: string } = {};
  Error.captureStackTrace(holder, html);
  for (const line of (holder.stack ?? '').split('\n').slice(1)) {
    // The location starts the line or follows a space or `(`: the search is tried only there.
    const m = /(?:^|[\s(])((?:file:\/\/)?[^\s()]+):(\d+):(\d+)\)?\s*$/.exec(line);
    if (m === null) continue;
    let file = m[1]!;
    if (file.startsWith('file://')) file = fileURLToPath(file);
    const cwd = process.cwd() + '/';
    if (file.startsWith(cwd)) file = file.slice(cwd.length);
    return { file, line: Number(m[2]), column: Number(m[3]) };
  }
  return { file: '<html tag>', line: 0, column: 0 };
}

// ---- compiling a call site ------------------------------------------------------------

type Escape = (v: unknown) => string;

/** Runs a fused chain on a value (first escaper first). */
function chainFn(plan: Extract<HolePlan, { kind: 'escape' }>): Escape {
  const fns = fuseChain(plan.chain).map((n) => ESCAPERS[n]);
  if (fns.length === 1) return fns[0]!;
  if (fns.length === 2) {
    const [a, b] = fns as [Escape, Escape];
    return (v) => b(a(v));
  }
  return (v) => fns.reduce<unknown>((x, f) => f(x), v) as string;
}

/**
 * A value as JS writes it (`String(v)`): the html tag takes JS values, so `true` is `true`
 * (templates write values as Jinja does, templates/print.ts).
 */
const str = (v: unknown): string => String(v);

/** Arrays in HTML text: every item as it would be written in text, concatenated. */
function textItems(a: readonly unknown[]): string {
  let out = '';
  for (const x of a) out += textValue(x);
  return out;
}

/** What a non-string value writes in HTML text. */
function textValue(v: unknown): string {
  if (typeof v === 'string') return escapeHTML(v);
  if (v === null || v === undefined || v === false) return '';
  if (isMarkup(v)) return v.toString();
  if (Array.isArray(v)) return textItems(v);
  return escapeHTML(str(v));
}

/**
 * A non-string value outside HTML text, before the hole's chain runs: null, undefined and
 * false are the empty string; an array is joined the way `|join` joins it (with Markup
 * among the items, the result is Markup, whose text an attribute receives).
 */
function otherValue(v: unknown): unknown {
  if (v === null || v === undefined || v === false) return '';
  if (!Array.isArray(v)) return isMarkup(v) || v instanceof SafeURL || v instanceof SafeScript || v instanceof SafeStyle ? v : str(v);
  const flat = (v as unknown[]).flat(Infinity);
  if (flat.some(isMarkup)) return markupFromSafe(textItems(flat));
  let out = '';
  for (const x of flat) if (x !== null && x !== undefined && x !== false) out += str(x);
  return out;
}

/** The function a hole calls with its value. */
function holeFn(plan: Extract<HolePlan, { kind: 'escape' }>): Escape {
  const chain = fuseChain(plan.chain);
  const only = chain.length === 1 ? chain[0] : undefined;
  if (only === 'text') return (v) => (typeof v === 'string' ? escapeHTML(v) : textValue(v));
  const run = chainFn(plan);
  // In a script expression every value is one JS value: null stays null, false stays
  // false, an array is a JSON array.
  if (chain[0] === 'jsValue') return run;
  if (only === 'attr') return (v) => (typeof v === 'string' ? escapeHTML(v) : run(otherValue(v)));
  return (v) => (typeof v === 'string' ? run(v) : run(otherValue(v)));
}

/** Analyses a call site and generates its render function. */
function build(strings: TemplateStringsArray): Render {
  for (let i = 0; i < strings.length; i++) {
    if (typeof strings[i] !== 'string') {
      throw new SiteError('TEMPLATE_SYNTAX', 'the static text has an invalid escape sequence (such as \\u without hex digits)', i, 0);
    }
  }
  const a = analyze(strings);
  if (!endsDocument(a.end)) {
    throw new SiteError(
      'TEMPLATE_UNTERMINATED',
      `the template ends in ${formatContext(a.end)}; close every tag, attribute, script, style and comment it opens`,
      strings.length - 1,
      strings[strings.length - 1]!.length,
    );
  }
  const args: unknown[] = [];
  const names: string[] = [];
  const arg = (v: unknown): string => {
    names.push(`$${args.length}`);
    args.push(v);
    return names[names.length - 1]!;
  };
  const terms: string[] = [];
  let text = '';
  let needsScope = false;
  const flush = (): void => {
    if (text !== '') terms.push(JSON.stringify(text));
    text = '';
  };
  a.parts.forEach((pieces, p) => {
    for (const piece of pieces) {
      if (typeof piece === 'string') {
        text += piece;
      } else {
        flush();
        needsScope = true;
        let term = piece.insert === 'nonce' ? `${arg(nonceAttr)}($S)` : `${arg(csrfFieldHTML)}($S)`;
        for (const step of piece.wrap ?? []) term = `${arg(ESCAPERS[step])}(${term})`;
        terms.push(term);
      }
    }
    if (p === a.holes.length) return;
    const plan = a.holes[p]!;
    if (plan.kind === 'drop') return;
    if (plan.kind === 'name') {
      throw new SiteError(
        'TEMPLATE_VALUE_IN_TAG',
        'a value where an attribute name goes; write the attribute in the template (to switch one on or off, choose between two html`…` results written in HTML text)',
        p,
        -1,
      );
    }
    if (plan.kind === 'error') throw new AnalysisError(plan.code, plan.reason, p, -1, plan.ctx);
    text += plan.prefix;
    flush();
    terms.push(`${arg(holeFn(plan))}($v[${p}])`);
  });
  flush();
  const body = `return function render($v) {${needsScope ? ` const $S = ${arg(renderEnv)}();` : ''} return ${terms.length === 0 ? '""' : terms.join(' + ')}; };`;
  return new Function(...names, body)(...args) as Render;
}
