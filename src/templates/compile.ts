/**
 * Compiling: source → tokens → tree → escaping plan → JS module, instantiated once; and
 * the Template object that renders it. Also `renderString`, which compiles (with a small
 * cache) and renders a source in one call.
 *
 * Strict mode (undefined names and attributes raise TEMPLATE_UNDEFINED with file:line)
 * is on when `strict: true` is passed, or, when `strict` is not given, when the mode
 * (src/mode.ts: PALISADE_ENV, else production) is `development` or `test`. In production an
 * undefined value renders as empty text. See docs/templates.md.
 */
import { TemplateError } from '../errors.js';
import { resolveMode } from '../mode.js';
import { type Markup, markupFromSafe } from '../escape/markup.js';
import { Source } from './lexer.js';
import { parse } from './parser.js';
import { type BlockContexts, type EscapePlan, escapeTemplate } from './escaper.js';
import { formatContext, joinContexts, sameContext } from './context.js';
import { generate } from './codegen.js';
import { FILTERS, type FilterDef } from './filters.js';
import { TESTS } from './is-tests.js';
import * as rt from './runtime.js';
import { ESCAPERS } from './hole-escapers.js';
import { MAX_BUILT_ITEMS, Namespace, checkBuilt, iter } from './values.js';
import { type BlockChains } from './blocks.js';
import { RenderFault, type Where, fail } from './render-errors.js';
import { type RenderEnv, csrfFieldHTML, renderEnv, renderWith } from './render-env.js';
import { markRenderedFor, scopeOfRender } from '../http/context.js';

/** Options shared by compileTemplate, renderString and createTemplates. */
export interface CompileOptions {
  /** Name used in error messages (file:line:column). Default `<string>`. */
  name?: string;
  /** Raise on undefined names and attributes. Default: the mode (PALISADE_ENV) is development or test. */
  strict?: boolean;
  /** Extra filters: `(value, ...args) => result`. They see no HTML context; their result is escaped. */
  filters?: Record<string, (value: any, ...args: any[]) => unknown>;
  /** Extra `is` tests. */
  tests?: Record<string, (value: any, ...args: any[]) => boolean>;
  /** Values every render sees (after the built-ins, before the render's context). */
  globals?: Record<string, unknown>;
}

/** Internal options (the e2e control run); never documented for applications. */
export interface InternalCompileOptions extends CompileOptions {
  unsafeDisableEscaping?: boolean;
  /** `false`: the output pass writes every value plainly (output-pass.ts); for the differential test. */
  optimizeOutput?: boolean;
}

/** Whether strict mode applies when `strict` is not given. */
export function defaultStrict(): boolean {
  return resolveMode() !== 'production';
}

type Root = (ctx: object | null, env: Env, blocks: BlockChains | undefined, wantTop: boolean, contexts: ReadonlyMap<string, BlockContexts>) => unknown;

/** What a compiled module needs from its surroundings: other templates, globals. */
export interface Env {
  readonly strict: boolean;
  readonly unsafeDisableEscaping: boolean;
  readonly optimizeOutput: boolean;
  readonly filters: Readonly<Record<string, FilterDef>>;
  readonly tests: Readonly<Record<string, (...a: any[]) => boolean>>;
  /** Finds another template (extends, include, import); throws TEMPLATE_NOT_FOUND. */
  load(name: string): Template;
  makeTop(ctx: object | null): Record<string, unknown>;
  render(name: string, ctx: object | null, blocks: BlockChains, w: Where, p: number): string;
  /** `{% extends expr %}`: the parent named by a value, its blocks checked against the chain. */
  renderDynamic(name: unknown, ctx: object | null, blocks: BlockChains, w: Where, p: number): string;
  include(name: unknown, ctx: object | null, ignoreMissing: boolean, w: Where, p: number): string;
  /** The names a template defines (macros, sets), run with `ctx` (`with context`) or none. */
  importModule(name: unknown, w: Where, p: number, ctx: object | null): object;
}

const BUILTINS: Record<string, unknown> = Object.assign(Object.create(null) as Record<string, unknown>, {
  range(a: number, b?: number, step = 1): number[] {
    const [start, stop] = b === undefined ? [0, a] : [a, b];
    const out: number[] = [];
    if (step === 0) throw new RenderFault('TEMPLATE_RUNTIME', 'range() step must not be zero');
    const count = Math.ceil((stop - start) / step);
    if (count > 0) checkBuilt(count, MAX_BUILT_ITEMS, 'range()');
    for (let i = start; step > 0 ? i < stop : i > stop; i += step) {
      out.push(i);
      checkBuilt(out.length, MAX_BUILT_ITEMS, 'range()');
    }
    return out;
  },
  dict(...inits: unknown[]): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const init of inits) {
      if (init === null || typeof init !== 'object') continue;
      for (const [k, v] of init instanceof Map ? [...init.entries()] : Array.isArray(init) ? init.map((p) => iter(p)) : Object.entries(init)) {
        Object.defineProperty(out, String(k), { value: v, enumerable: true, writable: true, configurable: true });
      }
    }
    return out;
  },
  namespace(...inits: unknown[]): Namespace {
    return new Namespace(...inits);
  },
  csrf_token(): string {
    const s = renderEnv();
    if (s?.csrfToken === undefined) {
      throw new RenderFault(
        'TEMPLATE_CSRF_UNAVAILABLE',
        'csrf_token() needs a request with CSRF protection; render this template from a handler, or pass a render environment with csrfToken',
      );
    }
    return s.csrfToken();
  },
  csrf_field(): Markup {
    const s = renderEnv();
    if (s?.csrfToken === undefined) {
      throw new RenderFault(
        'TEMPLATE_CSRF_UNAVAILABLE',
        'csrf_field() needs a request with CSRF protection; render this template from a handler, or pass a render environment with csrfToken',
      );
    }
    return markupFromSafe(csrfFieldHTML(s));
  },
  url_for(name: string, params?: Record<string, unknown>): string {
    const f = renderEnv()?.urlFor;
    if (f === undefined)
      throw new RenderFault('TEMPLATE_RUNTIME', 'url_for() needs a request: render this template from a handler, or pass a render environment with urlFor');
    return f(name, params ?? {});
  },
});

/**
 * How deeply `{% include %}` and `{% extends expr %}` may nest while one page renders. A
 * template named by a value can name itself (`{% extends layout %}` with `layout` from the
 * data, or an include of its own name): it recursed until the stack overflowed, each such
 * request holding the event loop for a fifth of a second, and ended in an error with no
 * code. Rendering is synchronous, so one counter serves every render.
 */
const MAX_NESTED_TEMPLATES = 100;
let nesting = 0;

const tooDeep = (name: string): string =>
  `templates nest more than ${MAX_NESTED_TEMPLATES} deep at "${name}": a template that includes or extends itself, through a name from the data?`;

/** A base environment: no other templates (extends, include, import fail). */
export class BaseEnv implements Env {
  readonly strict: boolean;
  readonly unsafeDisableEscaping: boolean;
  readonly optimizeOutput: boolean;
  readonly filters: Readonly<Record<string, FilterDef>>;
  readonly tests: Readonly<Record<string, (...a: any[]) => boolean>>;
  readonly #proto: Record<string, unknown>;

  constructor(opts: InternalCompileOptions) {
    this.strict = opts.strict ?? defaultStrict();
    this.unsafeDisableEscaping = opts.unsafeDisableEscaping === true;
    this.optimizeOutput = opts.optimizeOutput !== false;
    const custom: Record<string, FilterDef> = {};
    for (const [k, fn] of Object.entries(opts.filters ?? {})) {
      // Their results are written where an attribute name goes, unescaped (escaper.ts).
      if (k === 'attrname' || k === 'xmlattr') throw new TypeError(`the "${k}" filter cannot be replaced: the compiler writes its result as attribute names`);
      custom[k] = { fn, params: [] };
    }
    this.filters = { ...FILTERS, ...custom };
    this.tests = { ...TESTS, ...(opts.tests ?? {}) };
    this.#proto = Object.assign(Object.create(BUILTINS) as Record<string, unknown>, opts.globals ?? {});
  }

  load(name: string): Template {
    throw new RenderFault('TEMPLATE_NOT_FOUND', `template "${name}" not found: a template compiled from a string has no loader; use createTemplates({ dir })`);
  }

  makeTop(ctx: object | null): Record<string, unknown> {
    // The request's globals go on the namespace itself, before the context (which wins).
    // Not on a prototype of their own: an object made a prototype for one render gets a
    // new map, which V8 keeps in the old generation, and through it the render's garbage
    // outlived young collections (bench/README.md, "A page's garbage").
    const top = Object.create(this.#proto) as Record<string, unknown>;
    const globals = renderEnv()?.globals;
    if (globals !== undefined) Object.assign(top, globals);
    if (ctx !== null) Object.assign(top, ctx);
    return top;
  }

  render(name: string, ctx: object | null, blocks: BlockChains): string {
    return this.load(name).renderRaw(ctx, blocks);
  }

  renderDynamic(name: unknown, ctx: object | null, blocks: BlockChains, w: Where, p: number): string {
    if (typeof name !== 'string') fail('TEMPLATE_RUNTIME', '{% extends %} needs the name of a template', w, p);
    let parent: Template;
    try {
      parent = this.load(name);
    } catch (e) {
      if (e instanceof RenderFault) fail(e.code, e.message, w, p);
      throw e;
    }
    checkOverrides(parent, blocks, w, p);
    if (nesting >= MAX_NESTED_TEMPLATES) fail('TEMPLATE_RUNTIME', tooDeep(name), w, p);
    nesting++;
    try {
      return parent.renderRaw(ctx, blocks);
    } finally {
      nesting--;
    }
  }

  include(name: unknown, ctx: object | null, ignoreMissing: boolean): string {
    const names = Array.isArray(name) ? name.map(String) : [String(name)];
    for (const n of names) {
      let t: Template;
      try {
        t = this.load(n);
      } catch (e) {
        if ((e instanceof RenderFault || e instanceof TemplateError) && e.code === 'TEMPLATE_NOT_FOUND') continue;
        throw e;
      }
      if (nesting >= MAX_NESTED_TEMPLATES) throw new RenderFault('TEMPLATE_RUNTIME', tooDeep(n));
      nesting++;
      try {
        return t.renderRaw(ctx, undefined);
      } finally {
        nesting--;
      }
    }
    if (ignoreMissing) return '';
    throw new RenderFault('TEMPLATE_NOT_FOUND', `template "${names.join('", "')}" not found`);
  }

  importModule(name: unknown, _w: Where, _p: number, ctx: object | null = null): object {
    return this.load(String(name)).module(ctx);
  }
}

/** The block contexts each parent has been checked against, so a check runs once. */
const checkedOverrides = new WeakMap<Template, WeakSet<object>>();

/**
 * A parent named when the page is rendered (`{% extends layout %}`): the blocks of the
 * templates that extend it were escaped for the contexts they expected (HTML text when the
 * parent was not known). Each must start and end where the parent's own block does, as
 * the compiler checks for a parent named by a string; else TEMPLATE_BLOCK_CONTEXT.
 */
function checkOverrides(parent: Template, blocks: BlockChains, w: Where, p: number): void {
  let seen = checkedOverrides.get(parent);
  if (seen === undefined) checkedOverrides.set(parent, (seen = new WeakSet()));
  for (const [name, chain] of Object.entries(blocks)) {
    const own = parent.blockContexts.get(name);
    if (own === undefined) continue;
    for (const entry of chain) {
      const c = entry.ctx as BlockContexts | undefined;
      if (c === undefined) fail('TEMPLATE_BLOCK_CONTEXT', `block ${name} has no escaping contexts to check against ${parent.name}`, w, p);
      if (seen.has(c)) continue;
      const end = joinContexts(c.end, own.end);
      if (!sameContext(c.start, own.start) || end === null || !sameContext(end, own.end)) {
        fail(
          'TEMPLATE_BLOCK_CONTEXT',
          `block ${name} was escaped for ${formatContext(c.start)}, but ${parent.name} writes it in ${formatContext(own.start)}: a block must start and end where the block it overrides does`,
          w,
          p,
        );
      }
      seen.add(c);
    }
  }
}

/**
 * A compiled template: a plain JS function made once, rendered many times.
 *
 * ```ts
 * const t = compileTemplate('<a href="{{ url }}">{{ label }}</a>');
 * t.render({ url: 'javascript:alert(1)', label: 'x' }) // Markup: <a href="about:invalid#palisade-unsafe">x</a>
 * ```
 */
export class Template {
  readonly name: string;
  /** The contexts of this template's blocks, for templates that extend it. */
  readonly blockContexts: ReadonlyMap<string, BlockContexts>;
  /** Names of templates this one extends (for reloading in development). */
  readonly parent: string | null;
  /**
   * Where a `<form method="post">` gets no automatic CSRF field (its action may leave this
   * site) while the template writes no `csrf_field()` or `csrf_token()`: in a browser such a
   * form is refused with 403. `palisade check` lists them (Templates.check).
   */
  readonly formsWithoutCSRF: readonly { line: number; column: number }[];
  readonly #root: Root;
  readonly #env: Env;

  constructor(
    name: string,
    root: Root,
    env: Env,
    blocks: ReadonlyMap<string, BlockContexts>,
    parent: string | null,
    formsWithoutCSRF: readonly { line: number; column: number }[] = [],
  ) {
    this.name = name;
    this.formsWithoutCSRF = formsWithoutCSRF;
    this.#root = root;
    this.#env = env;
    this.blockContexts = blocks;
    this.parent = parent;
  }

  /**
   * Renders with `context` and returns Markup (safe HTML). `env` is the render environment
   * (the CSP nonce, CSRF token, `url_for`, request globals; see RenderEnv); without one, a
   * render while a request is handled uses the request's.
   */
  render(context: Record<string, unknown> = {}, env?: RenderEnv): Markup {
    const out = markupFromSafe(renderWith(env, () => this.#root(context, this.#env, undefined, false, this.blockContexts) as string));
    // The request whose token, nonce and user this HTML holds (src/http/context.ts), from
    // the environment or from Markup in the context rendered for another request.
    const scope = scopeOfRender(env ?? renderEnv(), Object.values(context));
    if (scope !== undefined) markRenderedFor(out, scope);
    return out;
  }

  /** Internal: renders to a string with block overrides from child templates. */
  renderRaw(ctx: object | null, blocks: BlockChains | undefined): string {
    return this.#root(ctx, this.#env, blocks, false, this.blockContexts) as string;
  }

  /** Internal: runs the top level (with `ctx` for `with context`) and returns its names (macros, sets), for `import`. */
  module(ctx: object | null = null): object {
    return this.#root(ctx, this.#env, undefined, true, this.blockContexts) as object;
  }
}

/** What compiling a template decides before any code runs: its escaping plan and the generated module. */
export interface Translation {
  readonly plan: EscapePlan;
  /** The body of `new Function('$rt', '$esc', '$filters', '$tests', code)`; tests parse it without running it. */
  readonly code: string;
  /** The template this one extends, or null. */
  readonly parent: string | null;
  /** POST forms that get no CSRF field, in a template that writes none itself (Template.formsWithoutCSRF). */
  readonly formsWithoutCSRF: readonly { line: number; column: number }[];
}

/** True when the template calls csrf_field() or csrf_token() somewhere: it writes a field itself. */
function writesCSRF(x: unknown): boolean {
  if (x === null || typeof x !== 'object') return false;
  if (Array.isArray(x)) return x.some(writesCSRF);
  const o = x as Record<string, unknown>;
  if (o.kind === 'call') {
    const fn = o.fn as { kind: string; name?: string };
    if (fn.kind === 'name' && (fn.name === 'csrf_field' || fn.name === 'csrf_token')) return true;
  }
  for (const k in o) if (typeof o[k] === 'object' && writesCSRF(o[k])) return true;
  return false;
}

/** Parses, escapes and generates the code of `source`; `parentBlocks` when it extends a loaded parent. */
export function translate(source: string, name: string, env: Env, parentBlocks: ReadonlyMap<string, BlockContexts> | null): Translation {
  const src = new Source(source, name);
  const ast = parse(src);
  if (typeof ast.extends === 'string' && parentBlocks === null) parentBlocks = env.load(ast.extends).blockContexts;
  const plan = escapeTemplate(ast, src, parentBlocks);
  const code = generate(ast, plan, src, {
    strict: env.strict,
    unsafeDisableEscaping: env.unsafeDisableEscaping,
    optimizeOutput: env.optimizeOutput,
    filters: env.filters,
    tests: env.tests,
  });
  const formsWithoutCSRF = writesCSRF(ast.body)
    ? []
    : plan.formsWithoutField.map((o) => {
        const { line, column } = src.position(o);
        return { line, column };
      });
  return { plan, code, parent: typeof ast.extends === 'string' ? ast.extends : null, formsWithoutCSRF };
}

/** Compiles `source` against an environment; `parentBlocks` when it extends a loaded parent. */
export function compileWith(source: string, name: string, env: Env, parentBlocks: ReadonlyMap<string, BlockContexts> | null): Template {
  const { plan, code, parent, formsWithoutCSRF } = translate(source, name, env, parentBlocks);
  // eslint-disable-next-line @typescript-eslint/no-implied-eval -- compiling templates is this module's job
  const factory = new Function('$rt', '$esc', '$filters', '$tests', code) as (
    r: typeof rt,
    e: typeof ESCAPERS,
    f: typeof env.filters,
    t: typeof env.tests,
  ) => { root: Root };
  const mod = factory(rt, ESCAPERS, env.filters, env.tests);
  return new Template(name, mod.root, env, plan.blocks, parent, formsWithoutCSRF);
}

/**
 * Compiles a template source. Throws TemplateError (with file, line, column) when the
 * source is invalid or cannot be escaped safely. See docs/templates.md.
 *
 * ```ts
 * const t = compileTemplate('<p>Hello {{ name }}</p>', { name: 'hello.html' });
 * t.render({ name: '<b>' }).toString() // '<p>Hello &lt;b&gt;</p>'
 * ```
 */
export function compileTemplate(source: string, options: CompileOptions = {}): Template {
  return compileWith(source, options.name ?? '<string>', new BaseEnv(options), null);
}

const cache = new Map<string, Template>();
const CACHE_LIMIT = 256;

/**
 * Renders a template source with `context` and returns the HTML as a string, escaped by
 * context. Compiled templates are cached by source. See docs/templates.md.
 *
 * ```ts
 * renderString('<a href="{{ u }}">x</a>', { u: 'javascript:alert(1)' })
 * // '<a href="about:invalid#palisade-unsafe">x</a>'
 * ```
 */
export function renderString(source: string, context: Record<string, unknown> = {}, options: CompileOptions = {}): string {
  const hasOptions = options.filters !== undefined || options.tests !== undefined || options.globals !== undefined;
  if (hasOptions) return compileTemplate(source, options).render(context).toString();
  const strict = options.strict ?? defaultStrict();
  const key = `${strict ? 's' : 'l'}:${options.name ?? ''}:${source}`;
  let t = cache.get(key);
  if (t === undefined) {
    t = compileTemplate(source, { ...options, strict });
    if (cache.size >= CACHE_LIMIT) cache.clear();
    cache.set(key, t);
  }
  return t.render(context).toString();
}
