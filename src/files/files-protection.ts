/**
 * The files protection: serves the static folder, gives each request its upload storage
 * under the app's `uploads` limits, and deletes every temporary upload file the handler
 * did not save once the response is finished (errors included). Its check runs in the
 * `files` phase, before the CSRF check, which may read `csrf_token` from a multipart body
 * through `req.files()`; its finish in the `cleanup` phase.
 * See docs/files.md.
 */
import type { Protection, ProtectionContext } from '../app/protection.js';
import type { Request } from '../http/request.js';
import { resolveStatic, resolveUploadLimits } from './options.js';
import './request-files.js';
import { serveStatic } from './static.js';
import { bindStore, boundUploads, UploadStore } from './upload-store.js';

/** Builds the files protection from `options.uploads` and `options.static`. */
export function filesProtection(ctx: ProtectionContext): Protection {
  const limits = resolveUploadLimits(ctx.options.uploads);
  const staticSettings = resolveStatic(ctx.options.static);
  const store = new UploadStore(limits);
  const compress = ctx.settings.compress;
  const precompressed = compress.static ? compress.encodings : undefined;
  return {
    name: 'files',
    phases: { check: 'files', finish: 'cleanup' },
    check(req, route) {
      // Only a request that can carry a body can upload; GET and HEAD skip the binding.
      if (req.method !== 'GET' && req.method !== 'HEAD') bindStore(req, store);
      if (route === null && staticSettings !== null) return serveStatic(req, staticSettings, precompressed);
      return undefined;
    },
    finish(req: Request) {
      const uploads = boundUploads(req);
      if (uploads !== undefined) return uploads.cleanup();
      return undefined;
    },
    close() {
      return store.close();
    },
  };
}
