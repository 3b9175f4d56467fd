/**
 * The secret key rule: what a key must be for Palisade to sign with it. One rule, used at
 * start-up (production refuses a key that breaks it) and by `palisade check` (which reports
 * it in every mode).
 *
 * 1. At least 32 characters.
 * 2. At least 128 bits by the estimate below, which counts what an attacker would have to
 *    guess: a character drawn from the classes the key uses (lower case, upper case,
 *    digits, symbols) is worth log2 of their size, but a repeat of earlier text, a run
 *    (`aaaa`, `abcd`, `4321`) and a common word (`secret`, `changeme`, `qwerty`) are worth
 *    only the few bits that say where they are (runs and repeats count from four characters). The key is read as the cheapest sequence
 *    of such pieces, so `changeme` five times is about 20 bits, not 40 characters' worth.
 *
 * The estimate follows the idea of dropbox/zxcvbn (`src/scoring.coffee`: a password's
 * strength is the cheapest way to build it from dictionary words, repeats and sequences),
 * much reduced. It is generous to random keys: 32 random hex characters (128 random bits)
 * score about 165, and never less than 140 in 20,000 tries; base64url of 32 random bytes
 * scores about 280 (test/security/secret-key.test.ts).
 *
 * ```ts
 * secretKeyProblem('changeme'.repeat(5)); // { rule: 'entropy', bits: 16, message: '…', fix: '…' }
 * secretKeyProblem(randomBytes(32).toString('base64url')); // undefined
 * ```
 * See docs/deployment.md#the-secret-key.
 */

/** Shortest key accepted, in characters. */
export const MIN_SECRET_LENGTH = 32;
/** Least estimated randomness accepted, in bits. */
export const MIN_SECRET_BITS = 128;
/** How to make a good key, quoted in every message about a bad one. */
export const GENERATE_KEY = "node -e \"console.log(require('crypto').randomBytes(32).toString('base64url'))\"";

const FIX = `Generate one with \`${GENERATE_KEY}\`.`;
/** Only the start of a long key is read: the estimate grows with length, so a longer key only scores higher. */
const READ = 256;

// Words people put in keys that are meant to be replaced, and the commonest passwords.
const WORDS = [
  'secret',
  'secretkey',
  'change',
  'changeme',
  'changeit',
  'replace',
  'replaceme',
  'password',
  'passwd',
  'passphrase',
  'example',
  'default',
  'placeholder',
  'dummy',
  'insecure',
  'unsafe',
  'test',
  'testing',
  'demo',
  'sample',
  'random',
  'string',
  'development',
  'production',
  'prod',
  'dev',
  'local',
  'admin',
  'root',
  'user',
  'login',
  'letmein',
  'welcome',
  'hello',
  'world',
  'qwerty',
  'qwertyuiop',
  'asdf',
  'asdfghjkl',
  'zxcvbnm',
  'key',
  'token',
  'session',
  'cookie',
  'signing',
  'django',
  'flask',
  'express',
  'palisade',
  'app',
  'my',
  'super',
  'the',
  'for',
  'your',
  'this',
  'here',
  'todo',
  'fixme',
  'foo',
  'bar',
  'baz',
  'foobar',
  'monkey',
  'dragon',
  'master',
  'shadow',
  'iloveyou',
  'trustno',
  'football',
  'sunshine',
  'princess',
  'notes',
];
const WORD_BITS = Math.log2(WORDS.length) + 1; // which word, and its case
const BY_FIRST = new Map<string, string[]>();
for (const w of WORDS) {
  const list = BY_FIRST.get(w[0]!) ?? [];
  list.push(w);
  BY_FIRST.set(w[0]!, list);
}

/** What is wrong with a key, or undefined when it follows the rule. */
export interface SecretKeyProblem {
  readonly rule: 'length' | 'entropy';
  /** The estimate, in bits (for `length`, of the short key as it is). */
  readonly bits: number;
  /** What is wrong, naming the rule. */
  readonly message: string;
  /** How to make a good key. */
  readonly fix: string;
}

/** Checks a key against the rule; `which` names it in the message ("The secret key", "Secret key #2"). */
export function secretKeyProblem(key: string, which = 'The secret key'): SecretKeyProblem | undefined {
  const bits = Math.floor(estimateSecretBits(key));
  if (key.length < MIN_SECRET_LENGTH) {
    return {
      rule: 'length',
      bits,
      message: `${which} is ${key.length} characters long; it must be at least ${MIN_SECRET_LENGTH}.`,
      fix: FIX,
    };
  }
  if (bits < MIN_SECRET_BITS) {
    return {
      rule: 'entropy',
      bits,
      message:
        `${which} does not look random: it holds about ${bits} bits that an attacker would have to guess, and the rule is at least ${MIN_SECRET_BITS} ` +
        `(repeats, runs like "abcd" or "1234" and common words like "secret" or "changeme" count for almost nothing).`,
      fix: FIX,
    };
  }
  return undefined;
}

/**
 * Roughly how many bits an attacker must guess to find `key`: the cheapest reading of it as
 * fresh characters, common words, repeats of earlier text and runs (see the file comment).
 */
export function estimateSecretBits(key: string): number {
  const s = [...key.slice(0, READ)];
  const n = s.length;
  if (n === 0) return 0;
  const charBits = Math.log2(alphabet(s));
  const lower = s.map((c) => c.toLowerCase());
  const best = new Array<number>(n + 1).fill(Infinity);
  best[0] = 0;
  const offer = (to: number, cost: number): void => {
    if (cost < best[to]!) best[to] = cost;
  };
  for (let j = 0; j < n; j++) {
    const here = best[j]!;
    offer(j + 1, here + charBits);
    // A common word (any case).
    for (const w of BY_FIRST.get(lower[j]!) ?? []) {
      if (j + w.length <= n && lower.slice(j, j + w.length).join('') === w) offer(j + w.length, here + WORD_BITS);
    }
    // A run: four or more characters whose codes step by -1, 0 or +1. (Runs and repeats of
    // three happen by chance in random keys often enough to cost a 32-character hex key its pass.)
    const step = j + 1 < n ? s[j + 1]!.codePointAt(0)! - s[j]!.codePointAt(0)! : 2;
    if (step >= -1 && step <= 1) {
      let end = j + 2;
      while (end < n && s[end]!.codePointAt(0)! - s[end - 1]!.codePointAt(0)! === step) end++;
      for (let to = j + 4; to <= end; to++) offer(to, here + charBits + 2 + Math.log2(to - j));
    }
    // A repeat of text that starts earlier (it may overlap where it is copied to, as in LZ77).
    let longest = 0;
    for (let from = 0; from < j; from++) {
      let len = 0;
      while (j + len < n && s[from + len] === s[j + len]) len++;
      if (len > longest) longest = len;
    }
    for (let len = 4; len <= longest; len++) offer(j + len, here + Math.log2(j) + Math.log2(len) + 1);
  }
  return best[n]!;
}

/** How many characters the key's character classes hold together. */
function alphabet(chars: readonly string[]): number {
  let lower = false;
  let upper = false;
  let digit = false;
  let symbol = false;
  let other = false;
  for (const c of chars) {
    if (c >= 'a' && c <= 'z') lower = true;
    else if (c >= 'A' && c <= 'Z') upper = true;
    else if (c >= '0' && c <= '9') digit = true;
    else if (c.codePointAt(0)! < 0x7f) symbol = true;
    else other = true;
  }
  return (lower ? 26 : 0) + (upper ? 26 : 0) + (digit ? 10 : 0) + (symbol ? 33 : 0) + (other ? 100 : 0);
}
