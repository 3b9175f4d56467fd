/**
 * Signing: HMAC-SHA256 over a payload and a timestamp, with key rotation and a maximum
 * age. Everything in Palisade that signs (session cookies, session ids, CSRF tokens)
 * goes through here.
 *
 * Keys are never the secret itself: each purpose ("session.cookie", "csrf.token"…) gets
 * its own key derived with HKDF-SHA256 from every configured secret, once, when the
 * signer is built. A value signed for one purpose therefore never verifies for another.
 *
 * Token format: `<payload>.<timestamp>.<mac>` where the timestamp is seconds since the
 * epoch in base 36 and the mac is base64url(HMAC-SHA256(key, "<payload>.<timestamp>")).
 * The payload is kept as given: encode it (base64url) yourself if it may contain
 * characters the carrier (a cookie, a header) does not allow.
 *
 * See docs/sessions.md#signing.
 */
import { createHmac, createSecretKey, hkdfSync, timingSafeEqual, type KeyObject } from 'node:crypto';

/** Clock skew tolerated between processes, in seconds (a timestamp this far in the future still verifies). */
const MAX_SKEW = 300;
const MAC_BYTES = 32;
const MAC_CHARS = 43; // base64url of 32 bytes, unpadded

/** Why a signed value was refused. */
export type UnsignFailure = 'malformed' | 'bad-signature' | 'expired';

/** The outcome of `Signer.unsign`. */
export type UnsignResult =
  | {
      readonly ok: true;
      readonly value: string;
      /** seconds since the epoch */ readonly signedAt: number;
      /** signed with an older key */ readonly oldKey: boolean;
    }
  | { readonly ok: false; readonly reason: UnsignFailure };

/**
 * Derives the 32-byte key for one purpose from one secret (HKDF-SHA256, fixed salt,
 * the purpose as info). Internal: use `Signer` or `deriveKeys`.
 */
export function deriveKey(secret: string, purpose: string): Buffer {
  return Buffer.from(hkdfSync('sha256', secret, 'palisade/v1', purpose, 32));
}

/** Derives one key per secret for a purpose; the first secret's key comes first. */
export function deriveKeys(secrets: readonly string[], purpose: string): KeyObject[] {
  if (secrets.length === 0) throw new TypeError('signing needs at least one secret key');
  if (typeof purpose !== 'string' || purpose === '') throw new TypeError('signing needs a purpose');
  // KeyObjects, made once: createHmac with a KeyObject skips importing the key per call.
  return secrets.map((s) => createSecretKey(deriveKey(s, purpose)));
}

/** What `new Signer(secretKey, options)` takes. */
export interface SignerOptions {
  /** What the signatures are for; values signed for one purpose never verify for another. */
  purpose: string;
  /** Default maximum age in seconds for `unsign`; undefined means no limit. */
  maxAge?: number;
  /**
   * Remember this many verified tokens (up to 1 KB each), so a value that comes back on
   * every request (a session cookie) is checked with a map lookup instead of an HMAC.
   * Expiry is still checked on every call. Default 0 (no cache).
   */
  cacheSize?: number;
}

interface Verified {
  readonly value: string;
  readonly signedAt: number;
  readonly oldKey: boolean;
}

/**
 * Signs and verifies strings with HMAC-SHA256, a timestamp and key rotation: the first
 * secret signs, every secret verifies (so a new secret can be put first while values
 * signed with the old one stay valid until they expire).
 *
 * ```ts
 * const signer = new Signer(app.settings.secretKeys, { purpose: 'invite', maxAge: 3600 });
 * const token = signer.sign('user:42');
 * signer.unsign(token); // { ok: true, value: 'user:42', signedAt: …, oldKey: false }
 * ```
 * See docs/sessions.md#signing.
 */
export class Signer {
  readonly purpose: string;
  readonly maxAge: number | undefined;
  readonly #keys: readonly KeyObject[];
  readonly #cacheSize: number;
  readonly #cache = new Map<string, Verified>();

  constructor(secrets: readonly string[], opts: SignerOptions) {
    this.purpose = opts.purpose;
    this.#cacheSize = opts.cacheSize ?? 0;
    this.#keys = deriveKeys(secrets, opts.purpose);
    if (opts.maxAge !== undefined && !(Number.isFinite(opts.maxAge) && opts.maxAge > 0)) {
      throw new TypeError(`signer maxAge must be a positive number of seconds, got ${String(opts.maxAge)}`);
    }
    this.maxAge = opts.maxAge;
  }

  /** Signs `value` with the newest key and the current time. */
  sign(value: string, now: number = Date.now()): string {
    const head = `${value}.${Math.floor(now / 1000).toString(36)}`;
    return `${head}.${mac(this.#keys[0]!, head).toString('base64url')}`;
  }

  /**
   * Verifies a signed value. Returns the payload, or why it was refused. Never throws for
   * any input; comparison is constant-time.
   */
  unsign(token: string, opts: { maxAge?: number; now?: number } = {}): UnsignResult {
    if (typeof token !== 'string') return MALFORMED;
    const hit = this.#cacheSize > 0 ? this.#cache.get(token) : undefined;
    const v = hit ?? this.#verify(token);
    if (!('value' in v)) return v;
    const nowSec = Math.floor((opts.now ?? Date.now()) / 1000);
    const maxAge = opts.maxAge ?? this.maxAge;
    if (v.signedAt > nowSec + MAX_SKEW) return EXPIRED;
    if (maxAge !== undefined && nowSec - v.signedAt > maxAge) return EXPIRED;
    if (hit === undefined && this.#cacheSize > 0 && token.length <= 1024) {
      if (this.#cache.size >= this.#cacheSize) this.#cache.delete(this.#cache.keys().next().value!);
      this.#cache.set(token, v);
    }
    return { ok: true, value: v.value, signedAt: v.signedAt, oldKey: v.oldKey };
  }

  /** Checks format and MAC; the age is checked by the caller. */
  #verify(token: string): Verified | UnsignResult {
    const dot2 = token.lastIndexOf('.');
    if (dot2 <= 0 || token.length - dot2 - 1 !== MAC_CHARS) return MALFORMED;
    const dot1 = token.lastIndexOf('.', dot2 - 1);
    if (dot1 < 0) return MALFORMED;
    const tsText = token.slice(dot1 + 1, dot2);
    if (tsText === '' || tsText.length > 11 || !/^[0-9a-z]+$/.test(tsText)) return MALFORMED;
    const macText = token.slice(dot2 + 1);
    const given = Buffer.from(macText, 'base64url');
    // Only the canonical spelling: the last character's unused low bits must be zero.
    if (given.length !== MAC_BYTES || given.toString('base64url') !== macText) return MALFORMED;
    const head = token.slice(0, dot2);
    let matched = -1;
    for (let i = 0; i < this.#keys.length; i++) {
      if (timingSafeEqual(mac(this.#keys[i]!, head), given)) {
        matched = i;
        break;
      }
    }
    if (matched === -1) return BAD_SIGNATURE;
    return { value: token.slice(0, dot1), signedAt: parseInt(tsText, 36), oldKey: matched > 0 };
  }
}

const MALFORMED: UnsignResult = Object.freeze({ ok: false, reason: 'malformed' });
const BAD_SIGNATURE: UnsignResult = Object.freeze({ ok: false, reason: 'bad-signature' });
const EXPIRED: UnsignResult = Object.freeze({ ok: false, reason: 'expired' });

/** HMAC-SHA256 of `data` under `key`. */
export function mac(key: KeyObject, data: string | Buffer): Buffer {
  return createHmac('sha256', key).update(data).digest();
}
