// Express 5 as a careful user sets it up: helmet with its defaults.
import express from 'express';
import helmet from 'helmet';
import { HELLO, JSON_BODY, exitOnSignal, portFromArgs, ready } from '../common.mjs';

const port = portFromArgs();
const app = express();
app.use(helmet());

app.get('/hello', (req, res) => {
  res.type('text/plain').send(HELLO);
});
app.get('/json', (req, res) => {
  res.json(JSON_BODY);
});

const server = app.listen(port, '127.0.0.1', () => ready(['hello', 'json']));
exitOnSignal((done) => server.close(done));
