/**
 * The escaper: walks a template's syntax tree, computes the context before every value
 * and after every piece of static text, and decides how each value is escaped. The result
 * is a plan codegen.ts follows; nothing here writes code.
 *
 * It reports, with file, line and column, every template whose output context cannot be
 * known or is unsafe for any value:
 * - `if` branches (and a loop with its `else`) that end in different contexts
 *   (TEMPLATE_BRANCH_CONTEXT);
 * - a loop body that does not reach a fixed point: its second run would escape a value
 *   differently from the first (TEMPLATE_LOOP_CONTEXT);
 * - a value in a tag or attribute name position, unless it goes through `|attrname`
 *   (TEMPLATE_VALUE_IN_TAG), and names cut by a value or tag (TEMPLATE_PARTIAL_NAME);
 * - a template, macro, call or set block that ends inside a tag, attribute, script,
 *   style, RCDATA element or comment (TEMPLATE_UNTERMINATED);
 * - an include outside HTML text, a block whose contexts differ from the parent's.
 * Values inside HTML, JS and CSS comments are dropped.
 */
import { TemplateError } from '../errors.js';
import type { Expr, Node, TemplateAST } from './ast.js';
import { type Context, F, TEXT, formatContext, innermost, joinContexts, mapInnermost, sameContext, withCtx } from './context.js';
import { endsDocument } from './analyze.js';
import { type Piece, applyInserts } from './inserts.js';
import { scanText } from './scan-text.js';
import { type HolePlan, closeQuoted, holePlan } from './hole-plan.js';
import type { Source } from './lexer.js';
import { isRawTextElement } from './attr.js';

/** What to write for an output node. */
export type OutputPlan = Exclude<HolePlan, { kind: 'error' }>;

/** The contexts a block starts and ends in. */
export interface BlockContexts {
  readonly start: Context;
  readonly end: Context;
}

export interface EscapePlan {
  /** Rewritten static text (inserts applied) per text node. */
  readonly texts: Map<Node, Piece[]>;
  /** The escaping for each output node and `{% call %}` node. */
  readonly outputs: Map<Node | Expr, OutputPlan>;
  /** Block contexts as seen by templates that extend this one. */
  readonly blocks: Map<string, BlockContexts>;
  /** The context where each `{{ super() }}` is, and its block. */
  readonly supers: Map<Node, string>;
  /** Text written before an if or a loop: the closing quote of a value Palisade quoted (see closeQuoted). */
  readonly closings: Map<Node, string>;
  /** Text written after the body of a branch or a loop: the same, for a value the body opened. */
  readonly closingsAfter: Map<readonly Node[], string>;
  /** Offsets of the `>` of POST form start tags that get no CSRF field (for `palisade check`). */
  readonly formsWithoutField: readonly number[];
  /** For each block: null when `self.name()` may write it again as HTML, else why not. */
  readonly selfBlocks: ReadonlyMap<string, string | null>;
}

/** HTML text outside SVG and MathML, where a fragment analysed from the start of a document may go. */
const isText = (c: Context): boolean => c.state === 'HTML_TEXT' && c.element === 'none' && c.stack === '';

class Escaper {
  readonly texts = new Map<Node, Piece[]>();
  readonly outputs = new Map<Node | Expr, OutputPlan>();
  readonly blocks = new Map<string, BlockContexts>();
  readonly supers = new Map<Node, string>();
  readonly closings = new Map<Node, string>();
  readonly closingsAfter = new Map<readonly Node[], string>();
  readonly formsWithoutField = new Set<number>();
  /** How many loop passes are running; > 1 run means a node may be seen again. */
  readonly blockStack: string[] = [];
  /** The loops around the node being read, innermost last: true for a recursive one. */
  readonly loops: boolean[] = [];

  constructor(
    readonly src: Source,
    readonly parentBlocks: ReadonlyMap<string, BlockContexts> | null,
    /** `{% extends expr %}`: the parent is known only when rendering (compile.ts checkOverrides). */
    readonly dynamicParent = false,
  ) {}

  /** The block a block of this template overrides: the parent's, or, for a parent named at render time, one in HTML text. */
  parentBlock(name: string): BlockContexts | undefined {
    return this.parentBlocks?.get(name) ?? (this.dynamicParent ? TEXT_BLOCK : undefined);
  }

  error(code: ConstructorParameters<typeof TemplateError>[0], reason: string, offset: number): TemplateError {
    return new TemplateError(code, reason, this.src.position(offset));
  }

  record<K extends object, V>(map: Map<K, V>, key: K, value: V, same: (a: V, b: V) => boolean, offset: number): void {
    const prev = map.get(key);
    if (prev !== undefined && !same(prev, value)) {
      throw this.error(
        'TEMPLATE_LOOP_CONTEXT',
        'this part of a loop body is in a different context on the second run of the loop; make the loop body end in the context it starts in',
        offset,
      );
    }
    map.set(key, value);
  }

  list(nodes: readonly Node[], c: Context): Context {
    for (let k = 0; k < nodes.length; k++) c = this.node(nodes[k]!, c, nodes[k + 1]);
    return c;
  }

  /** A body that is rendered on its own as Markup (macro, call, set block): text to text. */
  fragment(nodes: readonly Node[], what: string, offset: number): void {
    const end = this.list(nodes, TEXT);
    if (!isText(end)) {
      throw this.error(
        'TEMPLATE_UNTERMINATED',
        `the body of this ${what} ends in ${formatContext(end)}; it must end in HTML text (close every tag, attribute, script, style and comment it opens)`,
        offset,
      );
    }
  }

  /**
   * `<option value={{ v }}{% if sel %} selected{% endif %}>`: an if or a loop inside a value
   * Palisade quotes (it starts with a value), where a path starts by ending the value. The
   * closing quote cannot follow the paths that end it and not the others, so the value is
   * closed before the node, and no path may continue it (analyze.ts closeQuoted).
   */
  closeBefore(n: Node, bodies: readonly (readonly Node[])[], c: Context): Context {
    const endsValue = (body: readonly Node[]): boolean => {
      const first = body[0];
      return first !== undefined && first.kind === 'text' && /^[\t\n\f\r >]/.test(first.value);
    };
    if (innermost(c).delim !== 'unqq' || !bodies.some(endsValue)) return c;
    const closed = closeQuoted(c);
    this.record(this.closings, n, closed.text, (a, b) => a === b, n.offset);
    return closed.ctx;
  }

  /** Closes a value Palisade quoted at the end of `body`, which ends in it (context `end`). */
  closeAfter(body: readonly Node[], end: Context): Context {
    if (innermost(end).delim !== 'unqq') return end;
    const closed = closeQuoted(end);
    const last = body[body.length - 1];
    this.record(this.closingsAfter, body, closed.text, (a, b) => a === b, last?.offset ?? 0);
    return closed.ctx;
  }

  output(n: Node | Expr, c: Context, offset: number, expr: Expr | null, next: Node | undefined): Context {
    let plan = holePlan(c, next?.kind === 'text' ? next.value : undefined, expr !== null && isURLFor(expr));
    const last = expr !== null && expr.kind === 'filter' ? expr.name : null;
    if (
      plan.kind === 'error' &&
      c.state === 'HTML_TAG_NAME' &&
      last === 'xmlattr' &&
      expr?.kind === 'filter' &&
      expr.args.length === 0 &&
      expr.kwargs.length === 0
    ) {
      // `<div{{ d|xmlattr }}>`: its text starts with a space (autospace), which ends the name.
      plan = { kind: 'name', ctx: c, after: c };
    }
    if (plan.kind === 'error') throw this.error(plan.code, `${plan.reason} (context ${formatContext(plan.ctx)})`, offset);
    if (plan.kind === 'name' && last !== 'attrname' && last !== 'xmlattr') {
      throw this.error(
        'TEMPLATE_VALUE_IN_TAG',
        'a value where an attribute name goes; write the attribute in the template (for example {% if on %}checked{% endif %}), or pass a name through |attrname or a mapping through |xmlattr',
        offset,
      );
    }
    if (plan.kind === 'name' && last === 'xmlattr') {
      // `key="value"` pairs, checked names and escaped values (filters.ts xmlattr). Inside an
      // srcdoc value their quotes would need another escaping: refused there.
      if (c.inner !== null) throw this.error('TEMPLATE_VALUE_IN_TAG', `|xmlattr inside ${formatContext(c)}: write the attributes in the template`, offset);
      // What follows a quoted value: a space or the end of the tag, never `=` (F.JOINED_VALUE).
      const after = withCtx(c, { state: 'HTML_TAG', attr: 'none', flags: (c.flags & ~F.SLASH) | F.JOINED_VALUE });
      this.record(this.outputs, n, { ...plan, after }, samePlan, offset);
      return after;
    }
    this.record(this.outputs, n, plan, samePlan, offset);
    return plan.after;
  }

  /** The context after `n`, which starts in `c`; `next` is the node after it, if any. */
  node(n: Node, c: Context, next?: Node): Context {
    switch (n.kind) {
      case 'text': {
        const r = scanText(c, n.value);
        if (r.errorAt !== -1) {
          const err = r.ctx.err!;
          throw this.error(err.code, err.reason, n.offset + r.errorAt);
        }
        this.record(this.texts, n, applyInserts(n.value, r.inserts), samePieces, n.offset);
        for (const ins of r.inserts) if (ins.kind === 'no-csrf') this.formsWithoutField.add(n.offset + ins.at - 1);
        return r.ctx;
      }
      case 'output': {
        const e = n.expr;
        if (e.kind === 'call' && e.fn.kind === 'name' && e.fn.name === 'super' && e.args.length === 0) {
          const block = this.blockStack[this.blockStack.length - 1];
          const parent = block === undefined ? undefined : this.parentBlock(block);
          if (block === undefined || parent === undefined)
            throw this.error('TEMPLATE_SYNTAX', 'super() is used outside a block that overrides a parent block', n.offset);
          if (!sameContext(c, parent.start)) {
            throw this.error(
              'TEMPLATE_BLOCK_CONTEXT',
              `super() must be where the block starts (${formatContext(parent.start)}), not in ${formatContext(c)}`,
              n.offset,
            );
          }
          this.supers.set(n, block);
          return parent.end;
        }
        if (e.kind === 'call' && e.fn.kind === 'name' && e.fn.name === 'loop' && this.loops.length > 0) {
          // loop(children) writes the loop's body again, which starts and ends in HTML text.
          if (this.loops[this.loops.length - 1] && !isText(c)) {
            throw this.error('TEMPLATE_LOOP_CONTEXT', `loop() must be in HTML text, where the recursive loop starts, not in ${formatContext(c)}`, n.offset);
          }
        }
        return this.output(n, c, n.offset, e, next);
      }
      case 'if': {
        c = this.closeBefore(n, [...n.branches.map((b) => b.body), n.else_ ?? []], c);
        const bodies = [...n.branches.map((b) => b.body), ...(n.else_ === null ? [] : [n.else_])];
        const ends = bodies.map((b) => this.list(b, c));
        if (n.else_ === null) ends.push(c);
        let end = joinAll(ends);
        if (end === null && ends.some((e) => innermost(e).delim === 'unqq')) {
          // `{% if t %} title={{ t }}{% endif %}`: a path that ends in a value Palisade
          // quotes gets its closing quote at its end.
          end = joinAll(ends.map((e, i) => (i < bodies.length ? this.closeAfter(bodies[i]!, e) : e)));
        }
        if (end === null) {
          const [a, b] = firstDisagreement(ends);
          throw this.error(
            'TEMPLATE_BRANCH_CONTEXT',
            `the branches of this if end in different contexts: ${formatContext(a)} and ${formatContext(b)}${n.else_ === null ? ' (a missing else counts as a branch that writes nothing)' : ''}`,
            n.offset,
          );
        }
        return end;
      }
      case 'for': {
        // A loop's first run would be at the start of a <pre>/<textarea>, later runs not.
        c = mapInnermost(c, (x) => withCtx(x, { flags: x.flags & ~F.AT_LEADING_NEWLINE }));
        c = this.closeBefore(n, [n.body, n.else_ ?? []], c);
        if (n.recursive && !isText(c)) {
          throw this.error(
            'TEMPLATE_LOOP_CONTEXT',
            `a recursive loop must start in HTML text, not in ${formatContext(c)}: loop() writes its body where it is called, as HTML text`,
            n.offset,
          );
        }
        this.loops.push(n.recursive);
        let e1 = this.list(n.body, c);
        // A body that ends in a value Palisade quotes, which its next run would end.
        if (innermost(e1).delim === 'unqq' && !sameContext(e1, c)) e1 = this.closeAfter(n.body, e1);
        let e2: Context | null = null;
        if (!sameContext(e1, c)) {
          e2 = this.list(n.body, e1);
          if (this.closingsAfter.has(n.body)) e2 = this.closeAfter(n.body, e2);
        }
        this.loops.pop();
        if (e2 !== null) {
          if (!sameContext(e2, e1)) {
            throw this.error(
              'TEMPLATE_LOOP_CONTEXT',
              `this loop body starts in ${formatContext(c)} and ends in ${formatContext(e1)}, then ${formatContext(e2)}; a loop body must end in the context it starts in`,
              n.offset,
            );
          }
        }
        let end = joinContexts(c, e1);
        if (end === null || (n.recursive && !isText(e1))) {
          throw this.error(
            'TEMPLATE_LOOP_CONTEXT',
            `this loop body starts in ${formatContext(c)} but ends in ${formatContext(e1)}; a loop body must end in the context it starts in`,
            n.offset,
          );
        }
        if (n.else_ !== null) {
          const e = this.list(n.else_, c);
          const j = joinContexts(end, e);
          if (j === null) {
            throw this.error('TEMPLATE_BRANCH_CONTEXT', `the loop ends in ${formatContext(end)} but its else ends in ${formatContext(e)}`, n.elseOffset);
          }
          end = j;
        }
        return end;
      }
      case 'with':
        return this.list(n.body, c);
      case 'set':
      case 'extends':
      case 'import':
      case 'fromimport':
        return c;
      case 'setblock':
        this.fragment(n.body, n.label ?? 'set block', n.offset);
        return c;
      case 'macro':
        this.fragment(n.body, `macro ${n.name}`, n.offset);
        return c;
      case 'callblock':
        this.fragment(n.body, 'call block', n.offset);
        return this.output(n, c, n.offset, null, next);
      case 'include':
        if (!isText(c)) {
          throw this.error(
            'TEMPLATE_INCLUDE_CONTEXT',
            `an include must be in HTML text, not in ${formatContext(c)}: the included template is escaped as HTML text`,
            n.offset,
          );
        }
        return c;
      case 'block': {
        const parent = this.parentBlock(n.name);
        const start = parent !== undefined && this.blockStack.length === 0 ? parent.start : c;
        this.blockStack.push(n.name);
        const end = this.list(n.body, start);
        this.blockStack.pop();
        let blockEnd = overridableEnd(end);
        if (parent !== undefined && this.blockStack.length === 0) {
          // An override may end where the block it overrides ends, or in a context that
          // joins into it (static URL text where the layout allows a value).
          const joined = joinContexts(end, parent.end);
          if (joined === null || !sameContext(joined, parent.end)) {
            throw this.error(
              'TEMPLATE_BLOCK_CONTEXT',
              `block ${n.name} ends in ${formatContext(end)}, but the block it overrides ends in ${formatContext(parent.end)}`,
              n.offset,
            );
          }
          blockEnd = parent.end;
        }
        if (parent !== undefined && this.blockStack.length > 0 && !sameContext(start, parent.start)) {
          throw this.error(
            'TEMPLATE_BLOCK_CONTEXT',
            `block ${n.name} starts in ${formatContext(start)}, but the block it overrides starts in ${formatContext(parent.start)}`,
            n.offset,
          );
        }
        this.blocks.set(n.name, { start, end: blockEnd });
        return blockEnd;
      }
    }
  }
}

/**
 * `url_for(…)`: Palisade's url_for builds a path on this site. Where that lets a form keep
 * its CSRF field (hole-plan.ts), the value is checked again at run time (`sameOriginURL`),
 * since a template may be given another function under the same name.
 */
function isURLFor(e: Expr): boolean {
  return e.kind === 'call' && e.fn.kind === 'name' && e.fn.name === 'url_for';
}

/** A block in HTML text, assumed for the blocks of a parent named at render time. */
const TEXT_BLOCK: BlockContexts = { start: TEXT, end: TEXT };

/** Where a block may be for `self.name()` to write it again: HTML text or RCDATA, escaped as HTML. */
function selfBlockContext(c: Context): boolean {
  return c.state === 'HTML_TEXT' && c.inner === null && c.stack === '' && !isRawTextElement(c.element) && c.element !== 'plaintext';
}

/** The join of all contexts, or null. */
function joinAll(ends: readonly Context[]): Context | null {
  let end: Context | null = ends[0]!;
  for (const e of ends.slice(1)) {
    end = joinContexts(end, e);
    if (end === null) return null;
  }
  return end;
}

/** Two contexts of `ends` that do not join, for the error message. */
function firstDisagreement(ends: readonly Context[]): [Context, Context] {
  let end = ends[0]!;
  for (const e of ends.slice(1)) {
    const j = joinContexts(end, e);
    if (j === null) return [end, e];
    end = j;
  }
  return [ends[0]!, ends[ends.length - 1]!];
}

/**
 * The context after a block, as the text after it is read: a page that overrides the block
 * may end it with a value where this content ends in URL text, so URL text is read as
 * right after a value (context.ts urlPart `value`: the text must not extend a scheme).
 */
function overridableEnd(c: Context): Context {
  return mapInnermost(c, (x) => (x.urlPart === 'rest' ? withCtx(x, { urlPart: 'value' }) : x));
}

function samePlan(a: OutputPlan, b: OutputPlan): boolean {
  if (a.kind !== b.kind) return false;
  if (a.kind === 'escape' && b.kind === 'escape') return a.prefix === b.prefix && a.chain.join() === b.chain.join();
  return true;
}

function samePieces(a: Piece[], b: Piece[]): boolean {
  const samePiece = (p: Piece, q: Piece | undefined): boolean =>
    typeof p === 'string' ? p === q : typeof q === 'object' && q.insert === p.insert && (q.wrap ?? []).join() === (p.wrap ?? []).join();
  return a.length === b.length && a.every((p, i) => samePiece(p, b[i]));
}

/**
 * Computes the escaping plan of a template. `parentBlocks` are the block contexts of the
 * parent when the template extends one.
 */
export function escapeTemplate(ast: TemplateAST, src: Source, parentBlocks: ReadonlyMap<string, BlockContexts> | null): EscapePlan {
  const e = new Escaper(src, parentBlocks, ast.extends !== null && typeof ast.extends !== 'string');
  if (ast.extends !== null) {
    // A child's own text is written only before its {% extends %} (as in Jinja, usually
    // whitespace), then comes the parent's; after it only its blocks (and macros, sets) matter.
    let c: Context | null = TEXT;
    for (let k = 0; k < ast.body.length; k++) {
      const n = ast.body[k]!;
      if (c !== null && n.kind === 'extends') {
        if (!isText(c))
          throw e.error('TEMPLATE_UNTERMINATED', `the text before {% extends %} ends in ${formatContext(c)}; the parent's output follows it`, n.offset);
        c = null;
      }
      if (c !== null) c = e.node(n, c, ast.body[k + 1]);
      else if (n.kind !== 'text' && n.kind !== 'output') e.node(n, TEXT);
    }
    // Inherit the parent's block contexts for blocks this template does not define.
    for (const [name, bc] of parentBlocks ?? []) if (!e.blocks.has(name)) e.blocks.set(name, bc);
  } else {
    const end = e.list(ast.body, TEXT);
    if (!endsDocument(end)) {
      throw e.error(
        'TEMPLATE_UNTERMINATED',
        `the template ends in ${formatContext(end)}; close every tag, attribute, script, style and comment it opens`,
        src.text.length,
      );
    }
  }
  // `self.name()` gives the block's output as Markup, written as HTML: only a block that
  // starts and ends in text whose values are escaped as HTML (not raw text, a script, a
  // style or a tag). codegen.ts refuses a call of any other block, wherever it stands.
  const selfBlocks = new Map<string, string | null>();
  for (const [name, b] of e.blocks) {
    selfBlocks.set(
      name,
      selfBlockContext(b.start) && sameContext(b.start, b.end)
        ? null
        : `self.${name}() writes block ${name} as HTML, but it is escaped for ${formatContext(b.start)}${sameContext(b.start, b.end) ? '' : ` and ends in ${formatContext(b.end)}`}; only a block in HTML text, <title> or <textarea> can be written again`,
    );
  }
  return {
    texts: e.texts,
    outputs: e.outputs,
    blocks: e.blocks,
    supers: e.supers,
    closings: e.closings,
    closingsAfter: e.closingsAfter,
    formsWithoutField: [...e.formsWithoutField].sort((a, b) => a - b),
    selfBlocks,
  };
}
