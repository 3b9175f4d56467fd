/**
 * HTML text and attribute escaping.
 *
 * Rule: in HTML text and in quoted attribute values the characters `& < > " '` are the
 * only ones that can end the context or start markup (HTML Living Standard §13.2.5.1 data
 * state, §13.2.5.36–37 attribute value (double/single-quoted) states), so they are
 * replaced by character references. Every other character, including non-ASCII, passes
 * through unchanged, so text arrives intact. NUL is replaced by U+FFFD, as the parser
 * would do in an attribute anyway, and CR becomes `&#13;`, because the parser turns a raw
 * CR into LF (§13.2.3.5) while a reference keeps it.
 *
 * In an unquoted attribute value (§13.2.5.38) whitespace, `>`, and the characters that are
 * parse errors there (`" ' < = \``) also end or corrupt the value, so they are written as
 * numeric references too. Palisade's compiler quotes attribute values that start with a
 * template value; this escaper is for values that follow static text inside an unquoted
 * value, which therefore can never be empty.
 *
 * Markup written into an attribute value or RCDATA (`<title>`, `<textarea>`) contributes
 * its text: tags are removed and the remaining characters that could end the context are
 * escaped, while its character references are kept (they decode to the text they mean).
 *
 * Raw text (`<xmp>`, `<iframe>`, `<noembed>`, `<noframes>`, `<plaintext>`; §13.2.5.3
 * RAWTEXT state, §13.2.5.5 PLAINTEXT state) has no character references: the parser reads
 * everything as it is up to the element's end tag, so text is written as it is, and the
 * one thing it cannot hold, an end tag, is broken (see escapeRawText).
 *
 * Inside SVG and MathML (§13.2.6.5) these elements hold markup instead: Markup written there
 * has the text of its raw text elements escaped, so that it reads as the same text
 * (markupForForeign), and a value in a CDATA section is written between two sections
 * (escapeInCDATA).
 */
import { decodeEntities } from './entities.js';

const REPLACEMENT: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&#34;',
  "'": '&#39;',
  '\0': '\ufffd',
  '=': '&#61;',
  '`': '&#96;',
  ' ': '&#32;',
  '\t': '&#9;',
  '\n': '&#10;',
  '\f': '&#12;',
  '\r': '&#13;',
};
const replace = (c: string): string => REPLACEMENT[c]!;

// A regular-expression search is the fastest way V8 offers to find that a string has
// nothing to escape, except for very short strings (tags, names, list items), where the
// ~25 ns of calling into the regexp engine costs more than reading a few characters.
const HTML_SPECIAL = /[&<>"'\0\r]/;
const SHORT = 8;

/** Escapes a string for HTML text or a quoted attribute value. */
export function escapeHTML(s: string): string {
  const n = s.length;
  let i: number;
  if (n < SHORT) {
    for (i = 0; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c <= 62 && (c === 38 || c === 60 || c === 62 || c === 34 || c === 39 || c === 0 || c === 13)) break;
    }
    if (i === n) return s;
  } else {
    // search() finds the first special character without building a match object.
    i = s.search(HTML_SPECIAL);
    if (i === -1) return s; // the common case: nothing to escape, nothing allocated
  }
  let out = s.slice(0, i);
  let last = i;
  for (; i < n; i++) {
    let r: string;
    switch (s.charCodeAt(i)) {
      case 38:
        r = '&amp;';
        break;
      case 60:
        r = '&lt;';
        break;
      case 62:
        r = '&gt;';
        break;
      case 34:
        r = '&#34;';
        break;
      case 39:
        r = '&#39;';
        break;
      case 0:
        r = '\ufffd';
        break;
      case 13:
        r = '&#13;';
        break;
      default:
        continue;
    }
    if (last !== i) out += s.slice(last, i);
    out += r;
    last = i + 1;
  }
  return last === n ? out : out + s.slice(last);
}

const UNQUOTED_SPECIAL_G = /[&<>"'\0=` \t\n\f\r]/g;

/** Escapes a string for the inside of an unquoted attribute value (never empty there). */
export function escapeHTMLUnquoted(s: string): string {
  return s.replace(UNQUOTED_SPECIAL_G, replace);
}

// A tag, a comment, a doctype or a processing instruction, as the tokenizer would see
// them (§13.2.5.6 tag open state): `<` followed by a letter, `/`, `!` or `?`.
const TAG_LIKE = /<!--[\s\S]*?(?:-->|$)|<[a-zA-Z/!?][^>]*(?:>|$)/g;

/** Removes tags and comments from HTML, keeping text and character references. */
export function stripTags(html: string): string {
  if (html.indexOf('<') === -1) return html;
  return html.replace(TAG_LIKE, '');
}

const NEWLINES_G = /[\r\n]/g;

/**
 * Escapes a string for RCDATA (`<title>`, `<textarea>`, §13.2.5.2): like escapeHTML, and
 * line breaks become references, because the parser drops a newline right after the
 * `<textarea>` start tag (§13.2.6.4.7) and turns CR into LF (§13.2.3.5); a reference
 * keeps both exactly.
 */
export function escapeRCDATA(s: string): string {
  return escapeHTML(s).replace(NEWLINES_G, (c) => (c === '\n' ? '&#10;' : '&#13;'));
}

const MARKUP_TEXT_SPECIAL_G = /[<>"'\0\r]/g;
const MARKUP_TEXT_UNQUOTED_G = /[<>"'\0=` \t\n\f\r]/g;

/**
 * The text of Markup, for an attribute value or RCDATA: tags removed, references kept,
 * anything else that could end the context escaped.
 */
export function markupToAttr(html: string): string {
  return stripTags(html).replace(MARKUP_TEXT_SPECIAL_G, replace);
}

/** The text of Markup for RCDATA: markupToAttr, with line breaks as references. */
export function markupToRCDATA(html: string): string {
  return markupToAttr(html).replace(NEWLINES_G, (c) => (c === '\n' ? '&#10;' : '&#13;'));
}

/** Like markupToAttr, for the inside of an unquoted attribute value. */
export function markupToUnquotedAttr(html: string): string {
  return stripTags(html).replace(MARKUP_TEXT_UNQUOTED_G, replace);
}

// `</` before the name of an element whose content is raw text, RCDATA or script data, in
// any case, then whitespace, `/` or `>` (§13.2.5.12–14: such a name followed by one of
// these ends the element); and the start of a tag at the end of the value (`<`, `</`,
// `</xm`), which the text after the value could complete. Every such name is broken, not
// only the current element's, so that raw text inside Markup can end no element wherever
// the Markup goes (a `<noscript>` writes Markup as it is).
const RAW_END_TAG_G = /<(?=\/(?:script|style|xmp|iframe|noembed|noframes|noscript|textarea|title)[\t\n\f\r />]|\/?[A-Za-z]*$)/gi;

/**
 * Writes a string as raw text: as it is, except that `</` before the name of a raw-text,
 * RCDATA or script element (`</xmp`, `</noscript`, …), and a `<` that starts a tag at the
 * very end of the value, get a U+200B ZERO WIDTH SPACE after the `<`, so that they read the
 * same but end nothing. NUL becomes U+FFFD, as the parser would make it. A CR arrives as LF,
 * as the parser makes every CR (§13.2.3.5).
 */
export function escapeRawText(s: string): string {
  if (s.indexOf('<') === -1 && s.indexOf('\0') === -1) return s;
  return s.replace(RAW_END_TAG_G, '<\u200b').replace(/\0/g, '\ufffd');
}

/** The text of Markup as raw text: tags removed, references decoded, then escapeRawText. */
export function markupToRawText(html: string): string {
  return escapeRawText(decodeEntities(stripTags(html)));
}

/**
 * Writes the first character of escaped RCDATA as a reference when it is ASCII, and a
 * final `-` as `&#45;`: after raw text that ends with `<`, `</ti` or `--`, the value then
 * cannot complete an end tag or `-->` (templates/raw-text.ts). References decode to the
 * same text in RCDATA.
 */
export function escapeEdgesHTML(s: string): string {
  if (s === '') return s;
  const c = s.charCodeAt(0);
  let out = c < 128 && c !== 38 ? `&#${c};${s.slice(1)}` : s;
  if (out.charCodeAt(out.length - 1) === 45 && out.length > 1) out = out.slice(0, -1) + '&#45;';
  return out;
}

// The start tag of an element whose content is raw text in HTML and markup in SVG and
// MathML, up to its first `>` (one inside a quoted attribute value ends the match early,
// which only escapes more).
const RAW_START_G = /<(xmp|iframe|noembed|noframes|plaintext)(?=[\t\n\f\r />])[^>]*>?/gi;

const END_TAGS = new Map<string, RegExp>();

/**
 * Where the content of the element `name` (lower-case) that starts at `i` ends: its end
 * tag, in any case, followed by whitespace, `/` or `>` (§13.2.5.12–14, §13.2.5.3), or the
 * end of the text (always for `plaintext`). The search is case-insensitive in place: a
 * lower-cased copy can be longer than the text (`İ` becomes two code units), and its
 * offsets then miss the end tag.
 */
export function rawTextEnd(html: string, i: number, name: string): number {
  if (name === 'plaintext') return html.length;
  let re = END_TAGS.get(name);
  if (re === undefined) END_TAGS.set(name, (re = new RegExp(`</${name}(?=[\\t\\n\\f\\r />])`, 'gi')));
  re.lastIndex = i;
  return re.exec(html)?.index ?? html.length;
}

/**
 * Markup for a place inside SVG or MathML, where HTML's raw text elements hold markup: the
 * text of every `<xmp>`, `<iframe>`, `<noembed>`, `<noframes>` and `<plaintext>` has `&`
 * and `<` written as references, so that it reads as the same text instead of making
 * elements (a value written there as raw text could hold any markup). The rest is written
 * as it is: its values were escaped as text, attributes, script or CSS, none of which
 * writes a `<` or `&` the foreign reading would take differently.
 */
export function markupForForeign(html: string): string {
  RAW_START_G.lastIndex = 0;
  let m = RAW_START_G.exec(html);
  if (m === null) return html;
  let out = '';
  let last = 0;
  while (m !== null) {
    const start = m.index + m[0].length;
    const end = rawTextEnd(html, start, m[1]!.toLowerCase());
    out += html.slice(last, start) + html.slice(start, end).replace(/[&<]/g, (c) => (c === '&' ? '&amp;' : '&lt;'));
    last = end;
    RAW_START_G.lastIndex = end;
    m = RAW_START_G.exec(html);
  }
  return out + html.slice(last);
}

/**
 * A value's HTML text inside a CDATA section (§13.2.5.69–71, SVG and MathML only): the
 * section is ended before it and started again after it, so the value can hold `]]>`, and
 * its references decode between the sections.
 */
export function escapeInCDATA(text: string): string {
  return `]]>${text}<![CDATA[`;
}
