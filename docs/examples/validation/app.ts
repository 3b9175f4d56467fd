import * as z from 'zod';
import { createApp, jsonify } from 'palisade';

export const app = createApp();

const NoteIn = z.object({
  title: z.string().trim().min(1).max(200),
  tags: z.array(z.string()).max(5).default([]),
});
const Note = z.object({ id: z.number().int(), title: z.string(), tags: z.array(z.string()) });

const notes: z.output<typeof Note>[] = [];

app.post('/api/notes', (req) => {
  const note = { id: notes.length + 1, ...req.valid.body };
  notes.push(note);
  return jsonify(note, { status: 201 });
}, {
  name: 'notes.create',
  summary: 'Write a note',
  tags: ['notes'],
  schema: { body: NoteIn, response: { 201: Note } },
  csrf: false, // an API for scripts on other machines; see docs/forms-and-csrf.md#exempting-a-route
});

app.get('/api/notes/:id', (req) => {
  const note = notes.find((n) => n.id === req.valid.params.id);
  return note ?? jsonify({ error: 'No such note.' }, { status: 404 });
}, {
  name: 'notes.show',
  tags: ['notes'],
  schema: {
    params: z.object({ id: z.coerce.number().int().min(1) }),
    response: { 200: Note, 404: z.object({ error: z.string() }) },
  },
});

app.get('/api/notes', (req) => {
  const { tag, page } = req.valid.query;
  const found = tag.length === 0 ? notes : notes.filter((n) => tag.some((t) => n.tags.includes(t)));
  return { notes: found.slice((page - 1) * 20, page * 20) };
}, {
  name: 'notes.list',
  tags: ['notes'],
  schema: {
    query: z.object({ page: z.coerce.number().int().min(1).default(1), tag: z.array(z.string()).default([]) }),
    response: z.object({ notes: z.array(Note) }),
  },
});

app.get('/openapi.json', () => app.openapi({ info: { title: 'Notes', version: '1.0.0' } }));
