#!/usr/bin/env node
/**
 * Template rendering: one realistic page (a layout with blocks, a loop of 100 rows, values
 * in text, attribute, URL and script contexts) rendered by Palisade (contextual escaping
 * on) and by Nunjucks (autoescape on), Eta, Handlebars and EJS (their HTML escaping on),
 * in one run. Prints renders/s and ratios.
 *
 * Each engine is measured alone in a process of its own (the best of several timed
 * windows after a warm-up), several times, interleaved (Palisade, Eta, …, Palisade, Eta, …),
 * and its figure is the median over those processes. Alone, because engines in one process
 * change each other's speed: V8 optimizes code for the state of the whole process, and
 * rendering a Nunjucks page after Palisade's functions were optimized made Palisade 25%
 * slower than when it runs by itself, as it does in an app.
 *
 * Palisade comes from ../../dist (run `npm run build` at the repository root first); the
 * peers from bench/node_modules.
 *
 *   node templates/render.mjs [--seconds 0.5] [--windows 8] [--processes 5]
 *   node templates/render.mjs --engine Eta   (one engine, in this process)
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { spawnSync } from 'node:child_process';

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
const PROCESSES = opt('processes', 5);
const ENGINE = args.includes('--engine') ? args[args.indexOf('--engine') + 1] : null;

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

const version = (p) => JSON.parse(readFileSync(join(here, '..', 'node_modules', p, 'package.json'), 'utf8')).version;

/** Each engine: its version and a function that sets it up and returns its render(). */
const ENGINES = {
  Palisade: {
    version: () => JSON.parse(readFileSync(join(here, '..', '..', 'package.json'), 'utf8')).version,
    async setup() {
      const { createTemplates } = await import('../../dist/templates/index.js');
      const palisade = createTemplates({ dir: join(fixtures, 'palisade'), mode: 'production' });
      return () => palisade.render('page.html', ctx).toString();
    },
  },
  Eta: {
    version: () => version('eta'),
    async setup() {
      const { Eta } = require('eta');
      const eta = new Eta({ views: join(fixtures, 'eta'), cache: true, autoEscape: true });
      return () => eta.render('./page', ctx);
    },
  },
  EJS: {
    version: () => version('ejs'),
    async setup() {
      const ejs = require('ejs');
      const page = ejs.compile(readFileSync(join(fixtures, 'ejs', 'page.ejs'), 'utf8'), { filename: join(fixtures, 'ejs', 'page.ejs'), cache: true });
      return () => page(ctx);
    },
  },
  Handlebars: {
    version: () => version('handlebars'),
    async setup() {
      const Handlebars = require('handlebars');
      const hb = Handlebars.create();
      hb.registerHelper('json', (v) => new hb.SafeString(JSON.stringify(v)));
      hb.registerHelper('odd', (i) => i % 2 === 0);
      hb.registerHelper('join', (xs, sep) => xs.join(sep));
      hb.registerPartial('layout', readFileSync(join(fixtures, 'handlebars', 'layout.hbs'), 'utf8'));
      const page = hb.compile(readFileSync(join(fixtures, 'handlebars', 'page.hbs'), 'utf8'));
      return () => page(ctx);
    },
  },
  Nunjucks: {
    version: () => version('nunjucks'),
    async setup() {
      const nunjucks = require('nunjucks');
      const env = new nunjucks.Environment(new nunjucks.FileSystemLoader(join(fixtures, 'nunjucks')), { autoescape: true });
      return () => env.render('page.html', ctx);
    },
  },
};

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

/** Best of WINDOWS timed windows, after a warm-up that lets V8 optimize the engine. */
function measure(render) {
  for (let i = 0; i < 300; i++) render();
  let best = 0;
  for (let w = 0; w < WINDOWS; w++) best = Math.max(best, window(render, SECONDS));
  return best;
}

/** Measures one engine in this process and prints its result as one JSON line. */
async function measureHere(name) {
  const engine = ENGINES[name];
  if (engine === undefined) throw new Error(`unknown engine ${name}; known: ${Object.keys(ENGINES).join(', ')}`);
  const render = await engine.setup();
  const page = render();
  if (name === 'Palisade' && (!page.includes('about:invalid#palisade-unsafe') || (page.match(/<tr /g) ?? []).length !== 100)) {
    throw new Error('Palisade did not render the expected page');
  }
  console.log(`RESULT ${JSON.stringify({ name, version: engine.version(), bytes: page.length, rps: measure(render) })}`);
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 === 1 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

if (ENGINE !== null) {
  await measureHere(ENGINE);
} else {
  const names = Object.keys(ENGINES);
  const runs = new Map(names.map((n) => [n, []]));
  for (let p = 0; p < PROCESSES; p++) {
    for (const name of names) {
      const opts = ['--engine', name, '--seconds', String(SECONDS), '--windows', String(WINDOWS)];
      const r = spawnSync(process.execPath, [fileURLToPath(import.meta.url), ...opts], { encoding: 'utf8', env: process.env });
      const line = (r.stdout ?? '').split('\n').find((l) => l.startsWith('RESULT '));
      if (r.status !== 0 || line === undefined) throw new Error(`measuring ${name} failed (exit ${r.status}):\n${r.stderr}`);
      runs.get(name).push(JSON.parse(line.slice('RESULT '.length)));
    }
  }
  const results = names.map((n) => {
    const all = runs.get(n);
    return { ...all[0], all: all.map((x) => x.rps), rps: median(all.map((x) => x.rps)) };
  });
  // Round p runs every engine once, one after the other: Palisade's figure over the
  // engine's in the same round cancels what the machine's speed did between rounds.
  const ratios = (r) => r.all.map((x, p) => results[0].all[p] / x);
  console.log(`node ${process.version}; page of ${results.map((e) => `${e.name} ${e.bytes} B`).join(', ')}`);
  console.log(`each engine alone in a process, ${PROCESSES} rounds (every engine once per round, interleaved; best of ${WINDOWS} windows of ${SECONDS} s in each process)`);
  console.log('renders/s: median over the rounds; Palisade ÷ engine: median of the per-round ratios (lowest–highest)');
  console.log('| engine | version | renders/s | per round | Palisade ÷ engine | per-round ratios |');
  console.log('|---|---|---:|---|---:|---|');
  for (const r of results) {
    const each = r.all.map((x) => Math.round(x).toLocaleString('en-US')).join(', ');
    const rs = ratios(r);
    const range = `${Math.min(...rs).toFixed(2)}–${Math.max(...rs).toFixed(2)}`;
    console.log(`| ${r.name} | ${r.version} | ${Math.round(r.rps).toLocaleString('en-US')} | ${each} | ${median(rs).toFixed(2)}× | ${rs.map((x) => x.toFixed(2)).join(', ')} (${range}) |`);
  }
}
