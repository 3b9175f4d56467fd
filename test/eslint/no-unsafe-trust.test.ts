// palisade/no-unsafe-trust through ESLint's RuleTester, and the plugin through a real
// ESLint run with the recommended flat config (the way users load it).
import { describe, it, test } from 'node:test';
import assert from 'node:assert/strict';
import { ESLint, RuleTester, type Rule } from 'eslint';
import palisade, { noUnsafeTrust } from '../../src/eslint/index.js';

RuleTester.describe = describe;
RuleTester.it = it;
RuleTester.itOnly = it.only;

const tester = new RuleTester({ languageOptions: { ecmaVersion: 'latest', sourceType: 'module' } });
const rule = noUnsafeTrust as unknown as Rule.RuleModule;
const err = (call: string) => ({ messageId: 'nonLiteral', data: { call } });

tester.run('no-unsafe-trust', rule, {
  valid: [
    "Markup.unsafeTrust('<b>fixed</b>')",
    'Markup.unsafeTrust("<hr>")',
    'Markup.unsafeTrust(`<p>static</p>`)',
    "Markup.unsafeTrust('<b>' + 'x' + `</b>`)",
    "SafeURL.unsafeTrust('tel:+123')",
    "SafeScript.unsafeTrust('init()')",
    "SafeStyle.unsafeTrust('color: red')",
    "Response.unsafeHTML('<!doctype html><p>ok</p>')",
    'html`<p>${name}</p>`',
    'Markup.unsafeTrust()',
    'other.unsafeTrust(x)',
    'Markup.trust(x)',
    'Response.html(page)',
  ],
  invalid: [
    { code: 'Markup.unsafeTrust(req.query.get("q"))', errors: [err('Markup.unsafeTrust')] },
    { code: 'Markup.unsafeTrust(`<p>${name}</p>`)', errors: [err('Markup.unsafeTrust')] },
    { code: "Markup.unsafeTrust('<p>' + name + '</p>')", errors: [err('Markup.unsafeTrust')] },
    { code: "Markup['unsafeTrust'](s)", errors: [err('Markup.unsafeTrust')] },
    { code: 'SafeURL.unsafeTrust(url)', errors: [err('SafeURL.unsafeTrust')] },
    { code: 'SafeScript.unsafeTrust(js)', errors: [err('SafeScript.unsafeTrust')] },
    { code: 'SafeStyle.unsafeTrust(css)', errors: [err('SafeStyle.unsafeTrust')] },
    { code: 'Response.unsafeHTML(body)', errors: [err('Response.unsafeHTML')] },
    { code: 'Response.unsafeHTML(...parts)', errors: [err('Response.unsafeHTML')] },
    { code: 'Markup.unsafeTrust(String(x))', errors: [{ messageId: 'nonLiteral', line: 1, column: 20 }] },
  ],
});

test('the recommended flat config reports through ESLint', async () => {
  const eslint = new ESLint({ overrideConfigFile: true, overrideConfig: [palisade.configs.recommended as never] });
  const [r] = await eslint.lintText("Markup.unsafeTrust(q);\nMarkup.unsafeTrust('<b>ok</b>');\n");
  assert.equal(r!.messages.length, 1);
  assert.equal(r!.messages[0]!.ruleId, 'palisade/no-unsafe-trust');
  assert.equal(r!.messages[0]!.line, 1);
  assert.match(r!.messages[0]!.message, /Markup\.unsafeTrust\(\) writes its argument verbatim/);
});
