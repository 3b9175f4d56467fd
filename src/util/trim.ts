/**
 * Trimming a set of characters from the ends of a string by walking in from each end.
 *
 * The regex way to say it, `/^[…]+|[…]+$/g`, retries `[…]+$` from every position of a long
 * run that is not at the end, which is quadratic in the run's length; these loops read each
 * character at most once (test/regexps.test.ts refuses the regex form).
 */

/** `s` without the leading and trailing characters whose UTF-16 code unit `drop` accepts. */
export function trimCodes(s: string, drop: (code: number) => boolean): string {
  let start = 0;
  let end = s.length;
  while (start < end && drop(s.charCodeAt(start))) start++;
  while (end > start && drop(s.charCodeAt(end - 1))) end--;
  return start === 0 && end === s.length ? s : s.slice(start, end);
}

/** `s` without the leading characters whose UTF-16 code unit `drop` accepts. */
export function trimStartCodes(s: string, drop: (code: number) => boolean): string {
  let start = 0;
  while (start < s.length && drop(s.charCodeAt(start))) start++;
  return start === 0 ? s : s.slice(start);
}

/** `s` without the trailing characters whose UTF-16 code unit `drop` accepts. */
export function trimEndCodes(s: string, drop: (code: number) => boolean): string {
  let end = s.length;
  while (end > 0 && drop(s.charCodeAt(end - 1))) end--;
  return end === s.length ? s : s.slice(0, end);
}

/** A C0 control or space (URL Standard §4.4, the basic URL parser's first step strips these from both ends). */
export const isC0OrSpace = (c: number): boolean => c <= 0x20;
