// app.openapi(): a route table that uses every feature of the description, checked against
// the OpenAPI 3.1 schema by @seriousme/openapi-schema-validator (every $ref resolved), and
// read back part by part.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as z from 'zod';
import * as v from 'valibot';
import { toStandardJsonSchema } from '@valibot/to-json-schema';
import { Validator } from '@seriousme/openapi-schema-validator';
import { assertValidOpenAPI } from './helpers.js';
import { Blueprint, createApp, type AppOptions } from '../../src/index.js';
import { openAPIPath } from '../../src/openapi/document.js';

const Tree: z.ZodType<{ name: string; children: unknown[] }> = z.object({
  name: z.string(),
  get children() {
    return z.array(Tree);
  },
});

function everyFeature(options: AppOptions = {}) {
  const app = createApp({ env: 'test', logger: false, csrf: { exempt: ['hooks.listed'] }, login: { loadUser: () => undefined }, ...options });
  const Note = z.object({ id: z.number().int(), title: z.string().max(200), tags: z.array(z.string()) });
  app.get('/api/notes', () => [], {
    name: 'notes.list',
    summary: 'List notes',
    description: 'Every note of the user, newest first.',
    tags: ['notes'],
    allowTopLevelArray: true,
    schema: {
      query: z.object({
        page: z.coerce.number().int().min(1).default(1),
        tag: z.array(z.string()).optional(),
        q: z.string().describe('Words to look for').optional(),
      }),
      headers: z.object({ 'x-client': z.string().optional(), accept: z.string().optional() }),
      response: z.array(Note),
    },
  });
  app.post('/api/notes', () => ({ id: 1, title: 't', tags: [] }), {
    name: 'notes.create',
    tags: ['notes'],
    schema: { body: Note.omit({ id: true }), response: { 201: Note, 409: z.object({ error: z.string() }) } },
  });
  app.put('/api/notes/:id(^\\d+$)', () => ({ id: 1, title: 't', tags: [] }), {
    operationId: 'replaceNote',
    loginRequired: true,
    schema: { params: z.object({ id: z.coerce.number() }), body: Note.omit({ id: true }).partial().optional() },
  });
  app.delete('/api/notes/:id', () => ({ ok: true }), { deprecated: true, loginRequired: true });
  app.get('/files/*', () => 'file');
  app.post('/hooks/stripe', () => ({ ok: true }), { csrf: false, name: 'hooks.stripe' });
  app.post('/hooks/listed', () => ({ ok: true }), { name: 'hooks.listed' });
  app.post('/tree', (req) => req.valid.body, { schema: { body: Tree, response: Tree } });
  app.post('/valibot/:slug', () => ({ ok: true }), {
    schema: { params: toStandardJsonSchema(v.object({ slug: v.pipe(v.string(), v.minLength(3)) })), body: toStandardJsonSchema(v.object({ n: v.number() })) },
  });
  app.post('/valibot-plain', () => ({ ok: true }), { schema: { body: v.object({ n: v.number() }) } });
  app.get('/dates', () => ({ at: new Date() }), { schema: { response: z.object({ at: z.date() }) } });
  app.ws('/chat', () => undefined);
  const api = new Blueprint('admin', { prefix: '/admin' });
  api.get('/stats', () => ({ n: 1 }), { name: 'stats' });
  app.register(api);
  return app;
}

const INFO = { title: 'Every feature', version: '1.2.3' };

test('the description of a route table with every feature is valid OpenAPI 3.1', async () => {
  const doc = everyFeature().openapi({ info: INFO, servers: [{ url: 'https://api.example.com' }], tags: [{ name: 'notes', description: 'Notes' }] });
  await assertValidOpenAPI(doc);
  assert.equal(doc.openapi, '3.1.0');
  assert.deepEqual(doc.info, INFO);
  const paths = doc.paths as Record<string, Record<string, Record<string, unknown>>>;
  assert.deepEqual(Object.keys(paths).sort(), [
    '/admin/stats',
    '/api/notes',
    '/api/notes/{id}',
    '/dates',
    '/files/{*}',
    '/hooks/listed',
    '/hooks/stripe',
    '/tree',
    '/valibot-plain',
    '/valibot/{slug}',
  ]);
  assert.deepEqual(Object.keys(paths['/api/notes/{id}']!).sort(), ['delete', 'put'], 'no HEAD twins, no WebSocket route');
});

test('operations carry the route options, parameters, bodies and responses', () => {
  const doc = everyFeature().openapi({ info: INFO });
  const paths = doc.paths as Record<string, Record<string, Record<string, any>>>;
  const list = paths['/api/notes']!.get!;
  assert.equal(list.operationId, 'notes.list');
  assert.equal(list.summary, 'List notes');
  assert.equal(list.description, 'Every note of the user, newest first.');
  assert.deepEqual(list.tags, ['notes']);
  const params = Object.fromEntries((list.parameters as { name: string; in: string }[]).map((p) => [`${p.in}:${p.name}`, p]));
  assert.deepEqual(Object.keys(params), ['query:page', 'query:tag', 'query:q', 'header:x-client'], 'Accept is not a header parameter in OpenAPI');
  assert.equal((params['query:tag'] as any).schema.type, 'array');
  assert.equal((params['query:q'] as any).description, 'Words to look for');
  assert.equal(list.responses['200'].content['application/json'].schema.type, 'array');
  assert.equal(list.responses['422'].content['application/problem+json'].schema.$ref, '#/components/schemas/ValidationProblem');
  assert.equal(list.security, undefined, 'a GET needs no token');

  const create = paths['/api/notes']!.post!;
  assert.equal(create.requestBody.required, true);
  assert.deepEqual(create.requestBody.content['application/json'].schema.required, ['title', 'tags']);
  assert.deepEqual(Object.keys(create.responses).sort(), ['201', '403', '409', '422']);

  const replace = paths['/api/notes/{id}']!.put!;
  assert.equal(replace.operationId, 'replaceNote');
  assert.equal(replace.requestBody.required, false, 'an optional body');
  assert.deepEqual(replace.parameters, [{ name: 'id', in: 'path', required: true, schema: { type: 'number' } }]);
  assert.ok(replace.responses['401']);
  const del = paths['/api/notes/{id}']!.delete!;
  assert.equal(del.deprecated, true);
  assert.deepEqual(del.parameters, [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }]);
  assert.equal(del.responses.default.description, 'The response (the route declares no response schema).');
  assert.deepEqual(paths['/files/{*}']!.get!.parameters[0].name, '*');
  assert.equal(paths['/admin/stats']!.get!.operationId, 'admin.stats');

  // Valibot through toStandardJsonSchema; without it, a description says what to do.
  const vb = paths['/valibot/{slug}']!.post!;
  assert.deepEqual(vb.parameters[0].schema, { type: 'string', minLength: 3 });
  assert.equal(vb.requestBody.content['application/json'].schema.properties.n.type, 'number');
  assert.match(paths['/valibot-plain']!.post!.requestBody.content['application/json'].schema.description, /toStandardJsonSchema/);
  assert.match(paths['/dates']!.get!.responses['200'].content['application/json'].schema.description, /No JSON Schema: .*Date/);
});

test('a recursive schema becomes a component whose references point into it', () => {
  const doc = everyFeature().openapi({ info: INFO });
  const comps = (doc.components as { schemas: Record<string, any> }).schemas;
  const tree = (doc.paths as any)['/tree'].post;
  const ref = tree.requestBody.content['application/json'].schema.$ref as string;
  const name = ref.split('/').pop()!;
  assert.equal(comps[name].properties.children.items.$ref, ref);
});

test('security: CSRF-covered routes need the session cookie and the token; exempt routes are marked', () => {
  const doc = everyFeature().openapi({ info: INFO });
  const paths = doc.paths as Record<string, Record<string, Record<string, any>>>;
  const schemes = (doc.components as any).securitySchemes;
  assert.deepEqual(schemes.sessionCookie, { type: 'apiKey', in: 'cookie', name: 'session', description: schemes.sessionCookie.description });
  assert.equal(schemes.csrfToken.in, 'header');
  assert.equal(schemes.csrfToken.name, 'X-CSRF-Token');
  assert.deepEqual(paths['/api/notes']!.post!.security, [{ sessionCookie: [], csrfToken: [] }]);
  assert.deepEqual(paths['/api/notes/{id}']!.delete!.security, [{ sessionCookie: [], csrfToken: [] }]);
  for (const p of ['/hooks/stripe', '/hooks/listed']) {
    const op = paths[p]!.post!;
    assert.equal(op.security, undefined, p);
    assert.equal(op['x-palisade-csrf-exempt'], true, p);
  }
  assert.deepEqual(paths['/api/notes']!.get!.security, undefined);
  // Over HTTPS the cookie has its __Host- name; with CSRF off nothing asks for a token.
  const https = everyFeature({ https: true }).openapi({ info: INFO });
  assert.equal((https.components as any).securitySchemes.sessionCookie.name, '__Host-session');
  const off = everyFeature({ csrf: { enabled: false } }).openapi({ info: INFO });
  assert.equal((off.components as any).securitySchemes.csrfToken, undefined);
  assert.deepEqual((off.paths as any)['/api/notes/{id}'].put.security, [{ sessionCookie: [] }]);
  assert.equal((off.paths as any)['/hooks/stripe'].post['x-palisade-csrf-exempt'], undefined);
});

test('a converter of your own, and routes left out', async () => {
  const doc = everyFeature().openapi({
    info: INFO,
    jsonSchema: (schema) => (schema['~standard'].vendor === 'valibot' ? { type: 'object', description: 'mine' } : undefined),
    include: (r) => !r.path.startsWith('/admin'),
  });
  await assertValidOpenAPI(doc);
  const paths = doc.paths as any;
  assert.equal(paths['/valibot-plain'].post.requestBody.content['application/json'].schema.description, 'mine');
  assert.equal(paths['/admin/stats'], undefined);
});

test('paths: parameters, patterns, wildcards and literal colons', () => {
  assert.deepEqual(openAPIPath('/a/:id'), { path: '/a/{id}', patterns: new Map([['id', '']]) });
  assert.deepEqual(openAPIPath('/a/:id(^\\d+$)/b'), { path: '/a/{id}/b', patterns: new Map([['id', '^\\d+$']]) });
  assert.deepEqual(openAPIPath('/f/:from-:to'), {
    path: '/f/{from}-{to}',
    patterns: new Map([
      ['from', ''],
      ['to', ''],
    ]),
  });
  assert.deepEqual(openAPIPath('/t/name::verb'), { path: '/t/name:verb', patterns: new Map() });
  assert.deepEqual(openAPIPath('/static/*'), { path: '/static/{*}', patterns: new Map([['*', '']]) });
  assert.deepEqual(openAPIPath('/n/:id((a|b)c)'), { path: '/n/{id}', patterns: new Map([['id', '(a|b)c']]) });
});

test('the control: the validator refuses a broken document', async () => {
  const doc = everyFeature().openapi({ info: INFO }) as any;
  const broken = structuredClone(doc);
  broken.paths['/api/notes'].get.parameters[0].in = 'body';
  const validator = new Validator();
  assert.equal((await validator.validate(broken)).valid, false);
  const badRef = structuredClone(doc);
  badRef.paths['/tree'].post.requestBody.content['application/json'].schema.$ref = '#/components/schemas/Nowhere';
  await assert.rejects(assertValidOpenAPI(badRef));
});

test("an operationId used twice, and a schema or operationId on a blueprint's routeDefaults, are CONFIG_ROUTE", () => {
  const app = createApp({ env: 'test', logger: false });
  app.get('/a', () => 'a', { operationId: 'same' });
  app.get('/b', () => 'b', { operationId: 'same' });
  assert.throws(() => app.openapi({ info: INFO }), { code: 'CONFIG_ROUTE', message: /Two routes have the operationId "same" \(GET \/a and GET \/b\)/ });
  assert.throws(() => new Blueprint('api', { routeDefaults: { schema: { body: z.string() } } }), {
    code: 'CONFIG_ROUTE',
    message: /"schema", which belongs to one route/,
  });
  assert.throws(() => new Blueprint('api', { routeDefaults: { operationId: 'x' } }), { code: 'CONFIG_ROUTE', message: /"operationId"/ });
});
