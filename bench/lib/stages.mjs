/**
 * The stages of a request, as data: each names the files of dist/ whose code (and what it
 * calls: HMAC, base64, the URL parser) is that stage's work. `stageTimes` credits each
 * sample of a .cpuprofile to the innermost frame on its stack that lies in a stage file,
 * so an HMAC computed by the CSRF check counts to the CSRF stage and not to node:crypto.
 * Samples with no stage frame are the server itself: node:http, sockets, the event loop.
 */

/** First match wins; patterns are matched against the path below dist/. */
export const STAGES = [
  ['session cookie: verify, load, write', /^security\/(session[\w-]*|signing)\.js$/],
  ['Host, Fetch-Metadata and Origin checks', /^security\/(hosts|resource-isolation|csrf-origin|cors)\.js$/],
  ['CSRF token: unmask, HMAC, compare, mask', /^security\/csrf(-token)?\.js$/],
  ['body: read and urlencoded parse', /^http\/(body|params|form-limits|media-type|json-body)\.js$/],
  ['forms: fields, flashes', /^forms\//],
  ['security headers, nonce, cookies out', /^(security\/(headers|csp|response-basics|html-guard|open-redirect)|http\/(cookies|header-check))\.js$/],
  ['templates and escaping', /^(templates|escape)\//],
  // Own code only: what the adapter calls in node (the socket write) is node's work.
  ['request, response, dispatch, adapter', /^(app|adapters|http|util)\//, { own: true }],
];

/** The stage of a profile URL (`own`: its callees outside dist/ are not its work), or null. */
function stageEntry(url) {
  const i = url.indexOf('/dist/');
  if (i === -1) return null;
  const rel = url.slice(i + 6);
  for (const [name, re, opts] of STAGES) if (re.test(rel)) return { name, own: opts?.own === true };
  return { name: 'other Palisade code', own: true };
}

/**
 * Time per stage (µs) of a .cpuprofile: each sample goes to the innermost stage frame on
 * its stack, else to `outside` (node's own work for the request), or to `idle`. Only the
 * samples of the profile's last `lastSeconds` count (the measured load, not start-up).
 */
export function stageTimes(profile, { lastSeconds = Infinity, outside = 'node:http, sockets, event loop, GC' } = {}) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  // What a callee outside dist/ inherits from the frame above it: a stage, or `outside`
  // when that frame's stage counts its own code only.
  const memo = new Map();
  const inherited = (id) => {
    if (memo.has(id)) return memo.get(id);
    const e = stageEntry(byId.get(id).callFrame.url);
    const s = e !== null ? (e.own ? outside : e.name) : parent.has(id) ? inherited(parent.get(id)) : outside;
    memo.set(id, s);
    return s;
  };
  const stageOfNode = (id) => {
    const n = byId.get(id);
    if (n.callFrame.functionName === '(idle)') return 'idle';
    const e = stageEntry(n.callFrame.url);
    if (e !== null) return e.name;
    return parent.has(id) ? inherited(parent.get(id)) : outside;
  };
  const out = new Map();
  const from = profile.endTime - lastSeconds * 1e6;
  let t = profile.startTime;
  for (let i = 0; i < profile.samples.length; i++) {
    t += profile.timeDeltas[i] ?? 0;
    if (t < from) continue;
    const s = stageOfNode(profile.samples[i]);
    out.set(s, (out.get(s) ?? 0) + (profile.timeDeltas[i] ?? 0));
  }
  return out;
}
