// formatEvent attacked with values that try to add events or fields to the stream: line
// breaks of every kind the event-stream parser splits on (CR LF, CR, LF), NUL, the Unicode
// line separators it does not split on, JSON that a toJSON makes hostile, and blank lines
// that would end an event early. The stream is read back by a parser written from the
// HTML Standard (§9.2.6 "Interpreting an event stream"); every value must come back as
// exactly one event with its own data, type and id. The control writes the same values
// as `data: ${value}` without splitting, and the parser finds forged events.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PalisadeError } from '../../src/errors.js';
import { formatEvent } from '../../src/realtime/sse.js';

interface Parsed {
  type: string;
  data: string;
  id: string;
}

/** HTML §9.2.6: lines end at CR LF, CR or LF; fields are `name: value`; a blank line dispatches. */
function parseStream(stream: string): Parsed[] {
  const out: Parsed[] = [];
  let data = '';
  let type = '';
  let id = '';
  for (const line of stream.split(/\r\n|\r|\n/)) {
    if (line === '') {
      if (data !== '') out.push({ type: type || 'message', data: data.endsWith('\n') ? data.slice(0, -1) : data, id });
      data = '';
      type = '';
      continue;
    }
    if (line.startsWith(':')) continue;
    const colon = line.indexOf(':');
    const name = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (name === 'data') data += value + '\n';
    else if (name === 'event') type = value;
    else if (name === 'id' && !value.includes('\0')) id = value;
  }
  return out;
}

const HOSTILE = [
  'a\n\ndata: forged',
  'a\r\revent: admin\rdata: forged',
  'a\r\n\r\nid: 99\r\ndata: forged',
  'a\n\nevent: admin\ndata: forged\n\n',
  '\n\nretry: 1\n\n',
  'x\u2028y\u2029z\u0085w',
  'nul\0byte',
  ': a comment\n\ndata: forged',
];

test('a data value with line breaks comes back as one event with the same data', () => {
  for (const v of HOSTILE) {
    for (const e of [v, { data: v }, { event: 'note', id: 3, data: v }]) {
      const events = parseStream(formatEvent(e));
      assert.equal(events.length, 1, `${JSON.stringify(e)} → ${JSON.stringify(formatEvent(e))}`);
      // The parser's own CR LF, CR and LF all read as LF: the text arrives with its line breaks as LF.
      assert.equal(events[0]!.data, v.replace(/\r\n|\r/g, '\n'));
      assert.equal(events[0]!.type, typeof e === 'object' && e.event !== undefined ? 'note' : 'message');
    }
    // As JSON (an object, a toJSON returning the value): one event, the value inside it.
    for (const data of [{ v }, { toJSON: () => v }]) {
      const events = parseStream(formatEvent({ data }));
      assert.equal(events.length, 1);
      assert.deepEqual(JSON.parse(events[0]!.data), JSON.parse(JSON.stringify(data)));
    }
  }
  // Control: the same values written without splitting their lines forge events.
  const forged = HOSTILE.filter(
    (v) => parseStream(`data: ${v}\n\n`).length > 1 || parseStream(`data: ${v}\n\n`).some((p) => p.type !== 'message' || p.id !== ''),
  );
  assert.ok(forged.length >= 5, `the control forged ${forged.length}`);
});

test('an event name or id that would add a field is refused; a retry must be a number', () => {
  for (const bad of ['a\nb', 'a\rb', 'a\r\nb', 'a\0b']) {
    for (const e of [
      { event: bad, data: 'x' },
      { id: bad, data: 'x' },
    ]) {
      assert.throws(
        () => formatEvent(e),
        (err: unknown) => err instanceof PalisadeError && err.code === 'SSE_INVALID_FIELD',
        JSON.stringify(e),
      );
    }
  }
  for (const retry of ['1\ndata: forged', -1, 1.5, Number.NaN] as unknown[]) {
    assert.throws(() => formatEvent({ retry: retry as number, data: 'x' }), TypeError);
  }
});
