// Shared helpers for the files tests: building multipart bodies by hand (so tests can send
// hostile ones), listing what is left in a temp directory, and raw-socket requests.
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const BOUNDARY = '----palisadeTestBoundary7MA4YWxk';

export interface Part {
  name: string;
  /** Present for a file part. */
  filename?: string;
  contentType?: string;
  data: string | Buffer;
  /** Extra raw header lines. */
  headers?: string[];
}

/** A multipart/form-data body (RFC 7578) with BOUNDARY, or the boundary given. */
export function multipart(parts: Part[], opts: { close?: boolean; boundary?: string } = {}): Buffer {
  const boundary = opts.boundary ?? BOUNDARY;
  const chunks: Buffer[] = [];
  for (const p of parts) {
    let head = `--${boundary}\r\nContent-Disposition: form-data; name="${p.name}"`;
    if (p.filename !== undefined) head += `; filename="${p.filename}"`;
    head += '\r\n';
    if (p.contentType !== undefined) head += `Content-Type: ${p.contentType}\r\n`;
    for (const h of p.headers ?? []) head += `${h}\r\n`;
    head += '\r\n';
    chunks.push(Buffer.from(head, 'utf8'), Buffer.isBuffer(p.data) ? p.data : Buffer.from(p.data), Buffer.from('\r\n'));
  }
  if (opts.close !== false) chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return Buffer.concat(chunks);
}

export const MULTIPART_TYPE = `multipart/form-data; boundary=${BOUNDARY}`;

/** A fresh temp directory for one test's uploads. */
export function freshTmp(): string {
  return mkdtempSync(join(tmpdir(), 'palisade-files-test-'));
}

/** Every regular file below `dir`, recursively (directories themselves are not listed). */
export function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...filesUnder(p));
    else out.push(p);
  }
  return out;
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/**
 * Writes raw bytes to 127.0.0.1:port and resolves with everything the server sent back
 * once it closes the connection (or after `destroyAfterWrite`, with what came so far).
 */
export function rawRequest(port: number, data: Buffer, opts: { destroyAfterWrite?: boolean } = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const sock = connect(port, '127.0.0.1');
    const got: Buffer[] = [];
    sock.on('data', (c) => got.push(c));
    sock.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'ECONNRESET' || err.code === 'EPIPE') resolve(Buffer.concat(got).toString('latin1'));
      else reject(err);
    });
    sock.on('close', () => resolve(Buffer.concat(got).toString('latin1')));
    sock.write(data, () => {
      if (opts.destroyAfterWrite) sock.destroy();
    });
  });
}

/** Polls `cond` until true (never a timed assertion: it only waits for cleanup to land). */
export async function eventually(cond: () => boolean, what: string, tries = 200): Promise<void> {
  for (let i = 0; i < tries; i++) {
    if (cond()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`never happened: ${what}`);
}
