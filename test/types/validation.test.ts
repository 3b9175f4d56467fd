// Compile-time checks of route schemas (run by `npm run typecheck`): req.valid is typed from
// each schema's output, and a response schema types what the handler returns. What must
// NOT compile is in must-fail/validation.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as z from 'zod';
import * as v from 'valibot';
import { Blueprint, createApp, jsonify } from '../../src/index.js';

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
const expect = <T extends true>(_: T): void => {};

test('handlers see validated, typed inputs', () => {
  const app = createApp({ env: 'test' });
  app.post(
    '/api/notes/:id',
    (req) => {
      expect<Equal<typeof req.valid.body, { title: string; tags: string[] }>>(true);
      expect<Equal<typeof req.valid.params, { id: number }>>(true);
      expect<Equal<typeof req.valid.query, { page?: number | undefined }>>(true);
      const raw: string = req.params.id; // the raw params stay strings
      return { id: req.valid.params.id, title: req.valid.body.title, raw };
    },
    {
      schema: {
        body: z.object({ title: z.string(), tags: z.array(z.string()).default([]) }),
        params: z.object({ id: z.coerce.number() }),
        query: z.object({ page: z.coerce.number().optional() }),
      },
      csrf: false,
    },
  );
  // Valibot: the same inference.
  app.get(
    '/v/:slug',
    (req) => {
      expect<Equal<typeof req.valid.params, { slug: string }>>(true);
      return { slug: req.valid.params.slug };
    },
    { schema: { params: v.object({ slug: v.string() }) } },
  );
  // A response schema: the handler returns its input type (async too), or a Response.
  const Note = z.object({ id: z.number(), title: z.string() });
  app.get('/n', () => ({ id: 1, title: 'a' }), { schema: { response: Note } });
  app.get('/n2', async () => ({ id: 1, title: 'a' }), { schema: { response: { 200: Note, 404: z.object({ missing: z.literal(true) }) } } });
  app.get('/n3', () => jsonify({ missing: true }, { status: 404 }), { schema: { response: Note } });
  // Without a schema nothing changes.
  app.get('/plain/:id', (req) => req.params.id);
  new Blueprint('api').post('/x', (req) => ({ n: req.valid.body.n }), { schema: { body: z.object({ n: z.number() }) } });
  assert.ok(app);
});
