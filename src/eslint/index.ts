/**
 * Palisade's ESLint plugin, for flat config (`eslint.config.js`):
 *
 * ```js
 * import palisade from 'palisade/eslint';
 * export default [palisade.configs.recommended];
 * // or: { plugins: { palisade }, rules: { 'palisade/no-unsafe-trust': 'error' } }
 * ```
 *
 * Rules: `no-unsafe-trust` (trusting constructors called with anything but a literal).
 * See docs/templates.md#trusting-html.
 */
import { noUnsafeTrust, type RuleModule } from './no-unsafe-trust.js';

export type { RuleModule, RuleContext, RuleNode } from './no-unsafe-trust.js';

/** The plugin object: its rules and a recommended flat config. */
export interface PalisadePlugin {
  readonly meta: { readonly name: string };
  readonly rules: { readonly 'no-unsafe-trust': RuleModule };
  readonly configs: {
    readonly recommended: {
      readonly plugins: { readonly palisade: PalisadePlugin };
      readonly rules: { readonly 'palisade/no-unsafe-trust': 'error' };
    };
  };
}

const plugin = {
  meta: { name: 'palisade' },
  rules: { 'no-unsafe-trust': noUnsafeTrust },
  configs: {},
} as { meta: PalisadePlugin['meta']; rules: PalisadePlugin['rules']; configs: PalisadePlugin['configs'] };
(plugin as { configs: unknown }).configs = {
  recommended: { plugins: { palisade: plugin }, rules: { 'palisade/no-unsafe-trust': 'error' } },
};

/**
 * The `palisade/eslint` plugin: `{ rules: { 'no-unsafe-trust': … }, configs: { recommended } }`.
 * See docs/templates.md#trusting-html.
 */
const palisade: PalisadePlugin = plugin;
export default palisade;
export { noUnsafeTrust };
