/**
 * jsonify: JSON responses that cannot be read cross-site as a script.
 *
 * A top-level array (or any non-object) is refused unless the route or the call opts in
 * with `allowTopLevelArray`, because an array literal is valid JavaScript and was, in old
 * browsers, readable by another site through `<script src>` (JSON array hijacking).
 * Values JSON cannot carry (undefined in an array or at the top, functions, symbols,
 * BigInt, NaN and the infinities, Map and Set, cycles) are errors that name the path to the
 * value, never silent `null`s or `{}`s. See docs/json.md.
 */
import { PalisadeError } from '../errors.js';
import { Response, type ResponseInit } from '../http/response.js';
import { plainJSON } from '../escape/plain-json.js';

declare module '../app/routes.js' {
  interface RouteOptions {
    /** Let this route answer with a top-level JSON array (see docs/json.md). */
    allowTopLevelArray?: boolean;
  }
}

/** Options of `jsonify(value, options)`: the status and headers, and what it may send. */
export interface JsonifyOptions extends ResponseInit {
  /**
   * Allow a top-level array or other non-object value. Default false. Safe only when the
   * response holds nothing private to the user, or when resource isolation is on (see
   * docs/json.md#top-level-arrays).
   */
  allowTopLevelArray?: boolean;
  /** Indent with two spaces (the app does this in development). */
  pretty?: boolean;
  /** Start the body with `)]}',\n` for clients that strip it (see docs/json.md#xssi-prefix). */
  xssiPrefix?: boolean;
}

/** The content type of every JSON response. */
export const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';

/**
 * The prefix that makes a JSON body unparseable as a script: `)]}'` is a syntax error in
 * JavaScript, so `<script src>` of the response runs nothing. Clients remove the first
 * line before parsing (Angular's `$http` does it by itself).
 */
export const XSSI_PREFIX = ")]}',\n";

/**
 * Builds a JSON response: `application/json; charset=utf-8`, body serialised under the
 * rules in the module comment. Handlers returning a plain object get the same.
 *
 * ```ts
 * app.get('/api/notes', () => jsonify({ notes: [{ id: 1 }] }, { status: 200 }));
 * app.get('/api/tags', () => jsonify(['a', 'b'], { allowTopLevelArray: true }));
 * ```
 * See docs/json.md.
 */
export function jsonify(value: unknown, init: JsonifyOptions = {}): Response {
  const text = toJSONText(value, init);
  const res = new Response(init.xssiPrefix ? XSSI_PREFIX + text : text, init);
  res.headers['content-type'] = JSON_CONTENT_TYPE;
  return res;
}

/** Serialises `value` to JSON text under jsonify's rules (see the module comment). */
export function toJSONText(value: unknown, opts: { allowTopLevelArray?: boolean; pretty?: boolean } = {}): string {
  if (!opts.allowTopLevelArray) {
    const top = topLevel(value);
    if (top === null || typeof top !== 'object' || Array.isArray(top)) refuseTopLevel(top);
  }
  let text: string | undefined;
  try {
    // Fast path: one plain walk proves there is nothing to refuse, and JSON.stringify runs
    // without a replacer (a replacer call per value costs about as much as the walk and
    // the stringify together). Anything unusual takes the checking path, which names it.
    const indent = opts.pretty ? 2 : undefined;
    text = plainJSON(value, 0) ? JSON.stringify(value, null, indent) : JSON.stringify(value, checkValue, indent);
  } catch (err) {
    if (err instanceof PalisadeError) throw withPath(err, value);
    const msg = err instanceof Error ? err.message : String(err);
    if (/circular/i.test(msg)) {
      const path = findCycle(value);
      throw new PalisadeError(
        'JSON_UNSERIALIZABLE',
        `The value has a cycle${path ? ` (${path} refers back to an object that contains it)` : ''}; JSON cannot represent it.`,
        path ? { path } : {},
      );
    }
    throw new PalisadeError('JSON_UNSERIALIZABLE', `The value cannot be serialised as JSON: ${msg}`, {}, { cause: err });
  }
  if (text === undefined) {
    throw new PalisadeError('JSON_UNSERIALIZABLE', 'The value is undefined at the top level; JSON cannot represent it. Return an object.', {
      path: '(top level)',
    });
  }
  return text;
}

/** What JSON.stringify will serialise at the top: `toJSON()` is applied first. */
function topLevel(value: unknown): unknown {
  if (value !== null && typeof value === 'object' && typeof (value as { toJSON?: unknown }).toJSON === 'function') {
    return (value as { toJSON(key: string): unknown }).toJSON('');
  }
  return value;
}

function refuseTopLevel(value: unknown): never {
  const kind = Array.isArray(value) ? 'an array' : value === null ? 'null' : value === undefined ? 'undefined' : `a ${typeof value}`;
  throw new PalisadeError(
    'JSON_TOP_LEVEL_NOT_OBJECT',
    `jsonify refuses ${kind} at the top level. Only an object is safe there: \`{\` at the start of a script is a syntax error, but an array is valid JavaScript, so another site can load the response with <script src> while the user is logged in and, in some browsers, read it (JSON hijacking). Wrap it in an object, e.g. { items: [...] }, or opt in with jsonify(value, { allowTopLevelArray: true }) or the route option { allowTopLevelArray: true }.`,
    { kind },
  );
}

/** A value JSON.stringify would drop or turn into `null` or `{}` without a word. */
function describeBad(holder: unknown, v: unknown): string | null {
  switch (typeof v) {
    case 'function':
      return 'a function';
    case 'symbol':
      return 'a symbol';
    case 'bigint':
      return 'a BigInt (convert it with String(n) or Number(n) first)';
    case 'undefined':
      // In an object, undefined drops the key (an absent optional field); in an array it
      // would become null.
      return Array.isArray(holder) ? 'undefined inside an array (it would become null)' : null;
    case 'number':
      return Number.isFinite(v) ? null : `${String(v)} (JSON has no NaN or Infinity; it would become null)`;
    case 'object':
      if (v instanceof Map) return 'a Map (it would become {}; convert it with Object.fromEntries(map))';
      if (v instanceof Set) return 'a Set (it would become {}; convert it with [...set])';
      return null;
    default:
      return null;
  }
}

const BAD_VALUE = Symbol('bad value');

function checkValue(this: unknown, key: string, v: unknown): unknown {
  const bad = describeBad(this, v);
  if (bad !== null) {
    const err = new PalisadeError('JSON_UNSERIALIZABLE', bad);
    (err as unknown as Record<symbol, unknown>)[BAD_VALUE] = { holder: this, key };
    throw err;
  }
  return v;
}

/** Rebuilds the error with the path of the offending value, e.g. `notes[2].owner.id`. */
function withPath(err: PalisadeError, root: unknown): PalisadeError {
  const at = (err as unknown as Record<symbol, { holder: unknown; key: string } | undefined>)[BAD_VALUE];
  if (at === undefined) return err;
  const wrapper = at.key === '' && (at.holder as Record<string, unknown> | null)?.[''] === root;
  const path = wrapper ? '(top level)' : pathTo(root, at.holder, at.key);
  return new PalisadeError('JSON_UNSERIALIZABLE', `The value at ${path} cannot be serialised as JSON: it is ${err.message}.`, { path });
}

/** Finds the path of `holder[key]` below `root`, breadth-first, without following cycles. */
function pathTo(root: unknown, holder: unknown, key: string): string {
  const seen = new Set<unknown>();
  const queue: { v: unknown; path: string }[] = [{ v: topLevel(root), path: '' }];
  while (queue.length > 0) {
    const { v, path } = queue.shift()!;
    if (v === null || typeof v !== 'object' || seen.has(v)) continue;
    seen.add(v);
    if (v === holder) return join(path, key, Array.isArray(v)) || '(top level)';
    for (const k of Object.keys(v)) queue.push({ v: (v as Record<string, unknown>)[k], path: join(path, k, Array.isArray(v)) });
  }
  return JSON.stringify(key);
}

function join(path: string, key: string, index: boolean): string {
  if (index) return `${path}[${key}]`;
  return /^[A-Za-z_$][\w$]*$/.test(key) ? (path === '' ? key : `${path}.${key}`) : `${path}[${JSON.stringify(key)}]`;
}

/** The path of the first reference back to an ancestor, depth-first, or null. */
function findCycle(root: unknown): string | null {
  const stack = new Set<unknown>();
  const visit = (v: unknown, path: string): string | null => {
    if (v === null || typeof v !== 'object') return null;
    if (stack.has(v)) return path || '(top level)';
    stack.add(v);
    for (const k of Object.keys(v)) {
      const found = visit((v as Record<string, unknown>)[k], join(path, k, Array.isArray(v)));
      if (found !== null) return found;
    }
    stack.delete(v);
    return null;
  };
  return visit(root, '');
}
