/**
 * The `compress` setting: what is compressed (handler responses, the static folder), from
 * what size, with which codings and levels. Read and checked once when the app is made;
 * the compression step itself is src/http/compress.ts. See docs/deployment.md#compression.
 */
import { ConfigError } from '../errors.js';

/** A content coding Palisade produces. */
export type Encoding = 'br' | 'gzip';

/** The `compress` setting: `true` compresses everything compressible, `false` nothing. */
export interface CompressOptions {
  /**
   * Compress what handlers return (pages, JSON, text). Default false: see BREACH in
   * docs/security-model.md#compression-deployment before turning it on.
   */
  responses?: boolean;
  /** The static folder: a fresh `.br`/`.gz` sibling if there is one, else compressed as sent. Default true. */
  static?: boolean;
  /** Bodies smaller than this many bytes are sent as they are. Default 1024. */
  threshold?: number;
  /** The codings offered, best first. Default `['br', 'gzip']`. */
  encodings?: readonly Encoding[];
  /** Brotli quality, 0–11. Default 4 (fast; 11 is for files compressed ahead of time). */
  brotliQuality?: number;
  /** gzip level, 1–9. Default 6. */
  gzipLevel?: number;
}

export interface CompressSettings {
  readonly responses: boolean;
  readonly static: boolean;
  readonly threshold: number;
  readonly encodings: readonly Encoding[];
  readonly brotliQuality: number;
  readonly gzipLevel: number;
}

const DEFAULTS: CompressSettings = Object.freeze({
  responses: false,
  static: true,
  threshold: 1024,
  encodings: Object.freeze(['br', 'gzip'] as Encoding[]),
  brotliQuality: 4,
  gzipLevel: 6,
});

/** Reads and checks the `compress` setting; throws ConfigError naming the setting. */
export function resolveCompress(raw: unknown): CompressSettings {
  if (raw === undefined) return DEFAULTS;
  if (raw === true) return Object.freeze({ ...DEFAULTS, responses: true });
  if (raw === false) return Object.freeze({ ...DEFAULTS, responses: false, static: false });
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) invalid('compress', 'true, false or an object like { responses: true }', raw);
  const o = raw as Record<string, unknown>;
  for (const k of Object.keys(o)) {
    if (!(k in DEFAULTS))
      throw new ConfigError('CONFIG_INVALID', `Unknown setting "compress.${k}" (known: ${Object.keys(DEFAULTS).join(', ')}).`, { key: `compress.${k}` });
  }
  const out = { ...DEFAULTS, ...(o as Partial<CompressSettings>) };
  for (const k of ['responses', 'static'] as const) if (typeof out[k] !== 'boolean') invalid(`compress.${k}`, 'a boolean', out[k]);
  if (!Number.isSafeInteger(out.threshold) || out.threshold < 0) invalid('compress.threshold', 'a whole number of bytes', out.threshold);
  if (!Number.isInteger(out.brotliQuality) || out.brotliQuality < 0 || out.brotliQuality > 11)
    invalid('compress.brotliQuality', 'a whole number from 0 to 11', out.brotliQuality);
  if (!Number.isInteger(out.gzipLevel) || out.gzipLevel < 1 || out.gzipLevel > 9) invalid('compress.gzipLevel', 'a whole number from 1 to 9', out.gzipLevel);
  const enc = out.encodings as unknown;
  if (!Array.isArray(enc) || enc.length === 0 || enc.some((e) => e !== 'br' && e !== 'gzip') || new Set(enc).size !== enc.length) {
    invalid('compress.encodings', 'a list of "br" and "gzip"', enc);
  }
  return Object.freeze({ ...out, encodings: Object.freeze([...out.encodings]) });
}

function invalid(key: string, expected: string, got: unknown): never {
  throw new ConfigError('CONFIG_INVALID', `Setting "${key}" must be ${expected}; got ${JSON.stringify(got)}.`, { key });
}
