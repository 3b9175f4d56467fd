/**
 * Checks of single setting values, shared by the settings resolvers: each throws a
 * ConfigError (CONFIG_INVALID) naming the setting and what it must be.
 */
import { ConfigError } from '../errors.js';

export function invalid(key: string, expected: string, got: unknown): never {
  throw new ConfigError('CONFIG_INVALID', `Setting "${key}" must be ${expected}; got ${JSON.stringify(got)}.`, { key });
}
export function positiveInt(key: string, v: unknown): void {
  if (typeof v !== 'number' || !Number.isInteger(v) || v <= 0) invalid(key, 'a positive integer', v);
}
export function stringList(key: string, v: unknown): void {
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string' || x === '')) invalid(key, 'a list of non-empty strings', v);
}
export function boolEnv(v: string | undefined, name: string): boolean | undefined {
  if (v === undefined || v === '') return undefined;
  if (/^(1|true|yes|on)$/i.test(v)) return true;
  if (/^(0|false|no|off)$/i.test(v)) return false;
  invalid(name, 'one of 1, 0, true, false', v);
}
export function intEnv(v: string | undefined, name: string): number | undefined {
  if (v === undefined || v === '') return undefined;
  if (!/^\d+$/.test(v)) invalid(name, 'a positive integer', v);
  return Number(v);
}
export function listEnv(v: string | undefined): string[] | undefined {
  if (v === undefined || v === '') return undefined;
  return v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}
