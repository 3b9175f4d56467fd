// The demo's password hashes from before Palisade had hashPassword: `scrypt$<salt>$<hash>`
// (base64url, N=2^15, r=8, p=1, NFC). Only verified now, so that accounts made then can log
// in; a successful login stores a new hash in Palisade's format (see app.ts).
import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

const KEYLEN = 32;
const PARAMS = { N: 1 << 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 };
const LEGACY = /^scrypt\$([\w-]{22})\$([\w-]{43})$/;

function derive(password: string, salt: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFC'), salt, KEYLEN, PARAMS, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

/** True when `stored` is a hash in the old format. */
export function isLegacyHash(stored: string): boolean {
  return LEGACY.test(stored);
}

/** Checks a password against an old-format hash (the caller has checked its length with Palisade's rules). */
export async function verifyLegacyPassword(password: string, stored: string): Promise<boolean> {
  const m = LEGACY.exec(stored);
  if (m === null) return false;
  const key = await derive(password, Buffer.from(m[1]!, 'base64url'));
  return timingSafeEqual(key, Buffer.from(m[2]!, 'base64url'));
}

/** Makes an old-format hash: for tests that build a database as the old demo left it. */
export async function hashLegacyPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt);
  return `scrypt$${salt.toString('base64url')}$${key.toString('base64url')}`;
}
