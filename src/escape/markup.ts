/**
 * Typed trusted values: text that is already safe in one context and is written there
 * verbatim. Each kind is escaped like any other string in every other context.
 *
 * WARNING, for every kind here: the content of a trusted value is emitted verbatim in its
 * own context. Never build one from data a user can influence; escape instead (let the
 * template or the `html` tag do it). See docs/templates.md.
 */
import { checkTrust } from './trust-guard.js';

// Values built by Palisade's own escapers skip the trust guard: they are safe by
// construction. The key is module-private so that user code cannot reach it.
const internal = Symbol('palisade.internal');

/**
 * Markup is HTML that is safe to write into HTML text as it is.
 *
 * Templates and the `html` tag return Markup; a handler that returns Markup answers
 * `text/html; charset=utf-8`.
 *
 * ```ts
 * const m = Markup.unsafeTrust('<b>fixed text</b>'); // only for text you wrote yourself
 * ```
 */
export class Markup {
  readonly #html: string;
  /** The request scope this HTML was rendered for, if any (src/http/context.ts). */
  #renderedFor: object | undefined = undefined;
  private constructor(html: string, key: symbol) {
    if (key !== internal) throw new TypeError('Markup cannot be constructed directly; use Markup.unsafeTrust()');
    this.#html = html;
  }
  /**
   * Trusts `html` as safe HTML, verbatim. WARNING: the content is emitted verbatim; never
   * pass request data. In development a guard throws if it contains request data.
   */
  static unsafeTrust(html: string): Markup {
    const s = String(html);
    checkTrust('html', s);
    return new Markup(s, internal);
  }
  /** Internal: wraps HTML produced by Palisade's own escapers. */
  static fromEscaped(html: string, key: symbol): Markup {
    return new Markup(html, key);
  }
  toString(): string {
    return this.#html;
  }
  toJSON(): string {
    return this.#html;
  }
  get length(): number {
    return this.#html.length;
  }
  /** Internal: see `setRenderedFor`. */
  static renderedFor(m: Markup, scope: object | undefined, key: symbol): object | undefined {
    if (key !== internal) throw new TypeError('internal');
    if (scope !== undefined) m.#renderedFor = scope;
    return m.#renderedFor;
  }
}

/**
 * Internal: records the request scope `m` was rendered for, on the Markup itself. (A
 * WeakMap from Markup to scope did the same, but V8 keeps a young key of a WeakMap alive
 * through young collections, and with it the whole page the Markup holds: a page's
 * garbage then reached the old generation; bench/README.md.)
 */
export function setRenderedFor(m: Markup, scope: object): void {
  Markup.renderedFor(m, scope, internal);
}

/** Internal: the request scope `m` was rendered for, if one was recorded. */
export function getRenderedFor(m: Markup): object | undefined {
  return Markup.renderedFor(m, undefined, internal);
}

/** Internal constructor for Palisade's own modules (escapers, templates, `html`). */
export function markupFromSafe(html: string): Markup {
  return Markup.fromEscaped(html, internal);
}

/** True if `v` is Markup. */
export function isMarkup(v: unknown): v is Markup {
  return v instanceof Markup;
}

abstract class Trusted {
  readonly #text: string;
  protected constructor(text: string) {
    this.#text = text;
  }
  toString(): string {
    return this.#text;
  }
  toJSON(): string {
    return this.#text;
  }
}

/**
 * SafeURL is a URL trusted to be written into a URL attribute as it is (its scheme is not
 * checked). WARNING: the content is emitted verbatim in URL contexts; never pass request data.
 */
export class SafeURL extends Trusted {
  private constructor(t: string) {
    super(t);
  }
  static unsafeTrust(url: string): SafeURL {
    const s = String(url);
    checkTrust('url', s);
    return new SafeURL(s);
  }
  /** Internal: wraps a URL produced by Palisade's own encoders. */
  static fromEscaped(url: string, key: symbol): SafeURL {
    if (key !== internal) throw new TypeError('use SafeURL.unsafeTrust()');
    return new SafeURL(url);
  }
}

/**
 * SafeScript is JavaScript trusted to be written into a script context as it is.
 * WARNING: the content is emitted verbatim in JS contexts; never pass request data.
 */
export class SafeScript extends Trusted {
  private constructor(t: string) {
    super(t);
  }
  static unsafeTrust(js: string): SafeScript {
    const s = String(js);
    checkTrust('script', s);
    return new SafeScript(s);
  }
  /** Internal: wraps JS produced by Palisade's own encoders (such as `tojson`). */
  static fromEscaped(js: string, key: symbol): SafeScript {
    if (key !== internal) throw new TypeError('use SafeScript.unsafeTrust()');
    return new SafeScript(js);
  }
}

/** Internal constructor: a URL built by Palisade's encoders (`urlencode`). */
export function urlFromSafe(url: string): SafeURL {
  return SafeURL.fromEscaped(url, internal);
}

/** Internal constructor: JS built by Palisade's encoders (`tojson`). */
export function scriptFromSafe(js: string): SafeScript {
  return SafeScript.fromEscaped(js, internal);
}

/**
 * SafeStyle is CSS trusted to be written into a style context as it is.
 * WARNING: the content is emitted verbatim in CSS contexts; never pass request data.
 */
export class SafeStyle extends Trusted {
  private constructor(t: string) {
    super(t);
  }
  static unsafeTrust(css: string): SafeStyle {
    const s = String(css);
    checkTrust('style', s);
    return new SafeStyle(s);
  }
}
