// File names that say how files differ (docs/architecture.md#file-names): no two files of
// one folder whose names differ only by a plural (field.ts and fields.ts, routes.ts and
// router.ts once), and one file called protection.ts, the core's contract; a file that
// builds one protection is named for its factory.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const SRC = fileURLToPath(new URL('../../src', import.meta.url));

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? sources(p) : p.endsWith('.ts') ? [p] : [];
  });
}

const files = sources(SRC).map((f) => relative(SRC, f).split('\\').join('/'));

/** A name with the endings that make near-twins taken off: a plural, -er, -api. */
export function stem(file: string): string {
  return basename(file, '.ts')
    .replace(/-api$/, '')
    .replace(/(?:es|er|s)$/, '');
}

test('no two files of a folder differ only by a plural or an ending', () => {
  assert.equal(stem('fields-api.ts'), stem('field.ts'));
  assert.equal(stem('router.ts'), stem('routes.ts'));
  const seen = new Map<string, string>();
  const twins: string[] = [];
  for (const f of files) {
    const key = `${dirname(f)}/${stem(f)}`;
    const other = seen.get(key);
    if (other !== undefined) twins.push(`${other} and ${f}`);
    else seen.set(key, f);
  }
  assert.deepEqual(twins, []);
});

test("protection.ts is the core's contract alone; a protection's own file is named for its factory", () => {
  assert.deepEqual(
    files.filter((f) => basename(f) === 'protection.ts'),
    ['app/protection.ts'],
  );
  for (const f of files.filter((x) => x.endsWith('-protection.ts'))) {
    const factory = basename(f, '.ts').replace(/-(\w)/g, (_, c: string) => c.toUpperCase());
    assert.match(readFileSync(join(SRC, f), 'utf8'), new RegExp(`export function ${factory}\\(`), f);
  }
});
