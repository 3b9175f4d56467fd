// One assertion for the tables of refused templates: the exact code, line and column.
import assert from 'node:assert/strict';
import { TemplateError, compileTemplate } from '../../src/templates/index.js';

export function assertCompileError(source: string, code: string, line: number, column: number): void {
  assert.throws(
    () => compileTemplate(source, { name: 'page.html', strict: true }),
    (e: unknown) => {
      assert.ok(e instanceof TemplateError, String(e));
      assert.deepEqual({ code: e.code, line: e.line, column: e.column }, { code, line, column }, e.message);
      return true;
    },
  );
}
