/**
 * What every benchmark server shares: the port it is told to use, the secret, the
 * security headers a careful user adds (helmet's defaults, written out so raw node:http
 * can send the same set by hand), and the data each route returns. Keeping the data here
 * makes every framework answer with the same bytes.
 */

/** Random, as Palisade's production mode requires (it refuses guessable keys); the same in every server and the signer. */
export const SECRET = 'V6AX8AmaxKa1qBcH53pA9lgTkwePXV5vpIWZdMmelws';

/**
 * The body of the validated-JSON scenario and the rules every server checks it against:
 * title a string of 1 to 200 characters, tags at most 10 strings of 1 to 50, priority an
 * integer from 1 to 5; no other keys.
 */
export const NOTE_INPUT = { title: 'Hello bench', tags: ['work', 'later'], priority: 3 };

/** Port from argv[2]; the runner always passes one. */
export function portFromArgs() {
  const port = Number(process.argv[2]);
  if (!Number.isInteger(port) || port <= 0) throw new Error(`usage: node ${process.argv[1]} <port>`);
  return port;
}

/** The Content-Security-Policy helmet 8 sends by default. */
export const CSP =
  "default-src 'self';base-uri 'self';font-src 'self' https: data:;form-action 'self';frame-ancestors 'self';" +
  "img-src 'self' data:;object-src 'none';script-src 'self';script-src-attr 'none';style-src 'self' https: 'unsafe-inline';" +
  'upgrade-insecure-requests';

/** helmet 8's default headers, lower-case, for the raw node:http server. */
export const SECURITY_HEADERS = Object.freeze({
  'content-security-policy': CSP,
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'origin-agent-cluster': '?1',
  'referrer-policy': 'no-referrer',
  'strict-transport-security': 'max-age=31536000; includeSubDomains',
  'x-content-type-options': 'nosniff',
  'x-dns-prefetch-control': 'off',
  'x-download-options': 'noopen',
  'x-frame-options': 'SAMEORIGIN',
  'x-permitted-cross-domain-policies': 'none',
  'x-xss-protection': '0',
});

/** The same policy in the shape Hono's secureHeaders takes. */
export const HONO_CSP = {
  defaultSrc: ["'self'"],
  baseUri: ["'self'"],
  fontSrc: ["'self'", 'https:', 'data:'],
  formAction: ["'self'"],
  frameAncestors: ["'self'"],
  imgSrc: ["'self'", 'data:'],
  objectSrc: ["'none'"],
  scriptSrc: ["'self'"],
  scriptSrcAttr: ["'none'"],
  styleSrc: ["'self'", 'https:', "'unsafe-inline'"],
  upgradeInsecureRequests: [],
};

export const HELLO = 'Hello, World!';

/** The /json body: a small API-like object (about 250 bytes serialised). */
export const JSON_BODY = Object.freeze({
  id: 42,
  name: 'Palisade',
  description: 'A web framework for TypeScript on Node.js, secure by default.',
  active: true,
  score: 9.75,
  tags: ['web', 'security', 'typescript'],
  owner: { id: 7, login: 'ada', email: 'ada@example.com' },
  createdAt: '2025-01-02T03:04:05.000Z',
});

/** 100 rows for /page, with characters that need escaping in every context. */
export const ROWS = Object.freeze(
  Array.from({ length: 100 }, (_, i) =>
    Object.freeze({
      id: i + 1,
      name: `Item <${i + 1}> & "friends"`,
      title: `Row ${i + 1}: it's "quoted" & <b>bold</b>`,
      url: `https://example.com/items/${i + 1}?q=a b&x=<y>`,
      query: `tag ${i % 7} & more`,
    }),
  ),
);

/** Tells the runner which routes this server serves (one line on stdout, after listen). */
export function ready(routes, notes = {}) {
  process.stdout.write(`READY ${JSON.stringify({ routes, notes })}\n`);
}

/** Ends the process on SIGTERM (servers that do not handle it themselves). */
export function exitOnSignal(close) {
  const stop = () => {
    if (close) close(() => process.exit(0));
    else process.exit(0);
    setTimeout(() => process.exit(0), 500).unref();
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}
