/**
 * The file loader: `createTemplates({ dir })` finds templates under `dir` (subfolders
 * included, names use `/`), compiles each once and caches it, and resolves `extends`,
 * `include` and `import` through the same cache. In development mode it checks the
 * file's modification time on every use and recompiles a template whose file (or whose
 * parent layout) changed. See docs/templates.md.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, resolve, sep } from 'node:path';
import { TemplateError } from '../errors.js';
import { resolveMode } from '../mode.js';
import type { Markup } from '../escape/markup.js';
import { BaseEnv, type CompileOptions, type InternalCompileOptions, Template, compileWith } from './compile.js';
import { RenderFault } from './render-errors.js';
import type { RenderEnv } from './render-env.js';

/** The app's `templates` setting, or what `new Templates(options)` takes (docs/templates.md). */
export interface TemplatesOptions extends CompileOptions {
  /** The folder that holds the templates. */
  dir: string;
  /**
   * `development` reloads changed files and is strict about undefined names; `test` is
   * strict; `production` caches forever and renders undefined names as empty.
   * Default: PALISADE_ENV, else production (the app's mode for the app's templates; see
   * docs/deployment.md#the-mode).
   */
  mode?: 'development' | 'production' | 'test';
}

interface Entry {
  template: Template;
  mtimeMs: number;
  size: number;
  parent: Template | null;
}

const NAME = /^(?:[^/\\\0]+\/)*[^/\\\0]+$/;

class LoaderEnv extends BaseEnv {
  constructor(
    opts: InternalCompileOptions,
    readonly templates: Templates,
  ) {
    super(opts);
  }
  override load(name: string): Template {
    return this.templates.get(name);
  }
}

/**
 * The templates in one folder.
 *
 * ```ts
 * const templates = createTemplates({ dir: 'templates' });
 * templates.render('notes/show.html', { note }) // Markup
 * ```
 */
export class Templates {
  readonly dir: string;
  readonly mode: 'development' | 'production' | 'test';
  readonly #env: LoaderEnv;
  readonly #cache = new Map<string, Entry>();
  readonly #compiling = new Set<string>();

  constructor(opts: TemplatesOptions & InternalCompileOptions) {
    this.dir = resolve(opts.dir);
    this.mode = resolveMode(opts.mode);
    this.#env = new LoaderEnv({ ...opts, strict: opts.strict ?? this.mode !== 'production' }, this);
  }

  /** The absolute path of a template name, refusing names that leave the folder. */
  #path(name: string): string {
    const parts = name.split('/');
    if (!NAME.test(name) || parts.some((p) => p === '..' || p === '.')) {
      throw new RenderFault('TEMPLATE_NOT_FOUND', `"${name}" is not a template name: use a relative path with "/" and no ".." inside the templates folder`);
    }
    // Hidden files (.env, .git/config) sit in folders beside templates but are never
    // templates; a name taken from data ({% include page %}) must not reach them.
    if (parts.some((p) => p.startsWith('.'))) {
      throw new RenderFault('TEMPLATE_NOT_FOUND', `"${name}" names a hidden file or folder (starting with "."), which is never a template`);
    }
    const p = join(this.dir, ...parts);
    if (!p.startsWith(this.dir + sep)) throw new RenderFault('TEMPLATE_NOT_FOUND', `"${name}" is outside the templates folder`);
    return p;
  }

  /** The compiled template `name` (compiling or, in development, recompiling it). */
  get(name: string): Template {
    const cached = this.#cache.get(name);
    if (cached !== undefined && this.mode !== 'development') return cached.template;
    const path = this.#path(name);
    let st;
    try {
      st = statSync(path);
    } catch {
      this.#cache.delete(name);
      throw new RenderFault('TEMPLATE_NOT_FOUND', `template "${name}" not found in ${this.dir}`);
    }
    if (cached !== undefined && cached.mtimeMs === st.mtimeMs && cached.size === st.size) {
      if (cached.parent === null || this.get(cached.template.parent!) === cached.parent) return cached.template;
    }
    if (this.#compiling.has(name))
      throw new RenderFault('TEMPLATE_NOT_FOUND', `template "${name}" extends itself (through ${[...this.#compiling].join(' → ')})`);
    this.#compiling.add(name);
    try {
      const source = readFileSync(path, 'utf8');
      const template = compileWith(source, name, this.#env, null);
      const parent = template.parent === null ? null : this.get(template.parent);
      this.#cache.set(name, { template, mtimeMs: st.mtimeMs, size: st.size, parent });
      return template;
    } finally {
      this.#compiling.delete(name);
    }
  }

  /**
   * Renders `name` with `context` in the render environment `env` (see RenderEnv; without
   * one, a render while a request is handled uses the request's); returns Markup. Throws
   * TemplateError.
   */
  render(name: string, context: Record<string, unknown> = {}, env?: RenderEnv): Markup {
    let t: Template;
    try {
      t = this.get(name);
    } catch (e) {
      if (e instanceof RenderFault) throw new TemplateError(e.code, e.message, { file: name, line: 0, column: 0 });
      throw e;
    }
    return t.render(context, env);
  }

  /** The names of every `.html` file under the folder, sorted, as `get` takes them. */
  #htmlFiles(): string[] {
    const names: string[] = [];
    const walk = (dir: string, prefix: string): void => {
      for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
        if (entry.isDirectory()) walk(join(dir, entry.name), `${prefix}${entry.name}/`);
        else if (entry.name.endsWith('.html')) names.push(prefix + entry.name);
      }
    };
    walk(this.dir, '');
    return names;
  }

  /** Compiles every `.html` file under the folder (to find errors at start-up); returns their names. */
  precompile(): string[] {
    const names = this.#htmlFiles();
    for (const n of names) {
      try {
        this.get(n);
      } catch (e) {
        if (e instanceof RenderFault) throw new TemplateError(e.code, e.message, { file: n, line: 0, column: 0 });
        throw e;
      }
    }
    return names;
  }

  /**
   * Compiles every `.html` file and lists what would fail in a browser: templates that do not
   * compile, and POST forms that get no CSRF field (their action is a value, or another
   * site) in a template that writes no `csrf_field()` itself. `palisade check` reports them.
   */
  check(): TemplateProblem[] {
    const out: TemplateProblem[] = [];
    const names = this.#htmlFiles();
    for (const n of names) {
      let t: Template;
      try {
        t = this.get(n);
      } catch (e) {
        if (!(e instanceof RenderFault || e instanceof TemplateError)) throw e;
        const where = e instanceof TemplateError ? `${e.file}:${e.line}:${e.column}` : n;
        out.push({ id: 'template-error', where, message: e instanceof TemplateError ? `${e.reason} [${e.code}]` : e.message });
        continue;
      }
      for (const f of t.formsWithoutCSRF) {
        out.push({
          id: 'form-without-csrf',
          where: `${n}:${f.line}:${f.column}`,
          message:
            'this <form method="post"> gets no CSRF field, because its action is a value or another site, so a browser\'s submission is refused with 403',
        });
      }
    }
    return out;
  }
}

/** One problem `Templates.check` found in a template. */
export interface TemplateProblem {
  /** `template-error`: it does not compile; `form-without-csrf`: a POST form that gets no CSRF field. */
  readonly id: 'template-error' | 'form-without-csrf';
  /** `name:line:column`. */
  readonly where: string;
  readonly message: string;
}

/** Creates the template set for a folder. See Templates and docs/templates.md. */
export function createTemplates(options: TemplatesOptions): Templates {
  return new Templates(options);
}
