/**
 * Template inheritance while a page renders: the chain of definitions of each block (the
 * most derived template first), `{{ super() }}`, `self.name()`, required blocks, and the
 * namespace a block reads.
 */
import { type Markup, markupFromSafe } from '../escape/markup.js';
import { type Where, fail } from './render-errors.js';

/** The contexts a block was escaped for (escaper.ts BlockContexts), kept with its function. */
export interface BlockCtx {
  readonly start: unknown;
  readonly end: unknown;
}

type BlockFn = (b: BlockChains, i: number, env: unknown, loc?: Record<string, unknown>) => string;

/** Block overrides: for each block name, the definitions from the most derived template down. */
export type BlockChains = Record<string, { fn: BlockFn; top: object; ctx: BlockCtx | undefined }[]>;

/** Appends a template's own blocks (bound to its namespace) to the chains from its children. */
export function addBlocks(chains: BlockChains | undefined, own: Record<string, BlockFn>, top: object, contexts?: ReadonlyMap<string, BlockCtx>): BlockChains {
  const out: BlockChains = chains === undefined ? {} : { ...chains };
  for (const name in own) out[name] = [...(out[name] ?? []), { fn: own[name]!, top, ctx: contexts?.get(name) }];
  return out;
}

/** The namespace a block reads: its template's, with the names where it stands when it is scoped. */
export function blockTop(top: object, loc: Record<string, unknown> | undefined): object {
  return loc === undefined ? top : Object.assign(Object.create(top) as object, loc);
}

/** `{{ super() }}`: the next definition of the block up the chain (with a scoped block's names). */
export function superBlock(chains: BlockChains, name: string, i: number, env: unknown, w: Where, p: number, loc?: Record<string, unknown>): string {
  const next = chains[name]?.[i + 1];
  if (next === undefined) fail('TEMPLATE_RUNTIME', `block ${name} has no parent block for super()`, w, p);
  return next.fn(chains, i + 1, env, loc);
}

/** `{% block name required %}`: a template that extends this one must give the block. */
export function requiredBlock(chains: BlockChains, name: string, w: Where, p: number): void {
  if ((chains[name]?.length ?? 0) < 2) fail('TEMPLATE_RUNTIME', `block ${name} is required: a template that extends this one must define it`, w, p);
}

/** `{{ self.name() }}`: the block rendered again, most derived definition first, as Markup. */
export function selfBlock(chains: BlockChains, name: string, env: unknown, w: Where, p: number): Markup {
  const first = chains[name]?.[0];
  if (first === undefined) fail('TEMPLATE_RUNTIME', `self.${name}(): no block named ${name}`, w, p);
  return markupFromSafe(first.fn(chains, 0, env));
}
