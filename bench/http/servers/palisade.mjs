// Palisade in production mode with its default protections on. Imports the built package
// (`npm run build` at the repo root writes dist/).
import { createApp } from '../../../dist/index.js';
import { HELLO, JSON_BODY, SECRET, portFromArgs, ready } from '../common.mjs';

const port = portFromArgs();
const app = createApp({
  env: 'production',
  secretKey: SECRET,
  allowedHosts: ['127.0.0.1', 'localhost'],
  logger: false,
});

app.get('/hello', () => HELLO);
app.get('/json', () => JSON_BODY);

// listen() handles SIGTERM itself (graceful shutdown).
await app.listen({ host: '127.0.0.1', port });
ready(['hello', 'json']);
