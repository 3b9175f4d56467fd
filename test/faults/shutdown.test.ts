// Graceful shutdown under load: the app runs in a child process (tsx) with signal handling
// on; clients keep sending (keep-alive, JSON, slow requests, uploads that are saved) when
// it gets SIGTERM. Every request the server accepted must complete, no request may be
// reset, new connections must be refused, the process must exit (code 0) within the grace
// period, and every upload must be either complete on disk or absent.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { connect } from 'node:net';
import { request as httpRequest } from 'node:http';
import { keepAliveAgent, send, startChild } from './net-helpers.js';
import { filesUnder, multipart } from '../files/helpers.js';

const GRACE_MS = 3000;
const CLIENTS = 8;
const FILE_SIZE = 256 * 1024;

/**
 * Connects every 20 ms until a connection is refused (the listener is closed) or `ms`
 * pass; resolves with the last outcome and when it came. The server accepts the
 * connections already queued before it stops listening, and on a loaded machine the
 * signal itself may take a while to be handled.
 */
async function refusedWithin(port: number, ms: number): Promise<{ outcome: string; afterMs: number }> {
  const start = Date.now();
  for (;;) {
    const outcome = await connectRefused(port);
    if (outcome !== 'connected' || Date.now() - start > ms) return { outcome, afterMs: Date.now() - start };
    await sleep(20);
  }
}

function connectRefused(port: number): Promise<string> {
  return new Promise((resolve) => {
    const s = connect(port, '127.0.0.1');
    s.once('connect', () => {
      s.destroy();
      resolve('connected');
    });
    s.once('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? e.message));
  });
}

/** An upload whose body is dribbled over ~1 s, so that it is in flight when SIGTERM lands. */
function slowUpload(port: number, id: string, fill: number, boundary: string): Promise<{ status: number; body: string }> {
  const body = multipart(
    [
      { name: 'id', data: id },
      { name: 'f', filename: 'slow.bin', contentType: 'application/octet-stream', data: Buffer.alloc(FILE_SIZE, fill) },
    ],
    { boundary },
  );
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: '/upload?save=1',
        agent: false,
        headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, 'content-length': String(body.length) },
      },
      (res) => {
        let text = '';
        res.on('data', (d: Buffer) => (text += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      },
    );
    req.on('error', reject);
    const n = 20;
    const size = Math.ceil(body.length / n);
    let i = 0;
    const tick = () => {
      if (i >= n) return void req.end();
      req.write(body.subarray(i * size, (i + 1) * size));
      i++;
      setTimeout(tick, 50);
    };
    tick();
  });
}

test('SIGTERM under load: accepted requests complete, new connections are refused, uploads are whole or absent', async () => {
  const tmp = mkdtempSync(join(tmpdir(), 'palisade-shutdown-tmp-'));
  const saveDir = mkdtempSync(join(tmpdir(), 'palisade-shutdown-saved-'));
  const app = await startChild('test/faults/fixtures/load-app.ts', { UPLOAD_TMP: tmp, SAVE_DIR: saveDir, GRACE_MS: String(GRACE_MS), HANDLE_SIGNALS: '1' });
  const port = app.port;
  try {
    const counts = { sent: 0, completed: 0, refused: 0, reset: 0, failed: 0, uploadsCompleted: 0 };
    const failures: string[] = [];
    let stop = false;
    let uploadId = 0;
    const boundary = 'shutdownBoundary42';

    const client = async (c: number) => {
      const agent = keepAliveAgent(1);
      for (let i = 0; !stop; i++) {
        const kind = (i + c) % 4;
        let path = '/';
        let method = 'GET';
        let body: Buffer | string | undefined;
        let headers: Record<string, string> | undefined;
        let expect: (b: string) => boolean = (b) => b === 'ok';
        if (kind === 1) {
          path = '/slow?ms=150';
          expect = (b) => b === 'slow done';
        } else if (kind === 2) {
          method = 'POST';
          path = '/json';
          headers = { 'content-type': 'application/json' };
          body = JSON.stringify({ c, i });
          expect = (b) => b === JSON.stringify({ got: { c, i } });
        } else if (kind === 3) {
          const id = `${c}-${uploadId++}`;
          method = 'POST';
          path = '/upload?save=1';
          headers = { 'content-type': `multipart/form-data; boundary=${boundary}` };
          body = multipart(
            [
              { name: 'id', data: id },
              { name: 'f', filename: 'data.bin', contentType: 'application/octet-stream', data: Buffer.alloc(FILE_SIZE, c) },
            ],
            { boundary },
          );
          expect = (b) => b === JSON.stringify({ files: [{ name: 'data.bin', size: FILE_SIZE }] });
        }
        counts.sent++;
        try {
          const r = await send(port, method, path, { agent, headers, body, timeoutMs: GRACE_MS + 5000 });
          if (r.status === 200 && expect(r.body)) {
            counts.completed++;
            if (kind === 3) counts.uploadsCompleted++;
          } else {
            counts.failed++;
            failures.push(`${method} ${path} → ${r.status} ${r.body.slice(0, 100)}`);
          }
        } catch (err) {
          const code = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
          if (code === 'ECONNREFUSED') {
            counts.refused++;
            break; // the server is gone for good
          }
          // A request written on a keep-alive socket the server closed under it.
          if (code === 'ECONNRESET' || code === 'socket hang up') counts.reset++;
          else {
            counts.failed++;
            failures.push(`${method} ${path} → ${code}`);
          }
        }
      }
      agent.destroy();
    };

    const clients = Array.from({ length: CLIENTS }, (_, c) => client(c));
    await sleep(500); // load is running
    // Uploads still streaming when SIGTERM lands: accepted, so they must complete.
    const slow = [slowUpload(port, '200-slow', 200, boundary), slowUpload(port, '201-slow', 201, boundary)];
    counts.sent += slow.length;
    await sleep(300);
    const before = counts.completed;
    const sigAt = Date.now();
    app.child.kill('SIGTERM');
    const { outcome: fresh, afterMs: refusedAfter } = await refusedWithin(port, 2000);
    const exit = await app.exited;
    const exitMs = Date.now() - sigAt;
    stop = true;
    await Promise.all(clients);
    for (const r of await Promise.all(slow)) {
      assert.equal(r.status, 200, `an upload in flight at SIGTERM was not completed: ${r.body.slice(0, 100)}`);
      counts.completed++;
      counts.uploadsCompleted++;
    }

    const stats = exit.stats!;
    console.log(
      `# shutdown: sent ${counts.sent}, completed ${counts.completed} (${before} before SIGTERM), refused ${counts.refused}, ` +
        `reset ${counts.reset}, failed ${counts.failed}; server handled ${stats.handled}, answered ${stats.answered}; ` +
        `uploads saved ${stats.uploadsSaved}; exit code ${exit.code} after ${exitMs} ms (grace ${GRACE_MS} ms); fresh connection after SIGTERM: ${fresh} (after ${refusedAfter} ms)`,
    );
    assert.equal(counts.sent, counts.completed + counts.refused + counts.reset + counts.failed, 'every request is accounted for');
    assert.equal(counts.reset, 0, 'a keep-alive request was reset');
    assert.equal(fresh, 'ECONNREFUSED', 'a new connection after SIGTERM was accepted');
    assert.equal(exit.code, 0, `exit code ${exit.code}, signal ${exit.signal}: ${exit.stderr.slice(-500)}`);
    assert.ok(exitMs < GRACE_MS + 5000, `the process took ${exitMs} ms to exit (grace ${GRACE_MS} ms)`);
    assert.deepEqual(failures.slice(0, 10), [], `${failures.length} requests failed`);
    // Every request the server accepted (its handler ran) reached the client complete.
    assert.equal(stats.answered, stats.handled, 'a handler did not finish');
    assert.equal(counts.completed, stats.handled, 'requests handled by the server were not completed at the client');
    assert.ok(counts.completed > before, 'requests completed after SIGTERM (in flight at the time)');
    // Uploads: each saved file is whole; no temporary file is left.
    const saved = filesUnder(saveDir);
    assert.equal(saved.length, stats.uploadsSaved);
    assert.equal(saved.length, counts.uploadsCompleted);
    for (const f of saved) {
      const data = readFileSync(f);
      assert.equal(data.length, FILE_SIZE, `${f} is partial`);
      const c = Number(f.split('/').pop()!.split('-')[0]);
      assert.ok(
        data.every((b) => b === c),
        `${f} has the wrong content`,
      );
    }
    assert.deepEqual(filesUnder(tmp), [], 'temporary upload files left after shutdown');
  } finally {
    if (app.child.exitCode === null) app.child.kill('SIGKILL');
    rmSync(tmp, { recursive: true, force: true });
    rmSync(saveDir, { recursive: true, force: true });
  }
});

test('SIGTERM under keep-alive load of quick requests: no request is reset, every connection ends with Connection: close', async () => {
  // Many connections, each sending its next request the moment the last one ends: at the
  // instant of SIGTERM most are between two requests, with the next one on the wire.
  const app = await startChild('test/faults/fixtures/load-app.ts', { GRACE_MS: String(GRACE_MS), HANDLE_SIGNALS: '1' });
  const port = app.port;
  try {
    const counts = { sent: 0, completed: 0, refused: 0, reset: 0, failed: 0, endedWithClose: 0 };
    const failures: string[] = [];
    let stop = false;
    const client = async (c: number) => {
      const agent = keepAliveAgent(1);
      for (let i = 0; !stop; i++) {
        const path = c % 4 === 0 && i % 3 === 0 ? '/slow?ms=50' : c % 4 === 1 && i % 3 === 0 ? '/stream' : '/';
        counts.sent++;
        try {
          const r = await send(port, 'GET', path, { agent, timeoutMs: GRACE_MS + 5000 });
          if (r.status !== 200) {
            counts.failed++;
            failures.push(`${path} → ${r.status}`);
          } else counts.completed++;
          if (r.headers.connection === 'close') counts.endedWithClose++;
        } catch (err) {
          const code = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
          if (code === 'ECONNREFUSED') {
            counts.refused++;
            break;
          }
          if (code === 'ECONNRESET' || code === 'socket hang up') counts.reset++;
          else {
            counts.failed++;
            failures.push(`${path} → ${code}`);
          }
        }
      }
      agent.destroy();
    };
    const clients = Array.from({ length: 24 }, (_, c) => client(c));
    await sleep(700);
    const sigAt = Date.now();
    app.child.kill('SIGTERM');
    const exit = await app.exited;
    const exitMs = Date.now() - sigAt;
    stop = true;
    await Promise.all(clients);
    console.log(
      `# keep-alive shutdown: sent ${counts.sent}, completed ${counts.completed}, refused ${counts.refused}, reset ${counts.reset}, ` +
        `failed ${counts.failed}, responses with Connection: close ${counts.endedWithClose}; exit code ${exit.code} after ${exitMs} ms (grace ${GRACE_MS} ms)`,
    );
    assert.equal(counts.sent, counts.completed + counts.refused + counts.reset + counts.failed, 'every request is accounted for');
    assert.equal(counts.reset, 0, 'a keep-alive request was reset');
    assert.deepEqual(failures.slice(0, 10), [], `${failures.length} requests failed`);
    assert.equal(exit.code, 0, `exit code ${exit.code}, signal ${exit.signal}: ${exit.stderr.slice(-500)}`);
    // No reset above means nothing was left for the grace period to cut; this bounds the wait.
    assert.ok(exitMs < GRACE_MS + 5000, `the process took ${exitMs} ms to exit (grace ${GRACE_MS} ms)`);
    assert.equal(counts.completed, exit.stats!.handled, 'requests handled by the server were not completed at the client');
    // Each connection's last answer told its client to close it.
    assert.ok(counts.endedWithClose >= 24, `only ${counts.endedWithClose} responses said Connection: close`);
  } finally {
    if (app.child.exitCode === null) app.child.kill('SIGKILL');
  }
});
