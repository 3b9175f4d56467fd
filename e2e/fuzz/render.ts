/**
 * Compiles and renders fuzz cases with Palisade: templates through the template engine
 * (other templates held in memory, for include, import and extends), `html` recipes
 * through the `html` tag. A compile-time refusal is a TemplateError and is counted; any
 * other exception, at compile or render time, is a failure.
 */
import { BaseEnv, type Template, compileWith, translate } from '../../src/templates/compile.js';
import { analyze } from '../../src/templates/analyze.js';
import { formatContext } from '../../src/templates/context.js';
import { RenderFault } from '../../src/templates/render-errors.js';
import { html } from '../../src/html.js';
import { type HtmlHole, type HtmlRecipe, type Sources, isHoleList } from './constructs.js';

/** Options of a run: the controls switch escaping off to prove the judge can fail. */
export interface RenderOptions {
  /** The template compile option the e2e control suite uses; the html tag has none. */
  readonly unsafeDisableEscaping?: boolean;
}

/** An environment whose other templates are the case's files. */
class MemoryEnv extends BaseEnv {
  readonly #files: Readonly<Record<string, string>>;
  readonly #cache = new Map<string, Template>();

  constructor(files: Readonly<Record<string, string>>, opts: RenderOptions) {
    super({ strict: true, unsafeDisableEscaping: opts.unsafeDisableEscaping === true });
    this.#files = files;
  }

  override load(name: string): Template {
    let t = this.#cache.get(name);
    if (t !== undefined) return t;
    const src = Object.hasOwn(this.#files, name) ? this.#files[name] : undefined;
    if (src === undefined) throw new RenderFault('TEMPLATE_NOT_FOUND', `template "${name}" not found`);
    t = compileWith(src, name, this, null);
    this.#cache.set(name, t);
    return t;
  }
}

/** The data every render gets: the value `v` and the names constructs use. */
export function renderData(v: string): Record<string, unknown> {
  return { v, c: true, d: false, xs: [1], two: [1, 2], tree: [{ v, kids: [{ v, kids: [] }] }] };
}

/** Compiles a case once; returns a function that renders it with a value. Throws what compiling throws. */
export function compileCase(src: Sources, opts: RenderOptions = {}): (v: string) => string {
  if (src.engine === 'html') {
    const strings = new Map<HtmlRecipe, TemplateStringsArray>();
    const build = (r: HtmlRecipe, v: string): unknown => {
      let t = strings.get(r);
      if (t === undefined) {
        // What a tag receives: a frozen array of the parts with a frozen `raw`.
        t = Object.freeze(Object.assign([...r.parts], { raw: Object.freeze([...r.parts]) })) as unknown as TemplateStringsArray;
        strings.set(r, t);
      }
      return html(t, ...r.holes.map((h) => holeValue(h, v, build)));
    };
    // Compile now (the first call compiles the call site and raises its errors).
    build(src.html!, 'x');
    return (v) => String(build(src.html!, v));
  }
  const env = new MemoryEnv(src.files, opts);
  // Other templates are compiled now, so that their refusals count as the case's, not as
  // failures of a render.
  for (const name of Object.keys(src.files)) env.load(name);
  const t = compileWith(src.main, 'main.html', env, null);
  return (v) => t.render(renderData(v)).toString();
}

/**
 * The case rendered with an empty value, or null when that render throws. A value whose
 * render is this one put nothing in the page: whatever the judge finds in it is the
 * template's own doing with an empty value (`@media{{ v }}{` is a media rule when `v` is
 * empty, whatever escaping), not an injection, and it is not counted as unsafe.
 */
export function emptyRender(render: (v: string) => string): string | null {
  try {
    return render('');
  } catch {
    return null;
  }
}

function holeValue(h: HtmlHole, v: string, build: (r: HtmlRecipe, v: string) => unknown): unknown {
  if (h === 'v') return v;
  if (h === null) return null;
  if (isHoleList(h)) return h.map((x) => holeValue(x, v, build));
  if ('text' in h) return h.text;
  return build(h, v);
}

/**
 * The escaper's contexts at the case's holes (`URL (attribute url, double-quoted, url part
 * start)`, …), for coverage counts. Call only for a case that compiled.
 */
export function holeContexts(src: Sources): string[] {
  if (src.engine === 'html') {
    const out: string[] = [];
    const walk = (h: HtmlHole): void => {
      if (h === 'v' || h === null) return;
      if (isHoleList(h)) return h.forEach(walk);
      if ('text' in h) return;
      for (const plan of analyze(h.parts).holes) out.push(formatContext(plan.ctx));
      h.holes.forEach(walk);
    };
    walk(src.html!);
    return out;
  }
  const env = new MemoryEnv(src.files, {});
  const out: string[] = [];
  for (const [name, text] of [['main.html', src.main], ...Object.entries(src.files)] as const) {
    try {
      for (const plan of translate(text, name, env, null).plan.outputs.values()) out.push(formatContext(plan.ctx));
    } catch {
      // a file the case never uses may not compile alone
    }
  }
  return out;
}
