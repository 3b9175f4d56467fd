// The context after static text (transition.ts through analyze.ts), and the analyze()
// API the `html` tag will use: static parts with holes between them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AnalysisError, analyze, scanText } from '../../src/templates/analyze.js';
import { TEXT, formatContext } from '../../src/templates/context.js';

const after = (s: string): string => formatContext(scanText(TEXT, s).ctx);

const CASES: [string, string][] = [
  ['', 'HTML_TEXT'],
  ['<p>text', 'HTML_TEXT'],
  ['<p ', 'HTML_TAG'],
  ['<p title', 'HTML_ATTR_NAME (attribute plain)'],
  ['<p title ', 'HTML_AFTER_NAME (attribute plain)'],
  ['<p title=', 'HTML_BEFORE_VALUE (attribute plain)'],
  ['<p title="', 'ATTR_TEXT (attribute plain, double-quoted)'],
  ["<p title='a", 'ATTR_TEXT (attribute plain, single-quoted)'],
  ['<p title=a', 'ATTR_TEXT (attribute plain, unquoted)'],
  ['<p title="a">', 'HTML_TEXT'],
  ['<a href="', 'URL (attribute url, double-quoted, url part start)'],
  ['<a href="/x', 'URL (attribute url, double-quoted, url part rest)'],
  ['<a HREF=" ', 'URL (attribute url, double-quoted, url part start)'],
  ['<img srcset="a.png 1x, ', 'URL (attribute srcset, double-quoted, url part start)'],
  ['<img srcset="a.png ', 'URL (attribute srcset, double-quoted, url part descriptor)'],
  ['<p onclick="', 'JS_EXPR (attribute js, double-quoted, slash means regexp)'],
  ['<p onclick="f(&quot;', 'JS_DQ_STR (attribute js, double-quoted, slash means regexp)'],
  ['<p style="', 'CSS (attribute css, double-quoted)'],
  ['<p style="background: url(', 'CSS_URL (attribute css, double-quoted, url part start)'],
  ['<iframe srcdoc="', 'ATTR_SRCDOC (in <iframe>, attribute srcdoc, double-quoted), inside it HTML_TEXT'],
  ['<script>', 'JS_EXPR (in <script>, slash means regexp)'],
  ['<script>x', 'JS_EXPR (in <script>, slash means div, after the start of a token "w")'],
  ['<script>return', 'JS_EXPR (in <script>, slash means regexp, after the start of a token "w")'],
  ['<script>(a)', 'JS_EXPR (in <script>, slash means div)'],
  ['<script>a++', 'JS_EXPR (in <script>, slash means div, after the start of a token "+")'],
  ['<script>a = ', 'JS_EXPR (in <script>, slash means regexp)'],
  ['<script>"a\\"', 'JS_DQ_STR (in <script>, slash means regexp)'],
  ["<script>'", 'JS_SQ_STR (in <script>, slash means regexp)'],
  ['<script>`a${', 'JS_EXPR (in <script>, slash means regexp, inside ${} of a template literal)'],
  ['<script>`a${ {} }', 'JS_TMPL (in <script>, slash means regexp)'],
  ['<script>/[/]', 'JS_REGEXP (in <script>, slash means regexp)'],
  ['<script>// x', 'JS_LINE_CMT (in <script>, slash means regexp)'],
  ['<script>/* x', 'JS_BLOCK_CMT (in <script>, slash means regexp)'],
  ['<script>x = 1 <!-- y', 'JS_LINE_CMT (in <script>, slash means div, script data escaped by <!--)'],
  ['<script>"</script>', 'HTML_TEXT'],
  ['<script type="application/json">', 'JS_EXPR (in <script>, slash means regexp)'],
  ['<script type="text/x-template">', 'HTML_TEXT (in <script>)'],
  ['<style>', 'CSS (in <style>)'],
  ['<style>p { content: "', 'CSS_DQ_STR (in <style>)'],
  ['<style>p { background: url("', 'CSS_DQ_URL (in <style>, url part start)'],
  ['<style>/*', 'CSS_CMT (in <style>, after the start of a token "*")'],
  ['<title>', 'HTML_TEXT (in <title>)'],
  ['<textarea><p>', 'HTML_TEXT (in <textarea>)'],
  ['<noscript>', 'HTML_TEXT (in <noscript>), inside it HTML_TEXT'],
  ['<!--', 'HTML_COMMENT (after the start of a token "o")'],
  ['<!-- a --!>', 'HTML_TEXT'],
  ['<!-->', 'HTML_TEXT'],
  ['<!DOCTYPE', 'HTML_BOGUS_COMMENT'],
  ['</p ', 'HTML_TAG'],
];

for (const [text, ctx] of CASES) test(`context after ${JSON.stringify(text)}`, () => assert.equal(after(text), ctx));

test('analyze: parts, holes and inserts for the html tag', () => {
  const a = analyze(['<a href=', ' title="', '">', '</a><script>var x = ', ';</script>']);
  assert.deepEqual(a.parts, [['<a href='], ['" title="'], ['">'], ['</a><script', { insert: 'nonce' }, '>var x = '], [';</script>']]);
  assert.deepEqual(
    a.holes.map((h) => (h.kind === 'escape' ? [h.prefix, ...h.chain] : [h.kind])),
    [
      ['"', 'url', 'attr'],
      ['', 'attr'],
      ['', 'text'],
      ['', 'jsValue'],
    ],
  );
  assert.equal(a.end.state, 'HTML_TEXT');
});

test('analyze: attribute-name holes are reported, errors carry part and offset', () => {
  assert.equal(analyze(['<p ', '>']).holes[0]!.kind, 'name');
  assert.throws(
    () => analyze(['<p>', '</p><scr', 'ipt>']),
    (e: unknown) => e instanceof AnalysisError && e.code === 'TEMPLATE_PARTIAL_NAME' && e.part === 1 && e.offset === -1,
  );
});
