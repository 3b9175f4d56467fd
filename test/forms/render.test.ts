// Re-display through a real template: submitted values with HTML and quotes come back
// escaped (checked by parsing the page with parse5: no injected element or attribute,
// and the value the browser sees is exactly what was sent), the CSRF field appears exactly
// once whether the template or form.render() writes the <form>, and input() refuses
// attributes that would take script or URLs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse, type DefaultTreeAdapterMap } from 'parse5';
import { createApp, defineForm, fields as f, Response } from '../../src/index.js';
import { compileTemplate } from '../../src/templates/index.js';

type Node = DefaultTreeAdapterMap['node'];
type Element = DefaultTreeAdapterMap['element'];

function elements(root: Node, out: Element[] = []): Element[] {
  if ('tagName' in root) out.push(root as Element);
  const kids = (root as { childNodes?: Node[] }).childNodes ?? [];
  for (const k of kids) elements(k, out);
  const content = (root as { content?: Node }).content;
  if (content) elements(content, out);
  return out;
}
const attr = (el: Element, name: string): string | undefined => el.attrs.find((a) => a.name === name)?.value;
const text = (el: Node): string =>
  ((el as { childNodes?: Node[] }).childNodes ?? []).map((k) => ('value' in k && k.nodeName === '#text' ? (k as { value: string }).value : text(k))).join('');

const SECRET = 'forms-render-secret'.padEnd(40, 'x');

const form = defineForm({
  title: f.string({ maxLength: 200, pattern: /[^\u0000]*/ }),
  body: f.string({ widget: 'textarea', maxLength: 5000 }),
  color: f.choice(['red', 'green']),
  n: f.integer({ min: 1, max: 9 }),
  when: f.date({ min: '2024-01-01' }),
  agree: f.boolean({ required: true }),
  password: f.string({ widget: 'password', minLength: 8 }),
});

const byHand = compileTemplate(`<!doctype html><title>New</title>
<form method="post" action="/new">
  {% for e in form.form_errors %}<p class="form-error">{{ e }}</p>{% endfor %}
  {% for field in form.fields %}{{ field.label_tag() }}{{ field.input(class="in", placeholder=field.label) }}{% for e in field.errors %}<p class="error" data-for="{{ field.name }}">{{ e }}</p>{% endfor %}{% endfor %}
  <button>Save</button>
</form>`);
const whole = compileTemplate(`<!doctype html><title>New</title>{{ form.render(submit="Save <now>") }}`);

const app = createApp({ env: 'test', secretKey: SECRET });
app.post('/by-hand', async (req) => {
  const r = await form.validate(req);
  return Response.html(byHand.render({ form: form.view(r) }), { status: r.ok ? 200 : 400 });
});
app.post('/whole', async (req) => {
  const r = await form.validate(req);
  return Response.html(whole.render({ form: form.view(r) }), { status: r.ok ? 200 : 400 });
});
app.get('/whole', () => whole.render({ form: form.view() }));
app.get('/by-hand', () => byHand.render({ form: form.view() }));

const HOSTILE = [
  `"><script>alert(1)</script>`,
  `' onmouseover='alert(1)`,
  `</textarea><img src=x onerror=alert(1)>`,
  `"autofocus onfocus="alert(1)`,
  `&lt;b&gt; &amp; &#34;`,
];

for (const path of ['/by-hand', '/whole']) {
  test(`${path}: hostile submitted values come back as text, exactly, and nothing else`, async () => {
    const c = app.test();
    for (const h of HOSTILE) {
      const res = await c.post(path, { form: { title: h, body: h, color: h, n: h, when: h, password: h } });
      assert.equal(res.status, 400);
      const els = elements(parse(res.text));
      assert.equal(els.filter((e) => e.tagName === 'script' || e.tagName === 'img').length, 0, `no injected element for ${h}`);
      for (const e of els) for (const a of e.attrs) assert.ok(!a.name.startsWith('on') && a.name !== 'autofocus', `no injected attribute ${a.name} for ${h}`);
      const title = els.find((e) => e.tagName === 'input' && attr(e, 'name') === 'title')!;
      assert.equal(attr(title, 'value'), h, 'the browser sees exactly what was sent');
      const body = els.find((e) => e.tagName === 'textarea')!;
      assert.equal(text(body), h);
      assert.equal(
        attr(
          els.find((e) => attr(e, 'name') === 'n')!,
          'value',
        ),
        h,
      );
      assert.equal(
        attr(
          els.find((e) => attr(e, 'name') === 'password')!,
          'value',
        ),
        undefined,
        'a password is never written back',
      );
      const select = els.find((e) => e.tagName === 'select')!;
      assert.deepEqual(
        elements(select)
          .filter((e) => e.tagName === 'option')
          .map((o) => attr(o, 'value')),
        ['', 'red', 'green'],
      );
    }
  });

  test(`${path}: the CSRF field appears exactly once, and the page's form posts back valid`, async () => {
    const c = app.test();
    const page = await c.get(path);
    const els = elements(parse(page.text));
    const tokens = els.filter((e) => attr(e, 'name') === 'csrf_token');
    assert.equal(tokens.length, 1);
    const token = attr(tokens[0]!, 'value')!;
    const res = await c.post(path, {
      form: { csrf_token: token, title: 'Hi', body: 'line 1\nline 2', color: 'red', n: '3', when: '2024-03-01', agree: 'on', password: 'long enough' },
      csrf: false,
    });
    assert.equal(res.status, 200, res.text);
  });
}

test('control: the same values written into the page without escaping inject elements', () => {
  const raw = `<input name="title" value="${HOSTILE[0]}"><textarea>${HOSTILE[2]}</textarea>`;
  const els = elements(parse(raw));
  assert.ok(els.some((e) => e.tagName === 'script') && els.some((e) => e.tagName === 'img'));
});

test('the rules become attributes: required, maxlength, min, type, pattern, aria on errors', async () => {
  const res = await app.test().post('/by-hand', { form: { title: 'x', n: '0' } });
  const els = elements(parse(res.text));
  const by = (name: string): Element => els.find((e) => attr(e, 'name') === name && e.tagName !== 'p')!;
  assert.equal(attr(by('title'), 'maxlength'), '200');
  assert.equal(attr(by('title'), 'required'), '');
  assert.equal(attr(by('title'), 'class'), 'in');
  assert.equal(attr(by('title'), 'placeholder'), 'Title');
  assert.equal(attr(by('n'), 'type'), 'number');
  assert.equal(attr(by('n'), 'min'), '1');
  assert.equal(attr(by('n'), 'aria-invalid'), 'true');
  assert.equal(attr(by('n'), 'aria-describedby'), 'n-errors');
  assert.equal(attr(by('when'), 'type'), 'date');
  assert.equal(attr(by('when'), 'min'), '2024-01-01');
  assert.equal(attr(by('agree'), 'type'), 'checkbox');
  assert.equal(attr(by('agree'), 'required'), '');
  assert.equal(attr(by('password'), 'type'), 'password');
  assert.equal(attr(by('password'), 'minlength'), '8');
  assert.equal(attr(by('title'), 'aria-invalid'), undefined);
  const labels = els.filter((e) => e.tagName === 'label').map((l) => [attr(l, 'for'), text(l)]);
  assert.deepEqual(labels[0], ['title', 'Title']);
  assert.deepEqual(els.filter((e) => e.tagName === 'p' && attr(e, 'data-for') === 'n').map(text), ['Enter a number of at least 1.']);
});

test('input() refuses event handlers, URL attributes, style and computed attributes', () => {
  const view = form.view();
  const title = view.title as { input(a?: Record<string, unknown>): unknown };
  for (const bad of ['onclick', 'onFocus', 'style', 'formaction', 'src', 'href', 'name', 'value', 'type', 'id', 'x y', '"><b', '']) {
    assert.throws(() => title.input({ [bad]: 'x' }), TypeError, bad);
  }
  assert.throws(() => title.input({ class: { toString: () => 'x' } }), TypeError);
  assert.match(String(title.input({ 'data-role': '"><x', autofocus: true, disabled: false })), /data-role="&#34;&gt;&lt;x" autofocus>$/);
  // In a template, the refusal is a template error with its position.
  const t = compileTemplate('{{ form.title.input(onclick="x") }}', { name: 'bad.html' });
  assert.throws(() => t.render({ form: view }), /bad\.html:1:\d+/);
});

test('initial values fill an edit form; submitted values win; a checkbox follows the submission', () => {
  const v = form.view(null, { initial: { title: 'Old', n: 4, when: new Date(Date.UTC(2024, 4, 6)), agree: true, color: 'green', password: 'secret' } });
  assert.equal((v.title as { value: string }).value, 'Old');
  assert.equal((v.n as { value: string }).value, '4');
  assert.equal((v.when as { value: string }).value, '2024-05-06');
  assert.equal((v.agree as { checked: boolean }).checked, true);
  assert.match(String((v.color as { input(): unknown }).input()), /<option value="green" selected>/);
  assert.doesNotMatch(String((v.password as { input(): unknown }).input()), /secret/);
  const failed = { ok: false as const, errors: {}, formErrors: [], values: { title: 'New' }, csrfFailed: false };
  const w = form.view(failed, { initial: { title: 'Old', agree: true } });
  assert.equal((w.title as { value: string }).value, 'New');
  assert.equal((w.agree as { checked: boolean }).checked, false, 'unchecked in the submission means unchecked');
});

test('render(): file fields make the form multipart; action is filtered as a URL; a GET form has no token', () => {
  const upload = defineForm({ doc: f.file({ types: ['application/pdf'] }) });
  const search = defineForm({ q: f.string().optional() }, { method: 'get', csrf: false });
  const page = compileTemplate('{{ up.render(action=a) }}{{ s.render(action="/search") }}');
  const a2 = createApp({ env: 'test', secretKey: SECRET });
  a2.get('/', () => page.render({ up: upload.view(), s: search.view(), a: 'javascript:alert(1)' }));
  return a2
    .test()
    .get('/')
    .then((res) => {
      const els = elements(parse(res.text));
      const forms = els.filter((e) => e.tagName === 'form');
      assert.equal(attr(forms[0]!, 'enctype'), 'multipart/form-data');
      assert.doesNotMatch(attr(forms[0]!, 'action')!, /javascript/);
      assert.equal(attr(forms[1]!, 'method'), 'get');
      assert.equal(attr(forms[1]!, 'action'), '/search');
      assert.equal(elements(forms[1]!).filter((e) => attr(e, 'name') === 'csrf_token').length, 0);
      assert.equal(
        attr(
          els.find((e) => attr(e, 'name') === 'doc')!,
          'accept',
        ),
        'application/pdf',
      );
    });
});
