/**
 * The one strict media-type parser that every body parser and check uses.
 *
 * Grammar (RFC 9110 §8.3.1): `type "/" subtype *( OWS ";" OWS parameter )`, where type,
 * subtype and parameter names are tokens (§5.6.2) and values are tokens or quoted strings
 * (§5.6.4). Anything else is malformed and yields `null`, so a sloppy header can never be
 * read one way by a check and another way by a parser.
 */

export interface MediaType {
  /** `type/subtype`, lower-cased: what parsers compare against. */
  readonly essence: string;
  readonly type: string;
  readonly subtype: string;
  /** Parameter names lower-cased; values as sent (unquoted). Null-prototype. */
  readonly params: Readonly<Record<string, string>>;
}

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const cache = new Map<string, MediaType | null>();

/** Parses a Content-Type value; returns null when it is absent or malformed. */
export function parseMediaType(header: string | undefined | null): MediaType | null {
  if (header === undefined || header === null || header === '') return null;
  // Headers repeat across requests; a small cache keeps the hot path cheap.
  const hit = cache.get(header);
  if (hit !== undefined) return hit;
  const parsed = parseUncached(header);
  // Only values of a sensible length are kept: a client cannot make the cache hold 256
  // copies of a header as long as the server lets through.
  if (header.length > 256) return parsed;
  if (cache.size > 256) cache.clear();
  cache.set(header, parsed);
  return parsed;
}

function parseUncached(header: string): MediaType | null {
  const semi = header.indexOf(';');
  const full = (semi === -1 ? header : header.slice(0, semi)).trim();
  const slash = full.indexOf('/');
  if (slash <= 0) return null;
  const type = full.slice(0, slash).toLowerCase();
  const subtype = full.slice(slash + 1).toLowerCase();
  if (!TOKEN.test(type) || !TOKEN.test(subtype)) return null;
  const params: Record<string, string> = Object.create(null);
  let i = semi === -1 ? header.length : semi;
  while (i < header.length) {
    // at ';'
    i++;
    while (i < header.length && (header[i] === ' ' || header[i] === '\t')) i++;
    if (i >= header.length) break; // trailing ';' is tolerated
    const eq = header.indexOf('=', i);
    if (eq === -1) return null;
    const name = header.slice(i, eq).toLowerCase();
    if (!TOKEN.test(name)) return null;
    i = eq + 1;
    let value: string;
    if (header[i] === '"') {
      let v = '';
      i++;
      for (;;) {
        if (i >= header.length) return null; // unterminated quoted string
        const c = header[i]!;
        if (c === '\\') {
          if (i + 1 >= header.length) return null;
          v += header[i + 1];
          i += 2;
        } else if (c === '"') {
          i++;
          break;
        } else {
          v += c;
          i++;
        }
      }
      value = v;
    } else {
      const end = header.indexOf(';', i);
      value = (end === -1 ? header.slice(i) : header.slice(i, end)).trimEnd();
      if (!TOKEN.test(value)) return null;
      i = end === -1 ? header.length : end;
    }
    while (i < header.length && (header[i] === ' ' || header[i] === '\t')) i++;
    if (i < header.length && header[i] !== ';') return null;
    if (!(name in params)) params[name] = value;
  }
  return { essence: `${type}/${subtype}`, type, subtype, params };
}

/** True when the media type is JSON: `application/json` or `application/<x>+json`. */
export function isJSONMediaType(mt: MediaType | null): boolean {
  if (mt === null) return false;
  return mt.essence === 'application/json' || (mt.type === 'application' && mt.subtype.endsWith('+json'));
}
