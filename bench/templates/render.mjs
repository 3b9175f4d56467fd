#!/usr/bin/env node
/**
 * Template rendering: one realistic page (a layout with blocks, a loop of 100 rows, values
 * in text, attribute, URL and script contexts) rendered by Palisade (contextual escaping
 * on) and by Nunjucks (autoescape on), Eta, Handlebars and EJS (their HTML escaping on),
 * in one run. Prints renders/s (best of several interleaved windows) and ratios.
 *
 * Palisade comes from ../../dist (run `npm run build` at the repository root first); the
 * peers from bench/node_modules.
 *
 *   node templates/render.mjs [--seconds 0.5] [--windows 8]
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const here = dirname(fileURLToPath(import.meta.url));
const fixtures = join(here, 'fixtures');
const require = createRequire(join(here, '..', 'package.json'));
const args = process.argv.slice(2);
const opt = (name, d) => {
  const i = args.indexOf(`--${name}`);
  return i === -1 ? d : Number(args[i + 1]);
};
const SECONDS = opt('seconds', 0.5);
const WINDOWS = opt('windows', 8);

function data() {
  const notes = [];
  for (let i = 1; i <= 100; i++) {
    notes.push({
      id: i,
      ref: i % 7 === 0 ? 'mail & news' : 'list',
      title: i % 10 === 0 ? `Note ${i}: "quotes" & <tags>` : `Note number ${i} about templates`,
      author: i % 3 === 0 ? 'Zoë O\'Brien' : 'Ann Author',
      url: i % 25 === 0 ? 'javascript:alert(1)' : `https://example.com/n/${i}?a=1&b=2`,
      tags: ['work', i % 2 === 0 ? 'even' : 'odd', 'x<y'],
    });
  }
  return {
    title: 'All notes & more',
    user: { id: 7, name: 'Ann <admin>' },
    notes,
    selected: 'Note "3"',
    app: { user: 7, csrf: 'abc</script>', flags: [true, false] },
  };
}

const ctx = data();

async function engines() {
  const { createTemplates } = await import('../../dist/templates/index.js');
  const palisade = createTemplates({ dir: join(fixtures, 'palisade'), mode: 'production' });

  const nunjucks = require('nunjucks');
  const nenv = new nunjucks.Environment(new nunjucks.FileSystemLoader(join(fixtures, 'nunjucks')), { autoescape: true });

  const { Eta } = require('eta');
  const eta = new Eta({ views: join(fixtures, 'eta'), cache: true, autoEscape: true });

  const Handlebars = require('handlebars');
  const hb = Handlebars.create();
  hb.registerHelper('json', (v) => new hb.SafeString(JSON.stringify(v)));
  hb.registerHelper('odd', (i) => i % 2 === 0);
  hb.registerHelper('join', (xs, sep) => xs.join(sep));
  hb.registerPartial('layout', readFileSync(join(fixtures, 'handlebars', 'layout.hbs'), 'utf8'));
  const hbPage = hb.compile(readFileSync(join(fixtures, 'handlebars', 'page.hbs'), 'utf8'));

  const ejs = require('ejs');
  const ejsPage = ejs.compile(readFileSync(join(fixtures, 'ejs', 'page.ejs'), 'utf8'), { filename: join(fixtures, 'ejs', 'page.ejs'), cache: true });

  const version = (p) => JSON.parse(readFileSync(join(here, '..', 'node_modules', p, 'package.json'), 'utf8')).version;
  return [
    { name: 'Palisade', version: JSON.parse(readFileSync(join(here, '..', '..', 'package.json'), 'utf8')).version, render: () => palisade.render('page.html', ctx).toString() },
    { name: 'Eta', version: version('eta'), render: () => eta.render('./page', ctx) },
    { name: 'EJS', version: version('ejs'), render: () => ejsPage(ctx) },
    { name: 'Handlebars', version: version('handlebars'), render: () => hbPage(ctx) },
    { name: 'Nunjucks', version: version('nunjucks'), render: () => nenv.render('page.html', ctx) },
  ];
}

/** Renders per second in one timed window. */
function window(fn, seconds) {
  const end = process.hrtime.bigint() + BigInt(Math.round(seconds * 1e9));
  let n = 0;
  let sink = 0;
  const start = process.hrtime.bigint();
  let now = start;
  while (now < end) {
    for (let k = 0; k < 20; k++) sink += fn().length;
    n += 20;
    now = process.hrtime.bigint();
  }
  if (sink === 0) throw new Error('no output');
  return n / (Number(now - start) / 1e9);
}

/** Best of WINDOWS rounds; each round times every engine once, in turn, so load on the machine hits all alike. */
function measureAll(list) {
  for (const e of list) for (let i = 0; i < 300; i++) e.render(); // warm up and compile
  const best = list.map(() => 0);
  for (let w = 0; w < WINDOWS; w++) list.forEach((e, i) => (best[i] = Math.max(best[i], window(e.render, SECONDS))));
  return best;
}

const list = await engines();
const sizes = list.map((e) => `${e.name} ${e.render().length} B`).join(', ');
const sample = list[0].render();
if (!sample.includes('about:invalid#palisade-unsafe') || (sample.match(/<tr /g) ?? []).length !== 100) {
  throw new Error('Palisade did not render the expected page');
}
console.log(`node ${process.version}; page of ${sizes}`);
const rates = measureAll(list);
const results = list.map((e, i) => ({ ...e, rps: rates[i] }));
const pal = results[0].rps;
console.log('| engine | version | renders/s | Palisade ÷ engine |');
console.log('|---|---|---:|---:|');
for (const r of results) console.log(`| ${r.name} | ${r.version} | ${Math.round(r.rps).toLocaleString('en-US')} | ${(pal / r.rps).toFixed(2)}× |`);
