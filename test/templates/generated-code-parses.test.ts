// Generated template code always parses. Every template this repository holds — the test
// and e2e tables (each string literal with template syntax in them), the docs' examples,
// the example apps' templates — and a corpus from the escaper fuzzer's grammar is compiled,
// and the JS module generated for it is parsed by node (vm.Script, which compiles without
// running). A template Palisade refuses is fine; a module that does not parse is reported
// with its template and the syntax error. A generated corpus of the statements that declare
// names (macro and call parameters, `caller`, loop targets, `with`, `set`), nested and with
// the same names on purpose, covers what the tables may lack.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Script, createContext, runInContext } from 'node:vm';
import { TemplateError } from '../../src/errors.js';
import { BaseEnv, type Template, compileWith, translate } from '../../src/templates/compile.js';
import { RenderFault } from '../../src/templates/render-errors.js';
import { CONTEXTS } from '../escape/cases.js';
import { generateCase } from '../../e2e/fuzz/cases.js';

/** Templates compiled against each other's names; a name nobody defines is an empty layout. */
class Files extends BaseEnv {
  readonly #cache = new Map<string, Template>();
  constructor(readonly files: ReadonlyMap<string, string>) {
    super({ strict: true });
  }
  override load(name: string): Template {
    let t = this.#cache.get(name);
    if (t !== undefined) return t;
    if (this.#cache.size > 200) throw new RenderFault('TEMPLATE_NOT_FOUND', 'too many templates');
    t = compileWith(this.files.get(name) ?? '', name, this, null);
    this.#cache.set(name, t);
    return t;
  }
}

/** The syntax error of a generated module, or null when it parses. */
function parseError(name: string, code: string): string | null {
  try {
    // The same wrapper new Function makes: the module is a function body.
    new Script(`(function anonymous($rt, $esc, $filters, $tests\n) {\n${code}\n})`, { filename: `${name} (generated)` });
    return null;
  } catch (e) {
    return e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  }
}

// ---- where templates are ---------------------------------------------------------------

const literals = createContext({});

/** The string literals of a JS/TS source (no substitutions), read by a small lexer. */
function stringLiterals(src: string): string[] {
  const out: string[] = [];
  let i = 0;
  let last = ''; // the last significant token, to tell a regular expression from a division
  const braces: number[] = []; // open `${` of template literals, with their brace depth
  let depth = 0;
  const isIdent = (c: string): boolean => /[\w$]/.test(c);
  const regexAfter = (t: string): boolean =>
    t === '' || /^[(,=:[!&|?{};+\-*%<>~^]$/.test(t) || /^(return|typeof|case|do|else|in|of|new|delete|void|throw|yield|await|instanceof)$/.test(t);
  const literal = (from: number, to: number): void => {
    try {
      const v: unknown = runInContext(src.slice(from, to), literals);
      if (typeof v === 'string') out.push(v);
    } catch {
      // not a plain literal after all
    }
  };
  const templateRest = (from: number): number => {
    // From inside a template literal: to its end (returns the index after `) or to `${`.
    let k = from;
    while (k < src.length && src[k] !== '`') {
      if (src[k] === '\\') k += 2;
      else if (src[k] === '$' && src[k + 1] === '{') return -(k + 2);
      else k++;
    }
    return k + 1;
  };
  while (i < src.length) {
    const c = src[i]!;
    if (c === '/' && src[i + 1] === '/') {
      i = src.indexOf('\n', i);
      if (i === -1) break;
      continue;
    }
    if (c === '/' && src[i + 1] === '*') {
      i = src.indexOf('*/', i + 2);
      if (i === -1) break;
      i += 2;
      continue;
    }
    if (c === '"' || c === "'") {
      let k = i + 1;
      while (k < src.length && src[k] !== c && src[k] !== '\n') k += src[k] === '\\' ? 2 : 1;
      literal(i, k + 1);
      i = k + 1;
      last = 'str';
      continue;
    }
    if (c === '`' || (c === '}' && braces.length > 0 && braces[braces.length - 1] === depth)) {
      const start = i;
      if (c === '}') braces.pop();
      const end = templateRest(i + 1);
      if (end < 0) {
        braces.push(depth);
        i = -end;
        last = '(';
        continue;
      }
      if (c === '`') literal(start, end);
      i = end;
      last = 'str';
      continue;
    }
    if (c === '/' && regexAfter(last)) {
      let k = i + 1;
      let inClass = false;
      while (k < src.length && src[k] !== '\n' && (inClass || src[k] !== '/')) {
        if (src[k] === '\\') k++;
        else if (src[k] === '[') inClass = true;
        else if (src[k] === ']') inClass = false;
        k++;
      }
      i = k + 1;
      while (i < src.length && /[a-z]/.test(src[i]!)) i++;
      last = 'regexp';
      continue;
    }
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (isIdent(c)) {
      let k = i;
      while (k < src.length && isIdent(src[k]!)) k++;
      last = src.slice(i, k);
      i = k;
      continue;
    }
    if (c === '{') depth++;
    if (c === '}') depth--;
    last = c;
    i++;
  }
  return out;
}

function files(dir: string, ext: RegExp): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (name === 'node_modules') continue;
    if (statSync(p).isDirectory()) out.push(...files(p, ext));
    else if (ext.test(name)) out.push(p);
  }
  return out;
}

interface Named {
  readonly name: string;
  readonly source: string;
}

/** Templates in the tables of the tests and the browser suite. */
function tableTemplates(): Named[] {
  const out: Named[] = CONTEXTS.map((c) => ({ name: `test/escape/cases.ts ${c.id}`, source: c.template }));
  for (const f of [...files('test', /\.ts$/), ...files('e2e', /\.ts$/)]) {
    if (f.includes('generated-code-parses')) continue;
    stringLiterals(readFileSync(f, 'utf8')).forEach((s, k) => {
      if (s.includes('{{') || s.includes('{%')) out.push({ name: `${f} literal ${k + 1}`, source: s });
    });
  }
  return out;
}

/** The ```jinja examples of docs/ (a `{# file: NAME #}` example is that file too). */
function docsTemplates(): { list: Named[]; byName: Map<string, string> } {
  const list: Named[] = [];
  const byName = new Map<string, string>();
  for (const f of files('docs', /\.md$/)) {
    for (const m of readFileSync(f, 'utf8').matchAll(/```jinja\n([\s\S]*?)```/g)) {
      const file = /^\{# file: ([^,\s]+)/.exec(m[1]!)?.[1];
      if (file !== undefined) byName.set(file, m[1]!);
      list.push({ name: `${f} ${file ?? `example at ${m.index}`}`, source: m[1]! });
    }
  }
  return { list, byName };
}

function exampleTemplates(): Named[] {
  return files('examples', /\.html$/).map((f) => ({ name: f, source: readFileSync(f, 'utf8') }));
}

/** The escaper fuzzer's corpus: the templates of its first seeds. */
function fuzzCorpus(n: number): { list: Named[]; files: Map<string, string>[] } {
  const list: Named[] = [];
  const all: Map<string, string>[] = [];
  for (let seed = 1; seed <= n; seed++) {
    const c = generateCase(seed, ['template']);
    const fs = new Map(Object.entries(c.files));
    list.push({ name: `fuzz case ${seed}`, source: c.main });
    all.push(fs);
    for (const [name, source] of fs) list.push({ name: `fuzz case ${seed} ${name}`, source });
  }
  return { list, files: all };
}

interface Result {
  parsed: number;
  refused: number;
  failures: string[];
}

function checkAll(list: readonly Named[], env: (k: number) => Files): Result {
  const r: Result = { parsed: 0, refused: 0, failures: [] };
  list.forEach((t, k) => {
    let code: string;
    try {
      code = translate(t.source, t.name, env(k), null).code;
    } catch (e) {
      if (e instanceof TemplateError || e instanceof RenderFault) r.refused++;
      else r.failures.push(`${t.name}: compiling threw ${String(e)}\n  template: ${JSON.stringify(t.source)}`);
      return;
    }
    const err = parseError(t.name, code);
    if (err === null) r.parsed++;
    else r.failures.push(`${t.name}: the generated module does not parse: ${err}\n  template: ${JSON.stringify(t.source)}`);
  });
  return r;
}

test('the checker reports a module that does not parse, with its template', () => {
  const code = translate('<p>{{ v }}</p>', 'control.html', new Files(new Map()), null).code;
  assert.equal(parseError('control.html', code), null);
  assert.match(parseError('control.html', code + '\n}') ?? '', /SyntaxError/);
  assert.deepEqual(stringLiterals(`const a = ['x{{ v }}', "y", \`z\`, /'/g, a / 2 / 'w']; // '{{ no }}'`), ['x{{ v }}', 'y', 'z', 'w']);
});

test('every template of the test tables, the e2e tables, docs and examples generates code that parses', () => {
  const docs = docsTemplates();
  const env = new Files(docs.byName);
  const groups: [string, Named[]][] = [
    ['tables', tableTemplates()],
    ['docs', docs.list],
    ['examples', exampleTemplates()],
  ];
  const failures: string[] = [];
  for (const [what, list] of groups) {
    const r = checkAll(list, () => env);
    console.log(`${what}: ${list.length} templates, ${r.parsed} compiled and parsed, ${r.refused} refused`);
    failures.push(...r.failures);
    assert.ok(r.parsed > 0, `no ${what} template compiled: the collection is broken`);
    if (what === 'tables') assert.ok(r.parsed > 200, `only ${r.parsed} table templates compiled`);
  }
  assert.deepEqual(failures, []);
});

test("every template of the escaper fuzzer's corpus generates code that parses", () => {
  const corpus = fuzzCorpus(Number(process.env.FUZZ_CORPUS ?? 1000));
  const r = checkAll(corpus.list, (k) => new Files(corpus.files[Number(/fuzz case (\d+)/.exec(corpus.list[k]!.name)![1]) - 1]!));
  console.log(`fuzz corpus: ${corpus.list.length} templates, ${r.parsed} compiled and parsed, ${r.refused} refused`);
  assert.ok(r.parsed > corpus.list.length / 2);
  assert.deepEqual(r.failures, []);
});

/** Templates of nested statements that declare names, the same few names again and again. */
function languageCorpus(n: number): Named[] {
  let seed = 7;
  const rnd = (k: number): number => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed % k;
  };
  const pick = <T>(xs: readonly T[]): T => xs[rnd(xs.length)]!;
  const params = ['', 'a', 'a, b', 'caller=none', 'a, caller=none', 'caller=none, a=1', 'loop', 'a, a', 'varargs', 'x=caller'];
  const targets = ['a', 'a, b', 'a, a', 'loop', 'caller', 'x'];
  const uses = ['{{ a }}', '{{ caller() if caller else 0 }}', '{{ loop.index if loop is defined else 0 }}', '{{ b }}', '{{ m(1) }}', '{{ x }}'];
  const body = (depth: number): string => {
    if (depth === 0) return pick(uses);
    const inner = (): string => body(depth - 1) + (rnd(2) === 0 ? body(depth - 1) : '');
    switch (rnd(8)) {
      case 0:
        return `{% macro m(${pick(params)}) %}${inner()}{% endmacro %}${pick(['{{ m() }}', '{{ m(1, 2) }}', ''])}`;
      case 1:
        return `{% call(${pick(params)}) m(${pick(['', '1', 'caller=none'])}) %}${inner()}{% endcall %}`;
      case 2:
        return `{% for ${pick(targets)} in [[1, 2]] %}${inner()}{% else %}${inner()}{% endfor %}`;
      case 3:
        return `{% with ${pick(['a = 1', 'a = 1, a = 2', 'caller = 1', 'loop = 1, b = a'])} %}${inner()}{% endwith %}`;
      case 4:
        return `{% set ${pick(['a', 'a, b', 'caller', 'loop'])} = ${pick(['1', '1, 2', '[1, 2]'])} %}${inner()}`;
      case 5:
        return `{% set ${pick(['a', 'caller', 'x'])} %}${inner()}{% endset %}${inner()}`;
      case 6:
        return `{% if a %}${inner()}{% else %}${inner()}{% endif %}`;
      default:
        return `{% macro m(${pick(params)}) %}{% for ${pick(targets)} in [1] %}${inner()}{% endfor %}{% endmacro %}{% call m() %}${inner()}{% endcall %}`;
    }
  };
  return Array.from({ length: n }, (_, k) => ({ name: `language corpus ${k + 1}`, source: body(1 + (k % 4)) }));
}

test('templates of nested macros, calls, loops, with and set blocks that reuse names generate code that parses', () => {
  const list = languageCorpus(Number(process.env.LANGUAGE_CORPUS ?? 1500));
  const r = checkAll(list, () => new Files(new Map()));
  console.log(`language corpus: ${list.length} templates, ${r.parsed} compiled and parsed, ${r.refused} refused`);
  assert.ok(r.parsed > list.length / 2, `only ${r.parsed} compiled`);
  assert.deepEqual(r.failures, []);
});
