/**
 * The syntax tree of a template. Every node carries `offset`, the position in the source
 * of the token that starts it (Source.position turns it into line and column). The tree
 * knows nothing about HTML: escaper.ts computes contexts, codegen.ts writes code.
 */

export type Expr =
  | { kind: 'literal'; offset: number; value: string | number | boolean | null }
  | { kind: 'name'; offset: number; name: string }
  | { kind: 'list'; offset: number; items: Expr[] }
  | { kind: 'tuple'; offset: number; items: Expr[] }
  | { kind: 'dict'; offset: number; pairs: [Expr, Expr][] }
  | { kind: 'attr'; offset: number; obj: Expr; name: string }
  | { kind: 'item'; offset: number; obj: Expr; index: Expr }
  | { kind: 'slice'; offset: number; obj: Expr; start: Expr | null; stop: Expr | null; step: Expr | null }
  | { kind: 'call'; offset: number; fn: Expr; args: Expr[]; kwargs: [string, Expr][] }
  | { kind: 'filter'; offset: number; expr: Expr; name: string; args: Expr[]; kwargs: [string, Expr][] }
  | { kind: 'test'; offset: number; expr: Expr; name: string; args: Expr[]; negated: boolean }
  | { kind: 'unary'; offset: number; op: 'not' | '-' | '+'; expr: Expr }
  | { kind: 'binary'; offset: number; op: BinaryOp; left: Expr; right: Expr }
  | { kind: 'cond'; offset: number; test: Expr; then: Expr; else_: Expr | null }
  /** `*items` among call arguments; a keyword argument named `**` is `**mapping`. */
  | { kind: 'spread'; offset: number; expr: Expr };

export type BinaryOp = '+' | '-' | '*' | '/' | '//' | '%' | '**' | '~' | 'and' | 'or' | '==' | '!=' | '<' | '<=' | '>' | '>=' | 'in' | 'not in';

/** A target of `set` or `for`: a name, or `ns.attr` (set only). */
export type Target = { name: string; attr?: string };

export interface MacroParam {
  name: string;
  default: Expr | null;
}

export type Node =
  | { kind: 'text'; offset: number; value: string }
  | { kind: 'output'; offset: number; expr: Expr }
  | { kind: 'if'; offset: number; branches: { test: Expr; body: Node[]; offset: number }[]; else_: Node[] | null; elseOffset: number }
  | {
      kind: 'for';
      offset: number;
      targets: string[];
      iter: Expr;
      cond: Expr | null;
      recursive: boolean;
      body: Node[];
      else_: Node[] | null;
      elseOffset: number;
    }
  | { kind: 'set'; offset: number; targets: Target[]; value: Expr }
  | { kind: 'setblock'; offset: number; target: Target; body: Node[]; label?: string; filter?: Expr }
  | { kind: 'with'; offset: number; assigns: [string, Expr][]; body: Node[] }
  | { kind: 'block'; offset: number; name: string; body: Node[]; scoped: boolean; required: boolean }
  | { kind: 'extends'; offset: number; template: Expr }
  | { kind: 'include'; offset: number; template: Expr; ignoreMissing: boolean; withContext: boolean }
  | { kind: 'import'; offset: number; template: Expr; alias: string; withContext: boolean }
  | { kind: 'fromimport'; offset: number; template: Expr; names: [string, string][]; withContext: boolean }
  | { kind: 'macro'; offset: number; name: string; params: MacroParam[]; body: Node[] }
  | { kind: 'callblock'; offset: number; call: Expr & { kind: 'call' }; params: MacroParam[]; body: Node[] };

export interface TemplateAST {
  body: Node[];
  /**
   * The parent template when the template has `{% extends %}`: its name as a string, or the
   * expression that gives the name when the page is rendered.
   */
  extends: string | Expr | null;
}
