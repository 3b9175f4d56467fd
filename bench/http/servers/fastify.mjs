// Fastify 5 as a careful user sets it up: @fastify/helmet with its defaults, logging off.
import Fastify from 'fastify';
import helmet from '@fastify/helmet';
import { HELLO, JSON_BODY, exitOnSignal, portFromArgs, ready } from '../common.mjs';

const port = portFromArgs();
const app = Fastify({ logger: false });
await app.register(helmet);

app.get('/hello', (req, reply) => {
  reply.type('text/plain; charset=utf-8').send(HELLO);
});
app.get('/json', () => JSON_BODY);

await app.listen({ port, host: '127.0.0.1' });
ready(['hello', 'json']);
exitOnSignal((done) => app.close().then(done));
