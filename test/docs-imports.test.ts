// Every name a docs sample imports from Palisade is one the package exports: the code
// blocks of docs/*.md and docs/errors/*.md and the files of docs/examples import from a
// public entry point ('palisade', 'palisade/testing', 'palisade/eslint', or in this
// repository the same files by path), never from an internal module, and each name they
// import is exported there. A sample that needs an internal name cannot be followed by a
// reader, whose installed package has only the exports.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

/** The public entry points: the package name and subpaths, and the source files behind them. */
const ENTRIES: Record<string, string> = {
  palisade: 'src/index.ts',
  'palisade/testing': 'src/testing/index.ts',
  'palisade/eslint': 'src/eslint/index.ts',
};

/** The names a module exports, read from its export statements (entry files re-export only). */
function exportsOf(file: string, seen = new Set<string>()): Set<string> {
  const names = new Set<string>();
  if (seen.has(file)) return names;
  seen.add(file);
  const src = readFileSync(file, 'utf8');
  for (const m of src.matchAll(/^export\s+(?:type\s+)?\{([^}]*)\}/gm)) {
    for (const part of m[1]!.split(',')) {
      const name = part
        .trim()
        .replace(/^type\s+/, '')
        .split(/\s+as\s+/)
        .pop()!
        .trim();
      if (name !== '') names.add(name);
    }
  }
  for (const m of src.matchAll(
    /^export\s+(?:declare\s+)?(?:async\s+)?(?:function\*?|class|const|let|interface|type|enum|abstract\s+class)\s+([A-Za-z_$][\w$]*)/gm,
  ))
    names.add(m[1]!);
  if (/^export\s+default\b/m.test(src)) names.add('default');
  for (const m of src.matchAll(/^export\s+\*\s+from\s+['"]([^'"]+)['"]/gm)) {
    for (const n of exportsOf(resolve(dirname(file), m[1]!.replace(/\.js$/, '.ts')), seen)) names.add(n);
  }
  return names;
}

/** Import statements of a piece of code: the module named and the names taken. */
function importsOf(code: string): { spec: string; names: string[] }[] {
  const out: { spec: string; names: string[] }[] = [];
  for (const m of code.matchAll(/^\s*import\s+(type\s+)?([\s\S]*?)\s+from\s+['"]([^'"]+)['"]/gm)) {
    const clause = m[2]!;
    const names: string[] = [];
    const braces = /\{([^}]*)\}/.exec(clause);
    if (braces)
      for (const p of braces[1]!.split(',')) {
        const n = p
          .trim()
          .replace(/^type\s+/, '')
          .split(/\s+as\s+/)[0]!
          .trim();
        if (n !== '') names.push(n);
      }
    const def = clause
      .replace(/\{[^}]*\}/, '')
      .replace(/,/g, ' ')
      .trim();
    if (def !== '' && !def.startsWith('*')) names.push('default');
    out.push({ spec: m[3]!, names });
  }
  return out;
}

/** Where a sample's import leads: an entry point's file, 'local' (another example), 'other' (node:, a dependency) or 'internal'. */
function target(spec: string, from: string | null): string {
  if (spec in ENTRIES) return ENTRIES[spec]!;
  if (!spec.startsWith('.')) return spec.startsWith('palisade/') ? 'internal' : 'other';
  if (from === null) return 'local'; // a page's snippet importing the reader's own file
  const file = relative('.', resolve(dirname(from), spec)).replace(/\.js$/, '.ts');
  if (Object.values(ENTRIES).includes(file)) return file;
  return file.startsWith('docs/examples/') ? 'local' : 'internal';
}

function walk(dir: string, keep: (f: string) => boolean): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name), keep) : keep(e.name) ? [join(dir, e.name)] : []));
}

test('docs samples import only names the package exports, from its entry points', () => {
  const exported = new Map(Object.values(ENTRIES).map((f) => [f, exportsOf(f)]));
  const problems: string[] = [];
  let checked = 0;
  const check = (code: string, where: string, from: string | null) => {
    for (const { spec, names } of importsOf(code)) {
      const t = target(spec, from);
      if (t === 'other' || t === 'local') continue;
      if (t === 'internal') {
        problems.push(`${where}: imports from ${spec}, which is not a public entry point (${Object.keys(ENTRIES).join(', ')})`);
        continue;
      }
      for (const n of names) {
        checked++;
        if (!exported.get(t)!.has(n)) problems.push(`${where}: imports ${n} from ${spec}, which does not export it`);
      }
    }
  };
  const pages = [...walk('docs', (f) => f.endsWith('.md'))];
  for (const page of pages) {
    const text = readFileSync(page, 'utf8');
    for (const m of text.matchAll(/```(?:ts|js|typescript|javascript)\n([\s\S]*?)```/g)) {
      const named = /^\/\/ file: (\S+)\n/.exec(m[1]!);
      check(m[1]!, page, named ? named[1]! : null);
    }
  }
  for (const file of walk('docs/examples', (f) => /\.[cm]?[jt]s$/.test(f))) check(readFileSync(file, 'utf8'), file, file);
  assert.deepEqual(problems, []);
  assert.ok(checked >= 30, `only ${checked} imported names were checked`);
});

test('the checker itself: an internal path and a name that is not exported are caught', () => {
  assert.equal(target('../../../src/templates/index.js', 'docs/examples/headers/app.ts'), 'internal');
  assert.equal(target('../../../src/index.js', 'docs/examples/headers/app.ts'), 'src/index.ts');
  assert.equal(target('./helpers.js', 'docs/examples/headers/app.ts'), 'local');
  assert.equal(target('palisade/internal', null), 'internal');
  assert.deepEqual(importsOf("import { a, type B, c as d } from 'palisade';\nimport e, { f } from 'x';"), [
    { spec: 'palisade', names: ['a', 'B', 'c'] },
    { spec: 'x', names: ['f', 'default'] },
  ]);
  const names = exportsOf('src/index.ts');
  assert.ok(names.has('createApp') && names.has('RouteOptions') && names.has('tojson'));
  assert.ok(!names.has('currentScope') && !names.has('auditSettings'));
});
