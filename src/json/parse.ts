/**
 * Safe JSON input: prototype-poisoning keys (`__proto__`, `constructor.prototype`) are
 * refused by `secure-json-parse`, nesting is limited (default 64), and malformed text is
 * reported with its line and column. See docs/json.md.
 */
import sjson from 'secure-json-parse';
import { HttpError } from '../errors.js';

export interface JSONParseOptions {
  /** Deepest nesting of arrays and objects accepted. Default 64. */
  maxDepth?: number;
}

export const DEFAULT_MAX_DEPTH = 64;

/** Parses request JSON; throws a 400 HttpError that says what was wrong and where. */
export function parseJSONBody(text: string, opts: JSONParseOptions = {}): unknown {
  const maxDepth = opts.maxDepth ?? DEFAULT_MAX_DEPTH;
  const depth = measureDepth(text, maxDepth);
  if (depth > maxDepth) {
    throw new HttpError('BODY_MALFORMED', `The JSON body nests deeper than ${maxDepth} levels.`, { maxDepth });
  }
  try {
    return sjson.parse(text, null, { protoAction: 'error', constructorAction: 'error' });
  } catch (err) {
    const msg = err instanceof Error ? err.message : String(err);
    if (/prototype/i.test(msg)) {
      throw new HttpError('BODY_MALFORMED', 'The JSON body contains a "__proto__" or "constructor.prototype" key, which is refused.');
    }
    const pos = errorPosition(msg, text);
    const where = pos ? ` at line ${pos.line}, column ${pos.column}` : '';
    throw new HttpError('BODY_MALFORMED', `The JSON body is malformed${where}: ${msg.replace(/^.*?: /, '')}`, pos ?? {});
  }
}

/**
 * Nesting depth of the JSON text, counted on brackets outside strings, stopping early once
 * past `limit` so that a hostile body costs no more than a scan.
 */
function measureDepth(text: string, limit: number): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      depth++;
      if (depth > max) {
        max = depth;
        if (max > limit) return max;
      }
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return max;
}

function errorPosition(message: string, text: string): { line: number; column: number } | null {
  // V8 says "... in JSON at position N" (Node 20) and sometimes "(line L column C)".
  const lc = /line (\d+) column (\d+)/.exec(message);
  if (lc) return { line: Number(lc[1]), column: Number(lc[2]) };
  const p = /position (\d+)/.exec(message);
  let offset: number;
  if (p) offset = Number(p[1]);
  else if (/Unexpected end of JSON input/.test(message)) offset = text.length;
  else return null;
  let line = 1;
  let col = 1;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      col = 1;
    } else col++;
  }
  return { line, column: col };
}
