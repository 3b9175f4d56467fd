/**
 * jsonify: JSON responses that cannot be read cross-site as a script.
 *
 * A top-level array (or any non-object) is refused unless the route or the call opts in
 * with `allowTopLevelArray`, because an array literal is valid JavaScript and was, in old
 * browsers, readable by another site through `<script src>` (JSON array hijacking).
 * Values JSON cannot carry (undefined, functions, symbols, BigInt, cycles) are errors, not
 * silent nulls. See docs/json.md.
 */
import { PalisadeError } from '../errors.js';
import { Response, type ResponseInit } from '../http/response.js';

export interface JsonifyOptions extends ResponseInit {
  /** Allow a top-level array or other non-object value. Default false. */
  allowTopLevelArray?: boolean;
  /** Indent with two spaces (useful in development). */
  pretty?: boolean;
}

export const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';

/** Serialises `value` as a JSON response. */
export function jsonify(value: unknown, init: JsonifyOptions = {}): Response {
  const text = toJSONText(value, init);
  const res = new Response(text, init);
  res.headers['content-type'] = JSON_CONTENT_TYPE;
  return res;
}

/** Serialises `value` to JSON text under jsonify's rules (see the module comment). */
export function toJSONText(value: unknown, opts: { allowTopLevelArray?: boolean; pretty?: boolean } = {}): string {
  if (!opts.allowTopLevelArray && (value === null || typeof value !== 'object' || Array.isArray(value))) {
    const kind = Array.isArray(value) ? 'an array' : value === null ? 'null' : `a ${typeof value}`;
    throw new PalisadeError(
      'JSON_TOP_LEVEL_NOT_OBJECT',
      `jsonify refuses ${kind} at the top level: a top-level JSON array can be read by another site through <script src> (JSON hijacking). Wrap it in an object, e.g. { items: [...] }, or opt in with { allowTopLevelArray: true } on the response or the route.`,
    );
  }
  let text: string | undefined;
  try {
    text = JSON.stringify(value, checkValue, opts.pretty ? 2 : undefined);
  } catch (err) {
    if (err instanceof PalisadeError) throw err;
    const msg = err instanceof Error ? err.message : String(err);
    if (/circular/i.test(msg)) throw new PalisadeError('JSON_UNSERIALIZABLE', 'The value has a cycle; JSON cannot represent it.');
    if (/BigInt/i.test(msg)) throw new PalisadeError('JSON_UNSERIALIZABLE', 'The value contains a BigInt; convert it to a string or number first.');
    throw new PalisadeError('JSON_UNSERIALIZABLE', `The value cannot be serialised as JSON: ${msg}`);
  }
  if (text === undefined) throw new PalisadeError('JSON_UNSERIALIZABLE', 'The value is undefined; JSON cannot represent it.');
  return text;
}

function checkValue(this: unknown, key: string, v: unknown): unknown {
  const t = typeof v;
  if (t === 'function' || t === 'symbol' || (t === 'undefined' && Array.isArray(this))) {
    const where = key === '' ? 'at the top level' : `at key ${JSON.stringify(key)}`;
    throw new PalisadeError('JSON_UNSERIALIZABLE', `A ${t} ${where} cannot be serialised as JSON.`);
  }
  if (t === 'bigint') {
    throw new PalisadeError('JSON_UNSERIALIZABLE', `A BigInt at key ${JSON.stringify(key)} cannot be serialised as JSON; convert it first.`);
  }
  return v;
}
