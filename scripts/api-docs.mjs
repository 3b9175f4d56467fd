// Writes the API reference, docs/api/index.md, from the type declarations tsc emits
// (`npm run docs` builds dist/ first). Every name src/index.ts exports gets a section: its
// declaration and its doc comment; classes and interfaces list their public members with
// theirs. The declarations are read as text: what tsc emits is regular enough, and the
// page is a reading aid, not a type checker.
//
//   node scripts/api-docs.mjs [declarations folder] [output file]
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';

/** The `{ a, b as c, type d } from './x.js'` lists of `export` (or `import`) statements. */
function namesFrom(text, keyword) {
  const out = [];
  for (const m of text.matchAll(new RegExp(`${keyword}\\s+(?:type\\s+)?\\{([^}]*)\\}\\s+from\\s+'([^']+)'`, 'g'))) {
    for (const raw of m[1]
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean)) {
      const [local, exported = local] = raw.replace(/^type\s+/, '').split(/\s+as\s+/);
      out.push({ local, exported, from: m[2] });
    }
  }
  return out;
}
/** `export { a, b as c, type d } from './x.js'` statements of a declaration file. */
export const reexports = (text) => namesFrom(text, 'export');
/** `import { a, type b as c } from './x.js'` statements: what a bare `export { c }` may pass on. */
const imports = (text) => namesFrom(text, 'import');

/** A doc comment's text, without the stars. */
const docText = (c) =>
  c
    .replace(/^\/\*\*|\*\/$/g, '')
    .split('\n')
    .map((l) => l.replace(/^\s*\* ?/, ''))
    .join('\n')
    .trim();

/** The end of the declaration starting at `i`: its closing brace or semicolon at depth 0. */
function declarationEnd(text, i) {
  let depth = 0;
  for (let j = i; j < text.length; j++) {
    const ch = text[j];
    if (ch === '{' || ch === '(' || ch === '[' || ch === '<') depth++;
    else if (ch === '}' || ch === ')' || ch === ']' || (ch === '>' && text[j - 1] !== '=')) {
      depth--;
      if (
        depth === 0 &&
        ch === '}' &&
        /^\s*(\n|$)/.test(text.slice(j + 1, j + 2) + '\n') &&
        /^(export\s+)?(declare\s+)?(abstract\s+)?(class|interface|enum)\b/.test(text.slice(i).replace(/^\/\*\*[\s\S]*?\*\/\s*/, ''))
      )
        return j + 1;
    } else if (ch === ';' && depth === 0) return j + 1;
  }
  return text.length;
}

/** Finds `name`'s declaration in a declaration file: its doc comment and text. */
export function findDeclaration(text, name) {
  const re = new RegExp(
    `(/\\*\\*(?:(?!\\*/)[\\s\\S])*\\*/\\s*)?^(?:export\\s+)?(?:declare\\s+)?(?:abstract\\s+)?(function|class|interface|type|const|let|enum)\\s+${name}\\b`,
    'gm',
  );
  const found = [];
  for (const m of text.matchAll(re)) {
    const start = m.index + (m[1]?.length ?? 0);
    found.push({ kind: m[2], doc: m[1] ? docText(m[1].trim()) : '', text: text.slice(start, declarationEnd(text, start)).trim() });
  }
  return found;
}

/** Public members of a class or interface body, each with its doc comment. */
export function members(decl) {
  const body = decl.slice(decl.indexOf('{') + 1, decl.lastIndexOf('}'));
  const out = [];
  let doc = '';
  let depth = 0;
  let current = '';
  for (const line of body.split('\n')) {
    const t = line.trim();
    if (depth === 0 && t.startsWith('/**')) {
      doc = t;
      if (!t.endsWith('*/')) depth = -1; // inside a comment
      continue;
    }
    if (depth === -1) {
      doc += '\n' + t;
      if (t.endsWith('*/')) depth = 0;
      continue;
    }
    current += (current ? ' ' : '') + t;
    for (const ch of t) depth += ch === '{' || ch === '(' ? 1 : ch === '}' || ch === ')' ? -1 : 0;
    if (depth === 0 && current !== '') {
      if (!/^(private|#private|protected)\b/.test(current)) out.push({ sig: current.replace(/;$/, ''), doc: doc ? docText(doc) : '' });
      current = '';
      doc = '';
    }
  }
  return out;
}

/** Every exported name of the package root, resolved to its declaration. */
export function collect(dir) {
  const entries = [];
  const read = (file) => readFileSync(join(dir, file), 'utf8');
  const resolve = (file, local, seen = 0) => {
    const text = read(file);
    const here = findDeclaration(text, local);
    if (here.length > 0 || seen > 5) return { file, decls: here };
    // `export { x } from './y.js'`, or `import { x } from './y.js'` with `export { x }`
    const next = reexports(text).find((r) => r.exported === local) ?? imports(text).find((r) => r.exported === local);
    if (next === undefined) return { file, decls: [] };
    return resolve(join(dirname(file), next.from.replace(/\.js$/, '.d.ts')), next.local, seen + 1);
  };
  for (const r of reexports(read('index.d.ts'))) {
    const { file, decls } = resolve(r.from.replace(/^\.\//, '').replace(/\.js$/, '.d.ts'), r.local);
    entries.push({ name: r.exported, local: r.local, file, decls });
  }
  return entries;
}

export function render(entries) {
  const byFile = new Map();
  for (const e of entries) byFile.set(e.file, [...(byFile.get(e.file) ?? []), e]);
  const out = [
    '# API reference',
    '',
    'Generated from the type declarations by `npm run docs`; every name `palisade` exports, by the',
    'module that defines it. [The list of exports](../api.md) says which guide explains each name;',
    "the guides in this folder's parent say how the pieces fit together.",
    '',
  ];
  for (const [file, list] of [...byFile].sort(([a], [b]) => a.localeCompare(b))) {
    out.push(`## ${file.replace(/\.d\.ts$/, '')}`, '');
    for (const e of list.sort((a, b) => a.name.localeCompare(b.name))) {
      out.push(`### ${e.name}`, '');
      if (e.decls.length === 0) {
        out.push('(declaration not found)', '');
        continue;
      }
      const d = e.decls.find((x) => x.doc !== '') ?? e.decls[0];
      const isBody = d.kind === 'class' || d.kind === 'interface';
      const head = isBody ? d.text.slice(0, d.text.indexOf('{')).trim() : e.decls.map((x) => x.text).join('\n');
      out.push('```ts', head.length > 1500 ? head.slice(0, 1500) + ' …' : head, '```', '');
      if (d.doc) out.push(d.doc, '');
      if (isBody) {
        const ms = members(d.text);
        for (const m of ms) {
          out.push(`- \`${m.sig.replace(/`/g, "'")}\``);
          if (m.doc) out.push(`  ${m.doc.replace(/\n/g, '\n  ')}`);
        }
        if (ms.length > 0) out.push('');
      }
    }
  }
  return out.join('\n');
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const dir = process.argv[2] ?? 'dist';
  const file = process.argv[3] ?? 'docs/api/index.md';
  const entries = collect(dir);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, render(entries) + '\n');
  const missing = entries.filter((e) => e.decls.length === 0).map((e) => e.name);
  console.log(`${relative(process.cwd(), file)}: ${entries.length} names${missing.length ? `; not found: ${missing.join(', ')}` : ''}`);
}
