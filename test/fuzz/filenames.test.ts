// Fuzz: secureFilename (src/files/secure-filename.ts) and safeJoin (src/files/safe-join.ts).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, isAbsolute, sep } from 'node:path';
import fc from 'fast-check';
import { HttpError } from '../../src/errors.js';
import { secureFilename } from '../../src/files/secure-filename.js';
import { safeJoin, checkParts } from '../../src/files/safe-join.js';
import { anyString, check, piecesOf } from './fuzz-options.js';

const RESERVED = /^(con|prn|aux|nul|com[1-9]|lpt[1-9]|conin\$|conout\$|clock\$)$/i;
const DEVICES = ['CON', 'con', 'PRN', 'AUX', 'NUL', 'nul', 'COM1', 'com9', 'LPT1', 'lpt5', 'ｃｏｎ', 'ＣＯＭ１', 'CONIN$', 'clock$'];
const NAME_PIECES = [
  '..',
  '.',
  '/',
  '\\',
  ' ',
  '\t',
  '\0',
  '_',
  '-',
  'a',
  'b',
  'Z',
  '9',
  '.txt',
  '.tar.gz',
  '.abcdefghijklmnop',
  '.x',
  '．',
  '／',
  '＼',
  '..／',
  'é',
  'ß',
  '文件',
  '\u{1F600}',
  '\u202e',
  '\u200b',
  '%2e',
  '%2f',
  ':',
  '*',
  '?',
  '"',
  '<',
  '>',
  '|',
  '~',
  '$',
  ...DEVICES,
];

/** Names likely to break the rules: devices, dots, separators, long runs, non-ASCII. */
const hostileName = fc.oneof(
  anyString(60),
  piecesOf(NAME_PIECES, 30),
  // A device name, a run of filler that truncation or stripping may remove, and an extension.
  fc
    .tuple(
      fc.constantFrom(...DEVICES),
      fc.constantFrom('_', '.', ' ', '-', 'x', '__', '._'),
      fc.integer({ min: 0, max: 200 }),
      fc.string({ unit: fc.constantFrom('a', 'b', '.', '_'), maxLength: 4 }),
      fc.constantFrom('', '.txt', '.abcdefghijklmnop', '.abcdefghijk', '.a'),
    )
    .map(([dev, fill, n, mid, ext]) => dev + fill.repeat(n) + mid + ext),
);
const maxLength = fc.oneof(fc.constant(undefined), fc.integer({ min: 16, max: 64 }), fc.constant(128));

function assertSafe(out: string, input: string, max: number): void {
  const where = `secureFilename(${JSON.stringify(input)}, ${max}) = ${JSON.stringify(out)}`;
  assert.notEqual(out, '', `empty: ${where}`);
  assert.doesNotMatch(out, /[/\\\0]/, `separator or NUL: ${where}`);
  assert.ok(!out.startsWith('.'), `starts with a dot: ${where}`);
  assert.match(out, /^[A-Za-z0-9_.-]+$/, `unsafe character: ${where}`);
  assert.ok(!out.endsWith('.') && !out.endsWith(' '), `trailing dot or space: ${where}`);
  assert.doesNotMatch(out.split('.', 1)[0]!, RESERVED, `Windows device name: ${where}`);
  assert.ok(out.length <= max, `longer than ${max}: ${where}`);
}

test('secureFilename: never empty, no separator or NUL, no leading dot, no device name, within maxLength', () => {
  check(
    fc.property(hostileName, maxLength, (name, max) => {
      const out = secureFilename(name, max === undefined ? {} : { maxLength: max });
      assertSafe(out, name, max ?? 128);
    }),
    { scale: 10 },
  );
});

test('secureFilename is idempotent: a name it returned comes back unchanged', () => {
  check(
    fc.property(hostileName, maxLength, (name, max) => {
      const opts = max === undefined ? {} : { maxLength: max };
      const out = secureFilename(name, opts);
      assert.equal(secureFilename(out, opts), out, `secureFilename(${JSON.stringify(name)}) = ${JSON.stringify(out)}, which changes again`);
    }),
    { scale: 10 },
  );
});

test('secureFilename: the known hard cases', () => {
  // Truncation that leaves a bare device name as the stem.
  const hard = [
    ['COM1' + '_'.repeat(107) + 'x.abcdefghijklmnop', 128],
    ['COM1' + 'x'.repeat(20) + '.abcdefghijk', 16],
    ['文件.abcdefghijklmnop', 16],
    ['../../etc/passwd', 128],
    ['．．／．．／etc', 128],
    ['CON', 128],
    ['nul.', 128],
  ] as const;
  for (const [name, max] of hard) assertSafe(secureFilename(name, { maxLength: max }), name, max);
});

// ---- safeJoin ---------------------------------------------------------------------------

const root = realpathSync(mkdtempSync(join(tmpdir(), 'palisade-fuzz-join-')));
const base = join(root, 'base');
const outside = join(root, 'outside');
mkdirSync(join(base, 'sub', 'deeper'), { recursive: true });
mkdirSync(outside);
writeFileSync(join(base, 'file.txt'), 'x');
writeFileSync(join(outside, 'secret.txt'), 's');
symlinkSync(outside, join(base, 'out-link')); // leads out
symlinkSync(join(base, 'sub'), join(base, 'in-link')); // stays inside
symlinkSync(join(root, 'missing'), join(base, 'dangling')); // dangling
after(() => rmSync(root, { recursive: true, force: true }));

const SEGMENTS = [
  'a',
  'b',
  'sub',
  'deeper',
  'file.txt',
  'out-link',
  'in-link',
  'dangling',
  'secret.txt',
  '..',
  '.',
  '',
  '/',
  '//',
  '\\',
  '\0',
  '%2e',
  '%2E%2e',
  '%2f',
  '%5c',
  '%00',
  'C:',
  'c:\\',
  '~',
  '...',
  '. .',
  '..%2f',
  '%252e',
  'é',
  '\u{1F600}',
  ' ',
];
const part = fc.oneof(
  fc.array(fc.constantFrom(...SEGMENTS), { maxLength: 6 }).map((a) => a.join('/')),
  piecesOf(SEGMENTS, 8),
  anyString(20),
);

function insideBase(p: string): boolean {
  const rel = relative(base, p);
  return p === base || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
}

test('safeJoin: the result is always inside the base, or it throws UPLOAD_UNSAFE_PATH (404)', async () => {
  await check(
    fc.asyncProperty(fc.array(part, { minLength: 1, maxLength: 3 }), async (parts) => {
      let result: string | undefined;
      try {
        result = await safeJoin(base, ...parts);
      } catch (err) {
        assert.ok(err instanceof HttpError, `safeJoin(${JSON.stringify(parts)}) threw ${String(err)}`);
        assert.equal(err.code, 'UPLOAD_UNSAFE_PATH');
        assert.equal(err.status, 404);
        return;
      }
      assert.ok(insideBase(result), `safeJoin(${JSON.stringify(parts)}) = ${result} is outside ${base}`);
      assert.ok(!result.startsWith(outside), `reached the outside folder: ${result}`);
      // The pure half agrees: parts it accepts contain no '..' segment.
      for (const seg of checkParts(parts)) assert.notEqual(seg, '..');
    }),
    { scale: 2 },
  );
});

test('safeJoin: refuses every way out that the fixture offers', async () => {
  for (const parts of [['..'], ['out-link', 'secret.txt'], ['out-link'], ['dangling'], ['sub/../..'], ['%2e%2e'], ['/etc/passwd'], ['a\\..\\..'], ['a\0b']]) {
    await assert.rejects(safeJoin(base, ...parts), (e: unknown) => e instanceof HttpError && e.code === 'UPLOAD_UNSAFE_PATH', JSON.stringify(parts));
  }
  assert.equal(await safeJoin(base, 'in-link', 'deeper'), join(base, 'sub', 'deeper'));
});
