/**
 * The static folder: files under `static/` answered at `/static/<path>` with sendFile
 * (ETag, 304, Range, HEAD). No directory listings, no dotfiles, and no path that leaves
 * the folder: each URL segment is decoded once, then checked by safeJoin, which also
 * refuses symbolic links that lead out. With `compress.static` (the default) a file is
 * sent from its `.br` or `.gz` sibling when the client accepts that coding and the
 * sibling is at least as new as the file (an older one is stale, and ignored); otherwise
 * it is compressed as it is sent, if its type compresses.
 *
 * ```
 * static/css/site.css   →   GET /static/css/site.css
 * ```
 * See docs/files.md#the-static-folder.
 */
import { HttpError } from '../errors.js';
import type { Request } from '../http/request.js';
import type { Response } from '../http/response.js';
import type { StaticSettings } from './options.js';
import { safeJoin } from './safe-join.js';
import { sendFile } from './send-file.js';
import { markStaticResponse, type Encoding } from '../http/compress.js';

/**
 * Answers `req` from the static folder when its path is under the prefix (GET and HEAD
 * only); undefined when the request is not for the static folder.
 */
export async function serveStatic(req: Request, settings: StaticSettings, precompressed?: readonly Encoding[]): Promise<Response | undefined> {
  if (req.method !== 'GET' && req.method !== 'HEAD') return undefined;
  const path = req.path;
  const prefix = `${settings.prefix}/`;
  if (!path.startsWith(prefix)) return undefined;
  const segments = decodeSegments(path.slice(prefix.length));
  let file: string;
  try {
    file = await safeJoin(settings.dir, ...segments);
  } catch (err) {
    if (err instanceof HttpError) throw notFound();
    throw err;
  }
  const res = await sendFile(req, file, { maxAge: settings.maxAge, precompressed });
  markStaticResponse(res);
  return res;
}

/**
 * Splits and decodes the URL path below the prefix. Refused (404): an empty segment
 * (`a//b`, a trailing slash: no listings), a dotfile or `..`, a segment whose decoding
 * holds a separator or NUL (`..%2f`), and a malformed escape.
 */
function decodeSegments(rest: string): string[] {
  const out: string[] = [];
  for (const raw of rest.split('/')) {
    let seg: string;
    try {
      seg = decodeURIComponent(raw);
    } catch {
      throw notFound();
    }
    if (seg === '' || seg.startsWith('.') || /[/\\\0]/.test(seg)) throw notFound();
    out.push(seg);
  }
  return out;
}

function notFound(): HttpError {
  return new HttpError('HTTP_NOT_FOUND', 'No file is at this URL.');
}
