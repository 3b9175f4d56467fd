import { createApp } from 'palisade';

export const app = createApp({
  maxBodySize: 1024 * 1024, // every body, multipart ones included…
  uploads: { maxTotalSize: 50 * 1024 * 1024, maxFileSize: 20 * 1024 * 1024 }, // …but on routes that take uploads
  forms: { maxFields: 200, maxValueLength: 20_000 }, // every form, urlencoded or multipart
});

// Takes files: a multipart body here may reach uploads.maxTotalSize.
app.post('/photos', async (req) => ({ photos: (await req.files()).files.length }), { uploads: true });

// Takes none: a multipart body here is held to maxBodySize, like any other body.
app.post('/settings', async (req) => ({ theme: (await req.files()).fields.get('theme') ?? 'light' }));
