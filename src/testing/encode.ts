/**
 * Request bodies as a browser encodes a form submission (HTML Living Standard §4.10.21.8):
 * `application/x-www-form-urlencoded`, `multipart/form-data` (RFC 7578, with the HTML
 * standard's escaping of `"`, CR and LF in names and file names) and `text/plain`.
 */
import { randomBytes } from 'node:crypto';

/** A file for the test client to upload, as a browser's file input would send it. */
export interface TestFile {
  /** The file name the browser sends (`filename=`). */
  name: string;
  /** The content type; default `application/octet-stream`. */
  type?: string;
  content: string | Uint8Array;
}

/** One entry of a form submission: a text value, or a file. */
export type FormEntry = readonly [name: string, value: string | TestFile];

/** The entries of a `form` option: repeated values (arrays) become repeated entries. */
export function fieldEntries(form: Readonly<Record<string, string | number | readonly (string | number)[]>>): FormEntry[] {
  const out: FormEntry[] = [];
  for (const [k, v] of Object.entries(form)) for (const x of [v].flat()) out.push([k, String(x)]);
  return out;
}

/** The entries of a `files` option. */
export function fileEntries(files: Readonly<Record<string, TestFile | readonly TestFile[]>>): FormEntry[] {
  const out: FormEntry[] = [];
  for (const [k, v] of Object.entries(files)) for (const f of [v].flat() as TestFile[]) out.push([k, checkFile(k, f)]);
  return out;
}

function checkFile(field: string, f: TestFile): TestFile {
  if (f === null || typeof f !== 'object' || typeof f.name !== 'string' || (typeof f.content !== 'string' && !(f.content instanceof Uint8Array))) {
    throw new TypeError(`test client: files.${field} must be { name, content, type? } (content a string or bytes)`);
  }
  return f;
}

export type Encoding = 'application/x-www-form-urlencoded' | 'multipart/form-data' | 'text/plain';

/** Encodes `entries`; returns the body and its Content-Type. Files become their names outside multipart, as browsers send them. */
export function encodeForm(entries: readonly FormEntry[], encoding: Encoding): { body: Buffer; contentType: string } {
  if (encoding === 'multipart/form-data') return multipart(entries);
  const pairs = entries.map(([k, v]) => [k, typeof v === 'string' ? v : v.name] as const);
  if (encoding === 'text/plain') {
    return { body: Buffer.from(pairs.map(([k, v]) => `${k}=${v}\r\n`).join('')), contentType: 'text/plain;charset=UTF-8' };
  }
  return { body: Buffer.from(new URLSearchParams(pairs as [string, string][]).toString()), contentType: encoding };
}

/** The query string a GET form submission puts in the URL. */
export function encodeQuery(entries: readonly FormEntry[]): string {
  return new URLSearchParams(entries.map(([k, v]) => [k, typeof v === 'string' ? v : v.name])).toString();
}

// §4.10.21.8: in names and file names, `"` is %22, CR %0D and LF %0A.
const escapeName = (s: string): string => s.replace(/\r\n?|\n/g, '\r\n').replace(/["\r\n]/g, (c) => (c === '"' ? '%22' : c === '\r' ? '%0D' : '%0A'));

function multipart(entries: readonly FormEntry[]): { body: Buffer; contentType: string } {
  const boundary = `----PalisadeTestClient${randomBytes(12).toString('hex')}`;
  const chunks: Buffer[] = [];
  for (const [name, v] of entries) {
    let head = `--${boundary}\r\nContent-Disposition: form-data; name="${escapeName(name)}"`;
    if (typeof v === 'string') {
      chunks.push(Buffer.from(`${head}\r\n\r\n`), Buffer.from(v.replace(/\r\n?|\n/g, '\r\n')), Buffer.from('\r\n'));
    } else {
      head += `; filename="${escapeName(v.name)}"\r\nContent-Type: ${v.type ?? 'application/octet-stream'}\r\n\r\n`;
      chunks.push(Buffer.from(head), typeof v.content === 'string' ? Buffer.from(v.content) : Buffer.from(v.content), Buffer.from('\r\n'));
    }
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}
