/**
 * Errors raised while a compiled template renders: each carries the file, line and column
 * of the statement that raised it (TemplateError), found through the position table the
 * generated code holds (`$W`) and the index of the statement running (`$p`).
 */
import { PalisadeError, TemplateError } from '../errors.js';

/** Where a compiled template is, for runtime errors. */
export interface Where {
  readonly file: string;
  readonly pos: readonly (readonly [number, number])[];
}

export function fail(
  code: 'TEMPLATE_UNDEFINED' | 'TEMPLATE_RUNTIME' | 'TEMPLATE_NOT_FOUND' | 'TEMPLATE_CSRF_UNAVAILABLE' | 'TEMPLATE_BLOCK_CONTEXT',
  reason: string,
  w: Where,
  p: number,
): never {
  const [line, column] = w.pos[p] ?? [0, 0];
  throw new TemplateError(code, reason, { file: w.file, line, column });
}

/** An error raised by a helper that does not know the template position (wrapError adds it). */
export class RenderFault extends Error {
  constructor(
    readonly code: 'TEMPLATE_RUNTIME' | 'TEMPLATE_CSRF_UNAVAILABLE' | 'TEMPLATE_NOT_FOUND' | 'TEMPLATE_UNDEFINED',
    message: string,
  ) {
    super(message);
  }
}

/** Re-throws an error from inside a render with the template position of the statement. */
export function wrapError(e: unknown, w: Where, p: number): never {
  if (e instanceof TemplateError) throw e;
  if (e instanceof RenderFault) fail(e.code, e.message, w, p);
  const [line, column] = w.pos[p] ?? [0, 0];
  const msg = e instanceof Error ? e.message : String(e);
  // The development trust guard (`|safe` on request data) keeps its own code.
  const code = e instanceof PalisadeError && e.code === 'ESCAPE_TRUSTED_REQUEST_DATA' ? e.code : 'TEMPLATE_RUNTIME';
  throw new TemplateError(code, msg, { file: w.file, line, column });
}
