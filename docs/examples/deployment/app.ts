import { createApp } from 'palisade';

// Settings come from the environment: PALISADE_ENV, PALISADE_SECRET_KEY,
// PALISADE_ALLOWED_HOSTS, PALISADE_HTTPS / PALISADE_TRUST_PROXY.
export const app = createApp();

app.get('/', () => 'Hello from production.');
app.get('/health', () => ({ ok: true }));
