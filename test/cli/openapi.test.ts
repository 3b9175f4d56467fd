// `palisade openapi app.ts > openapi.json`: the document on stdout, valid OpenAPI 3.1.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { FIXTURES, runCli } from './fixtures/spawn-cli.js';
import { assertValidOpenAPI } from '../openapi/helpers.js';

test('palisade openapi prints the description; title and version from package.json or flags', async () => {
  const file = join(FIXTURES, 'api-app.ts');
  const res = await runCli(['openapi', file], { PALISADE_ENV: 'test' });
  assert.equal(res.code, 0, res.stderr);
  const doc = JSON.parse(res.stdout) as { info: unknown; paths: Record<string, unknown>; servers?: unknown };
  await assertValidOpenAPI(doc);
  assert.deepEqual(doc.info, { title: 'palisade', version: '0.1.0' }, 'the working directory is the repository');
  assert.deepEqual(Object.keys(doc.paths), ['/api/notes/{id}', '/api/notes']);
  const flags = await runCli(['openapi', '--title', 'Notes API', '--version', '2.0.0', '--server', 'https://api.example.com', file], { PALISADE_ENV: 'test' });
  const d2 = JSON.parse(flags.stdout) as typeof doc;
  assert.deepEqual(d2.info, { title: 'Notes API', version: '2.0.0' });
  assert.deepEqual(d2.servers, [{ url: 'https://api.example.com' }]);
  const bad = await runCli(['openapi', join(FIXTURES, 'not-an-app.ts')], { PALISADE_ENV: 'test' });
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /does not export a Palisade app/);
});
