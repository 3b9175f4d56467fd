// `npm start`: the notes demo on http://127.0.0.1:8000 (HOST, PORT). Development mode with
// a generated secret unless PALISADE_ENV=production and PALISADE_SECRET_KEY are set.
// `palisade check examples/notes/main.ts` and `palisade run examples/notes/main.ts` load
// the app this file exports without serving it from here.
import { fileURLToPath } from 'node:url';
import { notesFromEnv, serveNotes } from './app.js';

const built = notesFromEnv();
export const app = built.notes.app;

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) await serveNotes(built);
