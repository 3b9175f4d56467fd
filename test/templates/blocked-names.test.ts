// The one deny-list of attribute reads (src/templates/blocked-names.ts), attacked through
// every path a template reads an attribute by: `x.name` (the compiled fast path and the
// strict path), `x['name']`, dotted `attribute=` paths, method calls, `{% set ns.name %}`,
// `namespace(name=…)`, and every built-in filter that takes an attribute name. Each read is
// compared with reading a name the data does not have; a control shows the same check
// seeing a name that is allowed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderString, TemplateError } from '../../src/templates/index.js';
import { FILTERS } from '../../src/templates/filters.js';
import { BLOCKED_NAMES, FUNCTION_METHODS, readAttr } from '../../src/templates/blocked-names.js';

const NAMES = [...BLOCKED_NAMES, ...FUNCTION_METHODS];
const r = (src: string, ctx: Record<string, unknown>, strict = false): string => renderString(src, ctx, { strict });

/** An object with an own, enumerable data property `name` (also for `__proto__`). */
function own(name: string, value: unknown, ok: unknown): Record<string, unknown> {
  const o: Record<string, unknown> = { ok };
  Object.defineProperty(o, name, { value, enumerable: true, writable: true, configurable: true });
  return o;
}

/** A function with an own property `ok`: it inherits Function.prototype's call, apply, bind. */
function fn(ok: unknown): (() => void) & { ok: unknown } {
  return Object.assign(() => {}, { ok });
}

/**
 * Items for the filter paths: a read of `name` would see 2, 1, 3 (blocked names, as own
 * data) or Function.prototype's method (call, apply, bind); `ok` holds 2, 1, 3 as control.
 */
function items(name: string): unknown[] {
  return FUNCTION_METHODS.has(name) ? [fn(2), fn(1), fn(3)] : [own(name, 2, 2), own(name, 1, 1), own(name, 3, 3)];
}

// Every filter that takes an attribute name, with a template that shows what it read.
const FILTER_PATHS: Record<string, (a: string) => string> = {
  map: (a) => `{{ xs|map(attribute='${a}')|map('string')|join(',') }}`,
  join: (a) => `{{ xs|join(',', attribute='${a}') }}`,
  sort: (a) => `{{ xs|sort(attribute='${a}')|map(attribute='ok')|join(',') }}`,
  unique: (a) => `{{ xs|unique(attribute='${a}')|map(attribute='ok')|join(',') }}`,
  sum: (a) => `{{ xs|sum(attribute='${a}') }}`,
  min: (a) => `{{ (xs|min(attribute='${a}')).ok }}`,
  max: (a) => `{{ (xs|max(attribute='${a}')).ok }}`,
  selectattr: (a) => `{{ xs|selectattr('${a}')|map(attribute='ok')|join(',') }}`,
  rejectattr: (a) => `{{ xs|rejectattr('${a}')|map(attribute='ok')|join(',') }}`,
  groupby: (a) => `{{ xs|groupby('${a}')|length }}`,
};

test('every built-in filter that takes an attribute name is attacked below', () => {
  const withAttribute = Object.entries(FILTERS).filter(([, f]) => f.params.includes('attribute') || f.params.includes('filter_or_attribute'));
  assert.deepEqual(withAttribute.map(([n]) => n).sort(), Object.keys(FILTER_PATHS).sort());
});

test('the control: each filter path shows a name it may read', () => {
  for (const [filter, path] of Object.entries(FILTER_PATHS)) {
    const xs = items('constructor');
    assert.notEqual(r(path('ok'), { xs }), r(path('missing'), { xs }), `|${filter} cannot tell a read from a miss`);
  }
});

for (const name of NAMES) {
  test(`"${name}" is refused through every filter that takes an attribute name`, () => {
    for (const [filter, path] of Object.entries(FILTER_PATHS)) {
      const xs = items(name);
      assert.equal(r(path(name), { xs }), r(path('missing'), { xs }), `|${filter}(attribute='${name}')`);
      // A dotted path reaches the name one level down.
      const nested = xs.map((x) => ({ inner: x, ok: (x as { ok: unknown }).ok }));
      assert.equal(r(path(`inner.${name}`), { xs: nested }), r(path('inner.missing'), { xs: nested }), `|${filter}(attribute='inner.${name}')`);
    }
  });

  test(`"${name}" is refused as x.name, x['name'] and a method, strict or not`, () => {
    const values: [string, unknown][] = FUNCTION_METHODS.has(name)
      ? [
          ['function', fn(1)],
          ['object on Function.prototype', Object.create(Function.prototype)],
          ['Map', new Map([[name, Function.prototype.call]])],
        ]
      : [
          ['object', {}],
          ['function', fn(1)],
          ['own data', own(name, 'data', 1)],
          ['Map', new Map([[name, 'data']])],
          ['string', 'text'],
        ];
    for (const [label, x] of values) {
      for (const strict of [false, true]) {
        assert.equal(r(`[{{ x.${name} }}][{{ x['${name}'] }}][{{ y.x.${name} }}]`, { x, y: { x } }, strict), '[][][]', `${label} strict=${strict}`);
        assert.equal(r(`{{ x.${name} is defined }}`, { x }, strict), 'False', label);
      }
      assert.throws(
        () => r(`{{ x.${name}(1) }}`, { x }),
        (e: unknown) => e instanceof TemplateError && e.code === 'TEMPLATE_RUNTIME',
        label,
      );
    }
  });

  if (BLOCKED_NAMES.has(name)) {
    test(`"${name}" cannot be set on or given to a namespace`, () => {
      const refused = (e: unknown): boolean => e instanceof TemplateError && (e.code === 'TEMPLATE_RUNTIME' || e.code === 'TEMPLATE_SYNTAX');
      assert.throws(() => r(`{% set ns = namespace() %}{% set ns.${name} = 1 %}`, {}), refused);
      try {
        assert.equal(r(`{% set ns = namespace(${name}=1) %}[{{ ns.${name} }}]`, {}), '[]');
      } catch (e) {
        assert.ok(refused(e), String(e)); // `__proto__=` is refused as a keyword at compile time
      }
    });
  }

  test(`readAttr refuses "${name}" on objects, functions and Maps`, () => {
    const values: [string, unknown][] = [
      ['object', {}],
      ['function', fn(1)],
      ['object on Function.prototype', Object.create(Function.prototype)],
      ['Map', new Map([[name, Function.prototype.bind]])],
    ];
    for (const [label, x] of values) assert.equal(readAttr(x, name), undefined, label);
  });
}

test('a call, apply or bind that is data stays readable and settable', () => {
  const x = { call: '555-0100', apply: 'now', bind: 'tight' };
  assert.equal(r('{{ x.call }} {{ x["apply"] }} {{ [x]|map(attribute="bind")|join }}', { x }), '555-0100 now tight');
  assert.equal(r('{% set ns = namespace(call=1) %}{% set ns.bind = 2 %}{{ ns.call }}{{ ns.bind }}', {}), '12');
  assert.equal(readAttr(new Map([['call', 1]]), 'call'), 1);
});

test("a string's methods are its own: Object.prototype's members are not reached through them", () => {
  for (const name of ['constructor', 'hasOwnProperty', 'toString', 'valueOf', '__lookupGetter__']) {
    assert.throws(
      () => r(`{{ 'text'.${name}('x') }}`, {}),
      (e: unknown) => e instanceof TemplateError && e.code === 'TEMPLATE_RUNTIME',
      name,
    );
  }
  assert.equal(r(`{{ 'text'.upper() }}`, {}), 'TEXT');
});
