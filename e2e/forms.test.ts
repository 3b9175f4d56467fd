// Forms in Chromium: the page drawn by form.render() is filled in and submitted by the
// browser (its CSRF field and the inputs' attributes work as they are), a value that
// tries to break out of its attribute or textarea comes back as the text typed and runs
// nothing, and the flashed message after the redirect shows once. The control writes the
// same value into the page without escaping, and the script runs (the app sends no CSP,
// so nothing but escaping stands in the way).
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { launchBrowser } from './browser.js';
import { createApp, defineForm, fields, flash, Response } from '../src/index.js';
import { compileTemplate } from '../src/templates/index.js';
import type { RunningServer } from '../src/adapters/node.js';

const HOSTILE = `"><img src=x onerror="window.__xss=1"></textarea><script>window.__xss=2</script>`;

const noteForm = defineForm({
  title: fields.string({ maxLength: 200 }).check((t) => !t.includes('<') || 'No angle brackets, please.'),
  body: fields.string({ widget: 'textarea', maxLength: 500 }),
  priority: fields.choice(['low', 'high']),
});
const page = compileTemplate(
  '<!doctype html><title>Forms</title>{% for m in get_flashed_messages() %}<p id="flash">{{ m }}</p>{% endfor %}{{ form.render(submit="Save") }}',
);

let server: RunningServer;
let browser: Browser;

before(async () => {
  // No CSP (headers: false): escaping alone must keep the script out; the CSP would
  // otherwise block inline scripts too and hide a failure.
  const app = createApp({ env: 'test', secretKey: 'e2e-forms-secret'.padEnd(40, 'x'), headers: false });
  app.get('/', () => page.render({ form: noteForm.view() }));
  app.post('/', async (req) => {
    const r = await noteForm.validate(req);
    if (!r.ok) return Response.html(page.render({ form: noteForm.view(r) }), { status: 400 });
    await flash(req, `Saved ${r.data.title}.`);
    return Response.redirect('/', { status: 303 });
  });
  // Control: the same value written into the page by string building.
  app.get('/naive', (req) => Response.unsafeHTML(`<!doctype html><input name="title" value="${req.query.get('v') ?? ''}">`));
  server = await app.listen({ host: '127.0.0.1', port: 0, handleSignals: false });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

test('a hostile value comes back as text and runs nothing; a valid submission redirects and flashes once', async () => {
  const ctx = await browser.newContext();
  const p = await ctx.newPage();
  await p.goto(server.url + '/');
  assert.equal(await p.locator('input[name="csrf_token"]').count(), 1);
  assert.equal(await p.getAttribute('input[name="title"]', 'maxlength'), '200');
  await p.fill('input[name="title"]', HOSTILE);
  await p.fill('textarea[name="body"]', HOSTILE);
  await p.selectOption('select[name="priority"]', 'high');
  await Promise.all([p.waitForLoadState('load'), p.click('button[type="submit"]')]);
  assert.match(await p.locator('.errors').first().innerText(), /No angle brackets/);
  assert.equal(await p.inputValue('input[name="title"]'), HOSTILE);
  assert.equal(await p.inputValue('textarea[name="body"]'), HOSTILE);
  assert.equal(await p.evaluate(() => (window as unknown as { __xss?: number }).__xss), undefined);
  assert.equal(await p.locator('img, script').count(), 0);

  // The browser refuses to send the form while a required field is empty.
  await p.fill('input[name="title"]', '');
  await p.click('button[type="submit"]');
  assert.equal(await p.evaluate(() => (document.querySelector('input[name="title"]') as HTMLInputElement).validity.valueMissing), true);

  await p.fill('input[name="title"]', 'Milk & eggs');
  await p.fill('textarea[name="body"]', 'two lines\nhere');
  await Promise.all([p.waitForURL(server.url + '/'), p.click('button[type="submit"]')]);
  assert.equal(await p.locator('#flash').innerText(), 'Saved Milk & eggs.');
  await p.reload();
  assert.equal(await p.locator('#flash').count(), 0, 'shown once');
  await ctx.close();
});

test('control: the same value written without escaping runs its script', async () => {
  const ctx = await browser.newContext();
  const p = await ctx.newPage();
  await p.goto(`${server.url}/naive?v=${encodeURIComponent(HOSTILE)}`);
  assert.notEqual(await p.evaluate(() => (window as unknown as { __xss?: number }).__xss), undefined);
  await ctx.close();
});
