// The import graph of src/ as the dependency rule sees it: every relative import of every
// file (runtime or type-only), read from the source text, and the layer each file is in.
// docs/architecture.md explains the layers; layers-rule.mjs enforces them.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

/**
 * The layers, lowest first. A file may import at run time only from its own layer or a
 * lower one; `templates` never imports `app`, even a type.
 */
export const LAYERS = [
  ['base', ['errors.ts', 'mode.ts', 'util']],
  ['escape', ['escape']],
  ['http', ['http']],
  ['templates', ['templates', 'html.ts']],
  ['features', ['security', 'files', 'forms', 'auth', 'json', 'realtime', 'validation', 'openapi']],
  ['app', ['app']],
  ['adapters', ['adapters', 'testing']],
  ['entry', ['create-app.ts', 'index.ts', 'cli', 'eslint']],
];

/**
 * The core's plug-in contract: what a protection implements and what route options it
 * declares by merging. Features and http/ may import these types (never their values):
 * a type import is erased when compiled, so it adds no run-time dependency.
 */
export const CONTRACT = new Set(['app/protection.ts', 'app/route-table.ts', 'app/route-collector.ts', 'app/settings.ts', 'app/config.ts']);

/** Folders whose files may not import the app even as a type. */
const NO_APP_TYPES = new Set(['base', 'escape', 'templates']);

/** The first path part of a file under src/ (`app`, `index.ts`). */
export function unitOf(srcRoot, file) {
  return relative(srcRoot, file).split(sep)[0];
}

/** The layer name and rank of a file under src/, or undefined outside the table. */
export function layerOf(srcRoot, file) {
  const unit = unitOf(srcRoot, file);
  const i = LAYERS.findIndex(([, units]) => units.includes(unit));
  return i === -1 ? undefined : { name: LAYERS[i][0], rank: i };
}

const IMPORT =
  /^[ \t]*(import|export)\s+(type\s+)?([^'";]*?)\s*from\s*['"](\.{1,2}\/[^'"]+)['"]|^[ \t]*import\s+['"](\.{1,2}\/[^'"]+)['"]|\bimport\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*\)|^[ \t]*declare\s+module\s+['"](\.{1,2}\/[^'"]+)['"]/gm;

/**
 * The relative imports in a module's text: `{ spec, line, column, typeOnly }`. `import type`,
 * `export type`, a list of `type` specifiers only, `import('…').T` in a type position and
 * `declare module '…'` (an augmentation) are type-only.
 */
export function importsOf(text) {
  const out = [];
  for (const m of text.matchAll(IMPORT)) {
    const spec = m[4] ?? m[5] ?? m[6] ?? m[7];
    let typeOnly;
    if (m[4] !== undefined) {
      const clause = m[3].trim();
      const list = /^\{([\s\S]*)\}$/.exec(clause);
      typeOnly =
        m[2] !== undefined ||
        (list !== null &&
          list[1]
            .split(',')
            .map((s) => s.trim())
            .filter(Boolean)
            .every((s) => s.startsWith('type ')));
    } else if (m[6] !== undefined) {
      // import('x') followed by .Name in a type is a type; awaited or called it is a value.
      const after = text.slice(m.index + m[0].length, m.index + m[0].length + 1);
      const before = text.slice(Math.max(0, m.index - 6), m.index);
      typeOnly = after === '.' && !/await\s*$/.test(before);
    } else {
      typeOnly = m[7] !== undefined;
    }
    const at = m.index + m[0].indexOf(spec) - 1;
    const line = text.slice(0, at).split('\n').length;
    const column = at - text.lastIndexOf('\n', at - 1) - 1;
    out.push({ spec, line, column, typeOnly });
  }
  return out;
}

/** The file an import names, `.js` read as the `.ts` source. */
export function resolveSpec(from, spec) {
  return resolve(dirname(from), spec.replace(/\.js$/, '.ts'));
}

/** What is wrong with one import, or undefined: the layer rule. */
export function layerProblem(srcRoot, from, target, typeOnly) {
  const a = layerOf(srcRoot, from);
  const b = layerOf(srcRoot, target);
  if (a === undefined || b === undefined || a.rank >= b.rank) return undefined;
  const rel = relative(srcRoot, target).split(sep).join('/');
  if (typeOnly && CONTRACT.has(rel) && !NO_APP_TYPES.has(a.name)) return undefined;
  const what = typeOnly ? 'a type from' : '';
  return (
    `${relative(srcRoot, from).split(sep).join('/')} (layer ${a.name}) imports ${what}${what ? ' ' : ''}${rel} (layer ${b.name}), which is above it. ` +
    (typeOnly
      ? NO_APP_TYPES.has(a.name)
        ? `The ${a.name} layer never imports from above, not even types.`
        : `Only the core's contract (${[...CONTRACT].join(', ')}) may be imported from above, as types.`
      : 'Imports run downward: move the shared code down, or pass it in.') +
    ' See docs/architecture.md.'
  );
}

/** Every .ts file under a folder. */
export function sourceFiles(dir) {
  const out = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...sourceFiles(p));
    else if (name.endsWith('.ts')) out.push(p);
  }
  return out;
}

/**
 * The run-time import cycles among `files` (type-only imports erased, as the compiler
 * erases them): each cycle as a list of files, `files[0] → files[1] → … → files[0]`.
 */
export function runtimeCycles(files, read = (f) => readFileSync(f, 'utf8')) {
  const known = new Set(files);
  const edges = new Map();
  for (const f of files) {
    edges.set(f, [
      ...new Set(
        importsOf(read(f))
          .filter((i) => !i.typeOnly)
          .map((i) => resolveSpec(f, i.spec))
          .filter((t) => known.has(t)),
      ),
    ]);
  }
  // Tarjan's strongly connected components; each component of two or more files holds a cycle.
  let index = 0;
  const stack = [];
  const on = new Set();
  const idx = new Map();
  const low = new Map();
  const out = [];
  const visit = (v) => {
    idx.set(v, index);
    low.set(v, index++);
    stack.push(v);
    on.add(v);
    for (const w of edges.get(v)) {
      if (!idx.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v), low.get(w)));
      } else if (on.has(w)) low.set(v, Math.min(low.get(v), idx.get(w)));
    }
    if (low.get(v) === idx.get(v)) {
      const comp = [];
      let w;
      do {
        w = stack.pop();
        on.delete(w);
        comp.push(w);
      } while (w !== v);
      if (comp.length > 1 || edges.get(v).includes(v)) out.push(comp.reverse());
    }
  };
  for (const f of files) if (!idx.has(f)) visit(f);
  return out;
}
