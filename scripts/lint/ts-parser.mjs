// An ESLint parser for the project's TypeScript: sucrase removes the types (line numbers
// kept), espree parses what is left. The project compiles with TypeScript 7, which has no
// JavaScript API for typescript-eslint's parser to use (typescript-eslint 8 asks for
// TypeScript below 6.1, or 7.1 and later); rules that read the types cannot run until it has one.
import { transform } from 'sucrase';
import * as espree from 'espree';

export const meta = { name: 'palisade-ts-strip', version: '1.0.0' };

export function parseForESLint(code, options = {}) {
  const js = transform(code, { transforms: ['typescript'], disableESTransforms: true, keepUnusedImports: true }).code;
  const ast = espree.parse(js, { ...options, ecmaVersion: 'latest', sourceType: 'module', range: true, loc: true, tokens: true, comment: true });
  return { ast, visitorKeys: espree.VisitorKeys };
}

export function parse(code, options) {
  return parseForESLint(code, options).ast;
}
