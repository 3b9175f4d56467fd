// Shared by the OpenAPI tests: a document is checked against the OpenAPI schema of its
// version by @seriousme/openapi-schema-validator, and every $ref in it must resolve.
import assert from 'node:assert/strict';
import { Validator } from '@seriousme/openapi-schema-validator';

/** Validates a document against the OpenAPI schema of its version and resolves every $ref. */
export async function assertValidOpenAPI(doc: unknown): Promise<void> {
  const validator = new Validator();
  const res = await validator.validate(structuredClone(doc) as Parameters<Validator['validate']>[0]);
  assert.equal(validator.version, '3.1');
  assert.ok(res.valid, JSON.stringify(res.errors, null, 2));
  validator.resolveRefs(); // throws on a $ref that points nowhere
  const refs = JSON.stringify(doc).match(/"\$ref":"[^"]*"/g) ?? [];
  for (const r of refs) {
    const pointer = JSON.parse(`{${r}}`).$ref as string;
    assert.ok(pointer.startsWith('#/'), pointer);
    let at: unknown = doc;
    for (const seg of pointer.slice(2).split('/')) at = (at as Record<string, unknown>)[seg.replaceAll('~1', '/').replaceAll('~0', '~')];
    assert.ok(at !== undefined, `${pointer} resolves`);
  }
}
