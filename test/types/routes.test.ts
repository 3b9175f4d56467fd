// Compile-time checks of the public types (run by `npm run typecheck`); the runtime test
// only keeps node:test from reporting an empty file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createApp, type ParamNames } from '../../src/index.js';

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
const expect = <T extends true>(_: T): void => {};

expect<Equal<ParamNames<'/notes/:id'>, 'id'>>(true);
expect<Equal<ParamNames<'/u/:user/files/:file'>, 'user' | 'file'>>(true);
expect<Equal<ParamNames<'/n/:id(^\\d+$)'>, 'id'>>(true);
expect<Equal<ParamNames<'/static/*'>, '*'>>(true);
expect<Equal<ParamNames<'/plain'>, never>>(true);

test('handlers see typed params', () => {
  const app = createApp({ env: 'test' });
  app.get('/notes/:id', (req) => {
    const id: string = req.params.id;
    // @ts-expect-error: no such param
    void req.params.nope;
    return id;
  });
  assert.ok(app);
});
