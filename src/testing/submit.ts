/**
 * What a browser would send when a person fills in a form of a page and presses submit:
 * the test client's `submit()` builds it here from the page's HTML (form-reader.ts) and
 * the values the test types in, then sends it like any request.
 *
 * Only what the page makes possible can be sent: a field the form does not have, an
 * option a select does not offer, a file for a form that is not multipart — each is an
 * error that names the form's fields, so a test cannot pass where a browser would fail.
 */
import { CSRF_FIELD } from '../http/csrf-names.js';
import type { Encoding, FormEntry, TestFile } from './encode.js';
import { fileEntries } from './encode.js';
import { readForms, type FormControl, type HtmlForm } from './form-reader.js';

/** A value typed into a form: text, a list for repeated fields or a multiple select, or true/false to tick a checkbox. */
export type FieldValue = string | number | boolean | readonly (string | number)[];

export interface SubmissionInput {
  /** Which form: its `id`, `name` or `action`. Default: the page's only form. */
  form?: string | undefined;
  fields?: Readonly<Record<string, FieldValue>> | undefined;
  files?: Readonly<Record<string, TestFile | readonly TestFile[]>> | undefined;
  /** The submit button pressed, by its name or its text; default the form's first (as Enter does). */
  button?: string | undefined;
  /** False: the form's CSRF field is left out (a page that lost its token). */
  keepCsrfField: boolean;
}

export interface Submission {
  readonly method: 'GET' | 'POST';
  /** The target URL (path and query), resolved against the page. */
  readonly url: string;
  readonly encoding: Encoding;
  readonly entries: readonly FormEntry[];
}

/** Builds the submission of a form of `html` (the page at `pageUrl`). Throws when a browser could not send it. */
export function buildSubmission(html: string, pageUrl: URL, input: SubmissionInput): Submission {
  const form = pickForm(readForms(html), input.form, pageUrl);
  const submitters = form.controls.filter((c) => isSubmitButton(c) && !c.disabled);
  let submitter: FormControl | undefined;
  if (input.button !== undefined) {
    submitter = submitters.find((c) => c.name === input.button || c.attrs.value === input.button);
    if (submitter === undefined) {
      throw new Error(`test client: the form has no submit button named "${input.button}" (buttons: ${list(submitters.map((c) => c.name || c.value))}).`);
    }
  } else submitter = submitters[0];

  const method = (submitter?.attrs.formmethod ?? form.attrs.method ?? 'get').toLowerCase();
  if (method !== 'get' && method !== 'post') throw new Error(`test client: a form with method="${method}" is not submitted to the server.`);
  const enctype = (submitter?.attrs.formenctype ?? form.attrs.enctype ?? '').toLowerCase();
  const encoding: Encoding = enctype === 'multipart/form-data' || enctype === 'text/plain' ? enctype : 'application/x-www-form-urlencoded';
  const action = new URL(submitter?.attrs.formaction ?? form.attrs.action ?? '', pageUrl);
  if (action.origin !== pageUrl.origin) throw new Error(`test client: the form submits to another site (${action.origin}).`);

  const controls = form.controls.filter((c) => !c.disabled && c.name !== '');
  const entries = new Map<FormControl, FormEntry[]>();
  for (const c of controls) entries.set(c, defaultEntries(c, submitter));
  for (const [name, value] of Object.entries(input.fields ?? {})) fill(controls, entries, name, value);
  if (input.files !== undefined) {
    if (encoding !== 'multipart/form-data' || method !== 'post') {
      throw new Error(
        `test client: files were given, but the form is not method="post" enctype="multipart/form-data"; a browser would send only the file names.`,
      );
    }
    const byName = new Map<string, FormEntry[]>();
    for (const e of fileEntries(input.files)) byName.set(e[0], [...(byName.get(e[0]) ?? []), e]);
    for (const [name, files] of byName) {
      const input = controls.find((c) => c.tag === 'input' && c.type === 'file' && c.name === name);
      if (input === undefined) throw new Error(`test client: the form has no file input named "${name}" (its fields: ${fieldNames(controls)}).`);
      if (files.length > 1 && !('multiple' in input.attrs))
        throw new Error(`test client: the file input "${name}" takes one file (it has no multiple attribute).`);
      entries.set(input, files);
    }
  }
  let all = [...entries.values()].flat();
  if (!input.keepCsrfField) all = all.filter(([name]) => name !== CSRF_FIELD);
  if (method === 'get') action.search = '';
  return { method: method === 'get' ? 'GET' : 'POST', url: action.pathname + action.search, encoding, entries: all };
}

function pickForm(forms: HtmlForm[], which: string | undefined, pageUrl: URL): HtmlForm {
  const describe = (f: HtmlForm) => f.attrs.id ?? f.attrs.name ?? `action="${f.attrs.action ?? ''}"`;
  if (forms.length === 0) throw new Error(`test client: the page ${pageUrl.pathname} has no <form>.`);
  if (which === undefined) {
    if (forms.length === 1) return forms[0]!;
    throw new Error(`test client: the page has ${forms.length} forms (${forms.map(describe).join(', ')}); say which with { form: id, name or action }.`);
  }
  const found =
    forms.find((f) => f.attrs.id === which) ??
    forms.find((f) => f.attrs.name === which) ??
    forms.find((f) => f.attrs.action !== undefined && (f.attrs.action === which || new URL(f.attrs.action, pageUrl).pathname === which));
  if (found === undefined) throw new Error(`test client: no form with id, name or action "${which}" (forms: ${forms.map(describe).join(', ')}).`);
  return found;
}

function isSubmitButton(c: FormControl): boolean {
  return (c.tag === 'button' && c.type === 'submit') || (c.tag === 'input' && (c.type === 'submit' || c.type === 'image'));
}

/** What a control sends when nothing is typed into it. */
function defaultEntries(c: FormControl, submitter: FormControl | undefined): FormEntry[] {
  if (c.tag === 'button' || c.type === 'submit' || c.type === 'image' || c.type === 'reset' || c.type === 'button') {
    if (c !== submitter) return [];
    return c.type === 'image'
      ? [
          [`${c.name}.x`, '0'],
          [`${c.name}.y`, '0'],
        ]
      : [[c.name, c.value]];
  }
  if (c.type === 'checkbox' || c.type === 'radio') return c.checked ? [[c.name, c.value]] : [];
  // A file input with no file chosen sends an empty file part.
  if (c.type === 'file') return [[c.name, { name: '', type: 'application/octet-stream', content: '' }]];
  if (c.tag === 'select') return c.values.map((v) => [c.name, v] as const);
  return [[c.name, c.value]];
}

/** Types `value` into the controls named `name`, as a person could. */
function fill(controls: readonly FormControl[], entries: Map<FormControl, FormEntry[]>, name: string, value: FieldValue): void {
  const named = controls.filter((c) => c.name === name && !isSubmitButton(c) && c.type !== 'reset' && c.type !== 'button');
  if (named.length === 0)
    throw new Error(
      `test client: the form has no field named "${name}" (its fields: ${fieldNames(controls)}); a browser could not send it. To send it anyway, use client.post().`,
    );
  if (named.some((c) => c.type === 'file')) throw new Error(`test client: "${name}" is a file input; give it in files, not fields.`);
  const values = (typeof value === 'boolean' ? [] : [value].flat()).map(String);
  const choosable = named.filter((c) => c.type === 'checkbox' || c.type === 'radio');
  if (choosable.length > 0) {
    for (const c of choosable) {
      const on = typeof value === 'boolean' ? value && (c.type === 'checkbox' || c === choosable[0]) : values.includes(c.value);
      entries.set(c, on ? [[c.name, c.value]] : []);
    }
    const offered = choosable.map((c) => c.value);
    const missing = values.filter((v) => !offered.includes(v));
    if (missing.length > 0) throw new Error(`test client: "${name}" offers ${list(offered)}, not ${list(missing)}.`);
    if (choosable[0]!.type === 'radio' && values.length > 1) throw new Error(`test client: only one radio button "${name}" can be chosen.`);
    return;
  }
  if (typeof value === 'boolean') throw new Error(`test client: "${name}" is not a checkbox; give it text.`);
  const select = named.find((c) => c.tag === 'select');
  if (select !== undefined) {
    const missing = values.filter((v) => !select.options.includes(v));
    if (missing.length > 0) throw new Error(`test client: the select "${name}" offers ${list(select.options)}, not ${list(missing)}.`);
    if (values.length > 1 && !('multiple' in select.attrs))
      throw new Error(`test client: the select "${name}" takes one value (it has no multiple attribute).`);
    entries.set(
      select,
      values.map((v) => [name, v] as const),
    );
    return;
  }
  if (values.length > named.length) {
    throw new Error(`test client: the form has ${named.length} field(s) named "${name}", not ${values.length}.`);
  }
  named.forEach((c, i) => entries.set(c, i < values.length ? [[name, values[i]!]] : defaultEntries(c, undefined)));
}

function fieldNames(controls: readonly FormControl[]): string {
  return list([...new Set(controls.filter((c) => !isSubmitButton(c)).map((c) => c.name))]);
}

function list(xs: readonly string[]): string {
  return xs.length === 0 ? 'none' : xs.map((x) => JSON.stringify(x)).join(', ');
}
