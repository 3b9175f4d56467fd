/**
 * Code generation for expressions, and the compile-time scope that maps template names to
 * JS variables. Names set in a loop, macro, call or `with` body become JS `let`s of that
 * body; everything else is read from `$top`, the render's namespace (top-level `set`s,
 * imports and macros as own properties, the context and globals behind it on the
 * prototype chain, which ends in null so `constructor` and friends are not reachable).
 */
import type { Expr } from './ast.js';
import type { Source } from './lexer.js';
import { FILTER_ALIASES, type FilterDef } from './filters.js';
import { TEST_ALIASES } from './is-tests.js';
import { isGuardedName } from './blocked-names.js';

export class Scope {
  readonly vars = new Map<string, string>();
  constructor(
    readonly parent: Scope | null,
    readonly id: number,
  ) {}
  /** The JS variable of a template name visible here, or null when it lives on $top. */
  lookup(name: string): string | null {
    for (let s: Scope | null = this; s !== null; s = s.parent) {
      const v = s.vars.get(name);
      if (v !== undefined) return v;
    }
    return null;
  }
  declare(name: string, js?: string): string {
    const v = js ?? `l${this.id}_${name}`;
    this.vars.set(name, v);
    return v;
  }
  /** JS variables this scope has declared with `let`. */
  private readonly lets = new Set<string>();
  /**
   * `let v = value;` for a template name of this scope, or `v = value;` when this scope has
   * declared it already (`{% for a, a in … %}`, `{% with a = 1, a = 2 %}`): a second `let`
   * of one variable in one block does not parse.
   */
  letDecl(name: string, value: string): string {
    const v = this.declare(name);
    if (this.lets.has(v)) return `${v} = ${value};`;
    this.lets.add(v);
    return `let ${v} = ${value};`;
  }
}

const jsString = (s: string): string => JSON.stringify(s);
const LOOP_FIELDS = new Set(['index', 'index0', 'revindex', 'revindex0', 'first', 'last', 'length', 'depth', 'depth0', 'previtem', 'nextitem']);

/** Shared state of one template's code generation. */
export class ExprGen {
  scope: Scope;
  private nextScope = 1;
  private nextTemp = 1;
  readonly positions: [number, number][] = [];
  private readonly posIndex = new Map<number, number>();
  readonly usedFilters = new Set<string>();
  /** Filters called in their escaped form (FilterDef.html). */
  readonly usedHTMLFilters = new Set<string>();
  readonly usedTests = new Set<string>();

  constructor(
    readonly src: Source,
    readonly strict: boolean,
    readonly filters: Readonly<Record<string, FilterDef>>,
    readonly tests: Readonly<Record<string, (...a: any[]) => boolean>>,
  ) {
    this.scope = new Scope(null, 0);
  }

  /** Throws unless `self.name()` may write block `name` again (codegen.ts knows the blocks). */
  checkSelfBlock(name: string, offset: number): void {
    throw this.src.error('TEMPLATE_SYNTAX', `self.${name}(): this template has no block ${name}`, offset);
  }

  pushScope(): Scope {
    this.scope = new Scope(this.scope, this.nextScope++);
    return this.scope;
  }
  popScope(): void {
    this.scope = this.scope.parent!;
  }
  /** The function of each recursive loop, by its Loop variable (`loop(...)` calls it). */
  readonly recursiveLoops = new Map<string, string>();
  temp(prefix = '$v'): string {
    return `${prefix}${this.nextTemp++}`;
  }

  /** Index of an offset in the position table ($W.pos). */
  pos(offset: number): number {
    let i = this.posIndex.get(offset);
    if (i === undefined) {
      const p = this.src.position(offset);
      i = this.positions.length;
      this.positions.push([p.line, p.column]);
      this.posIndex.set(offset, i);
    }
    return i;
  }

  /**
   * Reads a name; `soft` never raises. As in Jinja, a missing name is undefined wherever it
   * is read (a test, a filter, a loop, a condition); only writing it, `{{ name }}`, raises in
   * strict mode (codegen.ts), where Jinja would write nothing.
   */
  name(name: string, offset: number, soft: boolean): string {
    const local = this.scope.lookup(name);
    if (local !== null) return local;
    if (this.strict && !soft) return `$rt_lookup($top, ${jsString(name)}, $W, ${this.pos(offset)})`;
    return `$top[${jsString(name)}]`;
  }

  /** One argument's code: `...items` for `*items`. */
  arg(a: Expr): string {
    return a.kind === 'spread' ? `...$rt_iter(${this.expr(a.expr)})` : this.expr(a);
  }

  args(args: Expr[]): string {
    return `[${args.map((a) => this.arg(a)).join(', ')}]`;
  }

  kwargs(kw: [string, Expr][], offset: number): string {
    if (kw.length === 0) return 'null';
    for (const [k] of kw) {
      if (k === '__proto__') throw this.src.error('TEMPLATE_SYNTAX', '"__proto__" cannot be a keyword argument', offset);
    }
    // `**mapping` adds its entries (own data only, so `__proto__` is a key like any other).
    return `{${kw.map(([k, v]) => (k === '**' && v.kind === 'spread' ? `...$rt.kwargsOf(${this.expr(v.expr)})` : `${jsString(k)}: ${this.expr(v)}`)).join(', ')}}`;
  }

  /** A JS expression with the value of `e`. */
  expr(e: Expr, soft = false): string {
    switch (e.kind) {
      case 'literal':
        return e.value === null ? 'null' : typeof e.value === 'string' ? jsString(e.value) : String(e.value);
      case 'name':
        return this.name(e.name, e.offset, true);
      case 'list':
        return `[${e.items.map((x) => this.expr(x)).join(', ')}]`;
      case 'tuple':
        return `$rt.tuple([${e.items.map((x) => this.expr(x)).join(', ')}])`;
      case 'dict':
        return `$rt.dict([${e.pairs.map(([k, v]) => `[${this.expr(k)}, ${this.expr(v)}]`).join(', ')}])`;
      case 'attr':
        if (e.obj.kind === 'name' && LOOP_FIELDS.has(e.name) && /^\$L\d+$/.test(this.scope.lookup(e.obj.name) ?? '')) {
          return `${this.scope.lookup(e.obj.name)}.${e.name}`; // loop.index and friends: a getter on runtime.Loop
        }
        if (!(this.strict && !soft) && !isGuardedName(e.name)) {
          // An object's property that is there is read in place (the common case, and too
          // hot for a call the JIT may not inline); a missing one, a Map's entry or a
          // primitive's attribute goes through $rt.get, which decides the same way.
          const name = jsString(e.name);
          return `(typeof ($g = ${this.expr(e.obj, soft)}) === 'object' && $g !== null && ($v = $g[${name}]) !== undefined ? $v : $rt_get($g, ${name}, $W, ${this.pos(e.offset)}))`;
        }
        return `$rt_attr(${this.holder(e.obj, soft)}, ${jsString(e.name)}, ${this.strict && !soft}, $W, ${this.pos(e.offset)})`;
      case 'item':
        return `$rt.item(${this.holder(e.obj, soft)}, ${this.expr(e.index)}, ${this.strict && !soft}, $W, ${this.pos(e.offset)})`;
      case 'slice':
        return `$rt.slice(${this.expr(e.obj)}, ${e.start ? this.expr(e.start) : 'null'}, ${e.stop ? this.expr(e.stop) : 'null'}, ${e.step ? this.expr(e.step) : 'null'})`;
      case 'call':
        return this.call(e, 'undefined');
      case 'filter':
        return this.filter(e);
      case 'test':
        return this.test(e);
      case 'unary':
        if (e.op === 'not') return `!${this.cond(e.expr)}`;
        return `(${e.op}${this.expr(e.expr)})`;
      case 'binary':
        return this.binary(e);
      case 'cond':
        return `(${this.cond(e.test)} ? ${this.expr(e.then)} : ${e.else_ ? this.expr(e.else_) : 'undefined'})`;
      case 'spread':
        throw this.src.error('TEMPLATE_SYNTAX', '*items and **mapping are only call arguments', e.offset);
    }
  }

  /**
   * The value an attribute is read from. In strict mode an attribute of a missing name
   * raises anyway (values.ts attr); reading the name strictly says which name is missing.
   */
  holder(e: Expr, soft: boolean): string {
    return this.strict && !soft && e.kind === 'name' ? this.name(e.name, e.offset, false) : this.expr(e, soft);
  }

  /** A JS boolean expression: the truthiness of `e`, without building values. */
  cond(e: Expr): string {
    if (e.kind === 'binary') {
      if (e.op === 'and') return `(${this.cond(e.left)} && ${this.cond(e.right)})`;
      if (e.op === 'or') return `(${this.cond(e.left)} || ${this.cond(e.right)})`;
      if (['==', '!=', '<', '<=', '>', '>=', 'in', 'not in'].includes(e.op)) return this.binary(e);
    }
    if (e.kind === 'unary' && e.op === 'not') return `!${this.cond(e.expr)}`;
    if (e.kind === 'test') return this.test(e);
    if (e.kind === 'literal') return String(Boolean(e.value));
    return `$rt_truthy(${this.expr(e)})`;
  }

  call(e: Expr & { kind: 'call' }, caller: string): string {
    const p = this.pos(e.offset);
    const args = this.args(e.args);
    const kw = this.kwargs(e.kwargs, e.offset);
    if (e.fn.kind === 'name' && e.fn.name === 'super') {
      throw this.src.error('TEMPLATE_SYNTAX', 'super() can only be written on its own, as {{ super() }}', e.offset);
    }
    if (e.fn.kind === 'name' && e.fn.name === 'loop') {
      const L = this.scope.lookup('loop');
      if (L !== null && /^\$L\d+$/.test(L)) {
        const rec = this.recursiveLoops.get(L);
        if (rec === undefined) throw this.src.error('TEMPLATE_SYNTAX', 'loop() can be called only in a recursive loop ({% for x in xs recursive %})', e.offset);
        if (e.args.length !== 1 || e.kwargs.length !== 0)
          throw this.src.error('TEMPLATE_SYNTAX', 'loop() takes one argument: the items to loop over', e.offset);
        return `$rt.markupFromSafe(${rec}(${this.expr(e.args[0]!)}, ${L}.depth + 1))`;
      }
    }
    if (e.fn.kind === 'attr' && e.fn.obj.kind === 'name' && e.fn.obj.name === 'self' && this.scope.lookup('self') === null) {
      // `self.name()`: the block `name` rendered again, as Markup (escaper.ts checks where).
      if (e.args.length > 0 || e.kwargs.length > 0) throw this.src.error('TEMPLATE_SYNTAX', `self.${e.fn.name}() takes no arguments`, e.offset);
      this.checkSelfBlock(e.fn.name, e.offset);
      return `$rt.selfBlock($blocks, ${jsString(e.fn.name)}, $env, $W, ${p})`;
    }
    if (e.fn.kind === 'attr') {
      return `$rt.callMethod(${this.expr(e.fn.obj)}, ${jsString(e.fn.name)}, ${args}, ${kw}, ${this.strict}, $W, ${p})`;
    }
    // Calling a missing name is an error in strict mode with the name in it (Jinja raises too).
    const fn = e.fn.kind === 'name' ? this.name(e.fn.name, e.fn.offset, false) : this.expr(e.fn);
    return `$rt.call(${fn}, ${args}, ${kw}, ${caller}, $W, ${p})`;
  }

  filter(e: Expr & { kind: 'filter' }): string {
    const [name, args] = this.filterCall(e);
    return `$f_${name.replace(/\W/g, '_')}(${args.join(', ')})`;
  }

  /**
   * A filter call's code, and when the filter can write its result escaped for HTML
   * (FilterDef.html), the code of that form with a given escaper (the output pass chooses).
   */
  filterForms(e: Expr & { kind: 'filter' }): { value: string; escaped: ((escaper: string) => string) | null } {
    const [name, args] = this.filterCall(e);
    const id = name.replace(/\W/g, '_');
    const value = `$f_${id}(${args.join(', ')})`;
    if (this.filters[name]?.html === undefined) return { value, escaped: null };
    return {
      value,
      escaped: (escaper) => {
        this.usedHTMLFilters.add(name);
        return `$fh_${id}(${[escaper, ...args].join(', ')})`;
      },
    };
  }

  /** The filter's name and the code of its arguments, the value first. */
  private filterCall(e: Expr & { kind: 'filter' }): [string, string[]] {
    const name = FILTER_ALIASES[e.name] ?? e.name;
    const f = this.filters[name];
    if (f === undefined) throw this.src.error('TEMPLATE_UNKNOWN_FILTER', `no filter named "${e.name}"`, e.offset);
    this.usedFilters.add(name);
    const soft = name === 'default';
    const args: string[] = e.args.map((a) => this.arg(a));
    const extra: [string, Expr][] = [];
    for (const [k, v] of e.kwargs) {
      const i = f.params.indexOf(k);
      if (i === -1) {
        extra.push([k, v]);
        continue;
      }
      if (i < e.args.length) throw this.src.error('TEMPLATE_SYNTAX', `filter ${e.name} got "${k}" twice`, e.offset);
      while (args.length < i) args.push('undefined');
      args[i] = this.expr(v);
    }
    if (extra.length > 0) args.push(this.kwargs(extra, e.offset));
    return [name, [this.expr(e.expr, soft), ...args]];
  }

  test(e: Expr & { kind: 'test' }): string {
    const name = TEST_ALIASES[e.name] ?? e.name;
    const t = this.tests[name];
    if (t === undefined) throw this.src.error('TEMPLATE_UNKNOWN_TEST', `no test named "${e.name}"`, e.offset);
    this.usedTests.add(name);
    const soft = name === 'defined' || name === 'undefined';
    const call = `$t_${name}(${[this.expr(e.expr, soft), ...e.args.map((a) => this.expr(a))].join(', ')})`;
    return e.negated ? `!${call}` : call;
  }

  binary(e: Expr & { kind: 'binary' }): string {
    const l = (): string => this.expr(e.left);
    const r = (): string => this.expr(e.right);
    switch (e.op) {
      case 'and':
        return `($t = ${l()}, $rt_truthy($t) ? ${r()} : $t)`;
      case 'or':
        return `($t = ${l()}, $rt_truthy($t) ? $t : ${r()})`;
      case '+':
        return `$rt.add(${l()}, ${r()})`;
      case '-':
        return `(${l()} - ${r()})`;
      case '*':
        return `$rt.mul(${l()}, ${r()})`;
      case '/':
        return `(${l()} / ${r()})`;
      case '//':
        return `Math.floor(${l()} / ${r()})`;
      case '%':
        return `$rt.mod(${l()}, ${r()})`;
      case '**':
        return `(${l()} ** ${r()})`;
      case '~':
        return `$rt.cat(${l()}, ${r()})`;
      case '==':
        return `$rt.eq(${l()}, ${r()})`;
      case '!=':
        return `!$rt.eq(${l()}, ${r()})`;
      case '<':
      case '<=':
      case '>':
      case '>=':
        return `(${l()} ${e.op} ${r()})`;
      case 'in':
        return `$rt.inOp(${l()}, ${r()})`;
      case 'not in':
        return `!$rt.inOp(${l()}, ${r()})`;
    }
  }
}
