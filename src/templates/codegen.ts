/**
 * Code generation: the syntax tree plus the escaper's plan become the source of one JS
 * module, evaluated once with `new Function`. Rendering then runs plain string
 * concatenation with the escaping functions chosen at compile time, hoisted into
 * constants; literal values are escaped at compile time. See compile.ts for how the
 * module is instantiated, runtime.ts for the helpers it calls (`$rt`) and
 * hole-escapers.ts for the escapers (`$esc`).
 */
import { TemplateError } from '../errors.js';
import type { Expr, MacroParam, Node, TemplateAST, Target } from './ast.js';
import type { EscapePlan } from './escaper.js';
import type { Source } from './lexer.js';
import type { FilterDef } from './filters.js';
import type { Piece } from './inserts.js';
import type { EscaperName, FusedEscaperName } from './escaper-table.js';
import { ExprGen } from './codegen-expr.js';
import { Append, type Hole, type Known, type Line, type Part, joinLines, writeAppends } from './output-pass.js';

export interface GenOptions {
  readonly strict: boolean;
  /** Test-only: write every value raw (the e2e control run proves the attacks work without escaping). */
  readonly unsafeDisableEscaping: boolean;
  readonly filters: Readonly<Record<string, FilterDef>>;
  readonly tests: Readonly<Record<string, (...a: any[]) => boolean>>;
  /** Internal: the output pass's optimisations (output-pass.ts); off only to test that they change nothing. */
  readonly optimizeOutput: boolean;
}

const js = (s: string): string => JSON.stringify(s);

/** Names assigned by `set`, `macro`, imports in `nodes`, not counting nested frames. */
function frameNames(nodes: readonly Node[], out = new Set<string>()): Set<string> {
  for (const n of nodes) {
    if (n.kind === 'set') for (const t of n.targets) if (t.attr === undefined) out.add(t.name);
    if (n.kind === 'setblock' && n.target.attr === undefined) out.add(n.target.name);
    if (n.kind === 'macro') out.add(n.name);
    if (n.kind === 'import') out.add(n.alias);
    if (n.kind === 'fromimport') for (const [, a] of n.names) out.add(a);
    if (n.kind === 'if') {
      for (const b of n.branches) frameNames(b.body, out);
      if (n.else_) frameNames(n.else_, out);
    }
  }
  return out;
}

/** True if the nodes hold a `{% block … scoped %}`. */
function hasScopedBlock(x: unknown): boolean {
  if (x === null || typeof x !== 'object') return false;
  if (Array.isArray(x)) return x.some(hasScopedBlock);
  const o = x as Record<string, unknown>;
  if (o.kind === 'block' && o.scoped === true) return true;
  for (const k in o) if (typeof o[k] === 'object' && hasScopedBlock(o[k])) return true;
  return false;
}

/** True if a name appears anywhere in the nodes (to create `loop` only when used). */
function usesName(x: unknown, name: string): boolean {
  if (x === null || typeof x !== 'object') return false;
  if (Array.isArray(x)) return x.some((y) => usesName(y, name));
  const o = x as Record<string, unknown>;
  if (o.kind === 'name' && o.name === name) return true;
  for (const k in o) if (typeof o[k] === 'object' && usesName(o[k], name)) return true;
  return false;
}

class Gen extends ExprGen {
  out: Line[] = [];
  parts: Part[] = [];
  readonly blockFns: string[] = [];
  readonly usedEscapers = new Set<EscaperName | FusedEscaperName>();
  readonly ownBlocks: string[] = [];
  private inBlock = false;
  /** Until a child's {% extends %}: its text is written (Jinja writes what comes before it). */
  private beforeExtends = true;

  constructor(
    src: Source,
    readonly plan: EscapePlan,
    readonly opts: GenOptions,
    readonly isChild: boolean,
  ) {
    super(src, opts.strict, opts.filters, opts.tests);
  }

  override checkSelfBlock(name: string, offset: number): void {
    const why = this.plan.selfBlocks.get(name);
    if (why === undefined) super.checkSelfBlock(name, offset);
    else if (why !== null) throw new TemplateError('TEMPLATE_BLOCK_CONTEXT', why, this.src.position(offset));
  }

  static(s: string): void {
    if (s !== '') this.parts.push({ s });
  }
  dyn(code: string): void {
    this.parts.push({ code });
  }
  hole(h: Hole): void {
    this.parts.push({ hole: h });
  }
  /** Ends a `$o += …` statement; the output pass writes it when its function is complete. */
  flush(): void {
    if (this.parts.length === 0) return;
    this.out.push(new Append(this.parts));
    this.parts = [];
  }
  emit(line: string): void {
    this.flush();
    this.out.push(line);
  }

  assign(t: Target, value: string, offset: number): void {
    if (t.attr !== undefined) {
      this.emit(`$rt.setAttr(${this.name(t.name, offset, false)}, ${js(t.attr)}, ${value}, $W, ${this.pos(offset)});`);
      return;
    }
    const local = this.scope.lookup(t.name);
    this.emit(local !== null ? `${local} = ${value};` : `$top[${js(t.name)}] = ${value};`);
  }

  /** Declares the frame's own names as lets, starting from the value outside the frame. */
  declareFrame(nodes: readonly Node[], exclude: ReadonlySet<string>): void {
    const names = [...frameNames(nodes)].filter((n) => !exclude.has(n));
    const outer = names.map((n) => this.name(n, 0, true));
    this.pushScope();
    names.forEach((n, i) => this.emit(this.scope.letDecl(n, outer[i]!)));
  }

  /**
   * An output: its static prefix and its value as a hole, which the output pass writes
   * (output-pass.ts). What it needs to write the hole in other ways is kept with it: a value
   * known now (a literal, a choice between two), a filter's escaped form.
   */
  output(n: Node | Expr, valueCode: () => string, literal: Expr | null, offset: number): void {
    const plan = this.plan.outputs.get(n);
    if (plan === undefined) throw new Error('no escaping plan for an output');
    if (this.opts.unsafeDisableEscaping) {
      this.dyn(`($p = ${this.pos(offset)}, $rt_str(${valueCode()}))`);
      return;
    }
    if (plan.kind === 'drop') return;
    if (plan.kind === 'name') {
      this.dyn(`($p = ${this.pos(offset)}, $rt_str(${valueCode()}))`);
      return;
    }
    this.static(plan.prefix);
    let known: Known | null = null;
    let escapedForm: Hole['escapedForm'] = null;
    let value: string;
    if (literal?.kind === 'literal') {
      known = { kind: 'literal', value: literal.value };
      value = this.expr(literal);
    } else if (literal?.kind === 'cond' && literal.then.kind === 'literal' && literal.else_?.kind === 'literal') {
      // `'a' if test else 'b'` (a class name, a label).
      const test = this.cond(literal.test);
      known = { kind: 'choice', test, then: literal.then.value, else_: literal.else_.value };
      value = `(${test} ? ${this.expr(literal.then)} : ${this.expr(literal.else_)})`;
    } else if (literal?.kind === 'filter') {
      ({ value, escaped: escapedForm } = this.filterForms(literal));
    } else {
      value = valueCode();
    }
    this.hole({ chain: plan.chain, pos: this.pos(offset), value, known, escapedForm });
  }

  /** The code of a runtime insert (nonce, CSRF field), escaped for the srcdoc values it is in. */
  insertCode(piece: Exclude<Piece, string>): string {
    let code = piece.insert === 'nonce' ? '$rt.nonceAttr($S)' : '$rt.csrfFieldHTML($S)';
    for (const step of piece.wrap ?? []) {
      this.usedEscapers.add(step);
      code = `$e_${step}(${code})`;
    }
    return code;
  }

  nodes(list: readonly Node[]): void {
    for (const n of list) this.node(n);
  }

  /** The body of a branch or a loop, with the closing quote the escaper put at its end. */
  body(list: readonly Node[]): void {
    this.nodes(list);
    this.static(this.plan.closingsAfter.get(list) ?? '');
    this.flush();
  }

  /** `function (...) { let $o…; try { body } catch; return … }` lines for a nested body. */
  fnBody(header: string, setup: () => void, body: () => void, ret: string): void {
    this.emit(header);
    const decl = this.out.length;
    const vars = "$o = '', $p = 0, $t, $g, $v";
    this.out.push(`let ${vars};`);
    this.out.push('try {');
    setup();
    body();
    this.flush();
    const host = { temp: (p: string) => this.temp(p), useEscaper: (e: EscaperName | FusedEscaperName) => this.usedEscapers.add(e) };
    const more = writeAppends(this.out, decl + 1, this.opts.optimizeOutput, host);
    if (more.length > 0) this.out[decl] = `let ${vars}, ${more.join(', ')};`;
    this.out.push('} catch ($err) { $rt.wrapError($err, $W, $p); }');
    this.out.push(`return ${ret};`);
  }

  params(params: readonly MacroParam[], withCaller: boolean): void {
    params.forEach((p, i) => {
      const dflt = p.default === null ? 'undefined' : this.expr(p.default);
      let value = `$args.length > ${i} ? $args[${i}] : $kw !== null && ${js(p.name)} in $kw ? $kw[${js(p.name)}] : ${dflt}`;
      // A `caller` parameter (`caller=none`) receives the body of a {% call %}, as in Jinja.
      if (p.name === 'caller') value = `$caller !== undefined ? $caller : ${value}`;
      this.out.push(this.scope.letDecl(p.name, value));
    });
    if (withCaller && !params.some((p) => p.name === 'caller')) this.out.push(this.scope.letDecl('caller', '$caller'));
  }

  /** `varargs` and `kwargs` in a macro body: the arguments its parameters do not take. */
  extraArgs(params: readonly MacroParam[], body: readonly Node[]): void {
    const names = params.map((p) => p.name);
    if (usesName(body, 'varargs') && !names.includes('varargs')) this.out.push(this.scope.letDecl('varargs', `$rt.tuple($args.slice(${params.length}))`));
    if (usesName(body, 'kwargs') && !names.includes('kwargs')) this.out.push(this.scope.letDecl('kwargs', `$rt.extraKwargs($kw, ${JSON.stringify(names)})`));
  }

  macroFn(params: readonly MacroParam[], body: readonly Node[], withCaller: boolean): string {
    // Returns the name of a const holding the macro function.
    const name = this.temp('$m');
    const exclude = new Set(params.map((p) => p.name));
    if (withCaller) exclude.add('caller');
    this.flush();
    this.out.push(`const ${name} = $rt.makeMacro(function ($args, $kw, $caller) {`);
    this.pushScope();
    this.out.push(`const $S = $rt.renderEnv();`);
    for (const x of ['varargs', 'kwargs']) if (usesName(body, x)) exclude.add(x);
    this.fnBody(
      '',
      () => {
        this.params(params, withCaller);
        this.extraArgs(params, body);
        this.declareFrame(body, exclude);
      },
      () => this.nodes(body),
      '$rt.markupFromSafe($o)',
    );
    this.popScope();
    this.popScope();
    this.out.push('});');
    return name;
  }

  /** What an imported template sees: this one's names with `with context`, else nothing. */
  importContext(withContext: boolean): string {
    return withContext ? `$rt.withLocals($top, ${this.visibleLocals()})` : 'null';
  }

  visibleLocals(): string {
    const seen = new Map<string, string>();
    for (let s: typeof this.scope | null = this.scope; s !== null; s = s.parent) {
      for (const [k, v] of s.vars) if (!seen.has(k)) seen.set(k, v);
    }
    return `{${[...seen].map(([k, v]) => `${js(k)}: ${v}`).join(', ')}}`;
  }

  node(n: Node): void {
    switch (n.kind) {
      case 'text': {
        if (this.isChild && !this.inBlock && this.scope.parent === null && !this.beforeExtends) return;
        for (const piece of this.plan.texts.get(n) ?? [n.value]) {
          if (typeof piece === 'string') this.static(piece);
          else this.dyn(this.insertCode(piece));
        }
        return;
      }
      case 'output': {
        if (this.isChild && !this.inBlock && this.scope.parent === null && !this.beforeExtends) return;
        const block = this.plan.supers.get(n);
        if (block !== undefined) {
          this.dyn(`$rt.superBlock($blocks, ${js(block)}, $i, $env, $W, ${this.pos(n.offset)}, $loc)`);
          return;
        }
        // `{{ name }}` is the one read that raises on a missing name in strict mode.
        const e = n.expr;
        this.output(n, () => (e.kind === 'name' ? this.name(e.name, e.offset, false) : this.expr(e)), e, n.offset);
        return;
      }
      case 'if': {
        this.static(this.plan.closings.get(n) ?? '');
        n.branches.forEach((b, i) => {
          this.emit(`${i === 0 ? 'if' : '} else if'} (($p = ${this.pos(b.offset)}, ${this.cond(b.test)})) {`);
          this.body(b.body);
        });
        if (n.else_ !== null) {
          this.emit('} else {');
          this.body(n.else_);
        }
        this.emit('}');
        return;
      }
      case 'for':
        this.static(this.plan.closings.get(n) ?? '');
        this.forLoop(n);
        return;
      case 'set': {
        this.emit(`$p = ${this.pos(n.offset)};`);
        const value = this.expr(n.value);
        if (n.targets.length === 1) {
          this.assign(n.targets[0]!, value, n.offset);
          return;
        }
        const u = this.temp('$u');
        this.emit(`const ${u} = $rt.unpack(${value}, ${n.targets.length});`);
        n.targets.forEach((t, i) => this.assign(t, `${u}[${i}]`, n.offset));
        return;
      }
      case 'setblock': {
        const save = this.temp('$sv');
        this.emit(`const ${save} = $o; $o = '';`);
        // A child template writes nothing outside its blocks, but what it captures it keeps.
        const saveIn = this.inBlock;
        this.inBlock = true;
        this.nodes(n.body);
        this.inBlock = saveIn;
        this.flush();
        if (n.filter === undefined) {
          this.assign(n.target, '$rt.markupFromSafe($o)', n.offset);
        } else {
          // `{% set x | f %}`: the filters see the block as `$filtered`, a name no template can write.
          this.emit('{');
          this.pushScope();
          this.emit(this.scope.letDecl('$filtered', '$rt.markupFromSafe($o)'));
          const value = this.expr(n.filter);
          this.popScope();
          this.assign(n.target, value, n.offset);
          this.emit('}');
        }
        this.emit(`$o = ${save};`);
        return;
      }
      case 'with': {
        const values = n.assigns.map(([, e]) => this.expr(e));
        this.emit('{');
        this.pushScope();
        n.assigns.forEach(([name], i) => this.emit(this.scope.letDecl(name, values[i]!)));
        this.declareFrame(n.body, new Set(n.assigns.map(([a]) => a)));
        this.nodes(n.body);
        this.flush();
        this.popScope();
        this.popScope();
        this.emit('}');
        return;
      }
      case 'macro': {
        const fn = this.macroFn(n.params, n.body, usesName(n.body, 'caller'));
        this.assign({ name: n.name }, fn, n.offset);
        return;
      }
      case 'callblock': {
        const caller = this.macroFn(n.params, n.body, false);
        this.output(n, () => this.call(n.call, caller), null, n.offset);
        return;
      }
      case 'include': {
        const ctx = n.withContext ? `$rt.withLocals($top, ${this.visibleLocals()})` : 'null';
        this.dyn(`($p = ${this.pos(n.offset)}, $env.include(${this.expr(n.template)}, ${ctx}, ${n.ignoreMissing}, $W, $p))`);
        return;
      }
      case 'import':
        this.emit(`$p = ${this.pos(n.offset)};`);
        this.assign({ name: n.alias }, `$env.importModule(${this.expr(n.template)}, $W, $p, ${this.importContext(n.withContext)})`, n.offset);
        return;
      case 'fromimport': {
        const m = this.temp('$mod');
        this.emit(`$p = ${this.pos(n.offset)};`);
        this.emit(`const ${m} = $env.importModule(${this.expr(n.template)}, $W, $p, ${this.importContext(n.withContext)});`);
        for (const [name, alias] of n.names) this.assign({ name: alias }, `$rt_attr(${m}, ${js(name)}, true, $W, $p)`, n.offset);
        return;
      }
      case 'extends':
        if (this.scope.parent === null && !this.inBlock) this.beforeExtends = false;
        return;
      case 'block':
        this.block(n);
        return;
    }
  }

  forLoop(n: Node & { kind: 'for' }): void {
    const a = this.temp('$a');
    const len = this.temp('$n');
    const i = this.temp('$i');
    const L = this.temp('$L');
    const item = this.temp('$x');
    // A scoped block in the body may be overridden by a page that reads `loop`.
    const useLoop = n.recursive || usesName(n.body, 'loop') || hasScopedBlock(n.body);
    this.emit(`$p = ${this.pos(n.offset)};`);
    // A recursive loop is a function of the items and the depth: `loop(children)` in its
    // body calls it again, and its output (HTML text, like the loop's) goes in as Markup.
    const rec = n.recursive ? this.temp('$R') : null;
    const items = n.recursive ? this.temp('$items') : null;
    const depth = n.recursive ? this.temp('$depth') : null;
    if (rec !== null) {
      this.emit(`{ const ${rec} = (${items}, ${depth}) => { let $o = '';`);
      this.recursiveLoops.set(L, rec);
    }
    this.emit(`{ let ${a} = $rt_iter(${rec === null ? this.expr(n.iter) : items});`);
    const bind = (src: string): void => {
      if (n.targets.length === 1) {
        this.out.push(this.scope.letDecl(n.targets[0]!, src));
      } else {
        const u = this.temp('$u');
        this.out.push(`const ${u} = $rt.unpack(${src}, ${n.targets.length});`);
        n.targets.forEach((t, k) => this.out.push(this.scope.letDecl(t, `${u}[${k}]`)));
      }
    };
    if (n.cond !== null) {
      this.emit(`${a} = ${a}.filter((${item}) => {`);
      this.pushScope();
      bind(item);
      this.out.push(`return ${this.cond(n.cond)};`);
      this.popScope();
      this.out.push('});');
    }
    this.out.push(`const ${len} = ${a}.length;`);
    if (useLoop) this.out.push(`const ${L} = new $rt.Loop(${a}${depth === null ? '' : `, ${depth}`});`);
    const exclude = new Set([...n.targets, 'loop']);
    const names = [...frameNames(n.body)].filter((x) => !exclude.has(x));
    const outer = names.map((x) => this.name(x, 0, true));
    this.out.push(`for (let ${i} = 0; ${i} < ${len}; ${i}++) {`);
    this.pushScope();
    if (useLoop) {
      this.out.push(`${L}.i = ${i};`);
      this.scope.declare('loop', L);
    }
    bind(`${a}[${i}]`);
    names.forEach((x, k) => this.out.push(this.scope.letDecl(x, outer[k]!)));
    this.body(n.body);
    this.popScope();
    this.out.push('}');
    if (n.else_ !== null) {
      this.out.push(`if (${len} === 0) {`);
      this.nodes(n.else_);
      this.flush();
      this.out.push('}');
    }
    this.out.push('}');
    if (rec !== null) {
      this.out.push(`return $o; };`);
      this.out.push(`$o += ${rec}(${this.expr(n.iter)}, 1); }`);
    }
  }

  block(n: Node & { kind: 'block' }): void {
    // The block's own function, registered in the block chain; rendered inline here
    // (the most derived override first).
    const fname = `$block_${n.name}`;
    if (!this.ownBlocks.includes(n.name)) this.ownBlocks.push(n.name);
    this.flush();
    const saveOut = this.out;
    const saveParts = this.parts;
    const saveScope = this.scope;
    const saveIn = this.inBlock;
    this.out = [];
    this.parts = [];
    this.inBlock = true;
    this.scope = new (saveScope.constructor as typeof import('./codegen-expr.js').Scope)(null, 0);
    // `$loc`: the names visible where a scoped block stands, which its body may read.
    this.out.push(`function ${fname}($blocks, $i, $env, $loc) {`);
    this.out.push(`const $top = $rt.blockTop($blocks[${js(n.name)}][$i].top, $loc); const $S = $rt.renderEnv();`);
    this.pushScope();
    this.fnBody(
      '',
      () => this.declareFrame(n.body, new Set()),
      () => this.nodes(n.body),
      '$o',
    );
    this.out.push('}');
    this.blockFns.push(joinLines(this.out));
    this.out = saveOut;
    this.parts = saveParts;
    this.scope = saveScope;
    this.inBlock = saveIn;
    if (this.isChild && !this.inBlock) return; // a child's blocks are rendered by its parent
    const p = this.pos(n.offset);
    if (n.required) this.emit(`$rt.requiredBlock($blocks, ${js(n.name)}, $W, ${p});`);
    this.dyn(`($p = ${p}, $blocks[${js(n.name)}][0].fn($blocks, 0, $env${n.scoped ? `, ${this.visibleLocals()}` : ''}))`);
  }
}

/** Generates the module source of a template (the body of `new Function('$rt', '$esc', '$filters', '$tests', …)`). */
export function generate(ast: TemplateAST, plan: EscapePlan, src: Source, opts: GenOptions): string {
  const g = new Gen(src, plan, opts, ast.extends !== null);
  g.out.push('function $root($ctx, $env, $blocks, $wantTop, $bc) {');
  g.out.push('const $top = $env.makeTop($ctx); const $S = $rt.renderEnv();');
  const rootStart = g.out.length;
  g.fnBody(
    '',
    () => {},
    () => g.nodes(ast.body),
    '$o',
  );
  // The block chain must exist before the body runs: insert after the header.
  g.out.splice(rootStart, 0, `$blocks = $rt.addBlocks($blocks, $OWN, $top, $bc);`);
  // Child templates hand over to the parent, with their blocks first in the chain and their
  // namespace (the context and their top-level sets) as its context. A parent named by an
  // expression is found when the page is rendered, and its blocks checked then (compile.ts).
  if (typeof ast.extends === 'string') {
    g.out.splice(g.out.length - 1, 0, `if ($wantTop) return $top;`, `return $o + $env.render(${js(ast.extends)}, $top, $blocks, $W, 0);`);
  } else if (ast.extends !== null) {
    const at = g.pos(ast.extends.offset);
    const name = g.expr(ast.extends);
    g.out.splice(g.out.length - 1, 0, `if ($wantTop) return $top;`, `return $o + $env.renderDynamic(${name}, $top, $blocks, $W, ${at});`);
  } else {
    g.out.splice(g.out.length - 1, 0, `if ($wantTop) return $top;`);
  }
  g.out.push('}');
  const head: string[] = ['"use strict";'];
  head.push(`const $W = { file: ${js(src.name)}, pos: ${JSON.stringify(g.positions)} };`);
  head.push('const $rt_truthy = $rt.truthy, $rt_attr = $rt.attr, $rt_get = $rt.get, $rt_iter = $rt.iter, $rt_str = $rt.str, $rt_lookup = $rt.lookup;');
  for (const e of g.usedEscapers) head.push(`const $e_${e} = $esc.${e};`);
  for (const f of g.usedFilters) head.push(`const $f_${f.replace(/\W/g, '_')} = $filters[${js(f)}].fn;`);
  for (const f of g.usedHTMLFilters) head.push(`const $fh_${f.replace(/\W/g, '_')} = $filters[${js(f)}].html;`);
  for (const t of g.usedTests) head.push(`const $t_${t} = $tests[${js(t)}];`);
  const own = `const $OWN = {${g.ownBlocks.map((b) => `${js(b)}: $block_${b}`).join(', ')}};`;
  return [...head, ...g.blockFns, own, joinLines(g.out), 'return { root: $root };'].join('\n');
}
