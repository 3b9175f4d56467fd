/**
 * What a response header may hold, checked when it is set, so that a value that cannot
 * be sent fails where it was made, with the header's name, instead of when node writes
 * the response (where node throws `ERR_INVALID_CHAR` out of `writeHead`).
 *
 * - A name is an RFC 9110 §5.1 token: letters, digits and ``!#$%&'*+-.^_`|~``.
 * - A value is RFC 9110 §5.5 field content limited to ASCII: visible characters, spaces
 *   and tabs. Control characters (CR, LF, NUL and the rest of U+0000–U+001F, U+007F) are
 *   refused, and so is every character above U+007E: node would send U+0080–U+00FF as
 *   single Latin-1 bytes (which browsers do not read as the UTF-8 text that was meant),
 *   and throws on anything higher. Text that needs them is encoded first (percent-encoding,
 *   RFC 8187 `filename*=UTF-8''…`).
 *
 * A value that breaks a rule is an `HTTP_INVALID_HEADER` error (500: the app built a
 * response it cannot send). See docs/routing.md#headers.
 */
import { PalisadeError } from '../errors.js';

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const NOT_FIELD_CHAR = /[^\t\x20-\x7e]/;

/** True when `name` can be sent as a header name. */
export function isHeaderName(name: string): boolean {
  return TOKEN.test(name);
}

/** True when `value` can be sent as a header value (ASCII text, no control characters). */
export function isHeaderValue(value: string): boolean {
  return !NOT_FIELD_CHAR.test(value);
}

/**
 * Checks a header as `Response.setHeader` receives it and returns the value to store (a
 * finite number becomes its decimal string). Throws `HTTP_INVALID_HEADER` naming the header.
 */
export function checkedHeader(name: string, value: unknown): string | string[] {
  if (typeof name !== 'string' || !TOKEN.test(name)) {
    throw new PalisadeError('HTTP_INVALID_HEADER', `${show(name)} is not a header name: a header name is letters, digits and !#$%&'*+-.^_\`|~ only.`, {
      header: String(name).slice(0, 100),
    });
  }
  if (Array.isArray(value)) return value.map((v: unknown) => checkedValue(name, v));
  return checkedValue(name, value);
}

function checkedValue(name: string, value: unknown): string {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value !== 'string') {
    throw new PalisadeError('HTTP_INVALID_HEADER', `The header ${name} was given ${describeType(value)}; a header value is a string.`, { header: name });
  }
  const bad = NOT_FIELD_CHAR.exec(value);
  if (bad !== null) throw invalidValue(name, value, bad.index);
  return value;
}

/** The error for a header value with a character HTTP cannot carry at `index`. */
export function invalidValue(name: string, value: string, index: number): PalisadeError {
  const cp = value.codePointAt(index)!;
  const what = cp < 0x20 || cp === 0x7f ? 'a control character' : 'a character outside ASCII';
  return new PalisadeError(
    'HTTP_INVALID_HEADER',
    `The header ${name} has ${what} (U+${cp.toString(16).toUpperCase().padStart(4, '0')}) at position ${index}: ` +
      'header values are ASCII text without control characters. Encode other text first (percent-encoding, or RFC 8187 for parameters such as filename*).',
    { header: name, index },
  );
}

function show(name: unknown): string {
  return typeof name === 'string' ? JSON.stringify(name.slice(0, 100)) : describeType(name);
}

function describeType(v: unknown): string {
  return v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v === 'object' ? 'an object' : `a ${typeof v}`;
}
