/**
 * Resource isolation for JSON: the protection that keeps other sites from loading this
 * app's URLs as subresources, and the headers that keep JSON responses to their own origin.
 *
 * The rule (docs/json.md#resource-isolation): a request whose `Sec-Fetch-Site` is
 * `cross-site` and whose `Sec-Fetch-Dest` is a subresource destination (`script`, `style`,
 * `image`, `font`, `audio`, `video`, `track`, `object`, `embed`, workers, worklets, `xslt`)
 * is refused with a 403 (`JSON_CROSS_SITE_LOAD`) before hooks and the handler run, unless
 * its route opts out with `{ crossSiteLoad: true }`. Fetch Metadata headers are set by the
 * browser and cannot be forged by a page (Fetch Metadata Request Headers, W3C, §2; the
 * destinations are those of the Fetch Standard, "request destination"). No route of a web
 * app has a reason to answer another site's `<script src>` with the user's data, so the
 * rule does not try to guess which routes return JSON: it applies to every route, and the
 * few that serve public embeddable files say so.
 *
 * `fetch()` and XHR (`Sec-Fetch-Dest: empty`) are not refused here: their responses are
 * unreadable cross-origin unless CORS allows them (see cors.ts). Navigations (`document`,
 * `iframe`) are not refused either: a link from another site to an API URL must work, and
 * a framed response is not readable by the framing page.
 *
 * On the way out, JSON responses get `Cross-Origin-Resource-Policy: same-origin` (the
 * browser itself then refuses to hand them to a no-cors load from another origin, even in
 * browsers that send no Fetch Metadata), and, when asked for, the XSSI prefix.
 */
import { ConfigError, HttpError } from '../errors.js';
import type { Protection, ProtectionContext } from '../app/protection.js';
import type { MountedRoute } from '../app/route-table.js';
import type { Request } from '../http/request.js';
import type { Response } from '../http/response.js';
import { isJSONMediaType, parseMediaType } from '../http/media-type.js';
import { XSSI_PREFIX } from '../json/jsonify.js';

/** The app's `json` section: `createApp({ json: { ... } })`. See docs/json.md. */
export interface JSONOptions {
  /**
   * Refuse cross-site subresource loads (`<script src>`, `<img src>`…) of every route that
   * does not opt out with `{ crossSiteLoad: true }`. Default true. `false` is reported by
   * `palisade check`.
   */
  isolation?: boolean;
  /**
   * The `Cross-Origin-Resource-Policy` sent with JSON responses: `same-origin` (default),
   * `same-site`, or false for none.
   */
  resourcePolicy?: 'same-origin' | 'same-site' | false;
  /** Start every JSON response with `)]}',\n` (routes may say `xssiPrefix: false`). Default false. */
  xssiPrefix?: boolean;
}

declare module '../app/route-collector.js' {
  interface RouteOptions {
    /**
     * This route serves something other sites may embed (a public image, a script meant
     * for other sites): cross-site `<script>`/`<img>`/… loads are not refused, and its JSON
     * responses get no `Cross-Origin-Resource-Policy`. Listed by `palisade check`.
     * See docs/json.md#resource-isolation.
     */
    crossSiteLoad?: boolean;
    /** Start this route's JSON responses with `)]}',\n`. See docs/json.md#xssi-prefix. */
    xssiPrefix?: boolean;
  }
}

/**
 * `Sec-Fetch-Dest` values of subresource loads another page can make without CORS, plus
 * workers and worklets. Not here: `empty` (fetch/XHR, guarded by CORS), `document`,
 * `iframe`, `frame` (navigations), `json` and `manifest` (always CORS-mode).
 */
export const SUBRESOURCE_DESTS: ReadonlySet<string> = new Set([
  'audio',
  'audioworklet',
  'embed',
  'font',
  'image',
  'object',
  'paintworklet',
  'script',
  'serviceworker',
  'sharedworker',
  'style',
  'track',
  'video',
  'worker',
  'xslt',
]);

const KEYS = new Set(['isolation', 'resourcePolicy', 'xssiPrefix']);

function readOptions(raw: unknown): Required<JSONOptions> {
  const out: Required<JSONOptions> = { isolation: true, resourcePolicy: 'same-origin', xssiPrefix: false };
  if (raw === undefined) return out;
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new ConfigError('CONFIG_INVALID', `Setting "json" must be an object like { isolation: true }; got ${JSON.stringify(raw)}.`, { key: 'json' });
  }
  const o = raw as Record<string, unknown>;
  for (const k of Object.keys(o)) {
    if (!KEYS.has(k)) throw new ConfigError('CONFIG_INVALID', `Unknown setting "json.${k}"; known: ${[...KEYS].join(', ')}.`, { key: `json.${k}` });
  }
  if (o.isolation !== undefined) out.isolation = bool('json.isolation', o.isolation);
  if (o.xssiPrefix !== undefined) out.xssiPrefix = bool('json.xssiPrefix', o.xssiPrefix);
  if (o.resourcePolicy !== undefined) {
    if (o.resourcePolicy !== 'same-origin' && o.resourcePolicy !== 'same-site' && o.resourcePolicy !== false) {
      throw new ConfigError(
        'CONFIG_INVALID',
        `Setting "json.resourcePolicy" must be "same-origin", "same-site" or false; got ${JSON.stringify(o.resourcePolicy)}.`,
        { key: 'json.resourcePolicy' },
      );
    }
    out.resourcePolicy = o.resourcePolicy;
  }
  return out;
}

function bool(key: string, v: unknown): boolean {
  if (typeof v !== 'boolean') throw new ConfigError('CONFIG_INVALID', `Setting "${key}" must be true or false; got ${JSON.stringify(v)}.`, { key });
  return v;
}

/** True when the response is JSON by its content type (`application/json`, `*+json`). */
function isJSONResponse(res: Response): boolean {
  return isJSONMediaType(parseMediaType(res.getHeader('content-type')));
}

/**
 * Builds the resource-isolation protection from the app's `json` section. It is always
 * present; `json: { isolation: false }` only switches the refusal off, keeping the
 * response headers.
 *
 * ```ts
 * createApp({ json: { isolation: true, resourcePolicy: 'same-origin' } }); // the defaults
 * app.get('/avatar/:id.png', sendAvatar, { crossSiteLoad: true });           // embeddable
 * ```
 * See docs/json.md#resource-isolation.
 */
export function resourceIsolation(ctx: ProtectionContext): Protection {
  const opts = readOptions(ctx.options.json);
  return {
    name: 'json-isolation',
    phases: { check: 'isolation', finish: 'route-headers' },
    check: opts.isolation
      ? (req: Request, route: MountedRoute | null): void => {
          if (route === null || route.options.crossSiteLoad === true) return;
          if (req.header('sec-fetch-site') !== 'cross-site') return;
          const dest = req.header('sec-fetch-dest');
          if (dest === undefined || !SUBRESOURCE_DESTS.has(dest)) return;
          req.log.warn(
            { code: 'JSON_CROSS_SITE_LOAD', method: req.method, path: req.path, dest, site: 'cross-site', referer: req.header('referer') },
            'refused a cross-site subresource load',
          );
          throw new HttpError(
            'JSON_CROSS_SITE_LOAD',
            `Another site asked for this URL as a ${dest} (Sec-Fetch-Dest: ${dest}, Sec-Fetch-Site: cross-site), which is refused so that no other site can run or embed responses meant for this app's own pages. If this route serves a public file meant to be embedded by other sites, give it the route option { crossSiteLoad: true }.`,
            { dest },
          );
        }
      : undefined,
    finish(req: Request, res: Response): void {
      const routeOpts = req.route?.options;
      const h = res.headers;
      if (routeOpts?.crossSiteLoad === true) {
        // Embeddable by design: say so, before the headers protection fills in its
        // app-wide same-origin default.
        if (h['cross-origin-resource-policy'] === undefined) h['cross-origin-resource-policy'] = 'cross-origin';
      }
      const prefix = typeof routeOpts?.xssiPrefix === 'boolean' ? routeOpts.xssiPrefix : opts.xssiPrefix;
      const corp = opts.resourcePolicy !== false && h['cross-origin-resource-policy'] === undefined;
      if (!prefix && !corp) return;
      if (!isJSONResponse(res)) return;
      if (corp) h['cross-origin-resource-policy'] = opts.resourcePolicy as string;
      if (prefix) addPrefix(res);
    },
    audit(routes: readonly MountedRoute[]): string[] {
      const out: string[] = [];
      if (!opts.isolation) {
        out.push(
          'json-isolation-off: Resource isolation is off (json: { isolation: false }), so other sites can load any URL of this app with <script src> or <img src>. Fix: remove `isolation: false`; give embeddable routes { crossSiteLoad: true }.',
        );
        for (const r of routes) {
          if (r.options.allowTopLevelArray === true && !r.implicitHead) {
            out.push(
              `json-top-level-array: ${r.method} ${r.path} may answer with a top-level JSON array (allowTopLevelArray) while resource isolation is off. Fix: wrap the array in an object, or turn isolation back on.`,
            );
          }
        }
      }
      if (opts.resourcePolicy === false) {
        out.push(
          'json-corp-off: JSON responses are sent without Cross-Origin-Resource-Policy (json: { resourcePolicy: false }). Fix: remove `resourcePolicy: false`.',
        );
      }
      for (const r of routes) {
        if (r.options.crossSiteLoad === true && !r.implicitHead) {
          out.push(
            `json-cross-site-load: ${r.method} ${r.path} may be loaded by other sites as a script, image or other subresource (crossSiteLoad: true). Fix: remove the option unless the route serves only public data.`,
          );
        }
      }
      return out;
    },
  };
}

function addPrefix(res: Response): void {
  const body = res.body;
  let changed = false;
  if (typeof body === 'string') {
    if (!body.startsWith(XSSI_PREFIX)) {
      res.body = XSSI_PREFIX + body;
      changed = true;
    }
  } else if (body instanceof Uint8Array) {
    const head = Buffer.from(body.buffer, body.byteOffset, Math.min(body.byteLength, XSSI_PREFIX.length)).toString('latin1');
    if (head !== XSSI_PREFIX) {
      res.body = Buffer.concat([Buffer.from(XSSI_PREFIX), body]);
      changed = true;
    }
  }
  // A streamed JSON body is left as it is: a handler that streams writes its own prefix.
  if (changed) delete res.headers['content-length'];
}
