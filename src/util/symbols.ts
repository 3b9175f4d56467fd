/**
 * Keys of Palisade's internal state, kept off the public names so that applications do
 * not reach it by accident (the way fastify/fastify keeps `lib/symbols.js`). Registered
 * symbols (`Symbol.for`): an app that imports Palisade from its sources and the CLI that
 * loads it from its build still meet on the same keys.
 */

/** `req[SCOPE]`: the request's scope (src/http/context.ts). */
export const SCOPE: unique symbol = Symbol.for('palisade.scope');

/** `req[INTERNALS]`: per-request state of Palisade's own modules (RequestInternals, src/http/request.ts). */
export const INTERNALS: unique symbol = Symbol.for('palisade.internals');

/** `app[CREATE_REQUEST](init)`: a Request for the app, for adapters. */
export const CREATE_REQUEST: unique symbol = Symbol.for('palisade.createRequest');

/** `app[RESPOND](req)`: the app's answer to a request, for adapters (inside the request's scope). */
export const RESPOND: unique symbol = Symbol.for('palisade.respond');

/** `app[UPGRADE](req)`: a WebSocket handshake through the app's gate, for the node adapter. */
export const UPGRADE: unique symbol = Symbol.for('palisade.upgrade');

/** `app[PROTECTIONS]`: the protections the app runs, in order (the CLI's `routes` and `check`, the test client). */
export const PROTECTIONS: unique symbol = Symbol.for('palisade.protections');

/** `collector[FIX_SETUP](why)`: fixes the setup of an app or blueprint (src/app/mount.ts). */
export const FIX_SETUP: unique symbol = Symbol.for('palisade.fixSetup');

/** `collector[DECLARED]`: the routes, hooks and error handlers an app or blueprint declared. */
export const DECLARED: unique symbol = Symbol.for('palisade.declared');

/** `collector[DECLARATIONS]`: how many declarations an app or blueprint made, so a draft route table knows it is stale. */
export const DECLARATIONS: unique symbol = Symbol.for('palisade.declarations');
