/**
 * What an element or an attribute name means for escaping.
 *
 * Element kinds follow the HTML Living Standard's tokenizer (§13.2.6.4.7 "in body"
 * insertion mode): `script` content is script data, `style`, `xmp`, `iframe`, `noembed`,
 * `noframes` and `noscript` (scripting on) are RAWTEXT, `title` and `textarea` are RCDATA,
 * `plaintext` never ends. In SVG and MathML none of this holds (foreignElementKind).
 *
 * Attribute kinds follow the attributes the standard defines as URLs (§2.4 "URLs" and the
 * element index), event handlers (§8.1.8.1: every `on*` content attribute), `style`
 * (CSS declarations), `srcdoc` (an HTML document) and `srcset` (a candidate list). As Go's
 * html/template does, a name that contains `src`, `uri` or `url` is treated as a URL too,
 * and a `data-` or `xmlns:`/`xlink:` prefix is removed before classifying.
 */
import { preprocessURL } from '../escape/url.js';
import type { AttrKind, Element } from './context.js';

const SPECIAL_ELEMENTS = new Set<string>([
  'script',
  'style',
  'title',
  'textarea',
  'xmp',
  'iframe',
  'noembed',
  'noframes',
  'noscript',
  'plaintext',
  'form',
  'pre',
  'listing',
  'meta',
]);

// SVG animation elements (SVG 2 / SVG Animations §2: animate, set, animateMotion,
// animateTransform; animateColor from SVG 1.1), lower-cased as the HTML tokenizer does.
const ANIMATION_ELEMENTS = new Set<string>(['animate', 'set', 'animatemotion', 'animatetransform', 'animatecolor']);

/** The element kind for a tag name (already lower-cased) of an HTML element. */
export function elementKind(tagName: string): Element {
  if (ANIMATION_ELEMENTS.has(tagName)) return 'animation';
  return SPECIAL_ELEMENTS.has(tagName) ? (tagName as Element) : 'none';
}

/**
 * The element kind for the tag name of an SVG (`ns` 's') or MathML ('m') element: none of
 * HTML's special elements exist there (their names make ordinary elements whose content is
 * markup, foreign.ts); SVG animations write values, and MathML `annotation-xml` may hold HTML.
 */
export function foreignElementKind(ns: 's' | 'm', tagName: string): Element {
  if (ns === 's') return ANIMATION_ELEMENTS.has(tagName) ? 'animation' : 'none';
  return tagName === 'annotation-xml' ? 'annotation-xml' : 'none';
}

/**
 * Elements whose content is text up to their end tag, not markup. (`noscript` content is
 * markup with scripting off: analyze.ts reads it as a region of its own.)
 */
export function isRawContentElement(e: Element): boolean {
  return e !== 'none' && e !== 'form' && e !== 'pre' && e !== 'listing' && e !== 'noscript' && e !== 'meta' && e !== 'animation' && e !== 'annotation-xml';
}

/**
 * Elements whose content is raw text with no character references (HTML §13.2.5.3 RAWTEXT,
 * §13.2.5.5 PLAINTEXT): `<xmp>`, `<iframe>`, `<noembed>`, `<noframes>`, `<plaintext>`.
 * (`<script>` and `<style>` are raw text too, read as JS and CSS.)
 */
export function isRawTextElement(e: Element): boolean {
  return e === 'xmp' || e === 'iframe' || e === 'noembed' || e === 'noframes' || e === 'plaintext';
}

// The animation attributes whose values are written into the animated attribute: they may
// set an `href` (SVG Animations §2.10–11 `values`, `from`, `to`, `by`).
const ANIMATION_VALUE_ATTRS = new Set(['values', 'to', 'from', 'by']);

const URL_ATTRS = new Set([
  'action',
  'archive',
  'background',
  'cite',
  'classid',
  'codebase',
  'data',
  'formaction',
  'href',
  'icon',
  'longdesc',
  'manifest',
  'poster',
  'profile',
  'src',
  'usemap',
  'xmlns',
  'ping',
  'itemtype',
  'itemid',
  'dynsrc',
  'lowsrc',
  'codetype',
]);

/** The kind of an attribute named `rawName` on element `element`. */
export function attrKind(rawName: string, element: Element): AttrKind {
  let name = rawName.toLowerCase();
  if (element === 'script' && name === 'type') return 'script-type';
  if (element === 'form' && name === 'method') return 'form-method';
  if (element === 'form' && name === 'action') return 'form-action';
  if (element === 'meta' && name === 'content') return 'meta-content';
  if (element === 'animation' && ANIMATION_VALUE_ATTRS.has(name)) return 'anim';
  if (element === 'annotation-xml' && name === 'encoding') return 'encoding';
  if (name === 'srcdoc') return 'srcdoc';
  if (name.startsWith('on')) return 'js';
  if (name === 'style') return 'css';
  if (name.startsWith('data-')) name = name.slice(5);
  else if (name.startsWith('xmlns:')) return 'url';
  else if (name.startsWith('xlink:')) name = name.slice(6);
  else {
    const colon = name.indexOf(':');
    if (colon !== -1) name = name.slice(colon + 1);
  }
  if (name === 'srcset' || name === 'imagesrcset') return 'srcset';
  if (URL_ATTRS.has(name) || name.includes('src') || name.includes('uri') || name.includes('url') || name.includes('href')) {
    return 'url';
  }
  return 'plain';
}

const JS_TYPES = new Set([
  '',
  'module',
  'text/javascript',
  'application/javascript',
  'text/ecmascript',
  'application/ecmascript',
  'application/x-javascript',
  'application/x-ecmascript',
  'text/x-javascript',
  'text/x-ecmascript',
  'text/jscript',
  'text/livescript',
  'text/javascript1.0',
  'text/javascript1.1',
  'text/javascript1.2',
  'text/javascript1.3',
  'text/javascript1.4',
  'text/javascript1.5',
]);

/**
 * What a `<script type>` value makes the content: JS, JSON, or a data block (§4.12.1).
 * JSON is every "JSON MIME type" of the MIME Sniffing standard (§4.6: essence
 * `application/json` or `text/json`, or a subtype ending in `+json`), plus the JSON
 * script types the browser itself reads.
 */
export function scriptTypeKind(value: string): 'js' | 'json' | 'data' {
  const t = value.trim().toLowerCase().split(';')[0]!.trim();
  if (JS_TYPES.has(t)) return 'js';
  if (t === 'application/json' || t === 'text/json' || t === 'importmap' || t === 'speculationrules' || t.endsWith('+json')) return 'json';
  return 'data';
}

/**
 * True when a static `<form action>` stays on this origin: empty, a path starting with
 * one `/` (not `//` or `/\`, which start another host), or a relative reference without a
 * scheme (URL Standard §4.4: a scheme is letters, digits, `+ - .` before a `:`).
 */
export function isSameOriginAction(value: string): boolean {
  const v = preprocessURL(value);
  if (v === '') return true;
  if (v[0] === '/' || v[0] === '\\') return v.length === 1 || (v[1] !== '/' && v[1] !== '\\');
  return !/^[a-zA-Z][a-zA-Z0-9+.-]*:/.test(v);
}

/**
 * True when the static start of a `<form action>` whose value continues with a template
 * value already fixes this origin: a path with a first segment (`/notes/{{ id }}`), or a
 * relative path whose first segment ends before any `:` (`edit/{{ id }}`). A bare `/`
 * before a value is not enough: the value could add the second slash of `//other.host`.
 */
export function isSameOriginActionPrefix(prefix: string): boolean {
  const v = prefix.replace(/^[\0-\x20]+/, '').replace(/[\t\n\r]/g, '');
  if (/^\/[^/\\]/.test(v)) return true;
  return /^[?#]/.test(v) || /^[^:/?#\\]+[/?#]/.test(v);
}

// Names an attribute may have when it comes from a value (`{{ name|attrname }}`): the
// XML Name production restricted to ASCII, never an event handler, style, URL, srcdoc or
// an attribute that changes how other content is read (Jinja's xmlattr had CVEs here:
// CVE-2024-22195 and CVE-2024-34064, names containing spaces, `/`, `>` or `=`).
const SAFE_NAME = /^[a-zA-Z_][a-zA-Z0-9_.-]*$/;
const NAME_DENY = new Set(['type', 'nonce', 'method', 'action', 'http-equiv', 'content', 'is', 'slot', 'rel', 'target']);

/** True when `name` is safe as an attribute name built from a value. */
export function isSafeAttrName(name: string): boolean {
  if (!SAFE_NAME.test(name)) return false;
  const lower = name.toLowerCase();
  if (NAME_DENY.has(lower)) return false;
  return attrKind(lower, 'none') === 'plain';
}
