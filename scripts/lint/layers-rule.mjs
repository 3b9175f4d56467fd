// The dependency rule (docs/architecture.md): imports in src/ run from higher layers to
// lower ones, and no file takes part in a run-time import cycle.
import { existsSync } from 'node:fs';
import { dirname, relative, resolve, sep } from 'node:path';
import { importsOf, layerOf, layerProblem, resolveSpec, runtimeCycles, sourceFiles, unitOf } from './imports.mjs';

/** The src/ folder a file is under, or undefined. */
function srcRootOf(file) {
  let dir = dirname(resolve(file));
  while (dir !== dirname(dir)) {
    if (dir.endsWith(`${sep}src`) && existsSync(resolve(dir, 'index.ts'))) return dir;
    dir = dirname(dir);
  }
  return undefined;
}

// The cycles are found once per src/ folder and run (every file of a run sees the same tree).
const cyclesBySrc = new Map();

export const layersRule = {
  meta: {
    type: 'problem',
    docs: { description: 'Imports run from higher layers to lower ones; no run-time import cycles (docs/architecture.md).' },
    schema: [],
  },
  create(context) {
    const file = resolve(context.filename);
    const srcRoot = srcRootOf(file);
    if (srcRoot === undefined) return {};
    return {
      Program() {
        if (layerOf(srcRoot, file) === undefined) {
          const unit = unitOf(srcRoot, file);
          context.report({
            loc: { line: 1, column: 0 },
            message: `src/${unit} is in no layer: add it to LAYERS in scripts/lint/imports.mjs and to the table of docs/architecture.md.`,
          });
        }
        const text = context.sourceCode.text;
        for (const imp of importsOf(text)) {
          const problem = layerProblem(srcRoot, file, resolveSpec(file, imp.spec), imp.typeOnly);
          if (problem !== undefined) context.report({ loc: { line: imp.line, column: imp.column }, message: problem });
        }
        let cycles = cyclesBySrc.get(srcRoot);
        if (cycles === undefined) cyclesBySrc.set(srcRoot, (cycles = runtimeCycles(sourceFiles(srcRoot))));
        for (const cycle of cycles) {
          if (!cycle.includes(file)) continue;
          const names = cycle.map((f) => relative(srcRoot, f).split(sep).join('/'));
          context.report({
            loc: { line: 1, column: 0 },
            message: `A run-time import cycle: ${[...names, names[0]].join(' → ')}. Break it by moving what both need into a lower module, or import only types.`,
          });
        }
      },
    };
  },
};
