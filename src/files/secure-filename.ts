/**
 * secureFilename: turns a name a client sent (an upload's file name, a path segment) into
 * one plain file name that is safe to create on any common file system.
 *
 * The rule, in order (the same steps as Werkzeug's `secure_filename`, plus a length cap and
 * a fallback so the result is never empty):
 *
 * 1. Unicode compatibility decomposition (NFKD), then every non-ASCII code point is
 *    dropped: `café` → `cafe`, and full-width `．．／` becomes `../` before step 2 sees it.
 * 2. Path separators (`/`, `\`) and whitespace runs become one `_`.
 * 3. Only `A–Z a–z 0–9 _ . -` are kept: control characters, NUL, quotes, `%`, `:` go.
 * 4. Leading and trailing dots and underscores are stripped: no dotfiles, no `..`,
 *    no trailing dot (which Windows silently drops).
 * 5. Windows device names (`CON`, `PRN`, `AUX`, `NUL`, `COM1`–`COM9`, `LPT1`–`LPT9`, with
 *    any extension) get a leading `_`.
 * 6. The name is cut to `maxLength` characters, keeping a short extension.
 * 7. An empty result becomes the fallback (`file`), keeping the extension when there is one.
 *
 * See docs/files.md#secure-file-names.
 */
import { trimCodes, trimEndCodes } from '../util/trim.js';

/** Options for {@link secureFilename}. */
export interface SecureFilenameOptions {
  /** Longest result, in characters (all ASCII, so also bytes). Default 128, at least 16. */
  maxLength?: number;
  /** Used when nothing safe is left. Default `file`. Must itself be a safe name. */
  fallback?: string;
}

const DEFAULT_MAX = 128;
/** Windows device names: reserved in every directory, with or without an extension. */
const RESERVED = /^(con|prn|aux|nul|com[1-9]|lpt[1-9]|conin\$|conout\$|clock\$)$/i;
const UNSAFE_CHARS = /[^A-Za-z0-9_.-]+/g;
/** `.` or `_`, which step 4 removes from both ends. */
const isDotOrUnderscore = (c: number): boolean => c === 46 || c === 95;
/** An extension worth keeping: a dot and 1–16 safe characters, not ending in `_` (step 4 strips it). */
const EXTENSION = /\.[A-Za-z0-9_-]{0,15}[A-Za-z0-9-]$/;

/**
 * Returns a safe, non-empty, ASCII file name for `name`; never a path, never `..`, never a
 * dotfile, never a Windows device name.
 *
 * ```ts
 * secureFilename('../../etc/passwd')       // 'etc_passwd'
 * secureFilename('My cool movie.mov')      // 'My_cool_movie.mov'
 * secureFilename('Résumé (final).pdf')     // 'Resume_final.pdf'
 * secureFilename('CON.txt')                // '_CON.txt'
 * secureFilename('文件')                    // 'file'
 * ```
 * See docs/files.md#secure-file-names.
 */
export function secureFilename(name: string, options: SecureFilenameOptions = {}): string {
  const maxLength = options.maxLength ?? DEFAULT_MAX;
  if (!Number.isInteger(maxLength) || maxLength < 16) throw new TypeError('secureFilename: maxLength must be an integer of at least 16');
  const fallback = options.fallback ?? 'file';
  if (fallback !== 'file' && (fallback === '' || finish(clean(fallback), maxLength) !== fallback)) {
    throw new TypeError(`secureFilename: the fallback ${JSON.stringify(fallback)} is not itself a safe file name`);
  }
  if (typeof name !== 'string') return fallback;
  const out = clean(name);
  const ext = extensionOf(name.normalize('NFKD').replace(/[^\x20-\x7e]/g, ''));
  // Nothing left, or only the extension because the stem was all non-ASCII ('文件.pdf' →
  // 'pdf'): use the fallback, keeping the extension. A real dotfile ('.pdf') stays 'pdf'.
  if (out === '' || (ext !== '' && `.${out}` === ext && !name.trimStart().startsWith('.'))) {
    return finish(fallback + ext, maxLength);
  }
  return finish(out, maxLength);
}

/** Steps 1–4: a name of safe characters without dots or underscores at its ends. */
function clean(name: string): string {
  let s = name.normalize('NFKD');
  // Step 1: drop every code point outside printable ASCII (this also drops C0/C1 controls and NUL).
  s = s.replace(/[^\x20-\x7e]/g, '');
  // Step 2: separators and whitespace to single underscores.
  s = s
    .replace(/[/\\\s]+/g, ' ')
    .trim()
    .split(' ')
    .join('_');
  // Step 3: only the safe alphabet.
  s = s.replace(UNSAFE_CHARS, '');
  // Step 4: no leading or trailing dots/underscores.
  return trimCodes(s, isDotOrUnderscore);
}

/**
 * Steps 5–6 on a cleaned, non-empty name. The length cap runs first and the device check
 * after it, since cutting can expose a device name ('COM1____x.txt' → 'COM1.txt').
 */
function finish(s: string, maxLength: number): string {
  if (s.length > maxLength) s = truncate(s, maxLength);
  if (RESERVED.test(s.split('.', 1)[0]!)) {
    s = `_${s}`;
    if (s.length > maxLength) s = truncate(s, maxLength);
  }
  return s;
}

/** Cuts the stem so the name fits, keeping an extension no longer than half the room. */
function truncate(s: string, maxLength: number): string {
  const m = EXTENSION.exec(s);
  const ext = m !== null && m.index > 0 && m[0].length <= maxLength / 2 ? m[0] : '';
  let stem = s.slice(0, maxLength - ext.length);
  stem = trimEndCodes(stem, isDotOrUnderscore);
  if (stem === '') stem = 'file';
  return stem + ext;
}

function extensionOf(s: string): string {
  const m = EXTENSION.exec(s.trim());
  return m === null ? '' : m[0];
}
