/**
 * The `urlize` filter: text with its URLs and e-mail addresses made links, as Jinja's
 * (https://jinja.palletsprojects.com/en/stable/templates/#jinja-filters.urlize), returned as
 * Markup. The text is HTML-escaped first; only the links are markup. Given Markup, only its
 * text runs (escape/markup-text.ts) get links, never its tags or their attribute values.
 *
 * A word is made a link when it is an `http://` or `https://` URL, starts with `www.`, is a
 * bare domain ending in a common top-level domain (`example.org`), a `mailto:` URL, an
 * e-mail address, or starts with one of `extra_schemes` (`tel:`). Leading `(` and `<`, and
 * trailing `.`, `,`, `)` and `>` stay outside the link unless they balance one inside it.
 *
 * Safe links only: an href is written only when it uses http, https or mailto (after the
 * URL parser's own preprocessing, as escape/url.ts reads it) or one of `extra_schemes`,
 * which may never be `javascript:`, `vbscript:` or `data:`. Links get
 * `rel="nofollow noopener"` by default (Jinja adds only `noopener`): text given to urlize
 * is usually someone else's, and `nofollow` tells search engines not to vouch for it.
 */
import { type Markup, isMarkup, markupFromSafe } from '../escape/markup.js';
import { escapeHTML } from '../escape/html.js';
import { mapMarkupText } from '../escape/markup-text.js';
import { decodeEntities } from '../escape/entities.js';
import { isSafeURL, preprocessURL } from '../escape/url.js';
import { iter } from './values.js';
import { str } from './print.js';

const LEAD = ['(', '<', '&lt;'];
const TRAIL = ['.', ',', ')', '>', '\n', '&gt;'];
const PAIRS: [string, string][] = [
  ['(', ')'],
  ['<', '>'],
  ['&lt;', '&gt;'],
];
const HTTP = /^(?:https?:\/\/|www\.)[^\s]+$/i;
const BARE_DOMAIN = /^[\w%-]+(?:\.[\w%-]+)*\.(?:com|net|int|edu|gov|org|info|mil)(?::\d{1,5})?(?:[/?#]\S*)?$/i;
const EMAIL = /^\S+@\w[\w.-]*\.\w+$/;
const UNSAFE_SCHEMES = new Set(['javascript:', 'vbscript:', 'data:']);

/** Splits a word into what comes before a link, the link's text and what comes after it. */
function splitWord(word: string): [string, string, string] {
  let head = '';
  let middle = word;
  for (let again = true; again;) {
    again = false;
    for (const l of LEAD) {
      if (middle.startsWith(l)) {
        head += l;
        middle = middle.slice(l.length);
        again = true;
      }
    }
  }
  let tail = '';
  for (let again = true; again;) {
    again = false;
    for (const t of TRAIL) {
      if (middle.endsWith(t) && middle.length > t.length) {
        tail = t + tail;
        middle = middle.slice(0, -t.length);
        again = true;
      }
    }
  }
  // A closing bracket that balances an opening one inside the link belongs to it.
  for (const [open, close] of PAIRS) {
    const opens = middle.split(open).length - 1;
    const closes = middle.split(close).length - 1;
    for (let k = opens - closes; k > 0 && tail.includes(close); k--) {
      const end = tail.indexOf(close) + close.length;
      middle += tail.slice(0, end);
      tail = tail.slice(end);
    }
  }
  return [head, middle, tail];
}

/** True when `href` (HTML-escaped) is a URL a link may have. */
function safeHref(href: string, extra: readonly string[]): boolean {
  const url = preprocessURL(decodeEntities(href)).toLowerCase();
  return isSafeURL(decodeEntities(href)) || extra.some((s) => url.startsWith(s));
}

/**
 * `urlize(trim_url_limit=none, nofollow=true, target=none, rel=none, extra_schemes=none)`.
 * `trim_url_limit` shortens the text of long links (with `...`); `rel` adds to the `rel`
 * attribute; `nofollow=false` leaves `nofollow` out.
 */
export function urlize(
  v: unknown,
  trimLimit: unknown = null,
  nofollow: unknown = true,
  target: unknown = null,
  rel: unknown = null,
  extraSchemes: unknown = null,
): Markup {
  const extra =
    extraSchemes == null
      ? []
      : iter(extraSchemes)
          .map((s) => str(s).toLowerCase())
          .filter((s) => /^[a-z][a-z0-9+.-]*:$/.test(s) && !UNSAFE_SCHEMES.has(s));
  const relParts = new Set(
    str(rel ?? '')
      .split(/\s+/)
      .filter((x) => x !== ''),
  );
  if (nofollow !== false && nofollow !== null) relParts.add('nofollow');
  relParts.add('noopener');
  const relAttr = ` rel="${escapeHTML([...relParts].sort().join(' '))}"`;
  const targetAttr = target == null || target === '' ? '' : ` target="${escapeHTML(str(target))}"`;
  const limit = trimLimit == null ? null : Number(trimLimit);
  // As Jinja's: the first `limit` characters, and `...` once the text is that long.
  const label = (s: string): string => (limit === null ? s : `${s.slice(0, limit)}${s.length >= limit ? '...' : ''}`);
  const linkify = (text: string): string => {
    const parts = text.split(/(\s+)/);
    for (let i = 0; i < parts.length; i += 2) {
      const [head, middle, tail] = splitWord(parts[i]!);
      let link: string | null = null;
      // A raw quote (only Markup's own text can hold one; escaped values never do) would end the href.
      if (middle.includes('"')) continue;
      if (HTTP.test(middle)) {
        const href = middle.toLowerCase().startsWith('www.') ? `https://${middle}` : middle;
        link = `<a href="${href}"${relAttr}${targetAttr}>${label(middle)}</a>`;
      } else if (!middle.includes('@') && /^[A-Za-z0-9]/.test(middle) && BARE_DOMAIN.test(middle)) {
        link = `<a href="https://${middle}"${relAttr}${targetAttr}>${label(middle)}</a>`;
      } else if (middle.toLowerCase().startsWith('mailto:') && EMAIL.test(middle.slice(7))) {
        link = `<a href="${middle}">${middle.slice(7)}</a>`;
      } else if (middle.includes('@') && !middle.startsWith('www.') && !middle.includes(':') && EMAIL.test(middle)) {
        link = `<a href="mailto:${middle}">${middle}</a>`;
      } else {
        const scheme = extra.find((s) => middle.toLowerCase().startsWith(s) && middle.length > s.length);
        if (scheme !== undefined) link = `<a href="${middle}"${relAttr}${targetAttr}>${middle}</a>`;
      }
      if (link !== null && safeHref(/href="([^"]*)"/.exec(link)![1]!, extra)) parts[i] = head + link + tail;
    }
    return parts.join('');
  };
  // In Markup only the text between tags gets links: a URL in an attribute value, made a
  // link there, would end the value and let the rest of the URL write attributes.
  return markupFromSafe(isMarkup(v) ? mapMarkupText(v.toString(), linkify) : linkify(escapeHTML(str(v))));
}
