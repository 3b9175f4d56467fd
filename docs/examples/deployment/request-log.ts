import { pino } from 'pino';
import { createApp } from 'palisade';

// A pino logger of your own: JSON lines to a file, with card numbers hidden.
export const logger = pino({ redact: ['card'] }, pino.destination({ dest: process.env.LOG_FILE ?? 1, sync: true }));

// Behind one proxy, which sets X-Request-Id: its ids are kept; without a proxy, each
// request gets a UUID.
export const app = createApp({ logger, trustProxy: 1 });

app.post('/pay', async (req) => {
  const { card } = await req.json<{ card: string }>();
  // {"level":30,…,"reqId":"…","card":"[Redacted]","msg":"payment taken"}
  req.log.info({ card }, 'payment taken');
  return { receipt: req.id };
});
