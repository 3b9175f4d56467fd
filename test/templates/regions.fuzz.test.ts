// A property over random templates built from the pieces of srcdoc documents, <noscript>,
// raw text, srcset, ifs in start tags and character references cut by values: every
// template either fails to compile with a TemplateError, or renders to a page whose shape
// (elements and attribute names, in the page and in every srcdoc document inside it, nested
// ones too, parsed with scripting on and off) is the same whatever the values, attacks
// included. Seed and runs: test/fuzz/fuzz-options.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { TemplateError } from '../../src/errors.js';
import { renderString } from '../../src/templates/index.js';
import { check, piecesOf } from '../fuzz/fuzz-options.js';
import { type P5, parseDoc } from './read-back.js';

const PIECES = [
  '<iframe srcdoc="',
  "<iframe srcdoc='",
  '<iframe srcdoc=',
  '"',
  "'",
  '&quot;',
  '&#39;',
  '&lt;',
  '&gt;',
  '&amp;',
  '>',
  '<p>',
  '</p>',
  '<noscript>',
  '</noscript>',
  '<xmp>',
  '</xmp>',
  '<script>',
  '</script>',
  '<style>',
  '</style>',
  '<textarea>',
  '</textarea>',
  '<title>',
  '</title>',
  '<plaintext>',
  '<!--',
  '-->',
  '<a href=',
  '<img srcset="',
  ' 2x, ',
  ',',
  ' ',
  '=',
  '/',
  'x',
  '{{ v }}',
  '{{ v }}',
  '{{ v }}',
  '{% if c %}',
  '{% else %}',
  '{% endif %}',
  '{% for i in [1, 2] %}',
  '{% endfor %}',
  '<input',
  ' checked',
  ' name=',
  ' title="',
  '<p title=',
  '<option value=',
  '&',
  '&#',
  '&l',
  '&amp',
  'lt;',
  ';',
  '<',
  '</',
  'xmp',
];

// Values that are text, like the baseline 'x': an empty value at the start of a document
// would let the parser see what follows in another insertion mode, which is HTML, not escaping.
const VALUES = [
  '"><img src=x onerror=alert(1)>',
  "' onmouseover=alert(1) x='",
  'x onmouseover=alert(1)',
  '</noscript><img src=x onerror=alert(1)>',
  '</xmp><img src=x>',
  '&quot;><img src=x>',
  '</script><b>',
  ' 1x, javascript:alert(1) 2x',
  '&lt;img src=x&gt;',
  '--><b>',
  '<!--',
  'lt;img src=x>',
  '#60;img src=x>',
  'amp;lt;img src=x>',
  'quot;><img src=x>',
  '/xmp><img src=x>',
  'xmp><img src=x>',
  '<',
  '</',
];

/** Elements and attribute names of a document, and of the srcdoc documents in it. */
function deepShape(doc: P5, scripting: boolean, depth = 0, out: string[] = []): string[] {
  const walk = (n: P5): void => {
    if (n.attrs !== undefined) {
      out.push(
        `${depth}:${n.nodeName}[${n.attrs
          .map((a) => a.name)
          .sort()
          .join(',')}]`,
      );
      const srcdoc = n.attrs.find((a) => a.name === 'srcdoc');
      if (srcdoc !== undefined && depth < 4) deepShape(parseDoc(srcdoc.value, scripting), scripting, depth + 1, out);
    }
    for (const c of n.childNodes ?? []) walk(c);
    if (n.content) walk(n.content);
  };
  walk(doc);
  return out;
}

test('random srcdoc, noscript, raw text and start-tag templates: a value never changes the shape of any document', () => {
  let compiled = 0;
  check(
    fc.property(piecesOf(PIECES, 28), fc.boolean(), (src, c) => {
      let base: string;
      try {
        base = renderString(src, { v: 'x', c }, { strict: true });
      } catch (e) {
        assert.ok(e instanceof TemplateError, `not a TemplateError for ${JSON.stringify(src)}: ${e instanceof Error ? e.stack : String(e)}`);
        return;
      }
      compiled++;
      for (const scripting of [true, false]) {
        const want = deepShape(parseDoc(base, scripting), scripting).join(' ');
        for (const v of VALUES) {
          const out = renderString(src, { v, c }, { strict: true });
          assert.equal(
            deepShape(parseDoc(out, scripting), scripting).join(' '),
            want,
            `${JSON.stringify(src)} with ${JSON.stringify(v)} (scripting ${scripting}):\n${out}`,
          );
        }
      }
    }),
    { scale: 4 },
  );
  assert.ok(compiled > 50, `only ${compiled} templates compiled`);
});
