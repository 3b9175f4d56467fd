/**
 * safeJoin: joins untrusted path parts onto a trusted base directory and refuses, with a
 * 404 `UPLOAD_UNSAFE_PATH`, anything that could land outside it.
 *
 * Refused, before touching the disk:
 * - a part that is not a string, is absolute (`/x`, `\x`, `C:x`, `//host`), or holds NUL;
 * - a `\` anywhere (a separator on Windows, and never needed in a URL path);
 * - a `..` segment, even one that would stay inside (`a/../b`): there is no honest use;
 * - percent-encoded separators, dots or NUL (`%2f`, `%5c`, `%2e`, `%00`): a caller that
 *   decodes once more later would turn them into traversal.
 *
 * Then, on the disk: the base is resolved with `realpath`, and so is the target (or, when
 * it does not exist yet, its deepest existing parent). A symbolic link that leads out of
 * the base is refused, and so is a dangling link at the target (writing through it would
 * create a file wherever it points).
 *
 * See docs/files.md#joining-paths-safely.
 */
import { lstat, realpath } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative, sep } from 'node:path';
import { HttpError } from '../errors.js';

const ENCODED_DANGER = /%(2f|5c|2e|00)/i;
const WINDOWS_DRIVE = /^[A-Za-z]:/;

/**
 * Returns the real path of `parts` joined under `base`, or throws a 404 HttpError
 * (`UPLOAD_UNSAFE_PATH`) when the result could escape `base`. `base` must exist.
 *
 * ```ts
 * const path = await safeJoin('/srv/app/static', 'css', req.params.name);
 * await safeJoin('/srv/app/static', '../secrets.env'); // throws UPLOAD_UNSAFE_PATH (404)
 * ```
 * See docs/files.md#joining-paths-safely.
 */
export async function safeJoin(base: string, ...parts: string[]): Promise<string> {
  const segments = checkParts(parts);
  let realBase: string;
  try {
    realBase = await realpath(base);
  } catch (err) {
    throw new TypeError(`safeJoin: the base directory ${JSON.stringify(base)} does not exist`, { cause: err });
  }
  const target = join(realBase, ...segments);
  if (!inside(realBase, target)) throw unsafe('it leaves the base directory');

  const real = await resolveExisting(target);
  if (!inside(realBase, real)) throw unsafe('a symbolic link leads out of the base directory');
  return real;
}

/**
 * The pure half of safeJoin: validates the parts and returns their segments, or throws.
 * Exported for the static folder, which checks URL segments before touching the disk.
 */
export function checkParts(parts: readonly unknown[]): string[] {
  const out: string[] = [];
  for (const part of parts) {
    if (typeof part !== 'string') throw unsafe('a part is not a string');
    if (part.includes('\0')) throw unsafe('it contains a NUL byte');
    if (part.includes('\\')) throw unsafe('it contains a backslash');
    if (isAbsolute(part) || part.startsWith('/') || WINDOWS_DRIVE.test(part)) throw unsafe('a part is absolute');
    if (ENCODED_DANGER.test(part)) throw unsafe('it contains a percent-encoded separator, dot or NUL');
    for (const seg of part.split('/')) {
      if (seg === '' || seg === '.') continue;
      if (seg === '..') throw unsafe('it contains a ".." segment');
      out.push(seg);
    }
  }
  return out;
}

function inside(base: string, p: string): boolean {
  if (p === base) return true;
  const rel = relative(base, p);
  return rel !== '' && !rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel);
}

async function isSymlink(p: string): Promise<boolean> {
  try {
    return (await lstat(p)).isSymbolicLink();
  } catch {
    return false;
  }
}

/**
 * The real path of `target`; when it does not exist (yet), the real path of its deepest
 * existing ancestor with the missing names appended. A dangling symbolic link on the way
 * is refused: a later write would follow it wherever it points.
 */
async function resolveExisting(target: string): Promise<string> {
  const missing: string[] = [];
  for (let p = target; ; p = dirname(p)) {
    try {
      return join(await realpath(p), ...missing.reverse());
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      // A name longer than the file system allows cannot exist: missing, like any other
      // (reading it is then a 404; it was a 500, found by the HTTP fuzzer).
      if (code !== 'ENOENT' && code !== 'ENOTDIR' && code !== 'ENAMETOOLONG') throw err;
      if (await isSymlink(p)) throw unsafe('it goes through a symbolic link to a missing target');
      if (dirname(p) === p) throw err;
      missing.push(basename(p));
    }
  }
}

function unsafe(why: string): HttpError {
  return new HttpError('UPLOAD_UNSAFE_PATH', `Refused an unsafe file path: ${why}.`, { reason: why });
}
