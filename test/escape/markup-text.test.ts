// splitMarkup: Markup cut into the runs the HTML tokenizer reads as text and the rest. A
// table of tokens whose ends are easy to get wrong (a `>` in a quoted value, comment
// endings, raw text, a `<` that is text), then random markup built from them: text added
// to every text run must never land inside a tag, as parse5 (which tokenizes as the
// browser does) reads the result. The control adds the same text after every `>` instead
// (the end of a tag as a naive scanner finds it) and parse5 finds it in attributes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse, parseFragment } from 'parse5';
import { mapMarkupText, splitMarkup } from '../../src/escape/markup-text.js';
import { markupForForeign } from '../../src/escape/html.js';

const TABLE: [string, string[]][] = [
  ['plain', ['plain']],
  ['a <b>bold</b> c', ['a ', '<b>', 'bold', '</b>', ' c']],
  ['<p title="a > b">x</p>', ['', '<p title="a > b">', 'x', '</p>', '']],
  ["<p title='a > b' id = 'c>d'>x", ['', "<p title='a > b' id = 'c>d'>", 'x']],
  ['<p a=b>c>d', ['', '<p a=b>', 'c>d']],
  ['1 < 2 <3 <', ['1 < 2 <3 <']],
  ['a<!-- x > y -->b', ['a', '<!-- x > y -->', 'b']],
  ['a<!-->b<!--->c<!-- --!>d', ['a', '<!-->', 'b', '<!--->', 'c', '<!-- --!>', 'd']],
  ['a<!DOCTYPE html>b<?x y?>c</1>d</>e', ['a', '<!DOCTYPE html>', 'b', '<?x y?>', 'c', '</1>', 'd', '</>', 'e']],
  ['<![CDATA[ a > b ]]>c', ['', '<![CDATA[ a > b ]]>', 'c']],
  ['<script>if (a<b) x = "<p>"</script>t', ['', '<script>if (a<b) x = "<p>"', '', '</script>', 't']],
  ['<TITLE>a <b> c</title >d', ['', '<TITLE>a <b> c', '', '</title >', 'd']],
  ['<textarea>x</textareax></textarea>y', ['', '<textarea>x</textareax>', '', '</textarea>', 'y']],
  ['<xmp>İİ</XMP>z', ['', '<xmp>İİ', '', '</XMP>', 'z']],
  ['<plaintext>a</plaintext>b', ['', '<plaintext>a</plaintext>b', '']],
  ['<a href="x', ['', '<a href="x', '']],
];

test('splitMarkup: a table of tokens', () => {
  for (const [html, parts] of TABLE) {
    assert.deepEqual(splitMarkup(html), parts, html);
    assert.equal(splitMarkup(html).join(''), html);
  }
});

const PIECES = [
  'text ',
  'a < b ',
  '<p>',
  '</p>',
  '<p title="a > b">',
  '<p title="a>b" id=x>',
  '<p data-x=\'>\' class="c">',
  "<p title='>' id=x>",
  '<p a=b>',
  '<p a= "x>y">',
  '<p =x>',
  '<br/>',
  '<!-- c > -->',
  '<!-->',
  '<!--->',
  '<!-- x --!>',
  '<!doctype html>',
  '<?pi >',
  '</1 >',
  '</>',
  '<title>t <b> </title>',
  '<textarea><p title="</textarea>',
  '<style>a>b{}</style>',
  '<script>"<p>"</script>',
  '<xmp><p a="</xmp>',
  '<noscript><p></noscript>',
  '<svg><title><p></title></svg>',
  '<math><mi>x</mi></math>',
  '<a\nhref="x"\n>',
  'İ',
  '\n',
];

/** Pseudo-random, repeatable. */
function* randomMarkup(count: number): Generator<string> {
  let seed = 42;
  const next = (n: number): number => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed % n;
  };
  for (let i = 0; i < count; i++) {
    let s = '';
    for (let k = next(12) + 1; k > 0; k--) s += PIECES[next(PIECES.length)];
    yield s;
  }
}

interface Node {
  nodeName: string;
  attrs?: { name: string; value: string }[];
  childNodes?: Node[];
  content?: Node;
}

function attributeNames(n: Node, out: string[] = []): string[] {
  for (const a of n.attrs ?? []) out.push(a.name);
  for (const c of n.childNodes ?? []) attributeNames(c, out);
  if (n.content !== undefined) attributeNames(n.content, out);
  return out;
}

const ADDED = ' zz onclick=alert(1) ';
/** Text added where a filter would add it: at each space of a text run, and at its end. */
const addText = (t: string): string => t.replace(/ /g, ADDED) + ADDED;

test('splitMarkup: text added to the text runs of random markup never lands in a tag', () => {
  let controls = 0;
  for (const html of randomMarkup(3000)) {
    const page = mapMarkupText(html, addText);
    const names = attributeNames(parseFragment(page) as unknown as Node);
    assert.ok(!names.includes('onclick') && !names.includes('zz'), `${JSON.stringify(html)} → ${page}`);
    // Control: tags found by a scanner that ignores quotes (a tag ends at its first `>`).
    const naive = html
      .split(/(<!--[\s\S]*?-->|<[a-zA-Z/!?][^>]*>)/)
      .map((t, k) => (k % 2 === 0 ? addText(t) : t))
      .join('');
    if (attributeNames(parseFragment(naive) as unknown as Node).includes('onclick')) controls++;
  }
  assert.ok(controls > 100, `the control found ${controls} pages`);
  // The whole document reads the same way.
  assert.ok(!attributeNames(parse(mapMarkupText('<p title="a > b" id=x>x</p>', addText)) as unknown as Node).includes('onclick'));
});

test('markupForForeign finds the end tag of raw text after characters that lower-case longer', () => {
  // `İ` lower-cases to two code units: offsets in a lower-cased copy missed the end tag,
  // and the rest of the Markup was escaped as the element's text.
  assert.equal(markupForForeign('<xmp>İİ<b></xmp><b>bold</b>'), '<xmp>İİ&lt;b></xmp><b>bold</b>');
});
