import { createApp } from 'palisade';

export const app = createApp();

app.get('/hello/:name', (req) => `Hello, ${req.params.name}!`);

// Code that speaks the fetch API calls the app with a web Request and gets a web Response.
export async function greet(name: string): Promise<string> {
  const res = await app.fetch(new Request(`http://localhost/hello/${encodeURIComponent(name)}`));
  return res.text();
}
