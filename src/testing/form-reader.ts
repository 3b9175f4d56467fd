/**
 * Reads the forms of an HTML page the way a browser would fill in a submission: each
 * form's action, method and encoding, and the controls that belong to it with their
 * current values. For the test client's `submit()`, which sends what the page holds —
 * so a form whose template forgot its CSRF field fails in the test as it would in a
 * browser.
 *
 * This is a small tag reader, not an HTML parser: it knows comments, raw text (`script`,
 * `style`) and RCDATA (`textarea`, `title`), attribute syntax and character references
 * (HTML Living Standard §13.2.5), which is what forms written by templates need. Controls
 * placed outside their form with a `form="id"` attribute are not associated.
 *
 * The submission rules follow "constructing the entry list" (HTML Living Standard
 * §4.10.21.4): disabled controls, unchecked checkboxes and radios, buttons other than the
 * submitter, and controls without a name are left out; a checkbox without a value sends
 * `on`; a select sends its selected options, or its first option when none is selected.
 */
import { decodeEntities } from '../escape/entities.js';

/** One control of a form, with what it would submit. */
export interface FormControl {
  /** `input`, `textarea`, `select` or `button`. */
  readonly tag: string;
  /** The input or button type, lower-cased (`text`, `hidden`, `checkbox`, `submit`, `file`…); the tag name for others. */
  readonly type: string;
  readonly name: string;
  readonly attrs: Readonly<Record<string, string>>;
  /** The value: an input's value, a textarea's text, a select's first selected option. */
  readonly value: string;
  /** For a select: the values of its selected options (or of its first option when none is). */
  readonly values: readonly string[];
  /** For a select: every option's value. */
  readonly options: readonly string[];
  readonly checked: boolean;
  readonly disabled: boolean;
}

export interface HtmlForm {
  /** The form's attributes, names lower-cased, values decoded. */
  readonly attrs: Readonly<Record<string, string>>;
  readonly controls: readonly FormControl[];
}

const RAW_TEXT = new Set(['script', 'style', 'textarea', 'title', 'xmp', 'iframe', 'noembed', 'noframes', 'plaintext']);
const CONTROLS = new Set(['input', 'textarea', 'select', 'button']);

interface Tag {
  readonly name: string;
  readonly end: boolean;
  readonly attrs: Record<string, string>;
  /** For raw text and RCDATA elements: the text up to the end tag. */
  readonly text?: string;
}

/** Every form of `html`, in document order. */
export function readForms(html: string): HtmlForm[] {
  const forms: { attrs: Record<string, string>; controls: FormControl[] }[] = [];
  let form: (typeof forms)[number] | null = null;
  let select: { tag: Tag; options: { value: string; selected: boolean; disabled: boolean }[]; disabled: boolean } | null = null;
  let option: { attrs: Record<string, string>; text: string } | null = null;
  let fieldsetDisabled = 0;
  const closeOption = () => {
    if (option !== null && select !== null) {
      const value = option.attrs.value ?? option.text.replace(/[\t\n\f\r ]+/g, ' ').trim();
      select.options.push({ value, selected: 'selected' in option.attrs, disabled: 'disabled' in option.attrs });
    }
    option = null;
  };
  const closeSelect = () => {
    closeOption();
    if (select === null || form === null) return void (select = null);
    const s = select;
    select = null;
    const multiple = 'multiple' in s.tag.attrs;
    let chosen = s.options.filter((o) => o.selected && !o.disabled).map((o) => o.value);
    // A single select with no selected option shows (and sends) its first option.
    if (!multiple && s.options.some((o) => o.selected)) chosen = chosen.slice(-1);
    if (!multiple && chosen.length === 0 && s.options.length > 0 && !s.options[0]!.disabled) chosen = [s.options[0]!.value];
    form.controls.push(
      control(
        s.tag,
        'select',
        chosen[0] ?? '',
        chosen,
        s.options.map((o) => o.value),
        s.disabled,
      ),
    );
  };

  for (const t of tags(html)) {
    if (option !== null && t.name === '#text') {
      option.text += t.text ?? '';
      continue;
    }
    if (t.name === '#text') continue;
    if (t.name === 'form') {
      if (t.end) {
        closeSelect();
        form = null;
      } else if (form === null) {
        // A form inside a form is ignored by the HTML parser (§13.2.6.4.7, "form" start tag).
        form = { attrs: t.attrs, controls: [] };
        forms.push(form);
      }
      continue;
    }
    if (t.name === 'fieldset') {
      if (t.end) fieldsetDisabled = Math.max(0, fieldsetDisabled - 1);
      else if (fieldsetDisabled > 0 || 'disabled' in t.attrs) fieldsetDisabled++;
      continue;
    }
    if (t.name === 'option' || t.name === 'optgroup') {
      closeOption();
      if (!t.end && t.name === 'option' && select !== null) option = { attrs: t.attrs, text: '' };
      continue;
    }
    if (t.name === 'select') {
      if (t.end) closeSelect();
      else {
        closeSelect();
        select = { tag: t, options: [], disabled: 'disabled' in t.attrs || fieldsetDisabled > 0 };
      }
      continue;
    }
    if (t.end || form === null || !CONTROLS.has(t.name)) continue;
    const disabled = 'disabled' in t.attrs || fieldsetDisabled > 0;
    if (t.name === 'textarea') {
      // The HTML parser drops one newline right after <textarea> (§13.2.6.4.7).
      const text = (t.text ?? '').replace(/^\r?\n/, '');
      form.controls.push(control(t, 'textarea', text, [text], [], disabled));
    } else if (t.name === 'input') {
      const type = (t.attrs.type ?? 'text').toLowerCase();
      const dflt = type === 'checkbox' || type === 'radio' ? 'on' : '';
      const value = t.attrs.value ?? dflt;
      form.controls.push(control(t, type, value, [value], [], disabled));
    } else if (t.name === 'button') {
      const value = t.attrs.value ?? '';
      form.controls.push(control(t, (t.attrs.type ?? 'submit').toLowerCase(), value, [value], [], disabled));
    }
  }
  closeSelect();
  return forms;
}

function control(t: Tag, type: string, value: string, values: string[], options: string[], disabled: boolean): FormControl {
  return {
    tag: t.name,
    type,
    name: t.attrs.name ?? '',
    attrs: t.attrs,
    value,
    values,
    options,
    checked: 'checked' in t.attrs,
    disabled,
  };
}

/** The start and end tags of `html` (and the text inside options and RCDATA elements). */
function* tags(html: string): Generator<Tag> {
  let i = 0;
  const n = html.length;
  while (i < n) {
    const lt = html.indexOf('<', i);
    if (lt === -1) {
      yield { name: '#text', end: false, attrs: {}, text: decodeEntities(html.slice(i)) };
      return;
    }
    if (lt > i) yield { name: '#text', end: false, attrs: {}, text: decodeEntities(html.slice(i, lt)) };
    if (html.startsWith('<!--', lt)) {
      const close = html.indexOf('-->', lt + 4);
      i = close === -1 ? n : close + 3;
      continue;
    }
    const c = html[lt + 1] ?? '';
    if (c === '!' || c === '?') {
      const close = html.indexOf('>', lt);
      i = close === -1 ? n : close + 1;
      continue;
    }
    const end = c === '/';
    const m = /^[A-Za-z][^\t\n\f\r />]*/.exec(html.slice(lt + (end ? 2 : 1), lt + (end ? 2 : 1) + 64));
    if (m === null) {
      yield { name: '#text', end: false, attrs: {}, text: '<' };
      i = lt + 1;
      continue;
    }
    const name = m[0].toLowerCase();
    const { attrs, next } = readAttributes(html, lt + (end ? 2 : 1) + m[0].length);
    i = next;
    if (end) {
      yield { name, end: true, attrs: {} };
      continue;
    }
    if (RAW_TEXT.has(name)) {
      const close = new RegExp(`</${name}[\\t\\n\\f\\r />]`, 'i');
      const rest = html.slice(i);
      const at = rest.search(close);
      const raw = at === -1 ? rest : rest.slice(0, at);
      const rcdata = name === 'textarea' || name === 'title';
      yield { name, end: false, attrs, text: rcdata ? decodeEntities(raw) : raw };
      if (at === -1) return;
      i += at;
      continue;
    }
    yield { name, end: false, attrs };
  }
}

// One attribute, from its first character: name, then `=` and a value, quoted or not.
const ATTRIBUTE = /([^\t\n\f\r />][^\t\n\f\r />=]*)(?:[\t\n\f\r ]*=[\t\n\f\r ]*(?:"([^"]*)"?|'([^']*)'?|([^\t\n\f\r >]*)))?/y;
const BETWEEN = new Set(['\t', '\n', '\f', '\r', ' ', '/']);

/** Reads the attributes of a start tag from `at` to its `>`; the first of a repeated name wins (§13.2.5.33). */
function readAttributes(html: string, at: number): { attrs: Record<string, string>; next: number } {
  const attrs: Record<string, string> = Object.create(null) as Record<string, string>;
  let i = at;
  for (;;) {
    while (i < html.length && BETWEEN.has(html[i]!)) i++;
    if (i >= html.length) return { attrs, next: html.length };
    if (html[i] === '>') return { attrs, next: i + 1 };
    ATTRIBUTE.lastIndex = i;
    const m = ATTRIBUTE.exec(html)!;
    i = ATTRIBUTE.lastIndex;
    const name = m[1]!.toLowerCase();
    if (!(name in attrs)) attrs[name] = decodeEntities(m[2] ?? m[3] ?? m[4] ?? '');
  }
}
