/**
 * Templates in the app: the `templates` setting builds a loader once, and `render(name,
 * context)` renders with it from any handler, reaching the app through the request scope
 * and passing the request's render environment (nonce, CSRF token, url_for, globals).
 *
 * ```ts
 * const app = createApp({ templates: { dir: 'templates' } });
 * app.get('/', () => render('index.html', { title: 'Home' }));
 * ```
 * See docs/templates.md.
 */
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { ConfigError } from '../errors.js';
import type { Markup } from '../escape/markup.js';
import { currentScope } from '../http/context.js';
import { createTemplates, Templates, type TemplatesOptions } from '../templates/loader.js';
import type { Env } from '../mode.js';

/** The `templates` setting: loader options (the mode follows the app), a loader, or false. */
export type AppTemplatesOption = Omit<TemplatesOptions, 'mode'> | Templates | false;

/**
 * Builds the app's loader: the one given, one from the options, or — when the setting is
 * absent — one for a `templates/` folder in the working directory if there is one.
 */
export function resolveTemplates(opt: AppTemplatesOption | undefined, env: Env): Templates | null {
  if (opt === false) return null;
  if (opt instanceof Templates) return opt;
  if (opt === undefined) {
    const dir = resolve('templates');
    return existsSync(dir) && statSync(dir).isDirectory() ? createTemplates({ dir, mode: env }) : null;
  }
  if (typeof opt !== 'object' || opt === null || typeof opt.dir !== 'string') {
    throw new ConfigError('CONFIG_INVALID', 'Setting "templates" must be { dir: string, ... }, a Templates loader, or false.', { key: 'templates' });
  }
  if (!existsSync(opt.dir)) {
    throw new ConfigError('CONFIG_INVALID', `Setting "templates.dir" names ${JSON.stringify(opt.dir)}, which does not exist.`, { key: 'templates.dir' });
  }
  return createTemplates({ ...opt, mode: env });
}

/**
 * Renders a template of the current app's templates folder and returns Markup, which a
 * handler can return as it is (`text/html; charset=utf-8`).
 *
 * ```ts
 * app.get('/notes/:id', (req) => render('note.html', { note: load(req.params.id) }));
 * ```
 * See docs/templates.md.
 */
export function render(name: string, context: Record<string, unknown> = {}): Markup {
  const scope = currentScope();
  if (scope?.templates === undefined) {
    throw new TypeError(
      "render() needs the app's templates: call it while a request is handled, in an app created with createApp({ templates: { dir } }) or with a templates/ folder in the working directory.",
    );
  }
  // The request's scope is its render environment: nonce, CSRF token, url_for, globals.
  return scope.templates.render(name, context, scope);
}
