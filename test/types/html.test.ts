// Compile-time checks of the html tag's and the ESLint plugin's public types (run by
// `npm run typecheck`); the runtime test only keeps node:test from reporting an empty file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { html, Markup } from '../../src/index.js';
import palisade, { type RuleModule } from '../../src/eslint/index.js';

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
const expect = <T extends true>(_: T): void => {};

expect<Equal<ReturnType<typeof html>, Markup>>(true);
expect<Equal<(typeof palisade.rules)['no-unsafe-trust'], RuleModule>>(true);
expect<Equal<(typeof palisade.configs.recommended.rules)['palisade/no-unsafe-trust'], 'error'>>(true);

test('html is a tag, not a function of a string', () => {
  const name = 'x';
  const m: Markup = html`<p>${name}</p>`;
  // @ts-expect-error: a string is not a template strings array
  assert.throws(() => html('<p>x</p>'), TypeError);
  // @ts-expect-error: nor is an array
  assert.throws(() => html(['<p>x</p>']), TypeError);
  assert.equal(m.toString(), '<p>x</p>');
});
