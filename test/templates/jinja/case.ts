// The Jinja table: templates from Jinja's own test suite, with the output Jinja gives them,
// run through Palisade by test/templates/jinja.test.ts.
//
// Source: pallets/jinja at tag 3.1.6 (commit 15206881c006c79667fe5154fe80c01c65410679),
// tests/test_core_tags.py, test_filters.py, test_tests.py, test_lexnparse.py,
// test_inheritance.py, test_imports.py and test_regression.py. Each row is one template a
// test there renders: its source, the other templates of the test's loader, its context
// and globals. How they were taken: the tests were run with Jinja 3.1.6 with every
// `Template.render` recorded; a row was kept when the test's environment uses Jinja's
// default syntax, filters, tests and Undefined (a test written for `trim_blocks` or
// `lstrip_blocks` is kept and rendered without them), and its context is data (JSON: no
// Python objects, functions or generators; a `range` is its list). Then each template was
// rendered again by Jinja 3.1.6 with `autoescape=True` and a `DictLoader` of the row's
// templates, and that output (or the exception's class) is the row's `jinja`
// (`jinjaError`).
//
// Left out: test_filters.py::test_random (its output is chosen at random).
//
// A row Palisade answers differently on purpose says so:
// - `refused`: `CODE: reason` — Palisade refuses the template with that error code, for the
//   reason given (a security refusal, or a rule kept on purpose: writing an undefined name in
//   development, unknown filters found at compile time, {% extends %} inside an if);
// - `differs`: the reason — a difference from Python's value model or from Jinja kept on
//   purpose (docs/templates.md lists each); `palisade` is then Palisade's output, checked.
// Every other row must give Jinja's output (or, with `jinjaError`, be refused too).

export type Feature = 'loops' | 'macros' | 'inheritance' | 'filters' | 'tests' | 'whitespace' | 'expressions';

export interface JinjaCase {
  /** The Jinja test it comes from (`file::Class::test`), `#n` for its n-th render. */
  readonly id: string;
  readonly feature: Feature;
  readonly source: string;
  /** The other templates the test's loader holds, by name. */
  readonly templates?: Readonly<Record<string, string>>;
  readonly context?: Readonly<Record<string, unknown>>;
  readonly globals?: Readonly<Record<string, unknown>>;
  /** Jinja's output with autoescape on. */
  readonly jinja?: string;
  /** The class of the exception Jinja raises instead. */
  readonly jinjaError?: string;
  /** `CODE: reason`: refused on purpose. */
  readonly refused?: string;
  /** Why Palisade's output differs on purpose; `palisade` is that output. */
  readonly differs?: string;
  readonly palisade?: string;
}
