import { createApp, html } from 'palisade';

// Compress what handlers return, not just the static folder.
export const app = createApp({ compress: true });

app.get('/report', () => html`<table>${Array.from({ length: 500 }, (_, i) => html`<tr><td>Row ${i}</td></tr>`)}</table>`);

// This page shows the user's API key next to their search: never compressed.
app.get('/account', (req) => html`<p>Results for ${req.query.get('q') ?? ''}</p><p>Your key: ${'k3y-0f-th3-us3r'}</p>`, {
  compress: false,
});
