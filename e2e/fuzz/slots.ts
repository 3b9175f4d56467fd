/**
 * The grammar of places a value can land: every slot family with its weight, and the
 * foreign-content wrappers (SVG, MathML, their HTML integration points, and the elements
 * that are raw text in HTML but markup inside SVG and MathML) that put one slot inside
 * another document model.
 */
import type { Rng } from './rng.js';
import { CODE_MARK as C } from './values.js';
import type { IdAttr, Slot } from './slot.js';
import { htmlText, metaRefresh, oddPlaces, plainAttr, rawText, srcdoc, srcset, svgAnimation, urlAttr } from './slots-html.js';
import { eventHandler, scriptBody, scriptJSON } from './slots-js.js';
import { styleAttr, styleElement } from './slots-css.js';

type Family = (rng: Rng, id: IdAttr) => Slot;

const FAMILIES: readonly (readonly [number, Family])[] = [
  [4, htmlText],
  [4, rawText],
  [5, plainAttr],
  [6, urlAttr],
  [2, srcset],
  [1, metaRefresh],
  [1, svgAnimation],
  [2, srcdoc],
  [1, oddPlaces],
  [8, scriptBody],
  [4, eventHandler],
  [2, scriptJSON],
  [4, styleElement],
  [3, styleAttr],
];

/** Families whose slot is markup (a tag with the value in it or in its text), for wrapping. */
const MARKUP_FAMILIES: readonly (readonly [number, Family])[] = [
  [3, htmlText],
  [3, plainAttr],
  [4, urlAttr],
  [1, srcset],
  [2, eventHandler],
  [1, styleAttr],
];

/** A wrapper: markup around a slot that changes how it is parsed. */
const FOREIGN: readonly (readonly [string, string, string])[] = [
  ['svg', '<svg>', '</svg>'],
  ['math', '<math>', '</math>'],
  ['svg-foreignobject', '<svg><foreignObject>', '</foreignObject></svg>'],
  ['svg-desc', '<svg><desc>', '</desc></svg>'],
  ['svg-title', '<svg><title>', '</title></svg>'],
  ['svg-style', '<svg><style>', '</style></svg>'],
  ['svg-script', '<svg><script>', '</script></svg>'],
  ['svg-textarea', '<svg><textarea>', '</textarea></svg>'],
  ['svg-xmp', '<svg><xmp>', '</xmp></svg>'],
  ['svg-noscript', '<svg><noscript>', '</noscript></svg>'],
  ['svg-iframe', '<svg><iframe>', '</iframe></svg>'],
  ['math-mtext', '<math><mtext>', '</mtext></math>'],
  ['math-mi', '<math><mi>', '</mi></math>'],
  ['math-annotation-html', '<math><annotation-xml encoding="text/html">', '</annotation-xml></math>'],
  ['math-title', '<math><title>', '</title></math>'],
  ['math-style', '<math><style>', '</style></math>'],
  ['svg-cdata', '<svg><text><![CDATA[ a>b ]]>', '</text></svg>'],
  ['template', '<template>', '</template>'],
  ['noscript', '<noscript>', '</noscript>'],
];

/** One slot: mostly a family alone, sometimes a markup slot inside foreign content. */
export function slot(rng: Rng, id: IdAttr): Slot {
  if (rng.chance(0.12)) {
    const [name, open, close] = rng.pick(FOREIGN);
    const inner = rng.weighted(MARKUP_FAMILIES)(rng, id);
    return {
      ...inner,
      family: `${name}>${inner.family}`,
      before: open + inner.before,
      after: inner.after + close,
      // In foreign content text is not always read the way the HTML reader expects.
      read: name === 'svg-cdata' || name === 'template' ? null : inner.read,
      hints: [...inner.hints, `</${name.split('-').pop()}><img src=x onerror=${C}>`, `<img src=x onerror=${C}>`],
    };
  }
  return rng.weighted(FAMILIES)(rng, id);
}
