/**
 * CSRF tokens, layer 2 of the CSRF protection: a secret per session, and tokens derived
 * from it that are signed with the app's secret key and masked afresh each time one is
 * rendered.
 *
 * - The per-session secret is the session's random id (kept in the HttpOnly session
 *   cookie, and replaced by `session.regenerate()` at login), so nothing is stored for
 *   tokens: any process that shares the secret key and the session can verify them.
 * - The unmasked token is HMAC-SHA256(k, id), where k is derived from the secret key for
 *   this purpose only (see signing.ts); every configured key verifies, the first signs.
 * - The token sent to the page is base64url(mask ‖ (unmasked XOR mask)) with a fresh
 *   random 32-byte mask, so the bytes in a page change on every render and a compression
 *   side channel (BREACH) has nothing constant to recover.
 *
 * See docs/forms-and-csrf.md#how-it-works.
 */
import { randomFillSync, timingSafeEqual, type KeyObject } from 'node:crypto';
import { deriveKeys, mac } from './signing.js';

const SIZE = 32;
/** Length of a token in characters (64 bytes, base64url). */
export const CSRF_TOKEN_LENGTH = 86;

/** Mints and verifies masked CSRF tokens for session ids. Internal to the CSRF protection. */
export class CsrfTokens {
  readonly #keys: readonly KeyObject[];
  /** session id → the unmasked token under each key; bounded, oldest dropped first. */
  readonly #expected = new Map<string, readonly Buffer[]>();
  /** Random bytes for masks, drawn from the CSPRNG 4 KiB at a time. */
  #pool = Buffer.alloc(0);
  #poolAt = 0;

  constructor(secretKeys: readonly string[]) {
    this.#keys = deriveKeys(secretKeys, 'palisade.csrf.token');
  }

  /** HMAC(k, binding) for every key; computed once per session id and remembered. */
  #macs(binding: string): readonly Buffer[] {
    let m = this.#expected.get(binding);
    if (m === undefined) {
      m = this.#keys.map((k) => mac(k, binding));
      if (this.#expected.size >= 4096) this.#expected.delete(this.#expected.keys().next().value!);
      this.#expected.set(binding, m);
    }
    return m;
  }

  /** A fresh masked token for the session `binding`. */
  mint(binding: string): string {
    const raw = this.#macs(binding)[0]!;
    if (this.#poolAt + SIZE > this.#pool.length) {
      this.#pool = randomFillSync(Buffer.allocUnsafe(4096));
      this.#poolAt = 0;
    }
    const out = Buffer.allocUnsafe(SIZE * 2);
    this.#pool.copy(out, 0, this.#poolAt, this.#poolAt + SIZE);
    this.#pool.fill(0, this.#poolAt, this.#poolAt + SIZE); // a mask is never handed out twice
    this.#poolAt += SIZE;
    for (let i = 0; i < SIZE; i++) out[SIZE + i] = raw[i]! ^ out[i]!;
    return out.toString('base64url');
  }

  /** True when `token` was minted for `binding` with one of the app's keys. Constant-time. */
  verify(token: string, binding: string): boolean {
    if (typeof token !== 'string' || token.length !== CSRF_TOKEN_LENGTH) return false;
    const b = Buffer.from(token, 'base64url');
    // Only the canonical spelling (this also refuses characters outside base64url).
    if (b.length !== SIZE * 2 || b.toString('base64url') !== token) return false;
    const raw = Buffer.allocUnsafe(SIZE);
    for (let i = 0; i < SIZE; i++) raw[i] = b[SIZE + i]! ^ b[i]!;
    let ok = false;
    for (const m of this.#macs(binding)) ok = timingSafeEqual(m, raw) || ok;
    return ok;
  }
}
