/**
 * A deliberately broken app, to show that the HTTP fuzzer finds what it must find
 * (test/fuzz/http/finds-*.test.ts). Next to a few sound routes, four bugs that depend on
 * the request's data, as real ones do:
 *
 * - /broken/timer throws from a timer when `q` holds a character outside printable ASCII:
 *   an uncaught exception that ends the process;
 * - /broken/regex tests the first 28 characters of `q` against a regular expression that
 *   backtracks exponentially on a run of digits not followed by `x`: 28 digits hold the
 *   event loop ~1.5 s on a fast machine (each digit doubles it; 25 took ~0.2 s there, under
 *   the fuzzer's 500 ms limit, which is why the cap is not 26 as it was);
 * - /broken/500 fails with a TypeError (a 500 not marked as on purpose) when a query key
 *   is `__proto__`;
 * - /broken/leak keeps a copy of an uploaded file in the upload folder when the file's
 *   name has no dot: a temporary file left behind.
 */
import { copyFileSync } from 'node:fs';
import { createApp, type Request } from '../../../src/index.js';
import { tracked } from './monitor.js';

export const app = createApp({
  env: 'production',
  logger: false,
  secretKey: 'H24E03Lr5Wcp595_eaiUwGzcCweVjT1E3HjpHZgBKxY',
  allowedHosts: ['127.0.0.1', 'localhost'],
  uploads: { tmpDir: process.env.UPLOAD_TMP },
});

const q = (req: Request) => req.query.get('q') ?? '';
const fuzz = { fuzz: { query: ['q'] } };

app.get(
  '/',
  tracked(() => 'ok\n'),
);
app.get(
  '/json',
  tracked((req) => ({ q: q(req) })),
  fuzz,
);
app.post(
  '/echo',
  tracked(async (req) => ({ length: (await req.text()).length })),
  { csrf: false, fuzz: { body: ['text'] } },
);

app.get(
  '/broken/timer',
  tracked((req) => {
    if (/[^\x20-\x7e]/.test(q(req))) {
      setTimeout(() => {
        throw new Error('thrown from a timer');
      }, 1);
    }
    return 'ok\n';
  }),
  fuzz,
);
// Exponential in the run of digits without an x after it; cut at 28 characters so that it ends.
app.get(
  '/broken/regex',
  tracked((req) => ({ match: /(\d+)+x/.test(q(req).slice(0, 28)) })),
  fuzz,
);
app.get(
  '/broken/500',
  tracked((req) => {
    if (req.query.has('__proto__')) throw new TypeError('a key the handler did not expect');
    return 'ok\n';
  }),
  fuzz,
);
app.post(
  '/broken/leak',
  tracked(async (req) => {
    const { files } = await req.files();
    for (const f of files) if (!f.filename.includes('.')) copyFileSync(f.path, `${f.path}-copy`);
    return { files: files.length };
  }),
  { csrf: false, fuzz: { body: ['multipart'] } },
);
