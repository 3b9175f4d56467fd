// The bench's goals table (bench/lib/goals.mjs): each goal judged on the median of its
// per-round ratios, so that one round on a busy machine does not decide it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
// @ts-expect-error: plain JavaScript of the bench, without types
import { goalLines } from '../../bench/lib/goals.mjs';

const run = (round: number, rps: number, rssMiB = 100) => ({ round, rps, rssMiB });
const cell = (...runs: ReturnType<typeof run>[]) => ({ runs, unavailable: false });

const data = {
  scenarios: [
    { name: 'hello', title: 'GET /hello' },
    { name: 'form', title: 'POST /form' },
  ],
  results: {
    // Palisade ÷ node:http per round: 0.95, 0.5, 0.92 → median 0.92 (met, though one round is not).
    hello: {
      palisade: cell(run(1, 95), run(2, 50), run(3, 92)),
      node: cell(run(1, 100), run(2, 100), run(3, 100)),
      fastify: cell(run(1, 40, 200), run(2, 40, 200), run(3, 40, 200)),
    },
    // ÷ node:http 0.7 in every round (not met); ÷ Fastify 1.4 (met). A discarded round is left out.
    form: {
      palisade: cell(run(1, 70), run(2, 70), { round: 3, discarded: 'non-2xx' } as never),
      node: cell(run(1, 100), run(2, 100), run(3, 100)),
      fastify: cell(run(1, 50, 90), run(2, 50, 90), run(3, 50, 90)),
    },
  },
  startups: { palisade: [120, 140, 400] },
};

test('goals are judged on the median of per-round ratios', () => {
  const lines: string[] = goalLines(data, (id: string) => ({ node: 'node:http', fastify: 'Fastify' })[id]);
  const row = (start: string) => lines.find((l) => l.startsWith(`| ${start}`));
  assert.equal(row('GET /hello: req/s ≥ 0.9× node:http'), '| GET /hello: req/s ≥ 0.9× node:http | 0.92× (0.50–0.95) | yes |');
  assert.equal(row('POST /form: req/s ≥ 0.8× node:http'), '| POST /form: req/s ≥ 0.8× node:http | 0.70× (0.70–0.70) | **no** |');
  assert.equal(row('POST /form: req/s ≥ 1.3× Fastify'), '| POST /form: req/s ≥ 1.3× Fastify | 1.40× (1.40–1.40) | yes |');
  // No page scenario in this run.
  assert.equal(row('page'), '| page: req/s ≥ 3× node:http | n/a | n/a |');
  assert.equal(row("GET /hello: RSS"), "| GET /hello: RSS ≤ Fastify's | 0.50× (0.50–0.50) | yes |");
  assert.equal(row("POST /form: RSS"), "| POST /form: RSS ≤ Fastify's | 1.11× (1.11–1.11) | **no** |");
  assert.equal(row('start-up'), '| start-up to first response ≤ 150 ms | 140 ms | yes |');
});
