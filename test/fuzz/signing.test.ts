// Fuzz: the signer (src/security/signing.ts). Any change to a token — one character,
// a cut, an extension — is refused, and so is a token signed with another key or purpose.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Signer } from '../../src/security/signing.js';
import { anyString, check } from './fuzz-options.js';

const SECRET = 'fuzz-secret-0123456789-abcdefghijklmnop';
const OTHER = 'another-secret-0123456789-abcdefghijklmn';
const signer = new Signer([SECRET], { purpose: 'fuzz' });
const NOW = Date.UTC(2030, 0, 1);

// Replacement characters: the base64url alphabet (the likeliest to slip through), the
// standard base64 alphabet's '+' and '/', padding, the separator, and anything else.
const B64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const replacement = fc.oneof(fc.constantFrom(...B64URL, '+', '/', '=', '.', ' ', '%'), fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }));
const payload = fc.oneof(fc.string({ maxLength: 40 }), fc.base64String({ maxLength: 60 }), anyString(30));

function refused(token: string, what: string, s: Signer = signer): void {
  const r = s.unsign(token, { now: NOW });
  assert.equal(r.ok, false, `${what} accepted: ${JSON.stringify(token)}`);
}

test('a signed value verifies and gives back its payload', () => {
  check(
    fc.property(payload, (p) => {
      const r = signer.unsign(signer.sign(p, NOW), { now: NOW });
      assert.ok(r.ok);
      if (r.ok) assert.equal(r.value, p);
    }),
    { scale: 2 },
  );
});

test('changing any one character of a token is refused', () => {
  check(
    fc.property(payload, fc.nat(), replacement, (p, at, c) => {
      const token = signer.sign(p, NOW);
      const i = at % token.length;
      if (token[i] === c) return;
      const changed = token.slice(0, i) + c + token.slice(i + 1);
      refused(changed, `token with position ${i} of ${token.length} changed from ${JSON.stringify(token[i])} to ${JSON.stringify(c)}`);
    }),
    { scale: 10 },
  );
});

test('every single-character change of the MAC is refused (exhaustive over the base64url alphabet)', () => {
  // Not random: each position of the MAC, each base64url or base64 character. A decoder that
  // ignores the unused low bits of the last character, or reads '+' as '-', lets a changed
  // token through; a token must verify in exactly one spelling.
  const token = signer.sign('user:42', NOW);
  const macStart = token.lastIndexOf('.') + 1;
  const accepted: string[] = [];
  for (let i = macStart; i < token.length; i++) {
    for (const c of B64URL + '+/') {
      if (token[i] === c) continue;
      const changed = token.slice(0, i) + c + token.slice(i + 1);
      if (signer.unsign(changed, { now: NOW }).ok) accepted.push(`pos ${i - macStart}: ${token[i]}→${c}`);
    }
  }
  assert.deepEqual(accepted, [], `changed MACs accepted for ${token}`);
});

test('a truncated token is refused', () => {
  check(
    fc.property(payload, fc.nat(), (p, at) => {
      const token = signer.sign(p, NOW);
      refused(token.slice(0, at % token.length), 'truncated token');
    }),
    { scale: 3 },
  );
});

test('a token with anything added before or after is refused', () => {
  check(
    fc.property(
      payload,
      fc.string({ minLength: 1, maxLength: 8 }),
      fc.string({ unit: fc.constantFrom(...B64URL, '='), minLength: 1, maxLength: 4 }),
      (p, junk, b64) => {
        const token = signer.sign(p, NOW);
        refused(token + junk, 'extended token');
        refused(token + b64, 'token extended with base64 characters');
        refused(junk + token, 'token with a prefix');
      },
    ),
    { scale: 3 },
  );
});

test('a token from another key, or for another purpose, is refused; rotation keeps old tokens', () => {
  const other = new Signer([OTHER], { purpose: 'fuzz' });
  const otherPurpose = new Signer([SECRET], { purpose: 'fuzz2' });
  const rotated = new Signer([OTHER, SECRET], { purpose: 'fuzz' });
  check(
    fc.property(payload, (p) => {
      const token = signer.sign(p, NOW);
      refused(token, 'token signed with another key', other);
      refused(token, 'token signed for another purpose', otherPurpose);
      refused(other.sign(p, NOW), 'token from another key');
      const r = rotated.unsign(token, { now: NOW });
      assert.ok(r.ok && r.oldKey, 'an old key still verifies after rotation');
    }),
  );
});

test('unsign never throws on arbitrary input', () => {
  check(
    fc.property(
      fc.oneof(
        anyString(120),
        fc.constant(signer.sign('x', NOW)).chain((t) => fc.string().map((s) => t.replace('.', s))),
      ),
      (t) => {
        const r = signer.unsign(t, { now: NOW });
        assert.equal(typeof r.ok, 'boolean');
      },
    ),
    { scale: 3 },
  );
});
