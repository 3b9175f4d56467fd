// Password hashing with node:crypto scrypt and a per-user random salt.
import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

const KEYLEN = 32;
// N=2^15, r=8, p=1: the parameters OWASP lists for scrypt; needs maxmem above the 32 MiB default.
const PARAMS = { N: 1 << 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 };

function derive(password: string, salt: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFC'), salt, KEYLEN, PARAMS, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

/** Returns `scrypt$<salt>$<hash>` in base64url. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt);
  return `scrypt$${salt.toString('base64url')}$${key.toString('base64url')}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, saltB64, keyB64] = stored.split('$');
  if (scheme !== 'scrypt' || !saltB64 || !keyB64) return false;
  const expected = Buffer.from(keyB64, 'base64url');
  const key = await derive(password, Buffer.from(saltB64, 'base64url'));
  return key.length === expected.length && timingSafeEqual(key, expected);
}
