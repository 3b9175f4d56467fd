/**
 * Keys of Palisade's internal state, kept off the public names so that applications do
 * not reach it by accident (the way fastify/fastify keeps `lib/symbols.js`). Registered
 * symbols (`Symbol.for`): an app that imports Palisade from its sources and the CLI that
 * loads it from its build still meet on the same keys.
 */

/** `req[SCOPE]`: the request's scope (src/http/context.ts). */
export const SCOPE: unique symbol = Symbol.for('palisade.scope');
