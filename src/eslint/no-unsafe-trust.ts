/**
 * The ESLint rule `palisade/no-unsafe-trust`: flags the calls that write text verbatim as
 * HTML, a URL, a script or a style when their argument is not a literal:
 * `Markup.unsafeTrust(x)`, `SafeURL.unsafeTrust(x)`, `SafeScript.unsafeTrust(x)`,
 * `SafeStyle.unsafeTrust(x)` and `Response.unsafeHTML(x)`. A string literal, a template
 * literal without `${…}`, and `+` between such literals pass: they are text the author
 * wrote. Anything else may carry data, and data must be escaped (a template or the `html`
 * tag), not trusted. See docs/templates.md#trusting-html.
 *
 * Typed with small structural interfaces rather than ESLint's own types, so the package's
 * public types do not depend on ESLint (a development dependency here).
 */

/** The parts of an ESTree node the rule reads. */
export interface RuleNode {
  readonly type: string;
  readonly [key: string]: unknown;
}

/** What the rule needs from ESLint's rule context. */
export interface RuleContext {
  report(descriptor: { node: RuleNode; messageId: string; data?: Record<string, string> }): void;
}

/** A rule module in ESLint's format (`meta` and `create`). */
export interface RuleModule {
  readonly meta: {
    readonly type: 'problem' | 'suggestion' | 'layout';
    readonly docs: { readonly description: string; readonly recommended: boolean; readonly url: string };
    readonly messages: Readonly<Record<string, string>>;
    readonly schema: readonly unknown[];
  };
  create(context: RuleContext): Record<string, (node: RuleNode) => void>;
}

/** Object name → the trusting static methods on it. */
const TRUSTING: Readonly<Record<string, string>> = {
  Markup: 'unsafeTrust',
  SafeURL: 'unsafeTrust',
  SafeScript: 'unsafeTrust',
  SafeStyle: 'unsafeTrust',
  Response: 'unsafeHTML',
};

/** The property name of a member expression (`a.b` or `a['b']`), or undefined. */
function propertyName(member: RuleNode): string | undefined {
  const p = member.property as RuleNode;
  if (member.computed !== true && p.type === 'Identifier') return p.name as string;
  if (member.computed === true && p.type === 'Literal' && typeof p.value === 'string') return p.value;
  if (member.computed === true && p.type === 'TemplateLiteral' && (p.expressions as unknown[]).length === 0) {
    return ((p.quasis as RuleNode[])[0]!.value as { cooked: string }).cooked;
  }
  return undefined;
}

/** True when `node` is text written in the source: a string literal, or literals joined by `+`. */
function isLiteralText(node: RuleNode): boolean {
  if (node.type === 'Literal') return typeof node.value === 'string';
  if (node.type === 'TemplateLiteral') return (node.expressions as unknown[]).length === 0;
  if (node.type === 'BinaryExpression' && node.operator === '+') {
    return isLiteralText(node.left as RuleNode) && isLiteralText(node.right as RuleNode);
  }
  return false;
}

/** `palisade/no-unsafe-trust`. */
export const noUnsafeTrust: RuleModule = {
  meta: {
    type: 'problem',
    docs: {
      description: 'Disallow trusting non-literal text as HTML, a URL, a script or a style',
      recommended: true,
      url: 'https://github.com/palisade/palisade/blob/main/docs/templates.md#trusting-html',
    },
    messages: {
      nonLiteral:
        '{{call}}() writes its argument verbatim, and this argument is not a string literal. ' +
        'Escape values instead: build the HTML with the html tag or a template. Trust only text you wrote.',
    },
    schema: [],
  },
  create(context) {
    return {
      CallExpression(node) {
        const callee = node.callee as RuleNode;
        if (callee.type !== 'MemberExpression') return;
        const object = callee.object as RuleNode;
        if (object.type !== 'Identifier') return;
        const owner = object.name as string;
        const method = TRUSTING[owner];
        if (method === undefined || propertyName(callee) !== method) return;
        const args = node.arguments as RuleNode[];
        if (args.length === 0) return;
        const first = args[0]!;
        if (isLiteralText(first)) return;
        context.report({ node: first, messageId: 'nonLiteral', data: { call: `${owner}.${method}` } });
      },
    };
  },
};
