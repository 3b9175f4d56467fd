/**
 * The parser: tokens to a syntax tree (ast.ts), for the statements Palisade supports:
 * `if/elif/else`, `for … in … [if …]` with `else`, `set` (also `set x %}…{% endset`, and
 * `set ns.attr`), `with`, `block`, `extends`, `include [ignore missing] [with|without
 * context]`, `import … as …`, `from … import …`, `macro`, `call`, and `raw` (in the lexer).
 * Expressions are in parse-expr.ts.
 */
import type { Expr, MacroParam, Node, Target, TemplateAST } from './ast.js';
import { type Source, tokenize } from './lexer.js';
import { Tokens, describe, enter, parseExpr, parseFilterTag } from './parse-expr.js';

/** The name that holds a {% filter %} block's output: `$` never starts a template's names. */
const FILTERED = '$filtered';

/** Parses a template source into a syntax tree; throws TemplateError with a position. */
export function parse(src: Source): TemplateAST {
  const t = new Tokens(tokenize(src), src);
  const p = new Parser(t);
  const body = p.body([], -1, '');
  return { body, extends: p.extendsName };
}

const END_NAMES = new Set(['endif', 'endfor', 'endblock', 'endmacro', 'endcall', 'endset', 'endwith', 'endfilter', 'endautoescape', 'elif', 'else']);

class Parser {
  extendsName: string | Expr | null = null;
  /** How many statements the one being read is inside. */
  depth = 0;
  /** Where each block name was defined: a name is defined once per template, as in Jinja. */
  readonly blockNames = new Map<string, number>();
  constructor(readonly t: Tokens) {}

  /** Nodes up to a `{% name %}` with a name in `ends` (left unread), or the end. */
  body(ends: readonly string[], openOffset: number, opener: string): Node[] {
    if (ends.length === 0) return this.nodes(ends, openOffset, opener);
    this.depth++;
    try {
      return this.nodes(ends, openOffset, opener);
    } finally {
      this.depth--;
    }
  }

  nodes(ends: readonly string[], openOffset: number, opener: string): Node[] {
    const t = this.t;
    const nodes: Node[] = [];
    for (;;) {
      const tok = t.peek();
      if (tok.type === 'eof') {
        if (ends.length > 0) {
          throw t.src.error('TEMPLATE_UNCLOSED', `{% ${opener} %} is not closed: missing {% ${ends[ends.length - 1]} %}`, openOffset);
        }
        return nodes;
      }
      if (tok.type === 'data') {
        t.next();
        nodes.push({ kind: 'text', offset: tok.offset, value: tok.value as string });
      } else if (tok.type === 'var_begin') {
        t.next();
        const expr = parseExpr(t);
        t.expect('var_end', undefined, '"}}"');
        nodes.push({ kind: 'output', offset: tok.offset, expr });
      } else if (tok.type === 'block_begin') {
        const name = t.peek(1);
        if (name.type !== 'name') throw t.src.error('TEMPLATE_SYNTAX', `expected a tag name after "{%", found ${describe(name)}`, name.offset);
        if (ends.includes(name.value as string)) return nodes;
        if (END_NAMES.has(name.value as string)) {
          throw t.src.error('TEMPLATE_SYNTAX', `unexpected {% ${name.value} %}${opener ? ` inside {% ${opener} %}` : ''}`, name.offset);
        }
        t.next();
        enter(t, name.offset);
        try {
          nodes.push(this.statement());
        } finally {
          t.depth--;
        }
      } else {
        throw t.src.error('TEMPLATE_SYNTAX', `unexpected ${describe(tok)}`, tok.offset);
      }
    }
  }

  /** Reads `{% name` (the block_begin is already read) and the closing `%}`. */
  endTag(name: string): void {
    const t = this.t;
    t.expect('block_begin');
    t.expect('name', name);
    if (t.peek().type === 'name' && (name === 'endblock' || name === 'endmacro')) t.next();
    t.expect('block_end', undefined, '"%}"');
  }

  statement(): Node {
    const t = this.t;
    const tok = t.next();
    const name = tok.value as string;
    const offset = tok.offset;
    let node: Node;
    switch (name) {
      case 'if': {
        const branches: { test: Expr; body: Node[]; offset: number }[] = [];
        let test = parseExpr(t);
        let branchOffset = offset;
        let else_: Node[] | null = null;
        let elseOffset = -1;
        for (;;) {
          t.expect('block_end', undefined, '"%}"');
          const body = this.body(['elif', 'else', 'endif'], offset, 'if');
          branches.push({ test, body, offset: branchOffset });
          t.expect('block_begin');
          const end = t.next();
          if (end.value === 'elif') {
            branchOffset = end.offset;
            test = parseExpr(t);
            continue;
          }
          if (end.value === 'else') {
            elseOffset = end.offset;
            t.expect('block_end', undefined, '"%}"');
            else_ = this.body(['endif'], offset, 'if');
            this.endTag('endif');
          } else {
            t.expect('block_end', undefined, '"%}"');
          }
          break;
        }
        return { kind: 'if', offset, branches, else_, elseOffset };
      }
      case 'for': {
        const targets = [t.expectName('a loop variable')];
        while (t.skip('op', ',')) targets.push(t.expectName('a loop variable'));
        t.expect('name', 'in');
        const iter = parseExpr(t, true);
        const cond = t.skip('name', 'if') ? parseExpr(t, true) : null;
        const recursive = t.skip('name', 'recursive');
        t.expect('block_end', undefined, '"%}"');
        const body = this.body(['else', 'endfor'], offset, 'for');
        let else_: Node[] | null = null;
        let elseOffset = -1;
        t.expect('block_begin');
        const end = t.next();
        t.expect('block_end', undefined, '"%}"');
        if (end.value === 'else') {
          elseOffset = end.offset;
          else_ = this.body(['endfor'], offset, 'for');
          this.endTag('endfor');
        }
        return { kind: 'for', offset, targets, iter, cond, recursive, body, else_, elseOffset };
      }
      case 'set': {
        const targets: Target[] = [this.target()];
        while (t.skip('op', ',')) targets.push(this.target());
        if (t.skip('op', '=')) {
          let value = parseExpr(t);
          if (t.is('op', ',')) {
            const items = [value];
            while (t.skip('op', ',')) items.push(parseExpr(t));
            value = { kind: 'tuple', offset: value.offset, items };
          }
          node = { kind: 'set', offset, targets, value };
          break;
        }
        if (targets.length !== 1) throw t.src.error('TEMPLATE_SYNTAX', 'a {% set %} block assigns one name', offset);
        // `{% set x | f %}…{% endset %}`: the captured block goes through the filters.
        const filter = t.is('op', '|') ? (t.next(), parseFilterTag(t, { kind: 'name', offset, name: FILTERED })) : undefined;
        t.expect('block_end', undefined, '"=" or "%}"');
        const body = this.body(['endset'], offset, 'set');
        this.endTag('endset');
        return filter === undefined ? { kind: 'setblock', offset, target: targets[0]!, body } : { kind: 'setblock', offset, target: targets[0]!, body, filter };
      }
      case 'filter': {
        // {% filter f %}body{% endfilter %} is {{ (body, captured as by {% set %})|f }}, in a
        // scope of its own; the name holding the body is one a template cannot write.
        const subject: Expr = { kind: 'name', offset, name: FILTERED };
        const expr = parseFilterTag(t, subject);
        t.expect('block_end', undefined, '"%}"');
        const body = this.body(['endfilter'], offset, 'filter');
        this.endTag('endfilter');
        const capture: Node = { kind: 'setblock', offset, target: { name: FILTERED }, body, label: 'filter block' };
        return { kind: 'with', offset, assigns: [], body: [capture, { kind: 'output', offset, expr }] };
      }
      case 'with': {
        const assigns: [string, Expr][] = [];
        while (t.is('name')) {
          const n = t.expectName();
          t.expect('op', '=');
          assigns.push([n, parseExpr(t)]);
          if (!t.skip('op', ',')) break;
        }
        t.expect('block_end', undefined, '"%}"');
        const body = this.body(['endwith'], offset, 'with');
        this.endTag('endwith');
        return { kind: 'with', offset, assigns, body };
      }
      case 'block': {
        const nameOffset = t.peek().offset;
        const blockName = t.expectName('a block name');
        const first = this.blockNames.get(blockName);
        if (first !== undefined) {
          const at = t.src.position(first);
          throw t.src.error(
            'TEMPLATE_DUPLICATE_BLOCK',
            `block ${blockName} is already defined at line ${at.line}, column ${at.column}: a block name is used once per template, because each block is escaped for the one place it is written; to write the same content twice, put it in a macro`,
            nameOffset,
          );
        }
        this.blockNames.set(blockName, nameOffset);
        // Jinja's order: `scoped`, then `required`.
        const scoped = t.skip('name', 'scoped');
        const required = t.skip('name', 'required');
        t.expect('block_end', undefined, '"%}"');
        const body = this.body(['endblock'], offset, `block ${blockName}`);
        if (required && body.some((n) => n.kind !== 'text' || n.value.trim() !== '')) {
          throw t.src.error(
            'TEMPLATE_SYNTAX',
            `the required block ${blockName} may hold only whitespace and comments: a template that extends this one gives its content`,
            offset,
          );
        }
        t.expect('block_begin');
        t.expect('name', 'endblock');
        if (t.is('name') && t.peek().value !== blockName) {
          throw t.src.error('TEMPLATE_SYNTAX', `{% endblock ${t.peek().value} %} closes {% block ${blockName} %}`, t.peek().offset);
        }
        t.skip('name');
        t.expect('block_end', undefined, '"%}"');
        return { kind: 'block', offset, name: blockName, body, scoped, required };
      }
      case 'extends': {
        // A string names the parent, read when this template is compiled; any other
        // expression is evaluated when the page is rendered (codegen.ts, compile.ts).
        if (this.extendsName !== null) throw t.src.error('TEMPLATE_SYNTAX', 'a template can extend only one parent', offset);
        if (this.depth > 0) {
          throw t.src.error(
            'TEMPLATE_SYNTAX',
            '{% extends %} must be at the top level of the template, not inside another tag: which layout the page has may depend on a value, {% extends layout %}, but not on an if',
            offset,
          );
        }
        const template = parseExpr(t);
        this.extendsName = template.kind === 'literal' && typeof template.value === 'string' ? template.value : template;
        node = { kind: 'extends', offset, template };
        break;
      }
      case 'autoescape': {
        // Escaping is always on: {% autoescape true %} changes nothing; false is refused.
        const on = parseExpr(t);
        if (!(on.kind === 'literal' && on.value === true)) {
          throw t.src.error(
            'TEMPLATE_SYNTAX',
            'escaping cannot be switched off: only {% autoescape true %} is accepted (it changes nothing); to write trusted HTML, use Markup or |safe',
            on.offset,
          );
        }
        t.expect('block_end', undefined, '"%}"');
        const body = this.body(['endautoescape'], offset, 'autoescape');
        this.endTag('endautoescape');
        return { kind: 'with', offset, assigns: [], body };
      }
      case 'include': {
        const template = parseExpr(t);
        let ignoreMissing = false;
        let withContext = true;
        if (t.isName('ignore')) {
          t.next();
          t.expect('name', 'missing');
          ignoreMissing = true;
        }
        if (t.isName('with') || t.isName('without')) {
          withContext = t.next().value === 'with';
          t.expect('name', 'context');
        }
        node = { kind: 'include', offset, template, ignoreMissing, withContext };
        break;
      }
      case 'import': {
        const template = parseExpr(t);
        t.expect('name', 'as');
        const alias = t.expectName();
        node = { kind: 'import', offset, template, alias, withContext: this.contextModifier() };
        break;
      }
      case 'from': {
        const template = parseExpr(t);
        t.expect('name', 'import');
        const names: [string, string][] = [];
        do {
          if (t.isName('with') || t.isName('without')) break;
          const n = t.expectName('a macro name');
          names.push([n, t.skip('name', 'as') ? t.expectName() : n]);
        } while (t.skip('op', ','));
        node = { kind: 'fromimport', offset, template, names, withContext: this.contextModifier() };
        break;
      }
      case 'macro': {
        const macroName = t.expectName('a macro name');
        const params = this.params();
        t.expect('block_end', undefined, '"%}"');
        const body = this.body(['endmacro'], offset, `macro ${macroName}`);
        this.endTag('endmacro');
        return { kind: 'macro', offset, name: macroName, params, body };
      }
      case 'call': {
        const params = t.is('op', '(') ? this.params() : [];
        const call = parseExpr(t);
        if (call.kind !== 'call') throw t.src.error('TEMPLATE_SYNTAX', '{% call %} needs a macro call, like {% call list(items) %}', call.offset);
        t.expect('block_end', undefined, '"%}"');
        const body = this.body(['endcall'], offset, 'call');
        this.endTag('endcall');
        return { kind: 'callblock', offset, call, params, body };
      }
      default:
        throw t.src.error('TEMPLATE_UNKNOWN_TAG', `unknown tag {% ${name} %}`, offset);
    }
    t.expect('block_end', undefined, '"%}"');
    return node;
  }

  /** `with context` (true) or `without context` (the default for imports). */
  contextModifier(): boolean {
    if (!(this.t.isName('with') || this.t.isName('without'))) return false;
    const on = this.t.next().value === 'with';
    this.t.expect('name', 'context');
    return on;
  }

  target(): Target {
    const name = this.t.expectName('a variable name');
    if (this.t.skip('op', '.')) return { name, attr: this.t.expectName('an attribute name') };
    return { name };
  }

  params(): MacroParam[] {
    const t = this.t;
    const params: MacroParam[] = [];
    t.expect('op', '(');
    while (!t.is('op', ')')) {
      const nameTok = t.peek();
      const name = t.expectName('a parameter name');
      if (params.some((p) => p.name === name)) throw t.src.error('TEMPLATE_SYNTAX', `the parameter "${name}" is named twice`, nameTok.offset);
      const def = t.skip('op', '=') ? parseExpr(t) : null;
      if (name === 'caller' && def === null) {
        throw t.src.error(
          'TEMPLATE_SYNTAX',
          'a "caller" parameter needs a default (caller=none): it is given the body of a {% call %}, and nothing when the macro is called directly',
          nameTok.offset,
        );
      }
      params.push({ name, default: def });
      if (!t.skip('op', ',')) break;
    }
    t.expect('op', ')');
    return params;
  }
}
