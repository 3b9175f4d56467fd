import { setTimeout as sleep } from 'node:timers/promises';
import { createApp, sse } from 'palisade';

export const app = createApp();

// Stand-ins for a real store of news.
const news = ['Palisade 1.0', 'Sockets are in', 'Events too'];

app.get('/news', () =>
  sse(
    async function* ({ lastEventId, signal }) {
      // A browser that reconnects says which event it saw last.
      let next = lastEventId === undefined ? 0 : Number(lastEventId) + 1;
      while (!signal.aborted) {
        if (next < news.length) {
          yield { id: next, event: 'news', data: { title: news[next] } };
          next++;
        } else {
          await sleep(1000, undefined, { signal }).catch(() => {});
        }
      }
    },
    { retry: 5000 },
  ),
);
