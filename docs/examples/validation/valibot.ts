import * as v from 'valibot';
import { toStandardJsonSchema } from '@valibot/to-json-schema';
import { createApp } from 'palisade';

export const app = createApp();

// toStandardJsonSchema adds the Standard JSON Schema interface, so the route is described too.
const Search = toStandardJsonSchema(
  v.object({
    q: v.pipe(v.string(), v.minLength(1)),
    limit: v.optional(v.pipe(v.string(), v.toNumber(), v.integer(), v.maxValue(100)), '20'),
  }),
);

app.get('/api/search', (req) => ({ q: req.valid.query.q, limit: req.valid.query.limit }), { schema: { query: Search } });
