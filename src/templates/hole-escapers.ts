/**
 * The escaping functions generated code calls, by the names of a hole's chain
 * (escaper-table.ts): each takes any value a template writes (a string, a number, Markup or
 * another typed safe value) and returns text for its context, by the string functions of
 * src/escape (one module per language). Generated code hoists the ones it uses into
 * constants once per compiled template (codegen.ts); the compiler runs them too, on
 * literals (output-pass.ts), so a literal is written as it would be at run time.
 */
import { SafeScript, SafeStyle, SafeURL, isMarkup } from '../escape/markup.js';
import {
  escapeEdgesHTML,
  escapeHTML,
  escapeHTMLUnquoted,
  escapeInCDATA,
  escapeRCDATA,
  escapeRawText,
  markupForForeign,
  markupToAttr,
  markupToRCDATA,
  markupToRawText,
  markupToUnquotedAttr,
} from '../escape/html.js';
import {
  URL_SENTINEL,
  escapeEdgesURL,
  escapeURLComponent,
  filterAndNormalizeURL,
  filterURL,
  filterURLList,
  filterAndNormalizeURLForAttr,
  filterSrcset,
  filterSrcsetDescriptor,
  filterSrcsetURL,
  normalizeURL,
} from '../escape/url.js';
import { escapeEdgesJS, escapeJSRegexp, escapeJSString, escapeJSTemplate, jsValue } from '../escape/js.js';
import { escapeCSSString, escapeCSSURL, escapeEdgesCSS, filterCSSValue } from '../escape/css.js';
import { filterRefresh, filterRefreshURL } from '../escape/refresh.js';
import type { EscaperName, FusedEscaperName } from './escaper-table.js';
import { isSameOriginAction } from './attr.js';
import { numberText, str } from './print.js';

/** A value as one URL component. A safe integer (ids in paths) is digits and perhaps `-`, all unreserved. */
function urlComponent(v: unknown): string {
  return typeof v === 'number' && Number.isSafeInteger(v) ? String(v) : escapeURLComponent(str(v));
}

/** The escaping function for each name in a hole's chain. */
export const ESCAPERS: Readonly<Record<EscaperName | FusedEscaperName, (v: unknown) => string>> = {
  text: (v) => (typeof v === 'string' ? escapeHTML(v) : typeof v === 'number' ? numberText(v) : isMarkup(v) ? v.toString() : escapeHTML(str(v))),
  rcdata: (v) => (isMarkup(v) ? markupToRCDATA(v.toString()) : escapeRCDATA(str(v))),
  rawtext: (v) => (isMarkup(v) ? markupToRawText(v.toString()) : escapeRawText(str(v))),
  attr: (v) => (typeof v === 'string' ? escapeHTML(v) : typeof v === 'number' ? numberText(v) : isMarkup(v) ? markupToAttr(v.toString()) : escapeHTML(str(v))),
  // After static text that ends with `&…`: the first character as a numeric reference when
  // it could continue that reference (analyze.ts); it decodes to itself.
  refStart: (v) => {
    const s = str(v);
    const c = s.charCodeAt(0);
    return (c >= 48 && c <= 57) || ((c | 0x20) >= 97 && (c | 0x20) <= 122) || c === 35 || c === 59 ? `&#${c};${s.slice(1)}` : s;
  },
  attrUnquoted: (v) => (isMarkup(v) ? markupToUnquotedAttr(v.toString()) : escapeHTMLUnquoted(str(v))),
  url: (v) => (v instanceof SafeURL ? normalizeURL(v.toString()) : filterAndNormalizeURL(str(v))),
  urlAttr: (v) => (typeof v === 'string' ? filterAndNormalizeURLForAttr(v) : ESCAPERS.attr(ESCAPERS.url(v))),
  urlPart: (v) => (v instanceof SafeURL ? normalizeURL(v.toString()) : urlComponent(v)),
  urlPartAttr: (v) => (v instanceof SafeURL ? escapeHTML(normalizeURL(v.toString())) : urlComponent(v)),
  srcset: (v) => (v instanceof SafeURL ? normalizeURL(v.toString()) : filterSrcset(str(v))),
  srcsetURL: (v) => (v instanceof SafeURL ? filterSrcsetURL(v.toString(), true) : filterSrcsetURL(str(v))),
  srcsetDescriptor: (v) => filterSrcsetDescriptor(str(v)),
  jsValue: (v) => (v instanceof SafeScript ? v.toString() : jsValue(isMarkup(v) || v instanceof SafeURL || v instanceof SafeStyle ? v.toString() : v)),
  jsString: (v) => escapeJSString(str(v)),
  jsTemplate: (v) => escapeJSTemplate(str(v)),
  jsRegexp: (v) => escapeJSRegexp(str(v)),
  cssValue: (v) => (v instanceof SafeStyle ? v.toString() : filterCSSValue(str(v))),
  cssString: (v) => escapeCSSString(str(v)),
  cssURL: (v) => escapeCSSURL(str(v)),
  edgeHTML: (v) => escapeEdgesHTML(v as string),
  edgeJS: (v) => escapeEdgesJS(v as string),
  edgeCSS: (v) => escapeEdgesCSS(v as string),
  edgeURL: (v) => escapeEdgesURL(v as string),
  refresh: (v) => (v instanceof SafeURL ? v.toString() : filterRefresh(str(v))),
  refreshURL: (v) => (v instanceof SafeURL ? v.toString() : filterRefreshURL(str(v))),
  animValues: (v) => (v instanceof SafeURL ? v.toString() : filterURLList(str(v))),
  urlFilter: (v) => (v instanceof SafeURL ? v.toString() : filterURL(str(v))),
  // Text in SVG or MathML: as in HTML text, with Markup's raw text written for the foreign reading.
  foreignText: (v) => (isMarkup(v) ? markupForForeign(v.toString()) : ESCAPERS.text(v)),
  cdata: (v) => escapeInCDATA(ESCAPERS.foreignText(v)),
  // The whole action of a POST form that gets the CSRF field (hole-plan.ts): a URL that
  // leaves this origin (`//host`, `/\\host`, any scheme) is refused, so the field is not sent there.
  sameOriginURL: (v) => {
    const s = str(v);
    return isSameOriginAction(s) ? filterAndNormalizeURL(s) : URL_SENTINEL;
  },
};
