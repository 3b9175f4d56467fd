/**
 * TestResponse: a response as a test sees it — status, headers, body — and, when the app
 * answered with an error page, the error behind it, with its stack, whatever the page was
 * allowed to say. `expectStatus` fails with that error in its message.
 *
 * ```ts
 * const res = (await client.get('/notes')).expectStatus(200);
 * // AssertionError: GET /notes answered 500, expected 200.
 * // TemplateError: notes.html:4:9: "user" is not defined [TEMPLATE_UNDEFINED]
 * //     at …
 * ```
 * See docs/testing.md#when-a-test-fails.
 */
import { PalisadeError } from '../errors.js';

/** How much of a body an assertion message quotes when there is no error to show. */
const BODY_SHOWN = 2000;

export class TestResponse {
  readonly status: number;
  /** Lower-cased names; repeated headers (Set-Cookie) are arrays. */
  readonly headers: Readonly<Record<string, string | string[]>>;
  readonly body: Buffer;
  /** The URL path that produced this response (after redirects). */
  readonly url: string;
  /** The method of the request that produced this response. */
  readonly method: string;
  /**
   * The error this response was made from — a handler's exception, a template error with
   * its file and line, a refused request's HttpError — or undefined. It stays in the test
   * process: a client never sees it (production pages say only the code).
   */
  readonly error: Error | undefined;

  constructor(status: number, headers: Record<string, string | string[]>, body: Buffer, url: string, method = 'GET', error?: unknown) {
    this.status = status;
    this.headers = headers;
    this.body = body;
    this.url = url;
    this.method = method;
    this.error = error === undefined || error instanceof Error ? error : new Error(`A non-Error value was thrown: ${String(error)}`);
  }
  /** One header, repeated values joined with `, `. */
  header(name: string): string | undefined {
    const v = this.headers[name.toLowerCase()];
    return Array.isArray(v) ? v.join(', ') : v;
  }
  get text(): string {
    return this.body.toString('utf8');
  }
  json<T = unknown>(): T {
    return JSON.parse(this.text) as T;
  }
  get location(): string | undefined {
    return this.header('location');
  }
  /** The Set-Cookie header lines. */
  get setCookies(): string[] {
    const v = this.headers['set-cookie'];
    return v === undefined ? [] : Array.isArray(v) ? v : [v];
  }

  /**
   * Returns this response when its status is `status`; otherwise throws an AssertionError
   * that shows what went wrong: the error behind the response (code, message, template
   * file and line, stack), or else the start of its body.
   */
  expectStatus(status: number): this {
    if (this.status === status) return this;
    // node:assert is loaded here, by a failing check, not when the app is imported.
    const { AssertionError } = process.getBuiltinModule('node:assert');
    throw new AssertionError({
      message: `${this.method} ${this.url} answered ${this.status}, expected ${status}.\n${this.explain()}`,
      actual: this.status,
      expected: status,
      operator: 'expectStatus',
      stackStartFn: this.expectStatus,
    });
  }

  /** What an assertion message says about this response: the error behind it, or its body. */
  explain(): string {
    const e = this.error;
    if (e !== undefined) {
      const stack = e.stack ?? `${e.name}: ${e.message}`;
      const code = e instanceof PalisadeError && !stack.includes(e.code) ? `[${e.code}, see ${e.docs}] ` : '';
      const cause = e.cause instanceof Error ? `\nCaused by: ${e.cause.stack ?? e.cause.message}` : '';
      return `The error behind it: ${code}${stack}${cause}`;
    }
    const text = this.text;
    if (text === '') return 'The response has no body.';
    return `Its body: ${text.length > BODY_SHOWN ? `${text.slice(0, BODY_SHOWN)}…` : text}`;
  }
}
