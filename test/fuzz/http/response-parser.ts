/**
 * A strict HTTP/1.1 response parser for the fuzzer's judge: it reads what a server sent
 * on one connection (several responses when requests were pipelined) and names the first
 * place where the bytes are not a well-formed response, or says where they stop short.
 *
 * Strict means: status line `HTTP/1.1 NNN reason` (RFC 9112 §4); field lines of a token,
 * a colon and a value of visible characters, spaces and tabs, each ended by CRLF, no
 * obs-fold (§5, RFC 9110 §5.5); one Content-Length of digits, Transfer-Encoding exactly
 * `chunked` and never both (§6.1–6.3); no body for HEAD, 1xx, 204 and 304 (§6.3), no
 * Content-Length or Transfer-Encoding on 1xx and 204 (RFC 9110 §8.6); a valid chunked
 * body (§7.1); nothing after a response that said `Connection: close`.
 */

export interface ParsedResponse {
  status: number;
  /** Field lines in order, names lower-cased. */
  headers: [string, string][];
  /** The body (latin1), as far as it was received. */
  body: string;
  /** A 1xx interim response. */
  interim: boolean;
}

export interface ParseResult {
  responses: ParsedResponse[];
  /** Final (non-1xx) responses. */
  finals: number;
  /** The first violation, or null. */
  error: string | null;
  /** The bytes stop inside a response: its head so far, or the response whose body is cut. */
  partial: { status: number | undefined; response: ParsedResponse | undefined } | null;
  /** The last response had `Connection: close`. */
  closing: boolean;
}

const STATUS_LINE = /^HTTP\/1\.1 ([1-5]\d\d) [\t \x21-\x7e\x80-\xff]*$/;
const FIELD_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const FIELD_VALUE = /^[\t \x21-\x7e\x80-\xff]*$/;
const SINGLETONS = ['content-length', 'transfer-encoding', 'content-type', 'location', 'content-range', 'x-content-type-options'];
const CHUNK_SIZE = /^([0-9a-fA-F]{1,15})(?:[ \t]*;[^\r\n]*)?$/;

/** The value of a header (the first of its name), or undefined. */
export function header(r: ParsedResponse, name: string): string | undefined {
  for (const [k, v] of r.headers) if (k === name) return v.trim();
  return undefined;
}

/** A field line split into its lower-cased name and trimmed value, or null when malformed. */
function fieldLine(line: string): [string, string] | null {
  const colon = line.indexOf(':');
  if (colon <= 0) return null;
  const name = line.slice(0, colon);
  const value = line.slice(colon + 1);
  if (!FIELD_NAME.test(name) || !FIELD_VALUE.test(value)) return null;
  return [name.toLowerCase(), value.trim()];
}

type Step =
  | { ok: true; response: ParsedResponse; next: number }
  | { ok: false; error: string }
  | { ok: 'partial'; status: number | undefined; response: ParsedResponse | undefined };

/**
 * Parses `data` (latin1) sent in answer to requests with `methods`, in order. `closed`
 * says the connection is closed, which ends a body that has no length.
 */
export function parseResponses(data: string, methods: readonly string[], closed: boolean): ParseResult {
  return parseFrom(data, 0, methods, 0, closed, []);
}

function parseFrom(data: string, pos: number, methods: readonly string[], index: number, closed: boolean, done: ParsedResponse[]): ParseResult {
  const responses = [...done];
  let i = index;
  const finals = () => responses.filter((r) => !r.interim).length;
  while (pos < data.length) {
    const last = responses[responses.length - 1];
    if (last !== undefined && !last.interim && /(^|,)\s*close\s*(,|$)/i.test(header(last, 'connection') ?? '')) {
      return {
        responses,
        finals: finals(),
        error: `bytes after a response that said Connection: close: ${JSON.stringify(data.slice(pos, pos + 40))}`,
        partial: null,
        closing: true,
      };
    }
    const head = methods[i] === 'HEAD';
    const step = parseOne(data, pos, head, closed);
    if (step.ok === true && head && !step.response.interim) {
      // A HEAD answered by a server that did not see a HEAD (a request it could not parse
      // gets a 400 with a body): if the rest does not parse, read it as a body after all.
      const rest = parseFrom(data, step.next, methods, i + 1, closed, [...responses, step.response]);
      if (rest.error === null) return rest;
      // (Only a body with a length: reading the rest of the connection as the body of a
      // HEAD's answer would swallow whatever followed it.)
      const asGet = parseOne(data, pos, false, closed);
      if (asGet.ok === true && (header(asGet.response, 'content-length') !== undefined || header(asGet.response, 'transfer-encoding') !== undefined)) {
        const alt = parseFrom(data, asGet.next, methods, i + 1, closed, [...responses, asGet.response]);
        if (alt.error === null) return alt;
      }
      return rest;
    }
    if (step.ok === false) return { responses, finals: finals(), error: step.error, partial: null, closing: false };
    if (step.ok === 'partial') {
      if (step.response !== undefined) responses.push(step.response);
      return { responses, finals: finals(), error: null, partial: { status: step.status, response: step.response }, closing: false };
    }
    responses.push(step.response);
    if (!step.response.interim) i++;
    if (step.response.status === 101) break; // the connection speaks another protocol now
    pos = step.next;
  }
  const last = responses[responses.length - 1];
  return {
    responses,
    finals: finals(),
    error: null,
    partial: null,
    closing: last !== undefined && /(^|,)\s*close\s*(,|$)/i.test(header(last, 'connection') ?? ''),
  };
}

function parseOne(data: string, pos: number, head: boolean, closed: boolean): Step {
  const end = data.indexOf('\r\n\r\n', pos);
  if (end === -1) {
    const sofar = data.slice(pos);
    const prefix = 'HTTP/1.1 ';
    if (!(sofar.length < prefix.length ? prefix.startsWith(sofar) : sofar.startsWith(prefix)))
      return { ok: false, error: `not a status line: ${JSON.stringify(sofar.slice(0, 40))}` };
    const m = /^HTTP\/1\.1 (\d{3})/.exec(sofar);
    return { ok: 'partial', status: m ? Number(m[1]) : undefined, response: undefined };
  }
  const lines = data.slice(pos, end).split('\r\n');
  const statusLine = lines[0]!;
  const sm = STATUS_LINE.exec(statusLine);
  if (sm === null) return { ok: false, error: `malformed status line: ${JSON.stringify(statusLine.slice(0, 80))}` };
  const status = Number(sm[1]);
  const headers: [string, string][] = [];
  for (const line of lines.slice(1)) {
    const field = fieldLine(line);
    if (field === null) return { ok: false, error: `malformed field line in a ${status}: ${JSON.stringify(line.slice(0, 120))}` };
    headers.push(field);
  }
  for (const name of SINGLETONS) {
    if (headers.filter(([k]) => k === name).length > 1) return { ok: false, error: `${name} sent twice in a ${status}` };
  }
  const response: ParsedResponse = { status, headers, body: '', interim: status < 200 };
  const cl = header(response, 'content-length');
  const te = header(response, 'transfer-encoding');
  if (cl !== undefined && !/^\d{1,15}$/.test(cl)) return { ok: false, error: `Content-Length ${JSON.stringify(cl)} in a ${status}` };
  if (te !== undefined && te.toLowerCase() !== 'chunked') return { ok: false, error: `Transfer-Encoding ${JSON.stringify(te)} in a ${status}` };
  if (cl !== undefined && te !== undefined) return { ok: false, error: `both Content-Length and Transfer-Encoding in a ${status}` };
  if ((status < 200 || status === 204) && (cl !== undefined || te !== undefined))
    return { ok: false, error: `a ${status} with ${cl !== undefined ? 'Content-Length' : 'Transfer-Encoding'}` };
  let next = end + 4;
  if (head || status < 200 || status === 204 || status === 304) return { ok: true, response, next };
  if (te !== undefined) {
    for (;;) {
      const lineEnd = data.indexOf('\r\n', next);
      if (lineEnd === -1) {
        if (data.length - next > 64) return { ok: false, error: `chunk-size line too long in a ${status}` };
        return { ok: 'partial', status, response };
      }
      const cm = CHUNK_SIZE.exec(data.slice(next, lineEnd));
      if (cm === null)
        return { ok: false, error: `malformed chunk-size line in a ${status}: ${JSON.stringify(data.slice(next, Math.min(lineEnd, next + 40)))}` };
      const size = parseInt(cm[1]!, 16);
      next = lineEnd + 2;
      if (size === 0) {
        // Trailer section (RFC 9112 §7.1.2), then CRLF.
        for (;;) {
          const tEnd = data.indexOf('\r\n', next);
          if (tEnd === -1) return { ok: 'partial', status, response };
          const line = data.slice(next, tEnd);
          next = tEnd + 2;
          if (line === '') return { ok: true, response, next };
          if (fieldLine(line) === null) return { ok: false, error: `malformed trailer line in a ${status}: ${JSON.stringify(line.slice(0, 80))}` };
        }
      }
      if (data.length < next + size + 2) {
        response.body += data.slice(next, next + size);
        return { ok: 'partial', status, response };
      }
      response.body += data.slice(next, next + size);
      if (data.slice(next + size, next + size + 2) !== '\r\n') return { ok: false, error: `chunk data not followed by CRLF in a ${status}` };
      next += size + 2;
    }
  }
  if (cl !== undefined) {
    const n = Number(cl);
    response.body = data.slice(next, next + n);
    if (data.length < next + n) return { ok: 'partial', status, response };
    return { ok: true, response, next: next + n };
  }
  // No length: the body runs until the connection closes (RFC 9112 §6.3 item 8).
  response.body = data.slice(next);
  if (!closed) return { ok: 'partial', status, response };
  return { ok: true, response, next: data.length };
}
