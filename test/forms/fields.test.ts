// Each built-in field with valid, invalid and hostile input, as tables: what was sent
// under the field's name, and the value or the message that must come out.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fields as f, type Field } from '../../src/index.js';

type Row = [label: string, sent: string[], expect: { value: unknown } | { error: RegExp }];

async function run(field: Field<unknown>, rows: Row[]): Promise<void> {
  for (const [label, sent, expect] of rows) {
    const r = await field.validate({ values: sent, files: [] });
    if ('value' in expect) {
      assert.ok(r.ok, `${label}: expected a value, got ${JSON.stringify(r)}`);
      assert.deepEqual(r.value, expect.value, label);
    } else {
      assert.ok(!r.ok, `${label}: expected an error, got ${JSON.stringify(r)}`);
      assert.match(r.errors.join(' | '), expect.error, label);
    }
  }
}

const REQUIRED = /This field is required/;

test('string: trim, length, pattern, required; hostile input', async () => {
  await run(f.string({ minLength: 2, maxLength: 5 }), [
    ['plain', ['abc'], { value: 'abc' }],
    ['trimmed', ['  abc \t'], { value: 'abc' }],
    ['missing', [], { error: REQUIRED }],
    ['empty', [''], { error: REQUIRED }],
    ['blank', ['   '], { error: REQUIRED }],
    ['too long', ['abcdef'], { error: /at most 5 characters \(you entered 6\)/ }],
    ['too short', ['a'], { error: /at least 2/ }],
    ['two values', ['ab', 'cd'], { error: /one value/ }],
    ['NUL byte', ['a\u0000b'], { error: /not allowed/ }],
    ['escape char', ['a\u001bb'], { error: /not allowed/ }],
    ['markup is data', ['<b>'], { value: '<b>' }],
    ['CRLF counts once', ['a\r\nb\r\nc'], { value: 'a\nb\nc' }],
    ['astral stays whole', ['😀😀'], { value: '😀😀' }],
  ]);
  await run(f.string({ pattern: /[a-z0-9-]+/ }), [
    ['slug', ['my-note-1'], { value: 'my-note-1' }],
    ['pattern is whole-value', ['my note'], { error: /requested format/ }],
    ['no partial match', ['ok<script>'], { error: /requested format/ }],
  ]);
  await run(f.string({ pattern: 'a|b' }), [
    ['alternation anchored as a whole', ['ab'], { error: /requested format/ }],
    ['one alternative', ['b'], { value: 'b' }],
  ]);
  await run(f.string({ widget: 'password' }), [['password keeps spaces', ['  pw  '], { value: '  pw  ' }]]);
  await run(f.string().optional(), [
    ['optional missing', [], { value: undefined }],
    ['optional empty', [''], { value: undefined }],
  ]);
});

test('email: the HTML definition of a valid address', async () => {
  await run(f.email(), [
    ['plain', ['ada@example.com'], { value: 'ada@example.com' }],
    ['trimmed', [' ada@example.com '], { value: 'ada@example.com' }],
    ['plus and dots', ['a.b+tag@mail.example.org'], { value: 'a.b+tag@mail.example.org' }],
    ['no at', ['ada.example.com'], { error: /valid e-mail/ }],
    ['two ats', ['a@b@c'], { error: /valid e-mail/ }],
    ['space inside', ['ada @example.com'], { error: /valid e-mail/ }],
    ['markup', ['"><script>@x.com'], { error: /valid e-mail/ }],
    ['header injection', ['a@b.com\r\nBcc: victim@x.com'], { error: /valid e-mail/ }],
    ['too long', [`${'a'.repeat(250)}@x.com`], { error: /valid e-mail/ }],
    ['label over 63', [`a@${'b'.repeat(64)}.com`], { error: /valid e-mail/ }],
    ['missing', [], { error: REQUIRED }],
  ]);
});

test('integer and number: plain decimal only, ranges', async () => {
  await run(f.integer({ min: 1, max: 10 }), [
    ['plain', ['7'], { value: 7 }],
    ['signed, spaced', [' +3 '], { value: 3 }],
    ['below', ['0'], { error: /at least 1/ }],
    ['above', ['11'], { error: /at most 10/ }],
    ['decimal', ['2.5'], { error: /whole number/ }],
    ['hex', ['0x10'], { error: /whole number/ }],
    ['exponent', ['1e1'], { error: /whole number/ }],
    ['separator', ['1_0'], { error: /whole number/ }],
    ['Infinity', ['Infinity'], { error: /whole number/ }],
    ['huge', ['99999999999999999999'], { error: /whole number/ }],
    ['array trick', ['1', '2'], { error: /one value/ }],
    ['missing', [], { error: REQUIRED }],
  ]);
  await run(f.integer(), [['minus zero', ['-0'], { value: 0 }]]);
  await run(f.number({ min: -1, max: 1000 }), [
    ['decimal', ['0.25'], { value: 0.25 }],
    ['leading dot', ['.5'], { value: 0.5 }],
    ['exponent', ['1e2'], { value: 100 }],
    ['NaN', ['NaN'], { error: /Enter a number/ }],
    ['Infinity', ['Infinity'], { error: /Enter a number/ }],
    ['overflow', ['1e999'], { error: /Enter a number/ }],
    ['comma', ['1,5'], { error: /Enter a number/ }],
    ['below', ['-2'], { error: /at least -1/ }],
  ]);
});

test('boolean: a checkbox is true when sent, false when not; required means checked', async () => {
  await run(f.boolean(), [
    ['unchecked', [], { value: false }],
    ['checked', ['on'], { value: true }],
    ['hidden 0 then checkbox', ['0', '1'], { value: true }],
    ['hidden 0 alone', ['0'], { value: false }],
    ['garbage', ['maybe'], { error: /yes or no/ }],
    ['markup', ['<script>'], { error: /yes or no/ }],
  ]);
  await run(f.boolean({ required: true }), [
    ['must be checked', [], { error: /must be checked/ }],
    ['checked', ['on'], { value: true }],
  ]);
});

test('choice: only listed values, exactly', async () => {
  await run(f.choice(['red', 'green', { value: 'blue', label: 'Blue!' }]), [
    ['listed', ['green'], { value: 'green' }],
    ['labelled', ['blue'], { value: 'blue' }],
    ['unlisted', ['purple'], { error: /one of the choices/ }],
    ['label is not a value', ['Blue!'], { error: /one of the choices/ }],
    ['case differs', ['Red'], { error: /one of the choices/ }],
    ['prototype key', ['__proto__'], { error: /one of the choices/ }],
    ['constructor', ['constructor'], { error: /one of the choices/ }],
    ['missing', [], { error: REQUIRED }],
  ]);
});

test('date: real calendar dates as UTC midnight, bounds', async () => {
  await run(f.date({ min: '2024-01-01', max: '2024-12-31' }), [
    ['date', ['2024-02-29'], { value: new Date(Date.UTC(2024, 1, 29)) }],
    ['not a leap year', ['2023-02-29'], { error: /valid date/ }],
    ['impossible day', ['2024-04-31'], { error: /valid date/ }],
    ['month 13', ['2024-13-01'], { error: /valid date/ }],
    ['before min', ['2023-12-31'], { error: /on or after 2024-01-01/ }],
    ['after max', ['2025-01-01'], { error: /on or before 2024-12-31/ }],
    ['other format', ['01/02/2024'], { error: /valid date/ }],
    ['with time', ['2024-01-01T00:00:00Z'], { error: /valid date/ }],
    ['timestamp', ['1704067200000'], { error: /valid date/ }],
    ['missing', [], { error: REQUIRED }],
  ]);
  await run(f.date(), [['year 0050 is not 1950', ['0050-06-01'], { value: new Date('0050-06-01T00:00:00Z') }]]);
});

test('list: every value under the name, each checked; bounds; empty items skipped', async () => {
  await run(f.list(f.choice(['a', 'b', 'c']), { max: 2 }), [
    ['two', ['a', 'c'], { value: ['a', 'c'] }],
    ['one', ['b'], { value: ['b'] }],
    ['none, required', [], { error: REQUIRED }],
    ['too many', ['a', 'b', 'c'], { error: /at most 2/ }],
    ['bad item', ['a', 'z'], { error: /one of the choices/ }],
  ]);
  await run(f.list(f.integer({ min: 0 }), { min: 2 }).optional(), [
    ['none, optional', [], { value: [] }],
    ['empty strings skipped', ['', ''], { value: [] }],
    ['coerced', ['1', ' 2 '], { value: [1, 2] }],
    ['too few', ['1'], { error: /at least 2/ }],
    ['bad', ['1', 'x'], { error: /whole number/ }],
  ]);
});

test('custom checks: false, a message, async; run only on a present value, in order', async () => {
  const taken = new Set(['admin']);
  const name = f
    .string({ maxLength: 20 })
    .check((v) => !v.includes(' '), 'No spaces.')
    .check(async (v) => (taken.has(v) ? `“${v}” is taken.` : undefined));
  await run(name, [
    ['free', ['ada'], { value: 'ada' }],
    ['spaces', ['a b'], { error: /^No spaces\.$/ }],
    ['taken', ['admin'], { error: /“admin” is taken/ }],
    ['built-in rule first', ['x'.repeat(21)], { error: /at most 20/ }],
  ]);
  let called = 0;
  await run(
    f
      .string()
      .optional()
      .check(() => {
        called++;
        return false;
      }),
    [['absent skips checks', [], { value: undefined }]],
  );
  assert.equal(called, 0);
});

test('messages can be replaced by key', async () => {
  await run(f.string({ maxLength: 1, messages: { required: 'Titel ontbreekt.', tooLong: 'Te lang.' } }), [
    ['required', [], { error: /^Titel ontbreekt\.$/ }],
    ['too long', ['ab'], { error: /^Te lang\.$/ }],
  ]);
});

test('fields describe their HTML: required, maxlength, type, min, max, step, pattern', () => {
  assert.deepEqual(f.string({ maxLength: 5, minLength: 1, pattern: /[a-z]+/ }).hints, {
    widget: 'input',
    type: 'text',
    minlength: 1,
    maxlength: 5,
    pattern: '[a-z]+',
    required: true,
  });
  assert.equal(f.string({ pattern: /[a-z]+/i }).hints.pattern, undefined, 'a flag HTML cannot express keeps the pattern off the page');
  assert.deepEqual(f.integer({ min: 1, max: 3 }).optional().hints, { widget: 'input', type: 'number', min: '1', max: '3', step: '1', required: false });
  assert.equal(f.email().hints.type, 'email');
  assert.deepEqual(f.date({ min: '2024-01-01' }).hints, { widget: 'input', type: 'date', min: '2024-01-01', required: true });
  assert.equal(f.boolean({ required: true }).hints.required, true);
  assert.equal(f.boolean().hints.required, false);
  assert.equal(f.file({ types: ['image/png'] }).hints.accept, 'image/png');
  assert.equal(f.list(f.file()).hints.multiple, true);
  assert.equal(f.string({ widget: 'password' }).hints.secret, true);
});

test('bad definitions are refused when the field is built', () => {
  assert.throws(() => f.choice([]), /at least one choice/);
  assert.throws(() => f.date({ min: '2024-02-30' }), /YYYY-MM-DD/);
});
