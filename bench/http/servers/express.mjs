// Express 5 as a careful user sets it up: helmet with its defaults, a signed cookie
// session (cookie-session), csrf-csrf bound to the session, the urlencoded parser with a
// limit, multer (memory, with limits) for uploads, Nunjucks with autoescaping for pages.
import { randomUUID } from 'node:crypto';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import express from 'express';
import helmet from 'helmet';
import cookieSession from 'cookie-session';
import cookieParser from 'cookie-parser';
import { doubleCsrf } from 'csrf-csrf';
import multer from 'multer';
import nunjucks from 'nunjucks';
import { HELLO, JSON_BODY, ROWS, SECRET, exitOnSignal, portFromArgs, ready } from '../common.mjs';

const port = portFromArgs();
const app = express();
nunjucks.configure(join(dirname(fileURLToPath(import.meta.url)), '..', 'views', 'nunjucks'), { autoescape: true, express: app });

const { doubleCsrfProtection, generateCsrfToken } = doubleCsrf({
  getSecret: () => SECRET,
  getSessionIdentifier: (req) => req.session?.id ?? '',
  getCsrfTokenFromRequest: (req) => req.body?._csrf ?? req.headers['x-csrf-token'],
});
const upload = multer({ storage: multer.memoryStorage(), limits: { fileSize: 10 * 1024 * 1024, files: 1, fields: 10, fieldSize: 1024 } });

app.use(helmet());
app.use(cookieSession({ name: 'session', keys: [SECRET], httpOnly: true, sameSite: 'lax' }));
app.use(cookieParser());
app.use(express.urlencoded({ extended: false, limit: '1mb' }));
app.use(doubleCsrfProtection);

app.get('/hello', (req, res) => {
  res.type('text/plain').send(HELLO);
});
app.get('/json', (req, res) => {
  res.json(JSON_BODY);
});
app.get('/page', (req, res) => {
  res.render('page.njk', { title: 'Items & <things>', user: 'ada "the admin"', rows: ROWS });
});
app.get('/form', (req, res) => {
  req.session.id ??= randomUUID();
  res.render('form.njk', { title: 'New item', user: 'ada', csrfToken: generateCsrfToken(req, res) });
});
app.post('/form', (req, res) => {
  res.type('text/plain').send(`Saved: ${req.body.title ?? ''}`);
});
app.post('/upload', upload.single('file'), (req, res) => {
  res.json({ name: req.file.originalname, size: req.file.size });
});
app.get('/session', (req, res) => {
  req.session.count = (req.session.count ?? 0) + 1;
  res.type('text/plain').send(`count: ${req.session.count}`);
});

const server = app.listen(port, '127.0.0.1', () => ready(['hello', 'json', 'page', 'form', 'upload', 'session']));
exitOnSignal((done) => server.close(done));
