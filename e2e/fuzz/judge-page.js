// The escaper fuzzer's judge, inside Chromium (plain JS: it runs in the page, not in node).
//
// The top page keeps a pool of same-origin iframes. Each case document is written into one
// of them with document.open/write/close (creating an iframe costs ~35 ms, reusing one ~1 ms),
// then read when it has loaded: its DOM shape, its CSS declarations, the URLs that would run
// script, the value read back. Event handlers are fired, and after a settling delay the page
// reports which documents ran injected code (the canary __pwned, the __trap setter, dialogs),
// raised script errors, or navigated. No CSP is involved: injected script would really run.
//
// Every window of a case (its own, frames inside it, a document it navigates to) calls
// __judgeAttach: from the case's head, or from the init script the driver installs in every
// new document (judge.ts).
(() => {
  'use strict';
  const records = new Map();
  const record = (key, kind, detail) => {
    let r = records.get(key);
    if (r === undefined) records.set(key, (r = { canary: [], dialogs: [], errors: [] }));
    r[kind].push(String(detail));
  };

  /** The key of the case a window belongs to: the data-key of its pool iframe. */
  function keyOf(win) {
    let w = win;
    while (w.parent !== window) w = w.parent;
    return w.frameElement ? w.frameElement.dataset.key : '?';
  }

  window.__judgeAttach = (win) => {
    const key = keyOf(win);
    // Globals the slots' scripts use, reset for each case (document.open keeps the window).
    Object.assign(win, { __v: undefined, __r: undefined, a: 1, y: 1, x: undefined, f: undefined, s: '', zqREFqz: 1 });
    win.__pwned = (n) => record(key, 'canary', n);
    for (const name of ['alert', 'confirm', 'prompt', 'print', 'open']) {
      win[name] = (...args) => record(key, 'dialogs', `${name}(${args.join(',')})`);
    }
    Object.defineProperty(win, '__trap', { configurable: true, get: () => undefined, set: (n) => record(key, 'canary', `trap ${n}`) });
    win.addEventListener('error', (e) => record(key, 'errors', e.message));
  };

  // ---- what a document holds ----------------------------------------------------------

  /** Every document of a case: its own, and those of frames inside it (same origin). */
  function documents(doc) {
    const out = [doc];
    for (const f of doc.querySelectorAll('iframe, frame, object, embed')) {
      try {
        const d = f.contentDocument;
        if (d && !out.includes(d) && !emptyBlank(d)) out.push(...documents(d));
      } catch {
        // another origin: nothing of ours can be there
      }
    }
    return out;
  }

  /**
   * A frame's document with nothing in it: the initial about:blank a frame shows before its
   * navigation ends, or for good when its src is not a URL it can load (a value can make a
   * host invalid or a scheme unknown). The reference render's frame may be elsewhere by
   * then, so its html, head and body would count as new elements. Injected content is never
   * empty.
   */
  function emptyBlank(d) {
    const root = d.documentElement;
    return root === null || (root.childElementCount <= 2 && (d.head === null || d.head.childNodes.length === 0) && (d.body === null || d.body.childNodes.length === 0));
  }

  function nameOf(el) {
    const ns = el.namespaceURI === 'http://www.w3.org/2000/svg' ? 'svg:' : el.namespaceURI === 'http://www.w3.org/1998/Math/MathML' ? 'math:' : '';
    return ns + el.localName;
  }

  /** Elements in tree order with a path of tag names, template contents included. */
  function elements(root, path, out) {
    for (const el of root.children) {
      const p = `${path}>${nameOf(el)}`;
      out.push([el, p]);
      elements(el, p, out);
      if (el.localName === 'template' && el.content) elements(el.content, `${p}#content`, out);
    }
    return out;
  }

  function allElements(doc) {
    const out = [];
    documents(doc).forEach((d, i) => elements(d, `doc${i}`, out));
    return out;
  }

  const URL_ATTRS = new Set(['href', 'src', 'action', 'formaction', 'poster', 'data', 'cite', 'background', 'ping', 'longdesc', 'codebase',
    'manifest', 'icon', 'xlink:href', 'lowsrc', 'dynsrc', 'archive', 'classid', 'usemap', 'profile']);

  function scheme(u, base) {
    try {
      return new URL(u, base).protocol;
    } catch {
      return '';
    }
  }
  const BAD = new Set(['javascript:', 'vbscript:', 'data:']);
  const IMAGE_PROPS = ['background-image', 'list-style-image', 'border-image-source', 'mask-image', 'cursor', 'content'];

  /** srcset candidates' URLs, as the HTML parser splits them (§4.8.4.3.10). */
  function srcsetURLs(s) {
    const out = [];
    let i = 0;
    while (i < s.length) {
      // ASCII whitespace only, as the HTML parser splits (a no-break space is part of a URL).
      while (i < s.length && /[\t\n\f\r ,]/.test(s[i])) i++;
      let j = i;
      while (j < s.length && !/[\t\n\f\r ]/.test(s[j])) j++;
      let u = s.slice(i, j);
      if (u === '') break;
      const trailing = /,+$/.exec(u);
      if (trailing) u = u.slice(0, -trailing[0].length);
      out.push(u);
      i = j;
      if (!trailing) {
        let depth = 0;
        while (i < s.length && (s[i] !== ',' || depth > 0)) {
          if (s[i] === '(') depth++;
          if (s[i] === ')') depth = Math.max(0, depth - 1);
          i++;
        }
      }
    }
    return out;
  }

  /**
   * The URL of a refresh pragma's content, or null when the pragma is not valid: HTML
   * §4.2.5.3 "shared declarative refresh steps" (a time of digits and dots, then `;`, `,`
   * or white space, then an optional `URL=` and an optionally quoted URL).
   */
  function refreshURL(c) {
    let i = 0;
    const ws = (ch) => ch === ' ' || ch === '\t' || ch === '\n' || ch === '\f' || ch === '\r';
    while (i < c.length && ws(c[i])) i++;
    const start = i;
    while (i < c.length && /[0-9]/.test(c[i])) i++;
    if (i === start && c[i] !== '.') return null;
    while (i < c.length && /[0-9.]/.test(c[i])) i++;
    if (i >= c.length) return null;
    if (c[i] !== ';' && c[i] !== ',' && !ws(c[i])) return null;
    while (i < c.length && ws(c[i])) i++;
    if (c[i] === ';' || c[i] === ',') i++;
    while (i < c.length && ws(c[i])) i++;
    let u = c.slice(i);
    const m = /^url[\t\n\f\r ]*=[\t\n\f\r ]*/i.exec(u);
    if (m) u = u.slice(m[0].length);
    if (u[0] === '"' || u[0] === "'") {
      const end = u.indexOf(u[0], 1);
      u = end === -1 ? u.slice(1) : u.slice(1, end);
    }
    return u;
  }

  /**
   * URLs in serialized CSS: the argument of every url(…) outside strings (CSS Syntax §4.3.6),
   * and the strings inside image-set(…) and -webkit-image-set(…), which are URLs too.
   */
  function cssURLs(text) {
    const out = [];
    let i = 0;
    const readString = () => {
      const q = text[i++];
      let s = '';
      while (i < text.length && text[i] !== q) {
        if (text[i] === '\\' && i + 1 < text.length) {
          s += text[i + 1];
          i += 2;
        } else s += text[i++];
      }
      i++;
      return s;
    };
    const imageSets = [];
    while (i < text.length) {
      const ch = text[i];
      if (ch === '/' && text[i + 1] === '*') {
        const end = text.indexOf('*/', i + 2);
        i = end === -1 ? text.length : end + 2;
        continue;
      }
      if (ch === '"' || ch === "'") {
        const s = readString();
        if (imageSets.includes(true)) out.push(s);
        continue;
      }
      if (ch === '(') {
        const name = /[-\w]*$/.exec(text.slice(Math.max(0, i - 20), i))[0].toLowerCase();
        if (name === 'url') {
          i++;
          while (/[\t\n\f\r ]/.test(text[i] || '')) i++;
          if (text[i] === '"' || text[i] === "'") out.push(readString());
          else {
            let s = '';
            while (i < text.length && text[i] !== ')') s += text[i++];
            out.push(s.replace(/^[\t\n\f\r ]+|[\t\n\f\r ]+$/g, ''));
          }
          continue;
        }
        imageSets.push(name === 'image-set' || name === '-webkit-image-set');
        i++;
        continue;
      }
      if (ch === ')') imageSets.pop();
      i++;
    }
    return out;
  }

  function cssRules(sheet, out, depth) {
    let rules;
    try {
      rules = sheet.cssRules;
    } catch {
      return;
    }
    for (const r of rules) {
      if (r.type === CSSRule.STYLE_RULE) {
        for (let k = 0; k < r.style.length; k++) out.decls.push(r.style[k]);
        out.texts.push(r.cssText);
      } else if (r.type === CSSRule.IMPORT_RULE) {
        out.decls.push('@import');
        out.urls.push(r.href);
        if (r.styleSheet && depth < 3) cssRules(r.styleSheet, out, depth + 1);
      } else {
        out.decls.push('@' + (r.constructor && r.constructor.name));
        if (r.style) for (let k = 0; k < r.style.length; k++) out.decls.push(`@${r.constructor.name}|${r.style[k]}`);
        out.texts.push(r.cssText);
        if (r.cssRules && depth < 3) cssRules(r, out, depth + 1);
      }
    }
  }

  /** Shape, CSS declarations and dangerous URLs of a case, as lists of strings. */
  function snapshot(doc) {
    const shape = [];
    const decls = [];
    const bad = [];
    const styled = documents(doc).some((d) => d.styleSheets.length > 0 || d.querySelector('[style]') !== null);
    for (const [el, p] of allElements(doc)) {
      shape.push(`${p}[${[...el.attributes].map((a) => a.name).sort().join(',')}]`);
      const base = el.ownerDocument.baseURI;
      for (const a of el.attributes) {
        const n = a.name.toLowerCase();
        const check = (u, what) => {
          const s = scheme(u, base);
          if (BAD.has(s)) bad.push(`${p}|${what}|${s}`);
        };
        if (URL_ATTRS.has(n)) check(a.value, n);
        if (n === 'srcset' || n === 'imagesrcset') for (const u of srcsetURLs(a.value)) check(u, n);
        if (n === 'content' && el.localName === 'meta' && /^\s*refresh\s*$/i.test(el.getAttribute('http-equiv') || '')) {
          const u = refreshURL(a.value);
          if (u !== null) check(u, 'refresh');
        }
        const animation = el.namespaceURI === 'http://www.w3.org/2000/svg' && /^(set|animate|animateMotion|animateTransform)$/.test(el.localName);
        if (animation && (n === 'to' || n === 'from' || n === 'by' || n === 'values') && /href$/i.test(el.getAttribute('attributeName') || '')) {
          for (const u of a.value.split(';')) check(u.trim(), `${n}(animation)`);
        }
        if (n === 'style') for (const u of cssURLs(a.value)) check(u, 'style');
      }
      if (el.style) for (let k = 0; k < el.style.length; k++) decls.push(`${p}|style|${el.style[k]}`);
      const view = el.ownerDocument.defaultView; // null inside <template> contents
      if (styled && view) {
        // What the cascade made of it: URLs that arrived through var() or a sheet.
        const cs = view.getComputedStyle(el);
        for (const prop of IMAGE_PROPS) {
          for (const u of cssURLs(cs.getPropertyValue(prop))) {
            if (BAD.has(scheme(u, el.ownerDocument.baseURI))) bad.push(`${p}|computed ${prop}|${scheme(u, el.ownerDocument.baseURI)}`);
          }
        }
      }
    }
    for (const d of documents(doc)) {
      const css = { decls: [], texts: [], urls: [] };
      for (const sheet of d.styleSheets) cssRules(sheet, css, 0);
      decls.push(...css.decls);
      for (const u of [...css.urls, ...css.texts.flatMap(cssURLs)]) {
        const s = scheme(u, d.baseURI);
        if (BAD.has(s)) bad.push(`css|${s}`);
      }
    }
    // A document that can navigate by itself (a refresh), so that its navigating says nothing.
    const mayNavigate = documents(doc).some((d) => d.querySelector('meta[http-equiv]') !== null);
    return { shape, decls, bad, mayNavigate };
  }

  /** Fires every inline event handler of a case once. */
  function fireHandlers(doc) {
    for (const [el] of allElements(doc)) {
      for (const a of [...el.attributes]) {
        if (!/^on/i.test(a.name)) continue;
        try {
          const view = el.ownerDocument.defaultView;
          if (view) el.dispatchEvent(new view.Event(a.name.slice(2).toLowerCase()));
        } catch {
          // a handler that throws is reported by the window's error listener
        }
      }
    }
  }

  function decodeCSSString(s) {
    const m = /^"((?:[^"\\]|\\[^])*)"/.exec(s.trim());
    if (m === null) return null;
    return m[1].replace(/\\([0-9a-fA-F]{1,6}) ?|\\([^])/g, (_, h, c) => (h !== undefined ? String.fromCodePoint(parseInt(h, 16)) : c));
  }

  /** The value as the browser holds it, read from the element with id="t" (see slot.ts). */
  function readBack(doc, read, v) {
    const w = doc.defaultView;
    const t = doc.getElementById('t');
    switch (read.kind) {
      case 'js': return w.__v === undefined ? null : JSON.stringify(w.__v);
      case 'regexp': return w.__r instanceof w.RegExp ? JSON.stringify({ source: w.__r.source, flags: w.__r.flags }) : null;
    }
    if (t === null) return null;
    switch (read.kind) {
      case 'text':
      case 'raw': return t.textContent;
      case 'html-source': return new w.DOMParser().parseFromString(`<body>${t.textContent}`, 'text/html').body.textContent;
      case 'value': return t.defaultValue; // .value would turn CR LF into LF
      case 'attr': return t.getAttribute(read.name);
      case 'json': {
        try {
          return JSON.stringify(JSON.parse(t.textContent));
        } catch {
          return `invalid JSON: ${t.textContent}`;
        }
      }
      case 'url': {
        const raw = t.getAttribute(read.name);
        if (raw === null) return null;
        try {
          return JSON.stringify({ raw, u: new URL(raw, doc.baseURI).href, base: doc.baseURI });
        } catch {
          return `invalid URL: ${raw}`;
        }
      }
      case 'srcset': {
        const raw = srcsetURLs(t.getAttribute('srcset') || '')[0];
        if (raw === undefined) return null;
        try {
          return JSON.stringify({ raw, u: new URL(raw, doc.baseURI).href, base: doc.baseURI });
        } catch {
          return `invalid URL: ${raw}`;
        }
      }
      case 'css-prop': {
        // The probe is an element like #t, beside it, so that it is laid out alike.
        const probe = doc.createElementNS(t.namespaceURI, t.localName);
        probe.style.setProperty(read.prop, v.replace(/\s*!important\s*$/, ''));
        if (probe.style.getPropertyValue(read.prop) === '') return JSON.stringify({ skip: true });
        t.after(probe);
        const want = w.getComputedStyle(probe).getPropertyValue(read.prop);
        probe.remove();
        return JSON.stringify({ got: w.getComputedStyle(t).getPropertyValue(read.prop), want });
      }
      case 'css-quotes': return decodeCSSString(w.getComputedStyle(t).quotes);
      case 'srcdoc': {
        const s = t.getAttribute('srcdoc');
        return s === null ? null : new DOMParser().parseFromString(s, 'text/html').body.textContent;
      }
    }
    return null;
  }

  // ---- the pool of frames ---------------------------------------------------------------

  const pool = [];

  function freshFrame(i) {
    const f = document.createElement('iframe');
    if (pool[i]) pool[i].replaceWith(f);
    else document.body.appendChild(f);
    pool[i] = f;
    return f;
  }

  function usable(f) {
    try {
      return f.contentDocument !== null && f.contentWindow.location.origin === location.origin;
    } catch {
      return false;
    }
  }

  const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

  /**
   * Judges a batch: docs = [{ key, html, read, v }]. Resolves with one result per doc.
   */
  window.__judge = async (docs, settleMs, timeoutMs) => {
    records.clear();
    const t0 = performance.now();
    let snapMs = 0;
    const states = docs.map((d, i) => {
      let f = pool[i];
      if (!f || !usable(f)) f = freshFrame(i);
      f.dataset.key = d.key;
      const doc = f.contentDocument;
      doc.open();
      doc.write(d.html);
      doc.close();
      return { f, doc, result: null };
    });
    const tWritten = performance.now();
    const judgeOne = (i) => {
      const s = states[i];
      if (s.result !== null) return;
      const ts = performance.now();
      const d = docs[i];
      const navigatedEarly = s.f.contentDocument !== s.doc;
      const snap = snapshot(s.doc);
      fireHandlers(s.doc);
      let read = null;
      try {
        read = d.read === null ? null : readBack(s.doc, d.read, d.v);
      } catch (e) {
        read = `reader failed: ${e}`;
      }
      s.result = { ...snap, read, loaded: s.doc.readyState === 'complete', navigatedEarly };
      snapMs += performance.now() - ts;
    };
    await Promise.race([
      Promise.all(states.map((s, i) => new Promise((resolve) => {
        const done = () => {
          judgeOne(i);
          resolve();
        };
        if (s.doc.readyState === 'complete') done();
        else s.doc.defaultView.addEventListener('load', done, { once: true });
      }))),
      sleep(timeoutMs),
    ]);
    states.forEach((_, i) => judgeOne(i));
    const tLoaded = performance.now();
    await sleep(settleMs);
    const tSettled = performance.now();
    const out = states.map((s, i) => {
      const r = records.get(docs[i].key) || { canary: [], dialogs: [], errors: [] };
      let navigated = s.result.navigatedEarly;
      try {
        navigated = navigated || s.f.contentDocument !== s.doc;
      } catch {
        navigated = true;
      }
      return { ...s.result, ...r, navigated };
    });
    // A refresh still pending in a frame is cancelled when the next case opens its document.
    const timing = { write: tWritten - t0, load: tLoaded - tWritten, snapshot: snapMs, settle: tSettled - tLoaded, total: performance.now() - t0 };
    return { results: out, late: [...records.entries()].filter(([k]) => !docs.some((d) => d.key === k)), timing };
  };
})();
