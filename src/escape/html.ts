/**
 * HTML text and attribute escaping.
 *
 * Rule: in HTML text and in quoted attribute values the characters `& < > " '` are the
 * only ones that can end the context or start markup (HTML Living Standard §13.2.5, the
 * data and attribute-value states), so they are replaced by character references. Every
 * other character, including non-ASCII, passes through unchanged, so text arrives intact.
 */
const HTML_SPECIAL = /[&<>"']/;
const HTML_SPECIAL_G = /[&<>"']/g;
const REPLACEMENT: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&#34;',
  "'": '&#39;',
};

/** Escapes a string for HTML text or a quoted attribute value. */
export function escapeHTML(s: string): string {
  // Fast path: most values have nothing to escape.
  if (!HTML_SPECIAL.test(s)) return s;
  return s.replace(HTML_SPECIAL_G, (c) => REPLACEMENT[c]!);
}
