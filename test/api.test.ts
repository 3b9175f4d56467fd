// The public API equals its reference: every name an entry point exports is listed in
// docs/api.md under that entry with the right kind, every name listed there is exported,
// and each name is exported once. A new export fails here until it is documented; an
// internal one should not be exported at all.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

const ENTRIES = { palisade: 'src/index.ts', 'palisade/testing': 'src/testing/index.ts', 'palisade/eslint': 'src/eslint/index.ts' } as const;
type Entry = keyof typeof ENTRIES;

/** Names an entry file exports, with how many times each appears (export lists, declarations, default). */
function exported(file: string): Map<string, number> {
  const src = readFileSync(file, 'utf8');
  const out = new Map<string, number>();
  const add = (n: string): void => void out.set(n, (out.get(n) ?? 0) + 1);
  for (const m of src.matchAll(/^export\s+(?:type\s+)?\{([^}]*)\}/gm)) {
    for (const part of m[1]!.split(',')) {
      const name = part
        .trim()
        .replace(/^type\s+/, '')
        .split(/\s+as\s+/)
        .pop()!
        .trim();
      if (name !== '') add(name);
    }
  }
  for (const m of src.matchAll(/^export\s+(?:declare\s+)?(?:async\s+)?(?:function\*?|class|const|let|interface|type|enum)\s+([A-Za-z_$][\w$]*)/gm)) add(m[1]!);
  if (/^export\s+default\b/m.test(src)) add('default');
  assert.doesNotMatch(src, /^export\s+\*/m, `${file}: a wildcard re-export would publish names nobody listed`);
  return out;
}

/** The reference: for each entry's section of docs/api.md, name → kind. */
function reference(): Map<Entry, Map<string, string>> {
  const text = readFileSync('docs/api.md', 'utf8');
  const out = new Map<Entry, Map<string, string>>();
  for (const section of text.split(/^## /m).slice(1)) {
    const entry = section.slice(0, section.indexOf('\n')).trim() as Entry;
    assert.ok(entry in ENTRIES, `docs/api.md has a section for "${entry}", which is not an entry point`);
    const names = new Map<string, string>();
    for (const m of section.matchAll(/^\| `([\w$]+)` \| (value|type) \|/gm)) {
      assert.ok(!names.has(m[1]!), `docs/api.md lists ${m[1]} twice under ${entry}`);
      names.set(m[1]!, m[2]!);
    }
    out.set(entry, names);
  }
  return out;
}

test('docs/api.md lists exactly what each entry point exports, each name once, with its kind', async () => {
  const ref = reference();
  for (const entry of Object.keys(ENTRIES) as Entry[]) {
    const file = ENTRIES[entry];
    const names = exported(file);
    const listed = ref.get(entry);
    assert.ok(listed !== undefined, `docs/api.md has no section for ${entry}`);
    const twice = [...names].filter(([, n]) => n > 1).map(([k]) => k);
    assert.deepEqual(twice, [], `${file} exports these more than once`);
    const undocumented = [...names.keys()].filter((n) => !listed.has(n));
    const stale = [...listed.keys()].filter((n) => !names.has(n));
    assert.deepEqual(undocumented, [], `${entry} exports names docs/api.md does not list`);
    assert.deepEqual(stale, [], `docs/api.md lists names ${entry} does not export`);
    // The kind: a value is there at run time, a type is not.
    const mod = (await import(`../${file.replace(/\.ts$/, '.js')}`)) as Record<string, unknown>;
    for (const [name, kind] of listed) {
      assert.equal(name in mod ? 'value' : 'type', kind, `docs/api.md says ${entry}'s ${name} is a ${kind}`);
    }
    for (const name of Object.keys(mod)) assert.ok(listed.has(name), `${entry} has ${name} at run time but docs/api.md does not list it`);
  }
});

test('the test client is exported once, from palisade/testing; internals are not exported at all', async () => {
  const main = exported(ENTRIES.palisade);
  const testing = exported(ENTRIES['palisade/testing']);
  for (const n of ['TestClient', 'TestResponse', 'TestClientOptions']) {
    assert.equal(main.has(n), false, `palisade exports ${n}; it belongs to palisade/testing`);
    assert.equal(testing.get(n), 1);
  }
  for (const n of [
    'runInScope',
    'currentScope',
    'bindScope',
    'iterateInScope',
    'AppBase',
    'Dispatcher',
    'sessionInternals',
    'RequestInternals',
    'Protection',
  ]) {
    assert.equal(main.has(n), false, `palisade exports the internal ${n}`);
  }
});

test("internals are behind registered symbols, not on the app's or the request's public names", async () => {
  const { createApp } = await import('../src/index.js');
  const app = createApp({ env: 'test' });
  let seen: object | undefined;
  app.get('/', (req) => {
    seen = req;
    return 'ok';
  });
  await app.test().get('/');
  for (const name of [
    'respond',
    'createRequest',
    'upgrade',
    'handle',
    'protections',
    'fixSetup',
    'declarations',
    'routeDecls',
    'beforeHooks',
    'afterHooks',
    'errorHandlers',
  ]) {
    assert.equal(name in app, false, `app.${name} is public`);
  }
  assert.equal('internals' in seen!, false, 'req.internals is public');
  for (const key of ['palisade.respond', 'palisade.createRequest', 'palisade.protections'])
    assert.equal(typeof (app as unknown as Record<symbol, unknown>)[Symbol.for(key)] !== 'undefined', true, key);
});
