/**
 * The performance goals the project holds itself to, as data, and their check against a
 * run: each goal is judged on the median of its per-round ratios (a ratio taken within one
 * round cancels most of a shared machine's drift), and its range is shown beside it.
 */
import { median } from './stats.mjs';

/**
 * `vs`: the peer the ratio is taken against; `at least`: the lowest ratio of req/s that
 * meets it. `rss`: Palisade's resident memory after the run at most the peer's.
 * `startupMs`: the median start-up to first response at most this.
 */
export const GOALS = [
  { scenario: 'hello', vs: 'node', atLeast: 0.9 },
  { scenario: 'json', vs: 'node', atLeast: 0.9 },
  { scenario: 'form', vs: 'node', atLeast: 0.8 },
  { scenario: 'form', vs: 'fastify', atLeast: 1.3 },
  // node:http renders the page with Eta.
  { scenario: 'page', vs: 'node', atLeast: 3 },
  { rss: 'fastify' },
  { startupMs: 150 },
];

/** Per-round ratios of `field` (Palisade ÷ peer) in `scenario`, rounds where both ran. */
function perRound(results, scenario, peer, field) {
  const cell = results[scenario];
  if (cell?.palisade === undefined || cell[peer] === undefined || cell.palisade.unavailable || cell[peer].unavailable) return [];
  const out = [];
  for (const a of cell.palisade.runs) {
    const b = cell[peer].runs.find((r) => r.round === a.round);
    if (a.discarded || !b || b.discarded || !a[field] || !b[field]) continue;
    out.push(a[field] / b[field]);
  }
  return out;
}

const f2 = (x) => x.toFixed(2);
const range = (xs) => (xs.length > 1 ? ` (${f2(Math.min(...xs))}–${f2(Math.max(...xs))})` : '');

/** The goals table of a run, as markdown lines. */
export function goalLines(d, label) {
  const name = (id) => label(id) ?? id;
  const L = ['## Goals', '', 'Each goal judged on the median of its per-round ratios (the range of the rounds in brackets).', ''];
  L.push('| goal | measured | met |', '| --- | ---: | :---: |');
  for (const g of GOALS) {
    if (g.scenario !== undefined) {
      const xs = perRound(d.results, g.scenario, g.vs, 'rps');
      const m = median(xs);
      const title = d.scenarios.find((s) => s.name === g.scenario)?.title ?? g.scenario;
      L.push(`| ${title}: req/s ≥ ${g.atLeast}× ${name(g.vs)} | ${m === null ? 'n/a' : f2(m) + '×' + range(xs)} | ${m === null ? 'n/a' : m >= g.atLeast ? 'yes' : '**no**'} |`);
    } else if (g.rss !== undefined) {
      for (const sc of d.scenarios) {
        const xs = perRound(d.results, sc.name, g.rss, 'rssMiB');
        const m = median(xs);
        if (m === null) continue;
        L.push(`| ${sc.title}: RSS ≤ ${name(g.rss)}'s | ${f2(m)}×${range(xs)} | ${m <= 1 ? 'yes' : '**no**'} |`);
      }
    } else if (g.startupMs !== undefined) {
      const m = median(d.startups.palisade ?? []);
      L.push(`| start-up to first response ≤ ${g.startupMs} ms | ${m === null ? 'n/a' : `${m.toFixed(0)} ms`} | ${m === null ? 'n/a' : m <= g.startupMs ? 'yes' : '**no**'} |`);
    }
  }
  L.push('');
  return L;
}
