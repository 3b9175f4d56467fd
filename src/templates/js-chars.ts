/** Character classes of JavaScript source (ECMAScript §12.2 white space, §12.3 line terminators, identifier characters), by code unit. */
export const isSpace = (c: number): boolean =>
  c === 32 ||
  c === 9 ||
  c === 10 ||
  c === 13 ||
  c === 11 ||
  c === 12 ||
  c === 0xa0 ||
  c === 0xfeff ||
  c === 0x2028 ||
  c === 0x2029 ||
  c === 0x1680 ||
  (c >= 0x2000 && c <= 0x200a) ||
  c === 0x202f ||
  c === 0x205f ||
  c === 0x3000;
export const isLineTerminator = (c: number): boolean => c === 10 || c === 13 || c === 0x2028 || c === 0x2029;
export const isIdent = (c: number): boolean =>
  (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 36 || c === 95 || c === 92 || c === 35 || (c >= 0x80 && !isSpace(c));
export const isDigit = (c: number): boolean => c >= 48 && c <= 57;
