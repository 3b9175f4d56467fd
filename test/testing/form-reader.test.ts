// The test client's form reader: what a browser would submit from each form (HTML Living
// Standard §4.10.21.4, constructing the entry list), one row per rule.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildSubmission } from '../../src/testing/submit.js';

const PAGE = new URL('http://localhost/page?x=1');
const entries = (html: string, fields?: Record<string, string | boolean | string[]>) =>
  buildSubmission(html, PAGE, { fields, keepCsrfField: true }).entries.map(([k, v]) => `${k}=${typeof v === 'string' ? v : `file:${v.name}`}`);

const CASES: [name: string, html: string, expected: string[]][] = [
  [
    'unquoted, single-quoted and entity-coded values',
    `<form><input name=a value=1><input name='b' value='x&amp;y'><input name="c" value="&lt;&#39;&quot;"></form>`,
    ['a=1', 'b=x&y', `c=<'"`],
  ],
  ['upper-case tags and attributes', `<FORM><INPUT NAME="A" VALUE="1"><INPUT TYPE=CHECKBOX NAME=b CHECKED></FORM>`, ['A=1', 'b=on']],
  [
    'unchecked boxes, nameless and disabled controls are left out',
    `<form><input type=checkbox name=a><input value=x><input name=d disabled value=1><input type=radio name=r value=1><input type=radio name=r value=2 checked></form>`,
    ['r=2'],
  ],
  ['a disabled fieldset disables its controls', `<form><fieldset disabled><input name=a value=1></fieldset><input name=b value=2></form>`, ['b=2']],
  [
    'textarea: one leading newline dropped, references decoded, tags are text',
    `<form><textarea name=t>\n\nline &amp; <b>bold</b></textarea></form>`,
    ['t=\nline & <b>bold</b>'],
  ],
  [
    'select: the selected option, else the first; text when no value',
    `<form><select name=a><option>one</option><option selected> two  three </option></select><select name=b><option value=x>X<option value=y>Y</select></form>`,
    ['a=two three', 'b=x'],
  ],
  [
    'multiple select: every selected option, none when none',
    `<form><select name=m multiple><option selected>1<option>2<option selected>3</select><select name=n multiple><option>1</select></form>`,
    ['m=1', 'm=3'],
  ],
  [
    'buttons: only the submitter (the first) is sent',
    `<form><input name=q value=v><button name=go value=a>A</button><input type=submit name=go value=b><button type=button name=no>x</button></form>`,
    ['q=v', 'go=a'],
  ],
  [
    'a form in a form is ignored; controls after it stay in the outer form',
    `<form action="/one"><input name=a value=1><form action="/two"><input name=b value=2></form><input name=c value=3></form>`,
    ['a=1', 'b=2'],
  ],
  [
    'comments, scripts and styles hide what looks like controls',
    `<form><!-- <input name=x value=1> --><script>"<input name=y>"</script><style>/* <input name=z> */</style><input name=a value=1></form>`,
    ['a=1'],
  ],
  ['an empty file input sends an empty file', `<form method=post enctype=multipart/form-data><input type=file name=f></form>`, ['f=file:']],
];

for (const [name, html, expected] of CASES) {
  test(`form reader: ${name}`, () => {
    assert.deepEqual(entries(html), expected);
  });
}

test("form reader: typed values replace the page's, checkboxes tick by value or boolean", () => {
  const html = `<form><input name=a value=1><input type=checkbox name=c value=x><input type=checkbox name=c value=y checked><input type=radio name=r value=p><input type=radio name=r value=q checked></form>`;
  assert.deepEqual(entries(html, { a: '2', c: ['x'], r: 'p' }), ['a=2', 'c=x', 'r=p']);
  assert.deepEqual(entries(html, { c: true }), ['a=1', 'c=x', 'c=y', 'r=q']);
  assert.deepEqual(entries(html, { c: false }), ['a=1', 'r=q']);
  assert.throws(() => entries(html, { c: 'z' }), /"c" offers "x", "y", not "z"/);
  assert.throws(() => entries(html, { r: ['p', 'q'] }), /only one radio button "r"/);
  assert.throws(() => entries(html, { a: true }), /"a" is not a checkbox/);
});

test('form reader: method, action and encoding come from the form or the pressed button', () => {
  const html = `<form action="other?y=2"><input name=a value=1><button formaction="/alt" formmethod="post" name=b value=v>B</button><button name=c>C</button></form>`;
  const get = buildSubmission(html, PAGE, { keepCsrfField: true, button: 'c' });
  assert.equal(get.method, 'GET');
  assert.equal(get.url, '/other'); // a GET submission replaces the action's query
  const post = buildSubmission(html, PAGE, { keepCsrfField: true, button: 'b' });
  assert.deepEqual([post.method, post.url, post.encoding], ['POST', '/alt', 'application/x-www-form-urlencoded']);
  const none = buildSubmission('<form method=post><input name=a></form>', PAGE, { keepCsrfField: true });
  assert.equal(none.url, '/page?x=1'); // no action: the page's own URL
  assert.throws(() => buildSubmission('<form action="https://evil.example/x"></form>', PAGE, { keepCsrfField: true }), /another site/);
  assert.throws(() => buildSubmission('<p>no form</p>', PAGE, { keepCsrfField: true }), /has no <form>/);
});
