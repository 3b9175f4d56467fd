// Hono 4 on @hono/node-server as a careful user sets it up: secureHeaders with the same
// Content-Security-Policy helmet sends (Hono sends none unless told).
import { Hono } from 'hono';
import { secureHeaders } from 'hono/secure-headers';
import { serve } from '@hono/node-server';
import { HELLO, HONO_CSP, JSON_BODY, exitOnSignal, portFromArgs, ready } from '../common.mjs';

const port = portFromArgs();
const app = new Hono();
app.use(
  secureHeaders({ contentSecurityPolicy: HONO_CSP, strictTransportSecurity: 'max-age=31536000; includeSubDomains' }),
);

app.get('/hello', (c) => c.text(HELLO));
app.get('/json', (c) => c.json(JSON_BODY));

const server = serve({ fetch: app.fetch, port, hostname: '127.0.0.1' }, () => ready(['hello', 'json']));
exitOnSignal((done) => server.close(done));
