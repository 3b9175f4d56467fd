// safeJoin: hostile parts are refused with UPLOAD_UNSAFE_PATH (404); ordinary ones resolve
// inside the base, symbolic links included.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HttpError } from '../../src/errors.js';
import { safeJoin } from '../../src/files/safe-join.js';

const root = realpathSync(mkdtempSync(join(tmpdir(), 'palisade-join-')));
const base = join(root, 'base');
mkdirSync(join(base, 'img'), { recursive: true });
mkdirSync(join(root, 'outside'));
writeFileSync(join(base, 'img', 'cat.png'), 'png');
writeFileSync(join(root, 'outside', 'secret.txt'), 'secret');
symlinkSync(join(root, 'outside'), join(base, 'escape')); // a link that leads out
symlinkSync(join(root, 'outside', 'secret.txt'), join(base, 'secret-link.txt'));
symlinkSync(join(base, 'img'), join(base, 'pictures')); // a link that stays inside
symlinkSync(join(root, 'nowhere'), join(base, 'dangling'));
after(() => rmSync(root, { recursive: true, force: true }));

const REFUSED: [name: string, parts: string[]][] = [
  ['parent directory', ['..']],
  ['parent inside a part', ['img/../../outside/secret.txt']],
  ['parent even if it would stay inside', ['img/../img/cat.png']],
  ['absolute part', ['/etc/passwd']],
  ['absolute second part', ['img', '/etc/passwd']],
  ['backslash traversal', ['..\\outside\\secret.txt']],
  ['backslash anywhere', ['img\\cat.png']],
  ['windows drive', ['C:\\Windows']],
  ['windows drive without slash', ['c:secret']],
  ['encoded slash', ['..%2foutside%2fsecret.txt']],
  ['encoded backslash', ['..%5Csecret']],
  ['encoded dots', ['%2e%2e', 'outside']],
  ['encoded NUL', ['cat.png%00.txt']],
  ['NUL byte', ['cat.png\0.txt']],
  ['symlink leading out (directory)', ['escape', 'secret.txt']],
  ['symlink leading out (file)', ['secret-link.txt']],
  ['dangling symlink', ['dangling']],
  ['new file below a link that leads out', ['escape', 'new.txt']],
];

for (const [name, parts] of REFUSED) {
  test(`safeJoin refuses: ${name}`, async () => {
    await assert.rejects(safeJoin(base, ...parts), (e: unknown) => {
      assert.ok(e instanceof HttpError);
      assert.equal(e.code, 'UPLOAD_UNSAFE_PATH');
      assert.equal(e.status, 404);
      return true;
    });
  });
}

const ALLOWED: [name: string, parts: string[], expected: string][] = [
  ['a file', ['img', 'cat.png'], 'img/cat.png'],
  ['slashes inside a part', ['img/cat.png'], 'img/cat.png'],
  ['dot segments and doubled slashes', ['./img//cat.png'], 'img/cat.png'],
  ['a file that does not exist yet', ['img', 'new.png'], 'img/new.png'],
  ['a directory that does not exist yet', ['new-dir', 'x.png'], 'new-dir/x.png'],
  ['a link that stays inside, resolved', ['pictures', 'cat.png'], 'img/cat.png'],
  ['Unicode names are fine (they are not separators)', ['img', 'café.png'], 'img/café.png'],
  ['dots inside a name', ['img', 'a..b.png'], 'img/a..b.png'],
  ['no parts: the base itself', [], ''],
  ['a name too long for the file system (it cannot exist)', [' '.repeat(254) + '..'], ' '.repeat(254) + '..'],
  ['a directory name too long for the file system', ['a'.repeat(300), 'x.png'], 'a'.repeat(300) + '/x.png'],
];

for (const [name, parts, expected] of ALLOWED) {
  test(`safeJoin allows: ${name}`, async () => {
    assert.equal(await safeJoin(base, ...parts), expected === '' ? base : join(base, expected));
  });
}

test('safeJoin: a base that does not exist is a programming error, not a 404', async () => {
  await assert.rejects(safeJoin(join(root, 'missing-base'), 'a'), TypeError);
});

test('safeJoin: the base itself may be reached through a symlink', async () => {
  const linkToBase = join(root, 'base-link');
  symlinkSync(base, linkToBase);
  assert.equal(await safeJoin(linkToBase, 'img', 'cat.png'), join(base, 'img', 'cat.png'));
});
