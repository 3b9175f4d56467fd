/**
 * What a rate limit counts a request by: the client's address, the browser's session, or
 * the app's own key, turned into one fixed-length store key per rule.
 *
 * Addresses come from `req.ip`, the one rule for the client address (it follows
 * `trustProxy`: with proxies trusted, the address the farthest trusted proxy saw). An IPv6
 * client is counted by its /64 network: one subscriber is usually given a whole /64 (RFC
 * 6177, RIPE-690), so counting single IPv6 addresses would let one client change address
 * for every request. An IPv4-mapped IPv6 address (`::ffff:192.0.2.1`) is the IPv4 address.
 */
import { createHash } from 'node:crypto';
import { isIPv4, isIPv6 } from 'node:net';
import type { Request } from '../../http/request.js';
import { sessionInternals } from '../session.js';
import type { CompiledRule } from './options.js';

/** The address a client is counted by: IPv4 as it is, IPv6 as its /64. */
export function addressKey(ip: string): string {
  const zone = ip.indexOf('%');
  const a = zone === -1 ? ip : ip.slice(0, zone);
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(a);
  if (mapped !== null) return mapped[1]!;
  if (isIPv4(a) || !isIPv6(a)) return a;
  const groups = expandIPv6(a);
  return `${groups.slice(0, 4).join(':')}::/64`;
}

/** The eight 16-bit groups of a valid IPv6 address, as lower-case hex without leading zeros. */
function expandIPv6(a: string): string[] {
  const [head, tail] = a.includes('::') ? (a.split('::') as [string, string]) : [a, undefined];
  const part = (s: string | undefined): string[] => {
    if (s === undefined || s === '') return [];
    const out: string[] = [];
    for (const g of s.split(':')) {
      if (g.includes('.')) {
        const [b0, b1, b2, b3] = g.split('.').map(Number) as [number, number, number, number];
        out.push(((b0 << 8) | b1).toString(16), ((b2 << 8) | b3).toString(16));
      } else out.push(parseInt(g, 16).toString(16));
    }
    return out;
  };
  const h = part(head);
  const t = part(tail);
  return [...h, ...Array<string>(8 - h.length - t.length).fill('0'), ...t];
}

/**
 * The store key for `rule` and this request, or undefined when the rule does not count
 * it (a key function that returned undefined or null). A hash of the rule's bucket and
 * the key, so a long key (a 1 MB "username") costs the store 43 characters.
 */
export async function storeKey(rule: CompiledRule, req: Request): Promise<string | undefined> {
  let kind: string;
  let value: string;
  if (rule.key === 'ip') {
    kind = 'ip';
    value = addressKey(req.ip);
  } else if (rule.key === 'session') {
    const id = req.session === undefined ? undefined : sessionInternals.cookieId(req.session);
    // No valid session cookie: counted by address, so dropping the cookie does not escape the limit.
    [kind, value] = id === undefined ? ['ip', addressKey(req.ip)] : ['session', id];
  } else {
    const v = await rule.key(req);
    if (v === undefined || v === null) return undefined;
    kind = 'fn';
    value = String(v);
  }
  return createHash('sha256').update(`${rule.bucket}\0${kind}\0${value}`).digest('base64url');
}
