/**
 * Password hashing: scrypt (RFC 7914) from `node:crypto`, stored as a PHC string that
 * carries its own parameters, so they can be raised later and old hashes upgraded at the
 * next login (`needsRehash`).
 *
 * ```ts
 * const hash = await hashPassword(form.get('password')!);          // store this
 * const ok = await verifyPassword(form.get('password')!, user.passwordHash);
 * if (ok && needsRehash(user.passwordHash)) db.setHash(user.id, await hashPassword(pw));
 * ```
 *
 * Why scrypt and not Argon2id, the parameters, and what the limits are: docs/auth.md#passwords.
 *
 * The format is the PHC string format (P-H-C/phc-string-format, phc-sf-spec.md):
 * `$scrypt$ln=17,r=8,p=1$<salt>$<hash>`, salt and hash in standard base64 without padding;
 * the parameter names `ln` (log2 of N), `r` and `p` are the ones passlib uses for scrypt
 * (passlib/handlers/scrypt.py), so such hashes move between the two.
 */
import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { HttpError, PalisadeError } from '../errors.js';

/** scrypt's cost parameters: N = 2^ln (CPU and memory), r (block size), p (parallelism). */
export interface PasswordHashOptions {
  /** log2 of N. Default 17 (N = 131072). */
  ln?: number;
  /** Block size. Default 8. Memory is 128 · N · r bytes: 128 MiB with the defaults. */
  r?: number;
  /** Parallelism (computed one after another here). Default 1. */
  p?: number;
}

/**
 * The defaults: OWASP's Password Storage Cheat Sheet asks at least N = 2^17, r = 8, p = 1
 * for scrypt. Memory 128 MiB per hash, and a good part of a second of one core.
 */
export const PASSWORD_DEFAULTS: Readonly<Required<PasswordHashOptions>> = Object.freeze({ ln: 17, r: 8, p: 1 });

/**
 * The longest password accepted, in UTF-8 bytes. A longer one is a 400
 * (AUTH_PASSWORD_TOO_LONG) before any hashing: it cannot be anyone's real password, and
 * refusing it early keeps a large body from costing anything.
 */
export const MAX_PASSWORD_BYTES = 1024;

const SALT_BYTES = 16;
const KEY_BYTES = 32;
/** What a stored hash may ask for, so that a damaged or planted hash cannot take the server's memory or minutes of CPU. */
const MAX_MEMORY = 256 * 1024 * 1024;
const MAX_WORK = 2 ** 24; // N · r · p: 16 times the default
const MAX_HASH_LENGTH = 512;
/** Hashes computed at once; the rest wait. Leaves libuv threads for file and DNS work (UV_THREADPOOL_SIZE is 4 by default). */
const CONCURRENCY = 2;

const B64 = /^[A-Za-z0-9+/]*$/;
const PHC = /^\$scrypt\$ln=(\d{1,2}),r=(\d{1,3}),p=(\d{1,3})\$([A-Za-z0-9+/]{1,128})\$([A-Za-z0-9+/]{1,128})$/;

interface Parsed {
  ln: number;
  r: number;
  p: number;
  salt: Buffer;
  key: Buffer;
}

/**
 * Hashes a password with scrypt and a random 16-byte salt; resolves to a PHC string to
 * store. Runs on libuv's thread pool, never on the event loop. A password longer than
 * 1024 UTF-8 bytes is refused with a 400 (AUTH_PASSWORD_TOO_LONG).
 *
 * ```ts
 * await hashPassword('correct horse battery staple'); // '$scrypt$ln=17,r=8,p=1$…$…'
 * ```
 * See docs/auth.md#passwords.
 */
export async function hashPassword(password: string, opts: PasswordHashOptions = {}): Promise<string> {
  const pw = normalizePassword(password, 'hashPassword');
  const params = resolveParams(opts);
  const salt = randomBytes(SALT_BYTES);
  const key = await derive(pw, salt, params.ln, params.r, params.p, KEY_BYTES);
  return format(params, salt, key);
}

/**
 * True when `password` matches `hash` (made by `hashPassword`). The comparison takes the
 * same time wherever the bytes differ. A password that is too long is refused with a 400
 * (AUTH_PASSWORD_TOO_LONG); a hash that is not one of ours, or asks for more memory or work
 * than a password hash may, is a 500 (AUTH_HASH_INVALID): it is a bug or a damaged record,
 * never a wrong password.
 *
 * ```ts
 * if (!(await verifyPassword(form.get('password') ?? '', user.passwordHash))) return fail();
 * ```
 * See docs/auth.md#passwords.
 */
export async function verifyPassword(password: string, hash: string): Promise<boolean> {
  const pw = normalizePassword(password, 'verifyPassword');
  const h = parseHash(hash);
  const key = await derive(pw, h.salt, h.ln, h.r, h.p, h.key.length);
  return timingSafeEqual(key, h.key);
}

/**
 * True when `hash` was made with other parameters than `opts` (the defaults unless
 * given): hash the password again at the next successful login and store the new hash.
 * A hash that is not a valid scrypt PHC string needs a rehash too.
 *
 * ```ts
 * if (needsRehash(user.passwordHash)) db.setHash(user.id, await hashPassword(password));
 * ```
 */
export function needsRehash(hash: string, opts: PasswordHashOptions = {}): boolean {
  const want = resolveParams(opts);
  let h: Parsed;
  try {
    h = parseHash(hash);
  } catch {
    return true;
  }
  return h.ln !== want.ln || h.r !== want.r || h.p !== want.p || h.salt.length !== SALT_BYTES || h.key.length !== KEY_BYTES;
}

/** The password as hashed: checked for type and length, then NFKC-normalized (NIST SP 800-63B §5.1.1.2). */
function normalizePassword(password: unknown, fn: string): string {
  if (typeof password !== 'string') throw new TypeError(`${fn}(): the password must be a string; got ${password === null ? 'null' : typeof password}.`);
  // A UTF-16 length past the byte limit is past it in UTF-8 too; checked first so a huge
  // string is not encoded at all.
  if (password.length > MAX_PASSWORD_BYTES || Buffer.byteLength(password, 'utf8') > MAX_PASSWORD_BYTES) throw tooLong(password.length);
  const n = password.normalize('NFKC');
  // NFKC can lengthen text (one ligature becomes several letters): the limit holds after it too.
  if (Buffer.byteLength(n, 'utf8') > MAX_PASSWORD_BYTES) throw tooLong(n.length);
  return n;
}

function tooLong(chars: number): HttpError {
  return new HttpError('AUTH_PASSWORD_TOO_LONG', `The password is longer than ${MAX_PASSWORD_BYTES} bytes; no password that long is accepted.`, {
    limit: MAX_PASSWORD_BYTES,
    length: chars,
  });
}

function resolveParams(opts: PasswordHashOptions): Required<PasswordHashOptions> {
  const p = { ...PASSWORD_DEFAULTS, ...opts };
  for (const [k, lo, hi] of [
    ['ln', 1, 24],
    ['r', 1, 64],
    ['p', 1, 64],
  ] as const) {
    const v = p[k];
    if (!Number.isInteger(v) || v < lo || v > hi) throw new TypeError(`password hashing: ${k} must be a whole number from ${lo} to ${hi}; got ${String(v)}.`);
  }
  checkCost(p.ln, p.r, p.p, (m) => new TypeError(`password hashing: ${m}`));
  return p;
}

function checkCost(ln: number, r: number, p: number, fail: (message: string) => Error): void {
  const n = 2 ** ln;
  if (128 * n * r > MAX_MEMORY) throw fail(`ln=${ln}, r=${r} needs ${(128 * n * r) / 2 ** 20} MiB; at most ${MAX_MEMORY / 2 ** 20} MiB is allowed.`);
  if (n * r * p > MAX_WORK)
    throw fail(`ln=${ln}, r=${r}, p=${p} is more than ${MAX_WORK / (2 ** PASSWORD_DEFAULTS.ln * PASSWORD_DEFAULTS.r)} times the default work.`);
}

function parseHash(hash: unknown): Parsed {
  const bad = (why: string): PalisadeError =>
    new PalisadeError('AUTH_HASH_INVALID', `verifyPassword(): the stored hash ${why}. Store what hashPassword() returned, unchanged.`);
  if (typeof hash !== 'string') throw bad(`is a ${hash === null ? 'null' : typeof hash}, not a string`);
  if (hash.length > MAX_HASH_LENGTH) throw bad(`is ${hash.length} characters long`);
  const m = PHC.exec(hash);
  if (m === null) throw bad(`is not a scrypt PHC string ($scrypt$ln=…,r=…,p=…$salt$hash)`);
  const [ln, r, p] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (ln < 1 || r < 1 || p < 1) throw bad('has a parameter of 0');
  checkCost(ln, r, p, (why) => bad(`asks for too much: ${why}`));
  const salt = fromB64(m[4]!);
  const key = fromB64(m[5]!);
  if (key.length < 16) throw bad('has a hash shorter than 16 bytes');
  return { ln, r, p, salt, key };
}

/** Standard base64 without padding (PHC's B64), strictly: a string that is not canonical is refused. */
function fromB64(s: string): Buffer {
  const b = Buffer.from(s, 'base64');
  if (!B64.test(s) || unpadded(b) !== s) {
    throw new PalisadeError('AUTH_HASH_INVALID', 'verifyPassword(): the stored hash has a salt or hash that is not base64.');
  }
  return b;
}

/** Standard base64 without its `=` padding (at most two characters at the end). */
function unpadded(b: Buffer): string {
  const s = b.toString('base64');
  let end = s.length;
  while (end > 0 && s.charCodeAt(end - 1) === 61 /* = */) end--;
  return s.slice(0, end);
}

function format(p: Required<PasswordHashOptions>, salt: Buffer, key: Buffer): string {
  return `$scrypt$ln=${p.ln},r=${p.r},p=${p.p}$${unpadded(salt)}$${unpadded(key)}`;
}

let running = 0;
const waiting: (() => void)[] = [];

/** scrypt on the thread pool, at most CONCURRENCY at once. */
async function derive(password: string, salt: Buffer, ln: number, r: number, p: number, keylen: number): Promise<Buffer> {
  // A finishing hash hands its slot straight to the next in line, so a newcomer cannot slip in between.
  if (running < CONCURRENCY) running++;
  else await new Promise<void>((resolve) => waiting.push(resolve));
  try {
    const N = 2 ** ln;
    return await new Promise<Buffer>((resolve, reject) => {
      // maxmem: node refuses more than 32 MiB unless told; 128 · N · r plus scrypt's own buffers.
      scrypt(password, salt, keylen, { N, r, p, maxmem: 128 * N * r + 128 * r * p + 2 ** 20 }, (err, key) => (err ? reject(err) : resolve(key)));
    });
  } finally {
    const next = waiting.shift();
    if (next !== undefined) next();
    else running--;
  }
}
