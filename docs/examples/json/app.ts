import { createApp, jsonify } from 'palisade';

export const app = createApp({
  cors: { origins: ['https://app.example.com'], credentials: true, methods: ['GET', 'POST', 'PUT'] },
});

const notes = [{ id: 1, title: 'First' }];

// A plain object becomes JSON.
app.get('/api/notes', () => ({ notes }));

// A top-level array needs an explicit opt-in.
app.get('/api/tags', () => jsonify(['work', 'home'], { allowTopLevelArray: true }));

// For a client that strips the prefix before parsing.
app.get('/api/legacy/notes', () => ({ notes }), { xssiPrefix: true });

// Reading JSON: application/json only, 64 levels deep at most.
app.post('/api/notes', async (req) => {
  const { title } = await req.json<{ title: string }>();
  const note = { id: notes.length + 1, title };
  notes.push(note);
  return jsonify({ note }, { status: 201 });
});

// A public image other sites may embed.
app.get('/badge.svg', () => new Uint8Array(0), { crossSiteLoad: true });
