/**
 * Content sniffing by magic bytes, for the few types Palisade will ever show inline or
 * label as themselves: raster images and PDF. It answers "do these bytes start the way a
 * file of this type must start?", nothing more; it never guesses HTML or text.
 *
 * Signatures (WHATWG MIME Sniffing §6.1 "Matching an image type pattern", plus AVIF from
 * ISO/IEC 23008-12 (HEIF `ftyp` box) and PDF from ISO 32000-1 §7.5.2):
 *
 * | type       | bytes                                             |
 * |------------|---------------------------------------------------|
 * | image/png  | `89 50 4E 47 0D 0A 1A 0A`                          |
 * | image/jpeg | `FF D8 FF`                                         |
 * | image/gif  | `GIF87a` or `GIF89a`                               |
 * | image/webp | `RIFF` ⟨4 bytes⟩ `WEBPVP`                          |
 * | image/avif | ⟨4 bytes⟩ `ftypavif` or `ftypavis`                 |
 * | image/bmp  | `BM`                                               |
 * | application/pdf | `%PDF-`                                       |
 */

/** The raster image types Palisade may send inline (never SVG: it can carry script). */
export const RASTER_IMAGE_TYPES: ReadonlySet<string> = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'image/avif', 'image/bmp']);

/** How many leading bytes {@link sniffType} needs to decide. */
export const SNIFF_BYTES = 16;

/**
 * The type whose signature `head` starts with, or undefined. Only the types in the table
 * above are recognised.
 *
 * ```ts
 * sniffType(await readHead(path)) // 'image/png' | 'image/jpeg' | … | undefined
 * ```
 * See docs/files.md#serving-uploads.
 */
export function sniffType(head: Uint8Array): string | undefined {
  const b = head;
  if (startsWith(b, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  if (startsWith(b, [0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (ascii(b, 0, 'GIF87a') || ascii(b, 0, 'GIF89a')) return 'image/gif';
  if (ascii(b, 0, 'RIFF') && ascii(b, 8, 'WEBPVP')) return 'image/webp';
  if (ascii(b, 4, 'ftypavif') || ascii(b, 4, 'ftypavis')) return 'image/avif';
  if (ascii(b, 0, 'BM') && b.length >= 14) return 'image/bmp';
  if (ascii(b, 0, '%PDF-')) return 'application/pdf';
  return undefined;
}

function startsWith(b: Uint8Array, sig: readonly number[]): boolean {
  if (b.length < sig.length) return false;
  for (let i = 0; i < sig.length; i++) if (b[i] !== sig[i]) return false;
  return true;
}

function ascii(b: Uint8Array, at: number, s: string): boolean {
  if (b.length < at + s.length) return false;
  for (let i = 0; i < s.length; i++) if (b[at + i] !== s.charCodeAt(i)) return false;
  return true;
}
