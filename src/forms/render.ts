/**
 * Drawing a form in a template: `form.view(result)` gives an object whose fields have a
 * name, id, label, value, errors and an `input()` helper that writes the element with the
 * attributes of the field's rules (`required`, `maxlength`, `type`, `min`, `pattern`…).
 *
 * ```html
 * <form method="post">                       {# the template adds the CSRF field here #}
 *   {{ form.title.label_tag() }} {{ form.title.input(class="wide") }}
 *   {% for e in form.title.errors %}<p class="error">{{ e }}</p>{% endfor %}
 *   <button>Save</button>
 * </form>
 * {# or the whole form, CSRF field included: #}
 * {{ form.render(submit="Save") }}
 * ```
 *
 * Every value, label, message and attribute is escaped here with the template engine's own
 * HTML escaper and returned as Markup, so templates never need `|safe`. A field helper
 * never writes the CSRF field (the `<form method="post">` around it gets one from the
 * template engine); `render()`, which writes the `<form>` tag itself, writes it once.
 *
 * See docs/forms-and-csrf.md#rendering.
 */
import { escapeHTML } from '../escape/html.js';
import { markupFromSafe, type Markup } from '../escape/markup.js';
import { filterAndNormalizeURL } from '../escape/url.js';
import { renderEnv } from '../templates/render-env.js';
import { CSRF_FIELD } from '../http/csrf-names.js';
import type { HtmlHints } from './field.js';
import { formatISODate } from './builtin-fields.js';
import type { Form, FormResult } from './form.js';

/** Options of `form.view()`. */
export interface ViewOptions<T> {
  /** Values to start from (an edit form): the typed data, turned into text. Submitted values win. */
  initial?: { readonly [K in keyof T]?: unknown };
}

/** Options of `form.render()` (also accepted as template keyword arguments). */
export interface RenderOptions {
  /** Where the form posts. Default: no `action`, the page's own URL. */
  action?: string;
  /** The submit button's text. Default "Submit". */
  submit?: string;
}

type AttrValue = string | number | boolean | null | undefined;

// Attributes the helper computes, and attributes that take URLs or script: never passed through.
const DENIED = new Set([
  'name',
  'type',
  'value',
  'id',
  'checked',
  'multiple',
  'style',
  'href',
  'src',
  'srcset',
  'srcdoc',
  'action',
  'formaction',
  'background',
  'poster',
  'ping',
  'xlink:href',
  'data',
  'codebase',
  'cite',
  'manifest',
  'is',
]);
const ATTR_NAME = /^[a-z][a-z0-9]*(?:[-_][a-z0-9]+)*$/;

function attrs(pairs: Iterable<readonly [string, AttrValue]>): string {
  let out = '';
  for (const [k, v] of pairs) {
    if (v === undefined || v === null || v === false) continue;
    out += v === true ? ` ${k}` : ` ${k}="${escapeHTML(String(v))}"`;
  }
  return out;
}

/** Extra attributes from a template (`input(class="wide", placeholder="…")`), checked. */
function extraAttrs(extra: Record<string, unknown> | undefined): [string, AttrValue][] {
  if (extra === undefined || extra === null) return [];
  if (typeof extra !== 'object') throw new TypeError('input() takes attributes as keyword arguments: input(class="wide")');
  const out: [string, AttrValue][] = [];
  for (const [rawName, v] of Object.entries(extra)) {
    const name = rawName === 'class_' ? 'class' : rawName.toLowerCase();
    if (!ATTR_NAME.test(name) || name.startsWith('on') || DENIED.has(name)) {
      throw new TypeError(
        `input() does not set the attribute "${rawName}": event handlers, URL attributes, style and the attributes the field computes (name, type, value, id…) are refused.`,
      );
    }
    if (v !== null && v !== undefined && typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') {
      throw new TypeError(`input(): the attribute "${rawName}" must be text, a number or a boolean`);
    }
    out.push([name, v as AttrValue]);
  }
  return out;
}

const TRUE = new Set(['on', 'true', '1', 'yes', 'y']);

/** A label from a field name: `first_name` and `firstName` → "First name". */
export function labelFromName(name: string): string {
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[_.:-]+/g, ' ')
    .trim()
    .toLowerCase();
  return words === '' ? name : words[0]!.toUpperCase() + words.slice(1);
}

/** Initial data as the text an input shows. */
function toText(v: unknown): string[] {
  if (v === undefined || v === null) return [];
  if (Array.isArray(v)) return v.flatMap(toText);
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? [] : [formatISODate(v)];
  if (typeof v === 'boolean') return v ? ['on'] : [];
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'bigint') return [String(v)];
  return []; // files and other objects are never written back
}

/** One field, as a template sees it. */
export class FieldView {
  /** The `name` of the input. */
  readonly name: string;
  /** The `id` of the input (the label's `for`). */
  readonly id: string;
  /** The label text. */
  readonly label: string;
  /** The field's kind: string, email, integer, number, boolean, choice, date, file, list, schema. */
  readonly kind: string;
  /** True when the browser is told the field is required. */
  readonly required: boolean;
  /** This field's messages (empty when fine or not submitted). */
  readonly errors: readonly string[];
  /** The (first) value to show: what was submitted, else the initial value, else ''. */
  readonly value: string;
  /** Every value to show (repeated fields). */
  readonly values: readonly string[];
  /** For a checkbox: whether it is checked. */
  readonly checked: boolean;
  /** For a choice: each option and whether it is selected. */
  readonly choices: readonly { readonly value: string; readonly label: string; readonly selected: boolean }[];
  readonly #hints: HtmlHints;

  constructor(init: { name: string; id: string; label: string; kind: string; hints: HtmlHints; errors: readonly string[]; values: readonly string[] }) {
    this.name = init.name;
    this.id = init.id;
    this.label = init.label;
    this.kind = init.kind;
    this.#hints = init.hints;
    this.required = init.hints.required === true;
    this.errors = init.errors;
    const values = init.hints.secret === true || init.hints.widget === 'file' ? [] : init.values;
    this.values = values;
    this.value = values[0] ?? '';
    this.checked = values.some((v) => TRUE.has(v.trim().toLowerCase()));
    const selected = new Set(values);
    this.choices = (init.hints.choices ?? []).map((c) => ({ value: c.value, label: c.label, selected: selected.has(c.value) }));
  }

  /** True when the field has messages. */
  get has_errors(): boolean {
    return this.errors.length > 0;
  }

  /** True for a file input (the form must be sent as multipart/form-data). */
  get is_file(): boolean {
    return this.#hints.widget === 'file';
  }

  /** The id of the element listing this field's messages. */
  get errors_id(): string {
    return `${this.id}-errors`;
  }

  /**
   * The input element for this field, with the attributes of its rules and any extra
   * ones given (`input(class="wide", placeholder="Title")`).
   */
  input(extra?: Record<string, unknown>): Markup {
    const h = this.#hints;
    const more = extraAttrs(extra);
    const common: [string, AttrValue][] = [
      ['name', this.name],
      ['id', this.id],
      ['required', h.required === true],
      ['aria-invalid', this.has_errors ? 'true' : undefined],
      ['aria-describedby', this.has_errors ? this.errors_id : undefined],
    ];
    switch (h.widget) {
      case 'textarea':
        // A newline right after <textarea> is dropped by the parser (HTML §13.2.6.4.7): write one so a value's own survives.
        return markupFromSafe(
          `<textarea${attrs([...common, ['minlength', h.minlength], ['maxlength', h.maxlength], ...more])}>\n${escapeHTML(this.value)}</textarea>`,
        );
      case 'select': {
        let opts = h.multiple === true ? '' : '<option value=""></option>';
        for (const c of this.choices)
          opts += `<option${attrs([
            ['value', c.value],
            ['selected', c.selected],
          ])}>${escapeHTML(c.label)}</option>`;
        return markupFromSafe(`<select${attrs([...common, ['multiple', h.multiple === true], ...more])}>${opts}</select>`);
      }
      case 'checkbox':
        return markupFromSafe(`<input${attrs([['type', 'checkbox'], ...common, ['value', 'on'], ['checked', this.checked], ...more])}>`);
      case 'file':
        return markupFromSafe(`<input${attrs([['type', 'file'], ...common, ['accept', h.accept], ['multiple', h.multiple === true], ...more])}>`);
      default: {
        const rules: [string, AttrValue][] = [
          ['minlength', h.minlength],
          ['maxlength', h.maxlength],
          ['min', h.min],
          ['max', h.max],
          ['step', h.step],
          ['pattern', h.pattern],
        ];
        const one = (v: string, first: boolean): string =>
          `<input${attrs([['type', h.type ?? 'text'], ...(first ? common : common.filter(([k]) => k !== 'id')), ['value', h.secret === true ? undefined : v], ...rules, ...more])}>`;
        if (h.multiple !== true) return markupFromSafe(one(this.value, true));
        const vs = this.values.length > 0 ? this.values : [''];
        return markupFromSafe(vs.map((v, i) => one(v, i === 0)).join(''));
      }
    }
  }

  /** `<label for="id">Label</label>`. */
  label_tag(extra?: Record<string, unknown>): Markup {
    return markupFromSafe(`<label${attrs([['for', this.id], ...extraAttrs(extra)])}>${escapeHTML(this.label)}</label>`);
  }

  /** The messages as `<ul class="errors" id="…-errors">`, or nothing. */
  errors_tag(): Markup {
    if (!this.has_errors) return markupFromSafe('');
    return markupFromSafe(`<ul class="errors" id="${escapeHTML(this.errors_id)}">${this.errors.map((e) => `<li>${escapeHTML(e)}</li>`).join('')}</ul>`);
  }

  /** Label, input and messages together (a checkbox comes before its label). */
  row(): Markup {
    const parts = this.#hints.widget === 'checkbox' ? [this.input(), this.label_tag()] : [this.label_tag(), this.input()];
    return markupFromSafe(`<div class="field">${parts.join(' ')}${this.errors_tag()}</div>`);
  }
}

/** A form, as a template sees it: each field by name, plus the form-level parts. */
export class FormView {
  /** Every field, in order. */
  readonly fields: readonly FieldView[];
  /** Messages about the whole form (an expired form, a form-level check). */
  readonly form_errors: readonly string[];
  /** True when the CSRF check failed. */
  readonly csrf_failed: boolean;
  readonly #method: 'post' | 'get';
  readonly #csrf: boolean;
  [field: string]: unknown;

  constructor(fields: readonly FieldView[], formErrors: readonly string[], csrfFailed: boolean, method: 'post' | 'get', csrf: boolean) {
    this.fields = fields;
    this.form_errors = formErrors;
    this.csrf_failed = csrfFailed;
    this.#method = method;
    this.#csrf = csrf;
    for (const f of fields) Object.defineProperty(this, f.name, { value: f, enumerable: true });
  }

  /** True when any field or the form has messages. */
  get has_errors(): boolean {
    return this.form_errors.length > 0 || this.fields.some((f) => f.has_errors);
  }

  /**
   * The whole form: the `<form>` tag (multipart when it has a file field), the CSRF field
   * (once), the form's messages, every field's row, and a submit button.
   */
  render(options?: RenderOptions): Markup {
    const o = options ?? {};
    const multipart = this.fields.some((f) => f.is_file);
    let action: string | undefined;
    if (o.action !== undefined && o.action !== null) action = filterAndNormalizeURL(String(o.action));
    let html = `<form${attrs([
      ['method', this.#method],
      ['action', action],
      ['enctype', multipart ? 'multipart/form-data' : undefined],
    ])}>`;
    if (this.#csrf) {
      // The environment of the template rendering this form, else the request's.
      const env = renderEnv();
      if (env?.csrfToken === undefined)
        throw new TypeError('form.render() needs a request with CSRF protection (it writes the CSRF field): render the form while a request is handled');
      html += `<input${attrs([
        ['type', 'hidden'],
        ['name', CSRF_FIELD],
        ['value', env.csrfToken()],
      ])}>`;
    }
    if (this.form_errors.length > 0) html += `<ul class="form-errors">${this.form_errors.map((e) => `<li>${escapeHTML(e)}</li>`).join('')}</ul>`;
    for (const f of this.fields) html += f.row().toString();
    html += `<button type="submit">${escapeHTML(o.submit ?? 'Submit')}</button></form>`;
    return markupFromSafe(html);
  }
}

/** Builds the view of `form` for a result (or none) and initial values. */
export function buildView<T>(form: Form<T>, result: FormResult<T> | null, options: ViewOptions<T>): FormView {
  const initial = (options.initial ?? {}) as Record<string, unknown>;
  const submitted = result?.values;
  const errors = result !== null && !result.ok ? result.errors : undefined;
  const views = form.fields.map((f) => {
    const fromResult = submitted !== undefined && Object.hasOwn(submitted, f.name) ? submitted[f.name] : undefined;
    // A checkbox left unchecked sends nothing: after a submission, that means unchecked.
    const useSubmitted = submitted !== undefined && (fromResult !== undefined || (result !== null && !(!result.ok && result.csrfFailed)));
    const values = useSubmitted ? toText(fromResult) : toText(Object.hasOwn(initial, f.name) ? initial[f.name] : undefined);
    return new FieldView({
      name: f.name,
      id: form.idPrefix + f.name,
      label: f.label ?? labelFromName(f.name),
      kind: f.kind,
      hints: f.hints,
      errors: errors?.[f.name] ?? [],
      values,
    });
  });
  const failed = result !== null && !result.ok;
  return new FormView(views, failed ? result.formErrors : [], failed && result.csrfFailed, form.method, form.csrf);
}
