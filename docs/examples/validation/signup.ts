import * as z from 'zod';
import { createApp } from 'palisade';

export const app = createApp();

const taken = new Set(['admin', 'alice']);
async function usernameFree(name: string): Promise<boolean> {
  await new Promise((resolve) => setTimeout(resolve, 1)); // a database lookup
  return !taken.has(name);
}

const Signup = z.object({
  username: z.string().regex(/^[a-z0-9_]{3,20}$/).refine(usernameFree, 'This username is taken.'),
});

app.post('/api/signup', (req) => {
  taken.add(req.valid.body.username);
  return { welcome: req.valid.body.username };
}, { schema: { body: Signup }, csrf: false });
