/**
 * What generated template code reaches as `$rt.name`: the value model (values.ts), template
 * inheritance (blocks.ts), render errors with their position (render-errors.ts), printing
 * (print.ts) and the render environment with its inserts (render-env.ts). This file only
 * lists those names, so that the link between the compiler and what it calls is one
 * place; modules of the engine import from the files that define them. The escaping
 * functions come to generated code as `$esc` (hole-escapers.ts). See compile.ts for how a
 * module is instantiated.
 */
export {
  Loop,
  add,
  attr,
  call,
  callMethod,
  cat,
  dict,
  eq,
  extraKwargs,
  get,
  inOp,
  item,
  iter,
  kwargsOf,
  lookup,
  makeMacro,
  mod,
  mul,
  setAttr,
  slice,
  truthy,
  unpack,
  withLocals,
} from './values.js';
export { addBlocks, blockTop, requiredBlock, selfBlock, superBlock } from './blocks.js';
export { wrapError } from './render-errors.js';
export { str, tuple } from './print.js';
export { csrfFieldHTML, nonceAttr, renderEnv } from './render-env.js';
export { markupFromSafe } from '../escape/markup.js';
