// `npm start`: the notes demo on http://127.0.0.1:8000 (HOST, PORT). Development mode with
// a generated secret unless PALISADE_ENV=production and PALISADE_SECRET_KEY are set.
import { serveNotes } from './app.js';

await serveNotes();
