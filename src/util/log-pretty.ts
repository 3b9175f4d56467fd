/**
 * Readable log lines, for a person at a terminal or reading test output: pino's JSON line
 * in, one line of text out (time, level, message, then the other fields as key=value),
 * with an error's stack indented below it. Colours only on a terminal, and not when
 * `NO_COLOR` is set (https://no-color.org).
 *
 * ```text
 * 14:02:07.412 INFO  GET /notes 200 3.1ms reqId=k2x9f0-1
 * 14:02:07.530 ERROR request failed method=GET path=/page reqId=k2x9f0-2
 *     TemplateError: page.html:3:9: "user" is not defined [TEMPLATE_UNDEFINED]
 *         at …
 * ```
 * See docs/deployment.md#logging.
 */

const NAMES: Readonly<Record<number, string>> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO ', 40: 'WARN ', 50: 'ERROR', 60: 'FATAL' };
const COLOURS: Readonly<Record<number, string>> = { 10: '90', 20: '90', 30: '32', 40: '33', 50: '31', 60: '35' };
/** Fields the request line shows in its own words, in this order. */
const REQUEST_LINE = ['method', 'path', 'status', 'ms'] as const;

interface Writable {
  write(s: string): unknown;
}

/** A pino destination that writes readable lines to `out`. */
export function prettyStream(out: Writable, tty: boolean): { write(line: string): void } {
  const colour = tty && !process.env.NO_COLOR;
  return { write: (line) => void out.write(formatLogLine(line, colour)) };
}

/** One pino JSON line as readable text (ends with a newline). A line that is not JSON passes through. */
export function formatLogLine(line: string, colour = false): string {
  let o: Record<string, unknown>;
  try {
    o = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return line.endsWith('\n') ? line : line + '\n';
  }
  if (o === null || typeof o !== 'object') return line;
  const { level, time, msg, err, ...rest } = o;
  const n = typeof level === 'number' ? level : 30;
  const name = NAMES[n] ?? String(level).toUpperCase().padEnd(5);
  const parts: string[] = [clock(time), colour ? `\x1b[${COLOURS[n] ?? '0'}m${name}\x1b[0m` : name];
  // The request line: `GET /notes 200 3.1ms`.
  if (msg === undefined && typeof rest.method === 'string' && rest.status !== undefined) {
    parts.push(`${rest.method} ${String(rest.path)} ${String(rest.status)}${typeof rest.ms === 'number' ? ` ${rest.ms}ms` : ''}`);
    for (const k of REQUEST_LINE) delete rest[k];
  } else if (msg !== undefined) {
    parts.push(String(msg));
  }
  for (const [k, v] of Object.entries(rest)) {
    if (v === undefined) continue;
    parts.push(`${k}=${typeof v === 'string' && /^[^\s"=]*$/.test(v) && v !== '' ? v : JSON.stringify(v)}`);
  }
  let text = parts.join(' ') + '\n';
  if (err !== undefined) text += indent(describeErr(err));
  return text;
}

function clock(time: unknown): string {
  const d = typeof time === 'number' ? new Date(time) : new Date();
  const p = (x: number, w = 2) => String(x).padStart(w, '0');
  return `${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}.${p(d.getMilliseconds(), 3)}`;
}

/** pino's serialized error: its stack (which starts with the message), and its code when the stack does not say it. */
function describeErr(err: unknown): string {
  if (err === null || typeof err !== 'object') return String(err);
  const e = err as { type?: string; message?: string; stack?: string; code?: unknown };
  let text = typeof e.stack === 'string' ? e.stack : `${e.type ?? 'Error'}: ${e.message ?? ''}`;
  if (typeof e.code === 'string' && !text.includes(e.code)) text = `[${e.code}] ${text}`;
  return text;
}

function indent(s: string): string {
  return (
    s
      .split('\n')
      .map((l) => `    ${l}`)
      .join('\n') + '\n'
  );
}
