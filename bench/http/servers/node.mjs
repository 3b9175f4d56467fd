// Raw node:http, written the way a careful person would by hand: helmet's headers on every
// response, explicit content types with a charset, a signed-cookie session and an HMAC
// CSRF token checked by hand, Eta (autoescaping) for pages, busboy for uploads.
import { createServer } from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import busboy from 'busboy';
import { Eta } from 'eta';
import { HELLO, JSON_BODY, ROWS, SECURITY_HEADERS, exitOnSignal, portFromArgs, ready } from '../common.mjs';
import { csrfToken, csrfValid, loadSession, sameOrigin, sessionCookie } from '../sign.mjs';

const port = portFromArgs();
const eta = new Eta({ views: join(dirname(fileURLToPath(import.meta.url)), '..', 'views', 'eta'), cache: true, autoEscape: true });
const MAX_BODY = 1024 * 1024;

function send(res, status, type, body, extra) {
  res.writeHead(status, {
    ...SECURITY_HEADERS,
    ...extra,
    'content-type': type,
    'content-length': Buffer.byteLength(body),
  });
  res.end(body);
}

const text = (res, status, body) => send(res, status, 'text/plain; charset=utf-8', body);

function readBody(req, res, done) {
  const chunks = [];
  let size = 0;
  req.on('data', (c) => {
    size += c.length;
    if (size > MAX_BODY) {
      text(res, 413, 'Payload Too Large');
      req.destroy();
    } else chunks.push(c);
  });
  req.on('end', () => {
    if (size <= MAX_BODY) done(Buffer.concat(chunks).toString('utf8'));
  });
}

// Session-bound CSRF check for unsafe methods: origin first, then the token.
function csrfCheck(req, res, session, token) {
  if (!sameOrigin(req)) return text(res, 403, 'Cross-origin request refused'), false;
  if (!csrfValid(session, token)) return text(res, 403, 'Invalid CSRF token'), false;
  return true;
}

const sessionHeaders = (session) => ({ 'set-cookie': sessionCookie(session), vary: 'Cookie', 'cache-control': 'private' });

const routes = {
  'GET /hello': (req, res) => send(res, 200, 'text/plain; charset=utf-8', HELLO),
  'GET /json': (req, res) => send(res, 200, 'application/json; charset=utf-8', JSON.stringify(JSON_BODY)),
  'GET /page': (req, res) =>
    send(res, 200, 'text/html; charset=utf-8', eta.render('./page', { title: 'Items & <things>', user: 'ada "the admin"', rows: ROWS })),
  'GET /form': (req, res) => {
    const session = loadSession(req.headers.cookie);
    const html = eta.render('./form', { title: 'New item', user: 'ada', csrfToken: csrfToken(session) });
    send(res, 200, 'text/html; charset=utf-8', html, sessionHeaders(session));
  },
  'POST /form': (req, res) => {
    if (!(req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')) return text(res, 415, 'Unsupported Media Type');
    const session = loadSession(req.headers.cookie);
    readBody(req, res, (body) => {
      const form = new URLSearchParams(body);
      if (!csrfCheck(req, res, session, form.get('_csrf'))) return;
      text(res, 200, `Saved: ${form.get('title') ?? ''}`);
    });
  },
  'POST /upload': (req, res) => {
    const session = loadSession(req.headers.cookie);
    if (!csrfCheck(req, res, session, req.headers['x-csrf-token'])) return req.resume();
    let bb;
    try {
      bb = busboy({ headers: req.headers, limits: { fileSize: 10 * 1024 * 1024, files: 1, fields: 10, fieldSize: 1024 } });
    } catch {
      return text(res, 400, 'Bad multipart body');
    }
    let name = null;
    let size = 0;
    let failed = false;
    bb.on('file', (field, stream, info) => {
      name = info.filename;
      stream.on('data', (c) => (size += c.length));
      stream.on('limit', () => (failed = true));
    });
    bb.on('error', () => {
      failed = true;
      text(res, 400, 'Bad multipart body');
    });
    bb.on('close', () => {
      if (res.headersSent) return;
      if (failed) return text(res, 413, 'File too large');
      send(res, 200, 'application/json; charset=utf-8', JSON.stringify({ name, size }));
    });
    req.pipe(bb);
  },
  'GET /session': (req, res) => {
    const session = loadSession(req.headers.cookie);
    session.count = (typeof session.count === 'number' ? session.count : 0) + 1;
    send(res, 200, 'text/plain; charset=utf-8', `count: ${session.count}`, sessionHeaders(session));
  },
};

const server = createServer((req, res) => {
  const q = req.url.indexOf('?');
  const path = q === -1 ? req.url : req.url.slice(0, q);
  const route = routes[`${req.method} ${path}`];
  if (route === undefined) return text(res, 404, 'Not Found');
  route(req, res);
});

server.listen(port, '127.0.0.1', () => ready(['hello', 'json', 'page', 'form', 'upload', 'session']));
exitOnSignal((done) => server.close(done));
