import { createApp } from 'palisade';

// One set of limits, for every form the app reads: urlencoded bodies, query strings and
// the text fields of multipart bodies.
export const app = createApp({ forms: { maxFields: 200, maxValueLength: 20_000 } });

app.post('/tags', async (req) => ({ tags: (await req.form()).getAll('tag').length }));
