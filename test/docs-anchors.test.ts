// Every link to a section of the docs leads somewhere: a `docs/page.md#section` named in a
// source comment or an error message, and a `page.md#section` link between docs pages,
// must name a page that exists and a heading on it. Anchors are made from headings as
// GitHub makes them: the heading's text (a link inside counts by its text) in lower case,
// punctuation dropped, spaces as hyphens, a repeated heading numbered.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

function walk(dir: string, ext: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? walk(p, ext) : n.endsWith(ext) ? [p] : [];
  });
}

/** GitHub's anchor for a heading's text. */
export function slug(heading: string): string {
  return heading
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/`/g, '')
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

const anchorsOf = new Map<string, Set<string>>();
function anchors(file: string): Set<string> {
  let set = anchorsOf.get(file);
  if (set !== undefined) return set;
  set = new Set();
  const seen = new Map<string, number>();
  let fence = false;
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (line.startsWith('```')) fence = !fence;
    const m = fence ? null : /^#{1,6}\s+(.*)$/.exec(line);
    if (m === null) continue;
    const s = slug(m[1]!);
    const n = seen.get(s) ?? 0;
    seen.set(s, n + 1);
    set.add(n === 0 ? s : `${s}-${n}`);
  }
  anchorsOf.set(file, set);
  return set;
}

test('the anchor of a heading is the one GitHub gives it', () => {
  assert.equal(slug('Names and `urlFor`'), 'names-and-urlfor');
  assert.equal(slug('Compression ([deployment](deployment.md#compression))'), 'compression-deployment');
  assert.equal(slug('CSP nonces and CSRF fields'), 'csp-nonces-and-csrf-fields');
});

test('every docs/page.md(#section) named in src/ and every page.md(#section) link in docs/ leads to a page and a heading', () => {
  const broken: string[] = [];
  const sources = [...walk('src', '.ts'), ...walk('docs', '.md'), 'README.md'];
  for (const file of sources) {
    const text = readFileSync(file, 'utf8');
    const links = file.endsWith('.md') ? text.matchAll(/\]\(([\w./-]*\.md)?(?:#([\w-]+))?\)/g) : text.matchAll(/(docs\/[\w./-]+\.md)(?:#([\w-]+))?/g);
    for (const m of links) {
      if (m[1] === undefined && m[2] === undefined) continue;
      const page = file.endsWith('.md') ? (m[1] === undefined ? resolve(file) : resolve(dirname(file), m[1])) : resolve(m[1]!);
      if (!existsSync(page)) broken.push(`${file}: ${m[0]} (no such page)`);
      else if (m[2] !== undefined && !anchors(page).has(m[2])) broken.push(`${file}: ${m[0]}`);
    }
  }
  assert.deepEqual(broken, []);
});
