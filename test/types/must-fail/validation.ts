// Must NOT compile: route schemas type the handler, and inference rejects what the schemas
// rule out (see must-fail.test.ts for the markers).
import * as z from 'zod';
import { createApp } from '../../../src/index.js';

const app = createApp();
const Body = z.object({ title: z.string() });
const Note = z.object({ id: z.number(), title: z.string() });

app.post('/a', (req) => ({ t: req.valid.body.nope }), { schema: { body: Body } }); // error: Property 'nope' does not exist
app.post('/b', (req) => { const n: number = req.valid.body.title; return { n }; }, { schema: { body: Body } }); // error: Type 'string' is not assignable to type 'number'
app.post('/c', (req) => ({ q: req.valid.query }), { schema: { body: Body } }); // error: Property 'query' does not exist
app.get('/d/:id', (req) => { const n: number = req.valid.params.id; return { n }; }, { schema: { params: z.object({ id: z.string() }) } }); // error: Type 'string' is not assignable to type 'number'
app.get('/e', () => ({ id: 'one', title: 'x' }), { schema: { response: Note } }); // error: Type 'string' is not assignable to type 'number'
app.get('/f', () => 'text', { schema: { response: Note } }); // error: Type 'string' is not assignable to type 'Promise<Response | Response | { id: number; title: string; }>
app.get('/g', (req) => ({ t: req.valid.body }), {}); // error: 'req.valid' is of type 'unknown'
app.post('/h', () => ({ ok: true }), { schema: { bdy: Body } }); // error: 'bdy' does not exist in type
app.post('/i', () => ({ ok: true }), { schema: { body: { type: 'object' } } }); // error: 'type' does not exist in type 'StandardSchemaV1
