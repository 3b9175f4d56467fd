/**
 * The built-in tests (`{% if x is even %}`), with Jinja's names and meaning
 * (https://jinja.palletsprojects.com/en/stable/templates/#builtin-tests).
 * `defined` and `undefined` are compiled specially: their operand never raises in
 * strict mode.
 */
import { isMarkup } from '../escape/markup.js';
import { eq, inOp } from './values.js';

type Test = (v: any, ...args: any[]) => boolean;

const isMapping = (v: unknown): boolean =>
  v instanceof Map || (v !== null && typeof v === 'object' && !Array.isArray(v) && !isMarkup(v) && !(v instanceof Set));

export const TESTS: Readonly<Record<string, Test>> = {
  defined: (v) => v !== undefined,
  undefined: (v) => v === undefined,
  none: (v) => v === null,
  boolean: (v) => typeof v === 'boolean',
  true: (v) => v === true,
  false: (v) => v === false,
  integer: (v) => typeof v === 'number' && Number.isInteger(v),
  float: (v) => typeof v === 'number' && !Number.isInteger(v),
  // As in Python, where a bool is an int.
  number: (v) => typeof v === 'number' || typeof v === 'boolean',
  string: (v) => typeof v === 'string' || isMarkup(v),
  mapping: isMapping,
  iterable: (v) => v != null && (typeof v === 'string' || typeof v[Symbol.iterator] === 'function' || isMapping(v)),
  // What has a length and items: a mapping too, as in Python.
  sequence: (v) => typeof v === 'string' || Array.isArray(v) || isMarkup(v) || isMapping(v),
  callable: (v) => typeof v === 'function',
  even: (v) => Number(v) % 2 === 0,
  odd: (v) => Math.abs(Number(v) % 2) === 1,
  divisibleby: (v, n) => Number(v) % Number(n) === 0,
  eq: (a, b) => eq(a, b),
  ne: (a, b) => !eq(a, b),
  lt: (a, b) => a < b,
  le: (a, b) => a <= b,
  gt: (a, b) => a > b,
  ge: (a, b) => a >= b,
  in: (a, b) => inOp(a, b),
  sameas: (a, b) => a === b,
  lower: (v) => typeof v === 'string' && v === v.toLowerCase(),
  upper: (v) => typeof v === 'string' && v === v.toUpperCase(),
  escaped: (v) => isMarkup(v),
};

/** Jinja's other names for the same tests. */
export const TEST_ALIASES: Readonly<Record<string, string>> = {
  '==': 'eq',
  equalto: 'eq',
  '!=': 'ne',
  '<': 'lt',
  lessthan: 'lt',
  '<=': 'le',
  '>': 'gt',
  greaterthan: 'gt',
  '>=': 'ge',
};
