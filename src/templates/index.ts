/**
 * Templates: Jinja syntax, escaped by context at compile time. See docs/templates.md.
 */
export { renderString, compileTemplate, Template, type CompileOptions } from './compile.js';
export { createTemplates, Templates, type TemplatesOptions } from './loader.js';
export type { RenderEnv } from './render-env.js';
export { TemplateError } from '../errors.js';
