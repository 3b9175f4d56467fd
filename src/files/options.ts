/**
 * The `uploads` and `static` sections of the app's options: their types, defaults and
 * start-up validation (a wrong value is a ConfigError naming the setting).
 * See docs/files.md#limits and docs/files.md#the-static-folder.
 */
import { existsSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { resolve } from 'node:path';
import { ConfigError } from '../errors.js';
import { trimEndCodes } from '../util/trim.js';

/**
 * Limits and storage for multipart uploads (`createApp({ uploads: {...} })`). Every field
 * is optional; a body that passes a limit is refused with a 413 naming it. The text fields
 * of a multipart body are held to the app's form limits (`forms`), as urlencoded ones are.
 *
 * ```ts
 * createApp({ uploads: { maxFileSize: 50 * 1024 * 1024, maxFiles: 1 } });
 * ```
 * See docs/files.md#limits.
 */
export interface UploadOptions {
  /** Largest single file, in bytes. Default 10 MiB. Over it: `UPLOAD_FILE_TOO_LARGE`. */
  maxFileSize?: number;
  /** Most files in one body. Default 10. Over it: `UPLOAD_TOO_MANY_FILES`. */
  maxFiles?: number;
  /**
   * Largest header block of one part (its `Content-Disposition`, `Content-Type`…), in
   * bytes. Default 8 KiB; at most 16 KiB (busboy's own ceiling). Over it:
   * `UPLOAD_PART_HEADER_TOO_LARGE`.
   */
  maxPartHeaderSize?: number;
  /**
   * Largest whole multipart body of a route that takes uploads (`{ uploads: true }`), in
   * bytes. Default 20 MiB. Over it: `UPLOAD_TOTAL_TOO_LARGE`. A route's own `maxBodySize`
   * option replaces it for that route; a route that does not take uploads is held to
   * `maxBodySize`.
   */
  maxTotalSize?: number;
  /**
   * Where the private upload directory (mode 0700) is created. Default the OS temp
   * directory. Put it on the same file system as your upload folder so `save()` is a rename.
   */
  tmpDir?: string;
}

/**
 * The static folder (`createApp({ static: {...} })`), served at `/static` when a
 * `static/` directory exists in the working directory. `false` switches it off.
 *
 * ```ts
 * createApp({ static: { dir: new URL('./public', import.meta.url).pathname, prefix: '/assets' } });
 * ```
 * See docs/files.md#the-static-folder.
 */
export interface StaticOptions {
  /** The folder to serve. Default `static` in the working directory (only if it exists). */
  dir?: string;
  /** The URL prefix. Default `/static`. */
  prefix?: string;
  /** `Cache-Control: max-age` in seconds; default none (`no-cache`: revalidate with ETags). */
  maxAge?: number;
}

/** Resolved upload settings. */
export interface UploadLimits {
  readonly maxFileSize: number;
  readonly maxFiles: number;
  readonly maxPartHeaderSize: number;
  readonly maxTotalSize: number;
  readonly tmpDir: string;
}

/** Resolved static-folder settings. */
export interface StaticSettings {
  readonly dir: string;
  readonly prefix: string;
  readonly maxAge: number | undefined;
}

const MiB = 1024 * 1024;
export const UPLOAD_DEFAULTS: UploadLimits = Object.freeze({
  maxFileSize: 10 * MiB,
  maxFiles: 10,
  maxPartHeaderSize: 8 * 1024,
  maxTotalSize: 20 * MiB,
  tmpDir: tmpdir(),
});

/** busboy refuses any part header block past 16 KiB itself. */
export const PART_HEADER_CEILING = 16 * 1024;

const NUMERIC = ['maxFileSize', 'maxFiles', 'maxPartHeaderSize', 'maxTotalSize'] as const;
/** Settings that moved to the form limits, which every form parse applies (docs/forms-and-csrf.md#limits). */
const MOVED: Readonly<Record<string, string>> = {
  maxFields: 'forms.maxFields (it counts text fields and files)',
  maxParts: 'forms.maxFields (it counts text fields and files)',
  maxFieldSize: 'forms.maxValueLength (in characters)',
};

/** Validates `options.uploads` and fills in defaults. */
export function resolveUploadLimits(raw: unknown): UploadLimits {
  if (raw === undefined) return UPLOAD_DEFAULTS;
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) invalid('uploads', 'an object of limits', raw);
  const o = raw as Record<string, unknown>;
  for (const k of Object.keys(o)) {
    if (Object.hasOwn(MOVED, k)) {
      throw new ConfigError(
        'CONFIG_INVALID',
        `Setting "uploads.${k}" is now ${MOVED[k]}: one set of form limits applies to urlencoded and multipart bodies alike. Set it with createApp({ forms: { ... } }).`,
        { key: `uploads.${k}` },
      );
    }
    if (!(NUMERIC as readonly string[]).includes(k) && k !== 'tmpDir') {
      throw new ConfigError('CONFIG_INVALID', `Unknown setting "uploads.${k}". Known: ${[...NUMERIC, 'tmpDir'].join(', ')}.`, { key: `uploads.${k}` });
    }
  }
  const out: Record<string, unknown> = { ...UPLOAD_DEFAULTS };
  for (const k of NUMERIC) {
    if (o[k] === undefined) continue;
    const v = o[k];
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v <= 0) invalid(`uploads.${k}`, 'a positive integer', v);
    out[k] = v;
  }
  if ((out.maxPartHeaderSize as number) > PART_HEADER_CEILING) {
    invalid('uploads.maxPartHeaderSize', `at most ${PART_HEADER_CEILING} (busboy's ceiling)`, out.maxPartHeaderSize);
  }
  if (o.tmpDir !== undefined) {
    if (typeof o.tmpDir !== 'string' || o.tmpDir === '') invalid('uploads.tmpDir', 'a directory path', o.tmpDir);
    const dir = resolve(o.tmpDir);
    if (!isDir(dir)) invalid('uploads.tmpDir', 'an existing directory', o.tmpDir);
    out.tmpDir = dir;
  }
  return Object.freeze(out) as unknown as UploadLimits;
}

/** Validates `options.static`; null when off (or when the default folder does not exist). */
export function resolveStatic(raw: unknown, cwd = process.cwd()): StaticSettings | null {
  if (raw === false) return null;
  if (raw === undefined || raw === true) {
    const dir = resolve(cwd, 'static');
    return isDir(dir) ? { dir, prefix: '/static', maxAge: undefined } : null;
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) invalid('static', 'false or { dir, prefix, maxAge }', raw);
  const o = raw as Record<string, unknown>;
  for (const k of Object.keys(o)) {
    if (k !== 'dir' && k !== 'prefix' && k !== 'maxAge') {
      throw new ConfigError('CONFIG_INVALID', `Unknown setting "static.${k}". Known: dir, prefix, maxAge.`, { key: `static.${k}` });
    }
  }
  const explicitDir = o.dir !== undefined;
  if (explicitDir && (typeof o.dir !== 'string' || o.dir === '')) invalid('static.dir', 'a directory path', o.dir);
  const dir = resolve(cwd, (o.dir as string | undefined) ?? 'static');
  if (!isDir(dir)) {
    if (explicitDir) invalid('static.dir', 'an existing directory', o.dir);
    return null;
  }
  const prefix = o.prefix ?? '/static';
  if (typeof prefix !== 'string' || !/^\/[A-Za-z0-9._~\-/]*$/.test(prefix) || prefix.includes('//') || prefix.split('/').includes('..')) {
    invalid('static.prefix', 'a URL path like "/static"', prefix);
  }
  const maxAge = o.maxAge;
  if (maxAge !== undefined && (typeof maxAge !== 'number' || !Number.isSafeInteger(maxAge) || maxAge < 0)) {
    invalid('static.maxAge', 'a number of seconds', maxAge);
  }
  return { dir, prefix: prefix === '/' ? '' : trimEndCodes(prefix, (c) => c === 47 /* / */), maxAge: maxAge as number | undefined };
}

function isDir(p: string): boolean {
  try {
    return existsSync(p) && statSync(p).isDirectory();
  } catch {
    return false;
  }
}

function invalid(key: string, expected: string, got: unknown): never {
  throw new ConfigError('CONFIG_INVALID', `Setting "${key}" must be ${expected}; got ${JSON.stringify(got)}.`, { key });
}
