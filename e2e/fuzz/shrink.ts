/**
 * Shrinking a failure: removes pieces of the value and of the template sources (tokens,
 * runs of tokens, whole template tags with their end tags) as long as the same kind of
 * failure remains, judging each round's candidates in one browser batch. The result is
 * printed as a row for e2e/fuzz/found.ts.
 */
import type { FuzzCase } from './cases.js';
import type { HtmlRecipe } from './constructs.js';
import type { Judge } from './judge.js';
import type { RenderOptions } from './render.js';
import type { FailureKind } from './verdict.js';
import { type Candidate, check } from './recheck.js';

export interface Shrunk {
  readonly case: FuzzCase;
  readonly value: string;
  readonly detail: string;
}

const size = (x: Candidate): number =>
  x.value.length + x.c.main.length + Object.values(x.c.files).reduce((a, f) => a + f.length, 0) + (x.c.html ? JSON.stringify(x.c.html).length : 0);

const TOKENS = /\{\{[\s\S]*?\}\}|\{%[\s\S]*?%\}|\{#[\s\S]*?#\}|<[^<>]*>|\s+|\w+|[\s\S]/g;
const tokens = (s: string): string[] => s.match(TOKENS) ?? [];

/** Strings with runs of `n` tokens (or characters) removed, for n halving down to 1. */
function removals(parts: readonly string[], limit: number): string[][] {
  const out: string[][] = [];
  for (let n = Math.max(1, Math.floor(parts.length / 2)); out.length < limit * 4; n = Math.floor(n / 2)) {
    for (let i = 0; i + n <= parts.length; i += n) out.push([...parts.slice(0, i), ...parts.slice(i + n)]);
    if (n === 1) break;
  }
  return out;
}

const BLOCK_TAGS = ['if', 'for', 'macro', 'call', 'filter', 'set', 'with', 'block'];

/** Sources with one template tag and its end tag removed (keeping the body, or dropping all). */
function unwraps(src: string): string[] {
  const t = tokens(src);
  const out: string[] = [];
  const nameOf = (x: string): string | null => /^\{%-?\s*(\w+)/.exec(x)?.[1] ?? null;
  t.forEach((tok, i) => {
    const name = nameOf(tok);
    if (name === null || !BLOCK_TAGS.includes(name) || (name === 'set' && tok.includes('='))) return;
    let depth = 0;
    let elseAt = -1;
    for (let j = i + 1; j < t.length; j++) {
      const n = nameOf(t[j]!);
      if (n === name && !(name === 'set' && t[j]!.includes('='))) depth++;
      else if (n === `end${name}`) {
        if (depth === 0) {
          const bodyEnd = elseAt === -1 ? j : elseAt;
          out.push([...t.slice(0, i), ...t.slice(i + 1, bodyEnd), ...t.slice(j + 1)].join(''));
          out.push([...t.slice(0, i), ...t.slice(j + 1)].join(''));
          return;
        }
        depth--;
      } else if (depth === 0 && elseAt === -1 && (n === 'else' || n === 'elif')) elseAt = j;
    }
  });
  return out;
}

function shuffleTake<T>(xs: T[], n: number, seed: number): T[] {
  let s = seed;
  for (let i = xs.length - 1; i > 0; i--) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    const j = s % (i + 1);
    [xs[i], xs[j]] = [xs[j]!, xs[i]!];
  }
  return xs.slice(0, n);
}

function candidates(x: Candidate, round: number): Candidate[] {
  const out: Candidate[] = [];
  for (const r of removals([...x.value], 24)) out.push({ c: x.c, value: r.join('') });
  const sources: [string, string][] = [['main', x.c.main], ...Object.entries(x.c.files)];
  if (x.c.engine === 'template') {
    for (const [name, text] of sources) {
      const variants = [...unwraps(text), ...removals(tokens(text), 24).map((r) => r.join(''))];
      for (const v of variants) {
        out.push({ c: name === 'main' ? { ...x.c, main: v } : { ...x.c, files: { ...x.c.files, [name]: v } }, value: x.value });
      }
    }
  } else {
    const walk = (r: HtmlRecipe, replace: (n: HtmlRecipe) => HtmlRecipe): void => {
      r.parts.forEach((p, i) => {
        for (const v of removals(tokens(p), 12)) {
          const parts = [...r.parts];
          parts[i] = v.join('');
          out.push({ c: { ...x.c, html: replace({ ...r, parts }) }, value: x.value });
        }
      });
      r.holes.forEach((h, i) => {
        if (h === null || h === 'v' || Array.isArray(h) || 'text' in (h as object)) return;
        walk(h as HtmlRecipe, (n) => {
          const holes = [...r.holes];
          holes[i] = n;
          return replace({ ...r, holes });
        });
      });
    };
    walk(x.c.html!, (n) => n);
  }
  return shuffleTake(out, 48, round * 7919 + 1);
}

/**
 * Shrinks a failing case and value while a failure of `kind` remains, for at most
 * `budgetMs`. Returns the smallest found, with what the judge saw.
 */
export async function shrink(
  judge: Judge,
  c: FuzzCase,
  value: string,
  benign: boolean,
  kind: FailureKind,
  opts: RenderOptions,
  budgetMs = 30_000,
): Promise<Shrunk | null> {
  if (kind === 'judge-crash') return null;
  let best: Candidate = { c, value };
  let detail = '';
  const [first] = await check(judge, [best], kind, benign, opts);
  if (first === null || first === undefined) return null; // not reproducible on its own
  detail = first.detail;
  const until = Date.now() + budgetMs;
  let stale = 0;
  for (let round = 0; Date.now() < until && stale < 3; round++) {
    const cands = candidates(best, round).filter((x) => size(x) < size(best));
    if (cands.length === 0) break;
    const results = await check(judge, cands, kind, benign, opts);
    let next: Candidate | null = null;
    results.forEach((f, i) => {
      if (f !== null && (next === null || size(cands[i]!) < size(next))) {
        next = cands[i]!;
        detail = f.detail;
      }
    });
    if (next === null) stale++;
    else {
      best = next;
      stale = 0;
    }
  }
  return { case: best.c, value: best.value, detail };
}

/** A row for e2e/fuzz/found.ts (the id should be edited to say what the case is). */
export function tableRow(kind: FailureKind, s: { case: FuzzCase; value: string; detail: string }): string {
  const c = s.case;
  const fields = [`id: ${JSON.stringify(`${c.family}-${c.construct}`)}`, `kind: ${JSON.stringify(kind)}`];
  if (c.engine === 'html') fields.push(`html: ${JSON.stringify(c.html)}`);
  else fields.push(`template: ${JSON.stringify(c.main)}`);
  if (Object.keys(c.files).length > 0) fields.push(`files: ${JSON.stringify(c.files)}`);
  fields.push(`value: ${JSON.stringify(s.value)}`);
  if (kind === 'fidelity') {
    fields.push(`read: ${JSON.stringify(c.read)}`, `transform: ${JSON.stringify(c.transform)}`);
  }
  if (c.ref !== 'zqREFqz') fields.push(`ref: ${JSON.stringify(c.ref)}`);
  fields.push(`saw: ${JSON.stringify(s.detail.slice(0, 160))}`);
  return `{ ${fields.join(', ')} },`;
}
