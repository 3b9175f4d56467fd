// Every regular expression in src/ is checked for super-linear backtracking by
// eslint-plugin-regexp (no-super-linear-backtracking, no-super-linear-move), so a regex that
// one crafted header or body can keep busy for seconds cannot land. This is the project's
// one static regex check (the fuzzers look for the same thing at run time).
//
// The sources are TypeScript; sucrase strips the types keeping every line where it was (and
// every comment, so an inline `eslint-disable-next-line regexp/...` exemption still applies),
// and ESLint's own parser reads the result. An exemption must say, next to the regex, the
// bound that makes it safe (the input's length is capped before the match, for instance);
// one that no longer silences anything fails the check too.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { Linter } from 'eslint';
import regexp from 'eslint-plugin-regexp';
import { transform } from 'sucrase';

const SRC = new URL('../src/', import.meta.url).pathname;

/** The rules and their settings, shared with the test that shows they catch a bad regex. */
export const REGEX_RULES = {
  // Within one match: two quantifiers that can trade characters (`\s*\s*`), or one that
  // can reach itself (`(a+)+`). 'potential' also reports what needs a rejecting suffix.
  'regexp/no-super-linear-backtracking': ['error', { report: 'potential' }],
  // Across the input: a search (exec, test, replace) retried at every position from a
  // quantifier that can start anywhere (`/\s+$/` on a run of spaces).
  'regexp/no-super-linear-move': ['error', { report: 'potential', ignoreSticky: false, ignorePartial: false }],
} as const;

function tsFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...tsFiles(p));
    else if (name.endsWith('.ts')) out.push(p);
  }
  return out;
}

/** Lints one TypeScript source for the regex rules; returns `file:line:col rule: message` lines. */
export function lintRegexps(code: string, file: string): string[] {
  const js = transform(code, { transforms: ['typescript'], disableESTransforms: true, keepUnusedImports: true, filePath: file }).code;
  const linter = new Linter({ configType: 'flat' });
  const messages = linter.verify(
    js,
    [
      {
        files: ['**/*.js'],
        languageOptions: { ecmaVersion: 'latest', sourceType: 'module' },
        linterOptions: { reportUnusedDisableDirectives: 'error' },
        plugins: { regexp: regexp as never },
        rules: REGEX_RULES as never,
      },
    ],
    { filename: file.replace(/\.ts$/, '.js') },
  );
  const lines = code.split('\n');
  // Directives for the project's other lint rules are not this check's business.
  const ours = messages.filter((m) => m.fatal === true || m.ruleId?.startsWith('regexp/') === true || (m.ruleId === null && m.message.includes("'regexp/")));
  return ours.map((m) => `${file}:${m.line}:${m.column} ${m.ruleId ?? 'parse'}: ${m.message}\n    ${(lines[m.line - 1] ?? '').trim()}`);
}

test('no regular expression in src/ can backtrack super-linearly', () => {
  const problems: string[] = [];
  const files = tsFiles(SRC);
  assert.ok(files.length > 50, `found only ${files.length} source files under ${SRC}`);
  for (const f of files) problems.push(...lintRegexps(readFileSync(f, 'utf8'), relative(process.cwd(), f)));
  assert.deepEqual(problems, [], `\n${problems.join('\n')}\n`);
});

test('control: the check flags a backtracking regex, a quadratic search and a stale exemption', () => {
  const bad = [
    'export const range = (h: string) => /^\\s*bytes\\s*=\\s*(\\d*)\\s*-\\s*(\\d*)\\s*$/i.exec(h);',
    "export const trim = (s: string): string => s.replace(/\\s+$/, '');",
    '// eslint-disable-next-line regexp/no-super-linear-move -- nothing here to exempt',
    'export const ok = (s: string): boolean => /^a$/.test(s);',
  ].join('\n');
  const found = lintRegexps(bad, 'control.ts');
  assert.ok(
    found.some((m) => m.startsWith('control.ts:1:') && m.includes('regexp/no-super-linear-backtracking')),
    found.join('\n'),
  );
  assert.ok(
    found.some((m) => m.startsWith('control.ts:2:') && m.includes('regexp/no-super-linear-move')),
    found.join('\n'),
  );
  assert.ok(
    found.some((m) => m.startsWith('control.ts:3:') && /unused eslint-disable/i.test(m)),
    found.join('\n'),
  );
});
