import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { createApp, safeJoin, sendUpload } from 'palisade';

// Where saved uploads live. Keep it outside `static/`: uploads are never served as-is.
export const UPLOAD_DIR = process.env.UPLOAD_DIR ?? join(process.cwd(), 'uploads');
mkdirSync(UPLOAD_DIR, { recursive: true });

export const app = createApp({
  uploads: { maxFileSize: 5 * 1024 * 1024, maxFiles: 3 },
});

// <form method="post" action="/attachments" enctype="multipart/form-data">
// `uploads: true`: this route takes files, so its bodies may reach uploads.maxTotalSize.
app.post('/attachments', async (req) => {
  const { fields, files } = await req.files();
  const saved = [];
  for (const file of files) {
    const path = await file.save(UPLOAD_DIR); // stored as secureFilename(file.filename)
    saved.push({ name: file.filename, stored: path.slice(UPLOAD_DIR.length + 1), size: file.size });
  }
  return { note: fields.get('note') ?? '', saved };
}, { uploads: true });

// Always a download, whatever the file holds; ?inline shows a real raster image in the page.
app.get('/attachments/:name', async (req) => {
  const path = await safeJoin(UPLOAD_DIR, req.params.name); // 404 for ../ and friends
  return sendUpload(req, path, { filename: req.params.name, inline: req.query.has('inline') });
});
