// Compile-time checks of the realtime types (run by `npm run typecheck`).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createApp, sse, type CloseInfo, type ServerEvent, type WebSocketConnection, type WebSocketMessage } from '../../src/index.js';

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
const expect = <T extends true>(_: T): void => {};

test('WebSocket handlers see typed params, messages and sends; sse takes events', () => {
  const app = createApp({ env: 'test', websocket: { maxPayload: 1024 }, compress: { responses: true, encodings: ['gzip'] } });
  app.ws('/rooms/:room', async (socket, req) => {
    const room: string = req.params.room;
    // @ts-expect-error: no such param
    void req.params.nope;
    for await (const m of socket) expect<Equal<typeof m, WebSocketMessage>>(true);
    const sent: boolean = await socket.send(room);
    const closed: CloseInfo = await socket.closed;
    void sent;
    void closed;
    expect<Equal<typeof socket, WebSocketConnection>>(true);
  });
  app.get('/events', () =>
    sse(async function* ({ lastEventId, signal }) {
      expect<Equal<typeof lastEventId, string | undefined>>(true);
      void signal.aborted;
      const e: ServerEvent = { id: 1, event: 'x', data: { any: 'json' }, retry: 10 };
      yield e;
      yield 'text';
    }),
  );
  // @ts-expect-error: a coding Palisade does not produce (refused at run time too)
  assert.throws(() => createApp({ compress: { encodings: ['deflate'] } }), { code: 'CONFIG_INVALID' });
  // @ts-expect-error: compress is a boolean on routes
  app.get('/x', () => 'x', { compress: 'yes' });
  assert.ok(app);
});
