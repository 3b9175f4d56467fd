// Raw node:http, written the way a careful person would by hand: helmet's headers on every
// response, explicit content types with a charset, and nothing else.
import { createServer } from 'node:http';
import { HELLO, JSON_BODY, SECURITY_HEADERS, exitOnSignal, portFromArgs, ready } from '../common.mjs';

const port = portFromArgs();

function send(res, status, type, body) {
  res.writeHead(status, { ...SECURITY_HEADERS, 'content-type': type, 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

const routes = {
  'GET /hello': (req, res) => send(res, 200, 'text/plain; charset=utf-8', HELLO),
  'GET /json': (req, res) => send(res, 200, 'application/json; charset=utf-8', JSON.stringify(JSON_BODY)),
};

const server = createServer((req, res) => {
  const q = req.url.indexOf('?');
  const path = q === -1 ? req.url : req.url.slice(0, q);
  const route = routes[`${req.method} ${path}`];
  if (route === undefined) return send(res, 404, 'text/plain; charset=utf-8', 'Not Found');
  route(req, res);
});

server.listen(port, '127.0.0.1', () => ready(['hello', 'json']));
exitOnSignal((done) => server.close(done));
