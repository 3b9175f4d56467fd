/**
 * How a session is written down: the payload of a cookie-store cookie (signed by the
 * caller) and the record a server-side store keeps. Pure functions; everything read back is
 * checked, and a value that does not decode is dropped, never trusted in part.
 *
 * - Cookie payload: `<id>.<base64url JSON data>` or, with a login,
 *   `<id>.<base64url JSON data>.<base64url JSON login>`; the id is 43 base64url characters.
 * - Store record: `{"d": data, "t": seconds since the epoch, "l"?: login}`.
 * - Login: `{"u": user id, "e": the user's session epoch at login}`, strings or numbers.
 *
 * See docs/sessions.md.
 */

/** Who logged in (`u`) and the user's session epoch at that moment (`e`). */
export interface Login {
  readonly u: string | number;
  readonly e: string | number;
}

const ID_LENGTH = 43;

/** The parts of a verified cookie payload; the data stays encoded until it is needed. */
export function decodeCookiePayload(value: string): { id: string; data: string; login: Login | undefined } | undefined {
  if (value.charCodeAt(ID_LENGTH) !== 46 /* . */) return undefined;
  const rest = value.slice(ID_LENGTH + 1);
  const dot = rest.indexOf('.');
  if (dot === -1) return { id: value.slice(0, ID_LENGTH), data: rest, login: undefined };
  const login = decodeLogin(parseBase64JSON(rest.slice(dot + 1)));
  if (login === undefined) return undefined; // a login that does not decode: the whole cookie is refused
  return { id: value.slice(0, ID_LENGTH), data: rest.slice(0, dot), login };
}

/** The payload to sign for a cookie-store session. */
export function encodeCookiePayload(id: string, data: Record<string, unknown>, login: Login | undefined): string {
  const head = `${id}.${Buffer.from(JSON.stringify(data)).toString('base64url')}`;
  return login === undefined ? head : `${head}.${Buffer.from(JSON.stringify(login)).toString('base64url')}`;
}

/** The data of a cookie payload (null-prototype), or undefined when it does not decode. */
export function decodeCookieData(b64: string): Record<string, unknown> | undefined {
  const d = parseBase64JSON(b64);
  return isObject(d) ? nullProto(d) : undefined;
}

/** A server-side store record, written now. */
export function encodeStoreRecord(data: Record<string, unknown>, login: Login | undefined): string {
  const t = Math.floor(Date.now() / 1000);
  return JSON.stringify(login === undefined ? { d: data, t } : { d: data, t, l: login });
}

/** A store record read back, or undefined when it is not one. */
export function decodeStoreRecord(text: string): { d: Record<string, unknown>; t: number; l: Login | undefined } | undefined {
  let rec: unknown;
  try {
    rec = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isObject(rec) || !isObject(rec.d) || typeof rec.t !== 'number') return undefined;
  const l = rec.l === undefined ? undefined : decodeLogin(rec.l);
  if (rec.l !== undefined && l === undefined) return undefined;
  return { d: nullProto(rec.d), t: rec.t, l };
}

function decodeLogin(v: unknown): Login | undefined {
  if (!isObject(v)) return undefined;
  const ok = (x: unknown) => typeof x === 'string' || (typeof x === 'number' && Number.isFinite(x));
  return ok(v.u) && ok(v.e) ? { u: v.u as string | number, e: v.e as string | number } : undefined;
}

function parseBase64JSON(b64: string): unknown {
  try {
    return JSON.parse(Buffer.from(b64, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function nullProto(o: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = Object.create(null);
  for (const k of Object.keys(o)) out[k] = o[k];
  return out;
}
