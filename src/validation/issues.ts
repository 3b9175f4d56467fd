/**
 * Running a route's schema and reporting what it found: every issue as one entry of the
 * 422's `errors` list (which input, the path as keys, a JSON Pointer, the message), the
 * same shape for the body, the query, the params and the headers. A schema that throws is
 * a programming error of the app: VALIDATION_SCHEMA_ERROR, a 500 that names the route.
 * See docs/validation.md#the-422-answer.
 */
import type { StandardSchemaV1 } from '@standard-schema/spec';
import { PalisadeError } from '../errors.js';
import type { AnySchema } from './types.js';

/** One entry of a 422's `errors` list. */
export interface ValidationIssue {
  /** Which part of the request: `body`, `query`, `params` or `headers` (`response` in a 500). */
  readonly in: string;
  /** The keys from the top of that part to the value at fault; empty for the part itself. */
  readonly path: readonly (string | number)[];
  /** The same place as a JSON Pointer (RFC 6901) in URI fragment form, as RFC 9457's example: `#/tags/0`. */
  readonly pointer: string;
  readonly message: string;
}

/** Runs a schema on `value`; a schema that throws becomes VALIDATION_SCHEMA_ERROR naming the route. */
export function runRouteSchema(
  schema: AnySchema,
  value: unknown,
  where: string,
  kind: string,
): StandardSchemaV1.Result<unknown> | Promise<StandardSchemaV1.Result<unknown>> {
  const fail = (err: unknown): never => {
    throw new PalisadeError(
      'VALIDATION_SCHEMA_ERROR',
      `The ${kind} schema of ${where} threw instead of returning issues: ${err instanceof Error ? err.message : String(err)}`,
      { route: where, in: kind },
      { cause: err },
    );
  };
  let r: StandardSchemaV1.Result<unknown> | Promise<StandardSchemaV1.Result<unknown>>;
  try {
    r = schema['~standard'].validate(value);
  } catch (err) {
    return fail(err);
  }
  return r instanceof Promise ? r.catch(fail) : r;
}

/** A schema's issues as entries of the `errors` list. */
export function toIssues(kind: string, issues: readonly StandardSchemaV1.Issue[]): ValidationIssue[] {
  return issues.map((issue) => {
    const path = (issue.path ?? []).map((seg) => {
      const k = typeof seg === 'object' && seg !== null ? seg.key : seg;
      return typeof k === 'number' ? k : String(k);
    });
    const pointer = '#' + path.map((k) => '/' + String(k).replaceAll('~', '~0').replaceAll('/', '~1')).join('');
    return { in: kind, path, pointer, message: String(issue.message) };
  });
}

/** One line naming the first issue and how many more there are, for messages and logs. */
export function summarize(issues: readonly ValidationIssue[]): string {
  const first = issues[0]!;
  const at = first.path.length === 0 ? first.in : `${first.in}.${first.path.join('.')}`;
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more issue${issues.length > 2 ? 's' : ''})` : '';
  return `${at}: ${first.message}${more}`;
}
